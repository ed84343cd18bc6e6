"""Benchmark the grader on a generated class.

    python -m alliances.bench_grade --n 100

Writes ``--n`` submissions (a deterministic mix of fully and partly correct
student editions) into a temporary folder, grades them with
:mod:`alliances.grade` exactly as ``python -m alliances.grade`` does, and
reports

* the wall time of the whole batch and submissions per minute;
* the wall time of one plain execution of the key (nbclient, no pytest), the
  floor any grader that runs the notebook must pay;
* the per-submission overhead: core-seconds spent per submission
  (wall time x workers / n) minus that plain execution.
"""
from __future__ import annotations

import argparse
import copy
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from .exercises import EXERCISES, is_answer, question_of
from .exercises.release import student_edition
from . import grade

#: A wrong answer for each question, used to make partly correct submissions.
WRONG = {
    "q1": 'answer_q1 = "stable marriage"',
    "q2": 'answer_q2 = "wing"',
    "q3": "answer_q3 = 3",
    "q4": 'answer_q4 = alt.Chart(events).mark_point().encode(x="strategy:N", y="count()")',
    "q5": "answer_q5 = sorted(Q5_EVENTS)",
    "q6": 'answer_q6 = "wedge"',
    "q7": 'answer_q7 = "T11"',
}


def make_class(key_path: Path, folder: Path, n: int) -> None:
    """Write ``n`` submissions: every third fully correct, the rest partly correct."""
    key = nbformat.read(str(key_path), as_version=4)
    student = student_edition(key)
    solutions = {question_of(c): c.source for c in key.cells if is_answer(c)}
    qids = list(solutions)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        nb = copy.deepcopy(student)
        for cell in nb.cells:
            if is_answer(cell):
                qid = question_of(cell)
                wrong = i % 3 != 0 and (i + qids.index(qid)) % 4 == 0 and qid in WRONG
                # a wrong answer follows the solution's code, so later cells that
                # reuse its variables (kor6) still run, as in a real notebook
                cell.source = solutions[qid] + "\n" + WRONG[qid] if wrong else solutions[qid]
        nbformat.write(nb, str(folder / f"student_{i:03d}.ipynb"))


PLAIN_RUN = """
import sys, time, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=180, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
print(time.perf_counter() - start)
"""


def time_plain_execution(key_path: Path, repeat: int = 2) -> float:
    """Seconds to execute the key once with nbclient (kernel start included), in a
    process with the grader's environment; the best of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="alliances-plain-") as tmp:
            (Path(tmp) / "ipython").mkdir()
            proc = subprocess.run([sys.executable, "-c", PLAIN_RUN, str(key_path), tmp],
                                  env=grade.grader_env(Path(tmp)), capture_output=True,
                                  text=True, check=True)
            times.append(float(proc.stdout.strip().splitlines()[-1]))
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="submissions (default 100)")
    parser.add_argument("--exercise", default=next(iter(EXERCISES)))
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the gradebook here instead of a temporary folder")
    args = parser.parse_args(argv)
    key = grade.load_key(args.exercise)
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as tmp:
        subs = Path(tmp) / "submissions"
        out = args.keep or Path(tmp) / "out"
        make_class(key.path, subs, args.n)
        plain = time_plain_execution(key.path)
        start = time.perf_counter()
        results = grade.grade_folder(subs, key, grade.Limits(), args.workers)
        wall = time.perf_counter() - start
        grade.write_outputs(results, key, out)
        with open(out / "gradebook.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    ok = sum(r["status"] == "ok" for r in rows)
    per_sub = wall * args.workers / args.n
    print(f"graded {args.n} submissions ({ok} with status ok) on {args.workers} worker(s), "
          f"{os.cpu_count()} core(s)")
    print(f"  batch wall time:           {wall:7.1f} s  ({args.n / wall * 60:.1f} submissions/min)")
    print(f"  plain key execution:       {plain:7.1f} s  (nbclient: kernel start + all cells, no pytest)")
    print(f"  core-seconds / submission: {per_sub:7.1f} s")
    print(f"  overhead / submission:     {per_sub - plain:7.1f} s  beyond one plain execution")
    target = 300
    verdict = "within" if wall <= target else "OVER"
    print(f"  a class of {args.n} takes {wall / 60:.1f} min: {verdict} the {target // 60}-minute target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
