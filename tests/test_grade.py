"""The exercise checkers, the student release and the grader (run for real on fixtures)."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import altair as alt
import nbformat
import pytest

from alliances import data, triangle
from alliances.exercises import (EXERCISES, is_answer, is_check, is_solution, is_written,
                                 question_of, stub_for)
from alliances.exercises import triangles as ex
from alliances.exercises.release import student_edition

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "grading"
KEY = nbformat.read(str(EXERCISES["triangles"]), as_version=4)


# --- the checkers compute their answers from the data ------------------------

def test_expected_answers_come_from_the_data():
    periods = data.load_triangle_periods().set_index("period_id")
    row = periods.loc["KOR-6"]
    t = triangle.Triangle(row["a"], row["b"], row["c"], row["ab"], row["ac"], row["bc"])
    assert ex.expected_q1() == triangle.pattern(t)
    assert ex.expected_q2() == triangle.role(t, "DPRK")
    events = data.load_events()
    wedge = events[(events["strategy"] == "wedge")
                   & (events["date_date"] >= "1956-01-01") & (events["date_date"] < "1962-01-01")]
    assert ex.expected_q3() == len(wedge) > 0
    order = events[events["event_id"].isin(ex.Q5_EVENTS)].sort_values("date_date")["event_id"]
    assert ex.expected_q5() == list(order)
    assert ex.expected_q5() != sorted(ex.Q5_EVENTS), "id order must not give the answer away"
    assert ex.expected_q6() == events.set_index("event_id").loc["E073", "strategy"]
    treaties = data.load_treaties().set_index("treaty_id")
    assert pd_isna(treaties.loc[ex.expected_q7(), "term_years"])


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_right_answers_print_exactly_correct(capsys):
    chart = alt.Chart(data.load_events()).mark_bar().encode(
        y="strategy:N", x="count()").properties(title="t", description="d")
    answers = {"q1": ex.expected_q1(), "q2": ex.expected_q2().value, "q3": ex.expected_q3(),
               "q4": chart, "q5": ex.expected_q5(), "q6": ex.expected_q6(),
               "q7": ex.expected_q7()}
    for qid, check in ex.CHECKS.items():
        assert check(answers[qid]).correct, qid
    assert capsys.readouterr().out.splitlines() == [f"Q{i}: correct" for i in range(1, 8)]


@pytest.mark.parametrize("qid, wrong, secret", [
    ("q1", "stable marriage", lambda: ex.expected_q1().value),
    ("q2", "wing", lambda: ex.expected_q2().value),
    ("q3", 1, lambda: str(ex.expected_q3())),
    ("q5", ["E064", "E080", "E083", "E086", "E108"], lambda: str(ex.expected_q5())),
    ("q6", "wedge", lambda: ex.expected_q6()),
    ("q7", "T11", lambda: ex.expected_q7()),
])
def test_wrong_answers_get_a_hint_but_not_the_answer(qid, wrong, secret):
    fb = ex.CHECKS[qid](wrong)
    assert not fb.correct
    assert fb.message.startswith(f"{qid.upper()}: not yet — ") and " Hint: " in fb.message
    assert secret() not in fb.message.split(" Hint: ")[0]


def test_checkers_never_raise():
    for check in ex.CHECKS.values():
        for junk in (..., None, object(), "", 3.5, [1, 2], {"a": 1}, float("nan")):
            assert not check(junk).correct


def test_chart_check_reads_the_spec():
    events = data.load_events()
    base = alt.Chart(events).encode(x="strategy:N", y="count()")
    assert not ex.check_q4(base.mark_line().properties(title="t", description="d")).correct
    assert not ex.check_q4(base.mark_bar()).correct  # no title, no description
    assert ex.check_q4(base.mark_bar().properties(title="t", description="d")).correct


def test_shared_answer_readers_take_words_and_say_what_is_off():
    from alliances import triangle
    from alliances.exercises import NotYet, pattern_answer, role_answer, strategy_answer
    assert pattern_answer("  Menage a Trois ") is triangle.Pattern.MENAGE_A_TROIS
    assert pattern_answer(triangle.Pattern.UNIT_VETO) is triangle.Pattern.UNIT_VETO
    assert role_answer("pariah") is triangle.Role.OUTCAST  # Dittmer's word, Wu's role
    assert strategy_answer("Wedge") == "wedge"
    for reader, junk in ((pattern_answer, "triangle"), (role_answer, "ally"), (strategy_answer, "both")):
        with pytest.raises(NotYet):
            reader(junk)
    # a checker turns NotYet into feedback with its own hint
    message = ex.check_q6("both").message
    assert message.startswith("Q6: not yet — answer with one word") and ex.HINT_Q6 in message


# --- the student edition carries no answers ----------------------------------

def test_student_edition_has_stubs_and_no_solutions():
    student = student_edition(KEY)
    solutions = [c.source for c in KEY.cells if is_answer(c)]
    text = "\n".join(c.source for c in student.cells)
    for source in solutions:
        assert source not in text
    assert not any(is_solution(c) for c in student.cells)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    answers = [c for c in student.cells if is_answer(c)]
    assert [c.source for c in answers] == [stub_for(q.qid) for q in ex.QUESTIONS]
    assert student.metadata["alliances"] == {"exercise": "triangles", "edition": "student"}
    key_written = [c.source for c in KEY.cells if is_written(c)]
    assert all(src not in text for src in key_written)


def test_release_command_writes_the_student_edition(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "alliances.exercises.release",
                           str(EXERCISES["triangles"]), str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    written = nbformat.read(str(tmp_path / "triangles_exercises.ipynb"), as_version=4)
    assert written.cells == student_edition(KEY).cells


def test_key_has_one_answer_and_one_check_per_question():
    for q in ex.QUESTIONS:
        assert [question_of(c) for c in KEY.cells if is_answer(c)].count(q.qid) == 1
        checks = [c for c in KEY.cells if is_check(c) and question_of(c) == q.qid]
        assert len(checks) == 1
        text = "".join(o.get("text", "") for o in checks[0].outputs)
        assert text == f"{q.qid.upper()}: correct\n"


# --- the grader, run as a command on the fixture submissions -----------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("grading-out")
    proc = subprocess.run(
        [sys.executable, "-m", "alliances.grade", str(FIXTURES / "submissions"), "--out", str(out),
         "--cell-timeout", "15", "--timeout", "120", "--workers", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_gradebook_equals_the_expected_one(graded):
    expected = (FIXTURES / "expected_gradebook.csv").read_text(encoding="utf-8")
    assert (graded / "gradebook.csv").read_text(encoding="utf-8") == expected


def test_every_submission_has_a_row_and_a_feedback_file(graded):
    subs = sorted(p.name for p in (FIXTURES / "submissions").glob("*.ipynb"))
    with open(graded / "gradebook.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["submission"] for r in rows] == subs
    for name in subs:
        assert (graded / "feedback" / name.replace(".ipynb", ".md")).is_file()


def test_points_follow_the_questions_table(graded):
    with open(graded / "gradebook.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    full = rows["01_correct.ipynb"]
    assert {q.qid: int(full[q.qid]) for q in ex.QUESTIONS} == ex.POINTS
    assert int(full["total"]) == ex.TOTAL_POINTS
    # editing the check cells changes nothing
    edited, partly = rows["11_edited_check.ipynb"], rows["02_partly_correct.ipynb"]
    assert [edited[q.qid] for q in ex.QUESTIONS] == [partly[q.qid] for q in ex.QUESTIONS]


def feedback(graded, name: str) -> str:
    return (graded / "feedback" / f"{name}.md").read_text(encoding="utf-8")


def test_feedback_carries_the_checks_messages(graded):
    text = feedback(graded, "02_partly_correct")
    assert "Q1: correct" in text
    assert "Q3: not yet — your count is too high." in text
    assert "Q4: not yet — the chart's mark is 'point'" in text
    assert "Q7: not yet — that treaty has a fixed term." in text
    assert ex.expected_q7() not in text.split("## Written")[0].replace("Q7", "")
    assert "Total: 2 of 10 points" in text
    assert "their patrons" not in text  # the written answer is the student's own
    assert "Both patrons were rivals by then" in text


def test_feedback_explains_what_went_wrong(graded):
    assert "Q3: not graded: your answer cell ran over the time limit" in feedback(
        graded, "08_infinite_loop")
    assert "Q2: your answer cell raised an error (ValueError" in feedback(graded, "07_exception")
    assert "no answer cell tagged q3" in feedback(graded, "06_missing_answer_cell")
    assert "ran out of memory" in feedback(graded, "13_memory_hog")
    assert "Status: invalid JSON" in feedback(graded, "04_malformed_json")
    assert "Q1: not yet — there is no answer yet" in feedback(graded, "03_blank")


def test_written_answers_are_collected(graded):
    with open(graded / "written.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    mine = [r for r in rows if r["submission"] == "01_correct.ipynb"]
    assert [r["question"] for r in mine] == ["w1"]
    assert mine[0]["answer"].startswith("Both patrons")
