"""Checkers for the exercises on the chapter "Exceptions that prove the rule"
(``exceptions_exercises.ipynb``).

Every checker computes the expected answer from ``data/`` and the models in
:mod:`alliances.two_criteria` when it runs; no answer is stored here. Each
prints exactly ``QN: correct`` for a right answer, or
``QN: not yet — <what is off> Hint: <hint>`` without revealing the answer.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import data, two_criteria
from . import (Feedback, Question, axis_fields, chart_spec, check_event_order, checker,
               correct, event_order_hint, normalise_text, not_yet,
               require_title_and_description, strategy_answer)

EXERCISE = "exceptions"

#: The graded questions and their points, declared once (the grader reads it).
QUESTIONS: tuple[Question, ...] = (
    Question("q1", 1, "the criterion that fails for Vietnam and Russia after 1991 (case O3)"),
    Question("q2", 2, "the cases whose outcome contradicts the two-criteria rule"),
    Question("q3", 2, "years between the op-ed's and Kim's end of the Sino-Soviet alliance"),
    Question("q4", 2, "bar chart of the cases by the rule's prediction, coloured by outcome"),
    Question("q5", 2, "five events of Vietnam's alliances in order"),
    Question("q6", 1, "strategy of event E091 (Kosygin in Hanoi, 1965)"),
    Question("q7", 1, "the one ATOP obligation coded for the 1978 Soviet-Vietnamese treaty"),
)
POINTS = {q.qid: q.points for q in QUESTIONS}
TOTAL_POINTS = sum(POINTS.values())

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


# ---------------------------------------------------------------------------
# Expected answers, computed from the data and the models
# ---------------------------------------------------------------------------

def expected_q1() -> str:
    """The criterion (``security`` or ``ideology``) coded ``no`` for case O3."""
    case = data.load_alignment_cases().set_index("case_id").loc[Q1_CASE]
    (failed,) = [name for name, column in CRITERIA.items() if case[column] == "no"]
    return failed


def classified_cases() -> pd.DataFrame:
    return two_criteria.classify(data.load_alignment_cases())


def expected_q2() -> list[str]:
    cases = classified_cases()
    contradicted = cases["rule_fits"].eq(False).fillna(False).astype(bool)
    return sorted(cases.loc[contradicted, "case_id"])


def expected_q3() -> int:
    spans = data.load_alliance_spans()
    spans = spans[spans["dyad"] == Q3_DYAD].set_index("reading")
    later = spans.loc[Q3_LATER, "end_date"].year
    earlier = spans.loc[Q3_EARLIER, "end_date"].year
    return int(later - earlier)


def expected_q5() -> list[str]:
    events = data.load_events()  # sorted by date, then id
    return [e for e in events["event_id"] if e in Q5_EVENTS]


def expected_q6() -> str:
    events = data.load_events().set_index("event_id")
    return str(events.loc[Q6_EVENT, "strategy"])


def expected_q7() -> str:
    atop = data.load_treaty_atop()
    (row,) = [r for _, r in atop[atop["treaty_id"] == Q7_TREATY].iterrows()]
    (coded,) = [column for column in OBLIGATIONS if int(row[column]) == 1]
    return coded


# ---------------------------------------------------------------------------
# The checkers
# ---------------------------------------------------------------------------

HINT_Q1 = ("look up case O3 in data.load_alignment_cases() and read its shared_security and "
           "shared_ideology columns: the rule fails where a criterion is 'no'.")


def _criterion(answer) -> str | None:
    given = normalise_text(answer)
    found = [name for name, stem in (("security", "secur"), ("ideology", "ideolog"))
             if stem in given]
    return found[0] if len(found) == 1 else None


@checker("q1", HINT_Q1)
def check_q1(answer) -> Feedback:
    """Q1: which criterion fails for Vietnam and Russia after 1991 (``security`` or ``ideology``)."""
    given = _criterion(answer)
    if given is None:
        return not_yet("q1", "answer with one of the two criteria: 'security' or 'ideology'.",
                       HINT_Q1)
    if given != expected_q1():
        return not_yet("q1", "the op-ed codes that criterion as holding for case O3.", HINT_Q1)
    return correct("q1")


HINT_Q2 = ("run two_criteria.classify() on data.load_alignment_cases() and keep the rows whose "
           "rule_fits is False (not missing: missing means the rule cannot decide).")


@checker("q2", HINT_Q2)
def check_q2(answer) -> Feedback:
    """Q2: the case ids where the rule's prediction contradicts the coded outcome (a list)."""
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return not_yet("q2", "the answer should be a list of case ids, like ['O1', 'O2'].",
                       HINT_Q2)
    given = {str(x).strip().upper() for x in answer}
    known = {c.upper() for c in data.load_alignment_cases()["case_id"]}
    unknown = given - known
    if unknown:
        return not_yet("q2", f"{len(unknown)} of your ids are not case ids of "
                             f"alignment_cases.csv.", HINT_Q2)
    expected = {c.upper() for c in expected_q2()}
    if given == expected:
        return correct("q2")
    extra, missing = len(given - expected), len(expected - given)
    parts = []
    if extra:
        parts.append(f"{extra} of your cases fit the rule or are ones it cannot decide")
    if missing:
        parts.append(f"{missing} contradicting case(s) are missing")
    return not_yet("q2", "; ".join(parts) + ".", HINT_Q2)


HINT_Q3 = ("in data.load_alliance_spans() keep the rows of the dyad PRC-USSR, then subtract the "
           "year of end_date in the op-ed's reading (000) from the one in Kim's reading (004).")


@checker("q3", HINT_Q3)
def check_q3(answer) -> Feedback:
    """Q3: Kim's end year of the Sino-Soviet alliance minus the op-ed's, in whole years."""
    if isinstance(answer, bool) or not float(answer).is_integer():
        return not_yet("q3", "the answer should be a whole number of years.", HINT_Q3)
    given, expected = int(answer), expected_q3()
    if given == expected:
        return correct("q3")
    if given == -expected:
        return not_yet("q3", "the sign is wrong: subtract the earlier end from the later one.",
                       HINT_Q3)
    direction = "too high" if given > expected else "too low"
    return not_yet("q3", f"your number is {direction}.", HINT_Q3)


HINT_Q4 = ("start from two_criteria.classify(...), use a bar mark, put the column predicted on "
           "one axis and an aggregate count on the other, colour by allied, and set the title "
           "and description with .properties().")


@checker("q4", HINT_Q4)
def check_q4(answer) -> Feedback:
    """Q4: a bar chart, one bar per prediction of the rule (``predicted``), bar length = number
    of cases, coloured by the coded outcome (``allied``), with a title and a description.
    The check reads the chart's Vega-Lite spec."""
    spec = chart_spec(answer, "answer_q4")
    enc = spec.get("encoding") or {}
    fields = axis_fields(spec)
    by_category = [ch for ch, e in fields.items() if e.get("field") == Q4_CATEGORY]
    counted = [ch for ch, e in fields.items() if e.get("aggregate") == "count"]
    if not by_category:
        return not_yet("q4", f"neither axis shows the column {Q4_CATEGORY}.", HINT_Q4)
    if not counted or counted == by_category:
        return not_yet("q4", "the other axis should count the cases (an aggregate count).",
                       HINT_Q4)
    if fields[by_category[0]].get("type") not in ("nominal", "ordinal"):
        return not_yet("q4", f"{Q4_CATEGORY} is a category: encode it as nominal (:N).", HINT_Q4)
    colour = enc.get("color")
    if not isinstance(colour, dict) or colour.get("field") != Q4_COLOUR:
        return not_yet("q4", f"the bars should be coloured by the column {Q4_COLOUR}.", HINT_Q4)
    require_title_and_description(spec)
    return correct("q4")


HINT_Q5 = event_order_hint(5)


@checker("q5", HINT_Q5)
def check_q5(answer) -> Feedback:
    """Q5: the five events of :data:`Q5_EVENTS` in chronological order (a list of ids)."""
    return check_event_order("q5", answer, sorted(Q5_EVENTS), expected_q5(), HINT_Q5)


HINT_Q6 = ("in Vu's vocabulary a wedge tries to pull the junior state away from the rival "
           "patron; binding tries to keep it close with rewards or threats. Ask whose influence "
           "in Hanoi the Soviet move was meant to counter.")


@checker("q6", HINT_Q6)
def check_q6(answer) -> Feedback:
    """Q6: the strategy (``wedge`` or ``binding``) event E091 shows."""
    if strategy_answer(answer) != expected_q6():
        return not_yet("q6", "ask who acts in E091 and on whose tie with North Vietnam.",
                       HINT_Q6)
    return correct("q6")


HINT_Q7 = ("in data.load_treaty_atop() take the row whose treaty_id is T19 and look for the "
           "obligation column (defense, offense, neutral, nonagg, consul) that holds a 1.")


@checker("q7", HINT_Q7)
def check_q7(answer) -> Feedback:
    """Q7: the one ATOP obligation column coded 1 for treaty T19."""
    given = normalise_text(answer).replace("defence", "defense")
    if given not in OBLIGATIONS:
        return not_yet("q7", f"answer with one ATOP column name: {', '.join(OBLIGATIONS)}.",
                       HINT_Q7)
    if given != expected_q7():
        return not_yet("q7", "ATOP codes that obligation as absent (0) from the 1978 treaty.",
                       HINT_Q7)
    return correct("q7")


CHECKS = {"q1": check_q1, "q2": check_q2, "q3": check_q3, "q4": check_q4,
          "q5": check_q5, "q6": check_q6, "q7": check_q7}
