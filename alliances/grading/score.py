"""Phase 2 of grading: score the answers a sandboxed run handed back.

This runs in the grader's own process, which never executes student code.
It reads the lines a job wrote (untrusted: the student could have written
any of them) only as *data*: which cells ended, with what error, and the JSON
answer of each question. A forged line can only hand in an answer, which the
student could have typed anyway. The answer is then judged by
:func:`alliances.exercises.assess` against the key, with the same messages
the in-class check gives.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat

from ..exercises import assess, is_answer, is_check, is_solution, question_of, stub_for
from ..exercises.answers import MAX_ANSWER_CHARS, canonical_json
from .key import ExerciseKey
from .sandbox import JobResult

CORRECT, NOT_YET, NOT_GRADED = "correct", "not yet", "not graded"


# ---------------------------------------------------------------------------
# Assembling the cells a run executes
# ---------------------------------------------------------------------------

def cells_for(key_notebook: nbformat.NotebookNode, answers: dict[str, str],
              stubbed: set[str]) -> list[dict]:
    """The key's code cells with the student's answer cells in place of the solutions.

    Every other cell (setup, data, displays) comes from the key, so editing
    them changes nothing; check cells and solution cells are left out (the
    grade does not come from anything printed). A missing or stubbed answer
    cell runs as the blank stub, so later cells still find their names.
    """
    cells = []
    for cell in key_notebook.cells:
        if cell.cell_type != "code" or is_solution(cell) or is_check(cell):
            continue
        if is_answer(cell):
            qid = question_of(cell)
            source = stub_for(qid) if qid in stubbed or qid not in answers else answers[qid]
            cells.append({"source": source, "qid": qid})
        else:
            cells.append({"source": cell.source, "qid": None})
    return cells


# ---------------------------------------------------------------------------
# Reading what a run wrote
# ---------------------------------------------------------------------------

@dataclass
class RunRecord:
    """What a job reported, checked for shape."""

    ended: dict[int, dict] = field(default_factory=dict)   # cell -> {"error", "timeout"}
    answers: dict[str, dict] = field(default_factory=dict)  # qid -> {"value"|"unreadable"|"missing"}
    last_started: int | None = None
    done: bool = False


def read_run(job: JobResult, qids: list[str]) -> RunRecord:
    """Parse a job's lines defensively; anything malformed is ignored."""
    record = RunRecord()
    for line in job.lines:
        if len(line) > MAX_ANSWER_CHARS + 1000:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        cell = event.get("cell")
        if isinstance(cell, int) and not isinstance(cell, bool):
            if event.get("start") is True:
                record.last_started = cell
            elif event.get("end") is True:
                error = event.get("error")
                if isinstance(error, dict):
                    error = {"type": str(error.get("type", "Error"))[:80],
                             "message": str(error.get("message", ""))[:300]}
                else:
                    error = None
                record.ended[cell] = {"error": error, "timeout": event.get("timeout") is True}
        qid = event.get("answer")
        if isinstance(qid, str) and qid in qids:
            if "value" in event:
                record.answers[qid] = {"value": event["value"]}
            elif isinstance(event.get("unreadable"), str):
                record.answers[qid] = {"unreadable": event["unreadable"][:200]}
            elif event.get("missing") is True:
                record.answers[qid] = {"missing": True}
        if event.get("done") is True:
            record.done = True
    return record


def culprit(cells: list[dict], job: JobResult, record: RunRecord) -> str | None:
    """The question to blame when a job was killed or crashed: the answer cell that was
    running, or the last answer cell before the cell that was."""
    index = job.cell if job.cell is not None else record.last_started
    if index is None:
        return None
    for i in range(min(index, len(cells) - 1), -1, -1):
        if cells[i]["qid"]:
            return cells[i]["qid"]
    return None


def ended_abnormally(job: JobResult, record: RunRecord) -> bool:
    return bool(job.reason) or not record.done


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------

@dataclass
class QuestionResult:
    points: int
    possible: int
    result: str             # correct, not yet, not graded
    message: str
    answer: object = None   # the JSON answer, when one was read

    def as_dict(self) -> dict:
        return {"points": self.points, "possible": self.possible, "result": self.result,
                "message": self.message, "answer": self.answer}


def _error_line(error: dict) -> str:
    message = error.get("message") or ""
    return f"{error['type']}: {message}".strip().rstrip(":")[:200]


def score_run(key: ExerciseKey, cells: list[dict], job: JobResult, record: RunRecord,
              missing: set[str], stubbed: dict[str, str], limits_timeout: float
              ) -> tuple[dict[str, QuestionResult], list[str]]:
    """Each question's result, and the problems to show in the row's status."""
    results: dict[str, QuestionResult] = {}
    problems: list[str] = []
    index_of = {c["qid"]: i for i, c in enumerate(cells) if c["qid"]}
    stopped_at = culprit(cells, job, record) if ended_abnormally(job, record) else None
    for q in key.questions:
        qid, up = q.qid, q.qid.upper()

        def not_graded(why: str, problem: str | None = None) -> None:
            results[qid] = QuestionResult(0, q.points, NOT_GRADED, f"{up}: not graded: {why}")
            if problem:
                problems.append(problem)

        if qid in missing:
            not_graded(f"no answer cell tagged {qid} was found (was it deleted, or its tags "
                       f"changed?).", f"missing answer cell {qid}")
            continue
        if qid in stubbed:
            why = stubbed[qid]
            if why == "timeout":
                not_graded("your answer cell ran over the time limit (an endless loop?).",
                           f"timeout in {qid} (a cell ran over the time limit)")
            else:
                not_graded(f"your answer cell stopped the run ({why}).",
                           f"the run stopped in {qid} ({why})")
            continue
        index = index_of.get(qid)
        ended = record.ended.get(index) if index is not None else None
        if ended is None:
            if job.reason == "notebook timeout":
                not_graded(f"the notebook ran over its total time limit ({limits_timeout:g} s) "
                           f"before this question.")
            elif job.reason == "sandbox failure":
                not_graded("the grader's sandbox failed during this run.")
            else:
                not_graded("the run stopped before this question.")
            continue
        if ended["timeout"]:
            not_graded("your answer cell ran over the time limit (an endless loop?).",
                       f"timeout in {qid} (a cell ran over the time limit)")
            continue
        if ended["error"]:
            line = _error_line(ended["error"])
            if ended["error"]["type"] == "MemoryError":
                results[qid] = QuestionResult(0, q.points, NOT_YET,
                                              f"{up}: your answer cell ran out of memory, so "
                                              f"there was nothing to check.")
                problems.append(f"memory limit in {qid}")
            else:
                results[qid] = QuestionResult(0, q.points, NOT_YET,
                                              f"{up}: your answer cell raised an error "
                                              f"({line}), so there was nothing to check.")
                problems.append(f"error in {qid}: {line}")
            continue
        reported = record.answers.get(qid)
        if reported is None:
            not_graded("the run stopped before your answer could be read.")
            continue
        if reported.get("missing"):
            results[qid] = QuestionResult(0, q.points, NOT_YET,
                                          f"{up}: not yet — your answer cell does not set "
                                          f"answer_{qid}. Hint: {q.hint}")
            continue
        if "unreadable" in reported:
            results[qid] = QuestionResult(0, q.points, NOT_YET,
                                          f"{up}: not yet — the check could not read your answer "
                                          f"({reported['unreadable']}). Hint: {q.hint}")
            continue
        value = reported["value"]
        target = key.targets[qid]
        feedback = assess(q, value, lambda given: _same(given, target))
        results[qid] = QuestionResult(q.points if feedback.correct else 0, q.points,
                                      CORRECT if feedback.correct else NOT_YET,
                                      feedback.message, _small(value))
    if stopped_at and job.reason != "notebook timeout" and stopped_at not in stubbed:
        problems.append(f"the run stopped in {stopped_at}")
    if job.reason == "notebook timeout":
        problems.append(f"timeout (the notebook ran over {limits_timeout:g} s)")
    elif job.reason == "sandbox failure":
        problems.append("the grader's sandbox failed on this submission")
    return results, problems


def _same(given: object, target: object) -> bool:
    try:
        return canonical_json(given) == canonical_json(target)
    except (TypeError, ValueError):
        return False


def _small(value: object, limit: int = 20_000) -> object:
    """The answer as kept in the results (a chart's whole spec is not kept)."""
    try:
        text = canonical_json(value)
    except (TypeError, ValueError):
        return None
    if len(text) <= limit:
        return value
    if isinstance(value, dict) and "__chart__" in value:
        return {"__chart__": "(spec not kept: too large)"}
    return None
