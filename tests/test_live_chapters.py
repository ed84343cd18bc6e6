"""Chapter notebooks run live in JupyterLab; the explorers respond.

Starts JupyterLab the way ``make live`` does (project environment, loopback
only, a token, ``ALLIANCES_RENDER=live``) on a free port, on a copy of the
book, and drives it with Debian's chromium (see ``livelab.py``).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import redraws
from livelab import (CHAPTERS, cell_errors, check_notebook_runs, lab,  # noqa: F401 (fixtures)
                     lab_browser, lab_tab, open_and_run)

EXPLORERS = "book/triangles.ipynb"


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_chapter_runs_live_with_charts(lab_tab, notebook):
    check_notebook_runs(lab_tab, notebook)


def test_explorer_and_history_player_respond_live(lab_tab):
    """On the triangles chapter as the test above left it (or run now, if alone)."""
    from alliances.model import triangle as tri
    page = lab_tab.page if lab_tab.ran == EXPLORERS else open_and_run(lab_tab, EXPLORERS)[0]
    assert not cell_errors(page), cell_errors(page)
    side = page.locator("[class*='widget-toggle-buttons']", has_text="Side A–B").first
    side.scroll_into_view_if_needed()
    explorer = side.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    svg = explorer.locator(".vega-embed svg").first
    before_svg = svg.inner_html()
    target = "amity" if "mod-active" not in side.locator("button", has_text="amity").get_attribute("class") else "enmity"
    side.locator("button", has_text=target).click()
    want = tri.pattern(tri.Triangle("PRC", "USSR", "DPRK", target, "amity", "amity")).value
    expect(explorer).to_contain_text(want)
    assert redraws(page, svg, before_svg), "the explorer's diagram did not change"

    slider = page.locator("[class*='widget-hslider'], [class*='widget-slider']", has_text="Period").first
    slider.scroll_into_view_if_needed()
    player = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    before = player.inner_text()
    handle = slider.locator(".noUi-handle, [role='slider']").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    expect(player).not_to_have_text(before)
