"""Exercise notebooks, their checkers, the student release and the grader's key.

An exercise notebook is an *instructor source*: it holds the solutions and is
committed executed. Its cells are tagged (cell metadata ``tags``):

* ``answer`` + ``qN``: the student's answer cell for question N (in the
  instructor source it holds the solution; the student edition replaces it
  with a stub);
* ``check`` + ``qN`` + ``nbval-check-output``: calls the checker of question N;
  its stored output in the executed source is exactly ``QN: correct``, and
  the grader compares a submission's output with it (nbval, strict for these
  cells only);
* ``written`` + ``wN``: a short written answer (markdown), collected, not graded;
* ``solution``: a cell only instructors see (removed from the student edition).

The checkers live once, in one module per exercise (``triangles.py``), and
compute the expected answer from the data and the models when they run, so no
file a student receives contains an answer.
"""
from __future__ import annotations

import functools
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable
from typing import Callable

from ..paths import ROOT

EXERCISE_DIR = ROOT / "book" / "exercises"

#: Each exercise: its name (as written in the notebook metadata) and its
#: instructor source, the grader's key.
#: In the order of the chapters; the first is the grader's default.
CHAPTER_ORDER = ("triangles", "sino_soviet", "korea_1961", "exceptions")
EXERCISES: dict[str, Path] = {
    name: EXERCISE_DIR / f"{name}_exercises.ipynb" for name in CHAPTER_ORDER
    if (EXERCISE_DIR / f"{name}_exercises.ipynb").exists()
}

ANSWER_TAG = "answer"
CHECK_TAG = "check"
WRITTEN_TAG = "written"
SOLUTION_TAG = "solution"
NBVAL_CHECK_TAG = "nbval-check-output"
QUESTION_TAG = re.compile(r"^q\d+$")
WRITTEN_ID_TAG = re.compile(r"^w\d+$")
METADATA_KEY = "alliances"


@dataclass(frozen=True)
class Question:
    """One graded question: its id (``q1``), points and a short label."""

    qid: str
    points: int
    label: str


@dataclass(frozen=True)
class Feedback:
    """What a checker says about one answer."""

    qid: str
    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


def correct(qid: str) -> Feedback:
    """The one message a right answer gets: ``Q1: correct``."""
    return Feedback(qid, True, f"{qid.upper()}: correct")


def not_yet(qid: str, what: str, hint: str) -> Feedback:
    """A wrong answer: what is off and a hint, never the answer itself."""
    return Feedback(qid, False, f"{qid.upper()}: not yet — {what} Hint: {hint}")


_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def event_order_hint(n: int) -> str:
    """The hint of every "put these events in date order" question."""
    return (f"look the {_NUMBER_WORDS.get(n, str(n))} ids up in data.load_events() and sort them "
            "by date_date (the loader already returns the events in date order).")


def check_event_order(qid: str, answer, listed, expected: list[str], hint: str) -> Feedback:
    """Shared check for "put these events in date order" questions.

    ``listed`` is how the ids are named in the feedback (in an order that does
    not give the answer away); ``expected`` is the chronological order, which
    the caller computes from ``data/``.
    """
    n = len(expected)
    word = _NUMBER_WORDS.get(n, str(n))
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return not_yet(qid, "the answer should be a list of event ids, "
                            "like ['E001', 'E002'].", hint)
    given = [str(x).strip().upper() for x in answer]
    if sorted(given) != sorted(expected):
        return not_yet(qid, f"the list should hold exactly the {word} ids "
                            f"{', '.join(listed)}, each once.", hint)
    if given == list(expected):
        return correct(qid)
    right = sum(g == e for g, e in zip(given, expected))
    return not_yet(qid, f"{right} of the {word} events are in the right place.", hint)


class NotYet(Exception):
    """Raised by the shared answer readers below: what is off with an answer.

    :func:`checker` turns it into :func:`not_yet` feedback with the question's
    hint, so a check reads as a list of requirements.
    """


def chart_spec(answer, name: str, marks: tuple[str, ...] = ("bar",), wrong_mark: str | None = None) -> dict:
    """The Vega-Lite spec of an Altair chart answer whose mark is one of ``marks``."""
    if not hasattr(answer, "to_dict"):
        raise NotYet(f"{name} should be an Altair chart (alt.Chart(...)).")
    spec = answer.to_dict()
    mark = spec.get("mark")
    mark = mark.get("type") if isinstance(mark, dict) else mark
    if mark not in marks:
        raise NotYet(wrong_mark.format(mark=mark) if wrong_mark else
                     f"the chart's mark is {mark!r}, but a {marks[0]} chart is asked for.")
    return spec


def axis_fields(spec: dict) -> dict[str, dict]:
    """The x and y encodings of a spec that has them, by channel."""
    enc = spec.get("encoding") or {}
    return {ch: (enc[ch] or {}) for ch in ("x", "y") if isinstance(enc.get(ch), dict)}


def require_title_and_description(spec: dict) -> None:
    """Every chart a student makes carries its text alternative, as the book's do."""
    if not spec.get("title"):
        raise NotYet("the chart has no title.")
    if not spec.get("description"):
        raise NotYet("the chart has no description (screen readers read it).")


def choose(answer, choices: dict[str, object], unknown: str):
    """The choice an answer in words names (see :func:`normalise_text`)."""
    given = normalise_text(answer)
    if given not in choices:
        raise NotYet(unknown)
    return choices[given]


def pattern_answer(answer):
    """A :class:`~alliances.triangle.Pattern` named in words (or given as a member)."""
    from ..triangle import Pattern
    return choose(answer, {normalise_text(p.value): p for p in Pattern},
                  "that is not one of the four patterns (ménage à trois, romantic "
                  "triangle, stable marriage, unit veto).")


def role_answer(answer):
    """One of Wu's six :class:`~alliances.triangle.Role` values, named in words."""
    from ..triangle import ROLE_ALIASES, Role
    names = {normalise_text(r.value): r for r in Role}
    names.update({normalise_text(alias): role for role, alias in ROLE_ALIASES.items()})
    return choose(answer, names, "that is not one of Wu's six roles (pivot, partner, friend, "
                                 "wing, foe, outcast).")


def strategy_answer(answer) -> str:
    """Vu's two patron strategies: ``wedge`` or ``binding``."""
    return choose(answer, {"wedge": "wedge", "binding": "binding"},
                  "answer with one word: 'wedge' or 'binding'.")


def checker(qid: str, hint: str) -> Callable:
    """Decorate a check function ``f(answer) -> Feedback``.

    The decorated function prints the feedback (the line the grader compares)
    and returns it. It never raises: a blank stub (``...``) gets "no answer
    yet", and an answer the check cannot read gets a message naming the
    problem, with the question's general ``hint``.
    """
    def wrap(func: Callable[[object], Feedback]) -> Callable[[object], Feedback]:
        @functools.wraps(func)
        def check(answer: object = ...) -> Feedback:
            if answer is ... or answer is None:
                fb = not_yet(qid, "there is no answer yet: replace the `...` with yours.", hint)
            else:
                try:
                    with warnings.catch_warnings():  # keep the printed line exact
                        warnings.simplefilter("ignore")
                        fb = func(answer)
                except NotYet as what:
                    fb = not_yet(qid, str(what), hint)
                except Exception as exc:  # a checker must never stop the notebook
                    fb = not_yet(qid, f"the check could not read your answer "
                                      f"({type(exc).__name__}).", hint)
            sys.stdout.write(fb.message + "\n")  # one write: one stream output
            return fb
        check.qid = qid  # type: ignore[attr-defined]
        check.hint = hint  # type: ignore[attr-defined]
        return check
    return wrap


def normalise_text(value: object) -> str:
    """Lower-case, strip, drop accents, straighten dashes: for answers in words."""
    import unicodedata

    text = getattr(value, "value", value)  # enum members (Pattern, Role, SumType)
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


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
