"""Checkers for the exercises on the strategic triangle (``triangles_exercises.ipynb``).

Every checker computes the expected answer from ``data/`` and the models in
:mod:`alliances.triangle` and :mod:`alliances.vu` when it runs; no answer is
stored here. Each prints exactly ``QN: correct`` for a right answer, or
``QN: not yet — <what is off> Hint: <hint>`` without revealing the answer.
"""
from __future__ import annotations


import pandas as pd

from .. import data, triangle
from . import (Feedback, Question, axis_fields, chart_spec, check_event_order, checker,
               correct, event_order_hint, not_yet, pattern_answer,
               require_title_and_description, role_answer, strategy_answer)

EXERCISE = "triangles"

#: The graded questions and their points, declared once (the grader reads it).
QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "pattern of the Korean triangle in period KOR-6"),
    Question("q2", 1, "North Korea's role in period KOR-6"),
    Question("q3", 2, "count of wedge events, 1956-1961"),
    Question("q4", 2, "bar chart of events by strategy"),
    Question("q5", 2, "five events of the Korean triangle in order"),
    Question("q6", 1, "strategy of event E073"),
    Question("q7", 1, "the 1961 treaty with no fixed term"),
)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

#: The period asked about in Q1 and Q2, and the corner whose role Q2 asks for.
Q1_PERIOD = "KOR-6"
#: The years (inclusive) and strategy of Q3.
Q3_STRATEGY, Q3_YEARS = "wedge", (1956, 1961)
#: The events Q5 asks to put in order (listed here shuffled on purpose).
Q5_EVENTS = ("E083", "E108", "E064", "E080", "E086")
#: The event whose strategy Q6 asks for.
Q6_EVENT = "E073"
#: Q7: the year of the treaties and the junior state they bind.
Q7_YEAR, Q7_PARTY = 1961, "DPRK"


# ---------------------------------------------------------------------------
# Expected answers, computed from the data and the models
# ---------------------------------------------------------------------------

def period_triangle(period_id: str = Q1_PERIOD) -> triangle.Triangle:
    """The :class:`~alliances.triangle.Triangle` of one row of ``triangle_periods.csv``."""
    row = data.load_triangle_periods().set_index("period_id").loc[period_id]
    return triangle.Triangle(row["a"], row["b"], row["c"], row["ab"], row["ac"], row["bc"])


def expected_q1() -> triangle.Pattern:
    return triangle.pattern(period_triangle())


def expected_q2() -> triangle.Role:
    t = period_triangle()
    return triangle.role(t, t.c)


def expected_q3() -> int:
    events = data.load_events()
    first, last = Q3_YEARS
    chosen = (events["strategy"] == Q3_STRATEGY) & events["date_date"].dt.year.between(first, last)
    return int(chosen.sum())


def expected_q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def expected_q6() -> str:
    events = data.load_events().set_index("event_id")
    return str(events.loc[Q6_EVENT, "strategy"])


def q7_candidates() -> pd.DataFrame:
    """The alliance treaties signed with North Korea in 1961."""
    treaties = data.load_treaties()
    return treaties[(treaties["kind"] == "treaty")
                    & (treaties["signed_date"].dt.year == Q7_YEAR)
                    & treaties["parties"].map(lambda p: Q7_PARTY in data.split_ids(p))]


def expected_q7() -> str:
    open_ended = q7_candidates()
    open_ended = open_ended[open_ended["term_years"].isna()]
    (treaty_id,) = open_ended["treaty_id"]
    return str(treaty_id)


# ---------------------------------------------------------------------------
# The checkers
# ---------------------------------------------------------------------------

HINT_Q1 = ("take the KOR-6 row of data.load_triangle_periods(), build a triangle.Triangle "
           "from its a, b, c, ab, ac and bc, and call triangle.pattern().")


@checker("q1", HINT_Q1)
def check_q1(answer) -> Feedback:
    """Q1: the pattern of the Korean triangle in period KOR-6 (a name or a Pattern)."""
    if pattern_answer(answer) != expected_q1():
        return not_yet("q1", "that pattern does not fit the three sides of KOR-6.", HINT_Q1)
    return correct("q1")


HINT_Q2 = ("triangle.role(t, t.c) gives the role of the corner C; count how many friends "
           "North Korea has and how its two patrons get on.")


@checker("q2", HINT_Q2)
def check_q2(answer) -> Feedback:
    """Q2: North Korea's role (corner C) in period KOR-6."""
    if role_answer(answer) != expected_q2():
        return not_yet("q2", "that is not North Korea's role in KOR-6.", HINT_Q2)
    return correct("q2")


HINT_Q3 = ("keep the rows of data.load_events() whose strategy is 'wedge' and whose "
           "date_date falls in a year from 1956 to 1961, both years included; then count them.")


@checker("q3", HINT_Q3)
def check_q3(answer) -> Feedback:
    """Q3: how many events carry the strategy ``wedge`` with a date in 1956-1961."""
    if isinstance(answer, bool) or not float(answer).is_integer():
        return not_yet("q3", "the answer should be a whole number (a count of events).", HINT_Q3)
    given, expected = int(answer), expected_q3()
    if given == expected:
        return correct("q3")
    direction = "too high" if given > expected else "too low"
    return not_yet("q3", f"your count is {direction}.", HINT_Q3)


HINT_Q4 = ("use a bar mark, put the strategy column on one axis and an aggregate count "
           "on the other, and set the title and description with .properties().")


@checker("q4", HINT_Q4)
def check_q4(answer) -> Feedback:
    """Q4: a bar chart, one bar per strategy, bar length = number of events, with a
    title and a description. The check reads the chart's Vega-Lite spec."""
    spec = chart_spec(answer, "answer_q4")
    fields = axis_fields(spec)
    by_strategy = [ch for ch, e in fields.items() if e.get("field") == "strategy"]
    counted = [ch for ch, e in fields.items() if e.get("aggregate") == "count"]
    if not by_strategy:
        return not_yet("q4", "neither axis shows the column strategy.", HINT_Q4)
    if not counted or counted == by_strategy:
        return not_yet("q4", "the other axis should count the events (an aggregate count).",
                       HINT_Q4)
    if fields[by_strategy[0]].get("type") not in ("nominal", "ordinal"):
        return not_yet("q4", "strategy is a category: encode it as nominal (:N).", HINT_Q4)
    require_title_and_description(spec)
    return correct("q4")


HINT_Q5 = event_order_hint(5)


@checker("q5", HINT_Q5)
def check_q5(answer) -> Feedback:
    """Q5: the five events of :data:`Q5_EVENTS` in chronological order (a list of ids)."""
    return check_event_order("q5", answer, sorted(Q5_EVENTS), expected_q5(), HINT_Q5)


HINT_Q6 = ("in Vu's vocabulary a wedge tries to pull the junior state away from the rival "
           "patron; binding tries to keep it close with rewards or threats.")


@checker("q6", HINT_Q6)
def check_q6(answer) -> Feedback:
    """Q6: the strategy (``wedge`` or ``binding``) event E073 shows."""
    if strategy_answer(answer) != expected_q6():
        return not_yet("q6", "ask who acts in E073 and on whose tie with North Korea.", HINT_Q6)
    return correct("q6")


HINT_Q7 = ("in data.load_treaties() keep the treaties signed in 1961 with North Korea "
           "among the parties, then compare their term_years.")


@checker("q7", HINT_Q7)
def check_q7(answer) -> Feedback:
    """Q7: the ``treaty_id`` of the 1961 treaty with North Korea that set no fixed term."""
    given = str(answer).strip().upper()
    candidates = set(q7_candidates()["treaty_id"])
    if given not in candidates:
        return not_yet("q7", "that id is not one of the 1961 alliance treaties with "
                             "North Korea.", HINT_Q7)
    if given != expected_q7():
        return not_yet("q7", "that treaty has a fixed term.", HINT_Q7)
    return correct("q7")


CHECKS = {"q1": check_q1, "q2": check_q2, "q3": check_q3, "q4": check_q4,
          "q5": check_q5, "q6": check_q6, "q7": check_q7}
