"""Grade submissions: one self-contained task per submission, run on a pool of sandboxes.

A task takes a read :class:`~.submissions.Submission` and returns a
:class:`Result` (plain data, JSON-serialisable), so the same task runs on
this machine's workers or on a Dask cluster (:mod:`alliances.grading.cluster`).
"""
from __future__ import annotations

import concurrent.futures
import queue
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import nbformat

from ..exercises import EXERCISES, is_answer, question_of
from .key import ExerciseKey, load as load_key
from .sandbox import Limits, Sandbox
from .score import NOT_GRADED, QuestionResult, cells_for, culprit, read_run, score_run
from .submissions import Submission


@dataclass
class Result:
    """The grade of one submission file."""

    submission: str
    exercise: str = ""
    student: str = ""
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    sandbox: str = "bubblewrap"
    written_max: dict[str, int] = field(default_factory=dict)   # wid -> points it is worth
    manual: dict[str, dict] = field(default_factory=dict)       # qid/wid -> points, comment
    superseded_by: str = ""

    def points_of(self, qid: str) -> float:
        """A question's points: the hand mark where there is one, else the grader's."""
        mark = self.manual.get(qid)
        if mark and mark.get("points") is not None:
            return mark["points"]
        return self.questions[qid].points if qid in self.questions else 0

    @property
    def total(self) -> float:
        return (sum(self.points_of(q) for q in self.questions)
                + sum(self.points_of(w) for w in self.written_max))

    @property
    def possible(self) -> int:
        return (sum(q.possible for q in self.questions.values())
                + (sum(self.written_max.values()) if self.questions else 0))

    @property
    def to_mark(self) -> list[str]:
        """Written questions not marked yet."""
        return [w for w in self.written_max
                if self.questions and (self.manual.get(w) or {}).get("points") is None]

    @property
    def status(self) -> str:
        return "; ".join(dict.fromkeys(self.problems)) or "ok"

    def as_dict(self) -> dict:
        return {"submission": self.submission, "exercise": self.exercise,
                "student": self.student, "total": self.total, "possible": self.possible,
                "status": self.status, "problems": list(self.problems),
                "sandbox": self.sandbox, "notes": list(self.notes),
                "questions": {q: r.as_dict() for q, r in self.questions.items()},
                "written": dict(sorted(self.written.items())),
                "written_max": dict(self.written_max), "manual": dict(sorted(self.manual.items())),
                "superseded_by": self.superseded_by}

    @classmethod
    def from_dict(cls, d: dict) -> "Result":
        questions = {q: QuestionResult(**r) for q, r in d.get("questions", {}).items()}
        problems = list(d.get("problems", []))
        return cls(d["submission"], d.get("exercise", ""), d.get("student", ""), questions,
                   problems, list(d.get("notes", [])), dict(d.get("written", {})),
                   d.get("sandbox", "bubblewrap"), dict(d.get("written_max", {})),
                   dict(d.get("manual", {})), d.get("superseded_by", ""))


@lru_cache(maxsize=None)
def key_notebook(exercise: str) -> nbformat.NotebookNode:
    """The instructor source of an exercise, checked: one answer cell per question."""
    path = EXERCISES[exercise]
    nb = nbformat.read(str(path), as_version=4)
    key = load_key(exercise)
    for qid in key.qids:
        found = [c for c in nb.cells if is_answer(c) and question_of(c) == qid]
        if len(found) != 1:
            raise SystemExit(f"{path}: {qid} needs exactly one answer cell, found {len(found)}")
    return nb


def ungraded(sub: Submission, why: str, key: ExerciseKey | None, sandbox: str) -> Result:
    """The row of a submission that could not be run at all."""
    result = Result(sub.name, sub.exercise or "", problems=[why], notes=list(sub.notes),
                    written=dict(sub.written), sandbox=sandbox)
    if key is not None:
        result.written_max = key.written_points
        for q in key.questions:
            result.questions[q.qid] = QuestionResult(0, q.points, NOT_GRADED,
                                                     f"{q.qid.upper()}: not graded: {why}")
    return result


def _crash_reason(code: int | None, reason: str) -> str:
    if reason == "too much output":
        return "it wrote too much to the grader"
    if code is None:
        return "the run ended"
    if code < 0:
        return f"the process was killed by signal {-code}"
    if code == 0:
        return "it ended the process"
    return f"it ended the process with exit code {code}"


def grade_submission(sub: Submission, sandbox: Sandbox, limits: Limits,
                     label: str = "bubblewrap") -> Result:
    """Grade one submission in ``sandbox``; never raises."""
    key = load_key(sub.exercise) if sub.exercise else None
    if not sub.gradable:
        return ungraded(sub, sub.problem or "not gradable", key, label)
    try:
        return _grade(sub, key, sandbox, limits, label)
    except Exception as err:  # the batch must go on; the row says what happened
        return ungraded(sub, f"grader error ({type(err).__name__})", key, label)


def _grade(sub: Submission, key: ExerciseKey, sandbox: Sandbox, limits: Limits,
           label: str) -> Result:
    nb = key_notebook(key.exercise)
    missing = {qid for qid in key.qids if qid not in sub.answers}
    stubbed: dict[str, str] = {}
    failures = 0
    while True:
        cells = cells_for(nb, sub.answers, set(stubbed))
        job = sandbox.run(cells, limits)
        record = read_run(job, key.qids)
        if job.reason == "sandbox failure" and failures == 0:
            failures += 1  # a fork server that died (not the student's doing): once more
            continue
        abnormal = job.reason in ("cell timeout", "too much output") or (
            not job.reason and not record.done)
        if abnormal:
            blamed = culprit(cells, job, record)
            if blamed and blamed not in stubbed and blamed not in missing:
                stubbed[blamed] = ("timeout" if job.reason == "cell timeout"
                                   else _crash_reason(job.code, job.reason))
                continue
        break
    questions, problems = score_run(key, cells, job, record, missing, stubbed, limits.timeout)
    return Result(sub.name, key.exercise, "", questions, problems, list(sub.notes),
                  dict(sub.written), label, key.written_points)


# ---------------------------------------------------------------------------
# The local pool
# ---------------------------------------------------------------------------

class Progress:
    """Submissions done / total, rate and time left: redrawn on a terminal, one plain
    line per submission otherwise (a log file, CI)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, result: Result) -> None:
        self.done += 1
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        if self.tty:
            self.stream.write(f"\rgraded {self.done}/{self.total}  {rate * 60:5.1f}/min  "
                              f"about {left:4.0f} s left ")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"graded {self.done}/{self.total}: {result.submission} "
                              f"({result.exercise or '-'}) {result.total}/{result.possible} "
                              f"{result.status}\n")
        self.stream.flush()


def grade_local(subs: list[Submission], bundle: Path, limits: Limits, workers: int,
                sandboxed: bool, on_result: Callable[[Result], None] | None = None
                ) -> list[Result]:
    """Grade on this machine: ``workers`` sandboxes, one submission at a time each."""
    label = "bubblewrap" if sandboxed else "unsandboxed"
    todo = [s for s in subs if s.gradable]
    pool: queue.Queue[Sandbox] = queue.Queue()
    sandboxes = [Sandbox(bundle, sandboxed) for _ in range(max(1, min(workers, len(todo) or 1)))]
    for sb in sandboxes:
        pool.put(sb)

    def task(sub: Submission) -> Result:
        sb = pool.get()
        try:
            return grade_submission(sub, sb, limits, label)
        finally:
            pool.put(sb)

    results: dict[str, Result] = {}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(sandboxes)) as ex:
            futures = {ex.submit(task, sub): sub for sub in todo}
            for sub in subs:
                if not sub.gradable:
                    results[sub.name] = grade_submission(sub, None, limits, label)
                    if on_result:
                        on_result(results[sub.name])
            for fut in concurrent.futures.as_completed(futures):
                sub = futures[fut]
                results[sub.name] = fut.result()
                if on_result:
                    on_result(results[sub.name])
    finally:
        for sb in sandboxes:
            sb.stop()
    return [results[s.name] for s in subs]
