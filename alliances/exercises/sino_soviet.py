"""Checkers for the exercises on the Sino-Soviet alliance (``sino_soviet_exercises.ipynb``).

Every checker computes the expected answer from ``data/`` and the models in
:mod:`alliances.triangle` and :mod:`alliances.two_criteria` when it runs; no
answer is stored here. Each prints exactly ``QN: correct`` for a right answer,
or ``QN: not yet — <what is off> Hint: <hint>`` without revealing the answer.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import data, triangle, two_criteria
from . import (Feedback, Question, axis_fields, chart_spec, check_event_order, checker,
               correct, event_order_hint, not_yet, pattern_answer,
               require_title_and_description, role_answer, strategy_answer)

EXERCISE = "sino_soviet"

#: The graded questions and their points, declared once (the grader reads it).
QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "pattern of the great-power triangle in period GP-3"),
    Question("q2", 1, "China's role in period GP-5"),
    Question("q3", 2, "the China case the op-ed's rule gets wrong"),
    Question("q4", 2, "last day for notice under Article 6 of the 1950 treaty"),
    Question("q5", 2, "bar chart of the 1960 withdrawal"),
    Question("q6", 2, "six events from the split to 1980 in order"),
    Question("q7", 1, "the article of the 1950 treaty behind the 1979 notice"),
    Question("q8", 1, "strategy of event E085"),
)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

#: The period of Q1, and the period and actor of Q2.
Q1_PERIOD = "GP-3"
Q2_PERIOD, Q2_ACTOR = "GP-5", "PRC"
#: Q3: the chooser whose cases are asked about.
Q3_CHOOSER = "PRC"
#: Q4: the treaty, and the quantities topic that holds its Article 6 terms.
Q4_TREATY, Q4_TOPIC = "T2", "SSA treaty terms"
#: Q5: the quantities topic to chart.
Q5_TOPIC = "1960 withdrawal"
#: Q6: the events to put in order (listed here shuffled on purpose).
Q6_EVENTS = ("E097", "E109", "E085", "E067", "E088", "E086")
#: Q7: the episode whose governing article is asked for.
Q7_EVENT = "E105"
#: Q8: the event whose strategy is asked for.
Q8_EVENT = "E085"


# ---------------------------------------------------------------------------
# Expected answers, computed from the data and the models
# ---------------------------------------------------------------------------

def period_triangle(period_id: str) -> triangle.Triangle:
    """The :class:`~alliances.triangle.Triangle` of one row of ``triangle_periods.csv``."""
    row = data.load_triangle_periods().set_index("period_id").loc[period_id]
    return triangle.Triangle(row["a"], row["b"], row["c"], row["ab"], row["ac"], row["bc"])


def expected_q1() -> triangle.Pattern:
    return triangle.pattern(period_triangle(Q1_PERIOD))


def expected_q2() -> triangle.Role:
    return triangle.role(period_triangle(Q2_PERIOD), Q2_ACTOR)


def q3_cases() -> pd.DataFrame:
    """The alignment cases with China as the chooser, classified by the op-ed's rule."""
    cases = two_criteria.classify(data.load_alignment_cases())
    return cases[cases["chooser"] == Q3_CHOOSER]


def expected_q3() -> str:
    cases = q3_cases()
    (case_id,) = cases.loc[cases["rule_fits"].eq(False).fillna(False), "case_id"]
    return str(case_id)


def q4_terms() -> pd.DataFrame:
    quantities = data.load_quantities()
    return quantities[quantities["topic"] == Q4_TOPIC]


def expected_q4() -> pd.Timestamp:
    treaty = data.load_treaties().set_index("treaty_id").loc[Q4_TREATY]
    terms = q4_terms()
    notice = terms.loc[terms["measure"].str.startswith("notice required"), "value"].iloc[0]
    expiry = treaty["in_force_date"] + pd.DateOffset(years=int(treaty["term_years"]))
    return expiry - pd.DateOffset(years=int(notice))


def q5_rows() -> pd.DataFrame:
    quantities = data.load_quantities()
    return quantities[quantities["topic"] == Q5_TOPIC]


def expected_q6() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q6_EVENTS]


ARTICLE = re.compile(r"Article (\d+)")


def expected_q7() -> int:
    """The article named in the Article 6 row about notice (quantities.csv)."""
    terms = q4_terms()
    measure = terms.loc[terms["measure"].str.startswith("notice required"), "measure"].iloc[0]
    return int(ARTICLE.search(measure).group(1))


def expected_q8() -> str:
    events = data.load_events().set_index("event_id")
    return str(events.loc[Q8_EVENT, "strategy"])


# ---------------------------------------------------------------------------
# The checkers
# ---------------------------------------------------------------------------

HINT_Q1 = ("take the GP-3 row of data.load_triangle_periods(), build a triangle.Triangle "
           "from its a, b, c, ab, ac and bc, and call triangle.pattern().")


@checker("q1", HINT_Q1)
def check_q1(answer) -> Feedback:
    """Q1: the pattern of the great-power triangle in period GP-3."""
    if pattern_answer(answer) != expected_q1():
        return not_yet("q1", "that pattern does not fit the three sides of GP-3.", HINT_Q1)
    return correct("q1")


HINT_Q2 = ("build the GP-5 triangle as in Q1 and call triangle.role(t, 'PRC'); count "
           "China's friends and ask how the other two get on.")


@checker("q2", HINT_Q2)
def check_q2(answer) -> Feedback:
    """Q2: China's role in period GP-5."""
    if role_answer(answer) != expected_q2():
        return not_yet("q2", "that is not China's role in GP-5.", HINT_Q2)
    return correct("q2")


HINT_Q3 = ("run two_criteria.classify() on data.load_alignment_cases(), keep the rows whose "
           "chooser is 'PRC', and look for a rule_fits that is False.")


@checker("q3", HINT_Q3)
def check_q3(answer) -> Feedback:
    """Q3: the ``case_id`` of the China case whose outcome contradicts the op-ed's rule."""
    given = str(answer).strip().upper()
    cases = q3_cases()
    if given not in {str(c).upper() for c in cases["case_id"]}:
        return not_yet("q3", "that id is not one of the cases with China as the chooser.",
                       HINT_Q3)
    if given != expected_q3().upper():
        return not_yet("q3", "in that case the rule's prediction agrees with the outcome "
                             "(or the rule cannot decide).", HINT_Q3)
    return correct("q3")


HINT_Q4 = ("add term_years to the in_force_date of T2 in data.load_treaties() with "
           "pd.DateOffset, then subtract the notice period found in the 'SSA treaty terms' "
           "rows of data.load_quantities().")


@checker("q4", HINT_Q4)
def check_q4(answer) -> Feedback:
    """Q4: the last day on which a party could give notice to end the SSA after 30 years."""
    if isinstance(answer, (bool, int, float)):
        return not_yet("q4", "the answer should be a date, like '1999-12-31' or a "
                             "pd.Timestamp.", HINT_Q4)
    given = pd.Timestamp(answer).normalize()
    expected = expected_q4()
    if given == expected:
        return correct("q4")
    if given.year != expected.year:
        direction = "too late" if given > expected else "too early"
        return not_yet("q4", f"the year of your date is {direction}.", HINT_Q4)
    return not_yet("q4", "the year is right but the day or month is not.", HINT_Q4)


HINT_Q5 = ("filter data.load_quantities() to the topic '1960 withdrawal', use a bar mark "
           "with the column value (quantitative) on one axis and unit or measure (nominal) on "
           "the other, and set title and description with .properties().")


def _datasets_rows(spec: dict) -> list[dict]:
    rows: list[dict] = []
    for values in (spec.get("datasets") or {}).values():
        rows.extend(v for v in values if isinstance(v, dict))
    inline = (spec.get("data") or {}).get("values")
    if isinstance(inline, list):
        rows.extend(v for v in inline if isinstance(v, dict))
    return rows


@checker("q5", HINT_Q5)
def check_q5(answer) -> Feedback:
    """Q5: a bar chart of the three figures of the 1960 withdrawal, one bar each,
    with a title and a description. The check reads the chart's Vega-Lite spec."""
    spec = chart_spec(answer, "answer_q5")
    fields = axis_fields(spec)
    by_value = [ch for ch, e in fields.items()
                if e.get("field") == "value" and e.get("type") == "quantitative"
                and not e.get("aggregate")]
    by_label = [ch for ch, e in fields.items()
                if e.get("field") in ("unit", "measure", "quantity_id")
                and e.get("type") in ("nominal", "ordinal")]
    if not by_value:
        return not_yet("q5", "no axis shows the column value as a quantity (:Q), unaggregated.",
                       HINT_Q5)
    if not by_label or by_label == by_value:
        return not_yet("q5", "the other axis should name each figure (unit or measure, :N).",
                       HINT_Q5)
    ids = sorted({str(r.get("quantity_id")) for r in _datasets_rows(spec)})
    if ids != sorted(q5_rows()["quantity_id"]):
        return not_yet("q5", "the chart's data are not exactly the rows of the topic "
                             "'1960 withdrawal' (keep the quantity_id column).", HINT_Q5)
    require_title_and_description(spec)
    return correct("q5")


HINT_Q6 = event_order_hint(6)


@checker("q6", HINT_Q6)
def check_q6(answer) -> Feedback:
    """Q6: the six events of :data:`Q6_EVENTS` in chronological order (a list of ids)."""
    return check_event_order("q6", answer, Q6_EVENTS, expected_q6(), HINT_Q6)


HINT_Q7 = ("the 'SSA treaty terms' rows of data.load_quantities() name the article that sets "
           "the treaty's term, renewal and notice; Kim quotes it in the chapter.")


@checker("q7", HINT_Q7)
def check_q7(answer) -> Feedback:
    """Q7: the article of the 1950 treaty that governs Beijing's notice of 3 April 1979."""
    if isinstance(answer, bool):
        return not_yet("q7", "the answer should be an article number, like 3.", HINT_Q7)
    match = re.search(r"\d+", str(answer))
    if not match:
        return not_yet("q7", "the answer should be an article number, like 3.", HINT_Q7)
    given = int(match.group(0))
    if not 1 <= given <= 6:
        return not_yet("q7", "the treaty has only six articles.", HINT_Q7)
    if given != expected_q7():
        return not_yet("q7", "that article does not deal with the treaty's term and notice.",
                       HINT_Q7)
    return correct("q7")


HINT_Q8 = ("in Vu's vocabulary a wedge tries to pull a state away from its ally; binding "
           "tries to keep a state close with rewards or threats. Ask who acts in E085 and on "
           "whose tie.")


@checker("q8", HINT_Q8)
def check_q8(answer) -> Feedback:
    """Q8: the strategy (``wedge`` or ``binding``) that event E085 shows."""
    if strategy_answer(answer) != expected_q8():
        return not_yet("q8", "that strategy does not match what the United States was "
                             "trying to do to the alliance.", HINT_Q8)
    return correct("q8")


CHECKS = {"q1": check_q1, "q2": check_q2, "q3": check_q3, "q4": check_q4,
          "q5": check_q5, "q6": check_q6, "q7": check_q7, "q8": check_q8}
