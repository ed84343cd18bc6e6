"""Tests of the korea_1961 exercise: its checkers and its instructor source."""
from __future__ import annotations

import altair as alt
import nbformat
import pandas as pd
import pytest

from alliances import data, triangle, two_criteria, vu
from alliances.exercises import (EXERCISE_DIR, is_answer, is_check, is_solution, is_written,
                                 question_of, stub_for)
from alliances.exercises import korea_1961 as ex
from alliances.exercises.release import student_edition

KEY_PATH = EXERCISE_DIR / "korea_1961_exercises.ipynb"
KEY = nbformat.read(str(KEY_PATH), as_version=4)


def _kor_timeline(years):
    events = data.load_events()
    kor = events["triangles"].map(lambda v: "KOR" in data.split_ids(v))
    return events[kor & events["strategy"].notna() & events["date_date"].dt.year.between(*years)]


def _solution_chart():
    moves = _kor_timeline((1956, 1961))
    return alt.Chart(moves[["event_id", "date_date", "strategy"]]).mark_point().encode(
        x="date_date:T", shape="strategy:N").properties(title="t", description="d")


# --- the checkers compute their answers from the data and the models --------

def test_expected_answers_come_from_the_data():
    periods = data.load_triangle_periods()
    kor = periods[periods["triangle_id"] == "KOR"].sort_values("order")
    first_zero = None
    for _, row in kor.iterrows():
        sides = [row["ab"], row["ac"], row["bc"]]
        if all(s in ("amity", "enmity") for s in sides if isinstance(s, str)) and \
                all(isinstance(s, str) for s in sides):
            t = triangle.Triangle(row["a"], row["b"], row["c"], *sides)
            if vu.sum_type(t) == vu.SumType.ZERO:
                first_zero = row["period_id"]
                break
    assert ex.expected_q1() == first_zero is not None
    # the model's verdict agrees with the source's own label for that period
    assert periods.set_index("period_id").loc[ex.expected_q1(), "source_label"] == "zero-sum"

    o12 = data.load_alignment_cases().set_index("case_id").loc["O12"]
    prediction = two_criteria.predict_alliance(o12["shared_security"], o12["shared_ideology"])
    assert ex.expected_q2() == (prediction, prediction == o12["allied"])

    moves = _kor_timeline((1959, 1961))
    soviet = moves["actors"].map(lambda v: "USSR" in data.split_ids(v))
    assert ex.expected_q3() == int(soviet.sum()) > 0
    assert ex.expected_q3() < len(moves), "some labelled moves are not Soviet"
    assert ex.expected_q4_rows() == len(_kor_timeline((1956, 1961))) > ex.expected_q3()

    events = data.load_events()
    order = events[events["event_id"].isin(ex.Q5_EVENTS)].sort_values("date_date")["event_id"]
    assert ex.expected_q5() == list(order)
    assert ex.expected_q5() != sorted(ex.Q5_EVENTS), "id order must not give the answer away"
    assert ex.expected_q5() != list(ex.Q5_EVENTS), "the listed order must not be the answer"

    assert ex.expected_q6() == events.set_index("event_id").loc["E076", "strategy"]
    assert "USSR" in data.split_ids(events.set_index("event_id").loc["E076", "actors"])

    atop = data.load_treaty_atop()
    conditional = atop[atop["treaty_id"].isin(["T4", "T11", "T12"]) & (atop["conditio"] == 1)]
    assert ex.expected_q7() == set(conditional["treaty_id"]) != set()


def _solutions():
    return {"q1": ex.expected_q1(), "q2": ex.expected_q2(), "q3": ex.expected_q3(),
            "q4": _solution_chart(), "q5": ex.expected_q5(), "q6": ex.expected_q6(),
            "q7": sorted(ex.expected_q7())}


def test_right_answers_print_exactly_correct(capsys):
    answers = _solutions()
    for qid, check in ex.CHECKS.items():
        assert check(answers[qid]).correct, qid
    assert capsys.readouterr().out.splitlines() == [f"Q{i}: correct" for i in range(1, 8)]


def test_other_spellings_of_right_answers_pass():
    assert ex.check_q1(ex.expected_q1().lower()).correct
    prediction, fits = ex.expected_q2()
    assert ex.check_q2([prediction.upper(), str(fits)]).correct
    assert ex.check_q3(float(ex.expected_q3())).correct
    assert ex.check_q6(ex.expected_q6().upper()).correct
    (only,) = ex.expected_q7() if len(ex.expected_q7()) == 1 else (None,)
    if only:
        assert ex.check_q7(only.lower()).correct


def _wrong_q1():
    ids = list(ex.sum_types())
    return ids[ids.index(ex.expected_q1()) - 1]


def _wrong_q2():
    prediction, fits = ex.expected_q2()
    return (prediction, not fits)


def _wrong_q5():
    right = ex.expected_q5()
    return right[1:] + right[:1]


def _wrong_q6():
    return "binding" if ex.expected_q6() == "wedge" else "wedge"


def _wrong_q7():
    return sorted(set(ex.Q7_TREATIES) - ex.expected_q7())


WRONG = {
    "q1": _wrong_q1,
    "q2": _wrong_q2,
    "q3": lambda: ex.expected_q3() + 1,
    "q4": lambda: alt.Chart(_kor_timeline((1956, 1961))).mark_line().encode(
        x="date_date:T", color="strategy:N").properties(title="t", description="d"),
    "q5": _wrong_q5,
    "q6": _wrong_q6,
    "q7": _wrong_q7,
}

SECRETS = {
    "q1": lambda: [ex.expected_q1()],
    "q2": lambda: [repr(ex.expected_q2())],
    "q3": lambda: [str(ex.expected_q3())],
    "q4": lambda: [str(ex.expected_q4_rows())],
    "q5": lambda: [str(ex.expected_q5()), ", ".join(ex.expected_q5())],
    "q6": lambda: [ex.expected_q6()],
    "q7": lambda: sorted(ex.expected_q7()),
}


OPTIONS_IN_HINT = ("q6", "q7")


@pytest.mark.parametrize("qid", [q.qid for q in ex.QUESTIONS])
def test_wrong_answers_get_a_hint_but_not_the_answer(qid):
    fb = ex.CHECKS[qid](WRONG[qid]())
    assert not fb.correct
    assert fb.message.startswith(f"{qid.upper()}: not yet — ") and " Hint: " in fb.message
    what = fb.message.split(" Hint: ")[0]
    # The hints of Q6 and Q7 name every option (both strategies, the three treaty ids) by
    # design; for the other questions not even the hint may hold the answer.
    checked = what if qid in OPTIONS_IN_HINT else fb.message
    for secret in SECRETS[qid]():
        assert secret not in checked, (qid, secret)


def test_feedback_never_names_the_answer_for_any_wrong_answer():
    """Every message a checker can give for a batch of wrong answers hides the answer."""
    batches = {
        "q1": list(ex.sum_types()), "q3": range(0, 15),
        "q6": ["wedge", "binding"], "q7": ["T4", "T11", "T12", ["T11", "T12"]],
    }
    for qid, answers in batches.items():
        for answer in answers:
            fb = ex.CHECKS[qid](answer)
            if not fb.correct:
                checked = (fb.message.split(" Hint: ")[0] if qid in OPTIONS_IN_HINT
                           else fb.message)
                assert not any(s in checked for s in SECRETS[qid]()), (qid, answer)


def test_checkers_never_raise():
    for check in ex.CHECKS.values():
        for junk in (..., None, object(), "", 3.5, [1, 2], {"a": 1}, float("nan"), pd.NA,
                     ("yes", "maybe", 3)):
            assert not check(junk).correct


def test_chart_check_reads_the_spec():
    moves = _kor_timeline((1956, 1961))
    base = alt.Chart(moves).encode(x="date_date:T", color="strategy:N")
    assert ex.check_q4(base.mark_point().properties(title="t", description="d")).correct
    assert ex.check_q4(base.mark_tick().properties(title="t", description="d")).correct
    assert not ex.check_q4(base.mark_bar().properties(title="t", description="d")).correct
    assert not ex.check_q4(base.mark_point()).correct  # no title, no description
    assert not ex.check_q4(base.mark_point().properties(title="t")).correct
    nominal_x = alt.Chart(moves).mark_point().encode(x="date:N", color="strategy:N")
    assert not ex.check_q4(nominal_x.properties(title="t", description="d")).correct
    all_events = alt.Chart(data.load_events()).mark_point().encode(
        x="date_date:T", color="strategy:N").properties(title="t", description="d")
    assert not ex.check_q4(all_events).correct  # not filtered to the KOR moves of 1956-1961


# --- the instructor source ----------------------------------------------------

def test_notebook_tags_match_the_questions_table():
    answer_ids = [question_of(c) for c in KEY.cells if is_answer(c)]
    check_ids = [question_of(c) for c in KEY.cells if is_check(c)]
    assert answer_ids == check_ids == [q.qid for q in ex.QUESTIONS]
    for q in ex.QUESTIONS:
        (check,) = [c for c in KEY.cells if is_check(c) and question_of(c) == q.qid]
        assert "nbval-check-output" in check.metadata["tags"]
        assert check.source == f"result_{q.qid} = check_{q.qid}(answer_{q.qid})"
        text = "".join(o.get("text", "") for o in check.outputs)
        assert text == f"{q.qid.upper()}: correct\n"
        heading = f"### Question {q.qid[1:]} ({q.points} point{'s' if q.points != 1 else ''})"
        assert any(heading in c.source for c in KEY.cells if c.cell_type == "markdown"), heading
    assert [question_of(c) for c in KEY.cells if is_written(c)] == ["w1"]


def test_notebook_metadata_and_first_code_cell():
    assert KEY.metadata["alliances"]["exercise"] == ex.EXERCISE == "korea_1961"
    first = next(c for c in KEY.cells if c.cell_type == "code")
    assert first.source == "import alliances\nalliances.setup_notebook()"
    assert not first.outputs


def test_student_edition_has_stubs_and_no_solutions():
    student = student_edition(KEY)
    text = "\n".join(c.source for c in student.cells)
    for cell in KEY.cells:
        if is_answer(cell) or is_written(cell) or is_solution(cell):
            assert cell.source not in text
    assert not any(is_solution(c) for c in student.cells)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    answers = [c for c in student.cells if is_answer(c)]
    assert [c.source for c in answers] == [stub_for(q.qid) for q in ex.QUESTIONS]
    assert student.metadata["alliances"] == {"exercise": "korea_1961", "edition": "student"}
