"""Every page of the built book, opened ONCE per width, in a real browser
(Playwright driving Debian's chromium), offline, at laptop (1366 x 900) and
phone (390 x 844) width. Each visit reads everything the sweeps below check;
the tests only judge what the visits found.

At either width:

- no blocked request, no JavaScript error, every chart drawn;
- layout: no element wider than the screen unless it sits in a scroll box that
  shows it scrolls, no printed output wider than its box, no code shown until
  a reader asks for it; the book's menu shown on a laptop, one tap away on a
  phone (and Escape closes it);
- every chart followed by its description as text ("Describe this chart",
  beside the description the chart carries as its aria label), no chapter
  printing monospace output, every reader table within the screen (issue 14);
- a screenshot of each page under ``_build/screenshots/``, for review: the whole
  page at phone width (where layouts break), the first screen at laptop width.

At laptop width:

- no chart wider than its column;
- accessibility: an axe-core audit (axe from npm, injected by Playwright) with
  no violation of impact "serious" or "critical" (everything axe reports goes
  to ``_build/axe-report.json``); every chart with a visible title and a
  description that says what it shows; amity and enmity told apart by more
  than colour (solid versus dashed sides);
- source markers: every citation written in a page's Markdown is a marker in
  its HTML that names its document (never a file) and is listed under
  "Sources for this section" (hover, focus and tap: ``test_reading.py``);
- page weight (every file a page requests) within the budget of issue 14,
  with the time to the first drawn chart reported as a benchmark figure.

At phone width: every chart with a readout (the model's reading its controls
change) has its controls first and the readout in the column, within one
screen of them.

Each page is opened in a fresh context of a browser of its own, one page at a
time (no tab is ever in the background), and read once it has settled.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from alliances.data.citations import citations, missing_phrases, normalise
from conftest import (BUILD, HTML, LAPTOP, PHONE, ROOT, built_pages, compile_charts, open_offline,
                      settle, source_of)

WIDTHS = {"laptop": LAPTOP, "phone": PHONE}
SCREENSHOTS = BUILD / "screenshots"
#: JPEG, not PNG: a full-page capture of a long chapter takes a quarter to a
#: half less time (measured: 2.9 s -> 2.2 s at laptop, 1.7 s -> 1.0 s at phone
#: width), and at this quality text, thin lines and dashes stay sharp.
SCREENSHOT_QUALITY = 80
#: The whole page at phone width; at laptop width the first screen only: the
#: full-page captures at both widths were half of the browser's CPU in this
#: module (measured), the wide laptop ones the larger part, and a long page's
#: laptop layout is its first screen's, repeated.
FULL_PAGE = {"phone": True, "laptop": False}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
AXE_TIMEOUT_MS = 90_000
CHARTS = "div[id^='altair-viz-']"
KB, MB = 1000, 1000 * 1000
#: Issue 14's budget: bytes of every file a page requests.
CHART_PAGE_BUDGET = 1.5 * MB
TEXT_PAGE_BUDGET = 0.8 * MB
HTML_BUDGET = 250 * KB

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

LAYOUT = """() => {
  const W = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const scrollBox = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (/^(auto|scroll)$/.test(getComputedStyle(a).overflowX)) return a;
    }
    return null;
  };
  // the theme's closed drawers: fixed boxes parked beside the screen
  const offCanvas = e => {
    for (let a = e; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).position === 'fixed') {
        const r = a.getBoundingClientRect();
        return r.left >= W - 1 || r.right <= 1;
      }
    }
    return false;
  };
  const wide = [], unmarked = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const r = e.getBoundingClientRect();
    if (!r.width || (r.right <= W + 1 && r.left >= -1) || offCanvas(e)) continue;
    const box = scrollBox(e);
    if (!box || box.getBoundingClientRect().right > W + 1) { wide.push(name(e) + ' ' + Math.round(r.right)); continue; }
    // a box that scrolls says so (reading.js), and shows a shadow on the side with more
    if (box.scrollWidth > box.clientWidth + 1 && !(box.classList.contains('scrolls-sideways') &&
        getComputedStyle(box, '::before').content.includes('Scroll sideways') &&
        getComputedStyle(box).backgroundImage !== 'none')) {
      unmarked.push(name(box));
    }
  }
  const pres = [...document.querySelectorAll('div.cell_output pre, div.output pre')]
    .filter(p => p.scrollWidth > p.clientWidth + 1)
    .map(p => name(p) + ' ' + p.scrollWidth + '>' + p.clientWidth + ': ' + p.textContent.slice(0, 60));
  // code is folded away unless a cell is tagged show-input
  const code = [...document.querySelectorAll('div.cell_input')]
    .filter(e => e.checkVisibility() && !e.closest('.tag_show-input'))
    .map(e => e.textContent.trim().slice(0, 60));
  return {pageWidth: document.documentElement.scrollWidth, viewport: W,
          wide: wide.slice(0, 10), unmarked: [...new Set(unmarked)].slice(0, 10),
          pres: pres.slice(0, 10), code: code.slice(0, 5)};
}"""

READ = """() => {
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
  const W = document.documentElement.clientWidth;
  const items = [...document.querySelectorAll("div[id^='altair-viz-'], details.chart-description")];
  const charts = [];
  items.forEach((e, i) => {
    if (!e.matches("div[id^='altair-viz-']")) return;
    const svg = e.querySelector('svg');
    const next = items[i + 1];
    const described = next && next.matches('details.chart-description') ? next : null;
    // vega gives the chart's description to its container as its aria label
    charts.push({id: e.id, drawn: !!svg, aria: norm(e.getAttribute('aria-label')),
                 role: e.getAttribute('role'),
                 text: described ? norm([...described.querySelectorAll('p')].map(p => p.textContent).join(' ')) : null,
                 summary: described ? norm(described.querySelector('summary').textContent) : null});
  });
  const printed = [...document.querySelectorAll('div.cell_output div.output.stream pre, div.cell_output pre')]
    .map(p => p.textContent.slice(0, 60));
  const tables = [...document.querySelectorAll('table.reader-table')]
    .filter(t => t.getBoundingClientRect().right > W + 1).map(t => t.textContent.slice(0, 60));
  return {charts, printed, tables};
}"""

READOUTS = """() => {
  const W = document.documentElement.clientWidth, H = window.innerHeight;
  return [...document.querySelectorAll("div[id^='altair-viz-']")]
    .filter(e => e.querySelector('.vega-bindings .vega-bind'))
    .map(e => {
      const controls = e.querySelector('.vega-bindings').getBoundingClientRect();
      const svg = e.querySelector('svg').getBoundingClientRect();
      // the model's reading: the lines that start "Pattern:", "Roles:" or "Sides:"
      const lines = [...e.querySelectorAll('svg text')]
        .filter(t => /^(Pattern|Roles|Sides):/.test(t.textContent))
        .map(t => t.getBoundingClientRect());
      return {id: e.id, controls_above: controls.bottom <= svg.top + 1,
              controls_left: controls.left, readout_lines: lines.length,
              readout_right: Math.max(0, ...lines.map(r => r.right)),
              readout_reach: Math.max(0, ...lines.map(r => r.bottom)) - controls.top, W, H};
    });
}"""

MARKERS = """() => [...document.querySelectorAll('.source-ref')].map(r => {
  const a = r.querySelector('a.source-marker'), tip = r.querySelector('.source-tip');
  const entry = document.getElementById((a.getAttribute('href') || '#').slice(1));
  return {label: a.textContent, href: a.getAttribute('href'), id: a.id,
          described: a.getAttribute('aria-describedby') === tip.id,
          tip: tip.textContent, tipShown: getComputedStyle(tip).display !== 'none',
          entry: entry ? entry.textContent : null,
          inList: !!(entry && entry.closest('details.source-list')),
          back: entry ? (entry.querySelector('a.source-back') || {}).hash || null : null};
})"""
ARTICLE_TEXT = """() => { const a = document.querySelector('article.bd-article').cloneNode(true);
  // prose only: not code, not rendered data (HTML tables and charts in outputs)
  a.querySelectorAll('pre, code, script, svg, .output.text_html, .source-ref, details.source-list')
    .forEach(e => e.remove());
  return a.textContent; }"""

#: Installed before the page's own scripts: when (ms after navigation) the first chart is drawn.
FIRST_CHART = """new MutationObserver((_, observer) => {
  if (document.querySelector("div[id^='altair-viz-'] svg")) {
    window.__firstChart = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""


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


def menu_problem(page, device: str) -> str | None:
    """The book's menu: always shown on a laptop, one tap away on a phone
    (the toggle opens it, Escape closes it). What went wrong, or None.

    It opens and closes the menu, so a visit runs it last. A failed
    expectation is returned, not raised, so that the menu test reports it
    with the page's name while the other tests still judge their readings."""
    nav = page.locator("nav.bd-docs-nav a.reference").first
    try:
        if device == "phone":
            expect(nav).to_be_hidden()
            page.locator(".primary-toggle:visible").click(timeout=10_000)
            expect(page.locator("#pst-primary-sidebar-modal nav.bd-docs-nav")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.locator("#pst-primary-sidebar-modal")).to_be_hidden()
        else:
            expect(nav).to_be_visible()
    except (AssertionError, PlaywrightError) as e:  # PlaywrightError: the toggle not found in time
        return f"{type(e).__name__}: {str(e)[:400]}"
    return None


def watch_requests(context) -> dict[str, int]:
    """Every local file the context's pages request, with its size in bytes
    (filled as the requests are made; 0 for a file that does not exist)."""
    files: dict[str, int] = {}

    def on_request(request):
        if request.url.startswith("file://"):
            local = Path(unquote(urlparse(request.url).path))
            files[str(local)] = local.stat().st_size if local.is_file() else 0

    context.on("request", on_request)
    return files


def visit(browser, path, device: str) -> dict:
    """Open one page at ``device`` width, as a reader does, and read everything
    the tests check, in an order that keeps each reading true: the page settled
    and its fonts loaded first; then what only reads the page; then the
    screenshot (a full-page capture may relayout it); then axe (it injects its
    script); the menu last (it opens and closes the drawer)."""
    name = path.relative_to(HTML).as_posix()
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[device])))
    try:
        if device == "laptop":
            context.add_init_script(FIRST_CHART)
            requested = watch_requests(context)  # before navigation: every file counts
        page, blocked, errors = open_offline(context, path)
        try:
            settle(page)  # charts drawn, widgets rendered, the page's a11y fixes applied
        except PlaywrightTimeoutError:  # reported by the tests below
            errors.append("the page did not settle in 30 s (a chart with no svg or canvas?)")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        article = page.locator("article.bd-article").count() > 0
        found = {"chart errors": page.locator("div.error").all_inner_texts(),
                 "charts": page.locator(CHARTS).count(), "article": article,
                 "layout": page.evaluate(LAYOUT), "read": page.evaluate(READ)}
        if device == "phone":
            found["readouts"] = page.evaluate(READOUTS)
        if device == "laptop":
            found.update(fits=page.evaluate(CHART_FITS), texts=page.evaluate(CHART_TEXT),
                         sides=page.evaluate(SIDE_DASHES),
                         weight={"files": dict(requested), "bytes": sum(requested.values()),
                                 "html": path.stat().st_size,
                                 "first_chart_ms": page.evaluate("() => window.__firstChart || null")})
            if article:
                found.update(markers=page.evaluate(MARKERS), text=page.evaluate(ARTICLE_TEXT))
        shot = SCREENSHOTS / device / (name.replace("/", "__").replace(".html", ".jpg"))
        page.screenshot(path=str(shot), full_page=FULL_PAGE[device], type="jpeg",
                        quality=SCREENSHOT_QUALITY)
        found.update(screenshot=shot, blocked=list(blocked), errors=list(errors))
        if device == "laptop":
            # before axe, whose fetches of the stylesheets file:// pages refuse are no error of the book's
            found["axe"] = axe_violations(page)
        before = len(blocked), len(errors)
        found["menu"] = menu_problem(page, device)
        later = blocked[before[0]:] + errors[before[1]:]  # what opening and closing the menu caused
        if later:
            found["menu"] = f"{found['menu'] or 'the menu works'}; blocked or errors: {later[:3]}"
        return found
    finally:
        context.close()


def print_weights(laptop: dict[str, dict]) -> None:
    print("\npage weight (bytes of every file requested) and first chart drawn:")
    for name, found in laptop.items():
        w = found["weight"]
        first = f"{w['first_chart_ms']:.0f} ms" if w["first_chart_ms"] else "-"
        print(f"  {name:28} {w['bytes'] / MB:5.2f} MB  html {w['html'] / KB:4.0f} KB  "
              f"charts {found['charts']:2}  first chart {first}")


@pytest.fixture(scope="module")
def visits(built_book, solo_browser) -> dict[str, dict[str, dict]]:
    """device -> page -> what the page showed (see :func:`visit`)."""
    assert built_book["returncode"] == 0, built_book["log"]
    out = {}
    for device in WIDTHS:
        shots = SCREENSHOTS / device
        shutil.rmtree(shots, ignore_errors=True)  # no screenshot of an older build is left to review
        shots.mkdir(parents=True)
        out[device] = {path.relative_to(HTML).as_posix(): visit(solo_browser, path, device)
                       for path in built_pages()}
    (BUILD / "axe-report.json").write_text(json.dumps(
        {name: found["axe"] for name, found in out["laptop"].items()}, indent=1, ensure_ascii=False))
    print_weights(out["laptop"])
    return out


def articles(visits, device: str) -> dict[str, dict]:
    """The visited pages at ``device`` width that have an article (every page of the book today)."""
    return {name: found for name, found in visits[device].items() if found["article"]}


# ---------------------------------------------------------------------------
# Offline, drawn, screenshot
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_page_works_offline_in_a_browser(visits, device):
    """No blocked request, no JavaScript error, every chart drawn."""
    problems = {name: {k: v[:3] for k, v in found.items() if k in ("blocked", "errors", "chart errors") and v}
                for name, found in visits[device].items()}
    problems = {name: found for name, found in problems.items() if found}
    assert len(visits[device]) >= 8, sorted(visits[device])
    assert not problems, problems
    assert sum(found["charts"] for found in visits[device].values()) > 0, "no chart found in the built book"


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_screenshots_of_every_page(visits, device):
    for name, found in visits[device].items():
        assert found["screenshot"].stat().st_size > 0, name


# ---------------------------------------------------------------------------
# Layout and menu
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_page_fits_its_screen_and_its_menu_opens(visits, device):
    pages = articles(visits, device)
    problems = {}
    for name, found in pages.items():
        layout = found["layout"]
        if layout["pageWidth"] > layout["viewport"] or layout["wide"] or layout["unmarked"] \
                or layout["pres"] or layout["code"]:
            problems[name] = layout
        if found["menu"]:
            problems.setdefault(name, {})["menu"] = found["menu"]
    assert len(pages) >= 8, sorted(pages)
    assert not problems, json.dumps(problems, indent=1)


# ---------------------------------------------------------------------------
# Charts: fit, titles, descriptions, sides, readouts
# ---------------------------------------------------------------------------

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


def test_every_chart_has_a_title_and_a_description(visits):
    charts = [(name, chart) for name, found in visits["laptop"].items() for chart in found["texts"]]
    # A description says what the chart shows: more than a title's few words.
    missing = [(name, chart) for name, chart in charts
               if chart["role"] != "graphics-document" or len(chart["label"].split()) < 8
               or not chart["titles"]]
    assert len(charts) >= 20, f"only {len(charts)} charts found"
    assert not missing, missing


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_chart_is_described_in_text_and_no_output_is_printed(visits, device):
    problems, charts = {}, 0
    for name, found in articles(visits, device).items():
        read = found["read"]
        # the prose may say more than the aria label (a list of cases, say),
        # but both are there, and the prose is the chart's next description block
        bad = [c for c in read["charts"]
               if not c["text"] or len(c["text"]) < 40 or c["summary"] != "Describe this chart"
               or not c["drawn"] or c["role"] != "graphics-document" or len(c["aria"]) < 40]
        if bad or read["printed"] or read["tables"]:
            problems[name] = {"charts": bad[:3], "printed": read["printed"][:3],
                              "tables wider than the screen": read["tables"][:3]}
        charts += len(read["charts"])
    assert charts >= 25, charts
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


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


def test_interactive_readouts_stay_next_to_their_controls_on_a_phone(visits):
    """On a phone the controls come first, and the model's reading they change is
    in the column (not off to the right) within one screen of them: choosing a
    side or a period visibly changes something. Every chart with a readout, on
    every page; the explorer and the history player on triangles.html."""
    with_readout = {name: [c for c in found["readouts"] if c["readout_lines"]]
                    for name, found in visits["phone"].items()}
    assert len(with_readout["book/triangles.html"]) >= 2, visits["phone"]["book/triangles.html"]["readouts"]
    problems = {}
    for name, charts in with_readout.items():
        for c in charts:
            wrong = [what for what, ok in [
                ("controls not above the chart", c["controls_above"]),
                ("controls off the screen", 0 <= c["controls_left"] < c["W"]),
                ("readout off to the right", c["readout_right"] <= c["W"]),
                ("readout more than a screen below its controls", c["readout_reach"] <= c["H"])] if not ok]
            if wrong:
                problems.setdefault(name, []).append({"wrong": wrong, **c})
    assert not problems, json.dumps(problems, indent=1)


# ---------------------------------------------------------------------------
# Accessibility audit
# ---------------------------------------------------------------------------

def test_axe_finds_no_serious_or_critical_violation(visits):
    audited = visits["laptop"]
    blocking = {name: [v for v in found["axe"] if v["impact"] in BLOCKING]
                for name, found in audited.items()}
    blocking = {name: found for name, found in blocking.items() if found}
    assert len(audited) >= 8, sorted(audited)
    assert not blocking, json.dumps(blocking, indent=1, ensure_ascii=False)[:6000]


# ---------------------------------------------------------------------------
# Source markers
# ---------------------------------------------------------------------------

def markdown_of(source: Path) -> str:
    """The prose of a page: Markdown cells of a notebook, or the .md file,
    without code (fenced blocks and inline code are not prose)."""
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = source.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`]*`", "", text)


def test_every_citation_is_a_marker_naming_its_document(visits):
    labels = {"Op-ed", "Kim", "Vu"}
    seen = 0
    for name, found in articles(visits, "laptop").items():
        prose = markdown_of(source_of(HTML / name))
        cited = {(sid, normalise(" ".join(p.split()))) for sid, p in citations(prose)}
        assert not missing_phrases(prose), (name, missing_phrases(prose))
        markers = found["markers"]
        shown = normalise(" ".join(m["tip"] for m in markers))
        for sid, phrase in cited:
            assert normalise(f"\u201c{phrase}\u201d") in shown, (name, sid, phrase)
        left = re.findall(r'\b(?:000|003|004)\s+["\u201c]', found["text"])
        assert not left, f"{name}: citations left as text: {left[:3]}"
        for m in markers:
            assert m["label"] in labels, (name, m["label"])
            assert not re.search(r"\.txt|_[0-9a-f]{8,}", m["tip"] + (m["entry"] or "")), (name, m)
            assert m["described"] and not m["tipShown"], (name, m)
            assert m["inList"] and m["back"] == f"#{m['id']}", (name, m)
            assert m["entry"] and all(q in normalise(m["entry"]) for q in re.findall(
                "\u201c[^\u201d]*\u201d", normalise(m["tip"]))), (name, m)
        seen += len(markers)
    assert seen >= 400, seen


# ---------------------------------------------------------------------------
# Page weight
# ---------------------------------------------------------------------------

def _heaviest(files: dict[str, int]) -> str:
    return ", ".join(f"{Path(f).name} {s / KB:.0f} KB"
                     for f, s in sorted(files.items(), key=lambda kv: -kv[1])[:4])


def weights(visits) -> dict[str, dict]:
    """page -> the weight its laptop visit measured, with whether it draws charts."""
    return {name: {**found["weight"], "charts": found["charts"]}
            for name, found in articles(visits, "laptop").items()}


def test_text_pages_stay_within_budget(visits):
    text = {n: w for n, w in weights(visits).items() if not w["charts"]}
    assert len(text) >= 4, sorted(text)
    over = {n: f"{w['bytes'] / MB:.2f} MB ({_heaviest(w['files'])})"
            for n, w in text.items() if w["bytes"] > TEXT_PAGE_BUDGET}
    assert not over, over
    for name, w in text.items():
        names = {Path(f).name for f in w["files"]}
        assert not names & {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}, name


def test_chart_pages_stay_within_budget(visits):
    charts = {n: w for n, w in weights(visits).items() if w["charts"]}
    assert len(charts) >= 4, sorted(charts)
    over = {n: f"{w['bytes'] / MB:.2f} MB ({_heaviest(w['files'])})"
            for n, w in charts.items() if w["bytes"] > CHART_PAGE_BUDGET}
    assert not over, over


def test_heaviest_html_within_budget(visits):
    over = {n: f"{w['html'] / KB:.0f} KB" for n, w in weights(visits).items() if w["html"] > HTML_BUDGET}
    assert not over, over


def test_no_page_loads_widget_javascript_or_the_full_icon_set(visits):
    unwanted = {"embed-amd.js", "require.js", "fontawesome.js", "fa-solid-900.woff2"}
    if compile_charts():
        unwanted.add("vega-lite.min.js")
    for name, w in weights(visits).items():
        names = {Path(f).name for f in w["files"]}
        assert not names & unwanted, (name, names & unwanted)
