"""Live triangle explorer and history player (ipywidgets).

Both widgets keep their state in plain attributes and redraw one
:class:`alliances.widgets.chart_view.ChartView` in place. Their callbacks are
ordinary methods (:meth:`TriangleExplorer.set_side`, :meth:`HistoryPlayer.set_step`,
...) that tests can call with no browser; each widget event only forwards
to them. In the static book the widgets show their saved state; the
kernel-free versions are :func:`alliances.charts.triangle_explorer.explorer_chart`
and :func:`alliances.charts.triangle_explorer.history_chart`.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..charts.triangle import Names, sides_diagram, triangle_diagram
from ..charts.triangle_explorer import period_label
from ..data.vocabulary import PERIOD_TRIANGLES, TRIANGLE_NAMES
from ..model import triangle as tri
from ..model import vu
from ..model.presets import DEFAULT, PRESETS, preset as find_preset
from ..model.triangle import SIDE_NAMES
from ..queries import history
from .chart_view import ChartView


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{html.escape(t)}</p>" for t in texts)


def _show(control, value) -> None:
    """Make ``control`` show ``value`` (its observer then finds nothing to do)."""
    if control.value != value:
        control.value = value


class _Figure:
    """A widget that redraws one chart and one text panel from its state."""

    def _change(self, name: str, value, control, redraw) -> None:
        """Set the state ``name`` to ``value`` (already checked), show it on
        ``control`` and call ``redraw``; nothing when it holds ``value`` already."""
        if getattr(self, name) == value:
            return
        setattr(self, name, value)
        _show(control, value)
        redraw()

    def refresh(self) -> None:
        """Redraw the chart and the text for the current state."""
        self.chart = self._make_chart()
        self.view.update(self.chart)
        self._refresh_text()


class TriangleExplorer(_Figure):
    """Toggle each side, pick a preset and a D threat; see what the model says.

    ``explorer.widget`` is the box to display. State: ``preset``, ``sides``
    (``ab``/``ac``/``bc``), ``d_threat``; derived: :attr:`triangle`,
    :attr:`state_text`, :attr:`predictions_text`, :attr:`chart`. ``names``
    labels the actors (``load_actor_names()``).
    """

    def __init__(self, names: Names | None = None, preset: str = DEFAULT[0], ab: str = DEFAULT[1],
                 ac: str = DEFAULT[2], bc: str = DEFAULT[3], d_threat: str = "constant"):
        self.names = names
        self.preset = preset
        self.sides = {"ab": ab, "ac": ac, "bc": bc}
        self.d_threat = d_threat
        self._diagrams: dict[tri.Triangle, object] = {}
        self.preset_dropdown = widgets.Dropdown(
            options=[(p.label, p.key) for p in PRESETS], value=preset, description="Preset:",
            style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
        self.side_buttons = {
            side: widgets.ToggleButtons(
                options=list(tri.RELATIONS), value=self.sides[side],
                description=f"Side {name}:", tooltips=["friendly relations", "hostile relations"],
                style={"description_width": "initial", "button_width": "80px"})
            for side, name in SIDE_NAMES.items()}
        self.threat_slider = widgets.SelectionSlider(
            options=list(vu.D_THREAT_LEVELS), value=d_threat, description="Threat D:",
            continuous_update=False, style={"description_width": "initial"})
        self.text = widgets.HTML(description="", layout=widgets.Layout(width="100%"))
        self.chart = self._make_chart()
        self.view = ChartView(self.chart)
        self._refresh_text()
        self.prewarm()
        self.preset_dropdown.observe(lambda ch: self.set_preset(ch["new"]), names="value")
        for side, button in self.side_buttons.items():
            button.observe(lambda ch, side=side: self.set_side(side, ch["new"]), names="value")
        self.threat_slider.observe(lambda ch: self.set_threat(ch["new"]), names="value")
        self.widget = widgets.VBox([
            self.preset_dropdown, *self.side_buttons.values(), self.threat_slider,
            widgets.HBox([self.view.widget, self.text])])

    # ---- derived state -------------------------------------------------
    @property
    def triangle(self) -> tri.Triangle:
        return find_preset(self.preset).triangle(**self.sides)

    @property
    def state_text(self) -> str:
        """The model's description (:meth:`alliances.triangle.Reading.describe`)."""
        return tri.read(self.triangle).describe()

    @property
    def predictions_text(self) -> str:
        """Vu's reading (:func:`alliances.model.vu.explain`) at the current D threat."""
        return vu.explain(self.triangle, self.d_threat)

    # ---- callbacks (plain methods) -----------------------------------------
    def set_side(self, side: str, value: str) -> None:
        """Set side ``ab``, ``ac`` or ``bc`` to ``amity`` or ``enmity`` and redraw."""
        if side not in self.sides:
            raise KeyError(f"side must be one of {tuple(self.sides)}, not {side!r}")
        tri.check_relation(value)
        if self.sides[side] == value:
            return
        self.sides[side] = value
        _show(self.side_buttons[side], value)
        self.refresh()

    def set_preset(self, key: str) -> None:
        """Choose which actors stand at corners A, B and C and redraw."""
        find_preset(key)  # refuses an unknown key
        self._change("preset", key, self.preset_dropdown, self._redraw_preset)

    def _redraw_preset(self) -> None:
        self.prewarm()
        self.refresh()

    def set_threat(self, level: str) -> None:
        """Set the D threat (``falling``/``constant``/``rising``); only the text changes."""
        if level not in vu.D_THREAT_LEVELS:
            raise ValueError(f"d_threat must be one of {vu.D_THREAT_LEVELS}, not {level!r}")
        self._change("d_threat", level, self.threat_slider, self._refresh_text)

    def prewarm(self) -> None:
        """Build the eight diagrams of the current preset ahead of the clicks."""
        p = find_preset(self.preset)
        for ab, ac, bc in tri.all_sign_patterns():
            self._diagram(p.triangle(ab, ac, bc))

    # ---- drawing -----------------------------------------------------------
    def _diagram(self, t: tri.Triangle):
        """The diagram of ``t`` with corner letters, built once per state (the
        chart is immutable here, so a toggle only swaps it in)."""
        if t not in self._diagrams:
            self._diagrams[t] = triangle_diagram(t, names=self.names, corner_names=True)
        return self._diagrams[t]

    def _make_chart(self):
        return self._diagram(self.triangle)

    def _refresh_text(self) -> None:
        self.text.value = (f"<div style='max-width:520px'><b>The model's reading</b>"
                           f"{_paragraphs(self.state_text)}<b>Vu's theory</b>"
                           f"{_paragraphs(self.predictions_text)}</div>")


class HistoryPlayer(_Figure):
    """Step through the periods of a triangle: diagram, reading and events.

    ``all_periods`` from :func:`alliances.queries.history.periods`, ``events``
    and ``treaties`` from the loaders, ``names`` (actor labels) from
    ``load_actor_names()``.
    """

    def __init__(self, all_periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame,
                 names: Names | None = None, triangle_id: str = "KOR", step: int = 1):
        self.all_periods = all_periods
        self.events_table = events
        self.treaties = treaties
        self.names = names
        self.triangle_id = triangle_id
        self.step = step
        self.triangle_dropdown = widgets.Dropdown(
            options=[(TRIANGLE_NAMES[t], t) for t in PERIOD_TRIANGLES], value=triangle_id,
            description="Triangle:", style={"description_width": "initial"})
        n = len(self.periods)
        # no bare-number readout: the label beside the slider names the period by its years
        self.slider = widgets.IntSlider(value=step, min=1, max=n, description="Period:",
                                        continuous_update=False, readout=False)
        self.period_label = widgets.Label()
        self.play = widgets.Play(value=step, min=1, max=n, interval=1500, description="Play the periods")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.text = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.chart = self._make_chart()
        self.view = ChartView(self.chart)
        self._refresh_text()
        self.triangle_dropdown.observe(lambda ch: self.set_triangle(ch["new"]), names="value")
        self.slider.observe(lambda ch: self.set_step(ch["new"]), names="value")
        self.widget = widgets.VBox([self.triangle_dropdown, widgets.HBox([self.play, self.slider, self.period_label]),
                                    widgets.HBox([self.view.widget, self.text])])

    @property
    def periods(self) -> pd.DataFrame:
        """The periods of the triangle shown."""
        return self.all_periods[self.all_periods["triangle_id"] == self.triangle_id].reset_index(drop=True)

    @property
    def period(self):
        """The period row shown."""
        return self.periods.iloc[self.step - 1]

    @property
    def reading(self) -> history.PeriodReading:
        return history.period_reading(self.period)

    @property
    def events(self) -> pd.DataFrame:
        """The events and treaty signings of the period shown."""
        return history.period_events(self.period, self.events_table, self.treaties)

    @property
    def state_text(self) -> str:
        """The model's description of the period (or why it gives none)."""
        return self.reading.description

    def set_triangle(self, triangle_id: str) -> None:
        """Show another triangle, from its first period."""
        if triangle_id not in PERIOD_TRIANGLES:
            raise KeyError(f"unknown triangle {triangle_id!r}; choose one of {PERIOD_TRIANGLES}")
        if triangle_id == self.triangle_id:
            return
        self.triangle_id = triangle_id
        self.step = 1
        n = len(self.periods)
        self.slider.value, self.play.value = 1, 1
        self.slider.max = self.play.max = n
        _show(self.triangle_dropdown, triangle_id)
        self.refresh()

    def set_step(self, step: int) -> None:
        """Show the ``step``-th period (1-based) of the current triangle."""
        if not 1 <= step <= len(self.periods):
            raise ValueError(f"step must be between 1 and {len(self.periods)}, not {step}")
        self._change("step", step, self.slider, self.refresh)

    def _make_chart(self):
        r = self.reading
        return sides_diagram(r.actors, r.sides, title=f"{r.period_id}: {r.label}", names=self.names)

    @property
    def period_text(self) -> str:
        """The period shown, as the label beside the slider names it (the
        static player's menu names it the same way)."""
        p = self.period
        return period_label(self.triangle_id, p["label"], self.step, len(self.periods))

    def _refresh_text(self) -> None:
        r = self.reading
        self.period_label.value = self.period_text
        vu_type = r.vu_type.value if r.vu_type else "none"
        vu_line = (f"Vu's type by the model: {vu_type}; the source's own label: "
                   f"{r.source_label or 'none'} ({r.agreement}).")
        items = "".join(
            f"<li>{html.escape(str(e.date))} {html.escape(e.title)} "
            f"<small>[{html.escape(e.id)}; {html.escape(e.source)}]</small></li>"
            for e in self.events.itertuples())
        self.text.value = (f"<div style='max-width:560px'><b>{html.escape(r.period_id)}: "
                           f"{html.escape(r.label)}</b>{_paragraphs(r.description, vu_line)}"
                           f"<b>Events and treaties</b><ul>{items or '<li>none in the data</li>'}</ul></div>")


__all__ = ["TriangleExplorer", "HistoryPlayer"]
