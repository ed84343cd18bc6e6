"""Shared fixtures: a book built once per test run, and a browser."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
HTML = BUILD / "html"

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
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all", "-W", "-n",
             "--keep-going", str(ROOT)],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "ALLIANCES_RENDER": "book"})
        result = {"run": testrun_uid, "returncode": proc.returncode,
                  "log": proc.stdout[-20000:] + proc.stderr[-20000:]}
        marker.write_text(json.dumps(result))
        return result


def built_pages() -> list[Path]:
    """Every content page of the built book."""
    skip = {"genindex.html", "search.html"}
    return sorted(p for p in HTML.rglob("*.html")
                  if p.name not in skip and "_static" not in p.parts and "_sources" not in p.parts)
