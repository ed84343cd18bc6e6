"""The PDF edition (``make pdf``, alliances/print_edition.py).

The PDF is made from the book built for this test run, by the project's
chromium, offline. It must hold the whole book in the order of the table of
contents: an outline with every chapter, the text of every chapter heading,
page numbers (a contents page whose numbers are those of the outline), every
chart as a drawing, no code, the citations and the bibliography, the
self-checks with their answers at the end of each chapter; and no element of
the print view may be wider than the page or clipped by its box.
"""
from __future__ import annotations

import re

import pytest
import pypdfium2 as pdfium

from alliances import print_edition as pe
from alliances.data.selfcheck import load_questions
from conftest import BUILD, CHROMIUM, HTML, ROOT

OUT = BUILD / "pdf"


@pytest.fixture(scope="module")
def pdf(built_book, playwright):
    assert built_book["returncode"] == 0, built_book["log"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    try:
        summary = pe.make_pdf(HTML, OUT, CHROMIUM, browser=browser)
    finally:
        browser.close()
    texts = page_texts(summary["pdf"])
    print(f"\nPDF edition: {summary['pages']} pages, {summary['bytes'] / 1e6:.1f} MB, "
          f"{summary['charts']} charts")
    return {"summary": summary, "texts": texts}


def page_texts(path: str) -> list[str]:
    """The text of every page, read by PDFium (pypdfium2): a second, independent
    reader of the file chromium wrote (pypdf reads its outline: ``pe.outline_pages``),
    and 1 s for the book's ~150 pages where pypdf's text extraction took 12 s."""
    document = pdfium.PdfDocument(path)
    try:
        # PDFium marks a hyphen that ends a line as U+0002, with no line break after it
        return [document[i].get_textpage().get_text_bounded().replace("\x02", "-\n")
                for i in range(len(document))]
    finally:
        document.close()


def _squeeze(text: str) -> str:
    """Text without spaces, line breaks or hyphens (a word may be hyphenated
    where a line breaks; a soft hyphen is left in as U+00AD)."""
    return re.sub(r"[\s\u00ad-]+", "", text)


def _chapter_text(pdf) -> str:
    """The text of the numbered chapters only."""
    chapters = pdf["summary"]["chapters"]
    first = next(c for c in chapters if c["doc"] == "book/triangles")["page"]
    after = next(c for c in chapters if c["doc"] == "book/instructors")["page"]
    return "\n".join(pdf["texts"][first - 1:after - 1])


def test_the_pdf_holds_every_part_in_the_order_of_the_contents(pdf):
    summary = pdf["summary"]
    docs = [c["doc"] for c in summary["chapters"]]
    assert docs == pe.toc_pages()
    outline = pe.outline_pages(OUT / "book.pdf")
    top = [(title, page) for depth, title, page in outline if depth == 0]
    for chapter in summary["chapters"]:
        found = [page for title, page in top if pe.same_title(title, chapter["title"])]
        assert found == [chapter["page"]], (chapter["title"], top)
    pages = [c["page"] for c in summary["chapters"]]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    # every chapter heading's text is on the page the outline gives for it
    for chapter in summary["chapters"]:
        assert _squeeze(chapter["title"]) in _squeeze(pdf["texts"][chapter["page"] - 1]), chapter
    for chapter in ("Strategic triangles", "The Sino-Soviet alliance", "1961: two treaties",
                    "Exceptions that prove the rule", "Kim’s thesis"):
        assert any(chapter in c["title"] for c in summary["chapters"]), chapter


def test_the_contents_page_gives_the_page_of_each_chapter(pdf):
    contents = next(i for i, t in enumerate(pdf["texts"]) if t.lstrip().startswith("Contents"))
    text = pdf["texts"][contents]
    for chapter in pdf["summary"]["chapters"]:
        line = re.search(re.escape(chapter["title"][:25]) + r".*?(\d+)\s*$", text, flags=re.M | re.S)
        assert line and int(line.group(1)) == chapter["page"], (chapter["title"], text[:400])


def test_every_page_has_its_number(pdf):
    for number, text in enumerate(pdf["texts"], start=1):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        assert str(number) in lines[-1:] or str(number) in lines[:1], (number, lines[-2:])


def svg_texts(svg: Path) -> list[str]:
    """The horizontal texts a chart's SVG draws (titles, labels, legend entries).
    Rotated ones (a vertical axis title) are left out: a PDF reader gives their
    letters in among the tick labels beside them."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(svg.read_text(encoding="utf-8"), "html.parser")
    return [t.get_text() for t in soup.find_all("text")
            if t.get_text().strip() and "rotate(" not in t.get("transform", "")]


def test_every_chart_is_printed_as_a_drawing_with_its_text(pdf):
    """One figure per chart of the HTML, each an SVG from the chart's own spec,
    printed as vectors: every horizontal text the chart draws is text in the PDF."""
    from bs4 import BeautifulSoup

    from alliances.sphinxext import CHART_PLACEHOLDER
    charts = sum(len(CHART_PLACEHOLDER.findall(p.read_text(encoding="utf-8")))
                 for p in (HTML / f"{doc}.html" for doc in pe.toc_pages()))
    document = BeautifulSoup((OUT / "book.html").read_text(encoding="utf-8"), "html.parser")
    images = [img["src"] for img in document.select("figure.print-chart img")]
    assert charts >= 20
    assert len(images) == charts == pdf["summary"]["charts"], (len(images), charts)
    text = _squeeze("\n".join(pdf["texts"]))
    for src in images:
        assert src.endswith(".svg"), src
        drawn = svg_texts(OUT / src)
        assert drawn, src
        missing = [t for t in drawn if _squeeze(t) not in text]
        assert not missing, (src, missing[:5])


def test_no_code_and_the_citations_and_bibliography_are_kept(pdf):
    text = "\n".join(pdf["texts"])
    assert "import alliances" not in text and "setup_notebook()" not in text
    assert "Hide the code" not in text  # no code toggle (How to use names "Show the code")
    assert "Sources for this section" in text
    # citations are source markers: the chapters' prose names the documents
    prose = _chapter_text(pdf)
    assert prose.count("(Kim)") + prose.count("Kim:") >= 20
    references = "\n".join(pdf["texts"][pdf["summary"]["chapters"][-1]["page"] - 1:])
    for author in ("Dittmer", "Cartwright", "Goncharov", "Leeds"):
        assert author in references, author
    assert "Interactive in the HTML edition" in text


def test_self_checks_in_print_with_answers_at_the_end_of_each_chapter(pdf):
    from alliances.data.citations import normalise
    text = _squeeze(normalise("\n".join(pdf["texts"])))
    questions = load_questions()
    for q in questions:
        assert _squeeze(normalise(q.prompt))[:40] in text, q.id
    assert text.count(_squeeze("Answers to the self-checks")) == len({q.chapter for q in questions})
    chapters = _squeeze(_chapter_text(pdf))  # How to use names the buttons
    assert "Checkanswer" not in chapters and "Showtheanswer" not in chapters


def test_nothing_is_wider_than_the_page_and_nothing_is_fetched(pdf, playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    try:
        page, fetched = pe.open_print_view(browser, OUT / "book.html")
        wide = page.evaluate(pe.OVERFLOW, pe.TEXT_WIDTH_PX)
        scripts = page.locator("script").count()
        assert page.evaluate("() => matchMedia('print').matches")
    finally:
        browser.close()
    assert wide == [], wide
    assert fetched == [] and scripts == 0


def test_a_page_wider_than_the_paper_is_found(playwright, tmp_path):
    """The overflow check is not vacuous: a too-wide table is reported."""
    doc = tmp_path / "wide.html"
    doc.write_text('<html><body><article><table style="width:2000px"><tr><td>x</td></tr>'
                   '</table><div style="overflow:hidden;width:100px"><p style="width:900px">y</p>'
                   '</div></article></body></html>')
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    try:
        page, _ = pe.open_print_view(browser, doc)
        wide = page.evaluate(pe.OVERFLOW, pe.TEXT_WIDTH_PX)
    finally:
        browser.close()
    assert any(w.startswith("table") for w in wide) and any("clips" in w for w in wide), wide


def test_every_chart_description_is_printed(pdf):
    """The "Describe this chart" prose, folded in the HTML, is open in print."""
    from bs4 import BeautifulSoup

    from alliances.data.citations import normalise
    text = _squeeze(normalise("\n".join(pdf["texts"])))
    found = 0
    for doc in pe.toc_pages():
        soup = BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        for details in soup.select("details.chart-description"):
            first = details.select_one("p")
            assert first is not None, (doc, str(details)[:80])
            found += 1
            assert _squeeze(normalise(first.get_text(" ")))[:50] in text, (doc, first.get_text()[:80])
    assert found >= 20
