"""How an answer is read: one fixed serializer and the answer kinds.

Both sides of grading go through this module, so they cannot disagree:

* in the sandbox, the grader's runner turns each ``answer_qN`` into plain JSON
  with :func:`to_json` (numbers, strings, lists, an Altair chart's
  ``to_dict()``, a DataFrame's records; anything else is "could not read");
* a question's :class:`Kind` reads that JSON into a *canonical* answer, or
  raises :class:`NotYet` saying what is off with its form (type, shape,
  vocabulary) — never whether it is right;
* the in-class check compares the canonical answer's salted hash with the
  table in ``answer_hashes.json``; the grader (instructor-only) compares it
  with the key. Neither the form checks nor the hashes hold an answer.

This module ships to students. It holds no expected answer.
"""
from __future__ import annotations

import datetime as _dt
import enum
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

#: Limits of :func:`to_json`: nesting depth, number of values, characters of text.
MAX_DEPTH = 32
MAX_ITEMS = 200_000
MAX_TEXT = 100_000
#: Largest answer, in characters of JSON, that the grader reads.
MAX_ANSWER_CHARS = 4_000_000

BLANK = {"__blank__": True}


class NotYet(Exception):
    """What is off with the form of an answer (said to the student as it is)."""


class Unreadable(Exception):
    """An answer that :func:`to_json` cannot turn into JSON; the message says why."""


# ---------------------------------------------------------------------------
# The serializer
# ---------------------------------------------------------------------------

def to_json(value: object) -> object:
    """Plain JSON for an answer, or raise :class:`Unreadable`.

    Dicts become ``{"__dict__": [[key, value], ...]}`` and the only other
    JSON objects are the markers ``{"__blank__": true}`` (``...``),
    ``{"__float__": "nan"}``, ``{"__chart__": spec}`` and
    ``{"__table__": {"columns": [...], "rows": [...]}}``, so a student's dict
    can never pass for a marker.
    """
    budget = [MAX_ITEMS]
    return _to_json(value, 0, budget)


def _to_json(value, depth: int, budget: list[int]):
    budget[0] -= 1
    if budget[0] < 0:
        raise Unreadable("the answer holds too many values")
    if depth > MAX_DEPTH:
        raise Unreadable("the answer is nested too deeply")
    if value is None:
        return None
    if value is Ellipsis:
        return dict(BLANK)
    if isinstance(value, enum.Enum):
        return _to_json(value.value, depth + 1, budget)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        try:
            text = str(int(value))
        except ValueError:
            raise Unreadable("the number is too large") from None
        if len(text) > 40:
            raise Unreadable("the number is too large")
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise Unreadable("the text is too long")
        return str(value)
    module = type(value).__module__.split(".")[0]
    if module == "numpy":
        return _numpy(value, depth, budget)
    if module == "pandas":
        return _pandas(value, depth, budget)
    if module == "altair" and hasattr(value, "to_dict"):
        try:
            spec = value.to_dict()
        except Exception as err:  # an invalid chart is the student's answer, not a crash
            raise Unreadable(f"the chart is not valid Vega-Lite ({type(err).__name__})") from None
        return {"__chart__": _plain(spec, depth + 1, budget)}
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {"__dict__": [[_to_json(k, depth + 1, budget), _to_json(v, depth + 1, budget)]
                             for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        items = [_to_json(v, depth + 1, budget) for v in value]
        return sorted(items, key=canonical_json)
    if isinstance(value, (list, tuple, range)):
        return [_to_json(v, depth + 1, budget) for v in value]
    raise Unreadable(f"an object of type {type(value).__name__}")


def _plain(value, depth: int, budget: list[int]):
    """A Vega-Lite spec, already JSON: kept as plain JSON (its dicts are not wrapped)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH + 16:
        raise Unreadable("the chart is too large")
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1, budget) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _to_json(value, depth + 1, budget)


def _float(x: float):
    if math.isnan(x):
        return {"__float__": "nan"}
    if math.isinf(x):
        return {"__float__": "inf" if x > 0 else "-inf"}
    return x


def _numpy(value, depth, budget):
    import numpy as np

    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _float(float(value))
    if isinstance(value, np.str_):
        return _to_json(str(value), depth + 1, budget)
    if isinstance(value, np.datetime64):
        import pandas as pd
        return _pandas(pd.Timestamp(value), depth, budget)
    if isinstance(value, np.ndarray):
        if value.size > MAX_ITEMS:
            raise Unreadable("the array is too large")
        return [_to_json(v, depth + 1, budget) for v in value.tolist()]
    raise Unreadable(f"an object of type {type(value).__name__}")


def _pandas(value, depth, budget):
    import pandas as pd

    if value is pd.NaT:
        return None
    if value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (pd.Series, pd.Index)):
        if len(value) > MAX_ITEMS:
            raise Unreadable("the answer holds too many values")
        return [_to_json(_scalar(v), depth + 1, budget) for v in value.tolist()]
    if isinstance(value, pd.DataFrame):
        if value.size > MAX_ITEMS:
            raise Unreadable("the table is too large")
        return {"__table__": {
            "columns": [_to_json(c, depth + 1, budget) for c in value.columns.tolist()],
            "rows": [[_to_json(_scalar(v), depth + 2, budget) for v in row]
                     for row in value.itertuples(index=False, name=None)]}}
    raise Unreadable(f"an object of type {type(value).__name__}")


def _scalar(v):
    try:
        import pandas as pd
        if not isinstance(v, (list, tuple, dict, set)) and pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def canonical_json(value: object) -> str:
    """The one text form of a JSON value (sorted keys, no spaces), used for hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def is_blank(value: object) -> bool:
    return value is None or value == BLANK


# ---------------------------------------------------------------------------
# Reading answers in words
# ---------------------------------------------------------------------------

def normalise_text(value: object) -> str:
    """Lower-case, strip, drop accents, straighten dashes: for answers in words."""
    text = getattr(value, "value", value)  # enum members (Pattern, Role, SumType)
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _single(value):
    """A one-item list (a filtered Series, say) stands for its item."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


# ---------------------------------------------------------------------------
# Answer kinds
# ---------------------------------------------------------------------------

class Kind:
    """How one question's answer is read (see the module docstring)."""

    def read(self, value: object) -> object:
        """The canonical answer of a JSON value, or raise :class:`NotYet`."""
        raise NotImplementedError

    def target(self, canonical: object) -> object | None:
        """What is compared with the key (and hashed): by default the canonical answer.
        ``None`` means the form checks alone decide (a chart judged by its rubric)."""
        return canonical

    def expected(self, raw: object) -> object:
        """The key's target for an expected answer given as a Python value."""
        return self.target(self.read(to_json(raw)))


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed vocabulary (patterns, roles, strategies).

    ``options`` maps each canonical answer to the other words that mean it;
    with ``stems`` an answer counts as an option when exactly one option's
    stem occurs in it ("shared security" → ``security``).
    """

    options: Mapping[str, tuple[str, ...]]
    unknown: str
    stems: bool = False

    def read(self, value):
        value = _single(value)
        if not isinstance(value, str):
            raise NotYet(self.unknown)
        given = normalise_text(value)
        for option, aliases in self.options.items():
            if given in {normalise_text(option), *map(normalise_text, aliases)}:
                return option
        if self.stems:
            found = [o for o, aliases in self.options.items()
                     if any(normalise_text(a) in given for a in (o, *aliases))]
            if len(found) == 1:
                return found[0]
        raise NotYet(self.unknown)


@dataclass(frozen=True)
class Identifier(Kind):
    """An id from one of the data files (``"T12"``, ``"KOR-6"``), case-insensitive."""

    unknown: str
    universe: Callable[[], Iterable[str]] | None = None
    example: str = "T1"

    def read(self, value):
        value = _single(value)
        if not isinstance(value, str) or not value.strip():
            raise NotYet(f"the answer should be an id as a string, like '{self.example}'.")
        given = value.strip().upper()
        if self.universe is not None and given not in {str(u).upper() for u in self.universe()}:
            raise NotYet(self.unknown)
        return given


@dataclass(frozen=True)
class WholeNumber(Kind):
    """A whole number (an int, a float such as 5.0, or text holding one number)."""

    what: str = "a whole number"
    bounds: tuple[int, int] | None = None
    out_of_bounds: str = ""
    from_text: bool = False

    def read(self, value):
        value = _single(value)
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            found = re.findall(r"-?\d+", text) if self.from_text else (
                [text] if re.fullmatch(r"-?\d+", text) else [])
            if len(found) == 1:
                number = int(found[0])
        if number is None:
            raise NotYet(f"the answer should be {self.what}.")
        if self.bounds and not self.bounds[0] <= number <= self.bounds[1]:
            raise NotYet(self.out_of_bounds or f"the answer should lie between {self.bounds[0]} "
                                               f"and {self.bounds[1]}.")
        return number


@dataclass(frozen=True)
class Date(Kind):
    """A calendar day: a date string such as ``'1999-12-31'`` or a ``pd.Timestamp``."""

    def read(self, value):
        value = _single(value)
        if isinstance(value, str) and value.strip():
            import pandas as pd
            try:
                day = pd.Timestamp(value.strip())
            except (ValueError, TypeError, OverflowError):
                day = None
            if day is not None and day is not pd.NaT:
                return day.strftime("%Y-%m-%d")
        raise NotYet("the answer should be a date, like '1999-12-31' or a pd.Timestamp.")


@dataclass(frozen=True)
class Ordering(Kind):
    """The given ids, each once, in an order (a list of strings)."""

    ids: tuple[str, ...]
    what: str = "event ids"

    def read(self, value):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise NotYet(f"the answer should be a list of {self.what}, like "
                         f"['{self.ids[0]}', '{self.ids[1]}'].")
        given = [v.strip().upper() for v in value]
        if sorted(given) != sorted(self.ids):
            words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
            n = words.get(len(self.ids), str(len(self.ids)))
            raise NotYet(f"the list should hold exactly the {n} ids "
                         f"{', '.join(sorted(self.ids))}, each once.")
        return given


@dataclass(frozen=True)
class IdSet(Kind):
    """One id or several (any order, no repeats), each from ``allowed()``."""

    allowed: Callable[[], Iterable[str]]
    unknown: str
    example: str = "['O1', 'O2']"

    def read(self, value):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise NotYet(f"the answer should be a list of ids, like {self.example}.")
        given = sorted({v.strip().upper() for v in value})
        if not set(given) <= {str(a).upper() for a in self.allowed()}:
            raise NotYet(self.unknown)
        return given


@dataclass(frozen=True)
class TrueOrFalse(Kind):
    """``True`` or ``False`` (or the words), or ``None`` where ``none_ok``."""

    none_ok: bool = False

    def read(self, value):
        value = _single(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and normalise_text(value) in ("true", "false"):
            return normalise_text(value) == "true"
        if value is None and self.none_ok:
            return None
        if isinstance(value, dict) and value.get("__float__") == "nan" and self.none_ok:
            return None
        raise NotYet("the answer should be True or False." if not self.none_ok else
                     "the answer should be True, False or None.")


@dataclass(frozen=True)
class Pair(Kind):
    """Two answers in one (a tuple or a list of two)."""

    first: Kind
    second: Kind
    shape: str = "a pair, like ('yes', True)"

    def read(self, value):
        if not isinstance(value, list) or len(value) != 2:
            raise NotYet(f"the answer should be {self.shape}.")
        return [self.first.read(value[0]), self.second.read(value[1])]


@dataclass(frozen=True)
class Chart(Kind):
    """An Altair chart, read from its Vega-Lite spec.

    ``marks`` are the marks allowed; ``rubric(spec)`` raises :class:`NotYet`
    for what the question asks of the chart's form (public: the question says
    it); ``fingerprint(spec)``, when given, reduces the chart's data to a value
    compared with the key (which rows it shows), so the data must be right too.
    """

    marks: tuple[str, ...] = ("bar",)
    rubric: Callable[[dict], None] | None = None
    fingerprint: Callable[[dict], object] | None = None
    wrong_mark: str = ""
    needs_text: bool = True

    def read(self, value):
        if not isinstance(value, dict) or not isinstance(value.get("__chart__"), dict):
            raise NotYet("the answer should be an Altair chart (alt.Chart(...)).")
        spec = value["__chart__"]
        mark = spec.get("mark")
        mark = mark.get("type") if isinstance(mark, dict) else mark
        if mark not in self.marks:
            raise NotYet(self.wrong_mark.format(mark=mark) if self.wrong_mark else
                         f"the chart's mark is {mark!r}, but a {self.marks[0]} chart is asked for.")
        if self.rubric is not None:
            self.rubric(spec)
        if self.needs_text:
            if not spec.get("title"):
                raise NotYet("the chart has no title.")
            if not spec.get("description"):
                raise NotYet("the chart has no description (screen readers read it).")
        return spec

    def target(self, spec):
        if self.fingerprint is None:
            return None
        return json.loads(canonical_json(to_json(self.fingerprint(spec))))

    def expected(self, raw):
        """The key gives a chart question's expected fingerprint directly."""
        return json.loads(canonical_json(to_json(raw)))


# --- reading a Vega-Lite spec (for chart rubrics) --------------------------

def encodings(spec: dict) -> dict[str, dict]:
    """The encoding channels of a spec that are objects, by channel."""
    enc = spec.get("encoding") if isinstance(spec.get("encoding"), dict) else {}
    return {ch: e for ch, e in enc.items() if isinstance(e, dict)}


def axis_fields(spec: dict) -> dict[str, dict]:
    """The x and y encodings of a spec that has them, by channel."""
    return {ch: e for ch, e in encodings(spec).items() if ch in ("x", "y")}


def data_rows(spec: dict) -> list[dict] | None:
    """The rows of the chart's own data, when they are inlined in the spec."""
    datasets = spec.get("datasets") if isinstance(spec.get("datasets"), dict) else {}
    data = spec.get("data") if isinstance(spec.get("data"), dict) else {}
    rows = datasets.get(data.get("name")) if data.get("name") in datasets else data.get("values")
    if not isinstance(rows, list):
        return None
    return [r for r in rows if isinstance(r, dict)]


# ---------------------------------------------------------------------------
# Salted hashes (what the in-class check compares)
# ---------------------------------------------------------------------------

HASH_ITERATIONS = 200_000


def answer_hash(exercise: str, qid: str, target: object, salt: str) -> str:
    """The salted, slow hash of a canonical answer (PBKDF2-SHA256)."""
    text = f"{exercise}/{qid}/{canonical_json(target)}".encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", text, bytes.fromhex(salt), HASH_ITERATIONS).hex()


@dataclass(frozen=True)
class Question:
    """One graded question: id, points, label, how its answer is read, a hint that
    does not give the answer away, and what a readable but wrong answer is told."""

    qid: str
    points: int
    label: str
    kind: Kind
    hint: str
    wrong: str = "that is not the answer yet."
    extra: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Written:
    """A written answer, marked by hand: its id (``w1``), points and a short label."""

    wid: str
    points: int
    label: str
