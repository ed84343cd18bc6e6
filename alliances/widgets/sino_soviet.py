"""Live explorer for the chapter "The Sino-Soviet alliance": the timeline by phase.

A Dropdown picks a phase (the phases are :data:`alliances.model.phases.PHASES`);
the callback redraws the timeline through :class:`alliances.widgets.chart_view.ChartView`
and lists the phase's events with their citations. The callback is a plain
method, :meth:`PhaseExplorer.show`, that tests can call directly.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..charts.sino_soviet import timeline_chart
from ..model.phases import ALL, PHASES, phase_label
from ..queries.phases import events_in_phase
from .chart_view import ChartView


def events_html(rows: pd.DataFrame, phase_id: str) -> str:
    """An HTML list of ``rows`` (from ``timeline_events``): date, title, source."""
    label = phase_label(phase_id)
    items = "".join(
        f'<li data-event="{html.escape(r.event_id)}"><b>{html.escape(r.when)}</b>: '
        f"{html.escape(r.title)}. {html.escape(r.description)} "
        f"<small>[{html.escape(r.event_id)}; {html.escape(r.source)}]</small></li>"
        for r in rows.itertuples())
    return (f"<p><b>{html.escape(label)}</b>: {len(rows)} events.</p>"
            f"<ol>{items}</ol>")


def phase_chart(timeline: pd.DataFrame, terms: pd.DataFrame, phase_id: str):
    """The timeline restricted to one phase's events (or all of them)."""
    rows = events_in_phase(timeline, phase_id)
    title = ("The Sino-Soviet alliance: all phases" if phase_id == ALL
             else f"The Sino-Soviet alliance: {phase_label(phase_id)}")
    return timeline_chart(rows, terms, title=title)


class PhaseExplorer:
    """Phase Dropdown + timeline (ChartView) + the phase's events as HTML."""

    def __init__(self, timeline: pd.DataFrame, terms: pd.DataFrame, phase_id: str = ALL):
        """``timeline`` from :func:`alliances.queries.phases.timeline_events`,
        ``terms`` from :func:`alliances.queries.treaties.treaty_terms`."""
        self.timeline = timeline
        self.terms = terms
        options = [(phase_label(ALL), ALL)] + [(p.label, p.phase_id) for p in PHASES]
        self.dropdown = widgets.Dropdown(options=options, value=phase_id, description="Phase:",
                                         style={"description_width": "initial"})
        self.view = ChartView(phase_chart(timeline, terms, phase_id))
        self.events = widgets.HTML(value=events_html(events_in_phase(timeline, phase_id), phase_id),
                                   description="Events:")
        self.dropdown.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self.dropdown, self.view.widget, self.events])

    def _on_change(self, change) -> None:
        self.show(change["new"])

    def show(self, phase_id: str) -> pd.DataFrame:
        """Redraw for ``phase_id``; return the events now listed."""
        rows = events_in_phase(self.timeline, phase_id)
        self.view.update(phase_chart(self.timeline, self.terms, phase_id))
        self.events.value = events_html(rows, phase_id)
        return rows


def phase_explorer(timeline: pd.DataFrame, terms: pd.DataFrame) -> widgets.VBox:
    """Build the explorer and return its widget (for display in a notebook)."""
    return PhaseExplorer(timeline, terms).widget
