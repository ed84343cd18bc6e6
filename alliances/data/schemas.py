"""The column contracts of the CSV files in ``data/`` (``data/README.md``).

:data:`SPECS` declares each file's columns; :func:`schema_for` turns one file's
declaration into a pandera schema over the file read with every cell a string.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from .citations import is_cited
from .dates import PARTIAL_DATE, is_partial_date
from .values import split_ids
from .vocabulary import (END_STATUS, PERIOD_TRIANGLES, RELATION_VALUES, THEME_CODES, TRIANGLE_CODES,
                         YES_NO)

#: A ``;``-separated list of ids of ``disputes.csv`` rows (``I-8;B-1``).
DISPUTE_IDS = r"^[A-Z]+-\d+(;[A-Z]+-\d+)*$"


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
        "triangle_id": Col("enum", True, values=PERIOD_TRIANGLES),
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


def _column_checks(col: Col, actor_ids: frozenset[str], treaty_ids: frozenset[str]) -> list[pa.Check]:
    def members(allowed, error):
        return pa.Check(lambda s: s.map(lambda v: all(p in allowed for p in split_ids(v))),
                        element_wise=False, error=error)

    if col.kind == "date":
        return [pa.Check.str_matches(PARTIAL_DATE, error="not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
                pa.Check(lambda s: s.map(is_partial_date), element_wise=False, error="not a real calendar date")]
    if col.kind == "float":
        return [pa.Check(lambda s: pd.to_numeric(s, errors="coerce").notna(), element_wise=False,
                         error="not a number")]
    if col.kind == "int":
        return [pa.Check.str_matches(r"^-?\d+$", error="not a whole number")]
    if col.kind in ("enum", "relation"):
        return [pa.Check.isin(col.values, error=f"not one of {', '.join(col.values)}")]
    if col.kind == "codes":
        return [members(frozenset(col.values), f"codes must be among {', '.join(col.values)}")]
    if col.kind == "actor":
        return [pa.Check.isin(sorted(actor_ids), error="unknown actor id (not in actors.csv)")]
    if col.kind == "actors":
        return [members(actor_ids, "unknown actor id (not in actors.csv)")]
    if col.kind == "dyad":
        return [pa.Check(lambda s: s.map(lambda v: len(v.split("-")) == 2
                                          and all(p in actor_ids for p in v.split("-"))),
                         element_wise=False, error="not two known actor ids joined by '-'")]
    if col.kind == "treaty":
        return [pa.Check.isin(sorted(treaty_ids), error="unknown treaty id (not in treaties.csv)")]
    if col.kind == "treaties":
        return [members(treaty_ids, "unknown treaty id (not in treaties.csv)")]
    if col.kind == "ids":
        return [pa.Check.str_matches(DISPUTE_IDS, error="not a ';'-separated list of dispute ids "
                                                        "(I-8;B-1)")]
    if col.kind == "source":
        return [pa.Check(lambda s: s.map(is_cited), element_wise=False,
                         error='no citation of the form 000 "phrase" or ATOP v4.01')]
    return []


def schema_for(filename: str, actor_ids: frozenset[str] = frozenset(),
               treaty_ids: frozenset[str] = frozenset()) -> pa.DataFrameSchema:
    """Return the pandera schema of ``filename`` (as read with every cell a string)."""
    columns = {
        name: pa.Column(str, nullable=not col.required, unique=col.unique,
                        checks=_column_checks(col, actor_ids, treaty_ids))
        for name, col in SPECS[filename].items()
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=False, name=filename)
