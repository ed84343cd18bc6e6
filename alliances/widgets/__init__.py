"""Live ipywidgets for JupyterLab; every callback is a plain, testable method."""
