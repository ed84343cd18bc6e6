"""What a cell of a loaded table holds: blank or not, text, a list of ids.

The loaders read every cell as a string and leave an empty cell missing
(``pd.NA``, or ``NaN`` in an object column); these helpers are the one place
that decides what counts as blank.
"""
from __future__ import annotations

import pandas as pd


#: What a cell says where the sources (or the data) say nothing: one wording
#: for every table and chart of the book.
NOT_STATED = "not stated"


def is_blank(value) -> bool:
    """True for a missing or empty cell: ``None``, ``pd.NA``, ``NaN``, ``NaT`` or ``""``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return isinstance(value, str) and value == ""


def text(value) -> str:
    """The cell as text, ``""`` when it is blank."""
    return "" if is_blank(value) else str(value)


def split_ids(value) -> list[str]:
    """Split a ``;``-separated id cell (``"PRC;USSR"``) into a list (``[]`` when blank)."""
    if is_blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]
