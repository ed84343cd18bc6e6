"""The questions on Kim's thesis, the bloc and the US-ROK alliance
(``bloc_reactions_exercises.ipynb``).

Each question says how its answer is read (its kind), a hint that does not
give the answer away, and what a readable but wrong answer is told. The
expected answers are not here: the grader's key computes them from ``data/``
and the models (instructor-only), and the in-class checks compare salted
hashes (``answer_hashes.json``).
"""
from __future__ import annotations

from .. import data
from . import make_checks
from .answers import (Chart, IdSet, Identifier, NotYet, Ordering, Pair, Question, WholeNumber,
                      Written, data_rows, encodings)
from .vocabulary import ORDER_WRONG, PATTERN, ROLE

EXERCISE = "bloc_reactions"

#: Q1: six events of the end of the Cold War on the peninsula (listed out of order on purpose).
Q1_EVENTS = ("E113", "E129", "E086", "E124", "E138", "E116")
#: Q2 and Q7: the threads of ``events.csv`` (column ``themes``).
NUCLEAR, PENINSULA = "NUC", "PEN"
#: Q3: the period of ``two_chinas_two_koreas.csv``.
Q3_PERIOD = "after"
#: Q4: the period and the corners (a, b, c) of Kim's triangle.
Q4_PERIOD, Q4_CORNERS = "1950s", ("PRC", "DPRK", "ROK")
#: Q5: the armistice event and the US-ROK treaty.
Q5_EVENT, Q5_TREATY = "E036", "T4"
#: Q6: the source whose present the others are compared with.
Q6_BASE = "004"


def peninsula_ids() -> list[str]:
    """The ids of the events of the peninsula thread (Q7 picks some of them)."""
    events = data.load_events()
    return list(events.loc[events["themes"].map(lambda v: PENINSULA in data.split_ids(v)),
                           "event_id"])


def _q2_rubric(spec: dict) -> None:
    enc = encodings(spec)
    x, y = enc.get("x", {}), enc.get("y", {})
    if x.get("field") != "date_date" or x.get("type") != "temporal":
        raise NotYet("the x axis should show the column date_date as a date (temporal).")
    if y.get("field") != "title" or y.get("type") not in ("nominal", "ordinal"):
        raise NotYet("the y axis should show the column title as a category (:N).")
    if data_rows(spec) is None:
        raise NotYet("the check cannot find the chart's data; pass a DataFrame to alt.Chart().")


def q2_fingerprint(spec: dict) -> list[str]:
    """Which events the chart shows: the sorted titles of its data's rows."""
    return sorted({str(r.get("title")) for r in data_rows(spec) or []})


QUESTIONS: tuple[Question, ...] = (
    Question("q1", 2, "six events of the end of the Cold War on the peninsula in order",
             Ordering(Q1_EVENTS),
             hint="look the six ids up in data.load_events() and sort them by date_date (the "
                  "parsed date), not by their ids or by the date strings.",
             wrong=ORDER_WRONG),
    Question("q2", 2, "timeline chart of the nuclear thread",
             Chart(("point", "circle", "tick"), _q2_rubric, q2_fingerprint,
                   wrong_mark="the chart's mark is {mark!r}; a timeline needs one point or tick "
                              "per event."),
             hint="keep the events whose themes include 'NUC' (themes holds ';'-separated codes "
                  "and is empty for most events: use data.split_ids), then draw one point per "
                  "event with date_date (:T) on x and title (:N) on y, and set the title and "
                  "description with .properties().",
             wrong="the chart's data are not exactly the events of the nuclear thread: check the "
                   "filter on themes."),
    Question("q3", 1, "pairs of the period after the Cold War on which the sources are silent",
             WholeNumber("a whole number (a count of rows)"),
             hint="keep the rows of data.load_two_chinas_two_koreas() whose period_id is 'after' "
                  "and whose relation is missing (an empty cell loads as a missing value, not as "
                  "the words 'not stated'), then count them.",
             wrong="that is not the count yet: check both filters and count the rows again."),
    Question("q4", 2, "the pattern of Kim's triangle of the 1950s and South Korea's role",
             Pair(PATTERN, ROLE, "a pair of names, like ('unit veto', 'foe')"),
             hint="take the three 1950s rows of data.load_two_chinas_two_koreas() for the pairs "
                  "DPRK-PRC, PRC-ROK and DPRK-ROK (each pair is stored once, either way round), "
                  "build triangle.Triangle('PRC', 'DPRK', 'ROK', ...) and call triangle.read().",
             wrong="the pattern or the role is not right yet: check each side of the triangle "
                   "and the corner you ask about."),
    Question("q5", 1, "days from the armistice to the signing of the US-ROK treaty",
             WholeNumber("a whole number of days"),
             hint="subtract the date_date of event E036 in data.load_events() from the "
                  "signed_date of treaty T4 in data.load_treaties(), and take .days.",
             wrong="that is not the number of days yet: check which date comes first and "
                   "subtract again."),
    Question("q6", 2, "the source with the latest present, and how many years after Kim's",
             Pair(Identifier("that is not a source_id of data.load_source_documents() "
                             "('000', '003' or '004').",
                             lambda: data.load_source_documents()["source_id"], example="000"),
                  WholeNumber("a whole number of years"),
                  "a pair, like ('000', 3)"),
             hint="in data.load_source_documents() compare the present_date column: take the "
                  "source with the latest one, then subtract the year of Kim's (004) from its year.",
             wrong="the source or the number of years is not right yet: compare the years of "
                   "present_date again."),
    Question("q7", 1, "the events of the peninsula thread that have no date",
             IdSet(peninsula_ids, "answer only with ids of events whose themes include 'PEN'.",
                   example="['E001', 'E002']"),
             hint="keep the events whose themes include 'PEN' and whose date_date is missing (a "
                  "missing date loads as NaT).",
             wrong="that is not the set of undated peninsula events yet."),
)
#: The written answers, marked by hand (the grader lists them in marks.csv).
WRITTEN: tuple[Written, ...] = (
    Written("w1", 4, "where the South Korean component sits in Kim's explanation, with Vu's evidence"),)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

CHECKS = make_checks(EXERCISE, QUESTIONS)
check_q1, check_q2, check_q3, check_q4, check_q5, check_q6, check_q7 = CHECKS.values()
