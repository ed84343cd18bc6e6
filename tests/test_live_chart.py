"""Live charts carry Vega once per kernel, not once per chart (``alliances/charts/live_chart.py``).

Kernel-side checks, no browser: what each widget model would send to
JupyterLab. That the charts are drawn from it is checked live, in
``test_live.py`` and ``test_hub.py``.
"""
from __future__ import annotations

import json
import types

import altair as alt
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from alliances.charts import live_chart, rendering
from alliances.charts.live_chart import LiveChart, library, show_live, vega_bundle

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def small_chart() -> alt.Chart:
    frame = pd.DataFrame({"year": [1950, 1960], "value": [1, 2]})
    return alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q")


def wire_bytes(widget) -> int:
    """The size of the state a widget model sends to the browser."""
    return len(json.dumps(widget.get_state()))


def test_every_chart_names_the_one_library_and_carries_no_bundle():
    first, second = LiveChart(small_chart()), LiveChart(small_chart() + small_chart())
    assert first.library is second.library is library()
    for chart in (first, second):
        state = chart.get_state()
        assert state["library"] == f"anywidget:{library().model_id}"
        assert len(state["_esm"]) < 1_000, "a chart carries its own JavaScript bundle"
        assert wire_bytes(chart) < 20_000
    assert first.spec["mark"]["type"] == "line" and "layer" in second.spec


def test_a_closed_library_is_replaced():
    """After ``Widget.close_all()`` new charts must not name a closed model."""
    old = library()
    old.close()
    chart = LiveChart(small_chart())
    assert chart.library is library() is not old
    assert chart.library.comm is not None


def test_the_library_holds_altairs_offline_bundle_and_altairs_chart_does_not_shrink():
    """The bundle is Altair's own (one source), large enough that sending it
    per chart mattered: Altair's JupyterChart, offline, still carries it."""
    assert library().source == vega_bundle()
    assert len(library().source) > 500_000
    assert wire_bytes(alt.JupyterChart(small_chart())) > 500_000


@pytest.fixture
def live_setup(monkeypatch):
    """setup_notebook() in live mode with a display formatter of its own (no
    global IPython shell in the test process); the renderer restored after."""
    formatter = DisplayFormatter()
    monkeypatch.setenv(rendering.RENDER_ENV, "live")
    monkeypatch.setattr(rendering, "_ipython", lambda: types.SimpleNamespace(display_formatter=formatter))
    before = alt.renderers.active
    rendering.setup_notebook()
    try:
        yield formatter
    finally:
        alt.renderers.enable(before, **({"embed_options": rendering.EMBED_OPTIONS} if before == "default" else {}))


def test_live_display_shows_the_chart_itself_without_a_round_trip(live_setup, monkeypatch):
    """IPython shows a chart as a LiveChart of the chart object: never turned
    into a dict and back (Chart.from_dict checked the schema twice more)."""
    made = []
    monkeypatch.setattr(live_chart.LiveChart, "__init__", _recording(made))
    monkeypatch.setattr(alt.Chart, "from_dict", _refused)
    chart = small_chart()
    data, _ = live_setup.format(chart)
    assert WIDGET_VIEW in data
    assert made == [chart]


def test_the_renderer_alone_still_makes_live_charts(live_setup, monkeypatch):
    """Outside IPython's display (Altair's renderer called directly), a layered
    chart still becomes a LiveChart, of a layered chart."""
    made = []
    monkeypatch.setattr(live_chart.LiveChart, "__init__", _recording(made))
    assert alt.renderers.active == rendering.LIVE_RENDERER
    data, _ = alt.renderers.get()((small_chart() + small_chart()).to_dict())
    assert WIDGET_VIEW in data
    assert [type(chart) for chart in made] == [alt.LayerChart]
    assert show_live(small_chart())[0].keys() == data.keys()


def _recording(made):
    original = live_chart.LiveChart.__init__

    def init(self, chart=None, **kwargs):
        made.append(chart)
        original(self, chart, **kwargs)
    return init


def _refused(*args, **kwargs):
    raise AssertionError("called, though the test forbids it")


def test_the_public_setup_keeps_the_bundle_for_the_next_kernel(monkeypatch, tmp_path):
    """``alliances.setup_notebook()`` (what every chapter's first cell calls)
    lets the library take the bundle from the data layer's cache: the first
    kernel on a machine builds it, the next ones read it."""
    import alliances
    monkeypatch.setenv("ALLIANCES_CACHE", str(tmp_path))
    monkeypatch.setenv(rendering.RENDER_ENV, "live")
    monkeypatch.setattr(rendering, "_ipython", lambda: None)
    before = alt.renderers.active
    try:
        alliances.setup_notebook()
        library().close()
        built = library().source
        assert [p.name for p in tmp_path.iterdir()] == [f"{live_chart.bundle_version()}-vega-bundle.js"]
        assert built == vega_bundle()
        monkeypatch.setattr(live_chart, "vega_bundle", _refused)  # the next kernel must not build
        library().close()
        assert library().source == built
    finally:
        live_chart.keep_bundle_with(None)
        alt.renderers.enable(before, **({"embed_options": rendering.EMBED_OPTIONS} if before == "default" else {}))
