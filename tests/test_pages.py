"""Every page of the built book in a real browser (Playwright driving Debian's
chromium), offline, opened once at laptop and once at phone width:

- no blocked request, no JavaScript error, every chart drawn, at either width;
- no chart wider than its column at laptop width;
- a screenshot of each page at each width under ``_build/screenshots/``, for review;
- accessibility: an axe-core audit (axe from npm, injected by Playwright) with
  no violation of impact "serious" or "critical" (everything axe reports goes
  to ``_build/axe-report.json``); every chart with a visible title and a
  description that says what it shows; amity and enmity told apart by more
  than colour (solid versus dashed sides).

Each page is opened in a fresh context of a browser of its own, one page at a
time (no tab is ever in the background), and read once it has settled.
"""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import BUILD, HTML, ROOT, built_pages, open_offline, settle

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
SCREENSHOTS = BUILD / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
AXE_TIMEOUT_MS = 90_000
CHARTS = "div[id^='altair-viz-']"

CHART_FITS = """() => [...document.querySelectorAll("div[id^='altair-viz-'] svg")].map(svg => {
    const output = svg.closest('.cell_output');
    // the chart's own title is drawn after the titles of its panels
    const title = [...svg.querySelectorAll('.role-title-text')].map(t => t.textContent.trim())
        .filter(Boolean).pop() || '(untitled)';
    return {title, width: svg.getBoundingClientRect().width, column: output ? output.clientWidth : null};
})"""
CHART_TEXT = f"""() => [...document.querySelectorAll("{CHARTS}")].map(d => ({{
    role: d.getAttribute('role'),
    label: (d.getAttribute('aria-label') || '').trim(),
    titles: [...d.querySelectorAll('svg .role-title-text')].map(t => t.textContent.trim()).filter(Boolean)}}))"""
SIDE_DASHES = """() => [...document.querySelectorAll('svg line[aria-label], svg path[aria-label]')]
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('stroke-dasharray') || 'solid'])
    .filter(([label]) => /relation: (amity|enmity)\\b/.test(label))"""


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


def visit(browser, path, device: str) -> dict:
    """Open one page at ``device`` width, as a reader does, and read what the tests check."""
    name = path.relative_to(HTML).as_posix()
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[device])))
    try:
        page, blocked, errors = open_offline(context, path)
        try:
            settle(page)  # charts drawn, widgets rendered, the page's a11y fixes applied
        except PlaywrightTimeoutError:  # reported by the tests below
            errors.append("the page did not settle in 30 s (a chart with no svg or canvas?)")
        shot = SCREENSHOTS / device / (name.replace("/", "__").replace(".html", ".png"))
        page.screenshot(path=str(shot), full_page=True)
        found = {"blocked": list(blocked), "errors": list(errors),
                 "chart errors": page.locator("div.error").all_inner_texts(),
                 "charts": page.locator(CHARTS).count(), "screenshot": shot}
        if device == "laptop":
            found.update(fits=page.evaluate(CHART_FITS), texts=page.evaluate(CHART_TEXT),
                         sides=page.evaluate(SIDE_DASHES),
                         axe=axe_violations(page))  # last: axe adds nothing the others read
        return found
    finally:
        context.close()


@pytest.fixture(scope="module")
def visits(built_book, solo_browser) -> dict[str, dict[str, dict]]:
    """device -> page -> what the page showed (see :func:`visit`)."""
    assert built_book["returncode"] == 0, built_book["log"]
    out = {}
    for device in WIDTHS:
        (SCREENSHOTS / device).mkdir(parents=True, exist_ok=True)
        out[device] = {path.relative_to(HTML).as_posix(): visit(solo_browser, path, device)
                       for path in built_pages()}
    (BUILD / "axe-report.json").write_text(json.dumps(
        {name: found["axe"] for name, found in out["laptop"].items()}, indent=1, ensure_ascii=False))
    return out


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_page_works_offline_in_a_browser(visits, device):
    """No blocked request, no JavaScript error, every chart drawn."""
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


def test_axe_finds_no_serious_or_critical_violation(visits):
    audited = visits["laptop"]
    blocking = {name: [v for v in found["axe"] if v["impact"] in BLOCKING]
                for name, found in audited.items()}
    blocking = {name: found for name, found in blocking.items() if found}
    assert len(audited) >= 8, sorted(audited)
    assert not blocking, json.dumps(blocking, indent=1, ensure_ascii=False)[:6000]


def test_every_chart_has_a_title_and_a_description(visits):
    charts = [(name, chart) for name, found in visits["laptop"].items() for chart in found["texts"]]
    # A description says what the chart shows: more than a title's few words.
    missing = [(name, chart) for name, chart in charts
               if chart["role"] != "graphics-document" or len(chart["label"].split()) < 8
               or not chart["titles"]]
    assert len(charts) >= 20, f"only {len(charts)} charts found"
    assert not missing, missing


def test_amity_and_enmity_differ_by_more_than_colour(visits):
    """Every drawn side of a triangle: amity solid, enmity dashed."""
    dashes = {"amity": set(), "enmity": set()}
    for found in visits["laptop"].values():
        for label, dash in found["sides"]:
            relation = "amity" if "relation: amity" in label else "enmity"
            dashes[relation].add("solid" if dash in ("solid", "1,0", "none") else dash)
    assert dashes["amity"] and dashes["enmity"], dashes
    assert dashes["amity"] == {"solid"}, dashes
    assert "solid" not in dashes["enmity"], dashes
