"""The questions on the chapter "Exceptions that prove the rule"
(``exceptions_exercises.ipynb``).

Each question says how its answer is read (its kind), a hint that does not
give the answer away, and what a readable but wrong answer is told. The
expected answers are not here: the grader's key computes them from ``data/``
and the models (instructor-only), and the in-class checks compare salted
hashes (``answer_hashes.json``).
"""
from __future__ import annotations

from .. import data
from . import make_checks
from .answers import (Written, Chart, Choice, IdSet, NotYet, Ordering, Question, WholeNumber,
                      axis_fields, encodings)
from .vocabulary import ORDER_WRONG, STRATEGY, event_order_hint

EXERCISE = "exceptions"

#: The case of Q1.
Q1_CASE = "O3"
#: The criteria of the rule, as named in ``alignment_cases.csv``.
CRITERIA = {"security": "shared_security", "ideology": "shared_ideology"}
#: Q3: the dyad and the two readings (sources) whose end dates are compared.
Q3_DYAD, Q3_LATER, Q3_EARLIER = "PRC-USSR", "004", "000"
#: Q4: the column on one axis and the column on the colour channel.
Q4_CATEGORY, Q4_COLOUR = "predicted", "allied"
#: The events Q5 asks to put in order (listed here shuffled on purpose).
Q5_EVENTS = ("E111", "E102", "E112", "E091", "E104")
#: The event whose strategy Q6 asks for.
Q6_EVENT = "E091"
#: Q7: the treaty and the ATOP obligation columns to choose from.
Q7_TREATY = "T19"
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


def _q4_rubric(spec: dict) -> None:
    fields = axis_fields(spec)
    by_category = [ch for ch, e in fields.items() if e.get("field") == Q4_CATEGORY]
    counted = [ch for ch, e in fields.items() if e.get("aggregate") == "count"]
    if not by_category:
        raise NotYet(f"neither axis shows the column {Q4_CATEGORY}.")
    if not counted or counted == by_category:
        raise NotYet("the other axis should count the cases (an aggregate count).")
    if fields[by_category[0]].get("type") not in ("nominal", "ordinal"):
        raise NotYet(f"{Q4_CATEGORY} is a category: encode it as nominal (:N).")
    if encodings(spec).get("color", {}).get("field") != Q4_COLOUR:
        raise NotYet(f"the bars should be coloured by the column {Q4_COLOUR}.")


QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "the criterion that fails for Vietnam and Russia after 1991 (case O3)",
             Choice({"security": ("secur",), "ideology": ("ideolog",)},
                    "answer with one of the two criteria: 'security' or 'ideology'.", stems=True),
             hint="look up case O3 in data.load_alignment_cases() and read its shared_security "
                  "and shared_ideology columns: the rule fails where a criterion is 'no'.",
             wrong="the op-ed codes that criterion as holding for case O3."),
    Question("q2", 2, "the cases whose outcome contradicts the two-criteria rule",
             IdSet(lambda: data.load_alignment_cases()["case_id"],
                   "some of your ids are not case ids of alignment_cases.csv."),
             hint="run two_criteria.classify() on data.load_alignment_cases() and keep the rows "
                  "whose rule_fits is False (not missing: missing means the rule cannot decide).",
             wrong="that is not the set of contradicting cases yet: a case belongs in it only "
                   "where rule_fits is False."),
    Question("q3", 2, "years between the op-ed's and Kim's end of the Sino-Soviet alliance",
             WholeNumber("a whole number of years"),
             hint="in data.load_alliance_spans() keep the rows of the dyad PRC-USSR, then subtract "
                  "the year of end_date in the op-ed's reading (000) from the one in Kim's "
                  "reading (004).",
             wrong="that is not the difference yet: check which reading is which, and subtract "
                   "the earlier end from the later one."),
    Question("q4", 2, "bar chart of the cases by the rule's prediction, coloured by outcome",
             Chart(("bar",), _q4_rubric),
             hint="start from two_criteria.classify(...), use a bar mark, put the column "
                  "predicted on one axis and an aggregate count on the other, colour by allied, "
                  "and set the title and description with .properties()."),
    Question("q5", 2, "five events of Vietnam's alliances in order", Ordering(Q5_EVENTS),
             hint=event_order_hint(5), wrong=ORDER_WRONG),
    Question("q6", 1, "strategy of event E091 (Kosygin in Hanoi, 1965)", STRATEGY,
             hint="in Vu's vocabulary a wedge tries to pull the junior state away from the rival "
                  "patron; binding tries to keep it close with rewards or threats. Ask whose "
                  "influence in Hanoi the Soviet move was meant to counter.",
             wrong="ask who acts in E091 and on whose tie with North Vietnam."),
    Question("q7", 1, "the one ATOP obligation coded for the 1978 Soviet-Vietnamese treaty",
             Choice({o: (("defence",) if o == "defense" else ()) for o in OBLIGATIONS},
                    f"answer with one ATOP column name: {', '.join(OBLIGATIONS)}."),
             hint="in data.load_treaty_atop() take the row whose treaty_id is T19 and look for "
                  "the obligation column (defense, offense, neutral, nonagg, consul) that holds "
                  "a 1.",
             wrong="ATOP codes that obligation as absent (0) from the 1978 treaty."),
)
#: The written answers, marked by hand (the grader lists them in marks.csv).
WRITTEN: tuple[Written, ...] = (Written("w1", 2, "what the op-ed and Vu each explain about the 1961 treaty"),)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

CHECKS = make_checks(EXERCISE, QUESTIONS)
check_q1, check_q2, check_q3, check_q4, check_q5, check_q6, check_q7 = CHECKS.values()
