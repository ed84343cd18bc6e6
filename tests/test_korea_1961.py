"""Tests of the chapter "1961: two treaties with North Korea": the treaty
comparer's data, its chart and widget, the tug-of-war timeline and the other
figures, each traced back to the CSV files in ``data/``."""
from __future__ import annotations

import csv
import shutil
import html

import pandas as pd
import pytest

from alliances.charts import korea_1961
from alliances.data import (DataError, load_actor_names, load_actors, load_events, load_explanations,
                            load_quantities, load_treaties, load_treaty_atop, load_triangle_periods)
from alliances.model import vu
from alliances.model.triangle import RELATIONS, Triangle
from alliances.paths import DATA_DIR
from alliances.queries import history
from alliances.queries.treaties import (ATOP, CHAPTER_TREATIES, NO_ATOP, NOT_CODED, PROVISIONS, SILENT,
                                        SOURCES, compare, compare_wide)
from alliances.widgets.treaty_comparer import TreatyComparer, table_html


def raw_rows(filename: str, key: str) -> dict[str, dict[str, str]]:
    """The CSV as written: ``key`` -> row of raw strings."""
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle) if row[key]}


def same_cell(shown: str, raw: str) -> bool:
    """Does a shown value stand for the raw CSV cell (numbers compared as numbers)?"""
    try:
        return float(shown) == float(raw)
    except ValueError:
        return shown == raw


def only_datasets(chart) -> list[pd.DataFrame]:
    return [pd.DataFrame(values) for values in chart.to_dict()["datasets"].values()]


def compared(treaty_ids=CHAPTER_TREATIES) -> pd.DataFrame:
    return compare(load_treaties(), load_treaty_atop(), load_actors(), treaty_ids)


@pytest.fixture(scope="module")
def periods():
    return history.periods(load_triangle_periods())


# --------------------------------------------------------------------------
# compare()
# --------------------------------------------------------------------------

def test_compare_traces_every_cell_to_the_csv_files():
    treaties = raw_rows("treaties.csv", "treaty_id")
    atop = raw_rows("treaty_atop.csv", "treaty_id")
    table = compared()
    assert len(table) == len(CHAPTER_TREATIES) * len(PROVISIONS) * 2
    for row in table.itertuples():
        assert row.treaty == treaties[row.treaty_id]["short_name"]
        if not row.field:
            assert row.value == NOT_CODED and row.raw is None
            continue
        if row.reading == SOURCES:
            assert row.file == "treaties.csv"
            raw = treaties[row.treaty_id][row.field]
            if raw == "":
                assert row.raw is None and row.value == SILENT, row
            else:
                assert same_cell(str(row.raw), raw) and raw.split(".")[0] in row.value, row
        else:
            assert row.file == "treaty_atop.csv" and row.reading == ATOP
            if row.treaty_id not in atop:
                assert row.value == NO_ATOP and pd.isna(row.atopid)
                continue
            assert row.atopid == int(atop[row.treaty_id]["atopid"])
            raw = atop[row.treaty_id][row.field]
            if raw == "":
                assert row.raw is None and row.value.startswith("empty"), row
            else:
                assert same_cell(str(row.raw), raw), row


def test_compare_keeps_the_order_asked_for_and_rejects_unknown_ids():
    table = compared(["T12", "T4"])
    assert list(dict.fromkeys(table["treaty_id"])) == ["T12", "T4"]
    with pytest.raises(KeyError):
        compared(["T4", "T999"])


def test_compare_shows_the_difference_the_chapter_discusses():
    """The 1961 treaties: weak escape clause (T12) but ATOP codes no conditions."""
    atop = raw_rows("treaty_atop.csv", "treaty_id")
    treaties = raw_rows("treaties.csv", "treaty_id")
    wide = compare_wide(compared(["T4", "T12"]))
    assert wide.loc["Escape clause / conditional defence", "T12 · sources"] == treaties["T12"]["escape_clause"]
    conditio = int(atop["T12"]["conditio"])
    assert wide.loc["Any obligation conditional", f"T12 · ATOP {atop['T12']['atopid']}"] == \
        f"{'yes' if conditio else 'no'} ({conditio})"
    assert wide.loc["Territory defined", "T4 · sources"] == treaties["T4"]["territory_defined"]


# --------------------------------------------------------------------------
# The kernel-free comparer chart
# --------------------------------------------------------------------------

def test_comparer_chart_dataset_is_compare_output():
    table = compared()
    chart = korea_1961.comparer_chart(table)
    datasets = only_datasets(chart)
    assert len(datasets) == 1
    shown = datasets[0]
    expected = table[table["field"] != ""]
    columns = ["concept", "treaty_id", "reading", "file", "field", "value"]
    assert shown[columns].to_dict("records") == expected[columns].to_dict("records")


def test_comparer_chart_selects_offer_the_chapter_treaties():
    spec = korea_1961.comparer_chart(compared()).to_dict()
    names = dict(zip(load_treaties()["treaty_id"], load_treaties()["short_name"]))
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"treaty1", "treaty2"}
    for p in params.values():
        assert p["bind"]["options"] == list(CHAPTER_TREATIES)
        assert p["bind"]["labels"] == [names[t] for t in CHAPTER_TREATIES]
    assert spec["title"]["text"] and spec["description"]


def test_comparer_rows_do_not_overlap():
    data = korea_1961.comparer_data(compared())
    rows = data.drop_duplicates("row").sort_values("row")
    bottoms = rows["y"] + rows["row_lines"] * korea_1961.LINE
    assert (rows["y"].iloc[1:].to_numpy() >= bottoms.iloc[:-1].to_numpy()).all()


# --------------------------------------------------------------------------
# The live widget
# --------------------------------------------------------------------------

def test_widget_callback_builds_the_table_for_the_chosen_treaties():
    table = compared()
    comparer = TreatyComparer(table, chosen=("T11", "T12"))
    page = comparer.show(["T4", "T12"])
    assert page == table_html(table, ["T4", "T12"])
    names = dict(zip(load_treaties()["treaty_id"], load_treaties()["short_name"]))
    assert html.escape(names["T4"]) in page and html.escape(names["T12"]) in page
    assert html.escape(names["T11"]) not in page
    for value in compared(["T4", "T12"])["value"]:
        assert html.escape(value) in page


def test_widget_redraws_when_the_selection_changes():
    table = compared()
    comparer = TreatyComparer(table, chosen=("T11", "T12"))
    comparer.select.value = ("T2",)
    assert comparer.table.value == table_html(table, ["T2"])
    assert comparer.select.description


# --------------------------------------------------------------------------
# The timeline and the other figures
# --------------------------------------------------------------------------

def test_timeline_data_are_the_events_rows():
    events = raw_rows("events.csv", "event_id")
    wanted = {eid: row for eid, row in events.items()
              if "KOR" in [c.strip() for c in row["triangles"].split(";")]
              and row["date"] and 1956 <= int(row["date"][:4]) <= 1961}
    chart = korea_1961.timeline_chart(load_events())
    (data,) = only_datasets(chart)
    assert sorted(data["event_id"]) == sorted(wanted)
    for row in data.itertuples():
        assert row.strategy_label == (wanted[row.event_id]["strategy"] or "other")
        assert row.title == wanted[row.event_id]["title"]
        assert row.source == wanted[row.event_id]["source"]
    assert list(data["span_start"]) == sorted(data["span_start"])


def test_timeline_strategies_differ_by_shape_and_colour():
    spec = korea_1961.timeline_chart(load_events()).to_dict()
    points = spec["layer"][1]["encoding"]
    assert points["shape"]["scale"]["domain"] == points["color"]["scale"]["domain"]
    present = set(korea_1961.timeline_data(load_events())["strategy_label"])
    assert set(points["shape"]["scale"]["domain"]) == present
    assert len(set(points["shape"]["scale"]["range"])) == len(present)
    assert len(set(points["color"]["scale"]["range"])) == len(present)
    assert spec["description"].startswith("Timeline of")


def test_cpva_chart_uses_the_withdrawal_quantities():
    quantities = raw_rows("quantities.csv", "quantity_id")
    wanted = {q for q, r in quantities.items() if r["topic"] == "CPVA withdrawal" and r["unit"] == "persons"}
    (data,) = only_datasets(korea_1961.cpva_chart(load_quantities()))
    assert set(data["quantity_id"]) == wanted
    for row in data.itertuples():
        assert row.value == float(quantities[row.quantity_id]["value"])


def test_period_readings_apply_vu_model_and_keep_source_label(periods):
    table = korea_1961.period_readings(periods)
    periods = load_triangle_periods().set_index("period_id")
    assert set(table["triangle_id"]) == {"KOR", "VN"}
    for row in table.itertuples():
        p = periods.loc[row.period_id]
        sides = [p["ab"], p["ac"], p["bc"]]
        if all(isinstance(s, str) and s in RELATIONS for s in sides):
            t = Triangle(p["a"], p["b"], p["c"], *sides)
            assert row.model == vu.sum_type(t).value
        else:
            assert row.model == korea_1961.NO_READING
        label = p["source_label"]
        assert row.source_label_text == (label if isinstance(label, str) else korea_1961.NO_LABEL)


def test_period_diagrams_describe_each_period(periods):
    names = load_actor_names()
    chart = korea_1961.period_diagrams(periods, ["KOR-4", "VN-2"], names)
    for pid in ("KOR-4", "VN-2"):
        assert pid in chart.description
    reading = history.period_reading(history.period_row(periods, "VN-2"))
    assert (reading.source_label or korea_1961.NO_LABEL) in chart.description
    assert names["DPRK"] in chart.description  # actors named as actors.csv names them


def test_explanations_file_and_chart():
    explanations = load_explanations()
    with open(DATA_DIR / "explanations.csv", newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    assert explanations["evidence_id"].tolist() == [r["evidence_id"] for r in raw]
    chart = korea_1961.explanations_chart(explanations)
    datasets = only_datasets(chart)
    rows = max(datasets, key=len)
    assert rows["evidence_id"].tolist() == [r["evidence_id"] for r in raw]
    # Every explanation meets evidence against it as well as for it.
    for _, group in explanations.groupby("explanation_id"):
        assert (group["verdict"] == "supports").any() and (group["verdict"] != "supports").any()
    assert chart.to_dict()["params"][0]["bind"]["options"] == list(dict.fromkeys(explanations["explanation_id"]))


def test_load_explanations_reports_a_bad_row(tmp_path):
    with open(DATA_DIR / "explanations.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["verdict"] = "proves"
    rows[2]["source"] = "a claim with no citation"
    for name in ("actors.csv", "treaties.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    with open(tmp_path / "explanations.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError) as err:
        load_explanations(tmp_path)
    assert "row 3, column 'verdict'" in str(err.value)
    assert "row 4, column 'source'" in str(err.value)
