"""The Sino-Soviet alliance's events, sorted into Kim's phases.

:func:`timeline_events` picks the events the chapter's timelines show and
records, for each, every phase its span overlaps (:mod:`alliances.model.phases`);
the static phase menu, the live phase explorer and the tests all filter that
one table with :func:`events_in_phase`.
"""
from __future__ import annotations

import pandas as pd

from ..data.dates import period_end
from ..data.values import split_ids, text
from ..model.phases import ALL, PHASE_IDS, PHASE_LABELS, lane_phase, phase_label, phases_of

#: Years the timelines cover: the Cold War alliance, and with the partnership.
TIMELINE_YEARS = (1949, 1991)
EXPLORER_YEARS = (1949, 2001)
#: The rows of ``events.csv`` the timeline shows: the US-China-USSR triangle,
#: or the 1950 treaty and the 1957 accord.
TRIANGLE = "GP"
TREATIES = ("T2", "T8")
EVENT_KINDS = ("about the 1950 treaty or the 1957 accord", "other event")


def timeline_events(events: pd.DataFrame, years: tuple[int, int] = TIMELINE_YEARS) -> pd.DataFrame:
    """Tidy table of the events the timeline shows.

    Rows of ``events`` (as from ``load_events()``) whose ``triangles`` include
    ``GP`` or whose ``treaty_id`` is ``T2`` or ``T8``, dated within ``years``
    (inclusive). An event's span runs from the start of its date to the end of
    its ``date_end`` (or of its own date, if imprecise); it belongs to every
    phase that span overlaps (column ``phases``, as ``|id|id|``) and is drawn
    in one of them (``phase``, a label).
    """
    keep = events.apply(lambda r: TRIANGLE in split_ids(r["triangles"])
                        or bool(set(split_ids(r["treaty_id"])) & set(TREATIES)), axis=1)
    keep &= events["date_date"].dt.year.between(*years)
    out = events[keep].copy()
    out["start"] = out["date_date"]
    out["end"] = pd.to_datetime([period_end(e) if isinstance(e, str) else period_end(d)
                                 for d, e in zip(out["date"], out["date_end"])])
    phase_lists = [phases_of(s, e) for s, e in zip(out["start"], out["end"])]
    out["phases"] = ["|" + "|".join(p) + "|" for p in phase_lists]
    out["phase"] = [PHASE_LABELS[lane_phase(s, e)] for s, e in zip(out["start"], out["end"])]
    out["when"] = [d if not isinstance(e, str) else f"{d} to {e}"
                   for d, e in zip(out["date"], out["date_end"])]
    out["span"] = out["end"] - out["start"] > pd.Timedelta(days=31)
    out["treaty_event"] = [EVENT_KINDS[0] if set(split_ids(t)) & set(TREATIES) else EVENT_KINDS[1]
                           for t in out["treaty_id"]]
    for col in ("date_note", "treaty_id", "people", "date_end"):
        out[col] = out[col].map(text)
    cols = ["event_id", "when", "date", "date_end", "start", "end", "span", "phases", "phase", "treaty_event",
            "title", "description", "people", "treaty_id", "date_note", "source"]
    out = out[cols].sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
    for col in ("event_id", "when", "date", "phases", "phase", "title", "description", "source"):
        out[col] = out[col].astype(str)
    return out


def events_in_phase(timeline: pd.DataFrame, phase_id: str) -> pd.DataFrame:
    """The rows of a :func:`timeline_events` table that belong to ``phase_id`` (or all)."""
    phase_label(phase_id)  # refuses an unknown phase
    if phase_id == ALL:
        return timeline.copy()
    return timeline[timeline["phases"].str.contains(f"|{phase_id}|", regex=False)].reset_index(drop=True)


def phase_counts(timeline: pd.DataFrame) -> dict[str, int]:
    """How many events of ``timeline`` each phase holds (phases with none left out)."""
    counts = {p: len(events_in_phase(timeline, p)) for p in PHASE_IDS}
    return {p: n for p, n in counts.items() if n}
