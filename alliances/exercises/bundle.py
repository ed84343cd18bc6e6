"""Write the student bundle: what a class's students (or their JupyterHub) receive.

    python -m alliances.exercises.bundle OUT_DIR

The bundle holds the package without the grader (its in-class checks compare
salted hashes and store no answer), the data, the files needed to install them, and the student
edition of every exercise in ``exercises/``. It leaves out everything that
holds a solution: the instructor sources in ``book/exercises/`` and the
grader's test fixtures. Push it to a repository of its own for the class and
point nbgitpuller links (or a hub image) at it; see the page "For instructors".
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

from ..paths import ROOT
from . import EXERCISES, HASHES_FILE
from .release import student_edition

FILES = ("pyproject.toml", "requirements.txt", "constraints.txt", "README.md")
FOLDERS = ("alliances", "data")
MARKER = ".alliances-student-bundle"
#: Left out of the package: the grader (its key holds every answer) and build-only code.
INSTRUCTOR_ONLY = ("grading", "_grader_shim", "grade.py", "bench_grade.py")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info",
                                *INSTRUCTOR_ONLY)


def write_bundle(out: Path, for_grading: bool = False) -> list[Path]:
    """Write the bundle into ``out`` (replacing an earlier one); return the notebooks.

    ``for_grading`` writes what the grader's sandbox sees: the same package and
    data, but without the table of answer hashes (a graded run has no use for
    in-class checks, so it gets no oracle to try answers against) and without
    the notebooks."""
    out = out.resolve()
    if out == ROOT or out in ROOT.parents:
        raise SystemExit(f"{out}: refusing to write the bundle over the repository")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and is not an earlier bundle; choose another folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by python -m alliances.exercises.bundle\n")
    ignore = IGNORE
    if for_grading:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints",
                                        "*.egg-info", *INSTRUCTOR_ONLY, HASHES_FILE.name)
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, out / folder, ignore=ignore)
    for name in FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, out / name)
    notebooks: list[Path] = []
    if for_grading:
        return notebooks
    (out / "exercises").mkdir()
    for source in EXERCISES.values():
        target = out / "exercises" / source.name
        nbformat.write(student_edition(nbformat.read(str(source), as_version=4)), str(target))
        notebooks.append(target)
    return notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the bundle into (replaced)")
    args = parser.parse_args(argv)
    notebooks = write_bundle(args.out_dir)
    print(f"wrote the student bundle {args.out_dir} with {len(notebooks)} exercise notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
