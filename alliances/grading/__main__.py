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
from . import course as course_mod
from . import marks as marks_mod
from . import outputs, report
from .batch import Progress, Result, grade_local, key_notebook
from .key import load as load_key
from .roster import RosterError, read_roster
from .sandbox import Limits, SandboxUnavailable, check_available
from .submissions import flag_duplicates, read_folder


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alliances.grading",
                                description="Grade a folder of submitted exercise notebooks "
                                            "in a sandbox, against the instructor's key.")
    p.add_argument("submissions", type=Path, help="folder of submitted notebooks (any mix of "
                                                  "the exercises)")
    p.add_argument("--out", type=Path, required=True, help="folder for the gradebooks, "
                                                           "feedback and reports")
    p.add_argument("--exercise", choices=list(EXERCISES), action="append", default=None,
                   help="grade only this exercise (repeatable; default: every exercise)")
    p.add_argument("--roster", type=Path, default=None,
                   help="CSV of the class (student_id, name, email): maps files to students")
    p.add_argument("--prefer", action="append", default=[], metavar="FILE",
                   help="of a student's several files of one exercise, count this one "
                        "(repeatable; default: the one modified last)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once on this machine (default: the cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="grade on this Dask cluster instead of this machine")
    p.add_argument("--cell-timeout", type=float, default=Limits.cell_timeout,
                   help="seconds per cell (default %(default)s)")
    p.add_argument("--timeout", type=float, default=Limits.timeout,
                   help="seconds per notebook (default %(default)s)")
    p.add_argument("--memory-mb", type=int, default=Limits.memory_mb,
                   help="memory per submission, MB (default %(default)s)")
    p.add_argument("--force", action="store_true",
                   help="replace the results of an earlier run in --out (marks.csv and files "
                        "the grader did not write are kept)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap where it cannot run (every row is marked "
                        "unsandboxed; student code can then reach this machine)")
    return p


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.submissions.is_dir():
        return fail(f"{args.submissions} is not a folder")
    try:
        earlier = outputs.prepare(args.out, args.submissions, args.force)
        roster = read_roster(args.roster) if args.roster else None
    except (outputs.OutputError, RosterError) as err:
        return fail(str(err))
    sandboxed = not args.no_sandbox
    if sandboxed and not args.scheduler:
        try:
            check_available()
        except SandboxUnavailable as err:
            return fail(str(err))
    chosen = args.exercise or [name for name in CHAPTER_ORDER if name in EXERCISES]
    keys = {name: load_key(name) for name in EXERCISES}
    subs, skipped = read_folder(args.submissions, {n: key_notebook(n) for n in EXERCISES})
    if not subs:
        listed = f" ({len(skipped)} housekeeping file(s) skipped)" if skipped else ""
        return fail(f"no submissions in {args.submissions}{listed}; nothing was graded")
    unknown = [p for p in args.prefer if p not in {s.name for s in subs}]
    if unknown:
        return fail(f"--prefer names no file of the folder: {', '.join(unknown)}")
    for sub in subs:
        if sub.exercise and sub.exercise not in chosen:
            sub.problem = f"not graded in this run (it grades only {', '.join(chosen)})"
    marks_path = args.out / marks_mod.FILE
    try:
        marks_mod.read(marks_path, _maxima(subs, keys))  # a bad marks file fails before grading
    except marks_mod.MarksError as err:
        return fail(str(err))
    flag_duplicates(subs)
    limits = Limits(cell_timeout=args.cell_timeout, timeout=args.timeout,
                    memory_mb=args.memory_mb)
    progress = Progress(len(subs))
    if args.scheduler:
        from .cluster import grade_on_cluster
        results = grade_on_cluster(subs, args.scheduler, limits, sandboxed, progress.step)
    else:
        with tempfile.TemporaryDirectory(prefix="alliances-bundle-") as tmp:
            write_bundle(Path(tmp) / "bundle", for_grading=True)
            Path(tmp).chmod(0o755)
            results = grade_local(subs, Path(tmp) / "bundle", limits, args.workers, sandboxed,
                                  progress.step)
    mtimes = {s.name: s.path.stat().st_mtime for s in subs if s.path.exists()}
    course = course_mod.assign_students(results, roster, mtimes, set(args.prefer))
    hand = marks_mod.read(marks_path, course_mod.maxima(results))
    unused = course_mod.apply_marks(results, hand)
    used_keys = {k: keys[k] for k in chosen}
    files = outputs.render(results, used_keys, skipped)
    files.update(course_mod.course_files(results, used_keys, course))
    for name, key in used_keys.items():
        if any(r.exercise == name and r.questions for r in results):
            files[f"{name}/report.html"] = report.render(results, key,
                                                         course_mod.TITLES.get(name, name))
    outputs.write_all(args.out, files, earlier)
    added = marks_mod.merge(marks_path, course_mod.mark_rows(results))
    summary(results, skipped, args.out, sandboxed, course, unused, added)
    return 0


def _maxima(subs, keys) -> dict[tuple[str, str], int]:
    out = {}
    for sub in subs:
        if sub.exercise in keys:
            key = keys[sub.exercise]
            out.update({(sub.name, q): p for q, p in key.points.items()})
            out.update({(sub.name, w): p for w, p in key.written_points.items()})
    return out


def summary(results: list[Result], skipped: list[tuple[str, str]], out: Path, sandboxed: bool,
            course, unused: list[str], added: int) -> None:
    graded = [r for r in results if r.questions and any(
        q.result != "not graded" for q in r.questions.values())]
    ok = sum(r.status == "ok" for r in graded)
    print(f"graded {len(graded)} submission(s) ({ok} with status ok, "
          f"{len(graded) - ok} with a problem noted in their row)"
          f"{'' if sandboxed else ' WITHOUT THE SANDBOX'}")
    not_graded = [r for r in results if r not in graded]
    if not_graded:
        print(f"not graded: {len(not_graded)} file(s)")
        for r in not_graded:
            print(f"  {r.submission}: {r.status}")
    if skipped:
        print(f"skipped: {len(skipped)} file(s)")
        for name, why in skipped:
            print(f"  {name}: {why}")
    if course.matching is not None:
        if course.matching.unmatched:
            print(f"files matching no student of the roster: {len(course.matching.unmatched)}")
            for name, why in sorted(course.matching.unmatched.items()):
                print(f"  {name}: {why}")
        if course.matching.missing:
            print(f"students with no submission: {len(course.matching.missing)}")
            for s in course.matching.missing:
                print(f"  {s.student_id} {s.name}".rstrip())
    for line in unused:
        print(line)
    to_mark = sum(len(r.to_mark) for r in results)
    print(f"hand-marking: {out / marks_mod.FILE} ({added} new row(s); {to_mark} written "
          f"answer(s) not marked yet)")
    print(f"gradebook: {out / 'gradebook.csv'}; course: {out / 'course.csv'}")


if __name__ == "__main__":
    sys.exit(main())
