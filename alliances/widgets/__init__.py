"""Live ipywidgets for JupyterLab, over the charts and the models; every
callback is a plain, testable method, and a chart is redrawn in place through
:class:`alliances.widgets.chart_view.ChartView`."""
