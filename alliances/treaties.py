"""Treaty provisions side by side: the sources' reading beside ATOP's coding.

The chapter "1961: two treaties with North Korea" compares the 1950
Sino-Soviet treaty (T2), the 1953 US-ROK treaty (T4) and the two 1961
treaties with North Korea (T11, T12). :func:`compare` builds the tidy table
behind both the book's kernel-free comparer and the live widget: one row per
treaty, provision and reading, every cell copied from ``data/treaties.csv``
(reading ``sources``) or ``data/treaty_atop.csv`` (reading ``ATOP``), with the
file and column it came from, so a test can trace each cell back.

Nothing is interpreted here: an empty cell stays "not stated" (sources) or
"no ATOP record"; ATOP codes are shown as codes, with the codebook meaning of
the column (``../shared/data/README.md``) beside them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .data import load_treaties, load_treaty_atop

#: The treaties the chapter compares, in date order.
CHAPTER_TREATIES = ("T2", "T4", "T11", "T12")

NOT_STATED = "not stated"
NO_ATOP = "no ATOP record"

#: (provision, reading, file, column). The order is the order of the table.
PROVISIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Instrument", "sources", "treaties.csv", "short_name"),
    ("Parties", "sources", "treaties.csv", "parties"),
    ("Parties", "ATOP", "treaty_atop.csv", "members"),
    ("Signed", "sources", "treaties.csv", "signed"),
    ("Signed", "ATOP", "treaty_atop.csv", "begin"),
    ("Defence obligation", "sources", "treaties.csv", "defence_obligation"),
    ("Defence obligation", "ATOP", "treaty_atop.csv", "defense"),
    ("Defence article", "sources", "treaties.csv", "defence_article"),
    ("What triggers it", "sources", "treaties.csv", "defence_wording"),
    ("Escape clause / conditions", "sources", "treaties.csv", "escape_clause"),
    ("Escape clause / conditions", "ATOP", "treaty_atop.csv", "conditio"),
    ("Escape clause / conditions", "ATOP", "treaty_atop.csv", "defcon"),
    ("Territory defined", "sources", "treaties.csv", "territory_defined"),
    ("Term", "sources", "treaties.csv", "term_years"),
    ("Term", "ATOP", "treaty_atop.csv", "length"),
    ("Renewal", "sources", "treaties.csv", "renewal_rule"),
    ("Renewal", "ATOP", "treaty_atop.csv", "renewlgt"),
    ("No hostile alliances pledge", "sources", "treaties.csv", "no_hostile_alliance_pledge"),
    ("No hostile alliances pledge", "ATOP", "treaty_atop.csv", "noothall"),
    ("Threat named", "sources", "treaties.csv", "threat_named"),
    ("Threat named", "ATOP", "treaty_atop.csv", "statthr1"),
    ("Consultation", "ATOP", "treaty_atop.csv", "consul"),
    ("Ended", "sources", "treaties.csv", "ended"),
    ("Ended", "sources", "treaties.csv", "end_how"),
    ("Ended", "ATOP", "treaty_atop.csv", "end"),
    ("In force today", "sources", "treaties.csv", "in_force_today"),
    ("In force today", "ATOP", "treaty_atop.csv", "ineffect"),
)

#: What a column holds (treaties.csv: data/README.md; ATOP: its codebook summary).
MEANING = {
    "short_name": "name used in this book",
    "parties": "actor ids",
    "members": "ATOP members (COW state abbreviations)",
    "signed": "date of signature",
    "begin": "date the alliance begins",
    "defence_obligation": "military help if a party is attacked",
    "defense": "1 = active military support if a partner is attacked",
    "defence_article": "article holding the pledge",
    "defence_wording": "what triggers the pledge (our words)",
    "escape_clause": "explicit, weak or none",
    "conditio": "1 = at least one obligation is conditional",
    "defcon": "1 = the defence obligation itself is conditional",
    "territory_defined": "does the text limit the pledge to a territory?",
    "term_years": "fixed term in years",
    "length": "fixed term in months (0 = none)",
    "renewal_rule": "how renewal works (our words)",
    "renewlgt": "automatic renewal period in months (0 = none)",
    "no_hostile_alliance_pledge": "a pledge not to join hostile alliances",
    "noothall": "1 = members promise not to join conflicting alliances",
    "threat_named": "adversary named in the text",
    "statthr1": "COW code of a state named as threat (0 = none)",
    "consul": "1 = consultation in crises",
    "ended": "when it ended",
    "end_how": "how it ended (or still in force)",
    "end": "when ATOP ends the alliance (empty = in effect)",
    "in_force_today": "yes / no as of the newest source",
    "ineffect": "1 = in effect at the end of ATOP's coverage",
}

COLUMNS = ["order", "provision", "reading", "treaty_id", "treaty", "file", "column",
           "value", "meaning"]


def format_cell(value, reading: str = "sources") -> str:
    """A CSV cell as table text: numbers without a trailing ``.0``, empty cells named."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return NOT_STATED if reading == "sources" else "empty"
    try:
        if pd.isna(value):
            return NOT_STATED if reading == "sources" else "empty"
    except (TypeError, ValueError):
        pass
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return f"{float(value):g}"
    return str(value)


def _lookup(frame: pd.DataFrame, treaty_id: str) -> pd.Series | None:
    rows = frame[frame["treaty_id"] == treaty_id]
    return None if rows.empty else rows.iloc[0]


def compare(treaty_ids) -> pd.DataFrame:
    """Provisions of ``treaty_ids`` side by side, the sources' reading beside ATOP's.

    Returns a tidy frame with one row per treaty, provision and reading
    (``order``, ``provision``, ``reading``, ``treaty_id``, ``treaty`` (short
    name), ``file`` and ``column`` (where the cell comes from), ``value`` (the
    cell as text) and ``meaning`` (what the column holds)). Treaties appear in
    the order given; an unknown id raises ``KeyError``.
    """
    treaty_ids = list(dict.fromkeys(treaty_ids))
    treaties = load_treaties()
    atop = load_treaty_atop()
    unknown = [t for t in treaty_ids if t not in set(treaties["treaty_id"])]
    if unknown:
        raise KeyError(f"unknown treaty ids: {unknown}")
    rows = []
    for tid in treaty_ids:
        source_row = _lookup(treaties, tid)
        atop_row = _lookup(atop, tid)
        for order, (provision, reading, file, column) in enumerate(PROVISIONS):
            if file == "treaties.csv":
                value = format_cell(source_row[column], "sources")
            elif atop_row is None:
                value = NO_ATOP
            else:
                value = f"{column} = {format_cell(atop_row[column], 'ATOP')}"
            rows.append({"order": order, "provision": provision, "reading": reading,
                         "treaty_id": tid, "treaty": str(source_row["short_name"]),
                         "file": file, "column": column, "value": value,
                         "meaning": MEANING[column]})
    return pd.DataFrame(rows, columns=COLUMNS)


def compare_wide(treaty_ids) -> pd.DataFrame:
    """:func:`compare` pivoted for reading: one row per provision and reading,
    one column per treaty (headed by its short name)."""
    long = compare(treaty_ids)
    names = list(dict.fromkeys(long["treaty"]))
    wide = long.pivot_table(index=["order", "provision", "reading", "column"], columns="treaty",
                            values="value", aggfunc="first", sort=False)
    wide = wide.reset_index().sort_values("order", kind="stable")
    wide = wide[["provision", "reading", "column", *names]].reset_index(drop=True)
    wide.columns.name = None
    return wide


def atop_id(treaty_id: str):
    """ATOP alliance id matched to ``treaty_id`` (``None`` if ATOP has no record)."""
    row = _lookup(load_treaty_atop(), treaty_id)
    return None if row is None else int(row["atopid"])
