"""Tests for the exercise notebook of the chapter "Exceptions that prove the rule"
and its checkers (:mod:`alliances.exercises.exceptions`).

For every question: the solution in the instructor source passes, at least one
wrong answer gets ``not yet``, and no feedback contains the expected answer.
Expected values are recomputed here from the raw CSV files (read with ``csv``)
and :mod:`alliances.two_criteria`, not copied from the checker module.
"""
from __future__ import annotations

import csv
import io
from contextlib import redirect_stdout

import altair as alt
import nbformat
import pandas as pd
import pytest

from alliances import two_criteria
from alliances.exercises import (EXERCISES, cell_tags, exercise_of, is_answer, is_check,
                                 question_of)
from alliances.exercises import exceptions as ex
from alliances.paths import DATA_DIR, ROOT

SOURCE = ROOT / "book" / "exercises" / "exceptions_exercises.ipynb"
KEY = nbformat.read(str(SOURCE), as_version=4)


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(check, answer=...):
    """Call a checker, returning its Feedback and what it printed."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        feedback = check(answer)
    return feedback, buffer.getvalue()


# --- expected answers, recomputed from the raw CSV files ----------------------

def raw_q1():
    (row,) = [r for r in _rows("alignment_cases.csv") if r["case_id"] == "O3"]
    return [name for name in ("security", "ideology") if row[f"shared_{name}"] == "no"]


def raw_q2():
    out = []
    for r in _rows("alignment_cases.csv"):
        verdict = two_criteria.predict_alliance(r["shared_security"], r["shared_ideology"])
        if verdict != "undecided" and verdict != r["allied"]:
            out.append(r["case_id"])
    return sorted(out)


def raw_q3():
    ends = {r["reading"]: int(r["end"][:4]) for r in _rows("alliance_spans.csv")
            if r["dyad"] == "PRC-USSR"}
    return ends["004"] - ends["000"]


def raw_q5():
    dates = {r["event_id"]: r["date"] for r in _rows("events.csv") if r["event_id"] in ex.Q5_EVENTS}
    return sorted(dates, key=lambda e: (pd.Timestamp(dates[e]), e))


def raw_q6():
    (row,) = [r for r in _rows("events.csv") if r["event_id"] == "E091"]
    return row["strategy"]


def raw_q7():
    (row,) = [r for r in _rows("treaty_atop.csv") if r["treaty_id"] == "T19"]
    return [c for c in ex.OBLIGATIONS if row[c] == "1"]


def test_expected_answers_agree_with_raw_data():
    assert [ex.expected_q1()] == raw_q1()
    assert ex.expected_q2() == raw_q2() and raw_q2()
    assert ex.expected_q3() == raw_q3() > 0
    assert ex.expected_q5() == raw_q5()
    assert ex.expected_q5() != sorted(ex.Q5_EVENTS)  # the ids' numbering does not give the order
    assert ex.expected_q6() == raw_q6()
    assert [ex.expected_q7()] == raw_q7()


# --- the notebook and the question table ---------------------------------------

def test_registered_and_metadata():
    assert exercise_of(KEY) == ex.EXERCISE == "exceptions"
    assert EXERCISES.get("exceptions") == SOURCE


def test_first_code_cell():
    first = next(c for c in KEY.cells if c.cell_type == "code")
    assert first.source == "import alliances\nalliances.setup_notebook()"


def test_tags_match_questions():
    qids = [q.qid for q in ex.QUESTIONS]
    answers = [question_of(c) for c in KEY.cells if is_answer(c)]
    checks = [question_of(c) for c in KEY.cells if is_check(c)]
    assert answers == qids and checks == qids
    assert set(ex.CHECKS) == set(qids)
    for cell in KEY.cells:
        if is_check(cell):
            assert "nbval-check-output" in cell_tags(cell)
            qid = question_of(cell)
            assert cell.source == f"result_{qid} = check_{qid}(answer_{qid})"
            (out,) = cell.outputs
            assert out["text"] == f"{qid.upper()}: correct\n"
    written = [c for c in KEY.cells if "written" in cell_tags(c)]
    assert len(written) == 1 and "w1" in cell_tags(written[0])
    assert ex.TOTAL_POINTS == sum(q.points for q in ex.QUESTIONS)


def _solutions():
    """Run the instructor source's code cells up to the last answer and return the namespace."""
    namespace: dict = {}
    for cell in KEY.cells:
        if cell.cell_type != "code" or is_check(cell):
            continue
        lines = [ln for ln in cell.source.splitlines() if not ln.startswith("alliances.setup")]
        with redirect_stdout(io.StringIO()):
            exec("\n".join(lines), namespace)
    return namespace


@pytest.fixture(scope="module")
def solutions():
    return _solutions()


@pytest.mark.parametrize("qid", [q.qid for q in ex.QUESTIONS])
def test_solution_passes(solutions, qid):
    feedback, printed = run(ex.CHECKS[qid], solutions[f"answer_{qid}"])
    assert feedback.correct and printed == f"{qid.upper()}: correct\n"


# --- wrong answers -------------------------------------------------------------

def _bad_chart(kind):
    df = two_criteria.classify(ex.data.load_alignment_cases())
    base = alt.Chart(df)
    props = dict(title="t", description="d")
    if kind == "line":
        return base.mark_line().encode(x="predicted:N", y="count():Q",
                                       color="allied:N").properties(**props)
    if kind == "no colour":
        return base.mark_bar().encode(x="predicted:N", y="count():Q").properties(**props)
    if kind == "no description":
        return base.mark_bar().encode(x="predicted:N", y="count():Q",
                                      color="allied:N").properties(title="t")
    if kind == "wrong field":
        return base.mark_bar().encode(x="chooser:N", y="count():Q",
                                      color="allied:N").properties(**props)
    raise ValueError(kind)


def _other_criterion():
    return next(c for c in ("security", "ideology") if c != ex.expected_q1())


def _other_strategy():
    return next(s for s in ("wedge", "binding") if s != ex.expected_q6())


def _other_obligation():
    return next(o for o in ex.OBLIGATIONS if o != ex.expected_q7())


WRONG = {
    "q1": [lambda: _other_criterion(), lambda: "both", lambda: 3],
    "q2": [lambda: ["O1"], lambda: ex.expected_q2() + ["O7a"], lambda: [], lambda: "O12",
           lambda: ["X99"]],
    "q3": [lambda: ex.expected_q3() + 1, lambda: -ex.expected_q3(), lambda: 2.5, lambda: "ten"],
    "q4": [lambda: "a chart", lambda: _bad_chart("line"), lambda: _bad_chart("no colour"),
           lambda: _bad_chart("no description"), lambda: _bad_chart("wrong field")],
    "q5": [lambda: sorted(ex.Q5_EVENTS), lambda: list(reversed(ex.expected_q5())),
           lambda: ex.expected_q5()[:4], lambda: "E091"],
    "q6": [lambda: _other_strategy(), lambda: "restraint"],
    "q7": [lambda: _other_obligation(), lambda: "alliance"],
}


OPTIONS = {"q1": ("security", "ideology"), "q6": ("wedge", "binding"), "q7": ex.OBLIGATIONS}


def _expected_texts(qid):
    """Strings that would give the answer away if they appeared in the feedback."""
    return {
        "q1": [ex.expected_q1()],
        "q2": ex.expected_q2(),
        "q3": [str(ex.expected_q3())],
        "q5": [", ".join(ex.expected_q5()), str(ex.expected_q5()),
               " ".join(ex.expected_q5())],
        "q6": [ex.expected_q6()],
        "q7": [ex.expected_q7()],
    }.get(qid, [])


def _reveals(qid, printed):
    """True if the feedback names the expected answer (listing every option equally is fine)."""
    import re

    text = printed.lower()
    for answer in _expected_texts(qid):
        if not re.search(r"(?<![\w-])" + re.escape(answer.lower()) + r"(?![\w-])", text):
            continue
        if qid in OPTIONS and all(o.lower() in text for o in OPTIONS[qid]):
            continue  # the message lists all the options, not the answer
        return True
    return False


@pytest.mark.parametrize("qid,index", [(q, i) for q, ws in WRONG.items() for i in range(len(ws))])
def test_wrong_answer_not_yet(qid, index):
    feedback, printed = run(ex.CHECKS[qid], WRONG[qid][index]())
    assert not feedback.correct
    assert printed.startswith(f"{qid.upper()}: not yet — ") and "Hint: " in printed
    assert printed.count("\n") == 1
    assert not _reveals(qid, printed), printed


@pytest.mark.parametrize("qid", [q.qid for q in ex.QUESTIONS])
def test_blank_answer(qid):
    feedback, printed = run(ex.CHECKS[qid])
    assert not feedback.correct and "no answer yet" in printed
    assert not _reveals(qid, printed), printed


def test_reveal_detector_can_fail():
    """The detector used above does flag a message that names the answer."""
    assert _reveals("q3", f"Q3: not yet — the answer is {ex.expected_q3()}. Hint: x")
    assert _reveals("q6", f"Q6: not yet — it is {ex.expected_q6()}. Hint: x")
    assert _reveals("q2", f"Q2: not yet — add {ex.expected_q2()[0]}. Hint: x")
