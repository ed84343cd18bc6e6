"""Load and validate the self-check questions in ``data/selfcheck.yml``.

The questions of the reading edition live in one data file, not in the
chapters: each names its chapter and the section it closes, and the Sphinx
extension (:mod:`alliances.sphinx_selfcheck`) places it there at build time.

:func:`load_questions` reads the file, validates it against :data:`SCHEMA`
(JSON Schema, checked with ``jsonschema``) and against the rules a schema
cannot state (exactly one right option, unique ids, order items with
references, no accepted answer also listed as wrong), and returns
:class:`Question` objects. A malformed file raises :class:`SelfCheckError`,
whose message names the file, the line, the question and the field of every
problem found, not only the first.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from ..paths import DATA_DIR

QUESTIONS_FILE = DATA_DIR / "selfcheck.yml"
KINDS = ("choice", "order", "text")
#: What a ``check`` can compare an answer with (see tests/test_selfcheck.py).
CHECK_KINDS = ("pattern", "role", "outcast", "role_ranking", "balanced_patterns", "sum_type",
               "two_criteria", "failed_criterion", "rule_misfits", "treaty", "treaty_term",
               "span", "span_basis", "event_date", "days_between", "order_events",
               "two_koreas_role")
#: A citation as the chapters write it, or a key of references.bib.
SOURCE_CITATION = re.compile(r'\b(000|003|004)\s+"[^"]+"')

_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
_VALUE = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Self-check questions of the reading edition",
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["id", "chapter", "section", "kind", "prompt", "explanation"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
            "chapter": {"type": "string", "pattern": r"^[a-z0-9_]+(/[a-z0-9_]+)*$"},
            "section": _TEXT,
            "kind": {"enum": list(KINDS)},
            "prompt": _TEXT,
            "explanation": _TEXT,
            "references": {"type": "array", "items": {"type": "string",
                                                      "pattern": r"^[A-Za-z0-9_:-]+$"}},
            "feedback": _TEXT,
            "options": {
                "type": "array", "minItems": 2, "maxItems": 6,
                "items": {
                    "type": "object", "required": ["text"], "additionalProperties": False,
                    "properties": {"text": _TEXT, "value": _VALUE, "correct": {"const": True},
                                   "feedback": _TEXT},
                },
            },
            "items": {
                "type": "array", "minItems": 3, "maxItems": 8,
                "items": {
                    "type": "object", "required": ["text", "ref"], "additionalProperties": False,
                    "properties": {"text": _TEXT, "ref": _TEXT},
                },
            },
            "answers": {"type": "array", "minItems": 1, "items": _TEXT},
            "wrong": {
                "type": "array",
                "items": {
                    "type": "object", "required": ["answers", "feedback"],
                    "additionalProperties": False,
                    "properties": {"answers": {"type": "array", "minItems": 1, "items": _TEXT},
                                   "feedback": _TEXT},
                },
            },
            "check": {
                "type": "object", "required": ["kind"],
                "properties": {"kind": {"enum": list(CHECK_KINDS)}},
            },
        },
        "allOf": [
            {"if": {"properties": {"kind": {"const": "choice"}}},
             "then": {"required": ["options"],
                      "not": {"anyOf": [{"required": ["items"]}, {"required": ["answers"]},
                                        {"required": ["wrong"]}]}}},
            {"if": {"properties": {"kind": {"const": "order"}}},
             "then": {"required": ["items", "feedback"],
                      "not": {"anyOf": [{"required": ["options"]}, {"required": ["answers"]},
                                        {"required": ["wrong"]}]}}},
            {"if": {"properties": {"kind": {"const": "text"}}},
             "then": {"required": ["answers", "feedback"],
                      "not": {"anyOf": [{"required": ["options"]}, {"required": ["items"]}]}}},
        ],
    },
}


class SelfCheckError(ValueError):
    """The questions file does not meet its contract; the message lists every problem."""


@dataclass(frozen=True)
class Option:
    text: str
    value: str | tuple[str, ...]
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One self-check question, as the data file gives it."""

    id: str
    chapter: str
    section: str
    kind: str
    prompt: str
    explanation: str
    references: tuple[str, ...] = ()
    feedback: str = ""
    options: tuple[Option, ...] = ()
    items: tuple[tuple[str, str], ...] = ()      # (text, ref), in the right order
    answers: tuple[str, ...] = ()
    wrong: tuple[tuple[tuple[str, ...], str], ...] = ()   # (answers, feedback)
    check: dict = field(default_factory=dict, compare=False, hash=False)
    line: int = 0

    @property
    def answer(self) -> Option | None:
        """The right option of a choice question."""
        return next((o for o in self.options if o.correct), None)

    def shuffled_items(self) -> list[tuple[str, str]]:
        """The order items as a reader first sees them: a fixed shuffle (the
        same on every build) that never starts in the right order."""
        items = list(self.items)
        rng = random.Random(self.id)
        for _ in range(100):
            rng.shuffle(items)
            if items != list(self.items):
                return items
        return items[1:] + items[:1]

    def answer_text(self) -> str:
        """The right answer in words, for the printed answer key."""
        if self.kind == "choice":
            letter = "ABCDEF"[[o.correct for o in self.options].index(True)]
            return f"{letter}. {self.answer.text}"
        if self.kind == "order":
            return "; ".join(f"{i}. {text}" for i, (text, _) in enumerate(self.items, start=1))
        return self.answers[0]


def normalise_answer(text: str) -> str:
    """A typed answer as it is compared: accents, case, punctuation and extra
    spaces ignored ("Ménage à trois!" == "menage a trois"). The page's script
    (``_static/selfcheck.js``) does the same."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def cites(text: str) -> bool:
    return bool(SOURCE_CITATION.search(text or ""))


# ---------------------------------------------------------------------------
# Reading with line numbers
# ---------------------------------------------------------------------------

def _lines(node, path=()) -> dict[tuple, int]:
    """Map every path in a composed YAML node tree to its 1-based line."""
    found = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found.update(_lines(value, path + (key.value,)))
            found[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(_lines(item, path + (i,)))
    return found


def _where(path: Path, lines: dict, data, loc: tuple) -> str:
    line = lines.get(tuple(loc))
    probe = tuple(loc)
    while line is None and probe:
        probe = probe[:-1]
        line = lines.get(probe)
    qid = ""
    if loc and isinstance(loc[0], int) and isinstance(data, list) and loc[0] < len(data) \
            and isinstance(data[loc[0]], dict):
        qid = f", question {data[loc[0]].get('id', '#' + str(loc[0] + 1))!r}"
    fieldname = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[1:]).lstrip(".")
    return f"{path.name}, line {line or '?'}{qid}" + (f", field {fieldname!r}" if fieldname else "")


def _rules(data: list) -> list[tuple[tuple, str]]:
    """Problems a JSON Schema cannot state, as (location, message)."""
    problems = []
    seen: dict[str, int] = {}
    for i, q in enumerate(data):
        qid = q["id"]
        if qid in seen:
            problems.append(((i, "id"), f"duplicate id (first used by question #{seen[qid] + 1})"))
        seen.setdefault(qid, i)
        if q["kind"] == "choice":
            right = [j for j, o in enumerate(q["options"]) if o.get("correct")]
            if len(right) != 1:
                problems.append(((i, "options"), f"needs exactly one option with `correct: true`, "
                                                 f"has {len(right)}"))
            for j, o in enumerate(q["options"]):
                if not o.get("correct") and not o.get("feedback"):
                    problems.append(((i, "options", j), "a wrong option needs `feedback` "
                                                        "saying why it is wrong"))
                if o.get("correct") and o.get("feedback"):
                    problems.append(((i, "options", j), "the right option takes no `feedback` "
                                                        "(its reason is the `explanation`)"))
            values = [_value(o) for o in q["options"]]
            if len(set(values)) != len(values):
                problems.append(((i, "options"), "two options have the same value"))
        if q["kind"] == "order":
            refs = [item["ref"] for item in q["items"]]
            if len(set(refs)) != len(refs):
                problems.append(((i, "items"), "two items have the same `ref`"))
        if q["kind"] == "text":
            accepted = {normalise_answer(a) for a in q["answers"]}
            if "" in accepted:
                problems.append(((i, "answers"), "an accepted answer is empty once normalised"))
            for j, w in enumerate(q.get("wrong", [])):
                both = accepted & {normalise_answer(a) for a in w["answers"]}
                if both:
                    problems.append(((i, "wrong", j), f"{sorted(both)} is both accepted and wrong"))
        if not cites(q["explanation"]) and not q.get("references"):
            problems.append(((i, "explanation"), 'cites nothing: add a source citation '
                                                 '(004 "a verbatim phrase") or `references`'))
    return problems


def _value(option: dict):
    value = option.get("value", option["text"])
    return tuple(value) if isinstance(value, list) else value


def parse(text: str, path: Path = QUESTIONS_FILE) -> list[Question]:
    """Validate the YAML ``text`` of a questions file; return its questions."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise SelfCheckError(f"{path.name}{line}: not valid YAML: {exc}") from None
    lines = _lines(node) if node is not None else {}
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = [f"{_where(path, lines, data, tuple(e.absolute_path))}: {e.message}" for e in errors]
    if not problems:
        problems = [f"{_where(path, lines, data, loc)}: {msg}" for loc, msg in _rules(data)]
    if problems:
        raise SelfCheckError(f"{len(problems)} problem(s) in {path}:\n  " + "\n  ".join(problems))
    return [_question(q, lines.get((i,), 0)) for i, q in enumerate(data)]


def _question(q: dict, line: int) -> Question:
    return Question(
        id=q["id"], chapter=q["chapter"], section=q["section"], kind=q["kind"],
        prompt=q["prompt"], explanation=q["explanation"],
        references=tuple(q.get("references", ())), feedback=q.get("feedback", ""),
        options=tuple(Option(o["text"], _value(o), bool(o.get("correct")), o.get("feedback", ""))
                      for o in q.get("options", ())),
        items=tuple((item["text"], item["ref"]) for item in q.get("items", ())),
        answers=tuple(q.get("answers", ())),
        wrong=tuple((tuple(w["answers"]), w["feedback"]) for w in q.get("wrong", ())),
        check=dict(q.get("check", {})), line=line)


def load_questions(path: Path | str = QUESTIONS_FILE) -> list[Question]:
    """Every question of the data file, validated (see :func:`parse`)."""
    path = Path(path)
    return list(_load(str(path), path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _load(path: str, mtime: int) -> tuple[Question, ...]:
    return tuple(parse(Path(path).read_text(encoding="utf-8"), Path(path)))


def by_section(questions: list[Question]) -> dict[tuple[str, str], list[Question]]:
    """Questions grouped by (chapter, section), in file order."""
    groups: dict[tuple[str, str], list[Question]] = {}
    for q in questions:
        groups.setdefault((q.chapter, q.section), []).append(q)
    return groups
