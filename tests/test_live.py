"""Chapter and exercise notebooks run live in JupyterLab, every chart drawn.

Starts JupyterLab the way ``make live`` does (project environment, loopback
only, a token, ``ALLIANCES_RENDER=live``) on a free port, on a copy of the
book, and drives it with Debian's chromium (see ``livelab.py``): one server and
one tab for every notebook, as a student keeps one tab open. The triangles
chapter, whose explorer and history player must respond, runs live in
``test_hub.py``, through a real JupyterHub, as a class opens it.
"""
from __future__ import annotations

import pytest

from livelab import (CHAPTERS, EXERCISES, HUB_CHAPTER, check_notebook_runs, lab,  # noqa: F401
                     lab_browser, lab_tab)


@pytest.mark.parametrize("notebook", [n for n in CHAPTERS if n != HUB_CHAPTER])
def test_chapter_runs_live_with_charts(lab_tab, notebook):
    check_notebook_runs(lab_tab, notebook)


@pytest.mark.parametrize("notebook", EXERCISES)
def test_exercise_runs_live_with_charts(lab_tab, notebook):
    """The instructor's sources of the exercises, with their in-class checks."""
    check_notebook_runs(lab_tab, notebook)
