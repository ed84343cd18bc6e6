"""Write the student edition of an exercise notebook.

    python -m alliances.exercises.release book/exercises/triangles_exercises.ipynb OUT_DIR

The student edition is the instructor source with

* every answer cell (tags ``answer`` + ``qN``) replaced by the stub
  ``answer_qN = ...  # your answer here``;
* every written-answer cell (tag ``written``) replaced by a short prompt;
* every solution-only cell (tag ``solution``) removed;
* every output and execution count cleared;
* ``metadata.alliances`` = ``{"exercise": ..., "edition": "student"}``, which
  the grader reads to know which key a submission belongs to.

With ``--with-solutions`` it writes the instructor edition instead (solutions
kept, outputs kept), for an instructor who wants a copy to share after the
deadline.
"""
from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

from . import (METADATA_KEY, WRITTEN_STUB, exercise_of, is_answer, is_solution, is_written,
               question_of, stub_for)


def student_edition(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the student edition of an instructor-source notebook."""
    nb = copy.deepcopy(source)
    cells = []
    for cell in nb.cells:
        if is_solution(cell):
            continue
        if cell.cell_type == "code":
            if is_answer(cell):
                cell.source = stub_for(question_of(cell))
            cell.outputs = []
            cell.execution_count = None
        elif is_written(cell):
            cell.source = WRITTEN_STUB
        cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    info = dict(nb.metadata.get(METADATA_KEY, {}))
    info["edition"] = "student"
    nb.metadata[METADATA_KEY] = info
    return nb


def release(source_path: Path, out_dir: Path, with_solutions: bool = False) -> Path:
    """Write the student (or instructor) edition of ``source_path`` into ``out_dir``."""
    source = nbformat.read(str(source_path), as_version=4)
    if exercise_of(source) is None:
        raise SystemExit(f"{source_path}: no metadata.{METADATA_KEY}.exercise; "
                         f"is this an exercise notebook?")
    nb = copy.deepcopy(source) if with_solutions else student_edition(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / Path(source_path).name
    nbformat.validate(nb)
    nbformat.write(nb, str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="instructor source (.ipynb)")
    parser.add_argument("out_dir", type=Path, help="folder to write the edition into")
    parser.add_argument("--with-solutions", action="store_true",
                        help="write the instructor edition (solutions and outputs kept)")
    args = parser.parse_args(argv)
    target = release(args.source, args.out_dir, args.with_solutions)
    edition = "instructor edition (with solutions)" if args.with_solutions else "student edition"
    print(f"wrote the {edition}: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
