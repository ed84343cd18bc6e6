"""The checkers of the Sino-Soviet exercises (``book/exercises/sino_soviet_exercises.ipynb``)."""
from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest

from alliances import data, triangle, two_criteria
from alliances.exercises import (is_answer, is_check, is_written, question_of)
from alliances.exercises import sino_soviet as ex

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "book" / "exercises" / "sino_soviet_exercises.ipynb"
KEY = nbformat.read(str(NOTEBOOK), as_version=4)


def _triangle(period_id: str) -> triangle.Triangle:
    row = data.load_triangle_periods().set_index("period_id").loc[period_id]
    return triangle.Triangle(row["a"], row["b"], row["c"], row["ab"], row["ac"], row["bc"])


def withdrawal_chart(**props) -> alt.Chart:
    rows = data.load_quantities()
    rows = rows.loc[rows["topic"] == "1960 withdrawal", ["quantity_id", "value", "unit"]]
    props = {"title": "t", "description": "d", **props}
    return alt.Chart(rows).mark_bar().encode(y="unit:N", x="value:Q").properties(
        **{k: v for k, v in props.items() if v is not None})


# --- the expected answers come from the data and the models -----------------

def test_expected_answers_come_from_the_data():
    assert ex.expected_q1() == triangle.pattern(_triangle("GP-3"))
    assert ex.expected_q2() == triangle.role(_triangle("GP-5"), "PRC")
    classified = two_criteria.classify(data.load_alignment_cases())
    wrong = classified[(classified["chooser"] == "PRC") & (classified["rule_fits"] == False)]  # noqa: E712
    assert list(wrong["case_id"]) == [ex.expected_q3()]
    treaty = data.load_treaties().set_index("treaty_id").loc["T2"]
    notice_event = data.load_events().set_index("event_id").loc[ex.Q7_EVENT]
    # the computed deadline is the day the data record for Beijing's notice
    assert ex.expected_q4() == notice_event["date_date"]
    assert ex.expected_q4() < treaty["ended_date"]
    events = data.load_events()
    order = events[events["event_id"].isin(ex.Q6_EVENTS)].sort_values(
        ["date_date", "event_id"], kind="stable")["event_id"]
    assert ex.expected_q6() == list(order)
    assert ex.expected_q6() != sorted(ex.Q6_EVENTS), "id order must not give the answer away"
    assert 1 <= ex.expected_q7() <= 6
    assert ex.expected_q8() == events.set_index("event_id").loc["E085", "strategy"]


# --- every solution passes ---------------------------------------------------

def solutions() -> dict:
    return {"q1": ex.expected_q1().value, "q2": ex.expected_q2(), "q3": ex.expected_q3(),
            "q4": ex.expected_q4().strftime("%Y-%m-%d"), "q5": withdrawal_chart(),
            "q6": ex.expected_q6(), "q7": f"Article {ex.expected_q7()}",
            "q8": ex.expected_q8().upper()}


def test_right_answers_print_exactly_correct(capsys):
    answers = solutions()
    assert set(answers) == set(ex.CHECKS) == {q.qid for q in ex.QUESTIONS}
    for qid, check in ex.CHECKS.items():
        assert check(answers[qid]).correct, qid
    assert capsys.readouterr().out.splitlines() == [f"Q{i}: correct" for i in range(1, 9)]


# --- wrong answers get "not yet" and never see the answer --------------------

def _other_role():
    return next(r.value for r in triangle.Role if r != ex.expected_q2())


def _other_case():
    return next(c for c in ex.q3_cases()["case_id"] if c != ex.expected_q3())


WRONG = [
    ("q1", lambda: next(p.value for p in triangle.Pattern if p != ex.expected_q1()),
     lambda: ex.expected_q1().value),
    ("q2", _other_role, lambda: ex.expected_q2().value),
    ("q3", _other_case, ex.expected_q3),
    ("q3", lambda: "X99", ex.expected_q3),
    ("q4", lambda: ex.expected_q4() + pd.DateOffset(years=1), lambda: f"{ex.expected_q4():%Y-%m-%d}"),
    ("q4", lambda: ex.expected_q4() + pd.DateOffset(days=1), lambda: str(ex.expected_q4().year)),
    ("q4", lambda: 1979, lambda: f"{ex.expected_q4():%Y-%m-%d}"),
    ("q5", lambda: withdrawal_chart(description=None), lambda: "1390"),
    ("q5", lambda: withdrawal_chart().mark_line(), lambda: "1390"),
    ("q5", lambda: alt.Chart(data.load_quantities()).mark_bar().encode(y="unit:N", x="value:Q")
     .properties(title="t", description="d"), lambda: "1390"),
    ("q5", lambda: "a chart", lambda: "1390"),
    ("q6", lambda: sorted(ex.Q6_EVENTS), lambda: str(ex.expected_q6())),
    ("q6", lambda: list(reversed(ex.expected_q6())), lambda: ", ".join(ex.expected_q6())),
    ("q6", lambda: ex.expected_q6()[:5], lambda: ", ".join(ex.expected_q6())),
    ("q7", lambda: ex.expected_q7() % 6 + 1, lambda: str(ex.expected_q7())),
    ("q7", lambda: 9, lambda: str(ex.expected_q7())),
    ("q8", lambda: ({"wedge", "binding"} - {ex.expected_q8()}).pop(), ex.expected_q8),
]


@pytest.mark.parametrize("qid, wrong, secret", WRONG)
def test_wrong_answers_get_a_hint_but_not_the_answer(qid, wrong, secret):
    fb = ex.CHECKS[qid](wrong())
    assert not fb.correct
    assert fb.message.startswith(f"{qid.upper()}: not yet — ") and " Hint: " in fb.message
    # what is off must not give the answer away (the general hint names the options)
    assert secret().lower() not in fb.message.split(" Hint: ")[0].lower()


@pytest.mark.parametrize("qid, invalid", [("q1", "love triangle"), ("q2", "ally"),
                                          ("q8", "restraint"), ("q7", "the last one")])
def test_answers_outside_the_options_are_named_as_such(qid, invalid):
    fb = ex.CHECKS[qid](invalid)
    assert not fb.correct
    assert fb.message.startswith(f"{qid.upper()}: not yet — ") and " Hint: " in fb.message


def test_the_q6_message_does_not_list_the_ids_in_order():
    fb = ex.check_q6(["E001"])
    assert ", ".join(ex.expected_q6()) not in fb.message
    assert all(e in fb.message for e in ex.Q6_EVENTS)


def test_checkers_never_raise():
    for check in ex.CHECKS.values():
        for junk in (..., None, object(), "", 3.5, [1, 2], {"a": 1}, float("nan"), True):
            assert not check(junk).correct


# --- the notebook matches the QUESTIONS table -------------------------------

def test_notebook_tags_match_questions():
    assert KEY.metadata["alliances"]["exercise"] == ex.EXERCISE
    answers = [question_of(c) for c in KEY.cells if is_answer(c)]
    checks = [question_of(c) for c in KEY.cells if is_check(c)]
    qids = [q.qid for q in ex.QUESTIONS]
    assert answers == checks == qids
    for cell in KEY.cells:
        if is_check(cell):
            qid = question_of(cell)
            assert cell.source == f"result_{qid} = check_{qid}(answer_{qid})"
            assert "nbval-check-output" in cell.metadata["tags"]
            assert [o.get("text") for o in cell.outputs] == [f"{qid.upper()}: correct\n"]
    assert [question_of(c) for c in KEY.cells if is_written(c)] == ["w1"]
    assert KEY.cells[1].source == "import alliances\nalliances.setup_notebook()"


def test_headings_announce_the_points():
    text = "\n".join(c.source for c in KEY.cells if c.cell_type == "markdown")
    for q in ex.QUESTIONS:
        n = q.qid[1:]
        unit = "point" if q.points == 1 else "points"
        assert re.search(rf"### Question {n} \({q.points} {unit}\)", text), q.qid
