"""The built book: a clean -W -n build, no CDN, and every page working offline
in a real browser (Playwright driving Debian's chromium, network blocked)."""
from __future__ import annotations

import json
import re

import altair as alt

from conftest import HTML, ROOT, built_pages, open_offline

CDN = re.compile(r'(?:src|href)\s*=\s*"(?:https?:)?//[^"]*(?:cdn|unpkg|jsdelivr|cdnjs|googleapis|esm\.sh)[^"]*"',
                 re.I)
EXTERNAL_SCRIPT = re.compile(r'<script[^>]+src\s*=\s*"(?:https?:)?//', re.I)


def test_book_builds_without_warnings(built_book):
    assert built_book["returncode"] == 0, built_book["log"]
    # Sphinx's warnings ("path: WARNING: ..."), not the kernel's log lines.
    assert not re.search(r"WARNING: ", built_book["log"]), built_book["log"]


def test_every_chapter_in_toc_is_built(built_book):
    toc = (ROOT / "_toc.yml").read_text()
    files = re.findall(r"file:\s*(\S+)", toc) + re.findall(r"root:\s*(\S+)", toc)
    assert files
    for name in files:
        assert (HTML / f"{name}.html").exists(), name


def test_no_page_loads_anything_from_a_cdn(built_book):
    pages = built_pages()
    assert len(pages) >= 3
    offenders = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = CDN.findall(html) + EXTERNAL_SCRIPT.findall(html)
        if found:
            offenders[str(page.relative_to(HTML))] = found[:3]
    assert not offenders, offenders


def test_vega_lite_served_matches_altair():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    served = lock["packages"]["node_modules/vega-lite"]["version"]
    assert served == alt.VEGALITE_VERSION
    assert lock["packages"]["node_modules/vega"]["version"].split(".")[0] == alt.VEGA_VERSION
    assert lock["packages"]["node_modules/vega-embed"]["version"].split(".")[0] == alt.VEGAEMBED_VERSION


def test_every_page_works_offline_in_a_browser(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    problems = {}
    charts_seen = 0
    for path in built_pages():
        page, blocked, errors = open_offline(browser, path)
        containers = page.locator("div[id^='altair-viz-']")
        if containers.count():
            try:
                page.wait_for_function(
                    "() => [...document.querySelectorAll(\"div[id^='altair-viz-']\")].every("
                    "e => e.querySelector('svg, canvas'))", timeout=20000)
            except Exception:  # reported below with the page's errors
                errors.append("a chart container has no svg or canvas after 20 s")
        charts_seen += containers.count()
        altair_errors = page.locator("div.error").all_inner_texts()
        if blocked or errors or altair_errors:
            problems[str(path.relative_to(HTML))] = {"blocked": blocked[:3], "errors": errors[:3],
                                                     "chart errors": altair_errors[:3]}
        page.close()
    assert not problems, problems
    assert charts_seen > 0, "no chart found in the built book"
