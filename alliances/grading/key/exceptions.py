"""Expected answers of the exercises on the exceptions chapter."""
from __future__ import annotations

from ... import data, two_criteria
from ...exercises.exceptions import (CRITERIA, OBLIGATIONS, Q1_CASE, Q3_DYAD, Q3_EARLIER,
                                     Q3_LATER, Q5_EVENTS, Q6_EVENT, Q7_TREATY)


def q1() -> str:
    """The criterion (``security`` or ``ideology``) coded ``no`` for case O3."""
    case = data.load_alignment_cases().set_index("case_id").loc[Q1_CASE]
    (failed,) = [name for name, column in CRITERIA.items() if case[column] == "no"]
    return failed


def q2() -> list[str]:
    cases = two_criteria.classify(data.load_alignment_cases())
    contradicted = cases["rule_fits"].eq(False).fillna(False).astype(bool)
    return sorted(cases.loc[contradicted, "case_id"])


def q3() -> int:
    spans = data.load_alliance_spans()
    spans = spans[spans["dyad"] == Q3_DYAD].set_index("reading")
    return int(spans.loc[Q3_LATER, "end_date"].year - spans.loc[Q3_EARLIER, "end_date"].year)


def q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def q6() -> str:
    return str(data.load_events().set_index("event_id").loc[Q6_EVENT, "strategy"])


def q7() -> str:
    atop = data.load_treaty_atop()
    (row,) = [r for _, r in atop[atop["treaty_id"] == Q7_TREATY].iterrows()]
    (coded,) = [column for column in OBLIGATIONS if int(row[column]) == 1]
    return coded


EXPECTED = {"q1": q1, "q2": q2, "q3": q3, "q5": q5, "q6": q6, "q7": q7}
