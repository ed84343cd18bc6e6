"""Live treaty comparer: pick treaties, see their provisions side by side.

The table is :func:`alliances.queries.treaties.compare_wide` of the rows of
:func:`alliances.queries.treaties.compare` for the chosen treaties; the
callback :meth:`TreatyComparer.show` is a plain method that tests call
directly. The widget is an ``HTML`` widget whose ``value`` is replaced (no
Output-widget capture), so strict nbval can compare the executed notebook.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..queries.treaties import compare_wide

CELL = "padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:top;text-align:left"


def table_html(long: pd.DataFrame, treaty_ids) -> str:
    """An HTML table of the treaties ``treaty_ids`` of ``long`` (a :func:`compare`
    table): provisions down, treaty and reading across, ATOP columns shaded."""
    ids = list(treaty_ids)
    if not ids:
        return "<p>Choose at least one treaty.</p>"
    chosen = long[long["treaty_id"].isin(ids)]
    chosen = chosen.assign(rank=chosen["treaty_id"].map(ids.index)).sort_values(
        ["order", "rank"], kind="stable")
    wide = compare_wide(chosen)
    atop = set(chosen.loc[chosen["reading"] == "ATOP", "column"])
    shade = {c: "background:#eeeeee;" if c in atop else "" for c in wide.columns}
    head = f'<th style="{CELL}">Provision</th>' + "".join(
        f'<th style="{shade[c]}{CELL}">{html.escape(c)}</th>' for c in wide.columns)
    body = []
    for concept, row in wide.iterrows():
        cells = "".join(f'<td style="{shade[c]}{CELL}">{html.escape(str(row[c]))}</td>' for c in wide.columns)
        body.append(f'<tr><th style="{CELL}">{html.escape(str(concept))}</th>{cells}</tr>')
    return (f'<table style="border-collapse:collapse;font-size:90%">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


class TreatyComparer:
    """A multiple selection of the treaties of ``long`` and the comparison table it drives."""

    def __init__(self, long: pd.DataFrame, chosen=("T11", "T12")):
        self.long = long
        names = dict(zip(long["treaty_id"], long["treaty"]))
        options = [(name, tid) for tid, name in names.items()]
        self.select = widgets.SelectMultiple(
            options=options, value=tuple(chosen), rows=len(options),
            description="Treaties:", style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"))
        self.table = widgets.HTML(value=table_html(long, chosen))
        self.select.observe(self._on_change, names="value")
        help_text = widgets.HTML(
            "<p>Hold Ctrl (Cmd on a Mac) to choose two or more treaties. Shaded columns "
            "are ATOP 4.01 codes; the others give the sources' reading.</p>")
        self.widget = widgets.VBox([self.select, help_text, self.table])

    def show(self, treaty_ids) -> str:
        """Show ``treaty_ids`` side by side; returns the table's HTML."""
        self.table.value = table_html(self.long, treaty_ids)
        return self.table.value

    def _on_change(self, change) -> None:
        self.show(change["new"])


def treaty_comparer(long: pd.DataFrame, **kwargs) -> widgets.VBox:
    """Build the comparer over ``long`` and return its widget for display."""
    return TreatyComparer(long, **kwargs).widget
