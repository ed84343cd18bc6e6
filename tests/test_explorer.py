"""Tests for the triangle chapter's package code: diagrams, history, the
kernel-free explorer and history player, and the live widgets.

Every expected value is computed by the models (alliances.model.triangle,
alliances.model.vu) and the queries (alliances.queries.history) or read from
data/, never copied from output.
"""
from __future__ import annotations

import html
import json

import pandas as pd
import pytest

from alliances import data
from alliances.charts import triangle as charts
from alliances.charts import triangle_explorer as explorer
from alliances.data.vocabulary import PERIOD_TRIANGLES, VU_TRIANGLES
from alliances.model import triangle as tri
from alliances.model import vu
from alliances.model.presets import DEFAULT, PRESETS, preset_triangle
from alliances.model.triangle import SIDE_NAMES
from alliances.queries import history
from alliances.queries.states import explorer_states
from alliances.widgets.triangles import HistoryPlayer, TriangleExplorer

NAMES = data.load_actor_names()
PERIODS = history.periods(data.load_triangle_periods())
EVENTS = data.load_events()
TREATIES = data.load_treaties()


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def datasets_with(spec: dict, *columns: str) -> list[list[dict]]:
    """The inline datasets of a spec whose rows hold all ``columns``."""
    return [rows for rows in spec["datasets"].values()
            if rows and all(c in rows[0] for c in columns)]


def collect(spec, key):
    """Every value stored under ``key`` anywhere in a nested spec."""
    out = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                out.append(v)
            out += collect(v, key)
    elif isinstance(spec, list):
        for v in spec:
            out += collect(v, key)
    return out


# --------------------------------------------------------------------------
# diagrams
# --------------------------------------------------------------------------

@pytest.mark.parametrize("signs", tri.all_sign_patterns())
def test_triangle_diagram_description_and_roles(signs):
    t = tri.Triangle("PRC", "USSR", "DPRK", *signs)
    spec = charts.triangle_diagram(t).to_dict()
    assert spec["description"] == tri.read(t).describe()
    nodes = datasets_with(spec, "actor", "role")[0]
    assert {n["actor"]: n["role"] for n in nodes} == {x: r.value for x, r in tri.roles(t).items()}
    edges = datasets_with(spec, "side", "relation")[0]
    assert {e["side"]: e["relation"] for e in edges} == {"ab": t.ab, "ac": t.ac, "bc": t.bc}


def test_amity_and_enmity_differ_in_dash_not_only_colour():
    spec = charts.triangle_diagram(tri.Triangle("A", "B", "C", "amity", "enmity", "enmity")).to_dict()
    dash = [s for s in collect(spec, "strokeDash") if isinstance(s, dict) and "scale" in s][0]["scale"]
    styles = dict(zip(dash["domain"], map(tuple, dash["range"])))
    assert styles["amity"] != styles["enmity"]
    assert len({styles["mixed"], styles["amity"], styles["enmity"]}) == 3


def test_sides_diagram_marks_unknown_sides():
    chart = charts.sides_diagram(("PRC", "USSR", "DPRK"), {"ab": None, "ac": "mixed", "bc": "amity"})
    spec = chart.to_dict()
    edges = datasets_with(spec, "side", "relation")[0]
    assert {e["side"]: e["relation"] for e in edges} == {"ab": charts.UNKNOWN, "ac": "mixed", "bc": "amity"}
    assert all(n["role"] == "" for n in datasets_with(spec, "actor", "role")[0])
    assert "need amity or enmity" in spec["description"]


def test_patterns_chart_titles_name_author():
    spec = charts.patterns_chart().to_dict()
    titles = [panel["title"] for row in spec["vconcat"] for panel in row["hconcat"]]
    assert titles == [f"{p.value} ({tri.PATTERN_AUTHOR[p]})" for p in tri.Pattern]
    assert "Wu 1996" in titles[-1] and all("Dittmer 1981" in t for t in titles[:3])


def test_role_ranking_matches_model():
    table = charts.role_table()
    assert list(table["role"]) == [r.value for r in tri.ROLE_RANKING]
    for row in table.itertuples():
        # rebuild a triangle in which the role occurs and recompute the score
        hits = [(t, x) for signs in tri.all_sign_patterns()
                for t in [tri.Triangle("A", "B", "C", *signs)]
                for x in t.actors if tri.role(t, x).value == row.role]
        assert hits and {tri.role_score(t, x) for t, x in hits} == {row.score}
    spec = charts.role_ranking_chart().to_dict()
    assert "this book" in json.dumps(spec).lower()


def test_diagrams_name_the_actors_as_actors_csv_does():
    t = tri.Triangle("PRC", "USSR", "DPRK", "enmity", "amity", "amity")
    spec = charts.triangle_diagram(t, names=NAMES).to_dict()
    nodes = datasets_with(spec, "actor", "name")[0]
    assert {n["actor"]: n["name"] for n in nodes} == {x: NAMES[x] for x in t.actors}
    generic = charts.triangle_diagram(tri.Triangle("A", "B", "C", "amity", "amity", "amity")).to_dict()
    assert {n["name"] for n in datasets_with(generic, "actor", "name")[0]} == {"A", "B", "C"}


def test_pattern_examples_state_balance_from_the_model():
    for row in charts.pattern_examples().itertuples():
        t = tri.Triangle("A", "B", "C", row.ab, row.ac, row.bc)
        assert row.pattern == tri.pattern(t).value and row.balanced == tri.is_balanced(t)


# --------------------------------------------------------------------------
# history
# --------------------------------------------------------------------------

def test_period_triangle_and_reading_follow_the_model():
    for _, row in PERIODS.iterrows():
        sides = [row[s] for s in ("ab", "ac", "bc")]
        t = history.period_triangle(row)
        r = history.period_reading(row)
        if all(isinstance(v, str) and v in tri.RELATIONS for v in sides):
            assert t == tri.Triangle(row["a"], row["b"], row["c"], *sides)
            assert r.reading == tri.read(t)
            assert r.description == tri.read(t).describe()
            assert r.vu_type == (vu.sum_type(t) if row["triangle_id"] in VU_TRIANGLES else None)
        else:
            assert t is None and r.reading is None and r.vu_type is None
            assert "need amity or enmity" in r.explanation
        label = row["source_label"]
        assert r.source_label == ("" if pd.isna(label) else label)


def test_readings_table_is_the_period_readings():
    table = history.readings(PERIODS)
    assert list(table["period_id"]) == list(PERIODS["period_id"])
    for (_, row), shown in zip(PERIODS.iterrows(), table.itertuples()):
        r = history.period_reading(row)
        assert shown.pattern == (r.reading.pattern.value if r.reading else history.NO_PATTERN)
        assert shown.agreement == r.agreement and shown.description == r.description
        assert shown.vu_sum_type == (r.vu_type.value if r.vu_type else "")


def test_korea_periods_positive_then_zero_sum():
    kor = history.periods(data.load_triangle_periods(), "KOR")
    kinds = {}
    for _, row in kor.iterrows():
        t = history.period_triangle(row)
        if t is None or row["b"] != "USSR":
            continue
        kinds[row["start_date"].year] = vu.sum_type(t)
    early = [k for y, k in kinds.items() if 1948 <= y < 1956]
    late = [k for y, k in kinds.items() if 1956 <= y < 1989]
    assert early and all(k is vu.SumType.POSITIVE for k in early)
    assert late and all(k is vu.SumType.ZERO for k in late)
    # and where Vu gives a label, the model agrees with it
    for _, row in kor.iterrows():
        r = history.period_reading(row)
        if r.source_label and r.vu_type:
            assert r.agreement == "agree"


def test_period_events_match_date_and_triangle_code():
    for pid in ("KOR-6", "KOR-7", "VN-4", "GP-3"):
        row = history.period_row(PERIODS, pid)
        got = history.period_events(row, EVENTS, TREATIES)
        ev = got[got["kind"] == "event"]
        expected = EVENTS[[row["triangle_id"] in data.split_ids(codes)
                           and pd.notna(d) and row["start_date"] <= d <= row["until"]
                           for codes, d in zip(EVENTS["triangles"], EVENTS["date_date"])]]
        assert set(ev["id"]) == set(expected["event_id"])
        assert all(ev["source"].str.len() > 0)
    kor7 = history.period_events(history.period_row(PERIODS, "KOR-7"), EVENTS, TREATIES)
    treaties = TREATIES.set_index("treaty_id")
    signed_1961 = [tid for tid, r in treaties.iterrows()
                   if set(data.split_ids(r["parties"])) <= {"PRC", "USSR", "DPRK"}
                   and str(r["signed"]).startswith("1961-07")]
    assert signed_1961 and set(signed_1961) <= set(kor7.loc[kor7["kind"] == "treaty", "id"])
    assert all(kor7["source"].str.contains('"'))


def test_period_events_need_a_row_of_periods():
    raw = data.load_triangle_periods().iloc[0]
    with pytest.raises(ValueError, match="until"):
        history.period_events(raw, EVENTS, TREATIES)


# --------------------------------------------------------------------------
# the kernel-free explorer
# --------------------------------------------------------------------------

def test_explorer_states_equal_model():
    states = explorer_states()
    assert len(states) == len(PRESETS) * 8 == states["state"].nunique()
    for row in states.itertuples():
        t = preset_triangle(row.preset, row.ab, row.ac, row.bc)
        reading = tri.read(t)
        assert row.pattern == reading.pattern.value
        assert (row.role_a, row.role_b, row.role_c) == tuple(reading.roles[x].value for x in t.actors)
        assert row.balanced == tri.is_balanced(t)
        assert row.sum_type == vu.sum_type(t).value
        assert row.description == reading.describe()
        assert row.predictions == tuple(vu.predict(t))
        assert row.explanation == vu.explain(t)


@pytest.fixture(scope="module")
def explorer_spec():
    return explorer.explorer_chart(NAMES).to_dict()


def test_explorer_spec_params_are_bound(explorer_spec):
    params = {p["name"]: p for p in explorer_spec["params"]}
    preset = params[explorer.PARAM_NAMES["preset"]]["bind"]
    assert preset["input"] == "select" and preset["options"] == [p.key for p in PRESETS]
    for side in ("ab", "ac", "bc"):
        bind = params[explorer.PARAM_NAMES[side]]["bind"]
        assert bind["input"] == "radio" and bind["options"] == list(tri.RELATIONS)
        assert bind["name"] == f"Side {SIDE_NAMES[side]}: "
    filters = [f for f in collect(explorer_spec, "filter") if isinstance(f, str)]
    assert filters and all(name in f for f in filters for name in explorer.PARAM_NAMES.values())


def test_explorer_spec_holds_every_state(explorer_spec):
    states = explorer_states()
    preds = datasets_with(explorer_spec, "state", "rule", "text")[0]
    nodes = datasets_with(explorer_spec, "state", "actor", "role")[0]
    edges = datasets_with(explorer_spec, "state", "side", "relation")[0]
    info = [rows for rows in datasets_with(explorer_spec, "state", "text") if "rule" not in rows[0]][0]
    for row in states.itertuples():
        t = preset_triangle(row.preset, row.ab, row.ac, row.bc)
        model = vu.predict(t)
        got = sorted((p for p in preds if p["state"] == row.state), key=lambda p: p["order"])
        assert [p["text"] for p in got] == [p.text for p in model]
        assert [p["rule"] for p in got] == [p.rule or "-" for p in model]
        assert {n["actor"]: n["role"] for n in nodes if n["state"] == row.state} == \
            {x: r.value for x, r in tri.roles(t).items()}
        assert {e["side"]: e["relation"] for e in edges if e["state"] == row.state} == \
            {"ab": t.ab, "ac": t.ac, "bc": t.bc}
        lines = [i["text"] for i in info if i["state"] == row.state]
        assert any(tri.pattern(t).value in line for line in lines)
        assert any(vu.sum_type(t).value in line for line in lines)
        assert explorer.role_line(t, NAMES) in lines


def test_history_chart_spec_holds_every_period():
    spec = explorer.history_chart(PERIODS, EVENTS, TREATIES, NAMES).to_dict()
    (param,) = spec["params"]
    assert param["name"] == explorer.HISTORY_PARAM
    assert param["bind"]["options"] == list(PERIODS.sort_values(["triangle_id", "order"], key=lambda c: (
        c.map(PERIOD_TRIANGLES.index) if c.name == "triangle_id" else c))["period_id"])
    info = [rows for rows in datasets_with(spec, "period_id", "text")][0]
    for _, row in PERIODS.iterrows():
        r = history.period_reading(row)
        lines = [i["text"] for i in info if i["period_id"] == r.period_id]
        assert lines[0] == f"{r.period_id}: {r.label}"
        if r.reading:
            assert any(r.reading.pattern.value in line for line in lines)
    events = datasets_with(spec, "period_id", "citation")[0]
    kor6 = history.period_events(history.period_row(PERIODS, "KOR-6"), EVENTS, TREATIES)
    shown = [e["title"].split(" ")[0] for e in events if e["period_id"] == "KOR-6"]
    assert shown == list(kor6["id"])
    nodes = datasets_with(spec, "period_id", "actor", "role")[0]
    for _, row in PERIODS.iterrows():
        r = history.period_reading(row)
        roles = {n["actor"]: n["role"] for n in nodes if n["period_id"] == r.period_id}
        assert roles == ({x: role.value for x, role in r.reading.roles.items()} if r.reading
                         else dict.fromkeys(r.actors, ""))


def test_timeline_marks_treaties():
    spec = explorer.timeline_chart(PERIODS, EVENTS, TREATIES).to_dict()
    marks = datasets_with(spec, "treaty_id", "triangle_id")[0]
    signings = history.treaty_signings(PERIODS, EVENTS, TREATIES)
    assert {(m["triangle_id"], m["treaty_id"]) for m in marks} == \
        set(zip(signings["triangle_id"], signings["treaty_id"]))


# --------------------------------------------------------------------------
# live widgets
# --------------------------------------------------------------------------

def test_explorer_widget_callbacks_follow_model():
    e = TriangleExplorer(NAMES, preset="PRC/USSR/DPRK", ab="enmity", ac="amity", bc="amity")
    e.set_side("ab", "amity")
    t = tri.Triangle("PRC", "USSR", "DPRK", "amity", "amity", "amity")
    assert e.state_text == tri.read(t).describe()
    assert e.predictions_text == vu.explain(t)
    assert e.chart.to_dict()["description"] == tri.read(t).describe()
    page = e.view.widget.outputs[-1]["data"]["text/html"]
    assert json.dumps(tri.read(t).describe()) in page
    # the widget event path: clicking a toggle button calls the same method
    e.side_buttons["bc"].value = "enmity"
    t2 = tri.Triangle("PRC", "USSR", "DPRK", "amity", "amity", "enmity")
    assert e.sides["bc"] == "enmity" and e.state_text == tri.read(t2).describe()
    e.set_preset("USSR/PRC/DRV")
    assert e.triangle.actors == ("USSR", "PRC", "DRV")
    assert e.preset_dropdown.value == "USSR/PRC/DRV"
    with pytest.raises(ValueError):
        e.set_side("ab", "neutral")
    with pytest.raises(KeyError):
        e.set_preset("no such preset")


def test_threat_changes_only_the_statement_about_d():
    e = TriangleExplorer(NAMES)
    before = e.state_text
    e.set_threat("rising")
    assert e.predictions_text == vu.explain(e.triangle, "rising")
    assert e.state_text == before
    (r8,) = [p for p in vu.predict(e.triangle, "rising") if p.rule == "R8"]
    assert html.escape(r8.text) in e.text.value
    with pytest.raises(ValueError):
        e.set_threat("huge")


def test_history_player_callbacks():
    h = HistoryPlayer(PERIODS, EVENTS, TREATIES, NAMES, "KOR")
    h.set_step(5)
    kor = PERIODS[PERIODS["triangle_id"] == "KOR"]
    row = kor.iloc[4]
    assert h.state_text == history.period_reading(row).description
    h.set_triangle("VN")
    vn = PERIODS[PERIODS["triangle_id"] == "VN"]
    assert h.step == 1 and h.slider.max == len(vn)
    h.slider.value = 4
    row = vn.iloc[3]
    assert h.period["period_id"] == row["period_id"]
    for eid in history.period_events(row, EVENTS, TREATIES)["id"]:
        assert eid in h.text.value
    assert h.chart.to_dict()["title"].startswith(row["period_id"])
    with pytest.raises(ValueError):
        h.set_step(len(vn) + 1)
    with pytest.raises(KeyError):
        h.set_triangle("KSC")


def test_a_toggle_swaps_in_a_diagram_built_ahead():
    """The explorer builds its preset's eight diagrams once; a toggle only swaps
    one in (how long that takes is for a benchmark, not for this test)."""
    e = TriangleExplorer(NAMES)
    assert (e.preset, *e.sides.values()) == DEFAULT
    opening = e.chart
    e.set_side("ab", "amity")
    toggled = e.chart
    assert toggled is not opening
    e.set_side("ab", "enmity")
    assert e.chart is opening
    e.set_side("ab", "amity")
    assert e.chart is toggled


def test_sides_diagram_keeps_the_callers_description():
    sides = {"ab": "amity", "ac": "enmity", "bc": "amity"}
    own = charts.sides_diagram(("PRC", "USSR", "DPRK"), sides).to_dict()["description"]
    t = tri.Triangle("PRC", "USSR", "DPRK", **sides)
    assert own == tri.read(t).describe()  # the model's text by default
    given = charts.sides_diagram(("PRC", "USSR", "DPRK"), sides, description="caller's text")
    assert given.to_dict()["description"] == "caller's text"
