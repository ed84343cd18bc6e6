"""The book's own prose is cited as its data are: every `(004 "phrase")` in a
page or a notebook's markdown is verbatim in its source, every dispute id the
prose names exists, nothing is copied outside quotation marks, and the
bibliography gives each source as far as the document itself tells."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from alliances import data
from alliances.data.citations import citations, missing_phrases
from alliances.paths import SOURCES_DIR

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
PAGES = sorted(p for p in BOOK.rglob("*") if p.suffix in {".md", ".ipynb"}
               and ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)
DISPUTE_ID = re.compile(r"\b(?:I|ATOP|B)-\d+\b")
SOURCE_FILE = re.compile(r"\b00[034]_[0-9a-f]{16}\b")


INLINE_CODE = re.compile(r"`[^`\n]*`")


def prose(path: Path) -> str:
    """A page's text, or the markdown cells of a notebook, without inline code
    (where the citation format itself is shown, as `(004 "a phrase")`)."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return INLINE_CODE.sub("", text)


def test_the_book_has_pages():
    assert len(PAGES) >= 8
    assert sum(len(citations(prose(p))) for p in PAGES) > 400


#: The citation format shown as an example, not a citation.
FORMAT_EXAMPLE = ("004", "a phrase")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(BOOK)))
def test_every_phrase_cited_in_the_prose_is_in_its_source(path):
    assert [m for m in missing_phrases(prose(path)) if m != FORMAT_EXAMPLE] == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(BOOK)))
def test_every_dispute_named_in_the_prose_exists(path):
    known = set(data.load_disputes()["dispute_id"])
    named = set(DISPUTE_ID.findall(prose(path)))
    assert named <= known, named - known


@pytest.mark.parametrize("path", PAGES + [ROOT / "references.bib"], ids=lambda p: p.name)
def test_readers_see_no_internal_file_names(path):
    text = path.read_text(encoding="utf-8") if path.suffix == ".bib" else prose(path)
    assert not SOURCE_FILE.findall(text)


def test_nothing_is_copied_outside_quotation_marks():
    tool = SOURCES_DIR.parent / "tools" / "check_copying.py"
    proc = subprocess.run([sys.executable, str(tool), str(BOOK)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 copied run(s) outside quotation marks" in proc.stdout


def _entries() -> dict[str, str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"@\w+\{(\w+),(.*?)\n\}", text, flags=re.S)}


@pytest.mark.parametrize("key", ["oped000", "vu003", "kim004"])
def test_each_source_has_author_title_and_a_year(key):
    entry = _entries()[key]
    for field in ("author", "title", "year"):
        assert re.search(rf"\b{field}\s*=\s*\{{.+\}}", entry), (key, field)
    year = re.search(r"\byear\s*=\s*\{(.*)\}", entry).group(1)
    assert re.search(r"\b(19|20)\d\d\b", year), (key, year)
    assert "n.d." not in entry


def test_no_entry_lacks_a_year():
    for key, entry in _entries().items():
        assert re.search(r"\byear\s*=\s*\{.*\d{4}.*\}", entry), key


# ---------------------------------------------------------------------------
# The self-check questions (data/selfcheck.yml) are cited as the prose is
# ---------------------------------------------------------------------------

def _question_texts(q) -> list[str]:
    """Every piece of text a reader sees in one question."""
    texts = [q.prompt, q.explanation, q.feedback]
    texts += [o.text for o in q.options] + [o.feedback for o in q.options]
    texts += [text for text, _ in q.items] + [fb for _, fb in q.wrong]
    return [t for t in texts if t]


def _questions():
    from alliances.data.selfcheck import load_questions
    return load_questions()


@pytest.mark.parametrize("q", _questions(), ids=lambda q: q.id)
def test_every_phrase_cited_in_a_self_check_is_in_its_source(q):
    for text in _question_texts(q):
        assert missing_phrases(text) == [], (q.id, text[:80])


def test_the_self_checks_cite_all_three_sources():
    cited = [c for q in _questions() for t in _question_texts(q) for c in citations(t)]
    assert {sid for sid, _ in cited} == {"000", "003", "004"}
    assert len(cited) >= 60, len(cited)


def test_nothing_in_the_self_checks_is_copied_outside_quotation_marks(tmp_path):
    page = tmp_path / "selfcheck.md"
    page.write_text("\n\n".join(" ".join(t.split()) for q in _questions()
                                for t in _question_texts(q)), encoding="utf-8")
    tool = SOURCES_DIR.parent / "tools" / "check_copying.py"
    proc = subprocess.run([sys.executable, str(tool), str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 copied run(s) outside quotation marks" in proc.stdout
