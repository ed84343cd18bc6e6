"""What the package builds once per machine and keeps, and how it writes a file safely.

The one thing kept today is the live charts' Vega bundle
(:mod:`alliances.charts.live_chart`): vl-convert takes about 2 s to build it,
in every live kernel, before the first chart can be drawn. It is kept in the
user's cache folder (``ALLIANCES_CACHE``, else ``$XDG_CACHE_HOME/alliances``,
else ``~/.cache/alliances``) under a name that holds the versions that made
it, so that an upgrade builds it afresh.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """The folder kept texts live in (see the module's docstring)."""
    if os.environ.get("ALLIANCES_CACHE"):
        return Path(os.environ["ALLIANCES_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alliances"


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` through a temporary file and a rename,
    so that no reader ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def kept_text(name: str, version: str, build: Callable[[], str]) -> str:
    """The text ``build()`` makes, kept in :func:`cache_dir` as ``<version>-<name>``:
    read from there when it is present, else built and kept. Where the folder cannot
    be written (a read-only home), the text is built and returned and nothing is kept."""
    path = cache_dir() / f"{version}-{name}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if text:
        return text
    text = build()
    try:
        write_atomic(path, text)
    except OSError:
        pass
    return text
