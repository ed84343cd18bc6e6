"""One chart slot that a widget callback can redraw in place, in either render mode."""
from __future__ import annotations

import altair as alt
import ipywidgets as widgets

from ..charts.live_chart import LiveChart
from ..charts.rendering import render_mode


class ChartView:
    """One chart slot that a widget callback can redraw in place.

    Live, it wraps a single :class:`~alliances.charts.live_chart.LiveChart`
    (Altair's JupyterChart) whose ``chart`` is swapped (about 60 ms a redraw,
    no widget models leaked). In the book context it is
    an Output widget refilled from the kernel side, which strict nbval can
    compare and the static book can show.
    """

    def __init__(self, chart: alt.TopLevelMixin):
        self.mode = render_mode()
        if self.mode == "live":
            self.widget = LiveChart(chart)
        else:
            self.widget = widgets.Output()
            self.update(chart)

    def update(self, chart: alt.TopLevelMixin) -> None:
        """Replace the chart shown."""
        if self.mode == "live":
            self.widget.chart = chart
        else:
            self.widget.outputs = ()
            self.widget.append_display_data(chart)
