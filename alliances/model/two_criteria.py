"""The op-ed's two-criteria rule (source ``000``).

China and Vietnam, single-party states whose armies answer to the party,
"only ally with states that share both their national security interests and
ideological values" (000). An alliance ends when either criterion fails; when
no state meets both, the result is non-alignment.

Criteria take the values ``yes``, ``no`` or ``unclear`` as the op-ed states
them (``data/alignment_cases.csv``). The rule predicts an alliance only when
both are ``yes``; it predicts none when either is ``no``; otherwise it cannot
decide.
"""
from __future__ import annotations

import pandas as pd

CRITERIA_VALUES = ("yes", "no", "unclear")
RULE_SOURCE = '000 "only ally with states that share both their national security interests and ideological values"'


def predict_alliance(shared_security: str, shared_ideology: str) -> str:
    """Return ``yes``, ``no`` or ``undecided`` for one dyad and period."""
    for value in (shared_security, shared_ideology):
        if value not in CRITERIA_VALUES:
            raise ValueError(f"a criterion must be one of {CRITERIA_VALUES}, not {value!r}")
    if shared_security == "yes" and shared_ideology == "yes":
        return "yes"
    if "no" in (shared_security, shared_ideology):
        return "no"
    return "undecided"


def explain(shared_security: str, shared_ideology: str) -> str:
    """One sentence saying why the rule predicts what it does."""
    verdict = predict_alliance(shared_security, shared_ideology)
    if verdict == "yes":
        return "Both criteria hold, so the rule predicts an alliance."
    if verdict == "no":
        failed = [name for name, v in (("shared security interest", shared_security),
                                       ("shared ideology", shared_ideology)) if v == "no"]
        verb = "fails" if len(failed) == 1 else "fail"
        return f"The rule predicts no alliance: {' and '.join(failed)} {verb}."
    return "At least one criterion is unclear in the op-ed, so the rule cannot decide."


def grid() -> pd.DataFrame:
    """The rule in full: the nine pairs of criterion values, each with the
    rule's verdict and why (columns ``shared_security``, ``shared_ideology``,
    ``predicted``, ``explanation``), security first, in :data:`CRITERIA_VALUES` order."""
    rows = [{"shared_security": s, "shared_ideology": i, "predicted": predict_alliance(s, i),
             "explanation": explain(s, i)}
            for s in CRITERIA_VALUES for i in CRITERIA_VALUES]
    return pd.DataFrame(rows)


def classify(cases: pd.DataFrame) -> pd.DataFrame:
    """Add ``predicted`` and ``rule_fits`` columns to the alignment cases.

    ``rule_fits`` is True where the prediction matches the reported outcome,
    False where it contradicts it, and missing where the rule cannot decide.
    """
    out = cases.copy()
    out["predicted"] = [predict_alliance(s, i) for s, i in
                        zip(out["shared_security"], out["shared_ideology"])]
    fits = [pd.NA if p == "undecided" else (p == a) for p, a in zip(out["predicted"], out["allied"])]
    out["rule_fits"] = pd.array(fits, dtype="boolean")
    return out
