"""The triangles period by period: readings, events and treaties.

Functions over ``data/triangle_periods.csv`` (loaded with
:func:`alliances.data.load_triangle_periods`), ``events.csv`` and
``treaties.csv``. The model's reading of a period (Dittmer's pattern, Wu's
roles, Vu's sum type) always sits beside the label the source itself gives
(``source_label``), so a reader can see where they agree.

A period belongs to a triangle (``KOR``, ``VN``, ``GP``, ``NEW``). An event
belongs to a period when its code list ``triangles`` holds the triangle and
its (start) date falls between the period's start and the end of its last
year, month or day as the partial date is written. A period with no end runs
to the start of the next period of its triangle. Adjacent periods may share a
boundary year, so an event can belong to both.
"""
from __future__ import annotations

import pandas as pd

from . import triangle as tri
from . import vu
from .data import load_events, load_treaties, load_triangle_periods, partial_date, split_ids

#: Triangles in which Vu's A and B are two patrons and C a junior state they
#: court (the cases his article discusses); ``GP`` is three great powers.
VU_TRIANGLES = ("KOR", "VN", "NEW")

TRIANGLE_NAMES = {
    "KOR": "China – USSR – North Korea",
    "VN": "USSR – China – North Vietnam",
    "GP": "US – China – USSR",
    "NEW": "China – Russia – North Korea",
}

NEEDS_SIGNS = ("Dittmer's patterns and Wu's roles need amity or enmity on every side; "
               "in this period a side is {what}, so the model gives no pattern and no roles.")


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == ""


def period_end(value) -> pd.Timestamp:
    """Last day of the period a partial date names (``1958`` -> 1958-12-31)."""
    start, precision = partial_date(value)
    offset = {"year": pd.offsets.YearEnd(0), "month": pd.offsets.MonthEnd(0),
              "day": pd.offsets.Day(0)}[precision]
    return start + offset


def periods(triangle_id: str | None = None) -> pd.DataFrame:
    """The periods (of one triangle, or all), in order, with ``until`` added:
    the last day each period covers (see the module docstring)."""
    table = load_triangle_periods()
    until = []
    for i, row in table.iterrows():
        if not _blank(row["end"]):
            until.append(period_end(row["end"]))
            continue
        later = table[(table["triangle_id"] == row["triangle_id"]) & (table["order"] > row["order"])]
        until.append(later["start_date"].min() if len(later) else pd.NaT)
    table["until"] = pd.to_datetime(pd.Series(until, index=table.index))
    if triangle_id is not None:
        table = table[table["triangle_id"] == triangle_id].reset_index(drop=True)
    return table


def period_row(period_id: str) -> pd.Series:
    """One period by its id (``KOR-5``)."""
    table = periods()
    hit = table[table["period_id"] == period_id]
    if hit.empty:
        raise KeyError(f"no period {period_id!r} in triangle_periods.csv")
    return hit.iloc[0]


def period_sides(row) -> dict[str, object]:
    return {s: (None if _blank(row[s]) else str(row[s])) for s in ("ab", "ac", "bc")}


def period_triangle(row) -> tri.Triangle | None:
    """The period as a :class:`~alliances.triangle.Triangle`, or ``None`` when
    a side is not amity or enmity (mixed, neutral, or not stated)."""
    sides = period_sides(row)
    if any(v not in tri.RELATIONS for v in sides.values()):
        return None
    return tri.Triangle(str(row["a"]), str(row["b"]), str(row["c"]), **sides)


def period_reading(row) -> dict:
    """What the model says about a period, beside the source's own label.

    Keys: ``period_id``, ``label``, ``sides`` (text), ``pattern``, ``roles``
    (actor -> role), ``balanced``, ``description`` (the model's text),
    ``vu_sum_type`` (Vu's type, only for ``VU_TRIANGLES``), ``source_label``
    (positive-sum/zero-sum where a source gives one, else ``""``),
    ``label_basis``, ``agreement`` and ``explanation``.
    """
    t = period_triangle(row)
    sides = period_sides(row)
    names = [f"{row['a']}–{row['b']} {sides['ab'] or 'not stated'}",
             f"{row['a']}–{row['c']} {sides['ac'] or 'not stated'}",
             f"{row['b']}–{row['c']} {sides['bc'] or 'not stated'}"]
    out = {"period_id": str(row["period_id"]), "triangle_id": str(row["triangle_id"]),
           "label": str(row["label"]), "sides": ", ".join(names),
           "pattern": "", "roles": {}, "balanced": None, "description": "",
           "vu_sum_type": "", "source_label": "" if _blank(row["source_label"]) else str(row["source_label"]),
           "label_basis": "" if _blank(row["label_basis"]) else str(row["label_basis"]),
           "source": str(row["source"])}
    if t is None:
        odd = sorted({v or "not stated (the sources are silent)" for v in sides.values()
                      if v not in tri.RELATIONS})
        out["explanation"] = NEEDS_SIGNS.format(what=" or ".join(odd))
        out["description"] = f"Sides: {out['sides']}. " + out["explanation"]
    else:
        reading = tri.read(t)
        out.update(pattern=reading.pattern.value,
                   roles={x: r.value for x, r in reading.roles.items()},
                   balanced=reading.balanced, description=reading.describe(),
                   explanation=f"Pattern: {reading.pattern.value}.")
        if out["triangle_id"] in VU_TRIANGLES:
            out["vu_sum_type"] = vu.sum_type(t).value
    if out["triangle_id"] not in VU_TRIANGLES:
        out["agreement"] = "not one of Vu's triangles"
    elif not out["source_label"]:
        out["agreement"] = "the sources give no label"
    elif not out["vu_sum_type"]:
        out["agreement"] = "the model cannot classify this period"
    else:
        out["agreement"] = "agree" if out["vu_sum_type"] == out["source_label"] else "differ"
    return out


def readings(triangle_id: str | None = None) -> pd.DataFrame:
    """:func:`period_reading` for every period, as a table (roles as text)."""
    rows = []
    for _, row in periods(triangle_id).iterrows():
        r = period_reading(row)
        r["roles"] = ", ".join(f"{x} {v}" for x, v in r["roles"].items())
        r["balanced"] = "" if r["balanced"] is None else ("yes" if r["balanced"] else "no")
        rows.append(r)
    return pd.DataFrame(rows)


def _in_period(date: pd.Timestamp, row) -> bool:
    if pd.isna(date):
        return False
    if date < row["start_date"]:
        return False
    return pd.isna(row["until"]) or date <= row["until"]


def period_events(row) -> pd.DataFrame:
    """Events and treaties of one period, each with its citation.

    Returns a table with ``kind`` (``event``/``treaty``), ``id``, ``date``,
    ``title`` (our words), ``source``: events whose ``triangles`` hold the
    period's triangle and whose date falls in the period; treaties signed in
    the period whose parties are all corners of the triangle, or that an
    event of the period refers to.
    """
    if "until" not in row.index:
        row = period_row(row["period_id"])
    code = str(row["triangle_id"])
    events = load_events()
    hit = events[[code in split_ids(v) and _in_period(d, row)
                  for v, d in zip(events["triangles"], events["date_date"])]]
    rows = [{"kind": "event", "id": e.event_id, "date": e.date, "date_date": e.date_date,
             "title": e.title, "description": e.description, "source": e.source}
            for e in hit.itertuples()]
    linked = {t for v in hit["treaty_id"] for t in split_ids(v)}
    corners = {str(row["a"]), str(row["b"]), str(row["c"])}
    treaties = load_treaties()
    for t in treaties.itertuples():
        parties = set(split_ids(t.parties))
        in_triangle = len(parties) >= 2 and parties <= corners
        if _in_period(t.signed_date, row) and (in_triangle or t.treaty_id in linked):
            rows.append({"kind": "treaty", "id": t.treaty_id, "date": t.signed,
                         "date_date": t.signed_date, "title": f"{t.short_name} signed",
                         "description": t.name, "source": t.source})
    out = pd.DataFrame(rows, columns=["kind", "id", "date", "date_date", "title",
                                      "description", "source"])
    return out.sort_values(["date_date", "kind", "id"], kind="stable").reset_index(drop=True)


def treaty_signings(triangle_id: str | None = None) -> pd.DataFrame:
    """Treaties signed within a triangle's periods (one row per triangle and
    treaty), for the timeline."""
    rows = []
    for _, row in periods(triangle_id).iterrows():
        ev = period_events(row)
        for t in ev[ev["kind"] == "treaty"].itertuples():
            rows.append({"triangle_id": row["triangle_id"], "treaty_id": t.id,
                         "date": t.date, "date_date": t.date_date, "title": t.title,
                         "source": t.source})
    out = pd.DataFrame(rows, columns=["triangle_id", "treaty_id", "date", "date_date", "title", "source"])
    return out.drop_duplicates(["triangle_id", "treaty_id"]).reset_index(drop=True)
