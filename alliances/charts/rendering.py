"""How charts are rendered: decided here, once, for every chapter.

Two contexts need two renderers (see ``../shared/STACK.md`` and the README):

* ``book`` (the default; notebook execution for the HTML book and nbval):
  Altair's HTML renderer. The built book serves vega, vega-lite and
  vega-embed locally (``alliances.sphinxext``), so charts work offline and
  params bound to inputs stay interactive without a kernel.
* ``live`` (``make live`` sets ``ALLIANCES_RENDER=live``): Altair's
  JupyterChart widget in offline mode, which JupyterLab draws with no network
  and widget callbacks can redraw in place; as :mod:`.live_chart` makes it, the
  JavaScript it draws with is sent to the browser once per kernel, not once
  per chart.

Chapters never call ``alt.renderers`` themselves: they call
:func:`setup_notebook` once (``alliances.setup_notebook()``); a widget that
redraws a chart does so through :class:`alliances.widgets.chart_view.ChartView`.
"""
from __future__ import annotations

import os

import altair as alt
import pandas as pd

from .live_chart import Store, keep_bundle_with, live_renderer, show_live

RENDER_ENV = "ALLIANCES_RENDER"
MODES = ("book", "live")
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}
LIVE_RENDERER = "alliances_live"


def render_mode() -> str:
    """Return ``book`` or ``live`` from the ``ALLIANCES_RENDER`` variable."""
    mode = os.environ.get(RENDER_ENV, "book") or "book"
    if mode not in MODES:
        raise ValueError(f"{RENDER_ENV} must be one of {MODES}, not {mode!r}")
    return mode


def validate_when_shown() -> None:
    """Let Altair check each chart against the Vega-Lite schema once, when it
    is shown or written (``to_dict``), not also every part as it is made.

    Altair's debug mode (on by default) validates every encoding, scale and
    axis at construction, for more precise tracebacks while a chart is being
    written; for the book's finished charts that was 10-15 % of a chapter's
    run (measured). An invalid chart still fails, at ``to_dict``.
    """
    from altair.utils import schemapi
    schemapi.disable_debug_mode()


def _ipython():
    """The running IPython shell, or None outside one."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def setup_notebook(store: Store | None = None) -> None:
    """Configure Altair and pandas for the current context (see
    :func:`render_mode`); live, the charts' Vega bundle is kept by ``store``
    (see :func:`.live_chart.keep_bundle_with`). Returns nothing, so a
    notebook's first cell shows no output."""
    mode = render_mode()
    validate_when_shown()
    if mode == "live":
        keep_bundle_with(store)
        alt.renderers.register(LIVE_RENDERER, live_renderer)
        alt.renderers.enable(LIVE_RENDERER)
        shell = _ipython()
        if shell is not None:  # IPython shows every chart through show_live, first
            shell.display_formatter.mimebundle_formatter.for_type(alt.TopLevelMixin, show_live)
    else:
        alt.renderers.enable("default", embed_options=EMBED_OPTIONS)
    alt.data_transformers.disable_max_rows()
    pd.set_option("display.max_colwidth", 120)
