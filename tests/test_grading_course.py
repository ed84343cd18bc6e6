"""Grading for a course: the roster, duplicates, hand marks, LMS exports, item analysis,
and an output folder that keeps the instructor's own files. Run for real on a small class."""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "grading"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402

ROSTER = """student_id,name,email,section
s001,"Smith, Alice",alice.smith@uni.example,A
s002,Bob Jones,bob.jones@uni.example,A
s003,Chen Wei,chen.wei@uni.example,B
s004,Dana Ortiz,dana.ortiz@uni.example,B
"""


def write(path: Path, nb) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make_fixtures.text(nb), encoding="utf-8")
    os.utime(path, (make_fixtures.JAN_1, make_fixtures.JAN_1))


def build_class(folder: Path) -> None:
    f = make_fixtures.filled
    write(folder / "smithalice_1234_5678_triangles_exercises.ipynb", f())
    write(folder / "alice.smith@uni.example - sino_soviet.ipynb", f("sino_soviet"))
    write(folder / "bob.jones" / "triangles_exercises.ipynb", f(answers={"q2": 'answer_q2 = "wing"'}))
    write(folder / "s003_triangles.ipynb", f(answers=make_fixtures.WRONG))
    write(folder / "s003_triangles (1).ipynb", f())
    os.utime(folder / "s003_triangles (1).ipynb", (make_fixtures.JAN_2, make_fixtures.JAN_2))
    write(folder / "s003_korea.ipynb", f("korea_1961"))
    write(folder / "mystery.ipynb", f())
    write(folder / "s002_s003_pair.ipynb", f())


def run(subs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliances.grading", str(subs), "--out", str(out),
                           "--roster", str(subs.parent / "roster.csv"), "--workers", "2", *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def run_here(subs: Path, out: Path, *extra: str, roster: Path | None = None
             ) -> subprocess.CompletedProcess:
    """The same command in this process, for runs that stop before grading anything (a bad
    file, a folder that holds results): no sandbox starts, and the libraries load once."""
    from alliances.grading.__main__ import main

    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [str(subs), "--out", str(out), "--roster", str(roster or subs.parent / "roster.csv"),
            "--workers", "2", *extra]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())


def table(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("course")
    subs = base / "submissions"
    build_class(subs)
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    out = base / "out"
    first = run(subs, out)
    assert first.returncode == 0, first.stdout + first.stderr
    before_marks = {name: (out / name).read_text(encoding="utf-8")
                    for name in ("course.csv", "marks.csv")}
    first_report = (out / "triangles" / "report.html").read_text(encoding="utf-8")
    # the instructor marks a written answer, overrides one question, keeps a note of their own
    marks = (out / "marks.csv").read_text(encoding="utf-8").splitlines()
    alice = "smithalice_1234_5678_triangles_exercises.ipynb"
    marks = [line.replace(f"{alice},s001,triangles,w1,,2,", f"{alice},s001,triangles,w1,2,2,"
                          "Clear and cited.") for line in marks]
    marks.append(f"{alice},s001,triangles,q3,1,2,=counted by hand: one event is outside the years")
    (out / "marks.csv").write_text("\n".join(marks) + "\n", encoding="utf-8")
    edited = (out / "marks.csv").read_bytes()
    (out / "feedback" / "notes-to-self.txt").write_text("check Bob's q2 again\n")
    snapshot = digest(out)
    refused = run_here(subs, out)
    unchanged = digest(out) == snapshot
    forced = run(subs, out, "--force")
    after_force = digest(out)
    again = run(subs, out, "--force")
    return {"base": base, "subs": subs, "out": out, "first": first, "refused": refused,
            "unchanged": unchanged, "forced": forced, "again": again, "edited": edited,
            "after_force": after_force, "after_again": digest(out), "before": before_marks,
            "first_report": first_report}


def test_files_are_matched_to_students_and_the_rest_listed(course):
    report = table(course["out"] / "roster_report.csv")
    assert [(r["file"], r["problem"]) for r in report if r["problem"] == "unmatched"] == [
        ("mystery.ipynb", "unmatched"), ("s002_s003_pair.ipynb", "unmatched")]
    assert "several students: s002, s003" in next(r["detail"] for r in report
                                                 if r["file"] == "s002_s003_pair.ipynb")
    assert [r["student_id"] for r in report if r["problem"] == "no submission"] == ["s004"]
    out = course["first"].stdout
    assert "files matching no student of the roster: 2" in out
    assert "students with no submission: 1" in out and "s004 Dana Ortiz" in out
    book = {r["submission"]: r["student"] for r in table(course["out"] / "gradebook.csv")}
    assert book["smithalice_1234_5678_triangles_exercises.ipynb"] == "s001"
    assert book["alice.smith@uni.example - sino_soviet.ipynb"] == "s001"
    assert book["bob.jones/triangles_exercises.ipynb"] == "s002"
    assert book["mystery.ipynb"] == ""


def test_a_students_later_file_counts_and_the_other_is_flagged(course):
    rows = {r["submission"]: r for r in table(course["out"] / "triangles" / "gradebook.csv")}
    assert rows["s003_triangles.ipynb"]["superseded_by"] == "s003_triangles (1).ipynb"
    assert rows["s003_triangles (1).ipynb"]["superseded_by"] == ""
    s003 = next(r for r in table(course["out"] / "course.csv") if r["student_id"] == "s003")
    assert s003["triangles"] == "10" and s003["files"] == "s003_triangles (1).ipynb; s003_korea.ipynb"


def test_prefer_chooses_the_file_that_counts(course, tmp_path):
    out = tmp_path / "out"
    proc = run(course["subs"], out, "--prefer", "s003_triangles.ipynb")
    assert proc.returncode == 0, proc.stderr
    rows = {r["submission"]: r for r in table(out / "triangles" / "gradebook.csv")}
    assert rows["s003_triangles (1).ipynb"]["superseded_by"] == "s003_triangles.ipynb"
    assert "chosen with --prefer" in next(r["notes"] for r in table(out / "gradebook.csv")
                                          if r["submission"] == "s003_triangles (1).ipynb")


def test_the_course_gradebook_has_a_row_per_student(course):
    header = course["before"]["course.csv"].splitlines()[0]
    assert header == ("student_id,name,email,triangles,sino_soviet,bloc_reactions,korea_1961,"
                      "exceptions,total,possible,files,to_mark,status")
    rows = {r["student_id"]: r for r in table(course["out"] / "course.csv")}
    assert list(rows) == ["s001", "s002", "s003", "s004"]  # the roster's order
    assert rows["s004"]["status"] == ("no submission of triangles, sino_soviet, bloc_reactions, "
                                      "korea_1961, exceptions")
    assert rows["s002"]["triangles"] == "9"


def test_hand_marks_and_overrides_count_and_reach_the_feedback(course):
    assert course["forced"].returncode == 0, course["forced"].stderr
    before = {r["student_id"]: r for r in csv.DictReader(course["before"]["course.csv"].splitlines())}
    after = {r["student_id"]: r for r in table(course["out"] / "course.csv")}
    assert before["s001"]["triangles"] == "10" and before["s001"]["to_mark"] == (
        "triangles w1; sino_soviet w1")
    assert after["s001"]["triangles"] == "11"  # q3 overridden 2 -> 1, w1 marked 2 of 2
    assert after["s001"]["to_mark"] == "sino_soviet w1"
    text = (course["out"] / "feedback" / "smithalice_1234_5678_triangles_exercises.md").read_text()
    assert "Q3: marked by hand (1 of 2). The grader said: Q3: correct" in text
    assert "Instructor: =counted by hand: one event is outside the years" in text
    assert "*Points:* 2 of 2" in text and "*Instructor:* Clear and cited." in text
    rows = {r["submission"]: r for r in table(course["out"] / "triangles" / "gradebook.csv")}
    alice = rows["smithalice_1234_5678_triangles_exercises.ipynb"]
    assert (alice["q3"], alice["w1"], alice["total"], alice["to_mark"]) == ("1", "2", "11", "")


def test_a_rerun_never_changes_the_marks_file_and_keeps_every_mark(course):
    assert (course["out"] / "marks.csv").read_bytes() == course["edited"]
    assert course["after_again"] == course["after_force"]  # a regrade is identical


def test_marks_rows_are_added_for_every_written_answer(course):
    rows = list(csv.DictReader(course["before"]["marks.csv"].splitlines()))
    assert rows[0].keys() == {"submission", "student", "exercise", "question", "points", "max",
                              "comment"}
    assert len(rows) == 8  # every graded notebook has one written question
    assert all(r["points"] == "" and r["max"] == "2" and r["question"] == "w1" for r in rows)


def test_results_are_refused_without_force_and_own_files_kept_with_it(course):
    assert course["refused"].returncode == 2
    assert "already holds results" in course["refused"].stderr and "--force" in course["refused"].stderr
    assert course["unchanged"]
    assert (course["out"] / "feedback" / "notes-to-self.txt").read_text() == "check Bob's q2 again\n"


def test_canvas_export_has_its_layout(course):
    lines = (course["out"] / "lms" / "canvas.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("Student,ID,SIS User ID,SIS Login ID,Section,Exercises: the strategic "
                        "triangle,Exercises: the Sino-Soviet alliance,Exercises: the bloc and the "
                        "US-ROK alliance,Exercises: the 1961 treaties,Exercises: exceptions to "
                        "non-alignment")
    assert lines[1] == "Points Possible,,,,,12,14,15,13,13"
    assert lines[2] == '"Smith, Alice",,s001,alice.smith@uni.example,A,11,12,,,'


def test_moodle_export_has_its_layout(course):
    lines = (course["out"] / "lms" / "moodle.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("First name,Last name,ID number,Institution,Department,Email address,"
                        "Exercises: the strategic triangle,Exercises: the Sino-Soviet alliance,"
                        "Exercises: the bloc and the US-ROK alliance,Exercises: the 1961 treaties,"
                        "Exercises: exceptions to non-alignment")
    assert lines[1] == "Alice,Smith,s001,,,alice.smith@uni.example,11,12,,,"


def test_per_question_export(course):
    lines = (course["out"] / "lms" / "per_question.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "student_id,email,exercise,question,points,possible,marked_by"
    assert "s001,alice.smith@uni.example,triangles,q3,1,2,hand" in lines
    assert "s002,bob.jones@uni.example,triangles,q2,0,1,grader" in lines
    assert "s002,bob.jones@uni.example,triangles,w1,0,2,not marked" in lines


def test_no_csv_cell_reads_as_a_formula(course):
    for path in course["out"].rglob("*.csv"):
        if path.name == "marks.csv":
            continue  # the instructor's own file, as they wrote it
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                assert not any(c.startswith(("=", "+", "-", "@")) for c in row), (path, row)


def test_item_analysis_report_holds_the_class_figures(course):
    html = course["first_report"]
    assert "<script" not in html and html.count("<svg") == 2  # offline, no JavaScript
    # five triangles submissions count (Alice, Bob, Chen's later file and the two files that
    # match no student, which are still the class's work); Bob got q2 wrong
    assert "5 graded submission(s) counted" in html
    assert "<td>q2: North Korea&#x27;s role in period KOR-6</td><td>4 of 5</td><td>80%</td>" in html
    assert "<td>q1: pattern of the Korean triangle in period KOR-6</td><td>5 of 5</td><td>100%</td>" in html
    assert "<tr><td>&quot;wing&quot;</td><td>1</td></tr>" in html
    assert "Q2: not yet — that is not North Korea&#x27;s role in KOR-6." in html


def test_progress_is_a_line_per_submission_when_not_a_terminal(course):
    lines = [l for l in course["first"].stderr.splitlines() if l.startswith("graded ")]
    assert len(lines) == 8 and lines[-1].startswith("graded 8/8: ")


@pytest.mark.parametrize("content, message", [
    ("submission,question,points\nx.ipynb,w1,lots\n", "marks.csv, row 2, column points: 'lots' "
                                                       "is not a number"),
    ("submission,question,points\nmystery.ipynb,w1,5\n", "marks.csv, row 2, column points: 5 is "
                                                          "more than the 2 point(s) w1 is worth"),
    ("submission,points\nx.ipynb,1\n", "marks.csv, row 1: the header lacks question"),
])
def test_a_bad_marks_file_is_named_before_grading(course, tmp_path, content, message):
    out = tmp_path / "out"
    out.mkdir()
    (out / "marks.csv").write_text(content)
    proc = run_here(course["subs"], out)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert not (out / "gradebook.csv").exists()


@pytest.mark.parametrize("roster, message", [
    ("name,email\nA,a@x\n", "row 1: no column student_id"),
    ("student_id,name\ns1,A\ns1,B\n", "row 3, column student_id: the student id 's1' is also on row 2"),
    ("student_id,name\n,A\n", "row 2, column student_id: the student id is empty"),
])
def test_a_bad_roster_is_named(course, tmp_path, roster, message):
    (tmp_path / "roster.csv").write_text(roster)
    proc = run_here(course["subs"], tmp_path / "out", roster=tmp_path / "roster.csv")
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
