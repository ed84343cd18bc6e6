"""Checkers for the exercises on the 1961 treaties (``korea_1961_exercises.ipynb``).

Every checker computes the expected answer from ``data/`` and the models in
:mod:`alliances.triangle`, :mod:`alliances.vu` and :mod:`alliances.two_criteria`
when it runs; no answer is stored here. Each prints exactly ``QN: correct`` for
a right answer, or ``QN: not yet — <what is off> Hint: <hint>`` without
revealing the answer.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import data, triangle, two_criteria, vu
from . import (Feedback, Question, chart_spec, check_event_order, checker, correct,
               event_order_hint, normalise_text, not_yet, require_title_and_description,
               strategy_answer)

EXERCISE = "korea_1961"

#: The graded questions and their points, declared once (the grader reads it).
QUESTIONS: tuple[Question, ...] = (
    Question("q1", 2, "first period of the Korean triangle that Vu's model reads as zero-sum"),
    Question("q2", 1, "the op-ed's rule on case O12: prediction and fit"),
    Question("q3", 2, "count of labelled Soviet moves in the Korean triangle, 1959-1961"),
    Question("q4", 2, "timeline chart of the labelled events, 1956-1961"),
    Question("q5", 2, "five events of 1950-1961 in order"),
    Question("q6", 1, "strategy of event E076"),
    Question("q7", 1, "the treaty ATOP codes as a conditional pledge"),
)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

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


# ---------------------------------------------------------------------------
# Expected answers, computed from the data and the models
# ---------------------------------------------------------------------------

def _triangle_of(row) -> triangle.Triangle | None:
    sides = [row[s] for s in ("ab", "ac", "bc")]
    if any(pd.isna(s) for s in sides):
        return None
    try:
        return triangle.Triangle(row["a"], row["b"], row["c"], *sides)
    except ValueError:  # a side the triangle model does not take (mixed, neutral)
        return None


def korean_periods() -> pd.DataFrame:
    """The periods of the Korean triangle, in order."""
    periods = data.load_triangle_periods()
    return periods[periods["triangle_id"] == Q1_TRIANGLE].sort_values("order")


def sum_types() -> dict[str, vu.SumType | None]:
    """Vu's sum type (``vu.sum_type``) of each Korean period, None where no triangle."""
    out = {}
    for _, row in korean_periods().iterrows():
        t = _triangle_of(row)
        out[str(row["period_id"])] = vu.sum_type(t) if t is not None else None
    return out


def expected_q1() -> str:
    return next(p for p, kind in sum_types().items() if kind == vu.SumType.ZERO)


def q2_case() -> pd.Series:
    cases = two_criteria.classify(data.load_alignment_cases())
    return cases.set_index("case_id").loc[Q2_CASE]


def expected_q2() -> tuple[str, bool | None]:
    case = q2_case()
    fits = case["rule_fits"]
    return str(case["predicted"]), (None if pd.isna(fits) else bool(fits))


def _tagged(events: pd.DataFrame, column: str, value: str) -> pd.Series:
    return events[column].map(lambda v: value in data.split_ids(v) if isinstance(v, str) else False)


def labelled_events(years: tuple[int, int]) -> pd.DataFrame:
    """Events of the Korean triangle with a strategy label, dated in ``years``."""
    events = data.load_events()
    first, last = years
    chosen = (_tagged(events, "triangles", EVENTS_TRIANGLE) & events["strategy"].notna()
              & events["date_date"].dt.year.between(first, last))
    return events[chosen]


def expected_q3() -> int:
    chosen = labelled_events(Q3_YEARS)
    return int(_tagged(chosen, "actors", Q3_ACTOR).sum())


def expected_q4_rows() -> int:
    return len(labelled_events(Q4_YEARS))


def expected_q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def expected_q6() -> str:
    events = data.load_events().set_index("event_id")
    return str(events.loc[Q6_EVENT, "strategy"])


def expected_q7() -> set[str]:
    atop = data.load_treaty_atop()
    rows = atop[atop["treaty_id"].isin(Q7_TREATIES)]
    return set(rows.loc[rows["conditio"] == 1, "treaty_id"].astype(str))


# ---------------------------------------------------------------------------
# The checkers
# ---------------------------------------------------------------------------

HINT_Q1 = ("go through the KOR rows of data.load_triangle_periods() in the order of the column "
           "order, build a triangle.Triangle from each row whose three sides are all amity or "
           "enmity, and call vu.sum_type() on it; keep the first period_id it calls zero-sum.")


@checker("q1", HINT_Q1)
def check_q1(answer) -> Feedback:
    """Q1: the ``period_id`` of the first KOR period the model reads as zero-sum."""
    given = str(answer).strip().upper()
    order = list(sum_types())
    if given not in order:
        return not_yet("q1", "that is not the period_id of a period of the KOR triangle "
                             "(ids look like 'KOR-1').", HINT_Q1)
    expected = expected_q1()
    if given == expected:
        return correct("q1")
    if order.index(given) > order.index(expected):
        return not_yet("q1", "the model already reads an earlier period as zero-sum.", HINT_Q1)
    return not_yet("q1", "the model does not read that period as zero-sum.", HINT_Q1)


HINT_Q2 = ("take the O12 row of data.load_alignment_cases(), pass its shared_security and "
           "shared_ideology to two_criteria.predict_alliance(), and compare the result with "
           "the column allied (two_criteria.classify() does both).")


@checker("q2", HINT_Q2)
def check_q2(answer) -> Feedback:
    """Q2: a pair (the rule's prediction for case O12, whether it fits the outcome)."""
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return not_yet("q2", "the answer should be a pair, like ('yes', True).", HINT_Q2)
    items = list(answer)
    if len(items) != 2:
        return not_yet("q2", "the answer should hold exactly two things: the prediction "
                             "and True or False.", HINT_Q2)
    prediction, fits = normalise_text(items[0]), items[1]
    if prediction not in ("yes", "no", "undecided"):
        return not_yet("q2", "the prediction should be 'yes', 'no' or 'undecided', as "
                             "two_criteria.predict_alliance() returns it.", HINT_Q2)
    expected_prediction, expected_fits = expected_q2()
    if prediction != expected_prediction:
        return not_yet("q2", "the rule predicts something else for this case; read both "
                             "criteria again.", HINT_Q2)
    if isinstance(fits, str):
        fits = {"true": True, "false": False}.get(normalise_text(fits), fits)
    if not isinstance(fits, bool) and fits is not None:
        try:
            fits = bool(fits) if not pd.isna(fits) else None
        except (TypeError, ValueError):
            return not_yet("q2", "the second item should be True or False.", HINT_Q2)
    if fits != expected_fits:
        return not_yet("q2", "the prediction is right, but compare it again with what "
                             "happened (the column allied).", HINT_Q2)
    return correct("q2")


HINT_Q3 = ("keep the rows of data.load_events() whose triangles include 'KOR', whose strategy "
           "is filled and whose date_date falls in 1959, 1960 or 1961; then count those whose "
           "actors include 'USSR' (data.split_ids() splits 'USSR;DPRK').")


@checker("q3", HINT_Q3)
def check_q3(answer) -> Feedback:
    """Q3: how many labelled KOR events of 1959-1961 list the USSR among their actors."""
    if isinstance(answer, bool) or not float(answer).is_integer():
        return not_yet("q3", "the answer should be a whole number (a count of events).", HINT_Q3)
    given, expected = int(answer), expected_q3()
    if given == expected:
        return correct("q3")
    direction = "too high" if given > expected else "too low"
    return not_yet("q3", f"your count is {direction}.", HINT_Q3)


HINT_Q4 = ("filter the events as in Q3 but for 1956 to 1961 and any actor, then use a point "
           "(or tick) mark with date_date on x as temporal (:T), strategy as the colour or "
           "the shape (:N), and .properties(title=..., description=...).")

_MARKS = ("point", "circle", "square", "tick")


def _rows_of(spec: dict) -> list | None:
    """The rows of the chart's data, when they are inlined in the spec."""
    datasets = spec.get("datasets") or {}
    name = (spec.get("data") or {}).get("name")
    if name in datasets:
        return datasets[name]
    values = (spec.get("data") or {}).get("values")
    return values if isinstance(values, list) else None


@checker("q4", HINT_Q4)
def check_q4(answer) -> Feedback:
    """Q4: one mark per labelled KOR event of 1956-1961, placed by date, told apart by
    strategy, with a title and a description. The check reads the chart's spec."""
    spec = chart_spec(answer, "answer_q4", _MARKS,
                      "the chart's mark is {mark!r}; a timeline needs one point or tick per event.")
    enc = spec.get("encoding") or {}
    x = enc.get("x") if isinstance(enc.get("x"), dict) else {}
    if x.get("field") != "date_date" or x.get("type") != "temporal":
        return not_yet("q4", "the x axis should show the column date_date as a date "
                             "(temporal).", HINT_Q4)
    by_strategy = [ch for ch in ("color", "shape", "y")
                   if isinstance(enc.get(ch), dict) and enc[ch].get("field") == "strategy"]
    if not by_strategy:
        return not_yet("q4", "the marks should be told apart by the column strategy "
                             "(colour, shape or row).", HINT_Q4)
    rows = _rows_of(spec)
    if rows is None:
        return not_yet("q4", "the check cannot find the chart's data; pass a DataFrame to "
                             "alt.Chart().", HINT_Q4)
    expected = expected_q4_rows()
    if len(rows) != expected:
        direction = "more" if len(rows) > expected else "fewer"
        return not_yet("q4", f"the chart's data has {direction} rows than there are labelled "
                             "events of the KOR triangle in 1956-1961.", HINT_Q4)
    require_title_and_description(spec)
    return correct("q4")


HINT_Q5 = event_order_hint(5)


@checker("q5", HINT_Q5)
def check_q5(answer) -> Feedback:
    """Q5: the five events of :data:`Q5_EVENTS` in chronological order (a list of ids)."""
    return check_event_order("q5", answer, sorted(Q5_EVENTS), expected_q5(), HINT_Q5)


HINT_Q6 = ("a wedge tries to pull the junior state away from the rival patron; binding tries "
           "to keep it close. Ask which patron acts, and on which tie.")


@checker("q6", HINT_Q6)
def check_q6(answer) -> Feedback:
    """Q6: the strategy (``wedge`` or ``binding``) event E076 shows."""
    if strategy_answer(answer) != expected_q6():
        return not_yet("q6", "the move is not aimed at the tie you think: whose relation with "
                             "North Korea does it try to damage or protect?", HINT_Q6)
    return correct("q6")


HINT_Q7 = ("in data.load_treaty_atop() keep the rows whose treaty_id is T4, T11 or T12 and read "
           "the column conditio (1 = the defence pledge is conditional).")


@checker("q7", HINT_Q7)
def check_q7(answer) -> Feedback:
    """Q7: the treaty id(s), among T4, T11 and T12, whose pledge ATOP codes as conditional."""
    if isinstance(answer, str):
        given = {answer.strip().upper()}
    elif isinstance(answer, Iterable):
        given = {str(x).strip().upper() for x in answer}
    else:
        return not_yet("q7", "the answer should be a treaty id such as 'T1', or a list of "
                             "them.", HINT_Q7)
    if not given or not given <= set(Q7_TREATIES):
        return not_yet("q7", "answer only with ids among T4, T11 and T12.", HINT_Q7)
    expected = expected_q7()
    if given == expected:
        return correct("q7")
    if given - expected:
        return not_yet("q7", "ATOP codes at least one treaty you chose as unconditional.",
                       HINT_Q7)
    return not_yet("q7", "a conditional pledge is missing from your answer.", HINT_Q7)


CHECKS = {"q1": check_q1, "q2": check_q2, "q3": check_q3, "q4": check_q4,
          "q5": check_q5, "q6": check_q6, "q7": check_q7}
