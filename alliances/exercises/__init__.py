"""Exercise notebooks and the checks students run in class.

An exercise notebook is an *instructor source*: it holds the solutions and is
committed executed. Its cells are tagged (cell metadata ``tags``):

* ``answer`` + ``qN``: the student's answer cell for question N (in the
  instructor source it holds the solution; the student edition replaces it
  with the stub ``answer_qN = ...``);
* ``check`` + ``qN``: calls the in-class check of question N, which prints
  ``QN: correct`` or ``QN: not yet — <what is off> Hint: <hint>``;
* ``written`` + ``wN``: a short written answer (markdown), marked by hand;
* ``solution``: a cell only instructors see (removed from the student edition).

What ships to students (this package, with :mod:`.answers` and
``answer_hashes.json``) holds no expected answer: an in-class check reads the
answer's form with the question's :class:`~.answers.Kind` and compares a salted
hash of the canonical answer with the table. The grade itself is computed by
the instructor-only grader (:mod:`alliances.grading`) from the answers a
sandboxed run hands back, never by these checks.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..paths import ROOT
from .answers import (NotYet, Question, Unreadable, answer_hash, is_blank, normalise_text,
                      to_json)

EXERCISE_DIR = ROOT / "book" / "exercises"

#: The exercises in the order of the chapters.
CHAPTER_ORDER = ("triangles", "sino_soviet", "bloc_reactions", "korea_1961", "exceptions")
#: Each exercise's instructor source (with solutions): present in the
#: repository, absent from the student bundle.
EXERCISES: dict[str, Path] = {
    name: EXERCISE_DIR / f"{name}_exercises.ipynb" for name in CHAPTER_ORDER
    if (EXERCISE_DIR / f"{name}_exercises.ipynb").exists()
}

ANSWER_TAG = "answer"
CHECK_TAG = "check"
WRITTEN_TAG = "written"
SOLUTION_TAG = "solution"
QUESTION_TAG = re.compile(r"^q\d+$")
WRITTEN_ID_TAG = re.compile(r"^w\d+$")
METADATA_KEY = "alliances"
HASHES_FILE = Path(__file__).resolve().parent / "answer_hashes.json"

__all__ = ["CHAPTER_ORDER", "EXERCISES", "Feedback", "NotYet", "Question", "assess",
           "correct", "make_checks", "normalise_text", "not_yet"]


@dataclass(frozen=True)
class Feedback:
    """What a check says about one answer."""

    qid: str
    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


def correct(qid: str) -> Feedback:
    """The one message a right answer gets: ``Q1: correct``."""
    return Feedback(qid, True, f"{qid.upper()}: correct")


def not_yet(qid: str, what: str, hint: str) -> Feedback:
    """An answer that is not right yet: what is off and a hint, never the answer."""
    return Feedback(qid, False, f"{qid.upper()}: not yet — {what} Hint: {hint}")


BLANK_MESSAGE = "there is no answer yet: replace the `...` with yours."


def assess(question: Question, value: object, is_right: Callable[[object], bool]) -> Feedback:
    """Feedback on one answer, given as the JSON that :func:`~.answers.to_json` made.

    ``is_right(target)`` decides whether a well-formed answer is right: the
    in-class check compares hashes, the grader compares with its key. Both
    give the same messages, so what a student saw in class is what the
    gradebook says.
    """
    qid, kind = question.qid, question.kind
    if is_blank(value):
        return not_yet(qid, BLANK_MESSAGE, question.hint)
    try:
        canonical = kind.read(value)
        target = kind.target(canonical)
    except NotYet as what:
        return not_yet(qid, str(what), question.hint)
    except Exception as err:  # a malformed spec, say: the answer's problem, not a crash
        return not_yet(qid, f"the check could not read your answer ({type(err).__name__}).",
                       question.hint)
    if target is None or is_right(target):
        return correct(qid)
    return not_yet(qid, question.wrong, question.hint)


@lru_cache(maxsize=None)
def answer_table() -> dict:
    """The salted hashes of the right answers (``answer_hashes.json``)."""
    try:
        return json.loads(HASHES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _hash_verdict(exercise: str, qid: str) -> Callable[[object], bool]:
    entry = answer_table().get(exercise, {}).get(qid)

    def is_right(target: object) -> bool:
        if not entry:
            raise LookupError("no hash")
        return answer_hash(exercise, qid, target, entry["salt"]) == entry["hash"]
    return is_right


def make_checks(exercise: str, questions: tuple[Question, ...]) -> dict[str, Callable]:
    """The in-class check of every question: ``check(answer)`` prints one line of
    feedback and returns it as a :class:`Feedback`. It never raises."""
    checks = {}
    for question in questions:
        checks[question.qid] = _make_check(exercise, question)
    return checks


def _make_check(exercise: str, question: Question) -> Callable:
    def check(answer: object = ...) -> Feedback:
        qid = question.qid
        try:
            fb = assess(question, to_json(answer), _hash_verdict(exercise, qid))
        except Unreadable as why:
            fb = not_yet(qid, f"the check could not read your answer ({why}).", question.hint)
        except LookupError:
            fb = Feedback(qid, False, f"{qid.upper()}: cannot be checked here (the table of "
                                      f"answer hashes is missing; ask your instructor).")
        except Exception as err:  # a check must never stop the notebook
            fb = not_yet(qid, f"the check could not read your answer ({type(err).__name__}).",
                         question.hint)
        sys.stdout.write(fb.message + "\n")  # one write: one stream output
        return fb
    check.__name__ = f"check_{question.qid}"
    check.__doc__ = f"{question.qid.upper()}: {question.label}. Prints and returns the feedback."
    check.question = question  # type: ignore[attr-defined]
    return check


# ---------------------------------------------------------------------------
# Reading exercise notebooks (shared by the release step and the grader)
# ---------------------------------------------------------------------------

def cell_tags(cell) -> list[str]:
    """The cell's tags as a list of strings (malformed tags give [])."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    tags = meta.get("tags") if isinstance(meta, dict) else None
    if not isinstance(tags, list):
        return []
    return [t for t in tags if isinstance(t, str)]


def question_of(cell) -> str | None:
    """The ``qN`` (or ``wN``) tag of a cell, if it has exactly one."""
    ids = [t for t in cell_tags(cell) if QUESTION_TAG.match(t) or WRITTEN_ID_TAG.match(t)]
    return ids[0] if len(ids) == 1 else None


def is_answer(cell) -> bool:
    return ANSWER_TAG in cell_tags(cell) and question_of(cell) is not None


def is_check(cell) -> bool:
    return CHECK_TAG in cell_tags(cell) and question_of(cell) is not None


def is_written(cell) -> bool:
    return WRITTEN_TAG in cell_tags(cell)


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell_tags(cell)


def stub_for(qid: str) -> str:
    """The answer cell a student receives for question ``qid``."""
    return f"answer_{qid} = ...  # your answer here"


WRITTEN_STUB = "*Write your answer here (two or three sentences).*"


def exercise_of(nb) -> str | None:
    """The exercise a notebook belongs to (``metadata.alliances.exercise``)."""
    meta = nb.get("metadata") if isinstance(nb, dict) else None
    info = meta.get(METADATA_KEY) if isinstance(meta, dict) else None
    name = info.get("exercise") if isinstance(info, dict) else None
    return name if isinstance(name, str) else None


def source_text(cell) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def questions_module(exercise: str):
    """Import the checker module of ``exercise`` (``alliances.exercises.<name>``)."""
    import importlib

    return importlib.import_module(f"{__name__}.{exercise}")
