"""Expected answers of the exercises on the 1961 treaties."""
from __future__ import annotations

import pandas as pd

from ... import data, triangle, two_criteria, vu
from ...queries import history
from ...exercises.korea_1961 import (EVENTS_TRIANGLE, Q1_TRIANGLE, Q2_CASE, Q3_ACTOR, Q3_YEARS,
                                     Q4_YEARS, Q5_EVENTS, Q6_EVENT, Q7_TREATIES)


def q1() -> str:
    periods = data.load_triangle_periods()
    for _, row in periods[periods["triangle_id"] == Q1_TRIANGLE].sort_values("order").iterrows():
        t = history.period_triangle(row)
        if t is not None and vu.sum_type(t) == vu.SumType.ZERO:
            return str(row["period_id"])
    raise LookupError("no zero-sum period")


def q2() -> tuple[str, bool | None]:
    case = two_criteria.classify(data.load_alignment_cases()).set_index("case_id").loc[Q2_CASE]
    fits = case["rule_fits"]
    return str(case["predicted"]), (None if pd.isna(fits) else bool(fits))


def _tagged(events: pd.DataFrame, column: str, value: str) -> pd.Series:
    return events[column].map(lambda v: value in data.split_ids(v) if isinstance(v, str) else False)


def labelled_events(years: tuple[int, int]) -> pd.DataFrame:
    """Events of the Korean triangle with a strategy label, dated in ``years``."""
    events = data.load_events()
    first, last = years
    chosen = (_tagged(events, "triangles", EVENTS_TRIANGLE) & events["strategy"].notna()
              & events["date_date"].dt.year.between(first, last))
    return events[chosen]


def q3() -> int:
    return int(_tagged(labelled_events(Q3_YEARS), "actors", Q3_ACTOR).sum())


def q4() -> int:
    return len(labelled_events(Q4_YEARS))


def q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def q6() -> str:
    return str(data.load_events().set_index("event_id").loc[Q6_EVENT, "strategy"])


def q7() -> list[str]:
    atop = data.load_treaty_atop()
    rows = atop[atop["treaty_id"].isin(Q7_TREATIES)]
    return sorted(rows.loc[rows["conditio"] == 1, "treaty_id"].astype(str))


EXPECTED = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7}
