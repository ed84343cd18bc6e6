"""Grade a folder of submitted exercise notebooks (see :mod:`alliances.grading`).

    python -m alliances.grading SUBMISSIONS_DIR --out OUT_DIR [options]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..exercises import CHAPTER_ORDER, EXERCISES
from ..exercises.bundle import write_bundle
from . import outputs
from .batch import Progress, Result, grade_local, key_notebook
from .key import load as load_key
from .sandbox import Limits, SandboxUnavailable, check_available
from .submissions import flag_duplicates, read_folder


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alliances.grading",
                                description="Grade a folder of submitted exercise notebooks "
                                            "in a sandbox, against the instructor's key.")
    p.add_argument("submissions", type=Path, help="folder of submitted notebooks (any mix of "
                                                  "the exercises)")
    p.add_argument("--out", type=Path, required=True, help="folder for the gradebooks and "
                                                           "feedback")
    p.add_argument("--exercise", choices=list(EXERCISES), action="append", default=None,
                   help="grade only this exercise (repeatable; default: every exercise)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: the number of cores)")
    p.add_argument("--cell-timeout", type=float, default=Limits.cell_timeout,
                   help="seconds per cell (default %(default)s)")
    p.add_argument("--timeout", type=float, default=Limits.timeout,
                   help="seconds per notebook (default %(default)s)")
    p.add_argument("--memory-mb", type=int, default=Limits.memory_mb,
                   help="memory per submission, MB (default %(default)s)")
    p.add_argument("--force", action="store_true",
                   help="replace the results of an earlier run in --out (manual marks and files "
                        "the grader did not write are kept)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap where it cannot run (every row is marked "
                        "unsandboxed; student code can then reach this machine)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a folder", file=sys.stderr)
        return 2
    try:
        earlier = outputs.prepare(args.out, args.submissions, args.force)
    except outputs.OutputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    sandboxed = not args.no_sandbox
    if sandboxed:
        try:
            check_available()
        except SandboxUnavailable as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    chosen = args.exercise or [name for name in CHAPTER_ORDER if name in EXERCISES]
    keys = {name: load_key(name) for name in EXERCISES}
    notebooks = {name: key_notebook(name) for name in EXERCISES}
    subs, skipped = read_folder(args.submissions, notebooks)
    if not subs:
        listed = f" ({len(skipped)} housekeeping file(s) skipped)" if skipped else ""
        print(f"error: no submissions in {args.submissions}{listed}; nothing was graded",
              file=sys.stderr)
        return 2
    flag_duplicates(subs)
    label = "bubblewrap" if sandboxed else "unsandboxed"
    limits = Limits(cell_timeout=args.cell_timeout, timeout=args.timeout,
                    memory_mb=args.memory_mb)
    for sub in subs:
        if sub.exercise and sub.exercise not in chosen:
            sub.problem = f"not graded in this run (it grades only {', '.join(chosen)})"
    progress = Progress(sum(1 for s in subs))
    with tempfile.TemporaryDirectory(prefix="alliances-bundle-") as tmp:
        bundle = Path(tmp) / "bundle"
        write_bundle(bundle, for_grading=True)
        Path(tmp).chmod(0o755)
        results = grade_local(subs, bundle, limits, args.workers, sandboxed, progress.step)
    files = outputs.render(results, {k: keys[k] for k in chosen}, skipped)
    outputs.write_all(args.out, files, earlier)
    summary(results, skipped, args.out, label)
    return 0


def summary(results: list[Result], skipped: list[tuple[str, str]], out: Path, label: str) -> None:
    graded = [r for r in results if r.questions and any(
        q.result != "not graded" for q in r.questions.values())]
    ok = sum(r.status == "ok" for r in graded)
    print(f"graded {len(graded)} submission(s) ({ok} with status ok, "
          f"{len(graded) - ok} with a problem noted in their row){'' if label == 'bubblewrap' else ' WITHOUT THE SANDBOX'}")
    not_graded = [r for r in results if r not in graded]
    if not_graded:
        print(f"not graded: {len(not_graded)} file(s)")
        for r in not_graded:
            print(f"  {r.submission}: {r.status}")
    if skipped:
        print(f"skipped: {len(skipped)} file(s)")
        for name, why in skipped:
            print(f"  {name}: {why}")
    print(f"gradebook: {out / 'gradebook.csv'}")


if __name__ == "__main__":
    sys.exit(main())
