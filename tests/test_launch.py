"""One click to live notebooks: launch buttons and ``make hub-links``.

- the links (nbgitpuller on a JupyterHub, Binder, Colab) come from one
  function, from the settings an instructor sets once in ``_config.yml``;
- no setting, no button: the book as shipped (no repository URL) has no
  launch and no repository button and no link to a service; with settings a
  book has exactly the buttons they allow, with the links ``make hub-links``
  prints;
- ``make hub-links HUB=...`` prints a link for every chapter and, given the
  student bundle's repository, every exercise notebook, and refuses to make
  up a repository.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

import minibook
from alliances.launch import (LaunchError, Settings, chapter_notebooks, exercise_notebooks,
                              launch_links, load_settings, nbgitpuller_link)
from conftest import HTML, ROOT, built_pages

GITHUB = "https://github.com/example-course/alliances-book"
HUB = "https://hub.example.edu"
SERVICES = re.compile(r"mybinder|colab\.research|git-pull|user-redirect")


def test_the_book_as_shipped_names_no_repository_and_no_hub():
    settings = load_settings()
    assert settings.repository == "" and settings.hub == ""
    assert launch_links(settings, "book/triangles.ipynb") == []


def test_an_nbgitpuller_link_clones_the_repository_and_opens_the_notebook():
    link = nbgitpuller_link(HUB + "/", GITHUB + ".git", "main", "book/triangles.ipynb")
    parsed = urlparse(link)
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == f"{HUB}/hub/user-redirect/git-pull"
    query = parse_qs(parsed.query)
    assert query == {"repo": [GITHUB + ".git"], "branch": ["main"],
                     "urlpath": ["lab/tree/alliances-book/book/triangles.ipynb"]}


def test_settings_give_only_the_buttons_they_allow():
    github = Settings.from_config({"repository": {"url": GITHUB, "branch": "fall"},
                                   "launch_buttons": {"jupyterhub_url": HUB,
                                                      "binderhub_url": "https://mybinder.org",
                                                      "colab_url": "https://colab.research.google.com"}})
    links = {link["service"]: link["url"] for link in launch_links(github, "book/korea_1961.ipynb")}
    assert links == {
        "jupyterhub": f"{HUB}/hub/user-redirect/git-pull?repo={GITHUB.replace(':', '%3A')}"
                      "&urlpath=lab/tree/alliances-book/book/korea_1961.ipynb&branch=fall",
        "binder": "https://mybinder.org/v2/gh/example-course/alliances-book/fall"
                  "?urlpath=lab/tree/book/korea_1961.ipynb",
        "colab": "https://colab.research.google.com/github/example-course/alliances-book/blob/"
                 "fall/book/korea_1961.ipynb",
    }
    # a university's own git server: a hub and Binder can clone it, Colab cannot open it
    gitlab = Settings.from_config({"repository": {"url": "https://git.example.edu/course/book.git"},
                                   "launch_buttons": {"jupyterhub_url": HUB,
                                                      "binderhub_url": "https://mybinder.org",
                                                      "colab_url": "https://colab.research.google.com"}})
    assert [link["service"] for link in launch_links(gitlab, "book/x.ipynb")] == ["jupyterhub", "binder"]
    # a hub alone, no public services
    hub_only = Settings.from_config({"repository": {"url": GITHUB},
                                     "launch_buttons": {"jupyterhub_url": HUB, "binderhub_url": "",
                                                        "colab_url": ""}})
    assert [link["service"] for link in launch_links(hub_only, "book/x.ipynb")] == ["jupyterhub"]
    # no repository: nothing to open, whatever the services
    nothing = Settings.from_config({"repository": {"url": ""}, "launch_buttons": {
        "jupyterhub_url": HUB, "binderhub_url": "https://mybinder.org"}})
    assert launch_links(nothing, "book/x.ipynb") == []


@pytest.mark.parametrize("config, message", [
    ({"launch_buttons": {"jupyterhub_url": "hub.example.edu"}}, "jupyterhub_url"),
    ({"repository": {"url": "git@github.com:a/b.git"}}, "repository.url"),
    ({"launch_buttons": {"notebook_interface": "retro"}}, "notebook_interface"),
])
def test_a_setting_that_is_not_an_address_is_refused_by_name(config, message):
    with pytest.raises(LaunchError, match=message):
        Settings.from_config(config)


def _buttons(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = {}
    for a in soup.select(".dropdown-launch-buttons a, a.btn"):
        text = " ".join(a.get_text(" ", strip=True).split())
        if a.get("href"):
            found[text] = a["href"]
    return found


def test_the_built_book_has_no_dead_launch_or_repository_button(built_book):
    assert built_book["returncode"] == 0, built_book["log"]
    for page in built_pages():
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(HTML).as_posix()
        assert "launch-buttons" not in html, name
        assert not SERVICES.search(html), (name, SERVICES.search(html).group(0))
        assert "source-repository-button" not in html, name
        assert "cold-war-alliances/cold-war-alliances-book" not in html, name


def test_a_book_with_settings_has_exactly_the_buttons_they_allow(tmp_path):
    code, log, html = minibook.build(
        tmp_path / "with", repository={"url": GITHUB, "branch": "main", "path_to_book": ""},
        launch={"notebook_interface": "jupyterlab", "jupyterhub_url": HUB,
                "binderhub_url": "https://mybinder.org", "colab_url": "https://colab.research.google.com"})
    assert code == 0, log
    page = html / "book" / "mini.html"
    buttons = _buttons(page)
    settings = Settings.from_config({"repository": {"url": GITHUB}, "launch_buttons": {
        "jupyterhub_url": HUB, "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com"}})
    for link in launch_links(settings, "book/mini.ipynb"):
        assert buttons.get(link["text"]) == link["url"], (link, buttons)
    assert GITHUB in buttons.values()  # the theme's repository button (an icon)
    # the self-check placed by the same extension in the mini book
    assert 'id="sc-mini-one"' in page.read_text(encoding="utf-8")


def test_a_book_without_a_repository_has_no_button_and_a_missing_section_fails(tmp_path):
    code, log, html = minibook.build(tmp_path / "without", section="No such section")
    page = html / "book" / "mini.html"
    text = page.read_text(encoding="utf-8")
    assert "launch-buttons" not in text and not SERVICES.search(text)
    assert "source-repository-button" not in text
    # the self-check names a heading the chapter lacks: a warning, so -W fails
    assert code != 0
    assert re.search(r"selfcheck\.yml, line 1: self-check question 'mini-one' names section "
                     r"'No such section' of book/mini, but the chapter has no section", log), log


def test_a_repository_off_github_gets_hub_and_binder_and_no_theme_error(tmp_path):
    repo = "https://git.example.edu/course/alliances-book.git"
    code, log, html = minibook.build(
        tmp_path / "gitlab", repository={"url": repo, "branch": "main", "path_to_book": ""},
        launch={"notebook_interface": "jupyterlab", "jupyterhub_url": HUB,
                "binderhub_url": "https://mybinder.org", "colab_url": "https://colab.research.google.com"})
    assert code == 0, log
    buttons = _buttons(html / "book" / "mini.html")
    assert set(buttons) >= {"JupyterHub", "Binder"} and "Colab" not in buttons, buttons
    assert parse_qs(urlparse(buttons["JupyterHub"]).query)["repo"] == [repo]


# ---------------------------------------------------------------------------
# make hub-links
# ---------------------------------------------------------------------------

def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-s", "hub-links", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_hub_links_prints_every_chapter_and_exercise():
    proc = _make(f"HUB={HUB}", f"REPO={GITHUB}", "BRANCH=fall",
                 "STUDENT_REPO=https://github.com/example-course/alliances-students")
    assert proc.returncode == 0, proc.stderr
    links = re.findall(r"^  (\S+)$", proc.stdout, flags=re.M)
    chapters, exercises = chapter_notebooks(), exercise_notebooks()
    assert len(chapters) == 5 and len(exercises) == 5
    assert len(links) == len(chapters) + len(exercises)
    for nb, link in zip(chapters + exercises, links):
        query = parse_qs(urlparse(link).query)
        assert link.startswith(f"{HUB}/hub/user-redirect/git-pull?"), link
        if nb in chapters:
            assert query["repo"] == [GITHUB] and query["branch"] == ["fall"]
            assert query["urlpath"] == [f"lab/tree/alliances-book/{nb}"]
        else:
            assert query["repo"] == ["https://github.com/example-course/alliances-students"]
            assert query["urlpath"] == [f"lab/tree/alliances-students/{nb}"]
            assert query["branch"] == ["main"]


def test_hub_links_without_a_repository_makes_none_up():
    proc = _make(f"HUB={HUB}")
    assert proc.returncode != 0
    assert "repository" in proc.stderr and "git-pull" not in proc.stdout
    proc = _make()
    assert proc.returncode != 0 and "HUB=" in proc.stderr
