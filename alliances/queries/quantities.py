"""How the numbers of ``quantities.csv`` add up: totals and their parts.

Kim gives the Korean War's casualties at several levels at once: a total for
all sides, national totals, and the parts of two national totals (004). A
chart that draws a total beside its own parts double-counts; this module says
which rows are parts of which, and checks that the parts add up to the total
the source gives, so the chart can stack the parts and show the total apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Breakdown:
    """A national total (``total``, a ``quantity_id``) and the rows that make
    it up (``parts``), as the source itself adds them; ``within`` are rows
    contained in one of the parts (shown in its note, never drawn apart)."""

    group: str
    total: str
    parts: tuple[str, ...]
    within: tuple[str, ...] = ()


#: The casualty rows of topic "Korean War costs" (unit persons), by nation.
#: A nation without parts has its total as its one part.
CASUALTY_BREAKDOWNS = (
    Breakdown("United States", "Q17", ("Q18", "Q19", "Q20", "Q21")),
    Breakdown("China", "Q24", ("Q25", "Q27"), within=("Q26",)),
    Breakdown("South Korea (troops only)", "Q22", ("Q22",)),
)
#: Totals that span several nations (each contains bars of the breakdowns).
CASUALTY_WIDE_TOTALS = ("Q16", "Q23")


#: A note that opens with the source's own hedge: ``"Over"; ...`` or
#: ``Approximate ("some three million")``.
_HEDGE = re.compile(r'^(?:"(?P<word>Over|More than|Some|About|Nearly)"|Approximate \()', re.I)


def hedged(value: float, note: str) -> str:
    """``value`` written with the hedge its note records (``over 740,000``,
    ``about 3,000,000``), so a label keeps the source's "over" or "some"."""
    m = _HEDGE.match(note or "")
    word = "" if not m else (m.group("word") or "about").lower()
    return f"{word} {value:,.0f}".strip()


def casualty_parts(rows: pd.DataFrame) -> pd.DataFrame:
    """The stacked parts of each national casualty total, one row per part:
    ``group``, ``part`` (the row's measure), ``value``, ``total`` (the
    national total the source gives) and its ``total_label`` (hedged as the
    source hedges it, :func:`hedged`), ``start``/``end`` (where the part sits
    in the stack), ``note`` (with any row contained in the part), ``source``.

    ``rows`` as from ``charts.sino_soviet.topic_quantities(..., unit="persons")``.
    Raises ``ValueError`` naming the ids if a breakdown's parts do not add up
    to its total, or if a row is neither a part, a contained row nor a total.
    """
    by_id = rows.set_index("quantity_id")
    used = set(CASUALTY_WIDE_TOTALS)
    out = []
    for b in CASUALTY_BREAKDOWNS:
        missing = [q for q in (b.total, *b.parts, *b.within) if q not in by_id.index]
        if missing:
            raise ValueError(f"casualty rows {missing} are not in the rows given")
        total = float(by_id.loc[b.total, "value"])
        parts = [float(by_id.loc[q, "value"]) for q in b.parts]
        if abs(sum(parts) - total) > 0.5:
            raise ValueError(f"{b.group}: parts {list(b.parts)} add up to {sum(parts):,.0f}, "
                             f"not the total {b.total} of {total:,.0f}")
        start = 0.0
        for q, value in zip(b.parts, parts):
            note = by_id.loc[q, "note"]
            contained = [f"{by_id.loc[w, 'measure']}: {float(by_id.loc[w, 'value']):,.0f}"
                         for w in b.within]
            if contained:
                note = "; ".join([note, *contained]) if note else "; ".join(contained)
            out.append({"group": b.group, "quantity_id": q, "part": by_id.loc[q, "measure"],
                        "value": value, "start": start, "end": start + value, "total": total,
                        "total_label": hedged(total, by_id.loc[b.total, "note"]) + " in all",
                        "total_id": b.total, "total_note": by_id.loc[b.total, "note"],
                        "note": note, "source": by_id.loc[q, "source"]})
            start += value
        used |= {b.total, *b.parts, *b.within}
    unplaced = sorted(set(by_id.index) - used)
    if unplaced:
        raise ValueError(f"casualty rows {unplaced} are neither a part nor a total: "
                         "add them to alliances.queries.quantities")
    return pd.DataFrame(out)


def casualty_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """The totals that span several nations (:data:`CASUALTY_WIDE_TOTALS`),
    each with a ``label`` hedged as the source hedges it."""
    wide = rows[rows["quantity_id"].isin(CASUALTY_WIDE_TOTALS)]
    wide = wide.set_index("quantity_id").loc[list(CASUALTY_WIDE_TOTALS)].reset_index()
    wide["label"] = [hedged(v, n) for v, n in zip(wide["value"], wide["note"])]
    return wide
