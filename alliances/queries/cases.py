"""The op-ed's cases (``alignment_cases.csv``) read with its two-criteria rule.

Every verdict comes from :func:`alliances.model.two_criteria.predict_alliance`
(through :func:`~alliances.model.two_criteria.classify` and
:func:`~alliances.model.two_criteria.grid`); this module adds the labels the
explorer, the widget and the chapter show, and counts the cases per cell.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..model import two_criteria

CRITERIA = two_criteria.CRITERIA_VALUES
VERDICTS = ("yes", "no", "undecided")
VERDICT_LABEL = {"yes": "alliance", "no": "no alliance", "undecided": "cannot decide"}
OUTCOME_LABEL = {"yes": "allied", "no": "not allied"}
CHECK_LABEL = {True: "rule fits", False: "rule contradicted", None: "rule undecided"}


def _check(value) -> str:
    return CHECK_LABEL[None if value is pd.NA else bool(value)]


def case_table(cases: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The op-ed's cases with the rule's verdict and labels, one row per case.

    ``cases`` as from ``load_alignment_cases()``; ``names`` maps actor ids to
    labels (``load_actor_names()``). ``predicted`` and ``rule_fits`` come from
    :func:`two_criteria.classify`; ``row`` numbers the cases within their
    criterion state (1, 2, ...) so a filtered list can stack them from the top.
    """
    table = two_criteria.classify(cases)
    table["dyad_label"] = [f"{names[c]}–{names[p]}" for c, p in zip(table["chooser"], table["partner"])]
    table["predicted_label"] = table["predicted"].map(VERDICT_LABEL)
    table["reported_label"] = table["allied"].map(OUTCOME_LABEL)
    table["check_label"] = [_check(v) for v in table["rule_fits"]]
    table["exception_label"] = table["deviant"].map({"yes": "op-ed's exception", "no": ""})
    table["row"] = table.groupby(["shared_security", "shared_ideology"], sort=False).cumcount() + 1
    keep = ["case_id", "chooser", "partner", "dyad_label", "period", "shared_security",
            "shared_ideology", "predicted", "predicted_label", "allied", "reported_label",
            "rule_fits", "check_label", "deviant", "exception_label", "outcome", "row"]
    return table[keep].astype({"rule_fits": "boolean"})


def cases_in_state(table: pd.DataFrame, security: str, ideology: str) -> pd.DataFrame:
    """The cases of a :func:`case_table` in one criterion state, in case order."""
    return table[(table["shared_security"] == security) & (table["shared_ideology"] == ideology)]


def rule_states(table: pd.DataFrame) -> pd.DataFrame:
    """The rule's grid (:func:`two_criteria.grid`) with the cases of ``table``
    in each cell: ``n_cases``, ``cases`` (ids), ``n_contradicted``, labels."""
    states = two_criteria.grid()
    cells = [cases_in_state(table, s, i) for s, i in zip(states["shared_security"], states["shared_ideology"])]
    states["predicted_label"] = states["predicted"].map(VERDICT_LABEL)
    states["n_cases"] = [len(c) for c in cells]
    states["cases"] = [", ".join(c["case_id"]) for c in cells]
    states["n_contradicted"] = [int(c["rule_fits"].eq(False).sum()) for c in cells]
    states["cell_label"] = [f"{v}: {n} case{'s' if n != 1 else ''}"
                            for v, n in zip(states["predicted_label"], states["n_cases"])]
    return states
