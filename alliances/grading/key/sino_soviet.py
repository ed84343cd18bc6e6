"""Expected answers of the exercises on the Sino-Soviet alliance."""
from __future__ import annotations

import re

import pandas as pd

from ... import data, triangle, two_criteria
from ...exercises.sino_soviet import (Q1_PERIOD, Q2_ACTOR, Q2_PERIOD, Q3_CHOOSER, Q4_TOPIC,
                                      Q4_TREATY, Q5_TOPIC, Q6_EVENTS, Q8_EVENT)
from ...queries import treaties as treaty_queries
from .triangles import period_triangle


def q1() -> triangle.Pattern:
    return triangle.pattern(period_triangle(Q1_PERIOD))


def q2() -> triangle.Role:
    return triangle.role(period_triangle(Q2_PERIOD), Q2_ACTOR)


def q3() -> str:
    cases = two_criteria.classify(data.load_alignment_cases())
    cases = cases[cases["chooser"] == Q3_CHOOSER]
    (case_id,) = cases.loc[cases["rule_fits"].eq(False).fillna(False), "case_id"]
    return str(case_id)


def _terms() -> pd.DataFrame:
    quantities = data.load_quantities()
    return quantities[quantities["topic"] == Q4_TOPIC]


def _notice_row() -> pd.Series:
    terms = _terms()
    return terms[terms["measure"].str.startswith("notice required")].iloc[0]


def q4() -> pd.Timestamp:
    return treaty_queries.notice_deadline(data.load_treaties(), data.load_quantities(), Q4_TREATY)


def q5() -> list[str]:
    quantities = data.load_quantities()
    return sorted(quantities.loc[quantities["topic"] == Q5_TOPIC, "quantity_id"].astype(str))


def q6() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q6_EVENTS]


def q7() -> int:
    """The article named in the Article 6 row about notice (quantities.csv)."""
    return int(re.search(r"Article (\d+)", _notice_row()["measure"]).group(1))


def q8() -> str:
    return str(data.load_events().set_index("event_id").loc[Q8_EVENT, "strategy"])


EXPECTED = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7, "q8": q8}
