"""The built book: a clean -W -n build of every page, no CDN, and the
JavaScript it serves matching Altair (the pages in a browser:
``test_static_interactive.py``)."""
from __future__ import annotations

import importlib
import json
import re

import altair as alt
from conftest import HTML, REDIRECT, ROOT, built_pages, chart_files

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


def test_the_front_page_sends_the_reader_to_the_introduction(built_book):
    """``index.html`` is a redirect stub (the browser tests open the pages it leads to)."""
    target = REDIRECT.match((HTML / "index.html").read_text(encoding="utf-8"))
    assert target and (HTML / target.group(1)).resolve() == (HTML / "book" / "intro.html").resolve()
    assert (HTML / target.group(1)) in built_pages()


def test_no_page_loads_anything_from_a_cdn(built_book):
    pages = built_pages()
    assert len(pages) >= 3
    offenders = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = CDN.findall(html) + EXTERNAL_SCRIPT.findall(html)
        if found:
            offenders[str(page.relative_to(HTML))] = found[:3]
        # a chart file names no address but the schemas of its specs
        for charts in chart_files(page):
            urls = set(re.findall(r'https?://[^"\s]+', charts.read_text(encoding="utf-8")))
            if urls - {u for u in urls if u.startswith("https://vega.github.io/schema/")}:
                offenders[str(charts.relative_to(HTML))] = sorted(urls)[:3]
    assert not offenders, offenders


def test_vega_lite_served_matches_altair():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    served = lock["packages"]["node_modules/vega-lite"]["version"]
    assert served == alt.VEGALITE_VERSION
    assert lock["packages"]["node_modules/vega"]["version"].split(".")[0] == alt.VEGA_VERSION
    assert lock["packages"]["node_modules/vega-embed"]["version"].split(".")[0] == alt.VEGAEMBED_VERSION


PACKAGE_NAME = re.compile(r"`(alliances(?:\.\w+)+)(?:\(\))?`")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def test_every_package_name_the_book_mentions_exists():
    """A chapter that names ``alliances.queries.history.readings`` names a real function."""
    pages = sorted((ROOT / "book").rglob("*.ipynb")) + sorted((ROOT / "book").rglob("*.md"))
    mentioned, missing = 0, []
    for page in pages:
        if page.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(page.read_text())["cells"]
                             if c["cell_type"] == "markdown")
        else:
            text = page.read_text(encoding="utf-8")
        for name in PACKAGE_NAME.findall(text):
            mentioned += 1
            if not _resolves(name):
                missing.append(f"{page.relative_to(ROOT)}: {name}")
    assert mentioned >= 5, mentioned
    assert not missing, missing


#: JupyterLab reads any two dollar signs in a markdown cell as TeX math, even
#: escaped as ``\$`` (jupyterlab/jupyterlab#8645); the double escape it does
#: honour shows its backslash in the book, which has no dollar math
#: (``_config.yml``; jupyter-book/jupyter-book#750). "$10 billion ... $10
#: billion" was money in the HTML and run-together italics live. So prose keeps
#: at most one dollar sign per cell (outside code) and words the rest.
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def test_no_notebook_prose_turns_money_into_math_in_jupyterlab():
    found = []
    for page in sorted((ROOT / "book").rglob("*.ipynb")):
        cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells):
            prose = CODE.sub("", "".join(cell["source"])) if cell["cell_type"] == "markdown" else ""
            dollars = [prose[max(0, i - 25):i + 15] for i, ch in enumerate(prose) if ch == "$"]
            if len(dollars) > 1:
                found.append(f"{page.relative_to(ROOT)} cell {number}: {dollars}")
    assert not found, "JupyterLab renders $...$ as math: word the amounts (US dollars):\n" + "\n".join(found)
