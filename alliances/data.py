"""Load and validate the CSV files in ``data/``.

Each loader reads one file, validates it against a declared pandera schema and
returns a typed DataFrame. A malformed file raises :class:`DataError`, whose
message names the file, the line of the CSV (header = line 1) and the column,
for every problem found, not just the first.

The column contracts are documented in ``data/README.md``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .paths import DATA_DIR

PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
CITATION = r'(?:\b(?:000|003|004)\s+"[^"]+")|(?:ATOP v4\.01)'
RELATION_VALUES = ("amity", "enmity", "neutral", "mixed")
#: A ``;``-separated list of ids of ``disputes.csv`` rows (``I-8;B-1``).
DISPUTE_IDS = r"^[A-Z]+-\d+(;[A-Z]+-\d+)*$"
YES_NO = ("yes", "no")
TRIANGLE_CODES = ("KOR", "VN", "GP", "NEW", "KSC", "OPR")
#: Threads of events that a chapter follows across triangles (``events.csv`` ``themes``):
#: the nuclear thread, and the end of the Cold War on the Korean peninsula.
THEME_CODES = ("NUC", "PEN")
#: What a reading says about the end of an alliance span (``alliance_spans.csv``).
END_STATUS = ("stated", "in force", "not stated")


class DataError(ValueError):
    """A data file does not meet its contract; the message lists every problem."""


# --------------------------------------------------------------------------
# Column declarations
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    """One column's contract: its kind, whether it may be empty, its values."""

    kind: str = "str"            # str, date, float, int, enum, actor, actors, codes, ids, source, relation
    required: bool = False       # True: may not be empty
    unique: bool = False
    values: tuple[str, ...] = field(default_factory=tuple)


ID = Col("str", required=True, unique=True)
SOURCE = Col("source", required=True)

SPECS: dict[str, dict[str, Col]] = {
    "actors.csv": {
        "actor_id": ID, "name": Col(required=True), "short_name": Col(required=True),
        "kind": Col("enum", True, values=("state", "government", "movement")),
        "bloc": Col("enum", values=("communist", "western", "non-aligned")),
        "ideology": Col(), "cow_code": Col("int"), "successor_of": Col("actor"),
        "source": SOURCE,
    },
    "treaties.csv": {
        "treaty_id": ID, "name": Col(required=True), "short_name": Col(required=True),
        "kind": Col("enum", True, values=("treaty", "agreement", "joint statement",
                                          "armistice", "settlement")),
        "parties": Col("actors"), "signed": Col("date"), "signed_place": Col(),
        "in_force": Col("date"), "term_years": Col("float"), "renewal_years": Col("float"),
        "renewal_rule": Col(), "ended": Col("date"), "end_how": Col(),
        "in_force_today": Col("enum", values=YES_NO),
        "defence_obligation": Col("enum", values=YES_NO), "defence_article": Col(),
        "defence_wording": Col(),
        "escape_clause": Col("enum", values=("explicit", "weak", "none")),
        "territory_defined": Col("enum", values=YES_NO),
        "no_hostile_alliance_pledge": Col("enum", values=YES_NO),
        "threat_named": Col(), "notes": Col(), "source": SOURCE,
    },
    "treaty_atop.csv": {
        "atopid": Col("int", True, unique=True), "treaty_id": Col("treaty"),
        "members_cow": Col(required=True), "members": Col(required=True),
        "begin": Col("date", True), "end": Col("date"),
        **{name: Col("int", True) for name in (
            "ineffect", "defense", "offense", "neutral", "nonagg", "consul", "conditio",
            "defcon", "length", "renewlgt", "statthr1", "noothall", "milaid", "ecaid")},
        "atop_version": Col("float", True), "match_note": Col(), "source": SOURCE,
    },
    "disputes.csv": {
        "dispute_id": ID, "topic": Col(required=True), "subject": Col(required=True),
        "reading_a": Col(required=True), "source_a": Col(required=True),
        "reading_b": Col(), "source_b": Col(),
        "kind": Col("enum", True, values=("between sources", "within a source",
                                          "source vs ATOP", "source vs outside reference")),
        "comment": Col(), "source": SOURCE,
    },
    "alliance_spans.csv": {
        "span_id": ID, "dyad": Col("dyad", True),
        "reading": Col("enum", True, values=("000", "003", "004", "ATOP")),
        "start": Col("date", True), "end": Col("date"),
        "end_status": Col("enum", True, values=END_STATUS),
        "basis": Col("enum", True, values=("treaty", "alignment", "coding")),
        "treaty_id": Col("treaty"), "source": SOURCE,
    },
    "events.csv": {
        "event_id": ID, "date": Col("date"), "date_end": Col("date"),
        "date_note": Col(), "actors": Col("actors"), "people": Col(),
        "title": Col(required=True), "description": Col(required=True),
        "triangles": Col("codes", values=TRIANGLE_CODES), "treaty_id": Col("treaties"),
        "strategy": Col("enum", values=("wedge", "binding", "restraint")),
        "strategy_basis": Col("enum", values=("explicit", "INF")),
        "themes": Col("codes", values=THEME_CODES),
        "source": SOURCE,
    },
    "alignment_cases.csv": {
        "case_id": ID, "chooser": Col("actor", True), "partner": Col("actor", True),
        "period": Col(required=True), "start": Col("date", True), "end": Col("date"),
        "shared_security": Col("enum", True, values=("yes", "no", "unclear")),
        "security_evidence": Col(),
        "shared_ideology": Col("enum", True, values=("yes", "no", "unclear")),
        "ideology_evidence": Col(),
        "allied": Col("enum", True, values=YES_NO), "outcome": Col(),
        "deviant": Col("enum", values=YES_NO), "source": SOURCE,
    },
    "triangle_periods.csv": {
        "triangle_id": Col("enum", True, values=("KOR", "VN", "GP", "NEW")),
        "period_id": ID, "order": Col("int", True), "label": Col(required=True),
        "start": Col("date", True), "end": Col("date"),
        "a": Col("actor", True), "b": Col("actor", True), "c": Col("actor", True),
        **{side: Col("relation", values=RELATION_VALUES) for side in ("ab", "ac", "bc")},
        **{f"{side}_basis": Col("enum", values=("stated", "INF")) for side in ("ab", "ac", "bc")},
        **{f"{side}_evidence": Col() for side in ("ab", "ac", "bc")},
        "c_stance": Col(),
        "source_label": Col("enum", values=("positive-sum", "zero-sum")),
        "label_basis": Col("enum", values=("stated", "INF")),
        "disputes": Col("ids"),
        "source": SOURCE,
    },
    "explanations.csv": {
        "evidence_id": ID, "explanation_id": Col(required=True),
        "explanation": Col(required=True), "prediction": Col(required=True),
        "evidence": Col(required=True),
        "verdict": Col("enum", True, values=("supports", "mixed", "undercuts")),
        "source": SOURCE,
    },
    "two_chinas_two_koreas.csv": {
        "relation_id": ID, "period_id": Col(required=True), "period_label": Col(required=True),
        "start": Col("date", True), "end": Col("date"),
        "a": Col("actor", True), "b": Col("actor", True),
        "relation": Col("relation", values=RELATION_VALUES),
        "basis": Col("enum", values=("stated", "INF")),
        "evidence": Col(), "disputes": Col("ids"), "source": SOURCE,
    },
    "source_documents.csv": {
        "source_id": Col("enum", True, unique=True, values=("000", "003", "004")),
        "kind": Col(required=True), "author": Col(), "title": Col(),
        "present": Col("date", True), "present_basis": Col("enum", True, values=("stated", "INF")),
        "present_note": Col(required=True), "notes": Col(), "source": SOURCE,
    },
    "quantities.csv": {
        "quantity_id": ID, "topic": Col(required=True), "measure": Col(required=True),
        "value": Col("float", True), "unit": Col(required=True), "date": Col("date"),
        "actor": Col("actor"), "note": Col(), "source": SOURCE,
    },
}

#: Pairs of date columns whose order is checked: (start, end).
DATE_ORDER = {
    "treaties.csv": [("signed", "in_force"), ("signed", "ended")],
    "treaty_atop.csv": [("begin", "end")],
    "alliance_spans.csv": [("start", "end")],
    "events.csv": [("date", "date_end")],
    "alignment_cases.csv": [("start", "end")],
    "triangle_periods.csv": [("start", "end")],
    "two_chinas_two_koreas.csv": [("start", "end")],
}

#: Columns that must hold a value exactly when another column has a given value:
#: (column, status column, status value). In ``alliance_spans.csv`` an ``end``
#: is given if and only if ``end_status`` is ``stated``.
PRESENT_IFF = {
    "alliance_spans.csv": [("end", "end_status", "stated")],
}


# --------------------------------------------------------------------------
# Schema construction
# --------------------------------------------------------------------------

def _split(value: str) -> list[str]:
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _column_checks(name: str, col: Col, actor_ids: frozenset[str],
                   treaty_ids: frozenset[str]) -> list[pa.Check]:
    member = lambda allowed, what: pa.Check(  # noqa: E731
        lambda s: s.map(lambda v: all(p in allowed for p in _split(v))),
        element_wise=False, error=f"{what}")
    if col.kind == "date":
        return [pa.Check.str_matches(PARTIAL_DATE, error="not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
                pa.Check(lambda s: s.map(_parses), element_wise=False, error="not a real calendar date")]
    if col.kind == "float":
        return [pa.Check(lambda s: pd.to_numeric(s, errors="coerce").notna(), element_wise=False,
                         error="not a number")]
    if col.kind == "int":
        return [pa.Check.str_matches(r"^-?\d+$", error="not a whole number")]
    if col.kind in ("enum", "relation"):
        return [pa.Check.isin(col.values, error=f"not one of {', '.join(col.values)}")]
    if col.kind == "codes":
        return [member(frozenset(col.values), f"codes must be among {', '.join(col.values)}")]
    if col.kind == "actor":
        return [pa.Check.isin(sorted(actor_ids), error="unknown actor id (not in actors.csv)")]
    if col.kind == "actors":
        return [member(actor_ids, "unknown actor id (not in actors.csv)")]
    if col.kind == "dyad":
        return [pa.Check(lambda s: s.map(lambda v: len(v.split("-")) == 2
                                          and all(p in actor_ids for p in v.split("-"))),
                         element_wise=False, error="not two known actor ids joined by '-'")]
    if col.kind == "treaty":
        return [pa.Check.isin(sorted(treaty_ids), error="unknown treaty id (not in treaties.csv)")]
    if col.kind == "treaties":
        return [member(treaty_ids, "unknown treaty id (not in treaties.csv)")]
    if col.kind == "ids":
        return [pa.Check.str_matches(DISPUTE_IDS, error="not a ';'-separated list of dispute ids (I-8;B-1)")]
    if col.kind == "source":
        return [pa.Check.str_contains(CITATION, error='no citation of the form 000 "phrase" or ATOP v4.01')]
    return []


def _parses(value: str) -> bool:
    try:
        partial_date(value)
    except ValueError:
        return False
    return True


def schema_for(filename: str, actor_ids: frozenset[str] = frozenset(),
               treaty_ids: frozenset[str] = frozenset()) -> pa.DataFrameSchema:
    """Return the pandera schema of ``filename`` (as read with every cell a string)."""
    columns = {
        name: pa.Column(str, nullable=not col.required, unique=col.unique,
                        checks=_column_checks(name, col, actor_ids, treaty_ids))
        for name, col in SPECS[filename].items()
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=False, name=filename)


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

def partial_date(value: str) -> tuple[pd.Timestamp, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` to (start timestamp, precision)."""
    if not re.match(PARTIAL_DATE, value or ""):
        raise ValueError(f"not a partial ISO date: {value!r}")
    precision = {4: "year", 7: "month", 10: "day"}[len(value)]
    return pd.Timestamp(value if precision == "day" else value + ("-01-01" if precision == "year" else "-01")), precision


def _period_end(value: str) -> pd.Timestamp:
    """Last day of the period a partial date names (1980 -> 1980-12-31)."""
    start, precision = partial_date(value)
    offset = {"year": pd.offsets.YearEnd(0), "month": pd.offsets.MonthEnd(0), "day": pd.offsets.Day(0)}
    return start + offset[precision]


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # CSV line numbers (header = 1)
    return frame


def _report(path: Path, failure_cases: pd.DataFrame) -> str:
    lines = []
    for row in failure_cases.itertuples(index=False):
        column = row.column if isinstance(row.column, str) else None
        where = f"row {int(row.index)}" if pd.notna(row.index) else "header"
        check = str(row.check)
        if check.startswith("column_in_dataframe"):
            lines.append(f"{path.name}: header: column {row.failure_case!r} is missing")
        elif check.startswith("column_in_schema"):
            lines.append(f"{path.name}: header: column {row.failure_case!r} is not in the contract")
        elif check == "not_nullable":
            lines.append(f"{path.name}: {where}, column {column!r}: empty, but a value is required")
        elif check == "field_uniqueness":
            lines.append(f"{path.name}: {where}, column {column!r}: duplicate value {row.failure_case!r}")
        else:
            lines.append(f"{path.name}: {where}, column {column!r}: {check} "
                         f"(value {row.failure_case!r})")
    return "\n".join(dict.fromkeys(lines))


def _date_order_problems(path: Path, frame: pd.DataFrame) -> list[str]:
    problems = []
    for start, end in DATE_ORDER.get(path.name, []):
        for line, (s, e) in frame[[start, end]].dropna().iterrows():
            if _parses(s) and _parses(e) and _period_end(e) < partial_date(s)[0]:
                problems.append(f"{path.name}: row {line}, column {end!r}: {e} is before "
                                f"{start} {s}")
    return problems


def _present_iff_problems(path: Path, frame: pd.DataFrame) -> list[str]:
    """Rows where ``column`` is filled but the status is not ``value``, or the reverse.

    Rows whose status is not one of the column's allowed values are left to the
    schema, which reports them already.
    """
    problems = []
    for column, status, value in PRESENT_IFF.get(path.name, []):
        if column not in frame or status not in frame:
            continue  # a missing column is reported by the schema
        allowed = set(SPECS[path.name][status].values)
        for line, (cell, flag) in frame[[column, status]].iterrows():
            if flag not in allowed or pd.notna(cell) == (flag == value):
                continue
            if pd.notna(cell):
                why = f"{flag!r}, but column {column!r} holds {cell!r}"
            else:
                why = f"{flag!r}, but column {column!r} is empty"
            problems.append(f"{path.name}: row {line}, column {status!r}: {why} "
                            f"(a {column} is given exactly when {status} is {value!r})")
    return problems


def validate(path: Path, actor_ids: frozenset[str] = frozenset(),
             treaty_ids: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Validate one CSV file against its contract and return its typed frame."""
    path = Path(path)
    if path.name not in SPECS:
        raise DataError(f"{path}: no contract is declared for this file")
    if not path.exists():
        raise DataError(f"{path}: file not found")
    frame = _read(path)
    if path.name == "actors.csv" and "actor_id" in frame:
        actor_ids = frozenset(frame["actor_id"].dropna())  # successor_of refers to the file itself
    schema = schema_for(path.name, actor_ids, treaty_ids)
    problems: list[str] = []
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        problems.append(_report(path, err.failure_cases))
    except SchemaError as err:  # pragma: no cover - lazy mode collects, kept for safety
        problems.append(f"{path.name}: {err}")
    problems += _date_order_problems(path, frame)
    problems += _present_iff_problems(path, frame)
    if problems:
        raise DataError("\n".join(problems))
    return _typed(path.name, frame)


def _typed(filename: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name, col in SPECS[filename].items():
        if col.kind == "date":
            parsed = out[name].map(lambda v: partial_date(v) if isinstance(v, str) else (pd.NaT, pd.NA))
            out[f"{name}_date"] = pd.to_datetime([p[0] for p in parsed])
            out[f"{name}_precision"] = pd.array([p[1] for p in parsed], dtype="string")
        elif col.kind == "float":
            out[name] = pd.to_numeric(out[name]).astype("Float64")
        elif col.kind == "int":
            out[name] = pd.to_numeric(out[name]).astype("Int64")
        else:
            out[name] = out[name].astype("string")
    return out.reset_index(drop=True)


@lru_cache(maxsize=None)
def _load(filename: str, data_dir: str) -> pd.DataFrame:
    directory = Path(data_dir)
    actor_ids = frozenset()
    treaty_ids = frozenset()
    if filename != "actors.csv":
        actor_ids = frozenset(_load("actors.csv", data_dir)["actor_id"])
    if filename not in ("actors.csv", "treaties.csv"):
        treaty_ids = frozenset(_load("treaties.csv", data_dir)["treaty_id"])
    return validate(directory / filename, actor_ids, treaty_ids)


def load(filename: str, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Load ``data_dir/filename`` validated; returns a fresh copy each call."""
    return _load(filename, str(data_dir)).copy()


def load_actors(data_dir=DATA_DIR) -> pd.DataFrame:
    """States and movements: ``actor_id``, names, bloc, ideology, COW code."""
    return load("actors.csv", data_dir)


def load_treaties(data_dir=DATA_DIR) -> pd.DataFrame:
    """Treaties T1-T23 with dates, terms and provisions."""
    return load("treaties.csv", data_dir)


def load_treaty_atop(data_dir=DATA_DIR) -> pd.DataFrame:
    """ATOP 4.01 coding keyed to ``treaty_id``."""
    return load("treaty_atop.csv", data_dir)


def load_disputes(data_dir=DATA_DIR) -> pd.DataFrame:
    """Where the sources (and ATOP) disagree, with both readings."""
    return load("disputes.csv", data_dir)


def load_alliance_spans(data_dir=DATA_DIR) -> pd.DataFrame:
    """Each reading's dating of each alliance."""
    return load("alliance_spans.csv", data_dir)


def load_events(data_dir=DATA_DIR) -> pd.DataFrame:
    """The dated timeline, 1945-2025, sorted by date."""
    return load("events.csv", data_dir).sort_values(["date_date", "event_id"], kind="stable").reset_index(drop=True)


def load_alignment_cases(data_dir=DATA_DIR) -> pd.DataFrame:
    """The dyads and periods the op-ed classifies with its two criteria."""
    return load("alignment_cases.csv", data_dir)


def load_triangle_periods(data_dir=DATA_DIR) -> pd.DataFrame:
    """Relations on each side of each triangle, period by period."""
    return load("triangle_periods.csv", data_dir).sort_values(["triangle_id", "order"], kind="stable").reset_index(drop=True)


def load_two_chinas_two_koreas(data_dir=DATA_DIR) -> pd.DataFrame:
    """Relations among the two Chinas, the two Koreas and the United States, as Kim draws them, by period."""
    return load("two_chinas_two_koreas.csv", data_dir)


def load_source_documents(data_dir=DATA_DIR) -> pd.DataFrame:
    """The three source documents: what each is and the date of its "present"."""
    return load("source_documents.csv", data_dir)


def load_quantities(data_dir=DATA_DIR) -> pd.DataFrame:
    """Numbers the sources give: aid, withdrawals, troops, casualties."""
    return load("quantities.csv", data_dir)


def load_explanations(data_dir=DATA_DIR) -> pd.DataFrame:
    """Evidence for and against each explanation of the 1961 treaties."""
    return load("explanations.csv", data_dir)


LOADERS = {
    "actors.csv": load_actors, "treaties.csv": load_treaties,
    "treaty_atop.csv": load_treaty_atop, "disputes.csv": load_disputes,
    "alliance_spans.csv": load_alliance_spans, "events.csv": load_events,
    "alignment_cases.csv": load_alignment_cases,
    "triangle_periods.csv": load_triangle_periods, "quantities.csv": load_quantities,
    "explanations.csv": load_explanations,
    "two_chinas_two_koreas.csv": load_two_chinas_two_koreas,
    "source_documents.csv": load_source_documents,
}


def split_ids(value) -> list[str]:
    """Split a ``;``-separated id cell (``"PRC;USSR"``) into a list."""
    return [] if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else _split(value)
