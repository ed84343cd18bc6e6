"""Sphinx extension for the reading edition of the book.

Six jobs, each kept small:

1. **Offline JavaScript, only where it is used.** Altair's HTML output
   normally loads vega, vega-lite and vega-embed from a CDN. This extension
   compiles each chart's Vega-Lite spec to Vega at build time (vl-convert),
   moves the specs and their data (without the columns no spec reads) out of
   the page into one chart file per page, drawn by ``_static/chart-loader.js``
   (:func:`_move_charts`), copies vega and vega-embed from ``node_modules``
   (installed by ``npm ci`` from the lockfile at build time, never committed)
   into the book's static files and adds them only to pages that draw a chart
   (``../shared/STACK.md``). Every page also sheds the theme and extension
   assets it does not use (see :data:`PAGE_ASSETS`).
2. **No inert widgets.** A saved ipywidget cannot run without a kernel. In
   the HTML its output is replaced by a short note that points to the live
   notebooks, and neither the saved widget state nor any widget JavaScript is
   sent to the reader. The notebooks themselves keep their widgets.
3. **Source markers.** The chapters cite their three source documents inline
   as ``(004 "a verbatim phrase")`` (``alliances.data.citations``). The source
   stays as written, so the verbatim tests keep checking every phrase; in the
   HTML each citation becomes a small marker naming the document's author,
   whose phrase shows on hover, focus or tap, and every section ends with a
   collapsed list "Sources for this section".
4. **Titles as written.** A pybtex style (``alliances``) that keeps each
   title's own capitalisation instead of lower-casing it.
5. **Reading first.** Code cells show their output; their source folds
   away behind a "Show the code" toggle (:class:`HideCode`).
6. **Self-checks.** Questions from ``data/selfcheck.yml`` close the sections
   they name (the separate extension :mod:`alliances.sphinx_selfcheck`).
7. **A lighter theme.** After the build, the theme's Font Awesome rules and
   web fonts are cut to the icons the pages use (the theme's 1.5 MB
   ``fontawesome.js`` is not loaded at all, see ``_templates/``).
"""
from __future__ import annotations

import codecs
import html
import json
import re
import shutil
from pathlib import Path

import altair as alt
import latexcodec  # noqa: F401  (registers the "ulatex" codec used below)
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .paths import ROOT

logger = logging.getLogger(__name__)

NODE_MODULES = ROOT / "node_modules"
VENDOR = "offline-js"
#: (file in node_modules, name served under _static/offline-js/)
FILES = [
    ("vega/build/vega.min.js", "vega.min.js"),
    ("vega-lite/build/vega-lite.min.js", "vega-lite.min.js"),
    ("vega-embed/build/vega-embed.min.js", "vega-embed.min.js"),
]
#: Scripts a chart page needs, in order, as globals before its chart file
#: runs. vega-lite only if the specs are not compiled to Vega at build time
#: (config ``alliances_compile_charts``, on by default).
CHART_SCRIPTS = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]
#: Altair's HTML output calls this once per chart.
CHART_MARK = "vegaEmbed("
#: A placeholder of a chart in a built page's body.
CHART_PLACEHOLDER = re.compile(r'<div id="altair-viz-[0-9a-f]+"')
#: Under ``_static``: one file of charts per page (``charts/<docname>.js``).
CHART_DIR = "charts"
#: Draws the charts of a page's chart file (``_static/chart-loader.js``).
CHART_LOADER = "chart-loader.js"


def _stage(app: Sphinx, config: Config) -> None:
    if not NODE_MODULES.is_dir():
        raise ExtensionError(
            f"{NODE_MODULES} is missing: run `npm ci` (make book does) so the book can "
            "serve its JavaScript locally instead of from a CDN")
    staging = Path(app.outdir).parent / "jsvendor"
    target = staging / VENDOR
    if staging.exists():
        shutil.rmtree(staging)
    target.mkdir(parents=True)
    for source, name in FILES:
        path = NODE_MODULES / source
        if not path.is_file():
            raise ExtensionError(f"{path} is missing: run `npm ci` to install package-lock.json")
        shutil.copyfile(path, target / name)
    config.html_static_path = list(config.html_static_path) + [str(staging)]
    # No page loads the ipywidgets embedder: saved widgets are replaced (below).
    config.nb_ipywidgets_js = {}
    # The reading script (citation markers on touch screens) runs after the
    # page is parsed; Jupyter Book adds every _static script without `defer`.
    # (Sphinx has turned every entry into a (name, attributes) pair by now.)
    # So is the chart loader, which must run after vega (not deferred).
    config.html_js_files = [
        (entry[0], {**entry[1], "defer": "defer"}) if _js_name(entry) in DEFERRED_JS else entry
        for entry in config.html_js_files]


def _js_name(entry) -> str:
    return entry if isinstance(entry, str) else entry[0]


# ---------------------------------------------------------------------------
# 1. Per-page assets
# ---------------------------------------------------------------------------

def _uses_class(*names: str) -> re.Pattern:
    """A pattern for an HTML class attribute holding one of ``names``."""
    return re.compile(r'class="(?:[^"]*\s)?(?:%s)[\s"]' % "|".join(map(re.escape, names)))


#: Theme and extension files that a page loads only when its body uses them:
#: (start of the file name, pattern the page body must match).
PAGE_ASSETS = [
    ("sphinx-design.min.css", re.compile(r'class="(?:[^"]*\s)?sd-')),
    ("design-tabs.js", re.compile(r'class="(?:[^"]*\s)?sd-tab')),
    ("copybutton.js", _uses_class("highlight")),
    ("copybutton.css", _uses_class("highlight")),
    ("clipboard.min.js", _uses_class("highlight")),
    ("pygments.css", _uses_class("highlight")),
    ("togglebutton.js", _uses_class("toggle", "dropdown", "toggle-details")),
    ("togglebutton.css", _uses_class("toggle", "dropdown", "toggle-details")),
    ("exercise.css", _uses_class("exercise", "solution")),
    ("mystnb.", _uses_class("cell", "cell_output", "output")),
    ("sphinx-thebe.css", _uses_class("thebe-launch-button")),
    ("selfcheck.", _uses_class("selfcheck")),
    (CHART_LOADER, CHART_PLACEHOLDER),
]


def _asset_name(asset) -> str:
    return Path(str(getattr(asset, "filename", None) or "")).name


def _is_thebe(script) -> bool:
    return "thebe" in (getattr(script, "filename", None) or "") or \
        "THEBE_JS_URL" in str(getattr(script, "attributes", {}).get("body", ""))


def _is_widget_state(script) -> bool:
    return getattr(script, "attributes", {}).get("type") == WIDGET_STATE_MIME


def _needed(asset, body: str) -> bool:
    name = _asset_name(asset)
    for prefix, pattern in PAGE_ASSETS:
        if name.startswith(prefix):
            return pattern.search(body) is not None
    return True


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Send each page only the scripts and stylesheets it uses.

    - sphinx-thebe's scripts never (thebe is off, yet Jupyter Book injects its
      setup twice, which raises a JavaScript error, and it names a CDN);
    - no saved ipywidget state (the widgets are replaced, see below);
    - vega, vega-lite and vega-embed, the chart loader and the page's chart
      file only on a page that draws a chart;
    - theme and extension files only where the page body uses them.
    """
    body = context.get("body")
    if "script_files" in context:
        context["script_files"][:] = [
            js for js in context["script_files"]
            if not _is_thebe(js) and not _is_widget_state(js)
            and (body is None or _needed(js, body))]
    if body is not None and "css_files" in context:
        context["css_files"][:] = [css for css in context["css_files"] if _needed(css, body)]
    chart_file = Path(app.outdir) / "_static" / chart_file_uri(pagename)
    if body is not None and CHART_PLACEHOLDER.search(body) and chart_file.is_file():
        for priority, name in enumerate(CHART_SCRIPTS, start=150):
            if name == "vega-lite.min.js" and app.config.alliances_compile_charts:
                continue
            app.add_js_file(f"{VENDOR}/{name}", priority=priority)
        # after the loader (a _static script, priority 500), both deferred
        app.add_js_file(chart_file_uri(pagename), priority=900, loading_method="defer")


#: Where Altair's HTML output passes its spec and options to its loader.
_ALTAIR_CALL = re.compile(r"\n\s*\}\)\((?=\{)")
#: One ``<script>`` element of an HTML output.
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>\s*", re.S)
#: The placeholder Altair's loader draws into.
_CHART_ID = re.compile(r'getElementById\("(altair-viz-[0-9a-f]+)"\)')


def vegalite_version() -> str:
    """The Vega-Lite line (``major.minor``) Altair writes, which vl-convert
    compiles with at build time."""
    return ".".join(alt.VEGALITE_VERSION.split(".")[:2])


def compile_spec(spec: dict, options: dict) -> tuple[dict, dict]:
    """A Vega-Lite spec compiled to Vega, with vega-embed's options to match.

    The reader's browser then needs vega and vega-embed but not vega-lite
    (249 KB) and does not compile every chart on load; the chart drawn is the
    one vega-embed would have compiled. vl-convert (a dependency of the live
    notebooks) compiles with the Vega-Lite line Altair targets."""
    import vl_convert

    if options.get("mode", "vega-lite") != "vega-lite":
        return spec, options
    vega = vl_convert.vegalite_to_vega(spec, vl_version=vegalite_version())
    return vega, {**options, "mode": "vega"}


def extract_charts(text: str) -> tuple[str, list[dict]]:
    """Altair's HTML output split into the HTML that stays on the page (the
    chart's placeholder ``div`` and its style) and the charts its scripts
    would draw: for each, the placeholder's ``id``, the ``spec`` and
    vega-embed's ``options``, in page order."""
    decoder = json.JSONDecoder()
    kept, charts, pos = [], [], 0
    for script in _SCRIPT.finditer(text):
        body = script.group(1)
        call = _ALTAIR_CALL.search(body)
        chart_id = _CHART_ID.search(body)
        if call is None or chart_id is None:
            continue
        offset = script.start(1)
        spec, spec_end = decoder.raw_decode(text, offset + call.end())
        comma = re.compile(r"\s*,\s*").match(text, spec_end)
        options, _ = decoder.raw_decode(text, comma.end())
        charts.append({"id": chart_id.group(1), "spec": spec, "options": options})
        kept.append(text[pos:script.start()])
        pos = script.end()
    return "".join(kept) + text[pos:], charts


# Dataset columns that no part of a spec can read are left out of the chart
# file. A column is kept if its name occurs in any string of the spec (the
# inline data aside) as: the whole string (a field), a part of a field path
# ("a.b", "a[0]"), a word or a quoted string of an expression
# (datum.a, datum["a"], 'a'), or a key of a data format's ``parse``. Plain
# titles and descriptions cannot name a field and are not read. A spec that
# hands a whole row to something (a tooltip of every field: ``datum`` alone,
# or a function given ``datum``) keeps every column.

_PLAIN_TEXT_KEYS = {"description", "title", "text", "subtitle", "$schema"}
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_QUOTED_NAME = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
_PATH_PART = re.compile(r"(?<!\\)[.\[\]]")
_WHOLE_ROW = re.compile(r"\bdatum\b(?!\s*[.\[])")


def _is_rows(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)


def _spec_strings(node, out: list[str], parent_key: str | None = None) -> list[str]:
    """Every string of a spec that could name a field (inline rows skipped)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "values" and "name" in node and _is_rows(value):
                continue
            if key == "parse" and isinstance(value, dict):
                out.extend(value)
            _spec_strings(value, out, key)
    elif isinstance(node, list):
        for value in node:
            _spec_strings(value, out, parent_key)
    elif isinstance(node, str) and parent_key not in _PLAIN_TEXT_KEYS:
        out.append(node)
    return out


def referenced_fields(spec: dict) -> set[str] | None:
    """The names a spec could read from its data; None if it may read every
    field of a row (then nothing may be pruned)."""
    names: set[str] = set()
    for text in _spec_strings(spec, []):
        if _WHOLE_ROW.search(text):
            return None
        names.add(text)
        names.update(_PATH_PART.split(text))
        names.update(_WORD.findall(text))
        names.update(a or b for a, b in _QUOTED_NAME.findall(text))
    return names


def prune_rows(rows: list[dict], names: set[str] | None) -> list[dict]:
    """``rows`` with only the columns in ``names`` (all of them if None)."""
    if names is None:
        return rows
    return [{k: v for k, v in row.items() if k in names} for row in rows]


def pack_rows(rows: list[dict]):
    """A table for the chart file: packed by columns when every row has the
    same columns in the same order (a string column as a dictionary and
    indexes when that is shorter), else the rows as they are. The chart
    loader's ``rowsOf`` turns it back into exactly ``rows``."""
    columns = list(rows[0]) if rows else []
    if not rows or any(list(r) != columns for r in rows):
        return rows
    values = []
    for name in columns:
        col = [r[name] for r in rows]
        strings = [v for v in col if isinstance(v, str)]
        if len(strings) == len(col):
            uniq = list(dict.fromkeys(col))
            packed = {"dict": uniq, "index": [uniq.index(v) for v in col]}
            if len(_compact(packed)) < len(_compact(col)):
                values.append(packed)
                continue
        values.append(col)
    return {"columns": columns, "values": values, "rows": len(rows)}


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def chart_payload(charts: list[dict], prune: bool = True) -> dict:
    """The content of a page's chart file: each chart's spec without its
    inline rows, and every table once (tables equal after pruning are
    stored once however many charts use them). Only the top-level datasets
    of a Vega spec (``data[i].values``) or a Vega-Lite spec (``datasets``)
    are moved; Vega-Lite specs are not pruned (their fields are not
    compiled out yet)."""
    import hashlib

    datasets: dict[str, object] = {}
    out = []
    for chart in charts:
        spec = json.loads(json.dumps(chart["spec"]))  # a copy to take rows from
        vega = chart["options"].get("mode") == "vega"
        names = referenced_fields(spec) if (prune and vega) else None
        places: list[tuple[list, list[dict]]] = []
        if vega:
            for i, entry in enumerate(spec.get("data", [])):
                if isinstance(entry, dict) and _is_rows(entry.get("values")):
                    places.append((["data", i, "values"], entry.pop("values")))
        else:
            for name, rows in list(spec.get("datasets", {}).items()):
                if _is_rows(rows):
                    places.append((["datasets", name], spec["datasets"].pop(name)))
        fill = []
        for path, rows in places:
            table = pack_rows(prune_rows(rows, names))
            key = "t" + hashlib.sha1(_compact(table).encode()).hexdigest()[:12]
            datasets.setdefault(key, table)
            fill.append([path, key])
        out.append({"id": chart["id"], "spec": spec, "options": chart["options"], "fill": fill})
    return {"datasets": datasets, "charts": out}


def chart_file(docname: str, payload: dict) -> str:
    """The JavaScript of a page's chart file."""
    body = _compact(payload).replace("</", "<\\/")
    return (f"/* The charts of {docname}, written by alliances.sphinxext at build time; "
            f"drawn by {CHART_LOADER}. */\nwindow.allianceCharts.draw({body});\n")


def unpack_rows(table) -> list[dict]:
    """The rows of a table of a chart file (the inverse of :func:`pack_rows`,
    as the chart loader's ``rowsOf``)."""
    if isinstance(table, list):
        return table
    n = table["rows"]
    columns = [col if isinstance(col, list) else [col["dict"][i] for i in col["index"]]
               for col in table["values"]]
    return [{name: columns[j][i] for j, name in enumerate(table["columns"])} for i in range(n)]


def read_chart_file(path: Path) -> dict[str, tuple[dict, str]]:
    """A page's charts as the chart loader draws them: for each placeholder id,
    the spec with its rows put back, and its mode ("vega" or "vega-lite")."""
    text = path.read_text(encoding="utf-8")
    start = text.index("window.allianceCharts.draw(") + len("window.allianceCharts.draw(")
    payload, _ = json.JSONDecoder().raw_decode(text, start)
    out = {}
    for chart in payload["charts"]:
        spec = chart["spec"]
        for where, key in chart["fill"]:
            node = spec
            for step in where[:-1]:
                node = node[step]
            node[where[-1]] = unpack_rows(payload["datasets"][key])
        out[chart["id"]] = (spec, chart["options"].get("mode", "vega-lite"))
    return out


def chart_file_uri(docname: str) -> str:
    """A page's chart file, relative to ``_static``."""
    return f"{CHART_DIR}/{docname}.js"


def _move_charts(app: Sphinx, doctree, docname: str) -> None:
    """Move the page's charts out of its HTML into its chart file.

    Each Altair output keeps its placeholder ``div`` (and, in the page's own
    text, the chart's description); its script, the chart's spec and its
    data go to ``_static/charts/<docname>.js``, compiled to Vega (config
    ``alliances_compile_charts``), with the data columns no part of the spec
    reads left out. The page loads that file with ``defer`` (see
    :func:`_page_assets`), which works from file:// where fetch() does not."""
    if app.builder.format != "html":
        return
    charts = []
    for raw in doctree.findall(nodes.raw):
        text = raw.astext()
        if CHART_MARK not in text or "html" not in raw.get("format", ""):
            continue
        kept, found = extract_charts(text)
        if not found:
            continue
        if app.config.alliances_compile_charts:
            for chart in found:
                chart["spec"], chart["options"] = compile_spec(chart["spec"], chart["options"])
        charts += found
        raw.children = [nodes.Text(kept)]
    target = Path(app.outdir) / "_static" / chart_file_uri(docname)
    if not charts:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(chart_file(docname, chart_payload(charts)), encoding="utf-8")


class HideCode(SphinxPostTransform):
    """Code cells fold their source away in the HTML, each with its own
    "Show code" toggle (myst-nb's ``hide-input``), unless tagged
    ``show-input`` or already given a hide or remove tag. The notebooks keep
    everything; config ``alliances_hide_code`` (on by default) turns it off."""

    default_priority = 150  # before myst-nb's HideInputCells (199) wraps them
    formats = ("html",)

    def run(self, **kwargs) -> None:
        if not self.config.alliances_hide_code:
            return
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code" or cell.get("hide_mode"):
                continue
            tags = set((cell.get("cell_metadata") or {}).get("tags", []))
            if "show-input" in tags or not cell.children or \
                    cell.children[0].get("nb_element") != "cell_code_source":
                continue
            cell["hide_mode"] = "input"
            cell["prompt_show"] = "Show the code"
            cell["prompt_hide"] = "Hide the code"


def visit_hidden_code_html(self, node) -> None:
    """myst-nb's toggle without its ``aria-label="Toggle hidden content"``:
    the name a screen reader gives the toggle is then the words it shows
    ("Show the code"), as WCAG's label-in-name asks (axe: serious)."""
    classes = " ".join(node["classes"])
    self.body.append(
        f'<details class="admonition hide {classes}">\n<summary>\n'
        f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n'
        f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n'
        "</summary>\n")


def depart_hidden_code_html(self, node) -> None:
    self.body.append("</details>\n")


# ---------------------------------------------------------------------------
# 2. Saved ipywidgets
# ---------------------------------------------------------------------------

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
#: The label (in book/how-to-use.md) of the section on live notebooks.
LIVE_LABEL = "live-notebooks"
WIDGET_NOTE = ("This cell shows interactive controls (ipywidgets) that need a "
               "running Python kernel, so the book leaves them out. ")


def _is_widget_view(node) -> bool:
    return isinstance(node, nodes.raw) and \
        f'<script type="{WIDGET_VIEW_MIME}"' in node.astext()


def _replace_widgets(app: Sphinx, doctree, docname: str) -> None:
    """Replace every saved widget view by a note pointing to the live notebooks.

    A chapter that shows a kernel-free figure for the same idea need do
    nothing more; to drop the cell from the book altogether, tag it
    ``remove-cell`` (nbval still runs it)."""
    views = list(doctree.findall(_is_widget_view))
    if not views:
        return
    std = app.env.get_domain("std")
    target = std.labels.get(LIVE_LABEL)
    if target is None:
        logger.warning(f"label {LIVE_LABEL!r} not found: the live-widget note has no link",
                       location=docname)
    for view in views:
        para = nodes.paragraph()
        para += nodes.strong(text="Live notebook only. ")
        para += nodes.Text(WIDGET_NOTE)
        if target is not None:
            todoc, labelid, _ = target
            uri = app.builder.get_relative_uri(docname, todoc) + "#" + labelid
            para += nodes.Text("See ")
            para += nodes.reference("", "how to open the live notebooks", refuri=uri,
                                    internal=True)
            para += nodes.Text(".")
        note = nodes.container("", para, classes=["live-widget-note"])
        view.replace_self(note)


# ---------------------------------------------------------------------------
# 3. Source markers
# ---------------------------------------------------------------------------

#: Source id -> (key in references.bib, short label or None for the first
#: author's last name). The ids are those of ``alliances.data.citations``.
SOURCES = {
    "000": ("oped000", "Op-ed"),
    "003": ("vu003", None),
    "004": ("kim004", None),
}
_ID = "|".join(sorted(SOURCES))
_QUOTED = r'["\u201c]([^"\u201c\u201d]+)["\u201d]'
#: One citation: ``004 "a phrase"`` (straight or curly quotes).
ONE = re.compile(rf'\b({_ID})\s+{_QUOTED}')
#: A parenthesis holding nothing but citations, separated by semicolons.
GROUP = re.compile(rf'\s?\(\s*(?:(?:{_ID})\s+{_QUOTED}\s*;?\s*)+\)')


class source_ref(nodes.Inline, nodes.Element):
    """Citations of one source at one place: ``source`` (id) and ``phrases``."""


class source_list(nodes.General, nodes.Element):
    """The list closing a section: its ``refs`` are source_ref ``number``s."""


_SKIP = (nodes.FixedTextElement, nodes.Special, nodes.Invisible, nodes.raw, nodes.literal,
         nodes.reference, nodes.title, nodes.math)


def _markers(text: str, counter: list[int]) -> list[nodes.Node]:
    """Split ``text`` into Text and source_ref nodes (one per source per place)."""
    out: list[nodes.Node] = []
    pos = 0
    spans = [(m.start(), m.end(), m.group(0)) for m in GROUP.finditer(text)]
    covered = [range(a, b) for a, b, _ in spans]
    spans += [(m.start(), m.end(), m.group(0)) for m in ONE.finditer(text)
              if not any(m.start() in r for r in covered)]
    for start, end, chunk in sorted(spans):
        if start > pos:
            out.append(nodes.Text(text[pos:start]))
        cited: dict[str, list[str]] = {}
        for sid, phrase in ONE.findall(chunk):
            cited.setdefault(sid, []).append(" ".join(phrase.split()))
        for sid, phrases in cited.items():
            counter[0] += 1
            out.append(source_ref(source=sid, phrases=phrases, number=counter[0]))
        pos = end
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


class SourceMarkers(SphinxTransform):
    """Turn inline citations into source_ref nodes, and close every section
    that has any with a source_list (before its first subsection)."""

    default_priority = 700  # before smart quotes (750): the quotes are still straight

    def apply(self, **kwargs) -> None:
        counter = [0]
        for parent in list(self.document.findall(nodes.TextElement)):
            if isinstance(parent, _SKIP) or any(isinstance(a, _SKIP) for a in _ancestors(parent)):
                continue
            children = list(parent.children)
            if not any(isinstance(c, nodes.Text) for c in children):
                continue
            rebuilt, run, changed = [], [], False
            for child in children + [None]:
                if isinstance(child, nodes.Text):
                    run.append(child)
                    continue
                if run:
                    text = "".join(str(t) for t in run)
                    if ONE.search(text):
                        rebuilt += _markers(text, counter)
                        changed = True
                    else:
                        rebuilt += run
                    run = []
                if child is not None:
                    rebuilt.append(child)
            if changed:
                parent.children = []
                parent.extend(rebuilt)
        if counter[0]:
            self._add_lists()

    def _add_lists(self) -> None:
        for section in [self.document, *self.document.findall(nodes.section)]:
            own = []
            for child in section.children:
                if isinstance(child, nodes.section):
                    break
                own.append(child)
            numbers = [ref["number"] for child in own for ref in child.findall(source_ref)]
            if not numbers:
                continue
            index = section.index(own[-1]) + 1
            section.insert(index, source_list(refs=numbers))


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def decode_latex(latex: str) -> str:
    return codecs.decode(latex, "ulatex").replace("{", "").replace("}", "")


def source_info(app: Sphinx, docname: str) -> dict[str, dict]:
    """For each source id: its short label, title, and the link to its
    bibliography entry (from sphinxcontrib-bibtex's parsed references.bib)."""
    domain = app.env.get_domain("cite")
    entries = domain.bibdata.data.entries
    info = {}
    for sid, (key, short) in SOURCES.items():
        entry = entries.get(key)
        if entry is None:
            raise ExtensionError(f"source {sid}: no entry {key!r} in the bibliography")
        authors = entry.persons.get("author", [])
        label = short or (decode_latex(" ".join(authors[0].last_names)) if authors else key)
        title = decode_latex(entry.fields.get("title", "")).strip()
        info[sid] = {"label": label, "title": title, "href": bibliography_href(app, docname, key)}
    return info


def bibliography_href(app: Sphinx, docname: str, key: str) -> str:
    """The link from ``docname`` to the bibliography entry ``key`` ("" if not cited)."""
    for cit in app.env.get_domain("cite").citations:
        if cit.key == key:
            return (app.builder.get_relative_uri(docname, cit.bibliography_key.docname)
                    + "#" + cit.citation_id)
    return ""


def _resolve_sources(app: Sphinx, doctree, docname: str) -> None:
    """Give each marker and list its labels; plain text for other builders."""
    refs = {ref["number"]: ref for ref in doctree.findall(source_ref)}
    if not refs:
        return
    info = source_info(app, docname)
    html_out = app.builder.format == "html"
    for ref in refs.values():
        ref["info"] = info[ref["source"]]
        if not html_out:
            quoted = "; ".join(f"\u201c{p}\u201d" for p in ref["phrases"])
            ref.replace_self(nodes.Text(f" ({ref['info']['label']}: {quoted})"))
    for lst in list(doctree.findall(source_list)):
        if not html_out:
            lst.parent.remove(lst)
            continue
        lst["entries"] = [(n, refs[n]["info"], refs[n]["phrases"]) for n in lst["refs"]]


def _quote(phrases) -> str:
    return "; ".join(f"\u201c{html.escape(p)}\u201d" for p in phrases)


def visit_source_ref_html(self, node: source_ref) -> None:
    n, info = node["number"], node["info"]
    tip = f"{html.escape(info['label'])}, <cite>{html.escape(info['title'])}</cite>: {_quote(node['phrases'])}"
    self.body.append(
        f'<span class="source-ref">'
        f'<a class="source-marker" id="srcref-{n}" href="#src-{n}" '
        f'aria-describedby="srctip-{n}">{html.escape(info["label"])}</a>'
        f'<span class="source-tip" id="srctip-{n}" role="tooltip">{tip}</span></span>')
    raise nodes.SkipNode


def visit_source_list_html(self, node: source_list) -> None:
    """The section's sources, grouped by document in order of first citation."""
    groups: dict[str, tuple[dict, list[str]]] = {}
    for n, info, phrases in node["entries"]:
        back = (f' <a class="source-back" href="#srcref-{n}" '
                f'aria-label="Back to the text">\u21a9</a>')
        item = f'<li id="src-{n}" value="{n}">{_quote(phrases)}{back}</li>'
        groups.setdefault(info["label"], (info, []))[1].append(item)
    docs = []
    for info, items in groups.values():
        title = html.escape(info["title"])
        if info["href"]:
            title = f'<a href="{html.escape(info["href"])}">{title}</a>'
        docs.append(f'<li><span class="source-doc">{html.escape(info["label"])}, '
                    f'<cite>{title}</cite></span><ol>{"".join(items)}</ol></li>')
    count = len(node["entries"])
    self.body.append(
        '<details class="source-list">'
        f'<summary>Sources for this section ({count})</summary>'
        f'<ul class="source-docs">{"".join(docs)}</ul></details>\n')
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


# ---------------------------------------------------------------------------
# 4. A bibliography style that keeps titles as written
# ---------------------------------------------------------------------------

def _register_style() -> None:
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.template import field, sentence

    class KeepCase(Plain):
        """pybtex's plain style without lower-casing titles ("Reactions of
        the Sino-Soviet Bloc", not "Reactions of the sino-soviet bloc")."""

        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

    register_plugin("pybtex.style.formatting", "alliances", KeepCase, force=True)


# ---------------------------------------------------------------------------
# 5. The theme's icon font, cut to the icons the book shows
# ---------------------------------------------------------------------------

THEME_CSS = Path("_static/styles/pydata-sphinx-theme.css")
ICON_FONTS = Path("_static/vendor/fontawesome/webfonts")
#: A rule of the minified stylesheet that only gives icons their glyph.
_ICON_RULES = re.compile(r'(?<=[}\n])((?:\.fa-[\w-]+::?(?:before|after),?)+)\{content:"[^"]*"\}')
_ICON_SELECTOR = re.compile(r"\.(fa-[\w-]+)::?(?:before|after)")
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
_PRIVATE_USE = re.compile(r'\\(f[0-9a-f]{3}|e[0-9a-f]{3})\b', re.I)


def _keep_icons(match: re.Match, used: set[str]) -> str:
    """An icon rule with only the selectors of icons in ``used``, or nothing."""
    rule = match.group(0)
    selectors = [s for s in match.group(1).split(",") if s]
    wanted = [s for s in selectors if _ICON_SELECTOR.fullmatch(s).group(1) in used]
    return ",".join(wanted) + rule[len(match.group(1)):] if wanted else ""


#: Selector parts whose classes do not decide whether a rule can apply:
#: attribute selectors (``[href$=".pdf"]``) and functional pseudo-classes
#: (``:not(.a)`` matches without ``.a``; ``:is(.a, .b)`` needs only one).
_SELECTOR_NOISE = re.compile(r"\[[^\]]*\]|:(?:not|is|where|has|nth-[a-z-]+)\([^()]*\)")
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
#: Classes kept whatever the pages say: Bootstrap builds these names in
#: JavaScript from parts (``bs-${placement}-auto``).
_ALWAYS_KEPT = re.compile(r"bs-")
#: Rules that hold other rules; anything else (@font-face, @keyframes...) stays whole.
_GROUPING_RULES = {"media", "supports", "layer", "container"}


def _classes_in_use(out: Path) -> set[str]:
    """Every class a built page can carry: those in the HTML, and every word
    of the JavaScript the book serves (a script adds classes by name)."""
    used: set[str] = set()
    for page in out.rglob("*.html"):
        for attr in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")):
            used.update(attr.split())
    for script in (out / "_static").rglob("*.js"):
        if script.name != "fontawesome.js":  # never loaded (see _templates/)
            used.update(re.findall(r"[A-Za-z_][\w-]*", script.read_text(encoding="utf-8", errors="replace")))
    return used


def _selector_can_match(selector: str, used: set[str]) -> bool:
    classes = _SELECTOR_CLASS.findall(_SELECTOR_NOISE.sub("", selector))
    return all(c in used or _ALWAYS_KEPT.match(c) for c in classes)


def drop_unused_rules(css: str, used: set[str]) -> str:
    """``css`` without the selectors that need a class no page can carry
    (``used``), and without rules left with no selector. Rules inside
    @media, @supports, @layer and @container are cut the same way; every
    other at-rule, and every selector without classes, is kept as it is.

    pydata-sphinx-theme bundles all of Bootstrap's stylesheet (utility
    classes, forms, cards, carousels...): 300 KB that every page loads,
    mostly for elements this book does not have."""
    import tinycss2

    def cut(rules) -> list[str]:
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [s.strip() for s in _split_selectors(tinycss2.serialize(rule.prelude))]
                live = [s for s in selectors if _selector_can_match(s, used)]
                if live:
                    kept.append(",".join(live) + "{" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING_RULES \
                    and rule.content is not None:
                inner = cut(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                     skip_comments=True))
                if inner:
                    kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                kept.append(tinycss2.serialize([rule]))
            elif rule.type == "comment" and rule.value.startswith("!"):
                kept.append(f"/*{rule.value}*/")  # licences
        return kept

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=False)
    return "".join(cut(rules))


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those in ``:is(a, b)``)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return parts + [prelude[start:]]


def _trim_icons(app: Sphinx, exception) -> None:
    """Cut the theme's Font Awesome to what the built pages use.

    pydata-sphinx-theme's stylesheet carries a rule for each of Font Awesome's
    ~2,000 icons (86 KB) and pages download a 156 KB font of all of them, to
    show about a dozen. After the build this drops the rules of icons no page
    names (a class ``fa-NAME`` in the HTML) and replaces each web font by a
    subset (fontTools) holding only the glyphs the remaining CSS can still
    show, including the theme's admonition icons (CSS variables)."""
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme
    from fontTools import subset

    out = Path(app.outdir)
    css_path = out / THEME_CSS
    # Always from the theme's own files: Sphinx does not copy them again into
    # an output it built before, and trimming twice must give the same result.
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source_css = theme / "styles" / THEME_CSS.name
    if not source_css.is_file():
        raise ExtensionError(f"{source_css} not found: the theme changed; see _templates/README.md")
    used = set()
    for page in out.rglob("*.html"):
        used |= set(_ICON_CLASS.findall(page.read_text(encoding="utf-8")))
    css = _ICON_RULES.sub(lambda m: _keep_icons(m, used), source_css.read_text(encoding="utf-8"))
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)  # the map no longer matches
    before = len(css)
    css = drop_unused_rules(css, _classes_in_use(out))
    logger.info(f"theme stylesheet: {before // 1000} KB -> {len(css) // 1000} KB of rules the book can use")
    codepoints = set()
    for sheet in (out / "_static").rglob("*.css"):
        text = css if sheet == css_path else sheet.read_text(encoding="utf-8", errors="replace")
        codepoints |= {int(h, 16) for h in _PRIVATE_USE.findall(text)}  # "\\f0c9"
        codepoints |= {ord(c) for c in text if 0xE000 <= ord(c) <= 0xF8FF}  # the glyph itself
    fonts = sorted((theme / ICON_FONTS.relative_to("_static")).glob("*.ttf"))
    if not fonts:
        raise ExtensionError(f"no icon fonts in {theme}: the theme changed")
    for ttf in fonts:
        font = subset.load_font(str(ttf), subset.Options())
        options = subset.Options()
        options.flavor = "woff"  # zlib; woff2 would need brotli
        options.layout_features = ["*"]
        sub = subset.Subsetter(options)
        sub.populate(unicodes=codepoints)
        sub.subset(font)
        target = out / ICON_FONTS / (ttf.stem + ".subset.woff")
        subset.save_font(font, str(target), options)
        base = f"../vendor/fontawesome/webfonts/{ttf.stem}"
        css, n = re.subn(
            rf'src:\s*url\({re.escape(base)}\.woff2\)\s*format\("woff2"\)\s*,\s*'
            rf'url\({re.escape(base)}\.ttf\)\s*format\("truetype"\)',
            f'src:url({base}.subset.woff) format("woff")', css)
        if n != 1:
            raise ExtensionError(f"no @font-face for {ttf.name} in {css_path.name}")
    css_path.write_text(css, encoding="utf-8")
    logger.info(f"icons: {len(used)} classes used, {len(codepoints)} glyphs kept")


# ---------------------------------------------------------------------------

READING_JS = "reading.js"
#: The book's own scripts (_static), run once the page is parsed.
DEFERRED_JS = {READING_JS, "selfcheck.js", CHART_LOADER}


def setup(app: Sphinx) -> dict:
    _register_style()
    # Compile charts to Vega at build time: pages then need no vega-lite
    # (249 KB) but their HTML grows 5-60% (Vega specs are longer).
    app.add_config_value("alliances_compile_charts", True, "html", types=[bool])
    app.add_config_value("alliances_hide_code", True, "html", types=[bool])
    app.add_post_transform(HideCode)
    from myst_nb.sphinx_ import HideCodeCellNode
    app.add_node(HideCodeCellNode, override=True,
                 html=(visit_hidden_code_html, depart_hidden_code_html))
    app.connect("config-inited", _stage, priority=900)
    app.connect("html-page-context", _page_assets, priority=900)
    app.add_node(source_ref, html=(visit_source_ref_html, None),
                 latex=(_skip, None), text=(_skip, None))
    app.add_node(source_list, html=(visit_source_list_html, None),
                 latex=(_skip, None), text=(_skip, None))
    app.add_transform(SourceMarkers)
    app.connect("doctree-resolved", _resolve_sources)
    app.connect("doctree-resolved", _replace_widgets)
    app.connect("doctree-resolved", _move_charts)
    app.connect("build-finished", _trim_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
