"""The class path, end to end, against a real JupyterHub on 127.0.0.1.

JupyterHub from PyPI with configurable-http-proxy from the npm lockfile, a
dummy authenticator (one student, a password) and JupyterHub's local-process
spawner that needs no system user (``SimpleLocalProcessSpawner``, made for
tests); nbgitpuller is installed in the environment the single-user servers
run in. The repository the link pulls is a local git clone of this one.

A student opens the triangles chapter's link as ``make hub-links`` prints
it, logs in, and nbgitpuller clones the repository into their home; the
chapter opens in JupyterLab. The test runs every cell, toggles a side of the
triangle explorer and sees the chart and the model's pattern change, sees
every chart drawn, and steps the history player. (This is the triangles
chapter's live run: ``test_live.py`` runs the other notebooks.) It
stops the hub and checks that no process it started is left. The browser
may reach nothing but the hub.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psutil
import pytest
from playwright.sync_api import expect

from alliances.model import triangle as tri
from conftest import CHROMIUM, ROOT
from livelab import HUB_CHAPTER as CHAPTER, SETTINGS as LAB_SETTINGS, expect_charts_drawn, free_port, \
    processes_under

BIN = Path(sys.executable).parent
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _config(tmp: Path, port: int, password: str) -> Path:
    settings = tmp / "lab-settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {"ALLIANCES_RENDER": "live", "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
           "ALLIANCES_CACHE": str(tmp / "cache"),  # the kernel's Vega bundle, kept in the hub's own folder
           "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
           "GIT_CONFIG_GLOBAL": str(tmp / "gitconfig")}
    (tmp / "gitconfig").write_text("[safe]\n\tdirectory = *\n")
    config = tmp / "jupyterhub_config.py"
    config.write_text(f"""
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/cookie_secret"
c.JupyterHub.pid_file = "{tmp}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.ConfigurableHTTPProxy.command = ["{PROXY}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.pid_file = "{tmp}/proxy.pid"
c.ConfigurableHTTPProxy.auth_token = "{secrets.token_hex(16)}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "{password}"
c.Authenticator.allowed_users = {{"student"}}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/home/{{username}}"
c.Spawner.cmd = ["{BIN / 'jupyterhub-singleuser'}"]
c.Spawner.args = ["--allow-root", "--LabApp.user_settings_dir={settings}",
                  "--LabApp.workspaces_dir={tmp / 'workspaces'}"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {json.dumps(env)}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 60
""")
    return config


@pytest.fixture(scope="module")
def hub():
    """A JupyterHub on a free loopback port, and a clone of this repository to
    pull; yields (url, password, repository, branch). Stops everything after."""
    tmp = Path(tempfile.mkdtemp(prefix="alliances-hub-"))
    origin = tmp / "origin" / "alliances-book"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(origin)],
                   check=True, capture_output=True)
    branch = "class"
    subprocess.run(["git", "-C", str(origin), "checkout", "--quiet", "-B", branch], check=True)
    port, password = free_port(), secrets.token_hex(8)
    config = _config(tmp, port, password)
    log = open(tmp / "hub.log", "w")
    started = time.monotonic()
    proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=tmp,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # wait for the hub's API to answer (a readiness poll, not a sleep before a check)
        try:
            urllib.request.urlopen(f"{url}/hub/api", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("JupyterHub did not start:\n" + (tmp / "hub.log").read_text()[-4000:])
            time.sleep(0.25)
    family: set[int] = set()
    try:
        yield {"url": url, "password": password, "repo": f"file://{origin}", "branch": branch,
               "tmp": tmp, "proc": proc, "family": family, "started": started}
    finally:
        try:
            family |= {p.pid for p in psutil.Process(proc.pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            pass
        family.add(proc.pid)
        os.killpg(proc.pid, signal.SIGTERM)  # the hub stops its servers and its proxy
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        gone = time.monotonic() + 15
        left = []
        while time.monotonic() < gone:
            left = [p for p in psutil.process_iter() if p.pid in family and _alive(p)]
            left += [p for p in processes_under(str(tmp)) if _alive(p)]
            if not left:
                break
            time.sleep(0.2)
        for p in left:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        log.close()
        hub_log = (tmp / "hub.log").read_text(errors="replace")
        shutil.rmtree(tmp, ignore_errors=True)
        assert not left, f"processes left behind: {[p.pid for p in left]}\n{hub_log[-2000:]}"
        print(f"\nJupyterHub class path (hub start to stop): {time.monotonic() - started:.0f} s")


def _link(hub: dict) -> str:
    """The triangles chapter's link, as ``make hub-links`` prints it."""
    proc = subprocess.run(["make", "--no-print-directory", "-s", "hub-links", f"HUB={hub['url']}",
                           f"REPO={hub['repo']}", f"BRANCH={hub['branch']}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    links = dict(re.findall(r"^chapter\s+(\S+)\n\s+(\S+)$", proc.stdout, flags=re.M))
    return links[CHAPTER]


def test_a_student_opens_a_chapter_from_its_link_runs_it_and_toggles_the_explorer(hub, playwright):
    link = _link(hub)
    query = parse_qs(urlparse(link).query)
    assert query["repo"] == [hub["repo"]] and query["urlpath"] == [f"lab/tree/alliances-book/{CHAPTER}"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking", "--no-first-run"])
    blocked, errors = [], []

    def route(r):
        if r.request.url.startswith((hub["url"], "data:", "blob:")):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        # The link first: the hub asks the student to log in, then comes back to it.
        page.goto(link)
        expect(page.locator("input[name=username]")).to_be_visible(timeout=30000)
        page.fill("input[name=username]", "student")
        page.fill("input[name=password]", hub["password"])
        page.locator("input[type=submit], button[type=submit]").first.click()
        # nbgitpuller clones the repository and JupyterLab opens the chapter.
        expect(page).to_have_url(re.compile(r"/user/student/lab/tree/alliances-book/book/triangles\.ipynb"),
                                 timeout=90000)
        home = hub["tmp"] / "home" / "student" / "alliances-book"
        assert (home / CHAPTER).is_file() and (home / ".git").is_dir()
        tab = page.locator(".lm-TabBar-tab.jp-mod-current", has_text="triangles.ipynb")
        expect(tab).to_be_visible(timeout=60000)
        panel = page.locator(".jp-NotebookPanel:visible")
        # The kernel is up (the indicator alone also says "idle" with no kernel):
        # cells run before it has connected are cleared and never executed.
        expect(page.locator("#jp-main-statusbar")).to_contain_text(
            re.compile(r"Python 3 \(ipykernel\) \| Idle"), timeout=60000)
        # Run every cell. The chapter is committed executed, so its old prompt
        # numbers prove nothing: watch each cell go through "[*]" (queued or
        # running) and come out numbered.
        prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt")
        notebook = json.loads((ROOT / CHAPTER).read_text(encoding="utf-8"))
        cells = sum(c["cell_type"] == "code" for c in notebook["cells"])
        assert cells >= 20, cells
        expect(prompts).to_have_count(cells, timeout=60000)  # every cell rendered
        panel.evaluate("""(panel) => {
          window.__ran = new Set();
          const look = () => panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')
            .forEach((p, i) => { if (p.textContent.includes('*')) window.__ran.add(i); });
          new MutationObserver(look).observe(panel, {subtree: true, childList: true, characterData: true});
        }""")
        page.locator("li.lm-MenuBar-item", has_text="Run").click()
        page.locator("li.lm-Menu-item:visible", has_text="Run All Cells").first.click()
        page.wait_for_function(f"() => window.__ran.size === {cells}", timeout=60000)
        expect(prompts.filter(has_text=re.compile(r"\*"))).to_have_count(0, timeout=120000)
        expect(prompts.filter(has_text=re.compile(r"\[\d+\]"))).to_have_count(cells)
        numbers = [int(re.search(r"\d+", t).group()) for t in prompts.all_inner_texts()]
        assert numbers == list(range(1, cells + 1)), numbers  # a fresh kernel ran them in order
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                has_text=re.compile("Traceback|Error")).count()
        # Toggle a side of the explorer: its pattern and its chart change.
        side = panel.locator("[class*='widget-toggle-buttons']", has_text="Side A–B").first
        side.scroll_into_view_if_needed()
        explorer = side.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        chart = explorer.locator(".vega-embed svg").first
        expect(chart).to_be_visible()
        before = chart.inner_html()
        amity = side.locator("button", has_text="amity")
        target = "enmity" if "mod-active" in (amity.get_attribute("class") or "") else "amity"
        side.locator("button", has_text=target).click()
        want = tri.pattern(tri.Triangle("PRC", "USSR", "DPRK", target, "amity", "amity")).value
        expect(explorer).to_contain_text(want)
        page.wait_for_function("([el, before]) => el.innerHTML !== before",
                               arg=[chart.element_handle(), before], timeout=30000)
        # Every chart of the chapter is drawn live, and the history player steps on.
        expect_charts_drawn(page, CHAPTER)
        slider = panel.locator("[class*='widget-hslider'], [class*='widget-slider']", has_text="Period").first
        slider.scroll_into_view_if_needed()
        player = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        shown = player.inner_text()
        slider.locator(".noUi-handle, [role='slider']").first.focus()
        page.keyboard.press("ArrowRight")
        expect(player).not_to_have_text(shown)
        assert not errors, errors
        assert not blocked, blocked
    finally:
        browser.close()
