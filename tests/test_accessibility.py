"""Accessibility of the built book, offline in a browser.

- an axe-core audit of every page (axe from npm, injected by Playwright): no
  violation of impact "serious" or "critical"; everything axe reports is
  written to ``_build/axe-report.json`` for review;
- every chart has a text alternative: a visible title and a description that
  says what it shows;
- amity and enmity differ by more than colour (solid versus dashed sides);
- every control of a kernel-free figure has a label and works from the
  keyboard: the test reaches it with Tab and changes it with keys.

Every check waits on a condition (the page settled, a chart redrawn,
Playwright's ``expect``), never for a fixed time.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from alliances import data
from alliances.queries import history
from conftest import BUILD, CHROMIUM, HTML, ROOT, built_pages, open_offline, redraws, settle

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
AXE_TIMEOUT_MS = 90_000
CHARTS = "div[id^='altair-viz-']"
# Bound controls of the kernel-free figures (Vega-Lite params).
BOUND = ".vega-bindings select, .vega-bindings input"


@pytest.fixture(scope="module")
def audit_browser(playwright):
    """A browser of its own for the audit: one page open at a time, so no tab
    is ever in the background while axe runs."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


def open_page(browser, path):
    """A built page in a fresh context, its charts drawn and the page settled,
    so the page's own accessibility fixes (``_static/a11y-fixes.js``) are applied."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, blocked, errors = open_offline(context, path)
    settle(page)
    return context, page, blocked, errors


def axe_violations(page) -> list[dict]:
    """Run axe on the page; a bounded wait, so that a stuck audit fails the
    test instead of hanging the suite (``page.evaluate`` has no timeout)."""
    page.add_script_tag(path=str(AXE))
    page.evaluate("""() => {
        window.__axeResult = null;
        axe.run(document, {resultTypes: ['violations']}).then(
            r => { window.__axeResult = r.violations; },
            e => { window.__axeResult = 'axe failed: ' + e; });
    }""")
    page.wait_for_function("() => window.__axeResult !== null", timeout=AXE_TIMEOUT_MS, polling=250)
    result = page.evaluate("() => window.__axeResult")
    if isinstance(result, str):
        raise AssertionError(result)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "count": len(v["nodes"]),
             "nodes": [n["html"][:200] for n in v["nodes"][:3]]} for v in result]


CHART_TEXT = f"""() => [...document.querySelectorAll("{CHARTS}")].map(d => ({{
    role: d.getAttribute('role'),
    label: (d.getAttribute('aria-label') || '').trim(),
    titles: [...d.querySelectorAll('svg .role-title-text')].map(t => t.textContent.trim()).filter(Boolean)}}))"""
SIDE_DASHES = """() => [...document.querySelectorAll('svg line[aria-label], svg path[aria-label]')]
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('stroke-dasharray') || 'solid'])
    .filter(([label]) => /relation: (amity|enmity)\\b/.test(label))"""


@pytest.fixture(scope="module")
def audited(built_book, audit_browser) -> dict[str, dict]:
    """Each built page opened once, as loaded: axe's findings, the text of its
    charts and the dash of every triangle side drawn on it."""
    assert built_book["returncode"] == 0, built_book["log"]
    pages = {}
    for path in built_pages():
        context, page, _, _ = open_page(audit_browser, path)
        try:
            pages[path.relative_to(HTML).as_posix()] = {
                "charts": page.evaluate(CHART_TEXT), "sides": page.evaluate(SIDE_DASHES),
                "axe": axe_violations(page)}  # last: axe adds nothing the others read
        finally:
            context.close()
    (BUILD / "axe-report.json").write_text(json.dumps(
        {name: found["axe"] for name, found in pages.items()}, indent=1, ensure_ascii=False))
    return pages


def test_axe_finds_no_serious_or_critical_violation(audited):
    blocking = {name: [v for v in found["axe"] if v["impact"] in BLOCKING]
                for name, found in audited.items()}
    blocking = {name: found for name, found in blocking.items() if found}
    assert len(audited) >= 8, sorted(audited)
    assert not blocking, json.dumps(blocking, indent=1, ensure_ascii=False)[:6000]


def test_every_chart_has_a_title_and_a_description(audited):
    charts = [(name, chart) for name, found in audited.items() for chart in found["charts"]]
    # A description says what the chart shows: more than a title's few words.
    missing = [(name, chart) for name, chart in charts
               if chart["role"] != "graphics-document" or len(chart["label"].split()) < 8
               or not chart["titles"]]
    assert len(charts) >= 20, f"only {len(charts)} charts found"
    assert not missing, missing


def test_amity_and_enmity_differ_by_more_than_colour(audited):
    """Every drawn side of a triangle: amity solid, enmity dashed."""
    dashes = {"amity": set(), "enmity": set()}
    for found in audited.values():
        for label, dash in found["sides"]:
            relation = "amity" if "relation: amity" in label else "enmity"
            dashes[relation].add("solid" if dash in ("solid", "1,0", "none") else dash)
    assert dashes["amity"] and dashes["enmity"], dashes
    assert dashes["amity"] == {"solid"}, dashes
    assert "solid" not in dashes["enmity"], dashes


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


def test_every_bound_control_is_labelled_and_works_from_the_keyboard(built_book, audit_browser):
    """Tab through each page; every kernel-free control must be reached, have
    a visible label, and change its chart when a key is pressed on it."""
    assert built_book["returncode"] == 0, built_book["log"]
    problems, changed = [], 0
    for path in built_pages():
        html = path.read_text(encoding="utf-8")
        if '"bind"' not in html:
            continue
        context, page, _, _ = open_page(audit_browser, path)
        controls = page.evaluate(f"""() => [...document.querySelectorAll("{BOUND}")].map(e => ({{
            name: e.name, type: e.type,
            label: (e.closest('label') || e.closest('.vega-bind') || e).innerText.trim()}}))""")
        wanted = {c["name"] for c in controls}
        for c in controls:
            if not c["label"]:
                problems.append((path.name, c["name"], "no label"))
        page.focus("body")
        reached = set()
        for _ in range(800):
            page.keyboard.press("Tab")
            focused = page.evaluate(f"""() => {{ const e = document.activeElement;
                return e && e.matches("{BOUND}") ? [e.name, e.type] : null; }}""")
            if focused is None or focused[0] in reached:
                if reached == wanted:
                    break
                continue
            name, kind = focused
            reached.add(name)
            svg = _chart_of_focused(page)
            before = svg.inner_html()
            value = page.evaluate("() => document.activeElement.value")
            forward, back = ("ArrowDown", "ArrowUp") if kind.startswith("select") else ("ArrowRight", "ArrowLeft")
            page.keyboard.press(forward)
            if page.evaluate("() => document.activeElement.value") == value:  # at the last choice
                page.keyboard.press(back)
            if redraws(page, svg, before):
                changed += 1
            else:
                problems.append((path.name, name, f"{kind}: a key press did not change the chart"))
        for name in wanted - reached:
            problems.append((path.name, name, "not reachable with Tab"))
        context.close()
    assert changed >= 5, changed
    assert not problems, problems


def test_history_player_steps_with_the_keyboard(built_book, audit_browser):
    """Tab to the history player's slider and step it with the arrow key; the
    chart shows the next period of the selected triangle."""
    assert built_book["returncode"] == 0, built_book["log"]
    context, page, blocked, errors = open_page(audit_browser, HTML / "book" / "triangles.html")
    try:
        slider = "input[type='range'][name='step']"
        _tab_until(page, slider)
        triangle_id = page.eval_on_selector("select[name='triangle']", "e => e.value")
        start = int(page.eval_on_selector(slider, "e => e.value"))
        page.keyboard.press("ArrowRight")
        expect(page.locator(slider)).to_have_value(str(start + 1))
        periods = history.periods(data.load_triangle_periods())
        row = periods[(periods["triangle_id"] == triangle_id) & (periods["order"] == start + 1)].iloc[0]
        title = f"{row['period_id']}: {row['label']}"
        expect(page.locator("svg text").filter(has_text=re.compile(f"^{re.escape(title)}$")).first).to_be_visible()
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()
