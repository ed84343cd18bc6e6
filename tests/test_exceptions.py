"""Tests for the chapter "Exceptions that prove the rule": the decision-rule
explorer, its live widget and the alliance timeline.

Expected values are recomputed from the raw CSV files (read with ``csv``, not
through the loaders) and from :mod:`alliances.two_criteria`, so a change in
the data, the model or the chart code that breaks their agreement fails here.
"""
from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from alliances import data
from alliances.charts import exceptions as ex
from alliances.model import two_criteria
from alliances.paths import DATA_DIR
from alliances.queries import cases
from alliances.widgets.decision_rule import DecisionRuleExplorer, verdict_html

CHOOSERS = {"PRC", "DRV", "VNM"}


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def table():
    return cases.case_table(data.load_alignment_cases(), data.load_actor_names())


@pytest.fixture(scope="module")
def states(table):
    return cases.rule_states(table)


def _datasets(chart):
    return chart.to_dict()["datasets"].values()


def _list_records(chart):
    """Records of the explorer's case list (long form) inside a chart spec."""
    for records in _datasets(chart):
        if records and "column" in records[0]:
            return records
    raise AssertionError("no case-list data in the chart")


def test_case_list_equals_csv(table, states):
    csv_ids = [r["case_id"] for r in _rows("alignment_cases.csv")]
    assert list(table["case_id"]) == csv_ids
    records = _list_records(ex.explorer_chart(table, states))
    assert list(dict.fromkeys(r["case_id"] for r in records)) == csv_ids


def test_every_prediction_in_the_explorer_equals_the_model(table, states):
    records = _list_records(ex.explorer_chart(table, states))
    predicted = {r["case_id"]: r["text"] for r in records if r["column"] == "Rule predicts"}
    reported = {r["case_id"]: r["text"] for r in records if r["column"] == "Op-ed reports"}
    for row in _rows("alignment_cases.csv"):
        verdict = two_criteria.predict_alliance(row["shared_security"], row["shared_ideology"])
        assert predicted[row["case_id"]] == cases.VERDICT_LABEL[verdict], row["case_id"]
        assert reported[row["case_id"]] == cases.OUTCOME_LABEL[row["allied"]], row["case_id"]


def test_the_nine_states_come_from_the_model(table, states):
    chart_states = next(recs for recs in _datasets(ex.explorer_chart(table, states))
                        if recs and "explanation" in recs[0])
    assert len(chart_states) == len(cases.CRITERIA) ** 2
    rows = _rows("alignment_cases.csv")
    for state in chart_states:
        s, i = state["shared_security"], state["shared_ideology"]
        assert state["predicted"] == two_criteria.predict_alliance(s, i)
        assert state["explanation"] == two_criteria.explain(s, i)
        expected = [r["case_id"] for r in rows if r["shared_security"] == s and r["shared_ideology"] == i]
        assert state["n_cases"] == len(expected)
        assert state["cases"] == ", ".join(expected)


def test_contradictions_are_where_prediction_and_outcome_differ(table):
    expected = [r["case_id"] for r in _rows("alignment_cases.csv")
                if (v := two_criteria.predict_alliance(r["shared_security"], r["shared_ideology"])) != "undecided"
                and v != r["allied"]]
    assert list(table.loc[table["check_label"] == "rule contradicted", "case_id"]) == expected
    assert expected, "the op-ed's own coding strains its rule somewhere (O12); the chapter discusses it"


def _expected_spans():
    return [r for r in _rows("alliance_spans.csv") if CHOOSERS & set(r["dyad"].split("-"))]


@pytest.fixture(scope="module")
def gantt():
    present = data.load_events()["date_date"].max()
    return ex.gantt_data(data.load_alliance_spans(), data.load_actor_names(), present, PRESENTS)


#: Each source's present (source_documents.csv): a span "still in force" is dated to it.
PRESENTS = dict(zip(data.load_source_documents()["source_id"], data.load_source_documents()["present"]))


def _in_force(row) -> str:
    present = PRESENTS.get(row["reading"])
    return (f"from {row['start']}, still in force at its source's present ({present})" if present
            else f"from {row['start']}, in effect in the coding")


def test_gantt_data_equals_alliance_spans(gantt):
    expected = _expected_spans()
    assert set(gantt["span_id"]) == {r["span_id"] for r in expected}
    by_id = gantt.drop_duplicates("span_id").set_index("span_id")
    for row in expected:
        got = by_id.loc[row["span_id"]]
        for column in ("dyad", "reading", "start", "basis"):
            assert got[column] == row[column], (row["span_id"], column)
        assert (pd.isna(got["end"]) and row["end"] == "") or got["end"] == row["end"], row["span_id"]
        assert got["end_status"] == row["end_status"], row["span_id"]
        assert bool(got["open"]) == (row["end_status"] == "in force"), row["span_id"]
        assert bool(got["unstated"]) == (row["end_status"] == "not stated"), row["span_id"]


def test_vu_dates_the_vietnamese_alliances_without_an_end(gantt):
    """Vu's readings of North Vietnam's alliances are on the timeline, with no end invented."""
    vu_vietnam = [r for r in _expected_spans() if r["reading"] == "003" and "DRV" in r["dyad"].split("-")]
    assert vu_vietnam, "Vu dates the 1964 and 1965 commitments to Hanoi"
    for row in vu_vietnam:
        assert row["end"] == "" and row["end_status"] == "not stated", row["span_id"]
        assert row["span_id"] in set(gantt.loc[gantt["side"].str.startswith("Vietnam"), "span_id"])


def test_each_bar_ends_where_its_reading_says(gantt):
    present = data.load_events()["date_date"].max()
    raw = {r["span_id"]: r for r in _expected_spans()}
    for bar in gantt.itertuples():
        row = raw[bar.span_id]
        start = pd.Timestamp(row["start"] + {4: "-01-01", 7: "-01", 10: ""}[len(row["start"])])
        if row["end_status"] == "stated":
            assert bar.draw_end.year == int(row["end"][:4]), bar.span_id
            assert bar.span_text == f"{row['start']} to {row['end']}"
        elif row["end_status"] == "in force":
            assert bar.draw_end == present, bar.span_id
            assert bar.span_text == _in_force(row)
            assert "today" not in bar.span_text
        else:  # not stated: a fade of fixed length, never reaching "in force"
            assert bar.draw_end == min(start + ex.UNSTATED_RUN, present), bar.span_id
            assert start < bar.draw_end
            assert ex.UNSTATED_LABEL in bar.span_text and "in force" not in bar.span_text
            assert ex.UNSTATED_LABEL in bar.bar_label


def test_describe_gantt_says_which_ends_the_sources_do_not_state(gantt):
    markers = ex.treaty_markers(data.load_treaties(), gantt, data.load_actor_names())
    lines = ex.describe_gantt(gantt, markers).splitlines()
    raw = {r["span_id"]: r for r in _expected_spans()}
    for bar in gantt.itertuples():
        row = raw[bar.span_id]
        expected = {"stated": f"{row['start']} to {row['end']}",
                    "in force": _in_force(row),
                    "not stated": f"from {row['start']}, end not stated by the source"}[row["end_status"]]
        (line,) = [l for l in lines if l.startswith(f"- {bar.dyad_label}:")]
        assert f"{bar.reading_label} {expected} ({row['basis']})" in line, (bar.span_id, line)
    assert any(ex.UNSTATED_LABEL in l and "fade" in l for l in lines if not l.startswith("- "))
    # Without such spans the note on fading bars goes away.
    known = gantt[~gantt["unstated"]]
    assert "fade" not in ex.describe_gantt(known, markers)


def test_gantt_puts_each_span_on_its_choosers_side(gantt):
    sides = dict(ex.SIDES)
    expected = {(r["span_id"], side) for r in _expected_spans()
                for side, choosers in sides.items() if set(choosers) & set(r["dyad"].split("-"))}
    assert set(zip(gantt["span_id"], gantt["side"])) == expected


def test_gantt_chart_draws_every_span_once_per_side(gantt):
    markers = ex.treaty_markers(data.load_treaties(), gantt, data.load_actor_names())
    chart = ex.alliance_gantt(gantt, markers)
    drawn = [(r["span_id"], r["start"]) for recs in _datasets(chart) for r in recs if "span_id" in r]
    assert sorted(drawn) == sorted(zip(gantt["span_id"], gantt["start"]))
    assert chart.to_dict()["description"]


def test_gantt_draws_unstated_ends_as_fades_and_the_rest_as_before(gantt):
    """Render the chart: a span with no stated end is a bar whose fill fades from
    its reading's colour; every other bar is filled with its reading's colour."""
    vl_convert = pytest.importorskip("vl_convert")
    markers = ex.treaty_markers(data.load_treaties(), gantt, data.load_actor_names())
    svg = vl_convert.vegalite_to_svg(ex.alliance_gantt(gantt, markers).to_json())
    gradients = dict(re.findall(r'<linearGradient id="([^"]+)"[^>]*><stop offset="0" stop-color="([^"]+)"', svg))
    bars = re.findall(r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"[^>]*'
                      r'fill="([^"]+)"', svg)
    colour = dict(zip(ex.READING_LABEL.values(), ex.READING_COLOUR))
    for bar in gantt.itertuples():
        (fill,) = [f for label, f in bars
                   if f"alliance: {bar.dyad_label};" in label and f"reading: {bar.reading_label};" in label
                   and f"dates: {bar.span_text};" in label]
        if bar.unstated:
            gradient = re.fullmatch(r"url\(#(.+)\)", fill).group(1)
            assert gradients[gradient] == colour[bar.reading_label], bar.span_id
        else:
            assert fill == colour[bar.reading_label], bar.span_id
    assert ex.UNSTATED_LABEL in svg  # the legend entry
    assert "fades out" in ex.alliance_gantt(gantt, markers).to_dict()["description"]


def test_treaty_markers_sit_on_rows_of_their_parties(gantt):
    markers = ex.treaty_markers(data.load_treaties(), gantt, data.load_actor_names())
    treaties = {r["treaty_id"]: r for r in _rows("treaties.csv")}
    rows = set(zip(gantt["side"], gantt["dyad"]))
    for m in markers.itertuples():
        assert m.dyad == "-".join(sorted(treaties[m.treaty_id]["parties"].split(";")))
        assert (m.side, m.dyad) in rows
        assert m.signed == treaties[m.treaty_id]["signed"]


@pytest.mark.parametrize("security", cases.CRITERIA)
@pytest.mark.parametrize("ideology", cases.CRITERIA)
def test_widget_callback_shows_the_cases_of_a_state(table, security, ideology):
    explorer = DecisionRuleExplorer(table)
    explorer.security.value = security
    explorer.ideology.value = ideology
    expected = [r["case_id"] for r in _rows("alignment_cases.csv")
                if r["shared_security"] == security and r["shared_ideology"] == ideology]
    assert list(explorer.chosen["case_id"]) == expected
    verdict = cases.VERDICT_LABEL[two_criteria.predict_alliance(security, ideology)]
    assert f"The rule predicts: {verdict}." in explorer.verdict.value
    for case_id in expected:
        assert case_id in explorer.verdict.value


def test_widget_flags_o12(table):
    explorer = DecisionRuleExplorer(table)
    chosen = explorer.update("unclear", "no")
    assert "contradicts the rule in: O12" in verdict_html("unclear", "no", chosen)
    assert "contradicts" not in verdict_html("yes", "yes", explorer.update("yes", "yes"))


def test_dispute_table_gives_both_readings_in_full():
    from alliances.charts.reading import dispute_table
    disputes = data.load_disputes().set_index("dispute_id")
    rows = {r["dispute_id"]: r for r in _rows("disputes.csv")}
    shown = dispute_table(disputes, ["I-2", "ATOP-3"])
    assert [row[0] for row in shown.rows] == ["I-2", "ATOP-3"]
    text = "\n".join(cell for row in shown.rows for cell in row)
    for dispute_id in ("I-2", "ATOP-3"):
        for column in ("reading_a", "reading_b", "comment"):
            assert rows[dispute_id][column] in text
