"""The controls of the kernel-free figures, offline in a browser: every one
has a label and works from the keyboard (the test reaches it with Tab and
changes it with keys), and every choice made with the mouse redraws its
chart. (The axe audit, the charts' text alternatives and the dashes of the
triangles' sides are checked on each page in ``test_pages.py``.)

Every check waits on a condition (the page settled, a chart redrawn,
Playwright's ``expect``), never for a fixed time.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alliances import data
from alliances.queries import history
from conftest import HTML, built_pages, open_offline, page_with_charts, redraws, settle

CHARTS = "div[id^='altair-viz-']"
# Bound controls of the kernel-free figures (Vega-Lite params).
BOUND = ".vega-bindings select, .vega-bindings input"


def open_page(browser, path):
    """A built page in a fresh context, its charts drawn and the page settled,
    so the page's own accessibility fixes (``_static/a11y-fixes.js``) are applied."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, blocked, errors = open_offline(context, path)
    settle(page)
    return context, page, blocked, errors


def _tab_until(page, selector: str, limit: int = 600) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _chart_of_focused(page):
    """The SVG of the chart whose control has the focus."""
    name = page.evaluate("() => document.activeElement.name")
    return page.locator(CHARTS, has=page.locator(f"[name='{name}']")).locator("svg").first


FOCUSED_CONTROL = f"""() => {{ const e = document.activeElement;
    return e && e.matches("{BOUND}") ? [e.name, e.type] : null; }}"""


def _keyboard_pass(page, name: str, found: dict) -> None:
    """For each chart with controls: focus the chart itself, then press Tab until the
    focus leaves it. Every control must be reached, have a visible label, and change its
    chart when a key is pressed on it. (Starting at the chart, not at the top of the
    page, keeps the walk short: a chapter has hundreds of source markers to Tab past.)"""
    controls = page.evaluate(f"""() => [...document.querySelectorAll("{BOUND}")].map(e => ({{
        name: e.name, type: e.type,
        label: (e.closest('label') || e.closest('.vega-bind') || e).innerText.trim()}}))""")
    wanted = {c["name"] for c in controls}
    for c in controls:
        if not c["label"]:
            found["keyboard"].append((name, c["name"], "no label"))
    reached = set()
    for chart in page.locator(CHARTS, has=page.locator(BOUND)).all():
        # a chart is not itself in the tab order: made focusable by script only, for the walk
        chart.evaluate("e => { e.setAttribute('tabindex', '-1'); e.focus(); }")
        inside = chart.locator(BOUND).count()
        for _ in range(4 * inside + 4):
            page.keyboard.press("Tab")
            if not chart.evaluate("e => e.contains(document.activeElement)"):
                break
            focused = page.evaluate(FOCUSED_CONTROL)
            if focused is None or focused[0] in reached:
                continue
            control, kind = focused
            reached.add(control)
            svg = _chart_of_focused(page)
            before = svg.inner_html()
            value = page.evaluate("() => document.activeElement.value")
            forward, back = ("ArrowDown", "ArrowUp") if kind.startswith("select") else ("ArrowRight", "ArrowLeft")
            page.keyboard.press(forward)
            if page.evaluate("() => document.activeElement.value") == value:  # at the last choice
                page.keyboard.press(back)
            if redraws(page, svg, before):
                found["keys that redrew"] += 1
            else:
                found["keyboard"].append((name, control, f"{kind}: a key press did not change the chart"))
        chart.evaluate("e => e.removeAttribute('tabindex')")
    for control in wanted - reached:
        found["keyboard"].append((name, control, "not reachable with Tab"))


def _mouse_pass(page, name: str, found: dict) -> None:
    """Choose every other option of every select and radio group with the
    mouse; the chart must redraw each time."""
    for chart in page.locator(CHARTS).all():
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
            elif control.is_checked():
                continue
            else:
                control.check()
            if redraws(page, svg, before):
                found["choices that redrew"] += 1
            else:
                found["mouse"].append((name, control.evaluate("e => e.name"), "a choice did not change the chart"))


@pytest.fixture(scope="module")
def controls(built_book, solo_browser) -> dict:
    """Each page with kernel-free controls opened once, driven first from the
    keyboard, then with the mouse: the problems found, and how many changes redrew a chart."""
    assert built_book["returncode"] == 0, built_book["log"]
    found = {"keyboard": [], "mouse": [], "page": [], "keys that redrew": 0, "choices that redrew": 0}
    for path in built_pages():
        if '"bind"' not in page_with_charts(path):
            continue
        context, page, blocked, errors = open_page(solo_browser, path)
        try:
            _keyboard_pass(page, path.name, found)
            _mouse_pass(page, path.name, found)
            if blocked or errors:
                found["page"].append((path.name, blocked[:3], errors[:3]))
        finally:
            context.close()
    return found


def test_every_bound_control_is_labelled_and_works_from_the_keyboard(controls):
    assert controls["keys that redrew"] >= 5, controls["keys that redrew"]
    assert not controls["keyboard"], controls["keyboard"]


def test_every_bound_control_redraws_its_chart(controls):
    assert controls["choices that redrew"] >= 5, controls["choices that redrew"]
    assert not controls["mouse"], controls["mouse"]
    assert not controls["page"], controls["page"]


def test_history_player_steps_with_the_keyboard(built_book, solo_browser):
    """Tab to the history player's period menu and step it with the arrow key;
    the chart shows the next period of the same triangle."""
    assert built_book["returncode"] == 0, built_book["log"]
    context, page, blocked, errors = open_page(solo_browser, HTML / "book" / "triangles.html")
    try:
        menu = "select[name='period']"
        _tab_until(page, menu)
        start = page.eval_on_selector(menu, "e => e.value")
        periods = history.periods(data.load_triangle_periods())
        first = periods.set_index("period_id").loc[start]
        page.keyboard.press("ArrowDown")
        row = periods[(periods["triangle_id"] == first["triangle_id"])
                      & (periods["order"] == first["order"] + 1)].iloc[0]
        expect(page.locator(menu)).to_have_value(row["period_id"])
        title = f"{row['period_id']}: {row['label']}"
        expect(page.locator("svg text").filter(has_text=re.compile(f"^{re.escape(title)}$")).first).to_be_visible()
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()
