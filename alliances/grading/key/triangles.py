"""Expected answers of the exercises on the strategic triangle."""
from __future__ import annotations

import pandas as pd

from ... import data, triangle
from ...queries import history
from ...exercises.triangles import Q1_PERIOD, Q3_STRATEGY, Q3_YEARS, Q5_EVENTS, Q6_EVENT, Q7_PARTY, Q7_YEAR


def period_triangle(period_id: str = Q1_PERIOD) -> triangle.Triangle:
    """The :class:`~alliances.triangle.Triangle` of one row of ``triangle_periods.csv``."""
    return history.period_triangle(history.period_row(data.load_triangle_periods(), period_id))


def q1() -> triangle.Pattern:
    return triangle.pattern(period_triangle())


def q2() -> triangle.Role:
    t = period_triangle()
    return triangle.role(t, t.c)


def q3() -> int:
    events = data.load_events()
    first, last = Q3_YEARS
    chosen = (events["strategy"] == Q3_STRATEGY) & events["date_date"].dt.year.between(first, last)
    return int(chosen.sum())


def q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def q6() -> str:
    return str(data.load_events().set_index("event_id").loc[Q6_EVENT, "strategy"])


def q7_candidates() -> pd.DataFrame:
    """The alliance treaties signed with North Korea in 1961."""
    treaties = data.load_treaties()
    return treaties[(treaties["kind"] == "treaty")
                    & (treaties["signed_date"].dt.year == Q7_YEAR)
                    & treaties["parties"].map(lambda p: Q7_PARTY in data.split_ids(p))]


def q7() -> str:
    open_ended = q7_candidates()
    (treaty_id,) = open_ended.loc[open_ended["term_years"].isna(), "treaty_id"]
    return str(treaty_id)


EXPECTED = {"q1": q1, "q2": q2, "q3": q3, "q5": q5, "q6": q6, "q7": q7}
