"""Write what the grader produces, atomically and identically on every run.

Layout of the output folder:

* ``gradebook.csv``: every file of the submissions folder, one row each
  (exercise, total, possible, status, notes);
* ``<exercise>/gradebook.csv``: that exercise's rows, one column per question;
* ``<exercise>/questions.csv``: one row per submission and question (points,
  result, the message, the answer as read);
* ``<exercise>/written.csv``: the written answers;
* ``feedback/<submission>.md``: what each student gets back;
* ``results/<submission>.json``: the structured result of each submission;
* ``files.csv``: what was done with every file, including skipped ones.

Every file is written to a temporary name and renamed into place, so none is
ever half-written. Every CSV cell that a spreadsheet would read as a formula
(``=``, ``+``, ``-``, ``@``, tab or carriage return first) is prefixed with
``'``. The grader lists what it wrote in ``.grader-manifest.json``; a rerun
replaces only those files and keeps every other file in the folder.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from ..data.cache import write_atomic

from .batch import Result
from .key import ExerciseKey

MANIFEST = ".grader-manifest.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(SystemExit):
    """The output folder cannot be used; the message says why."""


def safe_cell(value: object) -> object:
    """A CSV cell that no spreadsheet evaluates as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """A cell as the grader meant it: the ``'`` that :func:`safe_cell` put in front of a
    formula-like value is taken off again when the grader reads its own CSV back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def prepare(out: Path, submissions: Path, force: bool) -> dict:
    """Check the output folder before any grading; return the earlier manifest."""
    out = out.resolve()
    subs = submissions.resolve()
    if out == subs or subs in out.parents:
        raise OutputError(f"the output folder {out} is inside the submissions folder {subs}; "
                          f"choose a folder outside it")
    if out in subs.parents:
        raise OutputError(f"the output folder {out} contains the submissions folder; "
                          f"choose another one")
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / ".grader-write-test", "ok\n")
        (out / ".grader-write-test").unlink()
    except OSError as err:
        raise OutputError(f"cannot write into the output folder {out}: {err.strerror or err}. "
                          f"Nothing was graded.") from None
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        if not force:
            raise OutputError(f"{out} already holds results of an earlier run. Pass --force (make "
                              f"grade FORCE=1) to replace them: manual marks and every file the "
                              f"grader did not write are kept. Nothing was graded.")
        try:
            return json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
    return {}


def feedback_path(submission: str) -> str:
    return "feedback/" + re.sub(r"\.ipynb(\.[A-Za-z0-9]{1,5})*$", "", submission,
                                flags=re.I) + ".md"


def result_path(submission: str) -> str:
    return f"results/{submission}.json"


def _n(x) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def feedback_text(r: Result, key: ExerciseKey | None) -> str:
    """The feedback file a student receives."""
    lines = [f"# Feedback on {r.submission}", ""]
    if r.exercise:
        lines.append(f"- Exercise: {r.exercise}")
    if r.questions:
        lines += [f"- Total: {_n(r.total)} of {r.possible} points", f"- Status: {r.status}"]
        if r.to_mark:
            lines.append(f"- Not marked yet: {', '.join(r.to_mark)} (your instructor marks "
                         f"written answers by hand)")
    else:
        lines.append(f"- Not graded: {r.status}")
    for note in r.notes:
        lines.append(f"- Note: {note}")
    if r.sandbox != "bubblewrap":
        lines.append("- Graded without the sandbox")
    if key is not None and r.questions:
        lines += ["", "| Question | Points | Result |", "|---|---|---|"]
        for q in key.questions:
            res = r.questions.get(q.qid)
            if res is None:
                continue
            message = res.message
            mark = r.manual.get(q.qid) or {}
            if mark.get("points") is not None:
                message = (f"{q.qid.upper()}: marked by hand ({_n(mark['points'])} of "
                           f"{res.possible}). The grader said: {res.message}")
            if mark.get("comment"):
                message += f" Instructor: {mark['comment']}"
            message = message.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {q.qid} ({q.label}) | {_n(r.points_of(q.qid))} / {res.possible} | "
                         f"{message} |")
    if r.written or r.written_max:
        lines += ["", "## Written answers", ""]
        labels = {w.wid: w.label for w in (key.written if key is not None else ())}
        for wid in sorted(set(r.written) | set(r.written_max)):
            mark = r.manual.get(wid) or {}
            heading = f"### {wid}" + (f" ({labels[wid]})" if wid in labels else "")
            lines += [heading, "", r.written.get(wid) or "(empty)", ""]
            if wid in r.written_max:
                points = mark.get("points")
                lines.append(f"*Points:* {_n(points)} of {r.written_max[wid]}" if points is not None
                             else f"*Points:* not marked yet (of {r.written_max[wid]})")
                lines.append("")
            if mark.get("comment"):
                lines += [f"*Instructor:* {mark['comment']}", ""]
    return "\n".join(lines).rstrip() + "\n"


def answer_text(answer: object) -> str:
    if answer is None:
        return ""
    text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 300 else text[:297] + "..."


def render(results: list[Result], keys: dict[str, ExerciseKey],
           skipped: list[tuple[str, str]]) -> dict[str, str]:
    """Every per-file and per-exercise output (path relative to the output folder) and text."""
    files: dict[str, str] = {}
    files["gradebook.csv"] = csv_text(
        ["submission", "student", "exercise", "total", "possible", "status", "notes", "sandbox"],
        [[r.submission, r.student, r.exercise, _n(r.total), r.possible, r.status,
          "; ".join(r.notes), r.sandbox] for r in results])
    for name, key in keys.items():
        mine = [r for r in results if r.exercise == name and r.questions]
        if not mine:
            continue
        wids = list(key.written_points)
        files[f"{name}/gradebook.csv"] = csv_text(
            ["submission", "student", *key.qids, *wids, "total", "possible", "status", "to_mark",
             "superseded_by", "sandbox"],
            [[r.submission, r.student, *(_n(r.points_of(q)) for q in key.qids),
              *(_n(r.points_of(w)) if w not in r.to_mark else "" for w in wids), _n(r.total),
              r.possible, r.status, " ".join(r.to_mark), r.superseded_by, r.sandbox]
             for r in mine])
        files[f"{name}/questions.csv"] = csv_text(
            ["submission", "student", "question", "points", "possible", "result", "message",
             "answer"],
            [[r.submission, r.student, q, _n(r.points_of(q)), r.questions[q].possible,
              "marked by hand" if (r.manual.get(q) or {}).get("points") is not None
              else r.questions[q].result, r.questions[q].message,
              answer_text(r.questions[q].answer)] for r in mine for q in key.qids])
        files[f"{name}/written.csv"] = csv_text(
            ["submission", "student", "question", "answer"],
            [[r.submission, r.student, w, text] for r in mine
             for w, text in sorted(r.written.items())])
    for r in results:
        files[feedback_path(r.submission)] = feedback_text(r, keys.get(r.exercise))
        files[result_path(r.submission)] = json.dumps(r.as_dict(), indent=1, sort_keys=True,
                                                      ensure_ascii=False) + "\n"
    rows = [[r.submission, r.exercise, "graded" if r.questions and not all(
        q.result == "not graded" for q in r.questions.values()) else "not graded",
        r.status if r.status != "ok" else "; ".join(r.notes)] for r in results]
    rows += [[name, "", "skipped", why] for name, why in skipped]
    files["files.csv"] = csv_text(["file", "exercise", "action", "reason"], sorted(rows))
    return files


def write_all(out: Path, files: dict[str, str], earlier: dict) -> None:
    """Write the files, drop those of the earlier run that are not rewritten, and the manifest."""
    out = out.resolve()
    for rel, text in sorted(files.items()):
        write_atomic(out / rel, text)
    for rel in earlier.get("files", []):
        if rel not in files and isinstance(rel, str):
            target = (out / rel).resolve()
            if out in target.parents and target.is_file():
                target.unlink()
    manifest = {"written by": "python -m alliances.grading", "files": sorted(files)}
    write_atomic(out / MANIFEST, json.dumps(manifest, indent=1) + "\n")
