"""Tests for the chapter "The Sino-Soviet alliance": every figure's data is the
loaded data, the phases are consistent, and the widget lists the right events."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from alliances import data
from alliances.charts import sino_soviet as ss
from alliances.data.citations import missing_phrases
from alliances.model import phases as ph
from alliances.model import triangle as tri
from alliances.paths import DATA_DIR
from alliances.queries import history
from alliances.queries import phases as pq
from alliances.queries import treaties as tq
from alliances.widgets.sino_soviet import PhaseExplorer, events_html


@pytest.fixture(scope="module")
def events():
    return data.load_events()


@pytest.fixture(scope="module")
def timeline(events):
    return pq.timeline_events(events)


@pytest.fixture(scope="module")
def terms():
    return tq.treaty_terms(data.load_treaties())


def chart_rows(chart) -> list[dict]:
    """All rows of all inline datasets of a chart spec."""
    spec = chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def raw_rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- phases -----------------------------------------------------------------

def test_phase_citations_are_real():
    for phase in ph.PHASES:
        assert not missing_phrases(phase.basis), phase.phase_id


def test_phases_are_ordered_and_cover_the_cold_war_without_gaps():
    starts = [pd.Timestamp(p.start) for p in ph.PHASES]
    ends = [pd.Timestamp(p.end) for p in ph.PHASES]
    assert starts == sorted(starts)
    for end, nxt in zip(ends, starts[1:]):
        assert nxt <= end + pd.Timedelta(days=1)


# -- timeline ---------------------------------------------------------------

def test_timeline_selects_gp_or_treaty_events_in_range(timeline):
    lo, hi = pq.TIMELINE_YEARS
    expected = {r["event_id"] for r in raw_rows("events.csv")
                if ("GP" in r["triangles"].split(";")
                    or set(r["treaty_id"].split(";")) & {"T2", "T8"})
                and lo <= int(r["date"][:4]) <= hi}
    assert set(timeline["event_id"]) == expected
    assert len(timeline) == len(expected)


def test_timeline_chart_data_equals_loaded_events(timeline, terms):
    rows = chart_rows(ss.timeline_chart(timeline, terms))
    charted = {r["event_id"]: r for r in rows if "event_id" in r}
    assert set(charted) == set(timeline["event_id"])
    loaded = data.load_events().set_index("event_id")
    for eid, row in charted.items():
        assert row["title"] == loaded.loc[eid, "title"]
        assert row["source"] == loaded.loc[eid, "source"]
    bars = [r for r in rows if "short_name" in r and "signed" in r]
    treaties = data.load_treaties().set_index("treaty_id")
    assert {r["treaty_id"] for r in bars} == set(pq.TREATIES)
    for r in bars:
        assert r["signed"] == treaties.loc[r["treaty_id"], "signed"]
        assert r["ended"] == treaties.loc[r["treaty_id"], "ended"]


def test_phase_membership_matches_dates(timeline):
    for r in timeline.itertuples():
        for p in ph.PHASES:
            overlaps = r.start <= pd.Timestamp(p.end) and r.end >= pd.Timestamp(p.start)
            assert (f"|{p.phase_id}|" in r.phases) == overlaps, (r.event_id, p.phase_id)
        assert r.phase in [ph.PHASE_LABELS[p] for p in r.phases.strip("|").split("|")]


def test_static_phase_menu_offers_every_phase(events, terms):
    chart = ss.phase_timeline_chart(pq.timeline_events(events, pq.EXPLORER_YEARS), terms)
    spec = chart.to_dict()
    (param,) = spec["params"]
    assert param["bind"]["options"] == [ph.ALL, *ph.PHASE_IDS]
    assert param["bind"]["labels"][1:] == [p.label for p in ph.PHASES]
    assert spec["title"] and spec["description"]


def test_treaty_events_marked_from_treaty_ids(timeline):
    for r in timeline.itertuples():
        about = bool(set(data.split_ids(r.treaty_id)) & set(pq.TREATIES))
        assert (r.treaty_event == pq.EVENT_KINDS[0]) == about, r.event_id


# -- quantities ------------------------------------------------------------

@pytest.mark.parametrize("topic", ["1950 package", "1960 withdrawal", "Korean War costs",
                                   "golden age aid and trade"])
def test_quantities_chart_data_equals_loaded_rows(topic):
    q = data.load_quantities()
    expected = q[q["topic"] == topic]
    chart = ss.quantities_chart(ss.topic_quantities(q, topic), topic)
    rows = chart_rows(chart)
    assert [r["quantity_id"] for r in rows] == list(expected["quantity_id"])
    assert [r["value"] for r in rows] == [float(v) for v in expected["value"]]
    assert [r["unit"] for r in rows] == list(expected["unit"])
    spec = chart.to_dict()
    assert spec["title"] and spec["description"]


def test_quantities_match_the_csv_file():
    raw = {r["quantity_id"]: r for r in raw_rows("quantities.csv") if r["topic"] == "1960 withdrawal"}
    rows = ss.topic_quantities(data.load_quantities(), "1960 withdrawal")
    assert {r.quantity_id: r.value for r in rows.itertuples()} == {k: float(v["value"]) for k, v in raw.items()}


def test_unknown_topic_is_an_error():
    with pytest.raises(ValueError):
        ss.topic_quantities(data.load_quantities(), "no such topic")


# -- treaty comparison ------------------------------------------------------

@pytest.fixture(scope="module")
def comparison():
    return tq.compare(data.load_treaties(), data.load_treaty_atop(), data.load_actors(), tq.SSA_AND_US_ROK)


def test_comparison_sources_side_equals_treaties_csv(comparison):
    raw = {r["treaty_id"]: r for r in raw_rows("treaties.csv")}
    side = comparison[comparison["reading"] == tq.SOURCES]
    assert set(side["origin"]) == {tq.ORIGIN_LABEL[tq.SOURCES]}
    for r in side[side["field"] != ""].itertuples():
        expected = raw[r.treaty_id][r.field]
        got = "" if r.raw is None else r.raw
        if r.field in ("term_years", "renewal_years") and expected:
            assert float(got) == float(expected)
        else:
            assert str(got) == expected, (r.treaty_id, r.field)


def test_comparison_atop_side_equals_treaty_atop_csv(comparison):
    raw = {r["treaty_id"]: r for r in raw_rows("treaty_atop.csv")}
    side = comparison[comparison["reading"] == tq.ATOP]
    assert set(side["atopid"]) == {int(raw["T2"]["atopid"]), int(raw["T4"]["atopid"])}
    for r in side[side["field"] != ""].itertuples():
        expected = raw[r.treaty_id][r.field]
        got = "" if r.raw is None else str(r.raw)
        assert got == expected, (r.treaty_id, r.field)


def test_one_provisions_table_pairs_each_side_with_a_real_column(comparison):
    """Every column :data:`PROVISIONS` names exists in its file's contract, once."""
    sources = [p.sources for p in tq.PROVISIONS if p.sources]
    atop = [p.atop for p in tq.PROVISIONS if p.atop]
    assert set(sources) <= set(data.SPECS["treaties.csv"]) and len(sources) == len(set(sources))
    assert set(atop) <= set(data.SPECS["treaty_atop.csv"]) and len(atop) == len(set(atop))
    assert all(p.sources or p.atop for p in tq.PROVISIONS)
    assert set(comparison.loc[comparison["field"] == "", "value"]) == {tq.NOT_CODED}


def test_comparison_chart_shows_the_table(comparison):
    rows = chart_rows(ss.comparison_chart(comparison))
    assert [(r["concept"], r["column"], r["value"]) for r in rows] == list(
        zip(comparison["concept"], comparison["column"], comparison["value"]))
    wide = tq.compare_wide(comparison)
    assert wide.shape == (len(tq.PROVISIONS), 4)


# -- triangle ----------------------------------------------------------------

def test_gp_readings_use_the_model():
    periods = data.load_triangle_periods()
    names = data.load_actor_names()
    table = history.readings(periods, "GP", names)
    gp = periods[periods["triangle_id"] == "GP"]
    assert list(table["period_id"]) == list(gp["period_id"])
    for r in table.itertuples():
        sides = (r.ab, r.ac, r.bc)
        if all(s in tri.RELATIONS for s in sides):
            t = tri.Triangle(r.a, r.b, r.c, *sides)
            assert r.pattern == tri.pattern(t).value
            assert r.roles == ", ".join(f"{names[x]} {role.value}" for x, role in tri.roles(t).items())
        else:
            assert r.pattern == history.NO_PATTERN and r.roles == ""
    spec = ss.gp_chart(table, names).to_dict()
    assert spec["title"] and spec["description"]


# -- end of the alliance ----------------------------------------------------

def test_end_readings_equal_alliance_spans():
    spans = data.load_alliance_spans()
    readings = tq.end_readings(spans, data.load_quantities(), data.load_treaties())
    expected = spans[spans["dyad"] == "PRC-USSR"]
    assert list(readings["end_text"][:len(expected)]) == list(expected["end"])
    assert list(readings["start_text"][:len(expected)]) == list(expected["start"])
    working = readings.iloc[-1]
    assert "INF" in working["note"]


def test_article6_arithmetic_agrees_with_the_data():
    table = tq.article6_dates(data.load_treaties(), data.load_quantities(), data.load_events())
    assert list(table["agrees"][1:]) == ["yes", "yes"]


# -- widget -----------------------------------------------------------------

def test_widget_shows_the_events_of_the_chosen_phase(events, terms):
    timeline = pq.timeline_events(events, pq.EXPLORER_YEARS)
    explorer = PhaseExplorer(timeline, terms)
    korea = ph.PHASES[ph.PHASE_IDS.index("korea")]
    lo, hi = pd.Timestamp(korea.start), pd.Timestamp(korea.end)
    expected = [r.event_id for r in timeline.itertuples() if r.start <= hi and r.end >= lo]
    explorer.dropdown.value = "korea"          # runs the callback
    html = explorer.events.value
    listed = [part.split('"')[0] for part in html.split('data-event="')[1:]]
    assert listed == expected
    assert "E024" in listed and "E016" not in listed
    assert korea.label in html
    explorer.dropdown.value = ph.ALL
    assert explorer.events.value.count("data-event=") == len(timeline)


def test_show_returns_and_lists_the_same_rows(events, terms):
    timeline = pq.timeline_events(events, pq.EXPLORER_YEARS)
    explorer = PhaseExplorer(timeline, terms)
    rows = explorer.show("partnership")
    assert explorer.events.value == events_html(rows, "partnership")
    assert "E127" in set(rows["event_id"])  # the 2001 treaty
    with pytest.raises(ValueError):
        explorer.show("no such phase")
