"""Hand-marking: the instructor's ``marks.csv``, merged into every run and never overwritten.

After each run the output folder holds ``marks.csv``, one row per submission
and written question::

    submission,student,exercise,question,points,max,comment

``points`` is empty until the instructor marks the answer (in a spreadsheet
or an editor); ``comment`` goes into the student's feedback. To **override**
an auto-graded question, add a row with its id (``q3``), the points and the
reason in ``comment``. A later run reads the file, applies every mark, and
only *appends* rows for new submissions; it never changes or removes a row,
so a regrade keeps every manual mark. Marks of a submission that is no longer
in the folder are kept in the file and reported.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..data.cache import write_atomic
from .outputs import csv_text, safe_cell, unsafe_cell

FILE = "marks.csv"
HEADER = ["submission", "student", "exercise", "question", "points", "max", "comment"]


class MarksError(SystemExit):
    """A marks file that cannot be used; the message names the file, row and column."""


@dataclass(frozen=True)
class Mark:
    submission: str
    question: str
    points: float | None       # None: not marked yet
    comment: str
    row: int


def _number(text: str, path: Path, row: int, column: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise MarksError(f"{path}, row {row}, column {column}: {text!r} is not a number of "
                         f"points") from None
    if value < 0:
        raise MarksError(f"{path}, row {row}, column {column}: points cannot be negative")
    return int(value) if value.is_integer() else value


def read(path: Path, maxima: dict[tuple[str, str], int] | None = None) -> dict[tuple[str, str], Mark]:
    """The marks of ``path`` by (submission, question); checked against the maxima."""
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise MarksError(f"{path}: cannot read the marks ({type(err).__name__})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [h for h in ("submission", "question", "points") if h not in (reader.fieldnames or [])]
    if missing:
        raise MarksError(f"{path}, row 1: the header lacks {', '.join(missing)}")
    marks: dict[tuple[str, str], Mark] = {}
    for number, row in enumerate(reader, start=2):
        submission = unsafe_cell((row.get("submission") or "").strip())
        question = (row.get("question") or "").strip().lower()
        if not submission and not question:
            continue
        if not submission or not question:
            raise MarksError(f"{path}, row {number}: a mark needs both a submission and a "
                             f"question")
        points = _number(row.get("points") or "", path, number, "points")
        limit = (maxima or {}).get((submission, question))
        if points is not None and limit is not None and points > limit:
            raise MarksError(f"{path}, row {number}, column points: {points} is more than the "
                             f"{limit} point(s) {question} is worth")
        key = (submission, question)
        if key in marks and marks[key].points is not None and points is not None:
            raise MarksError(f"{path}, row {number}: {submission} {question} is marked twice "
                             f"(also on row {marks[key].row})")
        if key not in marks or points is not None:
            marks[key] = Mark(submission, question, points, unsafe_cell(row.get("comment") or ""),
                              number)
    return marks


def merge(path: Path, wanted: list[list[object]]) -> int:
    """Append the rows of ``wanted`` (in HEADER order) whose (submission, question) the file
    lacks; create the file if needed. Existing rows are left exactly as they are.
    Returns the number of rows added."""
    existing = set(read(path)) if path.exists() else set()
    new = [r for r in wanted if (str(r[0]), str(r[3])) not in existing]
    if not path.exists():
        write_atomic(path, csv_text(HEADER, new))
        return len(new)
    if not new:
        return 0
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw += b"\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in new:
        writer.writerow([safe_cell(v) for v in row])
    write_atomic(path, raw + buffer.getvalue().encode("utf-8"))
    return len(new)
