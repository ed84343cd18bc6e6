"""Read a folder of submissions: every file gets a verdict, none is lost.

A submission is read defensively and, whenever it can be read at all, graded:
a ``.IPYNB`` or ``name.ipynb.txt`` file, a UTF-8 file with a byte-order mark,
a Windows-1252 or UTF-16 file, a notebook of format 3 and a notebook whose
saved outputs are huge are all graded, with a note saying what was done.
What cannot be graded (an empty file, a zip archive, a PDF, damaged JSON)
gets a precise reason. Operating-system clutter (``.DS_Store``,
``.ipynb_checkpoints``, ``__MACOSX``) is listed as skipped.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..exercises import (WRITTEN_ID_TAG, exercise_of, is_answer, is_written, question_of,
                         source_text)
from ..exercises.release import student_edition

#: Files larger than this are not read (a notebook with outputs is rarely over 50 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024
CLUTTER_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
CLUTTER_DIRS = {".ipynb_checkpoints", "__macosx", "__pycache__", ".git"}
NOTEBOOK_SUFFIXES = (".ipynb",)
NEAR_MISS = re.compile(r"\.ipynb(\.[A-Za-z0-9]{1,5})+$|\.ipynb[ _-]?\(?\d*\)?$", re.I)


@dataclass
class Submission:
    """One file of the submissions folder, read."""

    path: Path
    name: str                       # path relative to the folder, with / separators
    notebook: dict | None = None    # nbformat 4, outputs dropped
    exercise: str | None = None
    problem: str = ""               # why it cannot be graded ("" when it can)
    notes: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)   # qid -> answer cell source
    written: dict[str, str] = field(default_factory=dict)   # wid -> text

    @property
    def gradable(self) -> bool:
        return not self.problem and self.notebook is not None and self.exercise is not None

    def payload(self) -> dict:
        """What grading needs, as plain data (for a task on another machine)."""
        return {"name": self.name, "exercise": self.exercise, "problem": self.problem,
                "notes": list(self.notes), "answers": dict(self.answers),
                "written": dict(self.written)}

    @classmethod
    def from_payload(cls, d: dict) -> "Submission":
        return cls(Path(d["name"]), d["name"], {}, d["exercise"], d["problem"], list(d["notes"]),
                   dict(d["answers"]), dict(d["written"]))


def is_clutter(rel: Path) -> bool:
    """Operating-system and Jupyter housekeeping files (listed as skipped)."""
    parts = [p.lower() for p in rel.parts]
    return (parts[-1] in CLUTTER_NAMES or parts[-1].startswith("._")
            or any(p in CLUTTER_DIRS for p in parts[:-1]))


def list_files(folder: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Every file under ``folder``: (to read, sorted by name) and (skipped, with reason)."""
    read, skipped = [], []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        name = rel.as_posix()
        if path.is_symlink():
            skipped.append((name, "a symbolic link (not followed)"))
        elif not path.is_file():
            continue
        elif is_clutter(rel):
            skipped.append((name, "housekeeping file of the operating system or Jupyter"))
        else:
            read.append((path, name))
    return read, skipped


def _decode(raw: bytes, notes: list[str]) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("read as UTF-8 with a byte-order mark")
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append("read as UTF-16 text")
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        notes.append("read as Latin-1 text (it is not UTF-8)")
        return text
    notes.append("read as Windows-1252 text (it is not UTF-8)")
    return text


def _binary_kind(raw: bytes) -> str | None:
    head = raw[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "a zip archive, not a notebook: unzip it and hand in the .ipynb file inside"
    if head.startswith(b"%PDF"):
        return "a PDF, not a notebook: hand in the .ipynb file (File > Download in Jupyter)"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "a compressed archive, not a notebook: unpack it and hand in the .ipynb file"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image, not a notebook: hand in the .ipynb file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an Office document, not a notebook: hand in the .ipynb file"
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file, not a notebook"
    return None


def read_notebook(path: Path, notes: list[str]) -> dict:
    """The file as an nbformat-4 notebook with outputs dropped; raise ValueError(reason)."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file (0 bytes): the upload may have failed")
    if size > MAX_FILE_BYTES:
        raise ValueError(f"file too large to read ({size // (1024 * 1024)} MB)")
    raw = path.read_bytes()
    kind = _binary_kind(raw)
    if kind:
        raise ValueError(kind)
    text = _decode(raw, notes)
    stripped = text.lstrip()
    if stripped.lower().startswith(("<!doctype html", "<html")):
        raise ValueError("an HTML export, not the notebook: hand in the .ipynb file")
    try:
        nb = json.loads(text)
    except RecursionError:
        raise ValueError("invalid JSON (nested too deeply)") from None
    except json.JSONDecodeError as err:
        if stripped.startswith(("{", "[")):
            raise ValueError(f"invalid JSON (the file is damaged or cut short; line {err.lineno}, "
                             f"column {err.colno})") from None
        raise ValueError("not a notebook (text that is not JSON)") from None
    if not isinstance(nb, dict):
        raise ValueError("not a notebook (JSON, but not a notebook object)")
    major = nb.get("nbformat")
    if "worksheets" in nb or (isinstance(major, int) and major < 4):
        try:
            nb = json.loads(nbformat.writes(nbformat.reads(json.dumps(nb), as_version=4)))
        except Exception as err:
            raise ValueError(f"a notebook of format {major} that could not be converted "
                             f"({type(err).__name__})") from None
        notes.append(f"converted from notebook format {major}")
    if not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook (JSON without a list of cells)")
    for cell in nb["cells"]:
        if isinstance(cell, dict) and "outputs" in cell:
            cell["outputs"] = []  # outputs play no part in grading
    return nb


def collect_answers(nb: dict) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(answer sources by qid, written answers by wid, notes) of a notebook."""
    answers: dict[str, str] = {}
    written: dict[str, str] = {}
    notes: list[str] = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            continue
        qid = question_of(cell)
        if is_answer(cell) and cell.get("cell_type") == "code":
            if qid in answers:
                notes.append(f"more than one answer cell {qid} (the first is graded)")
                continue
            answers[qid] = source_text(cell)
        elif is_written(cell) and qid and WRITTEN_ID_TAG.match(qid):
            written.setdefault(qid, source_text(cell).strip())
    return answers, written, notes


def _fingerprints(key_notebooks: dict[str, nbformat.NotebookNode]) -> dict[str, set[str]]:
    """Each exercise's markdown cells (normalised), to recognise a notebook by its cells."""
    out = {}
    for name, nb in key_notebooks.items():
        student = student_edition(nb)
        out[name] = {_norm(c.source) for c in student.cells
                     if c.cell_type == "markdown" and len(_norm(c.source)) > 40}
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def identify(nb: dict, fingerprints: dict[str, set[str]], notes: list[str]) -> str | None:
    """The exercise a notebook belongs to: its metadata, unless its cells are plainly
    another exercise's; with no (or unknown) metadata, the exercise its cells match."""
    declared = exercise_of(nb)
    cells = {_norm(source_text(c)) for c in nb["cells"]
             if isinstance(c, dict) and c.get("cell_type") == "markdown"}
    scores = {name: len(cells & marks) for name, marks in fingerprints.items()}
    best = max(scores.values(), default=0)
    winners = [name for name, score in scores.items() if score == best]
    matched = winners[0] if best >= 3 and len(winners) == 1 else None
    if declared in fingerprints:
        if matched and matched != declared and scores[declared] < 3:
            notes.append(f"its metadata names the exercise {declared}, but its cells are those "
                         f"of {matched}: graded as {matched}")
            return matched
        return declared
    if matched:
        notes.append("no exercise metadata: recognised by its cells" if declared is None else
                     f"its metadata names an unknown exercise ({str(declared)[:40]!r}): "
                     f"recognised by its cells")
    return matched


def read_folder(folder: Path, key_notebooks: dict[str, nbformat.NotebookNode]
                ) -> tuple[list[Submission], list[tuple[str, str]]]:
    """Read every submission in ``folder``; return them (sorted) and the skipped files."""
    files, skipped = list_files(folder)
    fingerprints = _fingerprints(key_notebooks)
    subs = []
    for path, name in files:
        sub = Submission(path, name)
        lower = name.lower()
        if not lower.endswith(NOTEBOOK_SUFFIXES):
            sub.notes.append("the file name does not end in .ipynb; read as a notebook anyway"
                             if not NEAR_MISS.search(name) else
                             "the file name has an extra ending after .ipynb; read as a notebook")
        elif not name.endswith(".ipynb"):
            sub.notes.append("the file name ends in upper-case .IPYNB")
        try:
            sub.notebook = read_notebook(path, sub.notes)
        except ValueError as why:
            sub.problem = str(why)
        except OSError as err:
            sub.problem = f"cannot read the file ({type(err).__name__})"
        if sub.notebook is not None:
            sub.exercise = identify(sub.notebook, fingerprints, sub.notes)
            if sub.exercise is None:
                declared = exercise_of(sub.notebook)
                sub.problem = (f"names an unknown exercise ({declared[:40]!r}) and its cells match "
                               f"none" if declared else
                               "not an exercise notebook of this course (no exercise metadata, "
                               "and its cells match none)")
            else:
                sub.answers, sub.written, notes = collect_answers(sub.notebook)
                sub.notes += notes
        subs.append(sub)
    return subs, skipped


def student_of(name: str) -> str:
    """A student's part of a file name: ``alice (1).ipynb`` and ``alice copy.ipynb`` → ``alice``."""
    stem = Path(name).name
    stem = re.sub(r"(\.ipynb)(\.[A-Za-z0-9]{1,5})*$", "", stem, flags=re.I)
    stem = re.sub(r"(\s*\(\d+\)|[ _-]copy( \d+)?)$", "", stem, flags=re.I)
    return stem.strip().lower()


def flag_duplicates(subs: list[Submission], student: dict[str, str] | None = None) -> None:
    """Note files that seem to be the same student's, and files with identical answers."""
    student = student or {}
    groups: dict[tuple[str, str], list[Submission]] = {}
    for sub in subs:
        if sub.exercise:
            who = student.get(sub.name) or student_of(sub.name)
            groups.setdefault((who, sub.exercise), []).append(sub)
    for (who, _), members in groups.items():
        if len(members) > 1:
            names = ", ".join(m.name for m in members)
            for m in members:
                m.notes.append(f"duplicate: {len(members)} files for one student ({names})")
    same: dict[str, list[Submission]] = {}
    for sub in subs:
        if sub.exercise and any(src.strip() and "..." not in src for src in sub.answers.values()):
            fingerprint = json.dumps([sub.exercise, sorted(sub.answers.items())])
            same.setdefault(fingerprint, []).append(sub)
    for members in same.values():
        if len(members) > 1:
            for m in members:
                others = [o.name for o in members if o is not m]
                listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more"
                                                  if len(others) > 3 else "")
                m.notes.append(f"identical answer cells to {listed}")
