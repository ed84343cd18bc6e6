"""Expected answers of the exercises on Kim's thesis."""
from __future__ import annotations

import pandas as pd

from ... import data, triangle
from ...exercises.bloc_reactions import (NUCLEAR, PENINSULA, Q1_EVENTS, Q3_PERIOD, Q4_CORNERS,
                                         Q4_PERIOD, Q5_EVENT, Q5_TREATY, Q6_BASE)


def _thread(code: str) -> pd.DataFrame:
    events = data.load_events()
    return events[events["themes"].map(lambda v: code in data.split_ids(v))]


def q1() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q1_EVENTS]


def q2() -> list[str]:
    return sorted(_thread(NUCLEAR)["title"].astype(str))


def q3() -> int:
    pairs = data.load_two_chinas_two_koreas()
    return int(((pairs["period_id"] == Q3_PERIOD) & pairs["relation"].isna()).sum())


def q4() -> tuple[triangle.Pattern, triangle.Role]:
    pairs = data.load_two_chinas_two_koreas()
    rows = pairs[pairs["period_id"] == Q4_PERIOD]

    def relation(x: str, y: str) -> str:
        (value,) = rows.loc[rows.apply(lambda r: {r["a"], r["b"]} == {x, y}, axis=1), "relation"]
        return value

    a, b, c = Q4_CORNERS
    reading = triangle.read(triangle.Triangle(a, b, c, relation(a, b), relation(a, c),
                                              relation(b, c)))
    return reading.pattern, reading.roles[c]


def q5() -> int:
    signed = data.load_treaties().set_index("treaty_id").loc[Q5_TREATY, "signed_date"]
    armistice = data.load_events().set_index("event_id").loc[Q5_EVENT, "date_date"]
    return int((signed - armistice).days)


def q6() -> tuple[str, int]:
    present = data.load_source_documents().set_index("source_id")["present_date"]
    latest = str(present.idxmax())
    return latest, int(present[latest].year - present[Q6_BASE].year)


def q7() -> list[str]:
    pen = _thread(PENINSULA)
    return sorted(pen.loc[pen["date_date"].isna(), "event_id"].astype(str))


EXPECTED = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7}
