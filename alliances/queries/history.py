"""The triangles period by period: readings, events and treaties.

Functions over the frames of ``triangle_periods.csv``, ``events.csv`` and
``treaties.csv`` (as the loaders of :mod:`alliances.data` return them); no
file is read here. The model's reading of a period (Dittmer's pattern, Wu's
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

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..data.dates import period_end
from ..data.values import is_blank, split_ids, text
from ..data.vocabulary import TRIANGLE_NAMES, VU_TRIANGLES
from ..model import triangle as tri
from ..model import vu
from ..model.triangle import SIDES

NEEDS_SIGNS = ("Dittmer's patterns and Wu's roles need amity or enmity on every side; "
               "in this period a side is {what}, so the model gives no pattern and no roles.")
NOT_STATED = "not stated"
#: The ``pattern`` of a period the model cannot read (a side is not amity or enmity).
NO_PATTERN = "no pattern (a side is not amity or enmity)"


def periods(table: pd.DataFrame, triangle_id: str | None = None) -> pd.DataFrame:
    """The periods of ``table`` (``load_triangle_periods()``; of one triangle, or
    all), in order, with ``until`` added: the last day each period covers (see
    the module docstring)."""
    table = table.sort_values(["triangle_id", "order"], kind="stable").reset_index(drop=True)
    until = []
    for _, row in table.iterrows():
        if not is_blank(row["end"]):
            until.append(period_end(row["end"]))
            continue
        later = table[(table["triangle_id"] == row["triangle_id"]) & (table["order"] > row["order"])]
        until.append(later["start_date"].min() if len(later) else pd.NaT)
    table["until"] = pd.to_datetime(pd.Series(until, index=table.index))
    if triangle_id is not None:
        if triangle_id not in TRIANGLE_NAMES:
            raise KeyError(f"unknown triangle {triangle_id!r}")
        table = table[table["triangle_id"] == triangle_id].reset_index(drop=True)
    return table


def period_row(periods: pd.DataFrame, period_id: str) -> pd.Series:
    """One period of ``periods`` by its id (``KOR-5``)."""
    hit = periods[periods["period_id"] == period_id]
    if hit.empty:
        raise KeyError(f"no period {period_id!r} in triangle_periods.csv")
    return hit.iloc[0]


def period_sides(row) -> dict[str, str | None]:
    """The period's three sides (``ab``, ``ac``, ``bc``); ``None`` where the sources are silent."""
    return {s: (None if is_blank(row[s]) else str(row[s])) for s in SIDES}


def period_triangle(row) -> tri.Triangle | None:
    """The period as a :class:`~alliances.model.triangle.Triangle`, or ``None`` when
    a side is not amity or enmity (mixed, neutral, or not stated)."""
    sides = period_sides(row)
    if any(v not in tri.RELATIONS for v in sides.values()):
        return None
    return tri.Triangle(str(row["a"]), str(row["b"]), str(row["c"]), **sides)


@dataclass(frozen=True)
class PeriodReading:
    """What the model says about one period, beside the source's own label.

    ``reading`` is the model's :class:`~alliances.model.triangle.Reading`, or
    ``None`` when a side is not amity or enmity; ``vu_type`` is Vu's type for
    his triangles (:data:`~alliances.data.vocabulary.VU_TRIANGLES`) where the
    model reads the period, else ``None``. ``source_label`` and
    ``label_basis`` are ``""`` where the sources give none.
    """

    period_id: str
    triangle_id: str
    label: str
    actors: tuple[str, str, str]
    sides: dict[str, str | None]
    reading: tri.Reading | None
    vu_type: vu.SumType | None
    source_label: str
    label_basis: str
    source: str

    def sides_text(self, names: Mapping[str, str] | None = None) -> str:
        """``PRC–USSR enmity, PRC–DPRK amity, USSR–DPRK amity`` (actors labelled by ``names``)."""
        names = names or {}
        a, b, c = (names.get(x, x) for x in self.actors)
        pairs = {"ab": (a, b), "ac": (a, c), "bc": (b, c)}
        return ", ".join(f"{p}–{q} {self.sides[s] or NOT_STATED}" for s, (p, q) in pairs.items())

    @property
    def explanation(self) -> str:
        if self.reading is None:
            odd = sorted({v or "not stated (the sources are silent)" for v in self.sides.values()
                          if v not in tri.RELATIONS})
            return NEEDS_SIGNS.format(what=" or ".join(odd))
        return f"Pattern: {self.reading.pattern.value}."

    @property
    def description(self) -> str:
        """The model's text (:meth:`Reading.describe`), or why it gives none."""
        if self.reading is None:
            return f"Sides: {self.sides_text()}. {self.explanation}"
        return self.reading.describe()

    @property
    def agreement(self) -> str:
        """Whether the model's type and the source's label agree (or why there is no comparison)."""
        if self.triangle_id not in VU_TRIANGLES:
            return "not one of Vu's triangles"
        if not self.source_label:
            return "the sources give no label"
        if self.vu_type is None:
            return "the model cannot classify this period"
        return "agree" if self.vu_type.value == self.source_label else "differ"

    def roles_text(self, names: Mapping[str, str] | None = None) -> str:
        """``PRC wing, USSR wing, DPRK pivot`` (actors labelled by ``names``), or ``""``."""
        if self.reading is None:
            return ""
        names = names or {}
        return ", ".join(f"{names.get(x, x)} {r.value}" for x, r in self.reading.roles.items())

    def as_row(self, names: Mapping[str, str] | None = None) -> dict:
        """The reading as one row of text for a table (see :func:`readings`)."""
        r = self.reading
        return {"period_id": self.period_id, "triangle_id": self.triangle_id, "label": self.label,
                **dict(zip("abc", self.actors)), **{s: self.sides[s] or "" for s in SIDES},
                "sides": self.sides_text(names), "pattern": r.pattern.value if r else NO_PATTERN,
                "roles": self.roles_text(names),
                "balanced": "" if r is None else ("yes" if r.balanced else "no"),
                "description": self.description, "explanation": self.explanation,
                "vu_sum_type": self.vu_type.value if self.vu_type else "",
                "source_label": self.source_label, "label_basis": self.label_basis,
                "agreement": self.agreement, "source": self.source}


def period_reading(row) -> PeriodReading:
    """What the model says about the period ``row`` (a row of ``triangle_periods.csv``)."""
    t = period_triangle(row)
    triangle_id = str(row["triangle_id"])
    return PeriodReading(
        period_id=str(row["period_id"]), triangle_id=triangle_id, label=str(row["label"]),
        actors=(str(row["a"]), str(row["b"]), str(row["c"])), sides=period_sides(row),
        reading=None if t is None else tri.read(t),
        vu_type=vu.sum_type(t) if t is not None and triangle_id in VU_TRIANGLES else None,
        source_label=text(row["source_label"]), label_basis=text(row["label_basis"]),
        source=str(row["source"]))


def readings(periods: pd.DataFrame, triangle_id: str | None = None,
             names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """:func:`period_reading` for every period of ``periods`` (of one triangle,
    or all), as a table of text: one row per period, the columns of
    :meth:`PeriodReading.as_row` (``a``, ``b``, ``c`` and the sides ``ab``,
    ``ac``, ``bc``, ``""`` where the sources are silent; ``pattern`` is
    :data:`NO_PATTERN` where the model cannot read the period), plus
    ``order`` and each side's basis (``bases``: ``stated``, ``INF`` or ``-``)."""
    if triangle_id is not None:
        periods = periods[periods["triangle_id"] == triangle_id]
    rows = []
    for _, row in periods.iterrows():
        rows.append({**period_reading(row).as_row(names), "order": int(row["order"]),
                     "bases": ", ".join(text(row[f"{s}_basis"]) or "-" for s in SIDES)})
    return pd.DataFrame(rows)


def _in_period(date, row) -> bool:
    if pd.isna(date) or date < row["start_date"]:
        return False
    return pd.isna(row["until"]) or date <= row["until"]


EVENT_COLUMNS = ["kind", "id", "date", "date_date", "title", "description", "source"]


def period_events(row, events: pd.DataFrame, treaties: pd.DataFrame) -> pd.DataFrame:
    """Events and treaties of one period (a row of :func:`periods`), each with its citation.

    Returns a table with ``kind`` (``event``/``treaty``), ``id``, ``date``,
    ``title`` (our words), ``source``: events whose ``triangles`` hold the
    period's triangle and whose date falls in the period; treaties signed in
    the period whose parties are all corners of the triangle, or that an
    event of the period refers to.
    """
    if "until" not in row.index:
        raise ValueError("period_events needs a row of periods(), which adds 'until'")
    code = str(row["triangle_id"])
    hit = events[[code in split_ids(v) and _in_period(d, row)
                  for v, d in zip(events["triangles"], events["date_date"])]]
    rows = [{"kind": "event", "id": e.event_id, "date": e.date, "date_date": e.date_date,
             "title": e.title, "description": e.description, "source": e.source}
            for e in hit.itertuples()]
    linked = {t for v in hit["treaty_id"] for t in split_ids(v)}
    corners = {str(row["a"]), str(row["b"]), str(row["c"])}
    for t in treaties.itertuples():
        parties = set(split_ids(t.parties))
        in_triangle = len(parties) >= 2 and parties <= corners
        if _in_period(t.signed_date, row) and (in_triangle or t.treaty_id in linked):
            rows.append({"kind": "treaty", "id": t.treaty_id, "date": t.signed,
                         "date_date": t.signed_date, "title": f"{t.short_name} signed",
                         "description": t.name, "source": t.source})
    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    return out.sort_values(["date_date", "kind", "id"], kind="stable").reset_index(drop=True)


def treaty_signings(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame) -> pd.DataFrame:
    """Treaties signed within the triangles' periods (one row per triangle and
    treaty), for the timeline."""
    rows = []
    for _, row in periods.iterrows():
        ev = period_events(row, events, treaties)
        for t in ev[ev["kind"] == "treaty"].itertuples():
            rows.append({"triangle_id": row["triangle_id"], "treaty_id": t.id,
                         "date": t.date, "date_date": t.date_date, "title": t.title,
                         "source": t.source})
    out = pd.DataFrame(rows, columns=["triangle_id", "treaty_id", "date", "date_date", "title", "source"])
    return out.drop_duplicates(["triangle_id", "treaty_id"]).reset_index(drop=True)
