"""The reading edition of the built book, offline in a browser: what a reader
does on a few pages (every page at every width: ``test_pages.py``).

- navigation: the menu and the page contents open and their links work at
  phone (390 px) and tablet (800 px) widths; nothing covers the search button;
- source markers: a marker's phrase shows on hover, keyboard focus and tap,
  and without JavaScript; Enter or a second tap opens the section's list;
- no saved ipywidget and no widget JavaScript reaches a reader;
- the chart files: compiled with the Vega-Lite line Altair writes, one file per
  page, the page keeping only placeholders; the icon font cut to the icons used.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import HTML, LAPTOP, PHONE, built_pages, chart_files, compile_charts, open_offline, source_of

TABLET = (800, 1000)


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


# ---------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390px", "800px"])
def test_menu_and_page_contents_open_and_their_links_work(book, solo_browser, size):
    context, page, blocked, errors = open_at(solo_browser, HTML / "book" / "triangles.html", size)
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
# Source markers
# ---------------------------------------------------------------------------

def _first_marker(page):
    marker = page.locator("a.source-marker").first
    ref = page.locator(".source-ref").first
    return marker, ref.locator(".source-tip")


def test_marker_phrase_shows_on_hover_and_focus_and_hides_on_escape(book, solo_browser):
    context, page, blocked, errors = open_at(solo_browser, HTML / "book" / "triangles.html", LAPTOP)
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


def test_marker_phrase_shows_on_tap_and_a_second_tap_opens_the_list(book, solo_browser):
    context, page, blocked, errors = open_at(solo_browser, HTML / "book" / "korea_1961.html", PHONE,
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


def test_marker_phrase_shows_without_javascript(book, solo_browser):
    context, page, _, _ = open_at(solo_browser, HTML / "book" / "how-to-use.html", LAPTOP,
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
# Chart files and icons
# ---------------------------------------------------------------------------

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
