"""Live treaty comparer: pick treaties, see their provisions side by side.

The table comes from :func:`alliances.treaties.compare_wide`; the callback
:meth:`TreatyComparer.show` is a plain method that tests call directly. The
widget is an ``HTML`` widget whose ``value`` is replaced (no Output-widget
capture), so strict nbval can compare the executed notebook.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..data import load_treaties
from ..treaties import CHAPTER_TREATIES, compare_wide

CELL = "padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:top;text-align:left"


def table_html(treaty_ids) -> str:
    """An HTML table of :func:`compare_wide` for ``treaty_ids`` (ATOP rows shaded)."""
    ids = list(treaty_ids)
    if not ids:
        return "<p>Choose at least one treaty.</p>"
    wide = compare_wide(ids)
    names = [c for c in wide.columns if c not in ("provision", "reading", "column")]
    head = "".join(f'<th style="{CELL}">{html.escape(h)}</th>'
                   for h in ["Provision", "Reading", *names])
    body = []
    for record in wide.to_dict("records"):
        shade = "background:#eeeeee;" if record["reading"] == "ATOP" else ""
        cells = [str(record["provision"]), f"{record['reading']} ({record['column']})",
                 *[str(record[n]) for n in names]]
        body.append(f'<tr style="{shade}">'
                    + "".join(f'<td style="{CELL}">{html.escape(c)}</td>' for c in cells) + "</tr>")
    return (f'<table style="border-collapse:collapse;font-size:90%">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


class TreatyComparer:
    """A multiple selection of treaties and the comparison table it drives."""

    def __init__(self, treaty_ids=CHAPTER_TREATIES, chosen=("T11", "T12")):
        treaties = load_treaties().set_index("treaty_id")
        options = [(str(treaties.loc[t, "short_name"]), t) for t in treaty_ids]
        self.select = widgets.SelectMultiple(
            options=options, value=tuple(chosen), rows=len(options),
            description="Treaties:", style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"))
        self.table = widgets.HTML(value=table_html(chosen))
        self.select.observe(self._on_change, names="value")
        help_text = widgets.HTML(
            "<p>Hold Ctrl (Cmd on a Mac) to choose two or more treaties. Rows on a grey band "
            "are ATOP 4.01 codes; the others give the sources' reading.</p>")
        self.widget = widgets.VBox([self.select, help_text, self.table])

    def show(self, treaty_ids) -> str:
        """Show ``treaty_ids`` side by side; returns the table's HTML."""
        self.table.value = table_html(treaty_ids)
        return self.table.value

    def _on_change(self, change) -> None:
        self.show(change["new"])


def treaty_comparer(**kwargs) -> widgets.VBox:
    """Build the comparer and return its widget for display."""
    return TreatyComparer(**kwargs).widget
