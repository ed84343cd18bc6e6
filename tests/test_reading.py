"""The reading edition of the built book, offline in a browser.

- navigation: the menu and the page contents open and their links work at
  phone (390 px) and tablet (800 px) widths; nothing covers the search button;
- layout: on every page at 390 x 844 and 1366 x 900 the menu opens, no element
  is wider than the viewport unless it sits in a scroll box that shows it
  scrolls, no printed output is wider than its box, and no code is shown
  until a reader asks for it;
- source markers: every citation written in a page's Markdown is a marker in
  its HTML, names its document (never a file), shows its phrase on hover,
  keyboard focus and tap, and is listed under "Sources for this section";
- no saved ipywidget and no widget JavaScript reaches a reader;
- page weight (every file a page requests) within the budget of issue 14, with
  the time to the first drawn chart reported as a benchmark figure.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect

from alliances.data.citations import citations, missing_phrases, normalise
from conftest import CHROMIUM, HTML, ROOT, built_pages, chart_files, open_offline

PHONE, TABLET, LAPTOP = (390, 844), (800, 1000), (1366, 900)
CHARTS = "div[id^='altair-viz-']"
KB, MB = 1000, 1000 * 1000
#: Issue 14's budget: bytes of every file a page requests.
CHART_PAGE_BUDGET = 1.5 * MB
TEXT_PAGE_BUDGET = 0.8 * MB
HTML_BUDGET = 250 * KB


@pytest.fixture(scope="module")
def reader(playwright):
    """A browser of its own, for contexts with touch or without JavaScript."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def book(built_book) -> list[Path]:
    """Every built page with an article (not index.html, which only redirects)."""
    assert built_book["returncode"] == 0, built_book["log"]
    return [p for p in built_pages() if 'class="bd-article"' in p.read_text(encoding="utf-8")]


def open_at(browser, path: Path, size, **options):
    """A built page in a new context of the given viewport size, every request
    that is not a file blocked; returns (context, page, blocked, errors)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **options)
    page, blocked, errors = open_offline(context, path)
    return context, page, blocked, errors


def wait_for_charts(page) -> None:
    if page.locator(CHARTS).count():
        page.wait_for_function(
            f"() => [...document.querySelectorAll(\"{CHARTS}\")].every(e => e.querySelector('svg'))",
            timeout=20000)


def source_of(path: Path) -> Path:
    """The .ipynb or .md file a built page comes from."""
    stem = path.relative_to(HTML).with_suffix("")
    for suffix in (".ipynb", ".md"):
        if (ROOT / stem).with_suffix(suffix).exists():
            return (ROOT / stem).with_suffix(suffix)
    raise AssertionError(f"no source for {path}")


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


# ---------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390px", "800px"])
def test_menu_and_page_contents_open_and_their_links_work(book, reader, size):
    context, page, blocked, errors = open_at(reader, HTML / "book" / "triangles.html", size)
    try:
        # The menu (book contents): opens, and a chapter link in it works.
        page.locator(".primary-toggle:visible").click()
        menu = page.locator("#pst-primary-sidebar-modal")
        expect(menu).to_be_visible()
        chapter = menu.get_by_role("link", name=re.compile("Sino-Soviet alliance"))
        expect(chapter).to_be_visible()
        chapter.click()
        expect(page).to_have_url(re.compile(r"/book/sino_soviet\.html$"))
        page.wait_for_load_state("load")  # the theme's buttons work once its scripts ran

        # The page contents: opens, and a section link in it works.
        page.locator(".secondary-toggle:visible").click()
        contents = page.locator("#pst-secondary-sidebar-modal")
        expect(contents).to_be_visible()
        link = contents.locator("a.nav-link").nth(2)
        href = link.get_attribute("href")
        assert href and href.startswith("#"), href
        link.click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        expect(contents).to_be_hidden()
        expect(page.locator(f"[id='{href[1:]}'] > :is(h1, h2, h3)").first).to_be_in_viewport()

        # Nothing (such as a tooltip left by the buttons) covers the search button.
        search = page.locator(".search-button:visible").first
        expect(search).to_be_visible()
        box = search.bounding_box()
        on_top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.search-button')",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert on_top, "something covers the search button"
        expect(page.locator(".tooltip")).to_have_count(0)
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()


# ---------------------------------------------------------------------------
# Layout at phone and laptop widths
# ---------------------------------------------------------------------------

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


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1366x900"])
def test_every_page_fits_its_screen_and_its_menu_opens(book, reader, size):
    problems = {}
    for path in book:
        name = path.relative_to(HTML).as_posix()
        context, page, blocked, errors = open_at(reader, path, size)
        try:
            wait_for_charts(page)
            page.evaluate("() => document.fonts.ready.then(() => true)")
            found = page.evaluate(LAYOUT)
            if found["pageWidth"] > found["viewport"] or found["wide"] or found["unmarked"] \
                    or found["pres"] or found["code"]:
                problems[name] = found
            # The book's menu: always shown on a laptop, one tap away on a phone.
            nav = page.locator("nav.bd-docs-nav a.reference").first
            if size == PHONE:
                expect(nav).to_be_hidden()
                page.locator(".primary-toggle:visible").click()
                expect(page.locator("#pst-primary-sidebar-modal nav.bd-docs-nav")).to_be_visible()
                page.keyboard.press("Escape")
                expect(page.locator("#pst-primary-sidebar-modal")).to_be_hidden()
            else:
                expect(nav).to_be_visible()
            if blocked or errors:
                problems.setdefault(name, {}).update(blocked=blocked[:3], errors=errors[:3])
        finally:
            context.close()
    assert len(book) >= 8, book
    assert not problems, json.dumps(problems, indent=1)


# ---------------------------------------------------------------------------
# Source markers
# ---------------------------------------------------------------------------

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


def test_every_citation_is_a_marker_naming_its_document(book, browser):
    labels = {"Op-ed", "Kim", "Vu"}
    seen = 0
    for path in book:
        prose = markdown_of(source_of(path))
        cited = {(sid, normalise(" ".join(p.split()))) for sid, p in citations(prose)}
        assert not missing_phrases(prose), (path.name, missing_phrases(prose))
        page, blocked, errors = open_offline(browser, path)
        try:
            markers = page.evaluate(MARKERS)
            text = page.evaluate(ARTICLE_TEXT)
        finally:
            page.close()
        name = path.relative_to(HTML).as_posix()
        shown = normalise(" ".join(m["tip"] for m in markers))
        for sid, phrase in cited:
            assert normalise(f"\u201c{phrase}\u201d") in shown, (name, sid, phrase)
        left = re.findall(r'\b(?:000|003|004)\s+["\u201c]', text)
        assert not left, f"{name}: citations left as text: {left[:3]}"
        for m in markers:
            assert m["label"] in labels, (name, m["label"])
            assert not re.search(r"\.txt|_[0-9a-f]{8,}", m["tip"] + (m["entry"] or "")), (name, m)
            assert m["described"] and not m["tipShown"], (name, m)
            assert m["inList"] and m["back"] == f"#{m['id']}", (name, m)
            assert m["entry"] and all(q in normalise(m["entry"]) for q in re.findall(
                "\u201c[^\u201d]*\u201d", normalise(m["tip"]))), (name, m)
        seen += len(markers)
        assert not blocked and not errors, (name, blocked, errors)
    assert seen >= 400, seen


def _first_marker(page):
    marker = page.locator("a.source-marker").first
    ref = page.locator(".source-ref").first
    return marker, ref.locator(".source-tip")


def test_marker_phrase_shows_on_hover_and_focus_and_hides_on_escape(book, reader):
    context, page, blocked, errors = open_at(reader, HTML / "book" / "triangles.html", LAPTOP)
    try:
        marker, tip = _first_marker(page)
        expect(tip).to_be_hidden()
        marker.hover()
        expect(tip).to_be_visible()
        expect(tip).to_contain_text("\u201c")
        box, view = tip.bounding_box(), page.viewport_size
        assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], box
        page.mouse.move(0, 0)
        expect(tip).to_be_hidden()
        # keyboard: Tab reaches the marker, its phrase shows; Escape hides it
        page.focus("body")
        for _ in range(400):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('source-marker')"):
                break
        else:
            raise AssertionError("no source marker reached with Tab")
        focused_tip = page.locator("a.source-marker:focus + .source-tip")
        expect(focused_tip).to_be_visible()
        description = page.evaluate(
            "() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
        assert "\u201c" in description
        page.keyboard.press("Escape")
        expect(focused_tip).to_be_hidden()
        # Enter follows it to the section's list, which opens
        page.keyboard.press("Enter")
        target = page.evaluate("() => location.hash")
        assert target.startswith("#src-"), target
        expect(page.locator(f"[id='{target[1:]}']")).to_be_visible()
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()


def test_marker_phrase_shows_on_tap_and_a_second_tap_opens_the_list(book, reader):
    context, page, blocked, errors = open_at(reader, HTML / "book" / "korea_1961.html", PHONE,
                                             has_touch=True, is_mobile=True)
    try:
        marker, tip = _first_marker(page)
        marker.scroll_into_view_if_needed()
        marker.tap()
        expect(tip).to_be_visible()
        box, view = tip.bounding_box(), page.viewport_size
        assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], box
        assert 0 <= box["y"] and box["y"] + box["height"] <= view["height"], box
        assert page.evaluate("() => location.hash") == ""
        marker.tap()
        expect(page).to_have_url(re.compile(r"#src-\d+$"))
        target = page.evaluate("() => location.hash")
        expect(page.locator(f"[id='{target[1:]}']")).to_be_visible()
        # a tap elsewhere closes an open phrase
        page.locator("a.source-marker").nth(1).scroll_into_view_if_needed()
        page.locator("a.source-marker").nth(1).tap()
        other = page.locator(".source-ref").nth(1).locator(".source-tip")
        expect(other).to_be_visible()
        page.locator("article h1").first.tap()
        expect(other).to_be_hidden()
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()


def test_marker_phrase_shows_without_javascript(book, reader):
    context, page, _, _ = open_at(reader, HTML / "book" / "how-to-use.html", LAPTOP,
                                  java_script_enabled=False)
    try:
        marker, tip = _first_marker(page)
        marker.hover()
        expect(tip).to_be_visible()
        marker.click()
        expect(page).to_have_url(re.compile(r"#src-\d+$"))
    finally:
        context.close()


# ---------------------------------------------------------------------------
# Saved widgets
# ---------------------------------------------------------------------------

def _widget_cells(source: Path) -> int:
    if source.suffix != ".ipynb":
        return 0
    count = 0
    for cell in json.loads(source.read_text(encoding="utf-8"))["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"remove-cell", "remove-output"}:
            continue
        count += sum("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                     for out in cell.get("outputs", []))
    return count


def test_no_saved_widget_reaches_the_reader(book):
    notes = 0
    for path in book:
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(HTML).as_posix()
        assert "application/vnd.jupyter.widget" not in html, name
        assert not re.search(r"embed-amd|require(?:\.min)?\.js|html-manager", html), name
        found = html.count('class="live-widget-note')
        assert found == _widget_cells(source_of(path)), (name, found)
        notes += found
    assert notes >= 1


# ---------------------------------------------------------------------------
# Page weight
# ---------------------------------------------------------------------------

FIRST_CHART = """new MutationObserver((_, observer) => {
  if (document.querySelector("div[id^='altair-viz-'] svg")) {
    window.__firstChart = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""


@pytest.fixture(scope="module")
def weights(book, reader) -> dict[str, dict]:
    """For every page: the bytes of each file it requests, whether it draws
    charts, and when (ms after navigation) its first chart was drawn."""
    found = {}
    for path in book:
        context = reader.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
        context.add_init_script(FIRST_CHART)
        files: dict[str, int] = {}

        def on_request(request, files=files):
            if request.url.startswith("file://"):
                local = Path(unquote(urlparse(request.url).path))
                files[str(local)] = local.stat().st_size if local.is_file() else 0

        context.on("request", on_request)
        page, blocked, errors = open_offline(context, path)
        charts = page.locator(CHARTS).count()
        wait_for_charts(page)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        first = page.evaluate("() => window.__firstChart || null")
        found[path.relative_to(HTML).as_posix()] = {
            "bytes": sum(files.values()), "files": files, "charts": charts,
            "html": path.stat().st_size, "first_chart_ms": first}
        assert not blocked and not errors, (path.name, blocked, errors)
        context.close()
    print("\npage weight (bytes of every file requested) and first chart drawn:")
    for name, w in found.items():
        first = f"{w['first_chart_ms']:.0f} ms" if w["first_chart_ms"] else "-"
        print(f"  {name:28} {w['bytes'] / MB:5.2f} MB  html {w['html'] / KB:4.0f} KB  "
              f"charts {w['charts']:2}  first chart {first}")
    return found


def _heaviest(files: dict[str, int]) -> str:
    return ", ".join(f"{Path(f).name} {s / KB:.0f} KB"
                     for f, s in sorted(files.items(), key=lambda kv: -kv[1])[:4])


def test_text_pages_stay_within_budget(weights):
    text = {n: w for n, w in weights.items() if not w["charts"]}
    assert len(text) >= 4, sorted(text)
    over = {n: f"{w['bytes'] / MB:.2f} MB ({_heaviest(w['files'])})"
            for n, w in text.items() if w["bytes"] > TEXT_PAGE_BUDGET}
    assert not over, over
    for name, w in text.items():
        names = {Path(f).name for f in w["files"]}
        assert not names & {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}, name


def test_chart_pages_stay_within_budget(weights):
    charts = {n: w for n, w in weights.items() if w["charts"]}
    assert len(charts) >= 4, sorted(charts)
    over = {n: f"{w['bytes'] / MB:.2f} MB ({_heaviest(w['files'])})"
            for n, w in charts.items() if w["bytes"] > CHART_PAGE_BUDGET}
    assert not over, over


def test_heaviest_html_within_budget(weights):
    over = {n: f"{w['html'] / KB:.0f} KB" for n, w in weights.items() if w["html"] > HTML_BUDGET}
    assert not over, over


def compile_charts() -> bool:
    """The book's setting ``alliances_compile_charts`` (on unless _config.yml says)."""
    import yaml
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return (config.get("sphinx", {}).get("config", {}) or {}).get("alliances_compile_charts", True)


def test_no_page_loads_widget_javascript_or_the_full_icon_set(weights):
    unwanted = {"embed-amd.js", "require.js", "fontawesome.js", "fa-solid-900.woff2"}
    if compile_charts():
        unwanted.add("vega-lite.min.js")
    for name, w in weights.items():
        names = {Path(f).name for f in w["files"]}
        assert not names & unwanted, (name, names & unwanted)


def chart_payloads(book) -> dict[str, dict]:
    """For each page with charts: the payload of the chart file it loads
    (alliances.sphinxext), as JSON."""
    found = {}
    for path in book:
        files = chart_files(path)
        if not files:
            continue
        assert len(files) == 1, (path.name, files)
        text = files[0].read_text(encoding="utf-8")
        call = re.search(r"^window\.allianceCharts\.draw\((.*)\);$", text, re.M | re.S)
        assert call, files[0]
        found[path.relative_to(HTML).as_posix()] = json.loads(call.group(1))
    return found


def test_charts_are_compiled_with_the_vega_lite_line_altair_writes(book):
    import vl_convert

    from alliances.sphinxext import vegalite_version
    assert vegalite_version() in vl_convert.get_vegalite_versions()
    payloads = chart_payloads(book)
    assert len(payloads) >= 4, sorted(payloads)
    mode = "vega" if compile_charts() else "vega-lite"
    for name, payload in payloads.items():
        modes = {chart["options"]["mode"] for chart in payload["charts"]}
        assert modes == {mode}, (name, modes)


def test_chart_specs_live_in_one_file_per_page_and_the_html_keeps_placeholders(book):
    """No chart spec or chart script is left in a page; each placeholder the
    page keeps is filled by exactly one chart of its file, in page order."""
    payloads = chart_payloads(book)
    for path in book:
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(HTML).as_posix()
        assert "vegaEmbed(" not in html and '"$schema"' not in html, name
        placeholders = re.findall(r'<div id="(altair-viz-[0-9a-f]+)"', html)
        charts = [c["id"] for c in payloads.get(name, {"charts": []})["charts"]]
        assert placeholders == charts, (name, placeholders, charts)


def test_every_icon_a_page_names_is_in_the_cut_icon_font(book):
    """The theme's icon rules and fonts are cut to the icons the pages use
    (alliances.sphinxext): each icon class on a page keeps its rule, and its
    glyph is in one of the subset fonts the stylesheet loads."""
    from fontTools.ttLib import TTFont

    css = (HTML / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(\.\./(vendor/fontawesome/webfonts/[\w.-]+\.subset\.woff)\)", css)
    assert len(fonts) == 3 and "fa-solid-900.woff2" not in css, fonts
    cmap = set()
    for font in fonts:
        cmap |= set(TTFont(HTML / "_static" / font).getBestCmap())
    glyphs = {}
    for selectors, content in re.findall(r"((?:\.fa-[\w-]+::?before,?)+)\{content:\"([^\"]*)\"\}", css):
        for name in re.findall(r"\.(fa-[\w-]+)", selectors):
            # a CSS escape ("\\f0c9") or the character itself
            escapes = re.findall(r"\\([0-9a-fA-F]{1,6})", content)
            glyphs[name] = "".join(chr(int(h, 16)) for h in escapes) or content
    named = {c for p in book for c in re.findall(r'class="[^"]*"', p.read_text(encoding="utf-8"))
             for c in re.findall(r"\bfa-[a-z0-9-]+", c)}
    icons = {n for n in named if n not in {"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw"}}
    assert {"fa-bars", "fa-list", "fa-magnifying-glass"} <= icons, icons
    for name in icons:
        assert name in glyphs, f"{name}: no rule left in the stylesheet"
        assert all(ord(ch) in cmap for ch in glyphs[name]), f"{name}: glyph not in the subset fonts"
    assert len(glyphs) < 60, len(glyphs)  # cut from ~2,000
