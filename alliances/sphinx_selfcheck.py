"""Self-check questions placed into the chapters at build time.

The questions live in ``data/selfcheck.yml`` (:mod:`alliances.data.selfcheck`);
no chapter file holds them. :class:`PlaceSelfChecks`, a doctree transform,
finds for every (chapter, section) of the data the section with that heading
and appends one :class:`selfcheck_block` at its end (after its subsections),
numbering the questions of a chapter in reading order; it closes the chapter
A heading the data names but the
chapter lacks is a build warning (an error under ``-W``) that names the data
file's line.

In the HTML each question is a small form that works with no kernel and no
network (``_static/selfcheck.js``): radio buttons, a list to put in order
with Up/Down buttons, or a text field; "Check answer" says at once whether
the answer is right and why, quoting the source passage with its citation
as the chapters cite it. Without JavaScript, and in print, the questions are
shown as text with the answer behind "Show the answer"; the PDF edition
(:mod:`alliances.print_edition`) gathers those answers at the end of each
chapter.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.utils.smartquotes import educateQuotes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .data.citations import normalise
from .paths import ROOT
from .data.selfcheck import QUESTIONS_FILE, Question, by_section, load_questions, normalise_answer

logger = logging.getLogger(__name__)

JS = "selfcheck.js"
CSS = "selfcheck.css"


class selfcheck_block(nodes.General, nodes.Element):
    """The questions closing one section: ``questions`` (Question objects),
    ``numbers`` (their numbers in the chapter), ``section`` (heading text)."""


def _shown(path) -> str:
    path = Path(path or QUESTIONS_FILE)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _heading(section: nodes.section) -> str:
    title = section.next_node(nodes.title)
    return " ".join(normalise(title.astext()).split()) if title is not None else ""


class PlaceSelfChecks(SphinxTransform):
    """Append each section's questions at its end, and the answer key at the
    end of the chapter."""

    # after the source markers (700), so that a section's "Sources for this
    # section" list comes before its questions
    default_priority = 710

    def apply(self, **kwargs) -> None:
        docname = self.env.docname
        if not docname.startswith("book/"):
            return
        chapter = docname[len("book/"):]
        path = Path(self.config.alliances_selfcheck_file or QUESTIONS_FILE)
        self.env.note_dependency(str(path))
        groups = {section: qs for (ch, section), qs in by_section(load_questions(path)).items()
                  if ch == chapter}
        if not groups:
            return
        sections = {}
        for section in self.document.findall(nodes.section):
            sections.setdefault(_heading(section), []).append(section)
        placed = []
        for heading, questions in groups.items():
            found = sections.get(" ".join(normalise(heading).split()), [])
            where = f"{_shown(path)}, line {questions[0].line}"
            if len(found) != 1:
                what = "no section" if not found else f"{len(found)} sections"
                logger.warning(f"{where}: self-check question {questions[0].id!r} names "
                               f"section {heading!r} of book/{chapter}, but the chapter has "
                               f"{what} with that heading", location=docname)
                continue
            block = selfcheck_block(questions=questions, section=heading, numbers=[])
            found[0].append(block)
            placed.append(block)
        # Number the questions in reading order.
        number = 0
        for block in self.document.findall(selfcheck_block):
            for q in block["questions"]:
                number += 1
                block["numbers"].append(number)


def _resolve(app: Sphinx, doctree, docname: str) -> None:
    """Give the blocks what they need to cite: each source's label, title and
    link (as the source markers have them) and each bibliography key's."""
    blocks = list(doctree.findall(selfcheck_block))
    if not blocks:
        return
    if app.builder.format != "html":
        for block in blocks:
            block.parent.remove(block)
        return
    from .sphinxext import source_info
    sources = source_info(app, docname)
    refs = _reference_info(app, docname)
    for block in blocks:
        for q in block["questions"]:
            for key in q.references:
                if key not in refs:
                    logger.warning(f"{_shown(app.config.alliances_selfcheck_file)}, line {q.line}: "
                                   f"question {q.id!r} names reference {key!r}, which is not "
                                   "in references.bib", location=docname)
        block["sources"], block["refs"] = sources, refs


def _reference_info(app: Sphinx, docname: str) -> dict[str, dict]:
    """For every bibliography entry: a label ("Wu 1996") and a link to it."""
    domain = app.env.get_domain("cite")
    from .sphinxext import bibliography_href, decode_latex
    info = {}
    for key, entry in domain.bibdata.data.entries.items():
        authors = entry.persons.get("author", [])
        name = decode_latex(" ".join(authors[0].last_names)) if authors else key
        if len(authors) == 2:
            name += " and " + decode_latex(" ".join(authors[1].last_names))
        elif len(authors) > 2:
            name += " et al."
        info[key] = {"label": f"{name} {entry.fields.get('year', '')}".strip(),
                     "href": bibliography_href(app, docname, key)}
    return info


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

def _prose(text: str) -> str:
    """Plain text of the data file as HTML: curly quotes, escaped, runs of
    white space made one space (kept at either end)."""
    squeezed = re.sub(r"\s+", " ", text)
    # a leading space: smartquotes reads a quote at the very start as closing
    return html.escape(educateQuotes(" " + squeezed, language="en")[1:], quote=False)


def cited_html(text: str, sources: dict) -> str:
    """``text`` with each ``(004 "phrase")`` shown as a visible citation that
    quotes the passage and names its document: (Kim: “phrase”)."""
    from .sphinxext import GROUP, ONE
    out, pos = [], 0
    spans = [(m.start(), m.end(), m.group(0)) for m in GROUP.finditer(text)]
    covered = [range(a, b) for a, b, _ in spans]
    spans += [(m.start(), m.end(), m.group(0)) for m in ONE.finditer(text)
              if not any(m.start() in r for r in covered)]
    for start, end, chunk in sorted(spans):
        out.append(_prose(text[pos:start]))
        cited: dict[str, list[str]] = {}
        for sid, phrase in ONE.findall(chunk):
            cited.setdefault(sid, []).append(" ".join(phrase.split()))
        parts = []
        before = normalise(text[max(0, start - 400):start])
        for sid, phrases in cited.items():
            info = sources[sid]
            label = html.escape(info["label"])
            if info["href"]:
                label = f'<a href="{html.escape(info["href"])}">{label}</a>'
            # a phrase the sentence has just quoted is not quoted again
            fresh = [p for p in phrases if f'"{normalise(p)}' not in before]
            quoted = "; ".join(f"\u201c{html.escape(p)}\u201d" for p in fresh)
            parts.append(f"{label}: {quoted}" if quoted else label)
        out.append(f' <span class="selfcheck-cite">({"; ".join(parts)})</span>')
        pos = end
    out.append(_prose(text[pos:]))
    return "".join(out).strip()


def _see_also(q: Question, refs: dict) -> str:
    if not q.references:
        return ""
    links = []
    for key in q.references:
        info = refs.get(key, {"label": key, "href": ""})
        label = html.escape(info["label"])
        links.append(f'<a href="{html.escape(info["href"])}">{label}</a>' if info["href"] else label)
    return f' <span class="selfcheck-cite">(See {"; ".join(links)}.)</span>'


def _explanation(q: Question, node) -> str:
    return cited_html(q.explanation, node["sources"]) + _see_also(q, node["refs"])


def _stop(text: str) -> str:
    """A sentence ending in one full stop."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _question_html(q: Question, number: int, node) -> str:
    qid = f"sc-{q.id}"
    sources = node["sources"]
    legend = (f'<legend><span class="selfcheck-number">Question {number}.</span> '
              f'{_prose(q.prompt)}</legend>')
    explanation = _explanation(q, node)
    data: dict = {"kind": q.kind}  # the explanation is read from the answer below
    if q.kind == "choice":
        items = "".join(
            f'<li><label><input type="radio" name="{qid}" value="{i}"> '
            f'<span>{_prose(o.text)}</span></label></li>' for i, o in enumerate(q.options))
        body = f'<ol class="selfcheck-options" type="A">{items}</ol>'
        data["answer"] = [o.correct for o in q.options].index(True)
        data["feedback"] = [cited_html(o.feedback, sources) for o in q.options]
    elif q.kind == "order":
        lis = []
        for text, ref in q.shuffled_items():
            label = html.escape(educateQuotes(text, language="en"))
            lis.append(
                f'<li data-ref="{html.escape(ref)}"><span class="selfcheck-item">{_prose(text)}</span>'
                f'<span class="selfcheck-move" hidden>'
                f'<button type="button" data-move="-1" aria-label="Move up: {label}">Up</button>'
                f'<button type="button" data-move="1" aria-label="Move down: {label}">Down</button>'
                f'</span></li>')
        body = (f'<p class="selfcheck-hint" id="{qid}-hint">Put the items in order, first at '
                f'the top: move an item with its Up and Down buttons.</p>'
                f'<ol class="selfcheck-order" aria-describedby="{qid}-hint">{"".join(lis)}</ol>')
        data["answer"] = [ref for _, ref in q.items]
        data["hint"] = cited_html(q.feedback, sources)
    else:
        body = (f'<p class="selfcheck-field"><label for="{qid}-input">Your answer</label> '
                f'<input type="text" id="{qid}-input" name="{qid}" autocomplete="off" '
                f'autocapitalize="off" spellcheck="false" size="18"></p>')
        data["answer"] = sorted({normalise_answer(a) for a in q.answers})
        data["wrong"] = [[sorted({normalise_answer(a) for a in answers}), cited_html(fb, sources)]
                         for answers, fb in q.wrong]
        data["hint"] = cited_html(q.feedback, sources)
    reveal = (f'<details class="selfcheck-reveal"><summary>Show the answer</summary>'
              f'<p><strong>Answer:</strong> {_prose(_stop(q.answer_text()))}</p>'
              f'<p class="selfcheck-explanation">{explanation}</p></details>')
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (f'<div class="selfcheck-q" id="{qid}" data-kind="{q.kind}">'
            f'<form class="selfcheck-form" action="#{qid}" novalidate>'
            f'<fieldset>{legend}{body}</fieldset>'
            f'<p class="selfcheck-actions" hidden><button type="submit" class="selfcheck-check">'
            f'Check answer</button></p></form>'
            f'<div class="selfcheck-feedback" role="status" aria-live="polite"></div>'
            f'{reveal}'
            f'<script type="application/json" class="selfcheck-data">{payload}</script></div>')


def visit_block_html(self, node: selfcheck_block) -> None:
    title_id = f"selfcheck-{_slug(node['section'])}"
    questions = "".join(_question_html(q, n, node)
                        for q, n in zip(node["questions"], node["numbers"]))
    count = len(node["questions"])
    self.body.append(
        f'<aside class="selfcheck" aria-labelledby="{title_id}" '
        f'data-section="{html.escape(node["section"])}">'
        f'<p class="selfcheck-title" id="{title_id}">Check your understanding'
        f'<span class="selfcheck-count"> ({count} question{"s" if count > 1 else ""})</span></p>'
        f'<p class="selfcheck-print-note">Answers are at the end of the chapter.</p>'
        f'{questions}</aside>\n')
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.setup_extension("alliances.sphinxext")  # markers and sources, which the feedback uses
    app.add_node(selfcheck_block, html=(visit_block_html, None), latex=(_skip, None),
                 text=(_skip, None), man=(_skip, None), texinfo=(_skip, None))
    app.add_config_value("alliances_selfcheck_file", str(QUESTIONS_FILE), "env", types=[str])
    app.add_transform(PlaceSelfChecks)
    app.connect("doctree-resolved", _resolve, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
