"""Grade a folder of submitted exercise notebooks, with pytest + nbval as the engine.

    python -m alliances.grade SUBMISSIONS_DIR --out OUT_DIR

For every ``*.ipynb`` under ``SUBMISSIONS_DIR`` (sorted; ``.ipynb_checkpoints``
skipped) the grader

1. reads the file defensively (invalid JSON, a file that is not a notebook,
   a notebook of another exercise: a row with a reason, never a crash);
2. takes from it **only** the answer cells (tags ``answer`` + ``qN``) and the
   written answers (tag ``written``), matched by tag;
3. builds a fresh notebook from the instructor source (the *key*): every
   check cell and every other cell comes from the key, with its stored
   output ``QN: correct``; the key's solution-only cells are dropped; the
   student's answer-cell sources are put in place of the key's solutions
   (a missing answer cell gets the blank stub and the status says so);
4. runs it with ``pytest --nbval-lax`` in a temporary folder of its own, in
   its own process group, under a per-cell timeout, a wall-clock timeout for
   the whole notebook, a memory limit and a cap on each cell's printed
   output; check cells carry nbval's ``nbval-check-output`` tag, so only
   their output is compared, strictly, with the key's;
5. reads the per-cell results from pytest's JUnit XML report: a check cell
   that passed earns the question's points; the message a failing check
   printed becomes the feedback. An answer cell that runs past the cell
   timeout is replaced by the stub and the notebook is run again, so one
   endless loop costs only its own question.

Outputs: ``OUT_DIR/gradebook.csv`` (one row per submission: submission,
exercise, one column per question, total, status), ``OUT_DIR/feedback/<name>.md``
(each question's result and the check's message) and ``OUT_DIR/written.csv``
(the written answers, collected but not graded). Same submissions, same
files: no timings or temporary paths go into them.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import copy
import csv
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .exercises import (EXERCISES, WRITTEN_ID_TAG, exercise_of, is_answer, is_check,
                        is_solution, is_written, question_of, questions_module, source_text,
                        stub_for)

SHIM_DIR = Path(__file__).resolve().parent / "_grader_shim"
MAX_FILE_BYTES = 20 * 1024 * 1024
ANSI = re.compile(r"(?:\x1b|#x1B)\[[0-9;]*[A-Za-z]")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
NBVAL_MARKER = re.compile(r"^[ \t]*#+[ \t]*(NBVAL_\w+|PYTEST_VALIDATE_IGNORE_OUTPUT)[ \t]*$", re.M)
NOT_YET = re.compile(r"^\s*[-+] (Q\d+: not yet.*)$", re.M)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one notebook run."""

    cell_timeout: float = 30.0       # seconds per cell (nbval interrupts the kernel)
    timeout: float = 180.0           # seconds for the whole notebook (process group killed)
    memory_mb: int = 3072            # address-space limit of pytest and the kernel
    output_kb: int = 64              # printed output kept per cell
    file_mb: int = 64                # largest file a run may write


@dataclass
class Result:
    """The grade of one submission."""

    submission: str
    exercise: str = ""
    points: dict[str, int] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def status(self) -> str:
        return "; ".join(dict.fromkeys(self.problems)) or "ok"


# ---------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------

@dataclass
class Key:
    """An instructor source ready to grade against."""

    exercise: str
    path: Path
    notebook: nbformat.NotebookNode
    questions: tuple  # of alliances.exercises.Question

    @property
    def qids(self) -> list[str]:
        return [q.qid for q in self.questions]

    @property
    def points(self) -> dict[str, int]:
        return {q.qid: q.points for q in self.questions}


def load_key(exercise: str | None = None, path: Path | None = None) -> Key:
    """Load and check the key: one answer and one executed check cell per question."""
    if path is None:
        exercise = exercise or next(iter(EXERCISES))
        if exercise not in EXERCISES:
            raise SystemExit(f"unknown exercise {exercise!r}; known: {', '.join(EXERCISES)}")
        path = EXERCISES[exercise]
    nb = nbformat.read(str(path), as_version=4)
    name = exercise_of(nb)
    if name is None:
        raise SystemExit(f"{path}: the key has no metadata.alliances.exercise")
    questions = tuple(questions_module(name).QUESTIONS)
    for q in questions:
        answers = [c for c in nb.cells if is_answer(c) and question_of(c) == q.qid]
        checks = [c for c in nb.cells if is_check(c) and question_of(c) == q.qid]
        if len(answers) != 1 or len(checks) != 1:
            raise SystemExit(f"{path}: {q.qid} needs one answer cell and one check cell, "
                             f"found {len(answers)} and {len(checks)}")
        check = checks[0]
        text = "".join(o.get("text", "") for o in check.outputs if o.get("output_type") == "stream")
        if text != f"{q.qid.upper()}: correct\n" or check.execution_count is None:
            raise SystemExit(f"{path}: the check cell of {q.qid} does not hold the output "
                             f"'{q.qid.upper()}: correct'; execute the key first")
        if "nbval-check-output" not in check.metadata.get("tags", []):
            raise SystemExit(f"{path}: the check cell of {q.qid} lacks the tag nbval-check-output")
    return Key(name, Path(path), nb, questions)


# ---------------------------------------------------------------------------
# Reading a submission
# ---------------------------------------------------------------------------

class Rejected(Exception):
    """A submission that cannot be graded at all; the message is its status."""


def read_submission(path: Path) -> dict:
    """Return the submission as a plain dict, or raise :class:`Rejected`."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Rejected(f"cannot read the file ({type(err).__name__})") from None
    if size > MAX_FILE_BYTES:
        raise Rejected(f"file too large ({size // (1024 * 1024)} MB)")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("not a notebook (not UTF-8 text)") from None
    try:
        nb = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        if text.lstrip().startswith(("{", "[")):
            raise Rejected("invalid JSON") from None
        raise Rejected("not a notebook (not JSON)") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Rejected("not a notebook (no list of cells)")
    return nb


def collect_answers(nb: dict) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Return (answer sources by qid, written answers by wid, problems)."""
    answers: dict[str, str] = {}
    written: dict[str, str] = {}
    problems: list[str] = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            continue
        qid = question_of(cell)
        if is_answer(cell) and cell.get("cell_type") == "code":
            if qid in answers:
                problems.append(f"more than one answer cell {qid} (the first is graded)")
                continue
            answers[qid] = source_text(cell)
        elif is_written(cell) and qid and WRITTEN_ID_TAG.match(qid):
            written.setdefault(qid, source_text(cell).strip())
    return answers, written, problems


# ---------------------------------------------------------------------------
# Building the notebook that runs
# ---------------------------------------------------------------------------

GRADER_SETUP = '''\
def _grader_setup(limit):
    """Cap the text each cell prints (the grader's own cell)."""
    import sys
    from IPython import get_ipython
    used = [0]
    get_ipython().events.register("pre_run_cell", lambda *args: used.__setitem__(0, 0))
    for stream in (sys.stdout, sys.stderr):
        def capped(text, _write=stream.write):
            room = limit - used[0]
            if room <= 0:
                return len(text)
            used[0] += len(text)
            if len(text) > room:
                _write(text[:room] + "\\n[output cut by the grader]\\n")
                return len(text)
            return _write(text)
        stream.write = capped
_grader_setup({limit})
del _grader_setup
'''


@dataclass(frozen=True)
class CellRole:
    kind: str          # "setup", "answer", "check", "other"
    qid: str = ""


def build_notebook(key: Key, answers: dict[str, str], limits: Limits
                   ) -> tuple[nbformat.NotebookNode, list[CellRole]]:
    """The key with the student's answers in it; returns it and each code cell's role."""
    nb = copy.deepcopy(key.notebook)
    setup = nbformat.v4.new_code_cell(GRADER_SETUP.format(limit=limits.output_kb * 1024))
    cells, roles = [setup], [CellRole("setup")]
    for cell in nb.cells:
        if is_solution(cell) or is_written(cell):
            continue
        if cell.cell_type == "code":
            qid = question_of(cell) or ""
            if is_answer(cell):
                cell.source = NBVAL_MARKER.sub("# (nbval marker removed by the grader)",
                                               answers.get(qid, stub_for(qid)))
                cell.outputs = []
                roles.append(CellRole("answer", qid))
            elif is_check(cell):
                roles.append(CellRole("check", qid))
            else:
                roles.append(CellRole("other"))
        cells.append(cell)
    nb.cells = cells
    return nb, roles


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------

@dataclass
class CellResult:
    outcome: str      # "passed", "failed", "skipped"
    text: str = ""


@dataclass
class Run:
    cells: dict[int, CellResult] | None  # None: no report
    problem: str = ""                    # why there is no report


def _limit_resources(limits: Limits):
    def apply() -> None:
        mem = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        size = limits.file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _kill_tree(proc: subprocess.Popen, seen: dict) -> None:
    """Kill the pytest process group and every process it started (the kernel
    runs in a session of its own, so the group alone is not enough)."""
    import psutil

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid, created in seen.items():
        try:
            p = psutil.Process(pid)
            if p.create_time() == created:
                p.kill()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass


def grader_env(tmp: Path) -> dict[str, str]:
    """Environment of the processes a run starts (pytest and, through it, the kernel)."""
    return {**os.environ,
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PYTHONPATH": os.pathsep.join([str(SHIM_DIR)] + [p for p in os.environ.get(
                "PYTHONPATH", "").split(os.pathsep) if p]),
            "ALLIANCES_RENDER": "book",
            "IPYTHONDIR": str(tmp / "ipython"),
            "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1"}


def run_notebook(nb: nbformat.NotebookNode, limits: Limits) -> Run:
    """Run one notebook under pytest + nbval in a temporary folder; parse the report."""
    import psutil

    with tempfile.TemporaryDirectory(prefix="alliances-grade-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        work.mkdir()
        (tmp / "ipython").mkdir()
        ini = tmp / "pytest.ini"
        ini.write_text("[pytest]\n")
        notebook = work / "submission.ipynb"
        nbformat.write(nb, str(notebook))
        report = tmp / f"report-{secrets.token_hex(8)}.xml"  # not guessable from the kernel
        log = tmp / "pytest.log"
        env = grader_env(tmp)
        cmd = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(tmp),
               "-p", "nbval.plugin", "-p", "no:cacheprovider", "--color=no", "-vv", "-q",
               "--nbval-lax", "--nbval-current-env",
               f"--nbval-cell-timeout={limits.cell_timeout:g}",
               f"--junitxml={report}", str(notebook)]
        with open(log, "wb") as out:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=_limit_resources(limits))
            seen: dict[int, float] = {}
            deadline = time.monotonic() + limits.timeout
            timed_out = False
            while True:
                try:
                    proc.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    pass
                try:
                    for child in psutil.Process(proc.pid).children(recursive=True):
                        seen.setdefault(child.pid, child.create_time())
                except psutil.Error:
                    pass
                if time.monotonic() > deadline:
                    timed_out = True
                    _kill_tree(proc, seen)
                    proc.wait()
                    break
            _kill_tree(proc, seen)  # a kernel left behind dies with its run
        if os.environ.get("ALLIANCES_GRADE_LOGS"):  # debugging aid: keep pytest's log
            logs = Path(os.environ["ALLIANCES_GRADE_LOGS"])
            logs.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, logs / f"{tmp.name}.log")
        if timed_out:
            return Run(None, f"timeout (the notebook ran over {limits.timeout:g} s)")
        if proc.returncode not in (0, 1) or not report.exists():
            # 0/1: pytest finished (with or without failing cells). Anything else, e.g.
            # killed by a signal from the notebook's code: no report is trusted.
            return Run(None, f"the run stopped abnormally (pytest exit code {proc.returncode})")
        try:
            return Run(parse_report(report, work))
        except ET.ParseError:
            return Run(None, "unreadable test report")


def _clean(text: str, work: Path | None = None) -> str:
    text = ANSI.sub("", text or "")
    if work is not None:
        text = text.replace(str(work) + os.sep, "").replace(str(work), ".")
    return ADDRESS.sub("0x…", text)


def parse_report(report: Path, work: Path | None = None) -> dict[int, CellResult]:
    """Per-cell outcomes from pytest's JUnit XML (test names are ``Cell N``)."""
    results: dict[int, CellResult] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        m = re.fullmatch(r"Cell (\d+)", case.get("name", ""))
        if not m:
            continue
        outcome, text = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome, text = "failed", (child.text or child.get("message", ""))
            elif child.tag == "skipped":
                outcome, text = "skipped", child.get("message", "")
        results[int(m.group(1))] = CellResult(outcome, _clean(text, work))
    return results


def last_error_line(text: str) -> str:
    """The exception line of a cell failure (``NameError: name 'x' is not defined``)."""
    lines = [re.sub(r"^E\s+", "", ln.strip()) for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning)\b.*", ln):
            return ln[:200]
    if "Kernel dead" in text:
        return "the kernel died (memory limit or a crash)"
    return lines[-1][:200] if lines else "unknown error"


def is_timeout(text: str) -> bool:
    return "Timeout of" in text and "exceeded" in text


# ---------------------------------------------------------------------------
# Grading one submission
# ---------------------------------------------------------------------------

def grade_file(path: Path, name: str, key: Key, limits: Limits) -> Result:
    """Grade one submission; never raises."""
    result = Result(name, exercise=key.exercise, points={q: 0 for q in key.qids})
    try:
        _grade(path, key, limits, result)
    except Rejected as why:
        result.problems.append(str(why))
        for qid in key.qids:
            result.messages.setdefault(qid, f"{qid.upper()}: not graded: {why}")
    except Exception as err:  # the batch must go on
        result.problems.append(f"grader error ({type(err).__name__})")
    return result


def _grade(path: Path, key: Key, limits: Limits, result: Result) -> None:
    nb = read_submission(path)
    declared = exercise_of(nb)
    if declared is not None and declared != key.exercise:
        result.exercise = declared
        raise Rejected(f"wrong exercise ({declared}, not {key.exercise})")
    answers, written, problems = collect_answers(nb)
    result.written = written
    if declared is None:
        if not answers:
            raise Rejected("not an exercise notebook (no exercise metadata, no answer cells)")
        result.problems.append("no exercise metadata")
    result.problems += problems
    missing = {qid for qid in key.qids if qid not in answers}
    for qid in key.qids:
        if qid in missing:
            result.problems.append(f"missing answer cell {qid}")
    stubbed: set[str] = set()
    restarts = 0
    for _attempt in range(len(key.qids) + KERNEL_RETRIES + 1):
        run_answers = {q: src for q, src in answers.items() if q not in stubbed}
        nb_run, roles = build_notebook(key, run_answers, limits)
        run = run_notebook(nb_run, limits)
        if run.cells is not None and kernel_failed(run) and restarts < KERNEL_RETRIES:
            restarts += 1  # a kernel that did not start (e.g. a port taken at launch)
            continue
        if run.cells is not None and kernel_failed(run):
            run = Run(None, "the kernel did not start")
        if run.cells is None:
            result.problems.append(run.problem)
            for qid in key.qids:
                result.messages[qid] = f"{qid.upper()}: not graded: {run.problem}"
            return
        timed_out = _first_timeout(run, roles)
        if timed_out and timed_out not in stubbed:
            stubbed.add(timed_out)
            continue
        _score(run, roles, key, result, stubbed, missing)
        return


KERNEL_RETRIES = 2
KERNEL_START_FAILURES = ("Kernel died before replying", "Kernel didn't respond")


def kernel_failed(run: Run) -> bool:
    """True when the kernel never started (the first cell could not run)."""
    first = run.cells.get(0)
    return first is not None and any(m in first.text for m in KERNEL_START_FAILURES)


def _first_timeout(run: Run, roles: list[CellRole]) -> str | None:
    """The question whose answer or check cell timed out first, if any."""
    for index in sorted(run.cells):
        cell = run.cells[index]
        if cell.outcome == "failed" and is_timeout(cell.text) and index < len(roles):
            return roles[index].qid or None
    return None


def _score(run: Run, roles: list[CellRole], key: Key, result: Result, stubbed: set[str],
           missing: set[str]) -> None:
    answer_error: dict[str, str] = {}   # qid -> status text
    answer_line: dict[str, str] = {}    # qid -> the exception line
    for index, role in enumerate(roles):
        cell = run.cells.get(index)
        if role.kind != "answer" or cell is None or cell.outcome != "failed":
            continue
        line = answer_line[role.qid] = last_error_line(cell.text)
        if "MemoryError" in line:
            answer_error[role.qid] = f"memory limit in {role.qid}"
        else:
            answer_error[role.qid] = f"error in {role.qid}: {line}"
    for qid in key.qids:
        if qid in stubbed:
            result.problems.append(f"timeout in {qid} (a cell ran over the time limit)")
        elif qid in answer_error:
            result.problems.append(answer_error[qid])
    for index, role in enumerate(roles):
        if role.kind != "check":
            continue
        qid = role.qid
        cell = run.cells.get(index)
        if cell is not None and cell.outcome == "passed" and qid not in stubbed | missing:
            result.points[qid] = key.points[qid]
            result.messages[qid] = f"{qid.upper()}: correct"
        elif qid in stubbed:
            result.messages[qid] = (f"{qid.upper()}: not graded: your answer cell ran over the "
                                    f"time limit (an endless loop?).")
        elif qid in missing:
            result.messages[qid] = (f"{qid.upper()}: not graded: no answer cell tagged {qid} was "
                                    f"found (was it deleted, or its tags changed?).")
        elif qid in answer_error:
            what = ("ran out of memory" if "MemoryError" in answer_line[qid]
                    else f"raised an error ({answer_line[qid]})")
            result.messages[qid] = (f"{qid.upper()}: your answer cell {what}, so there was "
                                    f"nothing to check.")
        elif cell is None:
            result.messages[qid] = f"{qid.upper()}: not graded: the check did not run."
        elif cell.outcome == "skipped":
            result.messages[qid] = (f"{qid.upper()}: not graded: an earlier cell ran over the "
                                    f"time limit.")
        else:
            found = NOT_YET.findall(cell.text)
            if found:
                result.messages[qid] = found[0].strip()
            elif "Cell execution caused an exception" in cell.text:
                line = last_error_line(cell.text)
                result.messages[qid] = f"{qid.upper()}: the check could not run ({line})"
                if qid not in answer_error:
                    result.problems.append(f"error in check {qid}: {line}")
            else:
                result.messages[qid] = (f"{qid.upper()}: not yet — the check printed "
                                        f"something other than its verdict.")


# ---------------------------------------------------------------------------
# The batch and its outputs
# ---------------------------------------------------------------------------

def find_submissions(folder: Path) -> list[tuple[Path, str]]:
    """Every ``*.ipynb`` under ``folder`` with its name relative to it, sorted."""
    found = []
    for path in folder.rglob("*.ipynb"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        found.append((path, rel.as_posix()))
    return sorted(found, key=lambda item: item[1])


def grade_folder(folder: Path, key: Key, limits: Limits, workers: int | None = None
                 ) -> list[Result]:
    """Grade every submission in ``folder`` in parallel; results in name order."""
    subs = find_submissions(folder)
    workers = max(1, workers or os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(grade_file, path, name, key, limits) for path, name in subs]
        results = []
        for (path, name), fut in zip(subs, futures):
            try:
                results.append(fut.result())
            except Exception as err:  # pragma: no cover - grade_file never raises
                r = Result(name, key.exercise, {q: 0 for q in key.qids})
                r.problems.append(f"grader error ({type(err).__name__})")
                results.append(r)
    return results


def feedback_name(submission: str) -> str:
    return re.sub(r"\.ipynb$", "", submission) + ".md"


def write_outputs(results: list[Result], key: Key, out: Path) -> None:
    """Write gradebook.csv, feedback/*.md and written.csv into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    feedback_dir = out / "feedback"
    if feedback_dir.exists():
        shutil.rmtree(feedback_dir)
    feedback_dir.mkdir()
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["submission", "exercise", *key.qids, "total", "status"])
        for r in results:
            writer.writerow([r.submission, r.exercise, *(r.points.get(q, 0) for q in key.qids),
                             r.total, r.status])
    with open(out / "written.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["submission", "question", "answer"])
        for r in results:
            for wid, text in sorted(r.written.items()):
                writer.writerow([r.submission, wid, text])
    possible = sum(key.points.values())
    for r in results:
        path = feedback_dir / feedback_name(r.submission)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_text(r, key, possible), encoding="utf-8")


def feedback_text(r: Result, key: Key, possible: int) -> str:
    lines = [f"# Feedback on {r.submission}", "",
             f"- Exercise: {r.exercise or 'unknown'}",
             f"- Total: {r.total} of {possible} points",
             f"- Status: {r.status}", "",
             "| Question | Points | Result |", "|---|---|---|"]
    for q in key.questions:
        message = r.messages.get(q.qid, "not graded").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {q.qid} ({q.label}) | {r.points.get(q.qid, 0)} / {q.points} | {message} |")
    if r.written:
        lines += ["", "## Written answers (read by your instructor, not graded)", ""]
        for wid, text in sorted(r.written.items()):
            lines += [f"### {wid}", "", text or "(empty)", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--out", type=Path, required=True, help="folder for the gradebook")
    parser.add_argument("--exercise", default=None,
                        help=f"exercise to grade ({', '.join(EXERCISES)}; default: the first)")
    parser.add_argument("--key", type=Path, default=None,
                        help="instructor source to grade against (default: the exercise's)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="notebooks run at once (default: the number of cores)")
    parser.add_argument("--cell-timeout", type=float, default=Limits.cell_timeout,
                        help="seconds per cell (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=Limits.timeout,
                        help="seconds per notebook (default %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb,
                        help="memory limit per notebook, MB (default %(default)s)")
    parser.add_argument("--output-kb", type=int, default=Limits.output_kb,
                        help="printed output kept per cell, kB (default %(default)s)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    key = load_key(args.exercise, args.key)
    limits = Limits(args.cell_timeout, args.timeout, args.memory_mb, args.output_kb)
    results = grade_folder(args.submissions, key, limits, args.workers)
    write_outputs(results, key, args.out)
    ok = sum(r.status == "ok" for r in results)
    print(f"graded {len(results)} submission(s) of {key.exercise!r} ({ok} with status ok): "
          f"{args.out / 'gradebook.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
