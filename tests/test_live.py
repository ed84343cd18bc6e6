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

from livelab import CHAPTERS, EXERCISES, check_notebook_runs, lab, lab_browser, lab_tab  # noqa: F401

#: Run live, through a real JupyterHub, by ``test_hub.py`` (with its explorer and history player).
IN_THE_HUB_TEST = "book/triangles.ipynb"


@pytest.mark.parametrize("notebook", [n for n in CHAPTERS if n != IN_THE_HUB_TEST])
def test_chapter_runs_live_with_charts(lab_tab, notebook):
    check_notebook_runs(lab_tab, notebook)


@pytest.mark.parametrize("notebook", EXERCISES)
def test_exercise_runs_live_with_charts(lab_tab, notebook):
    """The instructor's sources of the exercises, with their in-class checks."""
    check_notebook_runs(lab_tab, notebook)


def test_the_hub_test_runs_the_chapter_left_out_here():
    import test_hub
    assert test_hub.CHAPTER == IN_THE_HUB_TEST in CHAPTERS
