"""Partial ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), as ``data/`` writes them.

A partial date names a period: ``1958`` is the whole year. :func:`partial_date`
gives its first day and precision, :func:`period_end` its last day.
"""
from __future__ import annotations

import re

import pandas as pd

from .values import is_blank

PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_END_OF = {"year": pd.offsets.YearEnd(0), "month": pd.offsets.MonthEnd(0), "day": pd.offsets.Day(0)}


def partial_date(value: str) -> tuple[pd.Timestamp, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` to (first day, precision).

    Raises ``ValueError`` for anything else, including impossible days.
    """
    if not isinstance(value, str) or not re.match(PARTIAL_DATE, value):
        raise ValueError(f"not a partial ISO date: {value!r}")
    precision = {4: "year", 7: "month", 10: "day"}[len(value)]
    padded = value + {"year": "-01-01", "month": "-01", "day": ""}[precision]
    try:
        return pd.Timestamp(padded), precision
    except ValueError as err:
        raise ValueError(f"not a real calendar date: {value!r}") from err


def is_partial_date(value) -> bool:
    """True when ``value`` parses with :func:`partial_date`."""
    try:
        partial_date(value)
    except ValueError:
        return False
    return True


def period_end(value) -> pd.Timestamp:
    """Last day of the period a partial date names (``1953`` -> 1953-12-31);
    ``NaT`` for a blank cell."""
    if is_blank(value):
        return pd.NaT
    start, precision = partial_date(value)
    return start + _END_OF[precision]
