"""From graded files to a course: students, hand marks, the course gradebook, LMS exports.

* :func:`assign_students` names each file's student (from the roster, or from
  the file name when there is none) and marks superseded duplicates;
* :func:`apply_marks` merges the instructor's ``marks.csv`` into the results;
* :func:`course_files` writes the course gradebook (one row per student), the
  roster report, and the exports for Canvas and Moodle with a per-question CSV.

Canvas's gradebook import reads ``Student, ID, SIS User ID, SIS Login ID,
Section`` and then one column per assignment, with an optional ``Points
Possible`` row under the header (the layout of Canvas's own export). Moodle's
CSV grade import reads the layout of its own export (``First name, Last name,
ID number, Institution, Department, Email address``, then one column per grade
item) and maps users by e-mail address or ID number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .batch import Result
from .key import ExerciseKey
from .marks import Mark
from .outputs import csv_text
from .roster import Matching, Student, choose
from .submissions import student_of

TITLES = {"triangles": "Exercises: the strategic triangle",
          "sino_soviet": "Exercises: the Sino-Soviet alliance",
          "bloc_reactions": "Exercises: the bloc and the US-ROK alliance",
          "korea_1961": "Exercises: the 1961 treaties",
          "exceptions": "Exercises: exceptions to non-alignment"}


@dataclass
class Course:
    students: list[Student] = field(default_factory=list)   # empty: no roster
    matching: Matching | None = None


def assign_students(results: list[Result], roster: list[Student] | None,
                    mtimes: dict[str, float], prefer: set[str]) -> Course:
    """Set each result's student and ``superseded_by``; return the course."""
    course = Course(list(roster or []))
    if roster:
        course.matching = matching = _match(results, roster)
        for r in results:
            r.student = matching.owner.get(r.submission, "")
            if r.submission in matching.unmatched:
                r.notes.append(f"no student: {matching.unmatched[r.submission]}")
    else:
        for r in results:
            r.student = student_of(r.submission)
    groups: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for r in results:
        if r.student and r.exercise and r.questions:
            groups.setdefault((r.student, r.exercise), []).append(
                (r.submission, mtimes.get(r.submission, 0.0)))
    superseded = choose(groups, prefer)
    for r in results:
        if r.submission in superseded:
            keep = superseded[r.submission]
            r.superseded_by = keep
            why = "chosen with --prefer" if keep in prefer else "the student's later file counts"
            r.notes.append(f"superseded by {keep} ({why})")
        elif any(r.submission == keep for keep in superseded.values()):
            r.notes.append("counts for the student (their other file of this exercise is "
                           "superseded)")
    return course


def _match(results: list[Result], roster: list[Student]) -> Matching:
    from .roster import match
    return match([r.submission for r in results], roster)


def apply_marks(results: list[Result], marks: dict[tuple[str, str], Mark]) -> list[str]:
    """Put the hand marks into the results; return notes on marks that matched nothing."""
    by_name = {r.submission: r for r in results}
    unused = []
    for (submission, question), mark in sorted(marks.items()):
        r = by_name.get(submission)
        if r is None or (question not in r.questions and question not in r.written_max):
            unused.append(f"marks.csv row {mark.row}: {submission} {question} matches no graded "
                          f"question (kept in the file)")
            continue
        r.manual[question] = {"points": mark.points, "comment": mark.comment}
    return unused


def mark_rows(results: list[Result]) -> list[list[object]]:
    """The rows marks.csv should have: one per graded submission and written question."""
    rows = []
    for r in results:
        if not r.questions:
            continue
        for wid, points in sorted(r.written_max.items()):
            rows.append([r.submission, r.student, r.exercise, wid, "", points, ""])
    return rows


def maxima(results: list[Result]) -> dict[tuple[str, str], int]:
    out = {}
    for r in results:
        for qid, q in r.questions.items():
            out[(r.submission, qid)] = q.possible
        for wid, points in r.written_max.items():
            out[(r.submission, wid)] = points
    return out


def counting(results: list[Result]) -> list[Result]:
    """The results that count for a student: graded, with a student, not superseded."""
    return [r for r in results if r.student and r.exercise and r.questions
            and not r.superseded_by]


def _number(x) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def course_files(results: list[Result], keys: dict[str, ExerciseKey], course: Course
                 ) -> dict[str, str]:
    """The course gradebook, the roster report and the LMS exports."""
    files: dict[str, str] = {}
    names = list(keys)
    mine: dict[str, dict[str, Result]] = {}
    for r in counting(results):
        mine.setdefault(r.student, {})[r.exercise] = r
    possible = {n: keys[n].possible + sum(keys[n].written_points.values()) for n in names}
    if course.students:
        people = course.students
    else:
        people = [Student(s) for s in sorted(mine)]
    header = ["student_id", "name", "email", *names, "total", "possible", "files", "to_mark",
              "status"]
    rows = []
    for person in people:
        got = mine.get(person.student_id, {})
        totals = [_number(got[n].total) if n in got else "" for n in names]
        total = sum(got[n].total for n in got)
        problems = [f"{n}: {got[n].status}" for n in names if n in got and got[n].status != "ok"]
        missing = [n for n in names if n not in got]
        status = "; ".join(problems + ([f"no submission of {', '.join(missing)}"]
                                       if missing else [])) or "ok"
        to_mark = [f"{n} {w}" for n in names if n in got for w in got[n].to_mark]
        rows.append([person.student_id, person.name, person.email, *totals, _number(total),
                     sum(possible.values()), "; ".join(got[n].submission for n in names if n in got),
                     "; ".join(to_mark), status])
    files["course.csv"] = csv_text(header, rows)
    if course.matching is not None:
        report = [[name, "", "unmatched", why] for name, why in sorted(course.matching.unmatched.items())]
        report += [["", s.student_id, "no submission", s.name] for s in course.matching.missing]
        files["roster_report.csv"] = csv_text(["file", "student_id", "problem", "detail"], report)
    files.update(lms_files(people, mine, keys, names, possible))
    return files


def _split_name(name: str) -> tuple[str, str]:
    if "," in name:
        last, first = [p.strip() for p in name.split(",", 1)]
        return first, last
    parts = name.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (name, "")


def lms_files(people: list[Student], mine: dict[str, dict[str, Result]],
              keys: dict[str, ExerciseKey], names: list[str], possible: dict[str, int]
              ) -> dict[str, str]:
    files = {}
    titles = [TITLES.get(n, n) for n in names]
    canvas = [["Points Possible", "", "", "", "", *[possible[n] for n in names]]]
    moodle = []
    per_question = []
    for person in people:
        got = mine.get(person.student_id, {})
        first, last = _split_name(person.name)
        sortable = f"{last}, {first}" if last and first else person.name
        scores = [_number(got[n].total) if n in got else "" for n in names]
        canvas.append([sortable, "", person.student_id, person.login or person.email,
                       person.section, *scores])
        moodle.append([first, last, person.student_id, "", "", person.email, *scores])
        for n in names:
            if n not in got:
                continue
            r = got[n]
            for qid in [*keys[n].qids, *keys[n].written_points]:
                max_points = (r.questions[qid].possible if qid in r.questions
                              else r.written_max.get(qid, 0))
                marked = qid in r.manual and r.manual[qid].get("points") is not None
                per_question.append([person.student_id, person.email, n, qid,
                                     _number(r.points_of(qid)), max_points,
                                     "hand" if marked else ("grader" if qid in r.questions
                                                            else "not marked")])
    files["lms/canvas.csv"] = csv_text(["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                        *titles], canvas)
    files["lms/moodle.csv"] = csv_text(["First name", "Last name", "ID number", "Institution",
                                        "Department", "Email address", *titles], moodle)
    files["lms/per_question.csv"] = csv_text(["student_id", "email", "exercise", "question",
                                              "points", "possible", "marked_by"], per_question)
    return files
