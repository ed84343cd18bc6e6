"""Chapter notebooks run live in JupyterLab; the explorers respond.

Starts JupyterLab the way ``make live`` does (project environment, loopback
only, a token, ``ALLIANCES_RENDER=live``) on a free port, on a copy of the
book, and drives it with Debian's chromium (see ``livelab.py``).
"""
from __future__ import annotations

import pytest

from livelab import (CHAPTERS, cell_errors, check_notebook_runs, lab,  # noqa: F401 (fixtures)
                     lab_browser, open_and_run)


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_chapter_runs_live_with_charts(lab, lab_browser, notebook):
    check_notebook_runs(lab, lab_browser, notebook)


def test_explorer_and_history_player_respond_live(lab, lab_browser):
    from alliances import triangle as tri
    page, _, _ = open_and_run(lab_browser, lab, "book/triangles.ipynb")
    try:
        assert not cell_errors(page), cell_errors(page)
        side = page.locator("[class*='widget-toggle-buttons']", has_text="Side A–B").first
        side.scroll_into_view_if_needed()
        explorer = side.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        before_svg = explorer.locator(".vega-embed svg").first.inner_html()
        target = "amity" if "mod-active" not in side.locator("button", has_text="amity").get_attribute("class") else "enmity"
        side.locator("button", has_text=target).click()
        page.wait_for_timeout(1500)
        want = tri.pattern(tri.Triangle("PRC", "USSR", "DPRK", target, "amity", "amity")).value
        assert want in explorer.inner_text()
        assert explorer.locator(".vega-embed svg").first.inner_html() != before_svg

        slider = page.locator("[class*='widget-hslider'], [class*='widget-slider']", has_text="Period").first
        slider.scroll_into_view_if_needed()
        player = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        before = player.inner_text()
        handle = slider.locator(".noUi-handle, [role='slider']").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
        assert player.inner_text() != before
    finally:
        page.close()
