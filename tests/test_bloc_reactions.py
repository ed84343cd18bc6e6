"""Tests for the chapter "The bloc and the US-ROK alliance": every figure is
drawn from the loaded data, says in its description what it draws, and tells
amity from enmity by line style as well as colour."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from alliances import data
from alliances.charts import bloc_reactions as br
from alliances.paths import DATA_DIR


def chart_rows(chart) -> list[dict]:
    spec = chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


@pytest.fixture(scope="module")
def lives():
    return br.alliance_lives(data.load_treaties(), data.load_events(), data.load_quantities(),
                             data.load_source_documents())


def test_alliance_lives_come_from_the_treaties_and_the_war(lives):
    treaties = data.load_treaties().set_index("treaty_id")
    events = data.load_events().set_index("event_id")
    rows = lives.set_index("row")
    assert rows.loc["SSA in force", "start"] == treaties.loc["T2", "in_force_date"]
    assert rows.loc["SSA in force", "end"] == treaties.loc["T2", "ended_date"]
    assert rows.loc["USROKA", "start"] == treaties.loc["T4", "signed_date"]
    assert rows.loc["Korean War", "start"] == events.loc["E021", "date_date"]
    assert rows.loc["Korean War", "end"] == events.loc["E036", "date_date"]
    years = data.load_quantities().set_index("measure").loc["life of the SSA as a working alliance", "value"]
    assert rows.loc["SSA as a working alliance", "end"] == treaties.loc["T2", "signed_date"] + pd.DateOffset(
        years=int(years))
    assert rows.loc["SSA as a working alliance", "span"].startswith("INF")


def test_the_usrok_bar_stops_at_kims_present_not_at_an_end(lives):
    kim = data.load_source_documents().set_index("source_id").loc["004"]
    us = lives.set_index("row").loc["USROKA"]
    assert us["end"] == kim["present_date"]
    assert "still in force" in us["dates"] and "not at an end" in us["note"]
    assert pd.isna(data.load_treaties().set_index("treaty_id").loc["T4", "ended"])


def test_the_first_paradox_is_computed_from_the_dates(lives):
    """The SSA came before the war and the USROKA after it: the description
    gives both gaps as the data make them."""
    rows = lives.set_index("row")
    war_start, war_end = rows.loc["Korean War", "start"], rows.loc["Korean War", "end"]
    assert rows.loc["SSA in force", "signed"] < war_start and rows.loc["USROKA", "signed"] > war_end
    text = br.describe_lives(lives)
    assert f"{(war_start - rows.loc['SSA in force', 'signed']).days // 30} months before the war" in text
    assert f"{(rows.loc['USROKA', 'signed'] - war_end).days} days after the armistice" in text


def test_alliance_lives_chart_draws_every_row(lives):
    chart = br.alliance_lives_chart(lives)
    drawn = {r["row"] for r in chart_rows(chart)}
    assert drawn == set(lives["row"])
    spec = chart.to_dict()
    assert spec["title"]["text"] and spec["description"] == br.describe_lives(lives)


@pytest.fixture(scope="module")
def pairs():
    return data.load_two_chinas_two_koreas()


def test_every_pair_of_the_data_is_one_line(pairs):
    nodes, edges = br.pair_frames(pairs, data.load_actors())
    assert len(edges) == len(pairs)
    with open(DATA_DIR / "two_chinas_two_koreas.csv", newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    for row, edge in zip(raw, edges.itertuples()):
        assert edge.relation == (row["relation"] or "not stated")
        assert edge.source == row["source"]
    assert set(nodes["actor"]) == set(pairs["a"]) | set(pairs["b"])


def test_the_two_koreas_chart_shows_each_period_and_says_so(pairs):
    chart = br.two_koreas_chart(pairs, data.load_actors())
    spec = chart.to_dict()
    rows = chart_rows(chart)
    assert {r["period_label"] for r in rows} == set(pairs["period_label"])
    _, edges = br.pair_frames(pairs, data.load_actors())
    for e in edges.itertuples():
        assert f"{e.pair} {e.relation}" in spec["description"]
    assert "North Korea and Taiwan are not linked" in spec["description"]


def test_amity_and_enmity_differ_by_dash_in_the_pairs_chart(pairs):
    spec = br.two_koreas_chart(pairs, data.load_actors()).to_dict()
    scales = [layer["encoding"]["strokeDash"]["scale"]
              for row in spec["vconcat"] for panel in row["hconcat"] for layer in panel["layer"]
              if "strokeDash" in layer.get("encoding", {})]
    assert scales
    for scale in scales:
        dash = dict(zip(scale["domain"], scale["range"]))
        assert dash["amity"] != dash["enmity"]


@pytest.mark.parametrize("theme", ["NUC", "PEN"])
def test_a_thread_holds_exactly_its_tagged_events(theme):
    events = data.load_events()
    thread = br.thread_events(events, theme)
    tagged = {r.event_id for r in events.itertuples() if theme in data.split_ids(r.themes)}
    assert set(thread["event_id"]) == tagged and len(thread) == len(tagged) >= 8
    dated = thread[thread["dated"]]
    assert list(dated["date_date"]) == sorted(dated["date_date"])
    assert not thread["dated"].iloc[len(dated):].any()  # undated ones last


@pytest.mark.parametrize("theme", ["NUC", "PEN"])
def test_a_thread_chart_draws_the_dated_and_names_the_undated(theme):
    thread = br.thread_events(data.load_events(), theme)
    chart = br.thread_chart(thread, theme)
    drawn = {r["event_id"] for r in chart_rows(chart)}
    assert drawn == set(thread.loc[thread["dated"], "event_id"])
    text = chart.to_dict()["description"]
    for title in thread["title"]:
        assert title in text
    for title in thread.loc[~thread["dated"], "title"]:
        assert title in " ".join(chart.to_dict()["title"]["subtitle"])


def test_an_unknown_thread_is_refused():
    with pytest.raises(ValueError, match="unknown theme"):
        br.thread_events(data.load_events(), "XYZ")
