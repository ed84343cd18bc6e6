"""The questions on the Sino-Soviet alliance (``sino_soviet_exercises.ipynb``).

Each question says how its answer is read (its kind), a hint that does not
give the answer away, and what a readable but wrong answer is told. The
expected answers are not here: the grader's key computes them from ``data/``
and the models (instructor-only), and the in-class checks compare salted
hashes (``answer_hashes.json``).
"""
from __future__ import annotations

from .. import data
from . import make_checks
from .answers import (Written, Chart, Date, Identifier, NotYet, Ordering, Question, WholeNumber,
                      axis_fields, data_rows)
from .vocabulary import ORDER_WRONG, PATTERN, ROLE, STRATEGY, event_order_hint

EXERCISE = "sino_soviet"

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


def china_cases() -> list[str]:
    """The ids of the alignment cases with China as the chooser (Q3 picks one)."""
    cases = data.load_alignment_cases()
    return list(cases.loc[cases["chooser"] == Q3_CHOOSER, "case_id"])


def _q5_rubric(spec: dict) -> None:
    fields = axis_fields(spec)
    by_value = [ch for ch, e in fields.items()
                if e.get("field") == "value" and e.get("type") == "quantitative"
                and not e.get("aggregate")]
    by_label = [ch for ch, e in fields.items()
                if e.get("field") in ("unit", "measure", "quantity_id")
                and e.get("type") in ("nominal", "ordinal")]
    if not by_value:
        raise NotYet("no axis shows the column value as a quantity (:Q), unaggregated.")
    if not by_label or by_label == by_value:
        raise NotYet("the other axis should name each figure (unit or measure, :N).")
    if data_rows(spec) is None:
        raise NotYet("the check cannot find the chart's data; pass a DataFrame to alt.Chart().")


def q5_fingerprint(spec: dict) -> list[str]:
    """Which rows the chart shows: the sorted ``quantity_id`` of its data."""
    return sorted({str(r.get("quantity_id")) for r in data_rows(spec) or []})


QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "pattern of the great-power triangle in period GP-3", PATTERN,
             hint="take the GP-3 row of data.load_triangle_periods(), build a triangle.Triangle "
                  "from its a, b, c, ab, ac and bc, and call triangle.pattern().",
             wrong="that pattern does not fit the three sides of GP-3."),
    Question("q2", 1, "China's role in period GP-5", ROLE,
             hint="build the GP-5 triangle as in Q1 and call triangle.role(t, 'PRC'); count "
                  "China's friends and ask how the other two get on.",
             wrong="that is not China's role in GP-5."),
    Question("q3", 2, "the China case the op-ed's rule gets wrong",
             Identifier("that id is not one of the cases with China as the chooser.",
                        china_cases, example="O1"),
             hint="run two_criteria.classify() on data.load_alignment_cases(), keep the rows "
                  "whose chooser is 'PRC', and look for a rule_fits that is False.",
             wrong="in that case the rule's prediction agrees with the outcome (or the rule "
                   "cannot decide)."),
    Question("q4", 2, "last day for notice under Article 6 of the 1950 treaty", Date(),
             hint="add term_years to the in_force_date of T2 in data.load_treaties() with "
                  "pd.DateOffset, then subtract the notice period found in the 'SSA treaty "
                  "terms' rows of data.load_quantities().",
             wrong="that is not the last day for notice yet: redo the date arithmetic step by "
                   "step."),
    Question("q5", 2, "bar chart of the 1960 withdrawal",
             Chart(("bar",), _q5_rubric, q5_fingerprint),
             hint="filter data.load_quantities() to the topic '1960 withdrawal', use a bar mark "
                  "with the column value (quantitative) on one axis and unit or measure "
                  "(nominal) on the other, and set title and description with .properties().",
             wrong="the chart's data are not exactly the rows of the topic '1960 withdrawal' "
                   "(keep the quantity_id column)."),
    Question("q6", 2, "six events from the split to 1980 in order", Ordering(Q6_EVENTS),
             hint=event_order_hint(6), wrong=ORDER_WRONG),
    Question("q7", 1, "the article of the 1950 treaty behind the 1979 notice",
             WholeNumber("an article number, like 3", bounds=(1, 6),
                         out_of_bounds="the treaty has only six articles.", from_text=True),
             hint="the 'SSA treaty terms' rows of data.load_quantities() name the article that "
                  "sets the treaty's term, renewal and notice; Kim quotes it in the chapter.",
             wrong="that article does not deal with the treaty's term and notice."),
    Question("q8", 1, "strategy of event E085", STRATEGY,
             hint="in Vu's vocabulary a wedge tries to pull a state away from its ally; binding "
                  "tries to keep a state close with rewards or threats. Ask who acts in E085 and "
                  "on whose tie.",
             wrong="that strategy does not match what the United States was trying to do to "
                   "the alliance."),
)
#: The written answers, marked by hand (the grader lists them in marks.csv).
WRITTEN: tuple[Written, ...] = (Written("w1", 2, "two end dates of the alliance and the question each answers"),)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

CHECKS = make_checks(EXERCISE, QUESTIONS)
check_q1, check_q2, check_q3, check_q4, check_q5, check_q6, check_q7, check_q8 = CHECKS.values()
