"""Shared fixtures: a book built once per test run, and a browser."""
from __future__ import annotations

import fcntl
import json
import shutil
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from alliances.charts.rendering import validate_when_shown
from alliances.paths import CHROMIUM  # the one default; $CHROMIUM overrides it

validate_when_shown()  # as the chapters do: each chart checked whole, at to_dict

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
HTML = BUILD / "html"
#: The reader's screens: a phone and a laptop (width, height in CSS pixels).
PHONE, LAPTOP = (390, 844), (1366, 900)
# pydata-sphinx-theme logs this when a page is opened from file:// with no
# stored theme preference; it is harmless and not ours to fix.
KNOWN_CONSOLE_NOISE = ("Got invalid theme mode",)

# Submissions written for the grader's tests are data, not notebooks to check.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def built_book(testrun_uid):
    """Build the whole book once per test run (shared by xdist workers).

    A fresh build of every page (``--all``) with warnings as errors (``-W -n``)
    so that no warning can hide in an unchanged page.
    """
    BUILD.mkdir(exist_ok=True)
    marker = BUILD / "test-build.json"
    with open(BUILD / "test-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            result = json.loads(marker.read_text())
            if result.get("run") == testrun_uid:
                return result
        shutil.rmtree(HTML, ignore_errors=True)  # no stale page survives
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all", "-W", "-n",
             "--keep-going", str(ROOT)],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "ALLIANCES_RENDER": "book"})
        result = {"run": testrun_uid, "returncode": proc.returncode,
                  "log": proc.stdout[-20000:] + proc.stderr[-20000:]}
        marker.write_text(json.dumps(result))
        return result


REDIRECT = re.compile(r'^\s*<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.I)


def built_pages() -> list[Path]:
    """Every content page of the built book (not the redirect stubs, such as
    ``index.html``, which only send the reader to a content page)."""
    skip = {"genindex.html", "search.html"}
    return sorted(p for p in HTML.rglob("*.html")
                  if p.name not in skip and "_static" not in p.parts and "_sources" not in p.parts
                  and not REDIRECT.match(p.read_text(encoding="utf-8")[:300]))


#: A page's chart file (alliances.sphinxext): the specs and data its charts draw.
CHART_FILE = re.compile(r'<script defer="defer" src="(?:\.\./)*(_static/charts/[^"?]+\.js)')


def chart_files(page: Path) -> list[Path]:
    """The chart files a built page loads (none on a page without charts)."""
    return [HTML / name for name in CHART_FILE.findall(page.read_text(encoding="utf-8"))]


def source_of(path: Path) -> Path:
    """The .ipynb or .md file a built page comes from."""
    stem = path.relative_to(HTML).with_suffix("")
    for suffix in (".ipynb", ".md"):
        if (ROOT / stem).with_suffix(suffix).exists():
            return (ROOT / stem).with_suffix(suffix)
    raise AssertionError(f"no source for {path}")


def compile_charts() -> bool:
    """The book's setting ``alliances_compile_charts`` (on unless _config.yml says)."""
    import yaml
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return (config.get("sphinx", {}).get("config", {}) or {}).get("alliances_compile_charts", True)


def page_with_charts(page: Path) -> str:
    """A built page's HTML followed by its chart files: everything the page
    itself sends, charts included."""
    return "\n".join([page.read_text(encoding="utf-8")] +
                     [f.read_text(encoding="utf-8") for f in chart_files(page)])


@pytest.fixture(scope="session")
def playwright():
    """The one Playwright driver of a test process (the sync API allows one)."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def solo_browser(playwright):
    """A browser of the test module's own, for tests that open one page at a
    time in a fresh context (no tab is ever in the background)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser(playwright):
    """Debian's chromium driven by Playwright (no browser download), with a
    fresh profile, for opening the built book from disk."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        yield context
        context.close()


#: Records when the page last changed, so a test can wait for it to settle.
WATCH_CHANGES = """
window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); }).observe(
    document, {childList: true, subtree: true, attributes: true, characterData: true});
"""
CHARTS_DRAWN = ("[...document.querySelectorAll(\"div[id^='altair-viz-']\")]"
                ".every(e => e.querySelector('svg, canvas'))")
#: How long the page must stay unchanged to count as settled: longer than the
#: debounce of the book's own ``_static/a11y-fixes.js`` (100 ms after a change).
QUIET_MS = 300


def settle(page, timeout: float = 30_000) -> None:
    """Wait until every chart on the page is drawn and the page has stopped
    changing (no DOM change for :data:`QUIET_MS`): widgets rendered, the
    book's accessibility fixes applied. Raises Playwright's TimeoutError."""
    page.wait_for_function(f"() => ({CHARTS_DRAWN}) && performance.now() - window.__lastChange > {QUIET_MS}",
                           timeout=timeout, polling=100)


def redraws(page, svg, before: str, timeout: float = 10_000) -> bool:
    """Wait until the chart ``svg`` (a locator) no longer holds ``before``; False if it never changes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    try:
        page.wait_for_function("([el, before]) => el.innerHTML !== before",
                               arg=[svg.element_handle(), before], timeout=timeout, polling=50)
    except PlaywrightTimeoutError:
        return False
    return True


def open_offline(context, page_path: Path, viewport: tuple[int, int] | None = None):
    """Open a built page with every non-file request blocked (at ``viewport``
    width and height, if given); return the page, the list of blocked
    requests and the JavaScript errors seen. The page records its changes
    for :func:`settle`."""
    blocked, errors = [], []

    def route(r):
        if r.request.url.startswith(("file://", "data:", "blob:")):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    page = context.new_page()
    if viewport:
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.add_init_script(WATCH_CHANGES)
    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith(KNOWN_CONSOLE_NOISE) else None)
    page.bring_to_front()  # a background tab's timers are throttled
    page.goto(page_path.as_uri(), wait_until="load")
    return page, blocked, errors


#: The modules that take longest, longest first (measured with --durations=0),
#: run first: pytest-xdist hands whole files to the two workers in collection
#: order (``--no-loadscope-reorder`` in pytest.ini), so the short ones left at
#: the end even out the workers. The two first need no built book (the live
#: notebooks, the grader), so the book the browser tests share is built once
#: one of them is done.
#: The chapters' notebooks (nbval) are ranked as one entry, "book/*.ipynb".
SLOW_FIRST = ("test_live.py", "test_grading.py", "test_pages.py", "book/*.ipynb", "test_hub.py",
              "test_pdf.py", "test_grading_course.py", "test_selfcheck.py", "test_accessibility.py",
              "test_reading.py", "test_launch.py", "test_exercises.py", "test_static_interactive.py")


def _rank(item, rank: dict[str, int]) -> int:
    if item.path.suffix == ".ipynb" and "book" in item.path.parts:
        return rank["book/*.ipynb"]
    return rank.get(item.path.name, len(rank))


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: _rank(item, rank))  # stable: order within a file kept
