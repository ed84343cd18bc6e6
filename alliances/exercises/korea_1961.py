"""The questions on the 1961 treaties (``korea_1961_exercises.ipynb``).

Each question says how its answer is read (its kind), a hint that does not
give the answer away, and what a readable but wrong answer is told. The
expected answers are not here: the grader's key computes them from ``data/``
and the models (instructor-only), and the in-class checks compare salted
hashes (``answer_hashes.json``).
"""
from __future__ import annotations

from .. import data
from . import make_checks
from .answers import (Written, Chart, Choice, IdSet, Identifier, NotYet, Ordering, Pair, Question,
                      TrueOrFalse, WholeNumber, data_rows, encodings)
from .vocabulary import ORDER_WRONG, STRATEGY, event_order_hint

EXERCISE = "korea_1961"

#: Q1: the triangle whose periods are read, in the order of ``triangle_periods.csv``.
Q1_TRIANGLE = "KOR"
#: Q2: the alignment case of ``alignment_cases.csv``.
Q2_CASE = "O12"
#: Q3 and Q4: the triangle tag and the years (inclusive) of the events asked about.
EVENTS_TRIANGLE = "KOR"
Q3_ACTOR, Q3_YEARS = "USSR", (1959, 1961)
Q4_YEARS = (1956, 1961)
#: Q5: the events to put in order (listed here shuffled on purpose).
Q5_EVENTS = ("E030", "E082", "E020", "E076", "E031")
#: Q6: the event whose strategy is asked for.
Q6_EVENT = "E076"
#: Q7: the treaties compared (US-ROK 1953 and the two of 1961).
Q7_TREATIES = ("T4", "T11", "T12")


def korean_period_ids() -> list[str]:
    """The ids of the periods of the Korean triangle (Q1 picks one)."""
    periods = data.load_triangle_periods()
    return list(periods.loc[periods["triangle_id"] == Q1_TRIANGLE, "period_id"])


def _q4_rubric(spec: dict) -> None:
    enc = encodings(spec)
    x = enc.get("x", {})
    if x.get("field") != "date_date" or x.get("type") != "temporal":
        raise NotYet("the x axis should show the column date_date as a date (temporal).")
    if not any(enc.get(ch, {}).get("field") == "strategy" for ch in ("color", "shape", "y")):
        raise NotYet("the marks should be told apart by the column strategy (colour, shape or "
                     "row).")
    if data_rows(spec) is None:
        raise NotYet("the check cannot find the chart's data; pass a DataFrame to alt.Chart().")


def q4_fingerprint(spec: dict) -> int:
    """How many events the chart shows: the number of rows of its data."""
    return len(data_rows(spec) or [])


PREDICTION = Choice({"yes": (), "no": (), "undecided": ()},
                    "the prediction should be 'yes', 'no' or 'undecided', as "
                    "two_criteria.predict_alliance() returns it.")

QUESTIONS: tuple[Question, ...] = (
    Question("q1", 2, "first period of the Korean triangle that Vu's model reads as zero-sum",
             Identifier("that is not the period_id of a period of the KOR triangle (ids look "
                        "like 'KOR-1').", korean_period_ids, example="KOR-1"),
             hint="go through the KOR rows of data.load_triangle_periods() in the order of the "
                  "column order, build a triangle.Triangle from each row whose three sides are "
                  "all amity or enmity, and call vu.sum_type() on it; keep the first period_id it "
                  "calls zero-sum.",
             wrong="that is not the first period the model reads as zero-sum."),
    Question("q2", 1, "the op-ed's rule on case O12: prediction and fit",
             Pair(PREDICTION, TrueOrFalse(none_ok=True)),
             hint="take the O12 row of data.load_alignment_cases(), pass its shared_security and "
                  "shared_ideology to two_criteria.predict_alliance(), and compare the result "
                  "with the column allied (two_criteria.classify() does both).",
             wrong="the prediction, or whether it fits the outcome, is not right yet: read both "
                   "criteria and the column allied again."),
    Question("q3", 2, "count of labelled Soviet moves in the Korean triangle, 1959-1961",
             WholeNumber("a whole number (a count of events)"),
             hint="keep the rows of data.load_events() whose triangles include 'KOR', whose "
                  "strategy is filled and whose date_date falls in 1959, 1960 or 1961; then count "
                  "those whose actors include 'USSR' (data.split_ids() splits 'USSR;DPRK').",
             wrong="that is not the count yet: check each filter and count the rows again."),
    Question("q4", 2, "timeline chart of the labelled events, 1956-1961",
             Chart(("point", "circle", "square", "tick"), _q4_rubric, q4_fingerprint,
                   wrong_mark="the chart's mark is {mark!r}; a timeline needs one point or tick "
                              "per event."),
             hint="filter the events as in Q3 but for 1956 to 1961 and any actor, then use a "
                  "point (or tick) mark with date_date on x as temporal (:T), strategy as the "
                  "colour or the shape (:N), and .properties(title=..., description=...).",
             wrong="the chart's data are not exactly the labelled events of the KOR triangle in "
                   "1956-1961: check the filters."),
    Question("q5", 2, "five events of 1950-1961 in order", Ordering(Q5_EVENTS),
             hint=event_order_hint(5), wrong=ORDER_WRONG),
    Question("q6", 1, "strategy of event E076", STRATEGY,
             hint="a wedge tries to pull the junior state away from the rival patron; binding "
                  "tries to keep it close. Ask which patron acts, and on which tie.",
             wrong="the move is not aimed at the tie you think: whose relation with North Korea "
                   "does it try to damage or protect?"),
    Question("q7", 1, "the treaty ATOP codes as a conditional pledge",
             IdSet(lambda: Q7_TREATIES, "answer only with ids among T4, T11 and T12.",
                   example="'T1' or ['T1', 'T2']"),
             hint="in data.load_treaty_atop() keep the rows whose treaty_id is T4, T11 or T12 "
                  "and read the column conditio (1 = the defence pledge is conditional).",
             wrong="that is not the set of treaties ATOP codes as conditional."),
)
#: The written answers, marked by hand (the grader lists them in marks.csv).
WRITTEN: tuple[Written, ...] = (Written("w1", 2, "whom Vu and Kim credit for North Korea's neutrality"),)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

CHECKS = make_checks(EXERCISE, QUESTIONS)
check_q1, check_q2, check_q3, check_q4, check_q5, check_q6, check_q7 = CHECKS.values()
