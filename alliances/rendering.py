"""How charts are rendered: decided here, once, for every chapter.

Two contexts need two renderers (see ``../shared/STACK.md`` and the README):

* ``book`` (the default; notebook execution for the HTML book and nbval):
  Altair's HTML renderer. The built book serves vega, vega-lite and
  vega-embed locally (``alliances.sphinxext``), so charts work offline and
  params bound to inputs stay interactive without a kernel.
* ``live`` (``make live`` sets ``ALLIANCES_RENDER=live``): Altair's
  ``jupyter`` renderer in offline mode, a JupyterChart widget that JupyterLab
  draws with no network and that widget callbacks can redraw in place.

Chapters never call ``alt.renderers`` themselves: they call
:func:`setup_notebook` once and display charts through :class:`ChartView`
when a widget must redraw them.
"""
from __future__ import annotations

import os

import altair as alt
import ipywidgets as widgets
import pandas as pd

RENDER_ENV = "ALLIANCES_RENDER"
MODES = ("book", "live")
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def render_mode() -> str:
    """Return ``book`` or ``live`` from the ``ALLIANCES_RENDER`` variable."""
    mode = os.environ.get(RENDER_ENV, "book") or "book"
    if mode not in MODES:
        raise ValueError(f"{RENDER_ENV} must be one of {MODES}, not {mode!r}")
    return mode


def setup_notebook() -> None:
    """Configure Altair and pandas for the current context (see
    :func:`render_mode`). Returns nothing, so a notebook's first cell shows
    no output."""
    mode = render_mode()
    if mode == "live":
        alt.renderers.enable("jupyter", offline=True)
    else:
        alt.renderers.enable("default", embed_options=EMBED_OPTIONS)
    alt.data_transformers.disable_max_rows()
    pd.set_option("display.max_colwidth", 120)


class ChartView:
    """One chart slot that a widget callback can redraw in place.

    Live, it wraps a single ``alt.JupyterChart`` whose ``chart`` is swapped
    (about 60 ms a redraw, no widget models leaked). In the book context it is
    an Output widget refilled from the kernel side, which strict nbval can
    compare and the static book can show.
    """

    def __init__(self, chart: alt.TopLevelMixin):
        self.mode = render_mode()
        if self.mode == "live":
            self.widget = alt.JupyterChart(chart)
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
