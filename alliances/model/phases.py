"""The phases of the Sino-Soviet alliance: the one phase model of the book.

Each phase is dated by a passage of Samuel Kim's article (source ``004``).
Phases may overlap where Kim's own dating overlaps (his golden age runs to
1956, the year his unravelling begins). The static phase menu, the live
phase explorer, the chapter's table and the tests all read :data:`PHASES`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class Phase:
    """One phase of the alliance's history, with the passage that dates it."""

    phase_id: str
    label: str
    start: str   # ISO date, inclusive
    end: str     # ISO date, inclusive
    basis: str   # citation for the boundaries

    @property
    def span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return pd.Timestamp(self.start), pd.Timestamp(self.end)


PHASES: tuple[Phase, ...] = (
    Phase("making", "Making the alliance, 1949-50", "1949-01-01", "1950-06-24",
          '004 "as the first basic foreign policy line on June 30, 1949"; '
          '004 "before the outbreak of the war on June 25, 1950"'),
    Phase("korea", "The Korean War, 1950-53", "1950-06-25", "1953-07-27",
          '004 "before the outbreak of the war on June 25, 1950"; '
          '004 "signed at Panmunjom on July 27, 1953"'),
    Phase("golden", "The golden age, 1953-56", "1953-07-28", "1956-12-31",
          '004 "The years of 1953 to 1956, in retrospect, should be regarded as a golden age"'),
    Phase("unraveling", "The unravelling, 1956-69", "1956-01-01", "1969-12-31",
          '004 "Khrushchev\'s de-Stalinization speech opened a Pandora\'s box"; '
          '004 "the 1969 Sino-Soviet military clashes on Zhenbao Island"'),
    Phase("triangle", "The strategic triangle, 1969-89", "1969-01-01", "1989-12-31",
          '004 "the 1969 Sino-Soviet military clashes on Zhenbao Island"; '
          '004 "By the time Gorbachev went to China in May 1989"'),
    Phase("partnership", "Towards partnership, 1989-2001", "1989-05-01", "2001-12-31",
          '004 "By the time Gorbachev went to China in May 1989"; '
          '004 "Treaty of Good Neighborly Friendship and Cooperation"'),
)
PHASE_IDS = tuple(p.phase_id for p in PHASES)
PHASE_LABELS = {p.phase_id: p.label for p in PHASES}
#: The menu's choice for "every phase".
ALL = "all"
ALL_LABEL = "All phases"


def phase_label(phase_id: str) -> str:
    """The label of ``phase_id`` (or of :data:`ALL`); ``ValueError`` for an unknown id."""
    if phase_id == ALL:
        return ALL_LABEL
    if phase_id not in PHASE_LABELS:
        raise ValueError(f"unknown phase {phase_id!r}; choose one of {PHASE_IDS + (ALL,)}")
    return PHASE_LABELS[phase_id]


def phase_table() -> pd.DataFrame:
    """The phases as a table (id, label, start, end, basis)."""
    return pd.DataFrame([asdict(p) for p in PHASES])


def phases_of(start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """Ids of the phases that the span ``start``-``end`` overlaps, in order."""
    return [p.phase_id for p in PHASES if start <= p.span[1] and end >= p.span[0]]


def lane_phase(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The one phase an event is drawn in: the latest phase holding the middle
    of its span (else the first phase it overlaps)."""
    middle = start + (end - start) / 2
    holding = [p.phase_id for p in PHASES if p.span[0] <= middle <= p.span[1]]
    if holding:
        return holding[-1]
    overlapping = phases_of(start, end)
    if not overlapping:
        raise ValueError(f"no phase covers {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    return overlapping[0]
