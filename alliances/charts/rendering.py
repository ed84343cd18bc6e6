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
:func:`setup_notebook` once (``alliances.setup_notebook()``); a widget that
redraws a chart does so through :class:`alliances.widgets.chart_view.ChartView`.
"""
from __future__ import annotations

import os

import altair as alt
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


def setup_notebook() -> None:
    """Configure Altair and pandas for the current context (see
    :func:`render_mode`). Returns nothing, so a notebook's first cell shows
    no output."""
    mode = render_mode()
    validate_when_shown()
    if mode == "live":
        alt.renderers.enable("jupyter", offline=True)
    else:
        alt.renderers.enable("default", embed_options=EMBED_OPTIONS)
    alt.data_transformers.disable_max_rows()
    pd.set_option("display.max_colwidth", 120)
