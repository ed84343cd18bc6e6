"""The PDF edition: the built HTML book, printed by the project's chromium.

    python -m alliances.print_edition [--html _build/html] [--out _build/pdf]

Why this route: the HTML book already carries everything the PDF needs
(citations as source markers with their section lists, the bibliography,
folded code, the self-checks), and the project already drives Debian's
chromium with Playwright for its tests; Jupyter Book's LaTeX route would need
a TeX installation (Debian's texlive, hundreds of MB) and a second rendering
of every one of those features.

The steps:

1. The article of every page, in the order of ``_toc.yml``, goes into one
   document (``book.html``); ids get the page's name as a prefix so that links
   between pages become links inside the PDF.
2. Code is left out (as it is folded in the HTML); every chart becomes an SVG
   drawn from its own spec by vl-convert, at its default state (printed as
   vectors, so its text stays sharp and searchable), with a
   caption saying so where the chart is interactive in the HTML; the
   "Sources for this section" lists are open; the self-checks show their
   questions without controls (``selfcheck.css``), and each chapter ends
   with their answers, gathered from each question's "Show the answer".
   The document has no script: nothing runs and nothing is fetched.
3. Chromium prints it twice (A4, page numbers in the footer, an outline from
   the headings): the first print tells on which page each chapter starts,
   the second writes those numbers into the table of contents. The numbers
   are checked against the outline of the final PDF.

Before printing, the print-emulated page is searched for any element wider
than the page's text block; the build stops if one is found.
"""
from __future__ import annotations

import argparse
import hashlib
import html as html_lib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml
from bs4 import BeautifulSoup, Tag

from .paths import CHROMIUM, ROOT

CSS_FILE = Path(__file__).with_name("print_edition.css")
#: A4 with 16 mm margins left and right: the text block is 178 mm wide.
PAGE = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
TEXT_WIDTH_PX = round((210 - 32) / 25.4 * 96)
INTERACTIVE_CAPTION = ("Interactive in the HTML edition; shown here in its default state.")
FOOTER = ('<div style="width:100%;font-size:8pt;font-family:sans-serif;text-align:center;'
          'color:#444;"><span class="pageNumber"></span></div>')


class PrintError(RuntimeError):
    """The PDF could not be made as promised (a page overflows, a fetch, a number)."""


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's pages (docnames) in the order of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return pages


def _slug(docname: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-")


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------

def page_charts(html_dir: Path, docname: str) -> dict[str, tuple[dict, str]]:
    """The charts of a built page, by placeholder id: (spec, mode), read from
    the page's chart file (``_static/charts/<docname>.js``)."""
    from .sphinxext import chart_file_uri, read_chart_file
    path = html_dir / "_static" / chart_file_uri(docname)
    return read_chart_file(path) if path.is_file() else {}


def is_interactive(spec: dict, mode: str) -> bool:
    """Whether a chart has controls (inputs bound to its parameters)."""
    if mode == "vega":
        return any("bind" in s for s in spec.get("signals", []))
    return any("bind" in p for p in spec.get("params", []))


def chart_svg(spec: dict, mode: str) -> bytes:
    """The chart drawn as SVG by vl-convert (the Vega of the book's pages)."""
    import vl_convert

    from .sphinxext import vegalite_version
    if mode == "vega":
        return vl_convert.vega_to_svg(spec).encode("utf-8")
    return vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version()).encode("utf-8")


def _description(spec: dict) -> str:
    text = spec.get("description") or ""
    title = spec.get("title")
    if not text and title:
        text = title if isinstance(title, str) else title.get("text", "")
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------
# One page's article, made printable
# ---------------------------------------------------------------------------

def _rewrite_links(article: Tag, docname: str, known: dict[str, str]) -> None:
    """Ids prefixed with the page's slug; links between pages made internal."""
    slug = _slug(docname)
    for tag in article.find_all(id=True):
        tag["id"] = f"{slug}--{tag['id']}"
    for attr in ("aria-labelledby", "aria-describedby", "for"):
        for tag in article.find_all(attrs={attr: True}):
            tag[attr] = " ".join(f"{slug}--{v}" for v in str(tag[attr]).split())
    base = Path(docname).parent
    for a in article.find_all("a", href=True):
        href = a["href"]
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, frag = href.partition("#")
        if not path:
            a["href"] = f"#{slug}--{frag}" if frag else f"#{slug}"
            continue
        target = (base / unquote(path)).as_posix()
        target = re.sub(r"(^|/)\./", r"\1", target)
        while "/../" in f"/{target}":
            target = re.sub(r"[^/]+/\.\./", "", target, count=1)
        target = target.removesuffix(".html")
        if target in known:
            tslug = known[target]
            a["href"] = f"#{tslug}--{frag}" if frag else f"#{tslug}"
        else:
            a.unwrap()  # a file the PDF does not hold (a download, a source)


def _answer_key(soup: BeautifulSoup, article: Tag) -> None:
    """Close a chapter with the answers of its self-checks, taken from each
    question's "Show the answer" (hidden in print)."""
    items = []
    for aside in article.select("aside.selfcheck"):
        for q in aside.select(".selfcheck-q"):
            number = q.select_one(".selfcheck-number").get_text(strip=True).rstrip(".")
            reveal = q.select_one("details.selfcheck-reveal")
            answer, explanation = reveal.find_all("p")[:2]
            item = soup.new_tag("li")
            head = soup.new_tag("p")
            strong = soup.new_tag("strong")
            strong.string = number
            head.append(strong)
            where = soup.new_tag("span", attrs={"class": "selfcheck-key-section"})
            where.string = f" ({aside.get('data-section', '')}): "
            head.append(where)
            for child in list(answer.children)[1:]:  # without "Answer:"
                head.append(child.extract() if hasattr(child, "extract") else child)
            item.append(head)
            item.append(explanation.extract())
            items.append(item)
    if not items:
        return
    section = soup.new_tag("section", attrs={"class": "selfcheck-answers"})
    title = soup.new_tag("h2", id="answers-to-the-self-checks")
    title.string = "Answers to the self-checks"
    section.append(title)
    key = soup.new_tag("ol", attrs={"class": "selfcheck-key"})
    for item in items:
        key.append(item)
    section.append(key)
    article.append(section)


def printable_article(page: Path, docname: str, known: dict[str, str], charts_dir: Path,
                      counter: list[int], html_dir: Path) -> Tag:
    """The article of a built page, ready to print (see the module docstring)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise PrintError(f"{page}: no article")
    # Code: folded in the HTML, left out here.
    for details in article.select("details.hide"):
        if details.select_one("div.cell_input"):
            details.decompose()
    for a in article.select("a.headerlink"):
        a.decompose()
    # Charts: a static image of the default state.
    charts = page_charts(html_dir, docname)
    for div in article.select("div[id^='altair-viz-']"):
        if div["id"] not in charts:
            raise PrintError(f"{page}: chart {div['id']} is not in the page's chart file")
        spec, mode = charts[div["id"]]
        svg = chart_svg(spec, mode)
        counter[0] += 1
        name = f"chart-{counter[0]:02d}-{hashlib.sha256(svg).hexdigest()[:8]}.svg"
        (charts_dir / name).write_bytes(svg)
        figure = soup.new_tag("figure", attrs={"class": "print-chart"})
        img = soup.new_tag("img", src=f"charts/{name}", alt=_description(spec) or "A chart")
        figure.append(img)
        if is_interactive(spec, mode):
            caption = soup.new_tag("figcaption")
            caption.string = INTERACTIVE_CAPTION
            figure.append(caption)
        div.replace_with(figure)
    for tag in article.select("script, style, noscript, template"):
        tag.decompose()
    # Lists of sources and chart descriptions open; the self-check fallbacks and tooltips stay hidden (CSS).
    for details in article.select("details.source-list, details.chart-description"):
        details["open"] = "open"
    _answer_key(soup, article)
    _rewrite_links(article, docname, known)
    section = soup.new_tag("section", attrs={"class": "print-page", "id": _slug(docname),
                                             "data-doc": docname})
    for child in list(article.children):
        section.append(child.extract())
    return section


# ---------------------------------------------------------------------------
# The whole book
# ---------------------------------------------------------------------------

def _title(section: Tag) -> str:
    h1 = section.find("h1")
    return " ".join(h1.get_text(" ", strip=True).split()) if h1 else section["data-doc"]


def build_document(html_dir: Path, out: Path, root: Path = ROOT) -> tuple[Path, list[dict]]:
    """Write ``out/book.html`` and its chart images; return its path and the
    chapters (title, anchor, number of charts)."""
    charts_dir = out / "charts"
    if charts_dir.exists():
        shutil.rmtree(charts_dir)
    charts_dir.mkdir(parents=True)
    pages = toc_pages(root)
    known = {d: _slug(d) for d in pages}
    counter = [0]
    sections, chapters = [], []
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    for docname in pages:
        page = html_dir / f"{docname}.html"
        if not page.is_file():
            raise PrintError(f"{page} is missing: build the book first (make book)")
        before = counter[0]
        section = printable_article(page, docname, known, charts_dir, counter, html_dir)
        sections.append(section)
        chapters.append({"doc": docname, "title": _title(section), "anchor": section["id"],
                         "charts": counter[0] - before})
    # Every stylesheet any page links (each page links only those it uses).
    styles, seen = [], set()
    for docname in pages:
        page = html_dir / f"{docname}.html"
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
                "link[rel=stylesheet]"):
            href = link["href"].split("?")[0]
            target = (page.parent / href).resolve()
            if target.name.startswith(("pygments", "copybutton")) or target in seen:
                continue
            seen.add(target)
            styles.append(f'<link rel="stylesheet" href="{os.path.relpath(target, out.resolve())}">')
    css = CSS_FILE.read_text(encoding="utf-8")
    title = html_lib.escape(config.get("title", "The book"))
    author = html_lib.escape(config.get("author", ""))
    contents = "".join(
        f'<li><a href="#{c["anchor"]}"><span class="toc-title">{html_lib.escape(c["title"])}</span>'
        f'<span class="toc-page" data-for="{c["anchor"]}"></span></a></li>' for c in chapters)
    body = "\n".join(str(s) for s in sections)
    document = (
        f'<!DOCTYPE html>\n<html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f'<title>{title}</title>{"".join(styles)}<style>{css}</style></head>'
        f'<body class="print-edition"><main class="bd-main"><div class="bd-article-container">'
        f'<article class="bd-article">'
        f'<section class="print-cover"><p class="print-book-title">{title}</p>'
        f'<p class="print-author">{author}</p>'
        f'<p class="print-edition-note">PDF edition of the HTML book. Charts are shown as '
        f'images; interactive ones at their default state. The code that draws them, '
        f'and the live notebooks, are in the HTML book and its repository.</p></section>'
        f'<nav class="print-contents" aria-labelledby="print-contents-title">'
        f'<h1 id="print-contents-title">Contents</h1><ol>{contents}</ol></nav>'
        f'{body}</article></div></main></body></html>\n')
    path = out / "book.html"
    path.write_text(document, encoding="utf-8")
    return path, chapters


#: Elements wider than the text block, or boxes that clip what they hold.
OVERFLOW = """(width) => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const left = document.querySelector('article').getBoundingClientRect().left;
  const found = [];
  for (const e of document.body.querySelectorAll('article *')) {
    if (!e.checkVisibility()) continue;
    const r = e.getBoundingClientRect();
    if (r.width && (r.right - left > width + 1 || r.left - left < -1)) {
      found.push(name(e) + ' ' + Math.round(r.left - left) + '..' + Math.round(r.right - left));
      continue;
    }
    const style = getComputedStyle(e);
    if (/^(auto|scroll|hidden)$/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1) {
      found.push(name(e) + ' clips ' + e.scrollWidth + '>' + e.clientWidth);
    }
  }
  return found.slice(0, 20);
}"""


def open_print_view(browser, document: Path):
    """The document in a print-emulated page as wide as the text block, every
    request that is not a local file refused; returns (page, fetched)."""
    fetched: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file://", "data:")):
            return r.continue_()
        fetched.append(url)
        return r.abort()

    page = browser.new_page(viewport={"width": TEXT_WIDTH_PX, "height": 1000})
    page.route("**/*", route)
    page.emulate_media(media="print")
    page.goto(document.as_uri(), wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return page, fetched


def _print(page, target: Path) -> None:
    page.pdf(path=str(target), print_background=True, display_header_footer=True,
             header_template="<span></span>", footer_template=FOOTER, outline=True,
             tagged=True, prefer_css_page_size=False, **PAGE)


def _print_twice(browser, document: Path, chapters: list[dict], target: Path) -> dict[str, int]:
    """Print, read where each chapter starts, write the numbers into the
    contents, print again; return the numbers."""
    page, fetched = open_print_view(browser, document)
    try:
        wide = page.evaluate(OVERFLOW, TEXT_WIDTH_PX)
        if wide:
            raise PrintError("content wider than the page:\n  " + "\n  ".join(wide))
        with tempfile.TemporaryDirectory() as tmp:
            draft = Path(tmp) / "draft.pdf"
            _print(page, draft)
            numbers = _chapter_pages(draft, chapters)
        page.evaluate("""(numbers) => {
            for (const [anchor, n] of Object.entries(numbers)) {
              document.querySelector(`.toc-page[data-for="${anchor}"]`).textContent = n;
            }}""", numbers)
        _print(page, target)
    finally:
        page.close()
    if fetched:
        raise PrintError(f"the print view asked for {fetched[:5]}")
    return numbers


def outline_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every outline entry of ``pdf``."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(str(item.title).split()),
                              reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return found


def same_title(a: str, b: str) -> bool:
    """Whether two headings are the same, spaces aside."""
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _chapter_pages(pdf: Path, chapters: list[dict]) -> dict[str, int]:
    entries = outline_pages(pdf)
    pages = {}
    for chapter in chapters:
        # (chromium's outline drops the space where a heading wraps)
        match = [p for depth, t, p in entries if same_title(t, chapter["title"])]
        if not match:
            raise PrintError(f"{chapter['title']!r} is not in the PDF's outline")
        pages[chapter["anchor"]] = match[0]
    return pages


def make_pdf(html_dir: Path = ROOT / "_build" / "html", out: Path = ROOT / "_build" / "pdf",
             chromium: str = CHROMIUM, browser=None) -> dict:
    """Build ``out/book.pdf``; return a summary (pages, bytes, chapters, charts).
    ``browser``: a Playwright browser to print with (else one is launched)."""
    out.mkdir(parents=True, exist_ok=True)
    document, chapters = build_document(html_dir, out)
    target = out / "book.pdf"
    if browser is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=chromium, headless=True,
                                         args=["--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking",
                                               "--disable-component-update", "--no-first-run"])
            try:
                numbers = _print_twice(launched, document, chapters, target)
            finally:
                launched.close()
    else:
        numbers = _print_twice(browser, document, chapters, target)
    final = _chapter_pages(target, chapters)
    if final != numbers:
        raise PrintError(f"page numbers moved in the second print: {numbers} != {final}")
    from pypdf import PdfReader
    reader = PdfReader(str(target))
    summary = {"pdf": str(target), "pages": len(reader.pages), "bytes": target.stat().st_size,
               "chapters": [{**c, "page": final[c["anchor"]]} for c in chapters],
               "charts": sum(c["charts"] for c in chapters)}
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args(argv)
    try:
        summary = make_pdf(args.html.resolve(), args.out.resolve(), args.chromium)
    except PrintError as exc:
        print(f"make pdf: {exc}", file=sys.stderr)
        return 1
    print(f"{summary['pdf']}: {summary['pages']} pages, {summary['bytes'] / 1e6:.1f} MB, "
          f"{len(summary['chapters'])} parts, {summary['charts']} charts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
