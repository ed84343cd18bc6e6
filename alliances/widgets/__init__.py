"""Live ipywidgets for the chapters: plain, unit-testable callbacks that redraw through
:class:`alliances.rendering.ChartView`."""
