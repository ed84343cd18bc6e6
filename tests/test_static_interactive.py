"""Kernel-free interactive figures in the built book, offline in a browser.

The triangle explorer and the history player must show what the model says
for the state a reader picks; every other bound control must redraw its
chart. Also saves screenshots of every page at laptop and phone widths under
``_build/screenshots/`` for review.
"""
from __future__ import annotations

import pytest

from alliances import explorer, history
from alliances import triangle as tri
from alliances import vu
from conftest import BUILD, HTML, built_pages, open_offline

SCREENSHOTS = BUILD / "screenshots"
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}


def svg_texts(page) -> list[str]:
    return page.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)")


def aria_labels(page) -> list[str]:
    return page.eval_on_selector_all("svg [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))")


def wait_for_charts(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"div[id^='altair-viz-']\")].every("
        "e => e.querySelector('svg'))", timeout=20000)


@pytest.fixture
def triangles_page(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "triangles.html")
    wait_for_charts(page)
    yield page
    assert not blocked and not errors, (blocked, errors)
    page.close()


def _expected_lines(preset: str, ab: str, ac: str, bc: str) -> tuple[str, str, list[str]]:
    t = explorer.preset_triangle(preset, ab, ac, bc)
    reading = tri.read(t)
    pattern_line = f"Pattern: {reading.pattern.value} ({tri.PATTERN_AUTHOR[reading.pattern]})"
    role_line = explorer._role_line(t, reading.roles)
    return pattern_line, role_line, [p.text for p in vu.predict(t)]


def test_static_explorer_follows_the_model_for_each_side(triangles_page):
    page = triangles_page
    state = dict(zip(("preset", "ab", "ac", "bc"), explorer.DEFAULT))
    for side in ("ab", "ac", "bc", "ab"):
        state[side] = tri.ENMITY if state[side] == tri.AMITY else tri.AMITY
        page.check(f"input[type='radio'][name='side_{side}'][value='{state[side]}']")
        page.wait_for_timeout(300)
        pattern_line, role_line, predictions = _expected_lines(**state)
        texts = svg_texts(page)
        assert pattern_line in texts, (state, pattern_line)
        assert role_line in texts, (state, role_line)
        labels = aria_labels(page)
        for text in predictions:
            assert text in labels, (state, text)


def test_static_explorer_preset_and_keyboard(triangles_page):
    page = triangles_page
    page.select_option("select[name='preset']", "US/PRC/USSR")
    page.wait_for_timeout(300)
    pattern_line, role_line, _ = _expected_lines("US/PRC/USSR", *explorer.DEFAULT[1:])
    assert role_line in svg_texts(page)
    # Keyboard: focus the A-B radio group and move with an arrow key.
    page.locator("input[type='radio'][name='side_ab']:checked").focus()
    before = page.eval_on_selector("input[name='side_ab']:checked", "e => e.value")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    after = page.eval_on_selector("input[name='side_ab']:checked", "e => e.value")
    assert after != before
    state = dict(zip(("ab", "ac", "bc"), explorer.DEFAULT[1:]), ab=after)
    assert _expected_lines("US/PRC/USSR", **state)[1] in svg_texts(page)


def test_history_player_moves_to_a_later_period(triangles_page):
    page = triangles_page
    periods = history.periods()
    for triangle_id in ("KOR", "VN"):
        rows = periods[periods["triangle_id"] == triangle_id].sort_values("order")
        later = rows.iloc[len(rows) // 2]
        page.select_option("select[name='triangle']", triangle_id)
        page.eval_on_selector(
            "input[type='range'][name='step']",
            "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
            int(later["order"]))
        page.wait_for_timeout(300)
        texts = svg_texts(page)
        assert f"{later['period_id']}: {later['label']}" in texts
        reading = history.period_reading(later)
        if reading["pattern"]:
            assert any(t.startswith(f"Model: {reading['pattern']}") for t in texts), texts


def test_every_bound_control_redraws_its_chart(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    checked = 0
    for path in built_pages():
        if "vega-bindings" not in path.read_text(encoding="utf-8") and \
                "bind" not in path.read_text(encoding="utf-8"):
            continue
        page, blocked, errors = open_offline(browser, path)
        wait_for_charts(page)
        for chart in page.locator("div[id^='altair-viz-']").all():
            for control in chart.locator(".vega-bindings select, .vega-bindings input[type='radio']").all():
                before = chart.locator("svg").first.inner_html()
                if control.evaluate("e => e.tagName") == "SELECT":
                    values = control.evaluate("e => [...e.options].map(o => o.value)")
                    current = control.input_value()
                    other = next((v for v in values if v != current), None)
                    if other is None:
                        continue
                    control.select_option(other)
                else:
                    if control.is_checked():
                        continue
                    control.check()
                page.wait_for_timeout(250)
                assert chart.locator("svg").first.inner_html() != before, \
                    f"{path.name}: a control did not change its chart"
                checked += 1
        assert not blocked and not errors, (path.name, blocked, errors)
        page.close()
    assert checked >= 5


CHART_FITS = """() => [...document.querySelectorAll("div[id^='altair-viz-'] svg")].map(svg => {
    const output = svg.closest('.cell_output');
    // the chart's own title is drawn after the titles of its panels
    const title = [...svg.querySelectorAll('.role-title-text')].map(t => t.textContent.trim())
        .filter(Boolean).pop() || '(untitled)';
    return {title, width: svg.getBoundingClientRect().width, column: output ? output.clientWidth : null};
})"""


def test_every_chart_fits_the_column_at_laptop_width(built_book, browser):
    """No chart is wider than its output cell at 1366 x 900: readers never scroll sideways."""
    assert built_book["returncode"] == 0, built_book["log"]
    width, height = WIDTHS["laptop"]
    offenders, measured = [], 0
    for path in built_pages():
        page, _, _ = open_offline(browser, path)
        page.set_viewport_size({"width": width, "height": height})
        wait_for_charts(page)
        page.wait_for_timeout(300)
        for chart in page.evaluate(CHART_FITS):
            measured += 1
            assert chart["column"], f"{path.name}: chart {chart['title']!r} is not in a .cell_output"
            if chart["width"] > chart["column"]:
                offenders.append(f"{path.relative_to(HTML).as_posix()}: {chart['title']!r} is "
                                 f"{chart['width']:.0f} px wide, its column {chart['column']} px")
        page.close()
    assert measured >= 20, measured
    assert not offenders, "charts wider than their column:\n" + "\n".join(offenders)


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_screenshots_of_every_page(built_book, browser, device):
    assert built_book["returncode"] == 0, built_book["log"]
    target = SCREENSHOTS / device
    target.mkdir(parents=True, exist_ok=True)
    width, height = WIDTHS[device]
    for path in built_pages():
        page, _, _ = open_offline(browser, path)
        page.set_viewport_size({"width": width, "height": height})
        wait_for_charts(page)
        name = path.relative_to(HTML).as_posix().replace("/", "__").replace(".html", ".png")
        page.screenshot(path=str(target / name), full_page=True)
        page.close()
        assert (target / name).stat().st_size > 0


def test_phase_menu_names_the_phase_shown(built_book, browser):
    """The Sino-Soviet phase explorer says in its title which phase it shows."""
    from alliances.charts import sino_soviet as ss
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "sino_soviet.html")
    wait_for_charts(page)
    menu = "select[name='phase']"
    assert "Explore the alliance by phase. Shown: All phases" in svg_texts(page)
    for phase in ss.PHASES:
        page.select_option(menu, phase.phase_id)
        page.wait_for_timeout(250)
        assert f"Explore the alliance by phase. Shown: {phase.label}" in svg_texts(page), phase
    assert not blocked and not errors, (blocked, errors)
    page.close()
