"""Exercise notebooks (instructor sources) run live in JupyterLab.

Same harness as ``test_live_chapters.py`` (see ``livelab.py``); a file of its
own so that pytest-xdist runs it on the other worker, with its own server.
"""
from __future__ import annotations

import pytest

from livelab import EXERCISES, check_notebook_runs, lab, lab_browser, lab_tab  # noqa: F401


@pytest.mark.parametrize("notebook", EXERCISES)
def test_exercise_runs_live_with_charts(lab_tab, notebook):
    check_notebook_runs(lab_tab, notebook)
