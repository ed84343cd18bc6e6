"""The closed vocabularies of ``data/``: relation values, yes/no, end statuses,
and the one table of triangle codes (``data/README.md``)."""
from __future__ import annotations

from dataclasses import dataclass

RELATION_VALUES = ("amity", "enmity", "neutral", "mixed")
YES_NO = ("yes", "no")
#: What a reading says about the end of an alliance span (``alliance_spans.csv``).
END_STATUS = ("stated", "in force", "not stated")
#: Threads of events that a chapter follows across triangles (``events.csv`` ``themes``):
#: the nuclear thread, and the end of the Cold War on the Korean peninsula.
THEME_CODES = ("NUC", "PEN")


@dataclass(frozen=True)
class TriangleCode:
    """One code of ``events.csv`` ``triangles`` (and of ``triangle_periods.csv``)."""

    code: str
    name: str             #: the corners, for titles and menus
    has_periods: bool     #: ``triangle_periods.csv`` dates its sides period by period
    vu: bool = False      #: Vu's two patrons (A, B) courting a junior state (C)


#: Every triangle code, in the order the book presents them. ``vu``: the cases
#: Vu's article discusses (003); ``GP`` is three great powers.
TRIANGLES: tuple[TriangleCode, ...] = (
    TriangleCode("KOR", "China – USSR – North Korea", True, vu=True),
    TriangleCode("VN", "USSR – China – North Vietnam", True, vu=True),
    TriangleCode("GP", "US – China – USSR", True),
    TriangleCode("NEW", "China – Russia – North Korea", True, vu=True),
    TriangleCode("KSC", "North Korea – South Korea – China", False),
    TriangleCode("OPR", "a case of the op-ed's two-criteria rule", False),
)
TRIANGLE_CODES = tuple(t.code for t in TRIANGLES)
#: The triangles whose sides ``triangle_periods.csv`` dates, in book order.
PERIOD_TRIANGLES = tuple(t.code for t in TRIANGLES if t.has_periods)
VU_TRIANGLES = tuple(t.code for t in TRIANGLES if t.vu)
TRIANGLE_NAMES = {t.code: t.name for t in TRIANGLES}
