"""What the package keeps across kernels (``alliances/data/cache.py``)."""
from __future__ import annotations

import os

import pytest

from alliances.data import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCES_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def builder(text="bundle", fail=False):
    calls = []

    def build():
        calls.append(1)
        if fail:
            raise RuntimeError("vl-convert failed")
        return text
    return build, calls


def test_built_once_then_read(folder):
    build, calls = builder()
    assert cache.kept_text("b.js", "v1", build) == "bundle"
    assert cache.kept_text("b.js", "v1", build) == "bundle"
    assert len(calls) == 1
    assert (folder / "v1-b.js").read_text() == "bundle"


def test_another_version_is_built_afresh(folder):
    cache.kept_text("b.js", "v1", builder("old")[0])
    build, calls = builder("new")
    assert cache.kept_text("b.js", "v2", build) == "new" and calls == [1]


def test_an_empty_or_undecodable_file_is_rebuilt(folder):
    folder.mkdir()
    (folder / "v1-b.js").write_bytes(b"")
    (folder / "v1-c.js").write_bytes(b"\xff\xfe\xfa")
    for name in ("b.js", "c.js"):
        build, calls = builder()
        assert cache.kept_text(name, "v1", build) == "bundle" and calls == [1]
        assert (folder / f"v1-{name}").read_text() == "bundle"


def test_an_unwritable_folder_still_gives_the_text(folder):
    folder.write_text("a file where the folder should be")
    build, calls = builder()
    assert cache.kept_text("b.js", "v1", build) == "bundle"
    assert cache.kept_text("b.js", "v1", build) == "bundle"
    assert len(calls) == 2


def test_a_failed_build_keeps_nothing(folder):
    build, _ = builder(fail=True)
    with pytest.raises(RuntimeError):
        cache.kept_text("b.js", "v1", build)
    assert not folder.exists() or not os.listdir(folder)


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ALLIANCES_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "alliances"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "alliances"
