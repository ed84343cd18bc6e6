"""The class roster: who the students are, and which file is whose.

A roster is a CSV file with a header row and at least the column
``student_id``; ``name`` and ``email`` are optional, and so are ``login`` and
``section`` (used by the Canvas export). Column names are read without regard
to case or spaces (``Student ID`` works).

**Which file is whose.** A submission belongs to a student when one of the
student's identifiers appears as a whole word in the file's path (letters
and digits bounded by anything else): the student id, the e-mail address,
the part of the address before ``@``, or the name written without spaces,
with ``_`` or ``-`` between its parts, or last name first (as Canvas names its
downloads: ``smithalice_12345_...``). A file that matches no student, or more
than one, is *unmatched* and listed; a student with no file is listed too.

**Duplicates.** When one student has several files of one exercise, the one
modified last counts (ties: the last by name), unless the instructor names
the file to use with ``--prefer``. The others are still graded, and flagged
``superseded``, but left out of the course gradebook and the LMS exports.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .outputs import unsafe_cell


class RosterError(SystemExit):
    """A roster that cannot be read; the message names the file, row and column."""


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str = ""
    email: str = ""
    login: str = ""
    section: str = ""

    def identifiers(self) -> list[str]:
        ids = [self.student_id, self.email, self.email.split("@")[0] if self.email else "",
               self.login]
        parts = [p for p in re.split(r"[\s,]+", self.name.lower()) if p]
        if len(parts) > 1:
            ids += ["".join(parts), "_".join(parts), "-".join(parts), "".join(parts[1:] + parts[:1]),
                    "_".join(parts[1:] + parts[:1])]
        elif parts:
            ids.append(parts[0])
        return [i.lower() for i in ids if i]


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


ALIASES = {"student_id": ("student_id", "id", "student_number", "sis_user_id", "id_number"),
           "name": ("name", "student", "full_name", "student_name"),
           "email": ("email", "email_address", "e_mail"),
           "login": ("login", "sis_login_id", "username"),
           "section": ("section",)}


def read_roster(path: Path) -> list[Student]:
    """Read and check a roster; errors name the file, the row and the column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise RosterError(f"{path}: cannot read the roster ({type(err).__name__})") from None
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(f"{path}: the roster is empty (it needs a header row with "
                          f"student_id)") from None
    keys = [_header_key(h) for h in header]
    columns = {}
    for field_name, names in ALIASES.items():
        for i, key in enumerate(keys):
            if key in names and field_name not in columns:
                columns[field_name] = i
    if "student_id" not in columns:
        raise RosterError(f"{path}, row 1: no column student_id (the header has: "
                          f"{', '.join(header)})")
    students, seen = [], {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: unsafe_cell(row[i].strip()) if i < len(row) else "" for f, i in columns.items()}
        sid = values["student_id"]
        if not sid:
            raise RosterError(f"{path}, row {number}, column {header[columns['student_id']]}: "
                              f"the student id is empty")
        if sid in seen:
            raise RosterError(f"{path}, row {number}, column {header[columns['student_id']]}: "
                              f"the student id {sid!r} is also on row {seen[sid]}")
        seen[sid] = number
        students.append(Student(sid, values.get("name", ""), values.get("email", ""),
                                values.get("login", ""), values.get("section", "")))
    if not students:
        raise RosterError(f"{path}: the roster has a header but no students")
    return students


def _words(path: str) -> set[str]:
    lower = path.lower()
    words = set(re.split(r"[^a-z0-9@.]+", lower))
    words |= set(re.split(r"[^a-z0-9]+", lower))
    words |= {w.strip(".") for w in words}
    return {w for w in words if w}


def _contains(path: str, ident: str) -> bool:
    if re.search(r"[^a-z0-9]", ident):  # an id with separators: match the text itself
        return re.search(r"(?<![a-z0-9])" + re.escape(ident) + r"(?![a-z0-9])", path.lower()) is not None
    return ident in _words(path)


@dataclass
class Matching:
    """Submission file -> student id, and what did not match."""

    owner: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)    # file -> why
    missing: list[Student] = field(default_factory=list)       # students with no file


def match(names: list[str], students: list[Student]) -> Matching:
    """Which student each file belongs to (see the module docstring for the rule)."""
    result = Matching()
    for name in names:
        hits = [s for s in students if any(_contains(name, i) for i in s.identifiers())]
        if len(hits) == 1:
            result.owner[name] = hits[0].student_id
        elif not hits:
            result.unmatched[name] = "no student of the roster is named in the file name"
        else:
            result.unmatched[name] = ("the file name names several students: "
                                      + ", ".join(s.student_id for s in hits))
    owners = set(result.owner.values())
    result.missing = [s for s in students if s.student_id not in owners]
    return result


def choose(groups: dict[tuple[str, str], list[tuple[str, float]]], prefer: set[str]
           ) -> dict[str, str]:
    """For each (student, exercise) with several files, the file that counts; returns
    superseded file -> the file that counts instead."""
    superseded = {}
    for _, files in groups.items():
        if len(files) < 2:
            continue
        preferred = [f for f, _ in files if f in prefer]
        if preferred:
            keep = preferred[-1]
        else:
            keep = max(files, key=lambda item: (item[1], item[0]))[0]
        for f, _ in files:
            if f != keep:
                superseded[f] = keep
    return superseded
