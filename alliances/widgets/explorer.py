"""Live triangle explorer and history player (ipywidgets).

Both widgets keep their state in plain attributes and redraw one
:class:`alliances.rendering.ChartView` in place. Their callbacks are ordinary
methods (:meth:`TriangleExplorer.set_side`, :meth:`HistoryPlayer.set_step`,
...) that tests can call with no browser; each widget event only forwards
to them. In the static book the widgets show their saved state; the
kernel-free versions are :func:`alliances.explorer.explorer_chart` and
:func:`alliances.explorer.history_chart`.
"""
from __future__ import annotations

import html
from functools import lru_cache

import ipywidgets as widgets

from .. import history
from .. import triangle as tri
from .. import vu
from ..charts.triangle import short_name, sides_diagram, triangle_diagram
from ..explorer import PRESET_BY_KEY, PRESETS, SIDE_NAMES, TRIANGLE_ORDER
from ..rendering import ChartView


@lru_cache(maxsize=256)
def explorer_diagram(t: tri.Triangle):
    """The diagram of ``t`` with corner letters, built once per state (the
    chart is immutable here; caching keeps a toggle well under 100 ms)."""
    return triangle_diagram(t, corner_names=True)


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{html.escape(t)}</p>" for t in texts)


class TriangleExplorer:
    """Toggle each side, pick a preset and a D threat; see what the model says.

    ``explorer.widget`` is the box to display. State: ``preset``, ``sides``
    (``ab``/``ac``/``bc``), ``d_threat``; derived: :attr:`triangle`,
    :attr:`state_text`, :attr:`predictions_text`, :attr:`chart`.
    """

    def __init__(self, preset: str = "PRC/USSR/DPRK", ab: str = "enmity", ac: str = "amity",
                 bc: str = "amity", d_threat: str = "constant"):
        self.preset = preset
        self.sides = {"ab": ab, "ac": ac, "bc": bc}
        self.d_threat = d_threat
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
        p = PRESET_BY_KEY[self.preset]
        return tri.Triangle(p.a, p.b, p.c, **self.sides)

    @property
    def state_text(self) -> str:
        """The model's description (:meth:`alliances.triangle.Reading.describe`)."""
        return tri.read(self.triangle).describe()

    @property
    def predictions_text(self) -> str:
        """Vu's reading (:func:`alliances.vu.explain`) at the current D threat."""
        return vu.explain(self.triangle, self.d_threat)

    def unchanged_by_threat(self) -> bool:
        """True when every prediction except rule R8 (the D threat itself) is
        the same as with D constant - it always is (Vu holds D constant)."""
        def others(d):
            return [p for p in vu.predict(self.triangle, d) if p.rule != "R8"]
        return others(self.d_threat) == others("constant")

    # ---- callbacks (plain methods) -----------------------------------------
    def set_side(self, side: str, value: str) -> None:
        """Set side ``ab``, ``ac`` or ``bc`` to ``amity`` or ``enmity`` and redraw."""
        if side not in self.sides:
            raise KeyError(f"side must be one of {tuple(self.sides)}, not {side!r}")
        tri._check_relation(value)
        if self.sides[side] == value:
            return
        self.sides[side] = value
        if self.side_buttons[side].value != value:
            self.side_buttons[side].value = value  # fires the observer, which returns at once
        self.refresh()

    def set_preset(self, key: str) -> None:
        """Choose which actors stand at corners A, B and C and redraw."""
        if key not in PRESET_BY_KEY:
            raise KeyError(f"unknown preset {key!r}")
        if key == self.preset:
            return
        self.preset = key
        if self.preset_dropdown.value != key:
            self.preset_dropdown.value = key
        self.prewarm()
        self.refresh()

    def set_threat(self, level: str) -> None:
        """Set the D threat (``falling``/``constant``/``rising``); only the text changes."""
        if level not in vu.D_THREAT_LEVELS:
            raise ValueError(f"d_threat must be one of {vu.D_THREAT_LEVELS}, not {level!r}")
        if level == self.d_threat:
            return
        self.d_threat = level
        if self.threat_slider.value != level:
            self.threat_slider.value = level
        self._refresh_text()

    def refresh(self) -> None:
        self.chart = self._make_chart()
        self.view.update(self.chart)
        self._refresh_text()

    def prewarm(self) -> None:
        """Build the eight diagrams of the current preset ahead of the clicks."""
        p = PRESET_BY_KEY[self.preset]
        for ab, ac, bc in tri.all_sign_patterns():
            explorer_diagram(tri.Triangle(p.a, p.b, p.c, ab, ac, bc))

    # ---- drawing -----------------------------------------------------------
    def _make_chart(self):
        return explorer_diagram(self.triangle)

    def _refresh_text(self) -> None:
        same = ("With the threat D " + self.d_threat + ", every prediction other than the "
                "statement about D itself is the same as with D constant."
                if self.unchanged_by_threat() else "The D threat changed a prediction.")
        self.text.value = (f"<div style='max-width:520px'><b>The model's reading</b>"
                           f"{_paragraphs(self.state_text)}<b>Vu's theory</b>"
                           f"{_paragraphs(self.predictions_text, same)}</div>")


class HistoryPlayer:
    """Step through the periods of a triangle: diagram, reading and events."""

    def __init__(self, triangle_id: str = "KOR", step: int = 1):
        self.triangle_id = triangle_id
        self.step = step
        self.triangle_dropdown = widgets.Dropdown(
            options=[(history.TRIANGLE_NAMES[t], t) for t in TRIANGLE_ORDER], value=triangle_id,
            description="Triangle:", style={"description_width": "initial"})
        n = len(self.periods)
        self.slider = widgets.IntSlider(value=step, min=1, max=n, description="Period:",
                                        continuous_update=False)
        self.play = widgets.Play(value=step, min=1, max=n, interval=1500, description="Play the periods")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.text = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.chart = self._make_chart()
        self.view = ChartView(self.chart)
        self._refresh_text()
        self.triangle_dropdown.observe(lambda ch: self.set_triangle(ch["new"]), names="value")
        self.slider.observe(lambda ch: self.set_step(ch["new"]), names="value")
        self.widget = widgets.VBox([self.triangle_dropdown, widgets.HBox([self.play, self.slider]),
                                    widgets.HBox([self.view.widget, self.text])])

    @property
    def periods(self):
        return history.periods(self.triangle_id)

    @property
    def period(self):
        """The period row shown."""
        return self.periods.iloc[self.step - 1]

    @property
    def reading(self) -> dict:
        return history.period_reading(self.period)

    @property
    def events(self):
        return history.period_events(self.period)

    @property
    def state_text(self) -> str:
        """The model's description of the period (or why it gives none)."""
        return self.reading["description"]

    def set_triangle(self, triangle_id: str) -> None:
        """Show another triangle, from its first period."""
        if triangle_id not in history.TRIANGLE_NAMES:
            raise KeyError(f"unknown triangle {triangle_id!r}")
        if triangle_id == self.triangle_id:
            return
        self.triangle_id = triangle_id
        self.step = 1
        n = len(self.periods)
        self.slider.value, self.play.value = 1, 1
        self.slider.max = self.play.max = n
        if self.triangle_dropdown.value != triangle_id:
            self.triangle_dropdown.value = triangle_id
        self.refresh()

    def set_step(self, step: int) -> None:
        """Show the ``step``-th period (1-based) of the current triangle."""
        if not 1 <= step <= len(self.periods):
            raise ValueError(f"step must be between 1 and {len(self.periods)}, not {step}")
        if step == self.step:
            return
        self.step = step
        if self.slider.value != step:
            self.slider.value = step
        self.refresh()

    def refresh(self) -> None:
        self.chart = self._make_chart()
        self.view.update(self.chart)
        self._refresh_text()

    def _make_chart(self):
        row = self.period
        return sides_diagram((str(row["a"]), str(row["b"]), str(row["c"])), history.period_sides(row),
                             title=f"{row['period_id']}: {row['label']}")

    def _refresh_text(self) -> None:
        r = self.reading
        vu_line = (f"Vu's type by the model: {r['vu_sum_type'] or 'none'}; the source's own label: "
                   f"{r['source_label'] or 'none'} ({r['agreement']}).")
        items = "".join(
            f"<li>{html.escape(str(e.date))} {html.escape(e.title)} "
            f"<small>[{html.escape(e.id)}; {html.escape(e.source)}]</small></li>"
            for e in self.events.itertuples())
        self.text.value = (f"<div style='max-width:560px'><b>{html.escape(r['period_id'])}: "
                           f"{html.escape(r['label'])}</b>{_paragraphs(r['description'], vu_line)}"
                           f"<b>Events and treaties</b><ul>{items or '<li>none in the data</li>'}</ul></div>")


__all__ = ["TriangleExplorer", "HistoryPlayer", "short_name"]
