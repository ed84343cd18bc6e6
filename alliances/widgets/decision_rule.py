"""Live explorer of the op-ed's two-criteria rule (chapter "Exceptions that prove the rule").

Two ToggleButtons set the criteria (``yes``/``no``/``unclear``); an HTML line
gives the rule's verdict from :func:`alliances.model.two_criteria.predict_alliance`
and :func:`alliances.model.two_criteria.explain`, and a :class:`ChartView` redraws
the list of the op-ed's cases in that cell
(:func:`alliances.charts.exceptions.case_list_chart`).

The callback :meth:`DecisionRuleExplorer.update` is a plain method, so tests
can call it (or set the buttons) without a browser.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..charts import exceptions as charts
from ..model import two_criteria
from ..queries.cases import CRITERIA, VERDICT_LABEL, cases_in_state
from .chart_view import ChartView


def verdict_html(security: str, ideology: str, chosen: pd.DataFrame) -> str:
    """The rule's verdict for one criterion state and the cases the op-ed puts there."""
    verdict = VERDICT_LABEL[two_criteria.predict_alliance(security, ideology)]
    ids = ", ".join(chosen["case_id"]) or "none"
    contradicted = ", ".join(chosen.loc[chosen["rule_fits"] == False, "case_id"])  # noqa: E712
    text = (f"<b>The rule predicts: {html.escape(verdict)}.</b> "
            f"{html.escape(two_criteria.explain(security, ideology))} "
            f"Cases in this cell: {html.escape(ids)}.")
    if contradicted:
        text += f" <b>The op-ed's own outcome contradicts the rule in: {html.escape(contradicted)}.</b>"
    return text


class DecisionRuleExplorer:
    """Two toggles, a verdict line and a case list that redraws on each change."""

    def __init__(self, table: pd.DataFrame, security: str = "yes", ideology: str = "yes"):
        """``table`` is :func:`alliances.queries.cases.case_table` of the op-ed's cases."""
        self.table = table
        style = {"description_width": "initial"}
        self.security = widgets.ToggleButtons(options=list(CRITERIA), value=security,
                                              description=f"{charts.SECURITY_LABEL}:", style=style)
        self.ideology = widgets.ToggleButtons(options=list(CRITERIA), value=ideology,
                                              description=f"{charts.IDEOLOGY_LABEL}:", style=style)
        self.verdict = widgets.HTML()
        self.chosen = cases_in_state(table, security, ideology)
        self.view = ChartView(charts.case_list_chart(table, security, ideology))
        self.verdict.value = verdict_html(security, ideology, self.chosen)
        self.security.observe(self._on_change, names="value")
        self.ideology.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self.security, self.ideology, self.verdict, self.view.widget])

    def _on_change(self, _change=None) -> None:
        self.update(self.security.value, self.ideology.value)

    def update(self, security: str, ideology: str) -> pd.DataFrame:
        """Show the cases in one criterion state; return them."""
        self.chosen = cases_in_state(self.table, security, ideology)
        self.verdict.value = verdict_html(security, ideology, self.chosen)
        self.view.update(charts.case_list_chart(self.table, security, ideology))
        return self.chosen
