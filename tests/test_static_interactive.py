"""The built book in a real browser (Playwright driving Debian's chromium),
offline: every page opened at laptop and phone width must load with no
blocked request, no JavaScript error and every chart drawn, and no chart may
be wider than its column; a screenshot of each is saved under
``_build/screenshots/`` for review.

The kernel-free figures: the triangle explorer and the history player must
show what the model says for the state a reader picks; every other bound
control must redraw its chart.

Every check waits on a condition (Playwright's ``expect``, or the chart's
SVG changing), never for a fixed time.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from alliances import data
from alliances.charts.triangle_explorer import role_line
from alliances.model import triangle as tri
from alliances.model import vu
from alliances.model.phases import PHASES
from alliances.model.presets import DEFAULT, preset_triangle
from alliances.queries import history
from conftest import BUILD, HTML, built_pages, open_offline, redraws, settle

SCREENSHOTS = BUILD / "screenshots"
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
NAMES = data.load_actor_names()
PERIODS = history.periods(data.load_triangle_periods())


def svg_text(page, text: str):
    """The SVG text marks that read exactly ``text``."""
    return page.locator("svg text").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def expect_shown(page, text: str) -> None:
    expect(svg_text(page, text).first).to_be_visible()


@pytest.fixture
def triangles_page(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "triangles.html")
    settle(page)
    yield page
    assert not blocked and not errors, (blocked, errors)
    page.close()


def _expected(preset: str, ab: str, ac: str, bc: str) -> tuple[str, str, list[str]]:
    t = preset_triangle(preset, ab, ac, bc)
    reading = tri.read(t)
    pattern_line = f"Pattern: {reading.pattern.value} ({tri.PATTERN_AUTHOR[reading.pattern]})"
    return pattern_line, role_line(t, NAMES), [p.text for p in vu.predict(t)]


def test_static_explorer_follows_the_model_for_each_side(triangles_page):
    page = triangles_page
    state = dict(zip(("preset", "ab", "ac", "bc"), DEFAULT))
    for side in ("ab", "ac", "bc", "ab"):
        state[side] = tri.ENMITY if state[side] == tri.AMITY else tri.AMITY
        page.check(f"input[type='radio'][name='side_{side}'][value='{state[side]}']")
        pattern_line, roles, predictions = _expected(**state)
        expect_shown(page, pattern_line)
        expect_shown(page, roles)
        for text in predictions:
            expect(page.get_by_label(text, exact=True).first).to_be_attached()


def test_static_explorer_preset_and_keyboard(triangles_page):
    page = triangles_page
    page.select_option("select[name='preset']", "US/PRC/USSR")
    expect_shown(page, _expected("US/PRC/USSR", *DEFAULT[1:])[1])
    # Keyboard: focus the A-B radio group and move with an arrow key.
    checked = page.locator("input[type='radio'][name='side_ab']:checked")
    before = checked.input_value()
    checked.focus()
    page.keyboard.press("ArrowRight")
    expect(checked).not_to_have_value(before)
    state = dict(zip(("ab", "ac", "bc"), DEFAULT[1:]), ab=checked.input_value())
    expect_shown(page, _expected("US/PRC/USSR", **state)[1])


def test_history_player_moves_to_a_later_period(triangles_page):
    page = triangles_page
    for triangle_id in ("KOR", "VN"):
        rows = PERIODS[PERIODS["triangle_id"] == triangle_id].sort_values("order")
        later = rows.iloc[len(rows) // 2]
        page.select_option("select[name='triangle']", triangle_id)
        page.eval_on_selector(
            "input[type='range'][name='step']",
            "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
            int(later["order"]))
        expect_shown(page, f"{later['period_id']}: {later['label']}")
        reading = history.period_reading(later)
        if reading.reading:
            model = page.locator("svg text").filter(has_text=re.compile(
                f"^Model: {re.escape(reading.reading.pattern.value)}"))
            expect(model.first).to_be_visible()


def test_every_bound_control_redraws_its_chart(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    checked = 0
    for path in built_pages():
        if '"bind"' not in path.read_text(encoding="utf-8"):
            continue
        page, blocked, errors = open_offline(browser, path)
        settle(page)
        for chart in page.locator("div[id^='altair-viz-']").all():
            svg = chart.locator("svg").first
            for control in chart.locator(".vega-bindings select, .vega-bindings input[type='radio']").all():
                before = svg.inner_html()
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
                assert redraws(page, svg, before), f"{path.name}: a control did not change its chart"
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


@pytest.fixture(scope="module")
def visits(built_book, browser) -> dict[str, dict[str, dict]]:
    """Every built page opened once at each width (laptop, phone), as a reader
    opens it, offline: what it blocked and what failed, the width of each chart
    beside its column, and a screenshot saved under ``_build/screenshots/``."""
    assert built_book["returncode"] == 0, built_book["log"]
    out: dict[str, dict[str, dict]] = {}
    for device, viewport in WIDTHS.items():
        target = SCREENSHOTS / device
        target.mkdir(parents=True, exist_ok=True)
        out[device] = {}
        for path in built_pages():
            name = path.relative_to(HTML).as_posix()
            page, blocked, errors = open_offline(browser, path, viewport=viewport)
            try:
                settle(page)
            except PlaywrightTimeoutError:  # reported by the tests below
                errors.append("the page did not settle in 30 s (a chart with no svg or canvas?)")
            shot = target / name.replace("/", "__").replace(".html", ".jpg")
            page.screenshot(path=str(shot), full_page=True, type="jpeg", quality=80)
            out[device][name] = {"blocked": list(blocked), "errors": list(errors),
                                 "chart errors": page.locator("div.error").all_inner_texts(),
                                 "charts": page.locator("div[id^='altair-viz-']").count(),
                                 "fits": page.evaluate(CHART_FITS), "screenshot": shot}
            page.close()
    return out


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_page_works_offline_in_a_browser(visits, device):
    """No blocked request, no JavaScript error, every chart drawn, at either width."""
    problems = {name: {k: v[:3] for k, v in found.items() if k in ("blocked", "errors", "chart errors") and v}
                for name, found in visits[device].items()}
    problems = {name: found for name, found in problems.items() if found}
    assert len(visits[device]) >= 8, sorted(visits[device])
    assert not problems, problems
    assert sum(found["charts"] for found in visits[device].values()) > 0, "no chart found in the built book"


def test_every_chart_fits_the_column_at_laptop_width(visits):
    """No chart is wider than its output cell at 1366 x 900: readers never scroll sideways."""
    offenders, measured = [], 0
    for name, found in visits["laptop"].items():
        for chart in found["fits"]:
            measured += 1
            assert chart["column"], f"{name}: chart {chart['title']!r} is not in a .cell_output"
            if chart["width"] > chart["column"]:
                offenders.append(f"{name}: {chart['title']!r} is {chart['width']:.0f} px wide, "
                                 f"its column {chart['column']} px")
    assert measured >= 20, measured
    assert not offenders, "charts wider than their column:\n" + "\n".join(offenders)


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_screenshots_of_every_page(visits, device):
    for name, found in visits[device].items():
        assert found["screenshot"].stat().st_size > 0, name


def test_phase_menu_names_the_phase_shown(built_book, browser):
    """The Sino-Soviet phase explorer says in its title which phase it shows."""
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "sino_soviet.html")
    settle(page)
    menu = "select[name='phase']"
    expect_shown(page, "Explore the alliance by phase. Shown: All phases")
    for phase in PHASES:
        page.select_option(menu, phase.phase_id)
        expect_shown(page, f"Explore the alliance by phase. Shown: {phase.label}")
    assert not blocked and not errors, (blocked, errors)
    page.close()
