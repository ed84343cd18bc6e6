"""Validate one CSV file of ``data/`` against its contract (:mod:`.schemas`).

A malformed file raises :class:`DataError`, whose message names the file,
the line of the CSV (header = line 1) and the column, for every problem
found, not just the first.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from pandera.errors import SchemaError, SchemaErrors

from .dates import is_partial_date, partial_date, period_end
from .schemas import DATE_ORDER, PRESENT_IFF, SPECS, schema_for


class DataError(ValueError):
    """A data file does not meet its contract; the message lists every problem."""


def read_cells(path: Path) -> pd.DataFrame:
    """The CSV with every cell a string (empty cells missing), indexed by CSV line."""
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
            if is_partial_date(s) and is_partial_date(e) and period_end(e) < partial_date(s)[0]:
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
    frame = read_cells(path)
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
    return typed(path.name, frame)


def typed(filename: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The validated string frame with typed columns: ``<date>_date`` and
    ``<date>_precision`` beside each date, numbers as nullable numbers."""
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
