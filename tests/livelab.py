"""Fixtures and helpers for the live-JupyterLab tests (``test_live.py``; ``test_hub.py`` uses its settings and chart check).

Live notebooks in a real JupyterLab, as a class meets them.

Starts JupyterLab the way ``make live`` does (project environment, loopback
only, a token, ``ALLIANCES_RENDER=live``) on a free port, opens every chapter
and exercise notebook in Debian's chromium, runs all cells, and checks that no
cell errors and that Altair charts render as charts (the triangle explorer and
the history player are driven in ``test_hub.py``). The server is shut down at the end
and no process of it may be left behind.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, ROOT

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)
CHAPTERS = [n for n in NOTEBOOKS if not n.startswith("book/exercises/")]
EXERCISES = [n for n in NOTEBOOKS if n.startswith("book/exercises/")]
#: The chapter ``test_hub.py`` runs live through a real JupyterHub (driving its explorer and
#: history player); ``test_live.py`` runs the other notebooks.
HUB_CHAPTER = "book/triangles.ipynb"
SETTINGS = {
    # Render every cell, not only those in view, so every chart can be checked.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none", "autoStartDefaultKernel": True},
    # Never write back to the notebooks (they are opened from a copy anyway).
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # No news or update checks: the test runs with no network.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_under(marker: str) -> list[psutil.Process]:
    """Processes whose command line or working folder is under ``marker``."""
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            if any(marker in part for part in proc.info["cmdline"] or []) or \
                    (proc.info["cwd"] or "").startswith(marker):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@pytest.fixture(scope="module")
def lab():
    """A JupyterLab server on a free loopback port; yields (base_url, token)."""
    tmp = Path(tempfile.mkdtemp(prefix="alliances-lab-"))
    for name, value in SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    # Lab opens a copy of the book, so running cells can never change the
    # committed, executed notebooks.
    shutil.copytree(ROOT / "book", tmp / "root" / "book",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    port, token = free_port(), secrets.token_hex(16)
    # the kernels keep the Vega bundle in a cache of this server's own (the first builds it)
    env = {**os.environ, "ALLIANCES_RENDER": "live", "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
           "ALLIANCES_CACHE": str(tmp / "cache")}
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={port}",
         "--no-browser", "--allow-root", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={tmp / 'root'}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
         f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
         # the test waits on JupyterLab's own state (window.jupyterapp), not on time
         "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("JupyterLab did not start:\n" + (tmp / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    try:
        yield base, token
    finally:
        request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
        try:
            urllib.request.urlopen(request, timeout=10)
            proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        left = processes_under(str(tmp))
        for p in left:
            p.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        assert not left, f"processes left behind by JupyterLab: {[p.pid for p in left]}"


@pytest.fixture(scope="module")
def lab_browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                   args=["--no-sandbox", "--disable-gpu",
                                         "--disable-background-networking", "--no-first-run"])
    yield b
    b.close()


#: JupyterLab itself, exposed as ``window.jupyterapp`` for the test: the tests
#: wait on its state, never on time. ``RESTORED``: the app has started.
RESTORED = """() => {
    const app = window.jupyterapp;
    if (!app) return false;
    if (!window.__restored) { window.__restored = 'no'; app.restored.then(() => { window.__restored = 'yes'; }); }
    return window.__restored === 'yes';
}"""
#: The notebook open in the main area has its kernel connected and idle
#: ("ready"), or JupyterLab asks which kernel to start ("dialog").
KERNEL_READY = """(path) => {
    if (document.querySelector('.jp-Dialog')) return 'dialog';
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return false;
    const session = panel.sessionContext.session;
    const kernel = session && session.kernel;
    return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle' ? 'ready' : false;
}"""
#: Closes the notebook shown (shutting its kernel down) and opens ``path``.
OPEN = """(path) => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    const closed = panel && panel.sessionContext ? panel.sessionContext.shutdown().then(() => panel.dispose())
                                                 : Promise.resolve();
    window.__opened = 'opening';
    closed.then(() => app.commands.execute('docmanager:open', {path}))
          .then(() => { window.__opened = 'yes'; }, e => { window.__opened = 'failed: ' + e; });
}"""
#: Runs every cell with JupyterLab's own command; its promise settles when the last cell has run.
RUN_ALL = """() => {
    window.__ran = 'running';
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        () => { window.__ran = 'done'; }, e => { window.__ran = 'failed: ' + e; });
}"""


class LabTab:
    """One JupyterLab tab in the browser, in which a test module opens its
    notebooks one after another (as a student keeps one tab open). ``blocked``
    and ``errors`` hold the blocked requests and JavaScript errors since the
    notebook shown was opened."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.notebook: str | None = None  #: the notebook shown
        self.ran: str | None = None       #: the notebook shown, once all its cells have run

    def route(self, r):
        if r.request.url.startswith(self.base) or r.request.url.startswith(("data:", "blob:")):
            return r.continue_()
        self.blocked.append(r.request.url)
        return r.abort()


@pytest.fixture(scope="module")
def lab_tab(lab, lab_browser):
    """JupyterLab open in the browser, restored, on an empty workspace of its own."""
    base, token = lab
    page = lab_browser.new_page(viewport={"width": 1400, "height": 1000})
    tab = LabTab(page, base)
    page.route("**/*", tab.route)
    page.on("pageerror", lambda e: tab.errors.append(str(e)))
    page.goto(f"{base}/lab/workspaces/live-{secrets.token_hex(4)}?reset&token={token}")
    page.wait_for_function(RESTORED, timeout=120000)
    yield tab
    page.close()


def open_and_run(tab: LabTab, notebook: str):
    """Open ``notebook`` in the tab (closing the one before), run all cells;
    return (page, blocked, js_errors), the last two since it was opened."""
    page = tab.page
    tab.blocked.clear()
    tab.errors.clear()
    tab.notebook, tab.ran = notebook, None
    page.evaluate(OPEN, notebook)
    page.wait_for_function("() => window.__opened !== 'opening'", timeout=60000)
    opened = page.evaluate("() => window.__opened")
    assert opened == "yes", f"JupyterLab could not open {notebook}: {opened}"
    if page.wait_for_function(KERNEL_READY, arg=notebook, timeout=120000).json_value() == "dialog":
        page.locator(".jp-Dialog button", has_text="Select").click()  # start the notebook's kernel
        page.wait_for_function(f"(path) => ({KERNEL_READY})(path) === 'ready'", arg=notebook, timeout=120000)
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.__ran !== 'running'", timeout=300000)
    ran = page.evaluate("() => window.__ran")
    assert ran == "done", f"{notebook}: Run All Cells {ran}"
    page.wait_for_function(f"(path) => ({KERNEL_READY})(path) === 'ready'", arg=notebook, timeout=60000)
    tab.ran = notebook
    return page, tab.blocked, tab.errors


def unexecuted_cells(page) -> int:
    """Code cells with no execution count: Run All stopped before them."""
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    return sum(not re.search(r"\[\d+\]", p) for p in prompts)


def cell_errors(page) -> list[str]:
    texts = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    return [t[:300] for t in texts if re.search(r"Traceback|Error", t)]


def expected_charts(notebook: str) -> int:
    """How many charts the committed notebook shows: chart outputs of its cells,
    and charts inside its widgets' saved outputs (a ChartView)."""
    nb = json.loads((ROOT / notebook).read_text())

    def is_chart(output) -> bool:
        return "vegaEmbed" in "".join(output.get("data", {}).get("text/html", ""))

    cells = sum(is_chart(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    views = sum(is_chart(o) for m in state.get("state", {}).values() if m["model_name"] == "OutputModel"
                for o in m["state"].get("outputs", []))
    return cells + views


def expect_charts_drawn(page, notebook: str) -> int:
    """Wait until the notebook in JupyterLab shows, drawn (an svg or a canvas),
    as many charts as the committed notebook holds; return that number."""
    want = expected_charts(notebook)
    drawn = page.locator(".jp-OutputArea-output .vega-embed:has(svg, canvas)")
    expect(drawn, f"{notebook}: {want} charts drawn live").to_have_count(want, timeout=60000)
    return want


def check_notebook_runs(tab: LabTab, notebook: str) -> None:
    """Run ``notebook`` live and check it: no cell error, every cell run, no
    JavaScript error or blocked request, every chart drawn."""
    page, blocked, errors = open_and_run(tab, notebook)
    assert not cell_errors(page), cell_errors(page)
    assert unexecuted_cells(page) == 0, "some cells did not run"
    assert not errors, errors
    assert not blocked, blocked
    unrendered = page.locator(".jp-OutputArea-output pre", has_text=re.compile(
        r"(alt\.(JupyterChart|Chart|LayerChart|VConcatChart|HConcatChart)|LiveChart)\(")).count()
    assert unrendered == 0, "a chart was shown as text instead of being drawn"
    charts = expect_charts_drawn(page, notebook)
    source = json.loads((ROOT / notebook).read_text())
    code = "".join("".join(c["source"]) for c in source["cells"] if c["cell_type"] == "code")
    if "chart" in code.lower():
        assert charts > 0, "no chart rendered"
