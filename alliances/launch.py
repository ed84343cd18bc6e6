"""Links that open the book's notebooks live: JupyterHub (nbgitpuller), Binder, Colab.

One place computes every link, for the book's launch buttons
(:mod:`alliances.sphinx_launch`) and for ``make hub-links``:

    python -m alliances.launch --hub https://hub.example.edu [--repo URL] [--branch B]
                               [--student-repo URL] [--student-branch B]

The settings are an instructor's, set once in ``_config.yml``:

- ``repository.url`` and ``repository.branch``: the git repository the book is
  built from (the chapters' links pull it);
- ``launch_buttons.jupyterhub_url``: the class's JupyterHub;
- ``launch_buttons.binderhub_url`` and ``launch_buttons.colab_url``: public
  services, which can only open a public repository (Colab: on GitHub).

No setting, no link: without a repository there is nothing to pull, and a
service left empty gets no button. Nothing is made up.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import yaml

from .paths import ROOT

INTERFACES = {"jupyterlab": "lab/tree", "classic": "tree"}


class LaunchError(ValueError):
    """A setting is not a usable URL (its name and value are in the message)."""


def _url(name: str, value) -> str:
    """A setting's URL without its trailing slash, or "" when it is unset."""
    value = (value or "").strip()
    if not value:
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise LaunchError(f"{name} must be an http(s) address, not {value!r}")
    return value.rstrip("/")


def _repository(name: str, value) -> str:
    """A git repository: an http(s) address, or (for tests and local hubs) a
    path or file:// URL that a hub's nbgitpuller can clone."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith(("http://", "https://")):
        return _url(name, value)
    if value.startswith("file://") or value.startswith("/"):
        return value.rstrip("/")
    raise LaunchError(f"{name} must be an http(s) address or an absolute path, not {value!r}")


@dataclass(frozen=True)
class Settings:
    """Where the notebooks live and which services may open them."""

    repository: str = ""
    branch: str = "main"
    path_to_book: str = ""
    hub: str = ""
    binder: str = ""
    colab: str = ""
    interface: str = "jupyterlab"

    @classmethod
    def from_config(cls, config: dict) -> "Settings":
        """From the mapping of ``_config.yml`` (``repository``, ``launch_buttons``)."""
        repo = config.get("repository") or {}
        launch = config.get("launch_buttons") or {}
        interface = launch.get("notebook_interface") or "jupyterlab"
        if interface not in INTERFACES:
            raise LaunchError(f"launch_buttons.notebook_interface must be one of "
                              f"{sorted(INTERFACES)}, not {interface!r}")
        return cls(repository=_repository("repository.url", repo.get("url")),
                   branch=(repo.get("branch") or "main").strip(),
                   path_to_book=(repo.get("path_to_book") or "").strip("/"),
                   hub=_url("launch_buttons.jupyterhub_url", launch.get("jupyterhub_url")),
                   binder=_url("launch_buttons.binderhub_url", launch.get("binderhub_url")),
                   colab=_url("launch_buttons.colab_url", launch.get("colab_url")),
                   interface=interface)

    @property
    def github(self) -> tuple[str, str] | None:
        """(owner, name) when the repository is on GitHub."""
        parsed = urlparse(self.repository)
        parts = [p for p in parsed.path.split("/") if p]
        if parsed.netloc.lower() in ("github.com", "www.github.com") and len(parts) >= 2:
            return parts[0], parts[1].removesuffix(".git")
        return None

    def _path(self, file: str) -> str:
        return f"{self.path_to_book}/{file}" if self.path_to_book else file


def load_settings(root: Path = ROOT) -> Settings:
    """The instructor's settings in ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    return Settings.from_config(config)


def repo_folder(repository: str) -> str:
    """The folder nbgitpuller clones ``repository`` into: its last part,
    without ``.git`` (nbgitpuller's default ``targetpath``)."""
    return repository.rstrip("/").split("/")[-1].removesuffix(".git")


def nbgitpuller_link(hub: str, repository: str, branch: str, file: str,
                     interface: str = "jupyterlab") -> str:
    """The link that clones (or updates) ``repository`` into the student's
    home on ``hub`` and opens ``file`` (relative to the repository root)."""
    if not (hub and repository):
        raise LaunchError("an nbgitpuller link needs a hub and a repository")
    params = urlencode({"repo": repository,
                        "urlpath": f"{INTERFACES[interface]}/{repo_folder(repository)}/{file}",
                        "branch": branch}, safe="/", quote_via=quote)
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{params}"


def launch_links(settings: Settings, file: str) -> list[dict]:
    """The launch buttons for one notebook (``file`` relative to the book's
    root): a (text, url) per service that the settings make usable."""
    if not settings.repository:
        return []
    path = settings._path(file)
    links = []
    if settings.hub:
        links.append({"text": "JupyterHub", "service": "jupyterhub",
                      "url": nbgitpuller_link(settings.hub, settings.repository, settings.branch,
                                              path, settings.interface)})
    if settings.binder and settings.repository.startswith(("http://", "https://")):
        gh = settings.github
        where = f"gh/{gh[0]}/{gh[1]}" if gh else f"git/{quote(settings.repository, safe='')}"
        links.append({"text": "Binder", "service": "binder",
                      "url": f"{settings.binder}/v2/{where}/{quote(settings.branch, safe='')}"
                             f"?urlpath={INTERFACES[settings.interface]}/{quote(path)}"})
    if settings.colab and settings.github:
        owner, name = settings.github
        links.append({"text": "Colab", "service": "colab",
                      "url": f"{settings.colab}/github/{owner}/{name}/blob/"
                             f"{quote(settings.branch, safe='')}/{quote(path)}"})
    return links


# ---------------------------------------------------------------------------
# make hub-links
# ---------------------------------------------------------------------------

def chapter_notebooks(root: Path = ROOT) -> list[str]:
    """The chapter notebooks, in the order of ``_toc.yml`` (relative paths)."""
    from .print_edition import toc_pages
    return [f"{doc}.ipynb" for doc in toc_pages(root) if (root / f"{doc}.ipynb").is_file()]


def exercise_notebooks(root: Path = ROOT) -> list[str]:
    """The student exercise notebooks as the bundle holds them (``exercises/``)."""
    return sorted(f"exercises/{p.name}" for p in (root / "book" / "exercises").glob("*.ipynb"))


def hub_links(settings: Settings, student_repository: str = "", student_branch: str = "main",
              root: Path = ROOT) -> list[tuple[str, str]]:
    """(what, link) for every chapter and, given the student bundle's
    repository, every exercise notebook."""
    links = [(f"chapter  {nb}", nbgitpuller_link(settings.hub, settings.repository,
                                                  settings.branch, settings._path(nb),
                                                  settings.interface))
             for nb in chapter_notebooks(root)]
    if student_repository:
        links += [(f"exercise {nb}", nbgitpuller_link(settings.hub, student_repository,
                                                      student_branch, nb, settings.interface))
                  for nb in exercise_notebooks(root)]
    return links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print the nbgitpuller link of every chapter and student exercise notebook.")
    parser.add_argument("--hub", default="", help="the JupyterHub's address (default: "
                        "launch_buttons.jupyterhub_url in _config.yml)")
    parser.add_argument("--repo", default="", help="the book's git repository (default: "
                        "repository.url in _config.yml)")
    parser.add_argument("--branch", default="", help="its branch (default: repository.branch)")
    parser.add_argument("--student-repo", default="", help="the repository you pushed the "
                        "student bundle (make bundle) to")
    parser.add_argument("--student-branch", default="main")
    args = parser.parse_args(argv)
    try:
        base = load_settings()
        settings = Settings(
            repository=_repository("--repo", args.repo) or base.repository,
            branch=args.branch.strip() or base.branch, path_to_book=base.path_to_book,
            hub=_url("--hub", args.hub) or base.hub, interface=base.interface)
        student = _repository("--student-repo", args.student_repo)
    except LaunchError as exc:
        print(f"hub-links: {exc}", file=sys.stderr)
        return 2
    missing = []
    if not settings.hub:
        missing.append("the hub's address: make hub-links HUB=https://hub.example.edu "
                       "(or launch_buttons.jupyterhub_url in _config.yml)")
    if not settings.repository:
        missing.append("the book's repository: REPO=https://... (or repository.url in "
                       "_config.yml)")
    if missing:
        print("hub-links needs " + "; and ".join(missing), file=sys.stderr)
        return 2
    for what, link in hub_links(settings, student, args.student_branch.strip() or "main"):
        print(f"{what}\n  {link}")
    if not student:
        print("\n(No exercise links: push the student bundle, `make bundle`, to a repository "
              "of its own and pass STUDENT_REPO=its address.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
