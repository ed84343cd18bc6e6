"""The key: expected answers, computed from ``data/`` and the models (instructor-only).

One module per exercise, each with ``EXPECTED = {"q1": function, ...}``; a
function returns the expected answer as a Python value (a chart question's
function returns the expected fingerprint of the chart's data). Nothing here
ships to students, and the grader's sandbox cannot import it: the sandbox sees
only the student bundle.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

from ...exercises import CHAPTER_ORDER
from ...exercises.answers import Question, Written


@dataclass(frozen=True)
class ExerciseKey:
    """An exercise's questions with the target each must match."""

    exercise: str
    questions: tuple[Question, ...]
    targets: dict[str, object]   # qid -> canonical target (None: the rubric decides)
    written: tuple[Written, ...] = ()

    @property
    def qids(self) -> list[str]:
        return [q.qid for q in self.questions]

    @property
    def points(self) -> dict[str, int]:
        return {q.qid: q.points for q in self.questions}

    @property
    def possible(self) -> int:
        """Points of the auto-graded questions."""
        return sum(self.points.values())

    @property
    def written_points(self) -> dict[str, int]:
        return {w.wid: w.points for w in self.written}

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.qid == qid)


@lru_cache(maxsize=None)
def load(exercise: str) -> ExerciseKey:
    """The key of one exercise, its targets computed once."""
    if exercise not in CHAPTER_ORDER:
        raise KeyError(exercise)
    module = importlib.import_module(f"alliances.exercises.{exercise}")
    questions = module.QUESTIONS
    expected = importlib.import_module(f"{__name__}.{exercise}").EXPECTED
    targets = {}
    for q in questions:
        if q.qid in expected:
            targets[q.qid] = q.kind.expected(expected[q.qid]())
        elif _rubric_only(q):
            targets[q.qid] = None
        else:
            raise RuntimeError(f"the key of {exercise} has no expected answer for {q.qid}")
    return ExerciseKey(exercise, tuple(questions), targets, tuple(getattr(module, "WRITTEN", ())))


def _rubric_only(question: Question) -> bool:
    return getattr(question.kind, "fingerprint", "absent") is None


def all_keys() -> dict[str, ExerciseKey]:
    return {name: load(name) for name in CHAPTER_ORDER}
