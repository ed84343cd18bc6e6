"""The questions on the strategic triangle (``triangles_exercises.ipynb``).

Each question says how its answer is read (its kind), a hint that does not
give the answer away, and what a readable but wrong answer is told. The
expected answers are not here: the grader's key computes them from ``data/``
and the models (instructor-only), and the in-class checks compare salted
hashes (``answer_hashes.json``).
"""
from __future__ import annotations

from .. import data
from . import make_checks
from .answers import Written, Chart, Identifier, NotYet, Ordering, Question, WholeNumber, axis_fields
from .vocabulary import ORDER_WRONG, PATTERN, ROLE, STRATEGY, event_order_hint

EXERCISE = "triangles"

#: The period asked about in Q1 and Q2.
Q1_PERIOD = "KOR-6"
#: The years (inclusive) and strategy of Q3.
Q3_STRATEGY, Q3_YEARS = "wedge", (1956, 1961)
#: The events Q5 asks to put in order (listed here shuffled on purpose).
Q5_EVENTS = ("E083", "E108", "E064", "E080", "E086")
#: The event whose strategy Q6 asks for.
Q6_EVENT = "E073"
#: Q7: the year of the treaties and the junior state they bind.
Q7_YEAR, Q7_PARTY = 1961, "DPRK"


def _q4_rubric(spec: dict) -> None:
    fields = axis_fields(spec)
    by_strategy = [ch for ch, e in fields.items() if e.get("field") == "strategy"]
    counted = [ch for ch, e in fields.items() if e.get("aggregate") == "count"]
    if not by_strategy:
        raise NotYet("neither axis shows the column strategy.")
    if not counted or counted == by_strategy:
        raise NotYet("the other axis should count the events (an aggregate count).")
    if fields[by_strategy[0]].get("type") not in ("nominal", "ordinal"):
        raise NotYet("strategy is a category: encode it as nominal (:N).")


QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "pattern of the Korean triangle in period KOR-6", PATTERN,
             hint="take the KOR-6 row of data.load_triangle_periods(), build a "
                  "triangle.Triangle from its a, b, c, ab, ac and bc, and call triangle.pattern().",
             wrong="that pattern does not fit the three sides of KOR-6."),
    Question("q2", 1, "North Korea's role in period KOR-6", ROLE,
             hint="triangle.role(t, t.c) gives the role of the corner C; count how many friends "
                  "North Korea has and how its two patrons get on.",
             wrong="that is not North Korea's role in KOR-6."),
    Question("q3", 2, "count of wedge events, 1956-1961", WholeNumber("a whole number (a count of events)"),
             hint="keep the rows of data.load_events() whose strategy is 'wedge' and whose "
                  "date_date falls in a year from 1956 to 1961, both years included; then count them.",
             wrong="that is not the count yet: check both filters and count the rows again."),
    Question("q4", 2, "bar chart of events by strategy", Chart(("bar",), _q4_rubric),
             hint="use a bar mark, put the strategy column on one axis and an aggregate count "
                  "on the other, and set the title and description with .properties()."),
    Question("q5", 2, "five events of the Korean triangle in order", Ordering(Q5_EVENTS),
             hint=event_order_hint(5), wrong=ORDER_WRONG),
    Question("q6", 1, "strategy of event E073", STRATEGY,
             hint="in Vu's vocabulary a wedge tries to pull the junior state away from the rival "
                  "patron; binding tries to keep it close with rewards or threats.",
             wrong="ask who acts in E073 and on whose tie with North Korea."),
    Question("q7", 1, "the 1961 treaty with no fixed term",
             Identifier("that is not a treaty_id of data.load_treaties().",
                        lambda: data.load_treaties()["treaty_id"]),
             hint="in data.load_treaties() keep the treaties signed in 1961 with North Korea "
                  "among the parties, then compare their term_years.",
             wrong="that is not the 1961 treaty with North Korea that set no fixed term."),
)
#: The written answers, marked by hand (the grader lists them in marks.csv).
WRITTEN: tuple[Written, ...] = (Written("w1", 2, "why North Korea got a treaty from both patrons"),)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

CHECKS = make_checks(EXERCISE, QUESTIONS)
check_q1, check_q2, check_q3, check_q4, check_q5, check_q6, check_q7 = CHECKS.values()
