"""Benchmark the grader on a generated class (a benchmark, not a test).

    python -m alliances.grading.bench --n 100        (or: make bench-grade)

Writes ``--n`` submissions (a deterministic mix of the four exercises, fully
and partly correct), grades them sandboxed exactly as ``make grade`` does,
and prints

* the batch's wall time, seconds per submission and submissions per minute;
* the floor it is measured against: executing the key's cells once in an
  interpreter that has already imported everything (no sandbox, no fork);
* the ratio of the per-submission core time to that floor.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ..exercises import CHAPTER_ORDER, EXERCISES, is_answer, question_of
from ..exercises.bundle import write_bundle
from ..exercises.release import student_edition
from .batch import grade_local, key_notebook
from .sandbox import Limits, check_available
from .score import cells_for
from .submissions import read_folder

#: A wrong answer appended to some solutions (the solution's names stay defined).
WRONG = 'answer_{qid} = "not the answer"'


def make_class(folder: Path, n: int) -> None:
    """Write ``n`` submissions: the exercises in turn; every third fully correct."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [e for e in CHAPTER_ORDER if e in EXERCISES]
    for i in range(n):
        name = names[i % len(names)]
        key = key_notebook(name)
        nb = student_edition(key)
        solutions = {question_of(c): c.source for c in key.cells if is_answer(c)}
        for j, cell in enumerate(c for c in nb.cells if is_answer(c)):
            qid = question_of(cell)
            wrong = i % 3 != 0 and (i + j) % 4 == 0
            cell.source = solutions[qid] + ("\n" + WRONG.format(qid=qid) if wrong else "")
        nbformat.write(copy.deepcopy(nb), str(folder / f"student_{i:03d}_{name}.ipynb"))


def floor_seconds(repeat: int = 3) -> float:
    """Seconds to run every exercise's key cells once, averaged per exercise, in this
    already-started interpreter (the cost no grader that runs the notebook can avoid)."""
    from IPython.core.interactiveshell import InteractiveShell

    best = []
    for name in (e for e in CHAPTER_ORDER if e in EXERCISES):
        key = key_notebook(name)
        solutions = {question_of(c): c.source for c in key.cells if is_answer(c)}
        cells = cells_for(key, solutions, set())
        times = []
        for _ in range(repeat):
            shell = InteractiveShell()
            shell.display_formatter.active_types = ["text/plain"]
            with contextlib.redirect_stdout(io.StringIO()):
                start = time.perf_counter()
                for cell in cells:
                    shell.run_cell(cell["source"], store_history=False)
                times.append(time.perf_counter() - start)
            InteractiveShell.clear_instance()
        best.append(min(times))
    return sum(best) / len(best)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="submissions (default 100)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    check_available()
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as tmp:
        tmp = Path(tmp)
        make_class(tmp / "class", args.n)
        write_bundle(tmp / "bundle", for_grading=True)
        tmp.chmod(0o755)
        subs, _ = read_folder(tmp / "class", {e: key_notebook(e) for e in EXERCISES})
        start = time.perf_counter()
        results = grade_local(subs, tmp / "bundle", Limits(), args.workers, True)
        wall = time.perf_counter() - start
    floor = floor_seconds()
    ok = sum(r.status == "ok" for r in results)
    per_core = wall * args.workers / args.n
    print(f"graded {args.n} submissions ({ok} with status ok) sandboxed, on {args.workers} "
          f"worker(s), {os.cpu_count()} core(s)")
    print(f"  batch wall time:            {wall:6.1f} s  ({args.n / wall * 60:.0f} submissions/min,"
          f" {args.n / (wall * args.workers / 60):.0f} per core-minute)")
    print(f"  core-seconds / submission:  {per_core:6.2f} s")
    print(f"  floor (key cells, warm):    {floor:6.2f} s  per submission")
    print(f"  ratio to the floor:         {per_core / floor:6.1f}x")
    target = 60.0
    print(f"  100 submissions would take {wall / args.n * 100:.1f} s: "
          f"{'within' if wall / args.n * 100 <= target else 'OVER'} the {target:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
