"""The exercises: the key, the in-class checks, the notebooks and the student bundle.

* The key (instructor-only) agrees with an independent reading of the CSV
  files (the ``csv`` module, not the pandas loaders the key uses).
* Every solution in the instructor sources is right, for the grader and for
  the in-class check alike, and the two always give the same message.
* Wrong answers get "not yet" with a hint, and no message names the answer.
* The student bundle holds no expected answer: no key module, no instructor
  source, and no function or value in it returns one.
"""
from __future__ import annotations

import contextlib
import csv
import importlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest

from alliances import data, triangle, two_criteria, vu
from alliances.exercises import (CHAPTER_ORDER, EXERCISES, assess, is_answer, is_check,
                                 is_solution, is_written, question_of, stub_for)
from alliances.exercises.answers import canonical_json, to_json
from alliances.exercises.bundle import write_bundle
from alliances.exercises.release import student_edition
from alliances.grading import hashes
from alliances.grading.key import all_keys
from alliances.paths import DATA_DIR, ROOT

KEYS = all_keys()
MODULES = {name: importlib.import_module(f"alliances.exercises.{name}") for name in CHAPTER_ORDER}
SOURCES = {name: nbformat.read(str(path), as_version=4) for name, path in EXERCISES.items()}


def raw(filename: str) -> list[dict]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def raw_row(filename: str, column: str, value: str) -> dict:
    (row,) = [r for r in raw(filename) if r[column] == value]
    return row


def raw_triangle(period_id: str) -> triangle.Triangle:
    r = raw_row("triangle_periods.csv", "period_id", period_id)
    return triangle.Triangle(r["a"], r["b"], r["c"], r["ab"], r["ac"], r["bc"])


def raw_year(value: str) -> int:
    return int(value[:4])


def raw_in_date_order(ids) -> list[str]:
    dates = {r["event_id"]: pd.Timestamp(r["date"][:10] if len(r["date"]) >= 10 else
                                         r["date"] + ("-01" if len(r["date"]) == 7 else "-01-01"))
             for r in raw("events.csv") if r["event_id"] in ids}
    return sorted(dates, key=lambda e: (dates[e], e))


def raw_has(value: str, item: str) -> bool:
    return item in [v.strip() for v in (value or "").split(";")]


def _raw_korea_q1() -> str:
    rows = sorted((r for r in raw("triangle_periods.csv") if r["triangle_id"] == "KOR"),
                  key=lambda r: int(r["order"]))
    for r in rows:
        if all(r[s] in ("amity", "enmity") for s in ("ab", "ac", "bc")):
            t = triangle.Triangle(r["a"], r["b"], r["c"], r["ab"], r["ac"], r["bc"])
            if vu.sum_type(t) == vu.SumType.ZERO:
                return r["period_id"]
    raise LookupError


def _raw_rule_fits(r: dict):
    predicted = two_criteria.predict_alliance(r["shared_security"], r["shared_ideology"])
    return predicted, (None if predicted == "undecided" else predicted == r["allied"])


def _raw_labelled_kor(first: int, last: int) -> list[dict]:
    return [r for r in raw("events.csv") if raw_has(r["triangles"], "KOR") and r["strategy"]
            and first <= raw_year(r["date"]) <= last]


def _raw_sino_q4() -> str:
    t2 = raw_row("treaties.csv", "treaty_id", "T2")
    notice = next(r for r in raw("quantities.csv") if r["topic"] == "SSA treaty terms"
                  and r["measure"].startswith("notice required"))
    day = pd.Timestamp(t2["in_force"]) + pd.DateOffset(years=int(float(t2["term_years"])))
    return (day - pd.DateOffset(years=int(float(notice["value"])))).strftime("%Y-%m-%d")


def _raw_bloc_q4() -> list[str]:
    rows = [r for r in raw("two_chinas_two_koreas.csv") if r["period_id"] == "1950s"]

    def side(x, y):
        (r,) = [r for r in rows if {r["a"], r["b"]} == {x, y}]
        return r["relation"]

    t = triangle.Triangle("PRC", "DPRK", "ROK", side("PRC", "DPRK"), side("PRC", "ROK"),
                          side("DPRK", "ROK"))
    return [triangle.pattern(t).value, triangle.role(t, "ROK").value]


def _raw_bloc_q6() -> list:
    years = {r["source_id"]: int(r["present"][:4]) for r in raw("source_documents.csv")}
    latest = max(years, key=years.get)
    return [latest, years[latest] - years["004"]]


#: The key's targets, recomputed without the key's code or the pandas loaders.
RAW = {
    ("triangles", "q1"): lambda: triangle.pattern(raw_triangle("KOR-6")).value,
    ("triangles", "q2"): lambda: triangle.role(raw_triangle("KOR-6"), "DPRK").value,
    ("triangles", "q3"): lambda: sum(1 for r in raw("events.csv") if r["strategy"] == "wedge"
                                     and 1956 <= raw_year(r["date"]) <= 1961),
    ("triangles", "q5"): lambda: raw_in_date_order(MODULES["triangles"].Q5_EVENTS),
    ("triangles", "q6"): lambda: raw_row("events.csv", "event_id", "E073")["strategy"],
    ("triangles", "q7"): lambda: next(r["treaty_id"] for r in raw("treaties.csv")
                                      if r["kind"] == "treaty" and r["signed"][:4] == "1961"
                                      and raw_has(r["parties"], "DPRK") and not r["term_years"]),
    ("sino_soviet", "q1"): lambda: triangle.pattern(raw_triangle("GP-3")).value,
    ("sino_soviet", "q2"): lambda: triangle.role(raw_triangle("GP-5"), "PRC").value,
    ("sino_soviet", "q3"): lambda: next(r["case_id"] for r in raw("alignment_cases.csv")
                                        if r["chooser"] == "PRC" and _raw_rule_fits(r)[1] is False),
    ("sino_soviet", "q4"): _raw_sino_q4,
    ("sino_soviet", "q5"): lambda: sorted(r["quantity_id"] for r in raw("quantities.csv")
                                          if r["topic"] == "1960 withdrawal"),
    ("sino_soviet", "q6"): lambda: raw_in_date_order(MODULES["sino_soviet"].Q6_EVENTS),
    ("sino_soviet", "q7"): lambda: 6,  # Kim: "Article 6" sets term, renewal and notice
    ("sino_soviet", "q8"): lambda: raw_row("events.csv", "event_id", "E085")["strategy"],
    ("bloc_reactions", "q1"): lambda: raw_in_date_order(MODULES["bloc_reactions"].Q1_EVENTS),
    ("bloc_reactions", "q2"): lambda: sorted(r["title"] for r in raw("events.csv")
                                             if raw_has(r["themes"], "NUC")),
    ("bloc_reactions", "q3"): lambda: sum(1 for r in raw("two_chinas_two_koreas.csv")
                                          if r["period_id"] == "after" and not r["relation"]),
    ("bloc_reactions", "q4"): _raw_bloc_q4,
    ("bloc_reactions", "q5"): lambda: (pd.Timestamp(raw_row("treaties.csv", "treaty_id", "T4")["signed"])
                                       - pd.Timestamp(raw_row("events.csv", "event_id", "E036")["date"])).days,
    ("bloc_reactions", "q6"): _raw_bloc_q6,
    ("bloc_reactions", "q7"): lambda: sorted(r["event_id"] for r in raw("events.csv")
                                             if raw_has(r["themes"], "PEN") and not r["date"]),
    ("korea_1961", "q1"): _raw_korea_q1,
    ("korea_1961", "q2"): lambda: list(_raw_rule_fits(raw_row("alignment_cases.csv",
                                                              "case_id", "O12"))),
    ("korea_1961", "q3"): lambda: sum(1 for r in _raw_labelled_kor(1959, 1961)
                                      if raw_has(r["actors"], "USSR")),
    ("korea_1961", "q4"): lambda: len(_raw_labelled_kor(1956, 1961)),
    ("korea_1961", "q5"): lambda: raw_in_date_order(MODULES["korea_1961"].Q5_EVENTS),
    ("korea_1961", "q6"): lambda: raw_row("events.csv", "event_id", "E076")["strategy"],
    ("korea_1961", "q7"): lambda: sorted(r["treaty_id"] for r in raw("treaty_atop.csv")
                                         if r["treaty_id"] in ("T4", "T11", "T12")
                                         and r["conditio"] == "1"),
    ("exceptions", "q1"): lambda: next(n for n in ("security", "ideology") if raw_row(
        "alignment_cases.csv", "case_id", "O3")[f"shared_{n}"] == "no"),
    ("exceptions", "q2"): lambda: sorted(r["case_id"] for r in raw("alignment_cases.csv")
                                         if _raw_rule_fits(r)[1] is False),
    ("exceptions", "q3"): lambda: (raw_year(next(r["end"] for r in raw("alliance_spans.csv")
                                                 if r["dyad"] == "PRC-USSR" and r["reading"] == "004"))
                                   - raw_year(next(r["end"] for r in raw("alliance_spans.csv")
                                                   if r["dyad"] == "PRC-USSR" and r["reading"] == "000"))),
    ("exceptions", "q5"): lambda: raw_in_date_order(MODULES["exceptions"].Q5_EVENTS),
    ("exceptions", "q6"): lambda: raw_row("events.csv", "event_id", "E091")["strategy"],
    ("exceptions", "q7"): lambda: next(c for c in MODULES["exceptions"].OBLIGATIONS
                                       if raw_row("treaty_atop.csv", "treaty_id", "T19")[c] == "1"),
}


def test_every_answer_kind_with_a_target_has_an_independent_oracle():
    with_targets = {(name, qid) for name, key in KEYS.items()
                    for qid, target in key.targets.items() if target is not None}
    assert with_targets == set(RAW)


@pytest.mark.parametrize("exercise, qid", sorted(RAW))
def test_the_key_agrees_with_an_independent_reading_of_the_data(exercise, qid):
    assert KEYS[exercise].targets[qid] == json.loads(canonical_json(RAW[(exercise, qid)]()))


# --- the solutions, run as a student's notebook would be --------------------------------

def run_answers(notebook) -> dict[str, object]:
    """Execute the notebook's code cells (no check cells) in-process; the JSON answers."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell()
    shell.display_formatter.active_types = ["text/plain"]
    answers = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if cell.cell_type != "code" or is_check(cell) or is_solution(cell):
                continue
            result = shell.run_cell(cell.source, store_history=False)
            assert result.success, (cell.source, result.error_in_exec)
            if is_answer(cell):
                qid = question_of(cell)
                answers[qid] = to_json(shell.user_ns[f"answer_{qid}"])
    InteractiveShell.clear_instance()
    return answers


@pytest.fixture(scope="module")
def solutions() -> dict[str, dict[str, object]]:
    return {name: run_answers(nb) for name, nb in SOURCES.items()}


def grader_says(exercise: str, qid: str, value: object):
    key = KEYS[exercise]
    return assess(key.question(qid), value,
                  lambda given: canonical_json(given) == canonical_json(key.targets[qid]))


def check_says(exercise: str, qid: str, answer: object):
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        feedback = MODULES[exercise].CHECKS[qid](answer)
    assert printed.getvalue() == feedback.message + "\n"
    return feedback


@pytest.mark.parametrize("exercise", CHAPTER_ORDER)
def test_every_solution_is_right_for_the_grader_and_the_check(exercise, solutions):
    for qid, value in solutions[exercise].items():
        assert grader_says(exercise, qid, value).correct, qid
        assert check_says(exercise, qid, json_back(value)).correct, qid


def json_back(value):
    """A JSON answer turned back into what a student could hand in (charts excepted)."""
    if isinstance(value, dict) and "__chart__" in value:
        return alt.Chart.from_dict(value["__chart__"])
    return value


# --- answers in other spellings, and wrong answers --------------------------------------

def events_chart(mark="bar", **enc):
    return getattr(alt.Chart(data.load_events()), f"mark_{mark}")().encode(**enc)


def kor_moves():
    events = data.load_events()
    kor = events["triangles"].map(lambda v: "KOR" in data.split_ids(v))
    return events[kor & events["strategy"].notna() & events["date_date"].dt.year.between(1956, 1961)]


def nuclear():
    events = data.load_events()
    return events[events["themes"].map(lambda v: "NUC" in data.split_ids(v))][
        ["event_id", "date_date", "title"]]


def withdrawal():
    q = data.load_quantities()
    return q.loc[q["topic"] == "1960 withdrawal", ["quantity_id", "value", "unit"]]


TD = {"title": "t", "description": "d"}

#: Right answers as a student might also write them.
RIGHT = {
    "triangles": {
        "q1": lambda t: [t.upper(), triangle.Pattern(t)],
        "q2": lambda t: [f"  {t.title()} ", triangle.Role(t)],
        "q3": lambda t: [float(t), str(t)],
        "q4": lambda t: [events_chart(y="strategy:N", x="count()").properties(**TD)],
        "q5": lambda t: [[e.lower() for e in t], tuple(t), pd.Series(t)],
        "q6": lambda t: [t.upper()],
        "q7": lambda t: [t.lower(), pd.Series([t])],
    },
    "sino_soviet": {
        "q1": lambda t: [t.title()], "q2": lambda t: [t.upper()], "q3": lambda t: [t.lower()],
        "q4": lambda t: [pd.Timestamp(t), pd.Timestamp(t).strftime("%d %B %Y")],
        "q5": lambda t: [alt.Chart(withdrawal()).mark_bar().encode(x="value:Q", y="unit:N")
                         .properties(**TD)],
        "q6": lambda t: [list(t)], "q7": lambda t: [f"Article {t}", str(t)],
        "q8": lambda t: [t.title()],
    },
    "bloc_reactions": {
        "q1": lambda t: [tuple(t), [e.lower() for e in t]],
        "q2": lambda t: [alt.Chart(nuclear()).mark_tick().encode(x="date_date:T", y="title:N")
                         .properties(**TD)],
        "q3": lambda t: [float(t)], "q4": lambda t: [(triangle.Pattern(t[0]), "pariah")],
        "q5": lambda t: [str(t)], "q6": lambda t: [[t[0], float(t[1])]],
        "q7": lambda t: [list(reversed(t)), [x.lower() for x in t]],
    },
    "korea_1961": {
        "q1": lambda t: [t.lower()], "q2": lambda t: [(t[0].upper(), str(t[1]))],
        "q3": lambda t: [float(t)],
        "q4": lambda t: [alt.Chart(kor_moves()).mark_tick().encode(x="date_date:T",
                                                                   color="strategy:N").properties(**TD)],
        "q5": lambda t: [list(t)], "q6": lambda t: [t.upper()],
        "q7": lambda t: [t[0].lower()] if len(t) == 1 else [list(reversed(t))],
    },
    "exceptions": {
        "q1": lambda t: [f"shared {t}", t.upper()], "q2": lambda t: [set(t), [x.lower() for x in t]],
        "q3": lambda t: [float(t)],
        "q4": lambda t: [alt.Chart(two_criteria.classify(data.load_alignment_cases())).mark_bar()
                         .encode(x="predicted:N", y="count()", color="allied:N").properties(**TD)],
        "q5": lambda t: [list(t)], "q6": lambda t: [t.title()],
        "q7": lambda t: ["defence"] if t == "defense" else [t.upper()],
    },
}


def other(options, target):
    return next(o for o in options if o != target)


#: Wrong answers; each must get "not yet" from both, with the same message.
WRONG = {
    "triangles": {
        "q1": lambda t: [other([p.value for p in triangle.Pattern], t), "triangle"],
        "q2": lambda t: [other([r.value for r in triangle.Role], t), "ally"],
        "q3": lambda t: [t + 1, t - 1, 2.5, "many", True],
        "q4": lambda t: [events_chart("line", x="strategy:N", y="count()").properties(**TD),
                         events_chart(x="strategy:N", y="count()"), "a chart"],
        "q5": lambda t: [sorted(t), list(reversed(t)), t[:4], "E064"],
        "q6": lambda t: [other(["wedge", "binding"], t), "restraint"],
        "q7": lambda t: ["T11", "X1", 12],
    },
    "sino_soviet": {
        "q1": lambda t: [other([p.value for p in triangle.Pattern], t)],
        "q2": lambda t: [other([r.value for r in triangle.Role], t)],
        "q3": lambda t: [other(MODULES["sino_soviet"].china_cases(), t), "X99"],
        "q4": lambda t: [(pd.Timestamp(t) + pd.DateOffset(days=1)).strftime("%Y-%m-%d"), 1979],
        "q5": lambda t: [alt.Chart(data.load_quantities()).mark_bar().encode(x="value:Q",
                                                                             y="unit:N").properties(**TD),
                         alt.Chart(withdrawal()).mark_line().encode(x="value:Q", y="unit:N")],
        "q6": lambda t: [sorted(t), t[:5]],
        "q7": lambda t: [t % 6 + 1, 9, "the last one"],
        "q8": lambda t: [other(["wedge", "binding"], t)],
    },
    "bloc_reactions": {
        "q1": lambda t: [sorted(t), t[1:] + t[:1]],
        "q2": lambda t: [alt.Chart(data.load_events()).mark_point().encode(x="date_date:T",
                                                                           y="title:N").properties(**TD),
                         alt.Chart(nuclear()).mark_bar().encode(x="date_date:T", y="title:N")
                         .properties(**TD),
                         alt.Chart(nuclear()).mark_point().encode(x="date_date:T", y="title:N")],
        "q3": lambda t: [t + 1, "three"],
        "q4": lambda t: [(t[0], "partner"), ("unit veto", t[1]), "stable marriage"],
        "q5": lambda t: [t + 1, -t], "q6": lambda t: [[t[0], t[1] + 1], ["004", t[1]], ["999", 1]],
        "q7": lambda t: [t[:1], ["E001"]],
    },
    "korea_1961": {
        "q1": lambda t: ["KOR-1", "GP-1"],
        "q2": lambda t: [[t[0], not t[1]], ["maybe", True], "no"],
        "q3": lambda t: [t + 1, -t],
        "q4": lambda t: [events_chart("point", x="date_date:T", color="strategy:N").properties(**TD)],
        "q5": lambda t: [sorted(t)],
        "q6": lambda t: [other(["wedge", "binding"], t)],
        "q7": lambda t: [["T4", "T11", "T12"], ["T99"]],
    },
    "exceptions": {
        "q1": lambda t: [other(["security", "ideology"], t), "both"],
        "q2": lambda t: [["O1"], t + ["O7"], [], ["X99"]],
        "q3": lambda t: [t + 1, -t, "ten"],
        "q4": lambda t: [alt.Chart(two_criteria.classify(data.load_alignment_cases())).mark_bar()
                         .encode(x="predicted:N", y="count()").properties(**TD)],
        "q5": lambda t: [sorted(t)],
        "q6": lambda t: [other(["wedge", "binding"], t)],
        "q7": lambda t: [other(MODULES["exceptions"].OBLIGATIONS, t), "alliance"],
    },
}


def cases(table):
    return [(e, q, i) for e in CHAPTER_ORDER for q in table[e]
            for i in range(len(table[e][q](KEYS[e].targets[q] if KEYS[e].targets[q] is not None
                                           else None)))]


@pytest.mark.parametrize("exercise, qid, i", cases(RIGHT))
def test_right_answers_in_other_spellings_pass_both(exercise, qid, i):
    answer = RIGHT[exercise][qid](KEYS[exercise].targets[qid])[i]
    assert check_says(exercise, qid, answer).correct
    assert grader_says(exercise, qid, to_json(answer)).correct


def target_texts(target) -> list[str]:
    if target is None:
        return []
    if isinstance(target, list):
        return [", ".join(map(str, target)), json.dumps(target), " ".join(map(str, target))]
    return [str(target)]


@pytest.mark.parametrize("exercise, qid, i", cases(WRONG))
def test_wrong_answers_get_not_yet_and_never_the_answer(exercise, qid, i):
    target = KEYS[exercise].targets[qid]
    answer = WRONG[exercise][qid](target)[i]
    fb = check_says(exercise, qid, answer)
    assert not fb.correct
    assert fb.message.startswith(f"{qid.upper()}: not yet — ") and " Hint: " in fb.message
    assert grader_says(exercise, qid, to_json(answer)) == fb  # same verdict, same words
    what = fb.message.split(" Hint: ")[0]
    kind = KEYS[exercise].question(qid).kind
    options = list(getattr(kind, "options", None) or (kind.allowed() if hasattr(kind, "allowed")
                                                       and len(list(kind.allowed())) < 10 else []))
    lists_every_option = options and all(str(o) in what for o in options)
    if not lists_every_option and not hasattr(kind, "options"):
        for text in target_texts(target):
            if len(text) > 1:
                assert text not in what, (what, text)


@pytest.mark.parametrize("exercise", CHAPTER_ORDER)
def test_checks_never_raise_and_blank_is_named(exercise):
    for qid, check in MODULES[exercise].CHECKS.items():
        for junk in (None, object(), "", 3.5, [1, 2], {"a": 1}, float("nan"), pd.NA, (1, "x"),
                     alt.Chart(pd.DataFrame()), open, pd.DataFrame({"a": [1]})):
            assert not check_says(exercise, qid, junk).correct, (qid, junk)
        assert "there is no answer yet" in check_says(exercise, qid, ...).message


def test_an_answer_the_serializer_cannot_read_is_named():
    fb = check_says("triangles", "q3", object())
    assert "could not read your answer (an object of type object)" in fb.message


# --- the instructor sources -------------------------------------------------------------

@pytest.mark.parametrize("exercise", CHAPTER_ORDER)
def test_instructor_sources_match_the_questions(exercise):
    nb, key = SOURCES[exercise], KEYS[exercise]
    assert nb.metadata["alliances"]["exercise"] == exercise
    assert nb.cells[1].source == "import alliances\nalliances.setup_notebook()"
    answers = [question_of(c) for c in nb.cells if is_answer(c)]
    checks = [c for c in nb.cells if is_check(c)]
    assert answers == [question_of(c) for c in checks] == key.qids
    for cell in checks:
        qid = question_of(cell)
        assert cell.source == f"result_{qid} = check_{qid}(answer_{qid})"
        assert [o.get("text") for o in cell.outputs] == [f"{qid.upper()}: correct\n"]
    assert [question_of(c) for c in nb.cells if is_written(c)]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for q in key.questions:
        unit = "point" if q.points == 1 else "points"
        assert f"### Question {q.qid[1:]} ({q.points} {unit})" in text, q.qid


@pytest.mark.parametrize("exercise", CHAPTER_ORDER)
def test_the_student_edition_has_stubs_and_no_solutions(exercise):
    key_nb = SOURCES[exercise]
    student = student_edition(key_nb)
    text = "\n".join(c.source for c in student.cells)
    for cell in key_nb.cells:
        if is_answer(cell) or is_written(cell) or is_solution(cell):
            assert cell.source not in text
    assert [c.source for c in student.cells if is_answer(c)] == [stub_for(q) for q in
                                                                  KEYS[exercise].qids]
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    assert student.metadata["alliances"] == {"exercise": exercise, "edition": "student"}


def test_release_command_writes_the_student_edition(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "alliances.exercises.release",
                           str(EXERCISES["triangles"]), str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    written = nbformat.read(str(tmp_path / "triangles_exercises.ipynb"), as_version=4)
    assert written.cells == student_edition(SOURCES["triangles"]).cells


def test_the_hash_table_is_current():
    assert hashes.render(hashes.table(json.loads(hashes.current_text()))) == hashes.current_text()


# --- the student bundle holds no answer ---------------------------------------------------

BUNDLE_PROBE = textwrap.dedent('''
    import contextlib, importlib, inspect, io, json, pkgutil, sys
    # the test's venv maps "alliances" to the repository (an editable install); a student's
    # machine has no such mapping, so drop it and see the bundle alone
    sys.meta_path = [f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", "")]
    import alliances, alliances.exercises
    from alliances.exercises.answers import to_json, canonical_json
    targets = json.loads(sys.argv[1])   # exercise -> canonical targets
    everything = {t for ts in targets.values() for t in ts}
    found, names = [], []
    for info in pkgutil.walk_packages(alliances.exercises.__path__, "alliances.exercises."):
        module = importlib.import_module(info.name)
        short = info.name.rsplit(".", 1)[-1]
        # an exercise's module may name another exercise's answer as public question text
        # (the Korea questions name case O12); shared modules may name none
        mine = set(targets[short]) if short in targets else everything
        for name, value in vars(module).items():
            names.append(f"{info.name}.{name}")
            candidates = [] if isinstance(value, int) else [value]  # a count is too common
            if callable(value) and not isinstance(value, type) and name != "main":
                try:
                    sig = inspect.signature(value)
                    if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                           for p in sig.parameters.values()):
                        with contextlib.redirect_stdout(io.StringIO()):
                            candidates.append(value())
                except BaseException:
                    pass
            for candidate in candidates:
                try:
                    text = canonical_json(to_json(candidate))
                except Exception:
                    continue
                if text in mine:
                    found.append(f"{info.name}.{name}")
    try:
        import alliances.grading
        grading = "importable"
    except ImportError:
        grading = "absent"
    print(json.dumps({"found": found, "grading": grading, "file": alliances.__file__,
                      "names": names}))
''')


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "bundle"
    write_bundle(out)
    return out


def test_the_bundle_leaves_out_the_grader_and_the_instructor_sources(bundle):
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()]
    assert not [f for f in files if "grading" in f or f.startswith(("book/", "tests/"))]
    assert "alliances/exercises/answer_hashes.json" in files  # the in-class checks need it
    notebooks = [f for f in files if f.endswith(".ipynb")]
    assert sorted(notebooks) == sorted(f"exercises/{p.name}" for p in EXERCISES.values())
    for name in notebooks:
        nb = nbformat.read(str(bundle / name), as_version=4)
        assert nb.metadata["alliances"]["edition"] == "student"


def test_no_expected_answer_can_be_read_or_computed_from_the_bundle(bundle):
    targets = {name: sorted(canonical_json(t) for t in key.targets.values() if t is not None)
               for name, key in KEYS.items()}
    proc = subprocess.run([sys.executable, "-c", BUNDLE_PROBE, json.dumps(targets)],
                          capture_output=True, text=True, cwd=bundle, timeout=300,
                          env={"PYTHONPATH": str(bundle), "PATH": "/usr/bin:/bin",
                               "ALLIANCES_SOURCES": "/nonexistent"})
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["file"].startswith(str(bundle))  # the bundle's package, not the repository's
    assert report["grading"] == "absent"
    assert report["found"] == []
    assert len(report["names"]) > 50  # the probe looked at the modules
    for name, key in KEYS.items():
        text = (bundle / "alliances" / "exercises" / f"{name}.py").read_text(encoding="utf-8")
        text += (bundle / "exercises" / f"{name}_exercises.ipynb").read_text(encoding="utf-8")
        for target in key.targets.values():
            if isinstance(target, str) and "-" in target or isinstance(target, list):
                texts = [json.dumps(target), repr(target)]
                if isinstance(target, list) and len(target) > 2:
                    texts.append(", ".join(map(str, target)))
                elif isinstance(target, str):
                    texts.append(target)
                assert not any(t in text for t in texts), (name, target)


def test_the_bundle_probe_would_find_a_stored_answer(bundle, tmp_path):
    """The probe above can fail: plant an answer in a copy of the bundle and it is found."""
    import shutil
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    target = KEYS["triangles"].targets["q7"]
    with open(copy / "alliances" / "exercises" / "triangles.py", "a") as f:
        f.write(f"\n\ndef expected_q7():\n    return {target!r}\n")
    proc = subprocess.run([sys.executable, "-c", BUNDLE_PROBE,
                           json.dumps({"triangles": [canonical_json(target)]})],
                          capture_output=True, text=True, cwd=copy, timeout=300,
                          env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert json.loads(proc.stdout.strip().splitlines()[-1])["found"] == [
        "alliances.exercises.triangles.expected_q7"]
