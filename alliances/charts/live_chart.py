"""Charts in live JupyterLab: Altair's JupyterChart, with Vega sent to the browser once.

Altair's offline JupyterChart carries the whole of Vega, Vega-Lite and
vega-embed (about 900 KB of JavaScript) in every chart's widget model: a
chapter with eight charts sent eight copies over the class hub's websocket,
and the browser parsed and ran each one (see ``../shared/STACK.md``). Here the
bundle travels once per kernel, in one :class:`VegaLibrary` widget that is
never displayed; every :class:`LiveChart` names it (anywidget's widget
composition: a ``WidgetTrait`` and ``host.getWidget``) and draws with
Altair's own drawing code, which the library exports. Everything else about
a chart (its spec, params, selections, redrawing in place) is Altair's
JupyterChart, unchanged.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

import altair as alt
import anywidget
import traitlets

#: The library: imports the bundle from its ``source`` once and exports
#: Altair's ``render`` to the charts that name it.
LIBRARY_ESM = """
export default {
  async initialize({ model }) {
    const url = URL.createObjectURL(new Blob([model.get("source")], { type: "text/javascript" }));
    try {
      return (await import(url)).default;
    } finally {
      URL.revokeObjectURL(url);
    }
  },
};
"""

#: A chart: a few lines that draw with the library's ``render``.
CHART_ESM = """
export default {
  async render({ model, el, host }) {
    const library = await host.getWidget(model.get("library"));
    return library.exports.render({ model, el });
  },
};
"""


def vega_bundle() -> str:
    """Altair's offline bundle: its JupyterChart drawing code with Vega,
    Vega-Lite and vega-embed, built by vl-convert (no network)."""
    alt.JupyterChart.enable_offline(offline=True)
    return str(alt.JupyterChart._esm)  # Altair keeps the built bundle on the class


def bundle_version() -> str:
    """What the bundle depends on: a bundle kept from other versions is not used."""
    return f"altair-{alt.__version__}-vl-convert-{version('vl-convert-python')}"


#: Keeps the bundle across kernels: ``store(name, version, build)`` returns the
#: text ``build()`` makes, kept from an earlier kernel where it can. This layer
#: reads no file: the package's ``alliances.setup_notebook()`` passes the data
#: layer's :func:`alliances.data.cache.kept_text` (see :func:`keep_bundle_with`).
Store = Callable[[str, str, Callable[[], str]], str]
_store: Store | None = None


def keep_bundle_with(store: Store | None) -> None:
    """Let the kernel's library take its bundle from ``store`` (None: build it here)."""
    global _store
    _store = store


def bundle() -> str:
    """The bundle: from the store when one is set, else built."""
    return _store("vega-bundle.js", bundle_version(), vega_bundle) if _store else vega_bundle()


class VegaLibrary(anywidget.AnyWidget):
    """The bundle, once per kernel (see :func:`library`); never displayed."""

    _esm = LIBRARY_ESM
    source = traitlets.Unicode().tag(sync=True)


_library: VegaLibrary | None = None


def library() -> VegaLibrary:
    """The kernel's one :class:`VegaLibrary`: made on first use (building the
    bundle takes vl-convert ~2 s; a kept one is read in milliseconds), and again
    only if it was closed (``Widget.close_all()`` in a cell)."""
    global _library
    if _library is None or _library.comm is None:
        _library = VegaLibrary(source=bundle())
    return _library


class LiveChart(alt.JupyterChart):
    """Altair's JupyterChart without its own copy of the bundle: it draws with
    the kernel's :func:`library`."""

    _esm = CHART_ESM
    library = anywidget.WidgetTrait().tag(sync=True)

    def __init__(self, chart=None, **kwargs):
        super().__init__(chart=chart, library=library(), **kwargs)


def live_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer for live JupyterLab: a :class:`LiveChart` of ``spec``
    (as Altair's own ``jupyter`` renderer makes a JupyterChart). Used only
    where IPython's display is not (see :func:`show_live`)."""
    return LiveChart(alt.Chart.from_dict(spec),
                     embed_options=metadata.get("embed_options"))._repr_mimebundle_()


def show_live(chart: alt.TopLevelMixin) -> dict:
    """IPython's display of a chart, live: a :class:`LiveChart` of the chart
    itself. Through Altair's renderer the chart would be turned into a dict
    and back (``Chart.from_dict``), and checked against the Vega-Lite schema
    three times instead of once: that was a third of a live chapter's run
    (measured with py-spy on the Sino-Soviet chapter)."""
    return LiveChart(chart)._repr_mimebundle_()
