"""What a chapter shows a reader beside its charts: tables and descriptions.

Chapters show frames and charts through these two helpers, never raw:

* :func:`table` - a frame as a reader's table: human headers, no index,
  nothing cut short ("..."), lists and blanks written out, cells that wrap;
* :func:`describe` - a chart's written description as prose in a collapsible
  "Describe this chart" block (the chart's ``description`` is also its
  ``aria`` description, which screen readers read on the chart itself).

Both return display objects: HTML in the book and in JupyterLab, plain text
in a terminal. They hold no domain logic: the wording of a header lives in
:data:`HEADERS`, one place for the whole book.
"""
from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping

import pandas as pd

from ..data.values import NOT_STATED, is_blank

#: Column names of the data and queries, as a reader's table heads them.
#: A column not listed here is headed by its name in words
#: (``own_amity`` -> "Own amity").
HEADERS: dict[str, str] = {
    "ab": "Side A–B", "ac": "Side A–C", "bc": "Side B–C",
    "role_a": "Role of A", "role_b": "Role of B", "role_c": "Role of C",
    "sum_type": "Vu's type", "vu_sum_type": "Vu's type (model)",
    "source_label": "Source's own label", "label": "Period", "label_basis": "Basis of the label",
    "period_id": "Period code", "period": "Period", "pattern": "Pattern (model)",
    "agreement": "Model and source", "sides": "Sides", "roles": "Roles", "bases": "Basis of each side",
    "balanced": "Structurally balanced", "author": "Named by", "rank": "Rank", "role": "Role",
    "own_amity": "Friendly sides of its own", "others_relation": "Its two partners are",
    "score": "Illustrative score", "dispute_id": "Dispute", "topic": "Question",
    "reading_a": "One reading", "source_a": "Its source", "reading_b": "The other reading",
    "source_b": "Its source", "comment": "Comment", "case_id": "Case", "dyad_label": "States",
    "shared_security": "Shared security threat", "shared_ideology": "Shared ideology",
    "allied": "Allied", "predicted": "Rule predicts", "outcome": "Outcome",
    "atopid": "ATOP id", "treaty_id": "Treaty", "begin": "Begins", "end": "Ends",
    "defense": "Defence", "offense": "Offence", "neutral": "Neutrality", "nonagg": "Non-aggression",
    "consul": "Consultation", "concept": "Provision", "origin": "From", "field": "Field",
    "value": "Value", "start": "Start", "basis": "Basis", "step": "Step", "computed": "Computed",
    "source": "Source", "evidence": "Evidence", "verdict": "Bears on it",
}


def header(column) -> str:
    """A column's header for readers (:data:`HEADERS`, else its name in words)."""
    name = str(column)
    if name in HEADERS:
        return HEADERS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def cell(value) -> str:
    """A cell as a reader reads it: blanks as :data:`NOT_STATED`, lists
    joined, yes/no for truth values, whole numbers without ``.0``."""
    if isinstance(value, (list, tuple, set)):
        parts = [cell(v) for v in value]
        return "; ".join(p for p in parts if p) or NOT_STATED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_blank(value):
        return NOT_STATED
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


class ReaderTable:
    """A frame laid out for reading (see :func:`table`)."""

    def __init__(self, frame: pd.DataFrame, caption: str | None = None):
        self.frame = frame
        self.caption = caption

    @property
    def headers(self) -> list[str]:
        return [header(c) for c in self.frame.columns]

    @property
    def rows(self) -> list[list[str]]:
        return [[cell(v) for v in row] for row in self.frame.itertuples(index=False, name=None)]

    def _repr_html_(self) -> str:
        # explicit roles: on a phone the book's CSS lays each row out as a card
        # (display: block), which would otherwise drop the table's semantics
        head = "".join(f'<th scope="col" role="columnheader">{html.escape(h)}</th>' for h in self.headers)
        body = "".join(
            '<tr role="row">' + "".join(
                f'<td role="cell" data-label="{html.escape(h)}">{html.escape(v)}</td>'
                for h, v in zip(self.headers, row)) + "</tr>"
            for row in self.rows)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (f'<table class="reader-table" role="table">{caption}<thead><tr role="row">{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        for row in self.rows:
            lines.append("; ".join(f"{h}: {v}" for h, v in zip(self.headers, row)))
        return "\n".join(textwrap.fill(line, 100, subsequent_indent="    ") for line in lines)


def table(frame: pd.DataFrame, columns: Mapping[str, str] | list[str] | None = None,
          caption: str | None = None) -> ReaderTable:
    """``frame`` as a table for readers.

    A named index (``set_index("case_id")``) becomes the first column; an
    unnamed one (0, 1, 2, ...) is dropped. ``columns`` picks and orders the
    columns (a list) or also heads them (a mapping column -> header, for a
    heading this table alone needs); other headers come from :data:`HEADERS`.
    Every row and every character is shown; the book's CSS wraps the cells,
    and on a phone shows each row as a card of "Header: value" lines
    (``_static/alliances.css``).
    """
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    else:
        frame = frame.reset_index(drop=True)
    if columns is not None:
        frame = frame[list(columns)]
        if isinstance(columns, Mapping):
            frame = frame.rename(columns=dict(columns))
    return ReaderTable(frame, caption)


class Description:
    """A chart's description as prose (see :func:`describe`)."""

    SUMMARY = "Describe this chart"

    def __init__(self, text: str):
        #: paragraphs: a text written line by line keeps its lines as paragraphs
        self.paragraphs = [" ".join(line.split()) for line in str(text).splitlines() if line.strip()]
        self.text = " ".join(self.paragraphs)

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
        return (f'<details class="chart-description"><summary>{self.SUMMARY}</summary>'
                f"{body}</details>")

    def __repr__(self) -> str:
        return f"{self.SUMMARY}:\n" + "\n".join(textwrap.fill(p, 100) for p in self.paragraphs)


#: The columns of ``disputes.csv`` a reader needs to weigh a disagreement.
DISPUTE_COLUMNS = {"dispute_id": "Dispute", "topic": "Question", "reading_a": "One reading",
                   "source_a": "Its source", "reading_b": "The other reading",
                   "source_b": "Its source", "comment": "What the book makes of it"}


def dispute_table(disputes: pd.DataFrame, dispute_ids: list[str]) -> ReaderTable:
    """Some rows of ``disputes.csv`` (indexed by ``dispute_id``), in the order
    given, each with its id, both readings with their sources, and the comment."""
    rows = disputes.loc[list(dispute_ids)]
    return table(rows, DISPUTE_COLUMNS)


def describe(chart_or_text) -> Description:
    """The written description of a chart (its ``description``, which the
    chart also carries as its ``aria`` description), or a text given
    directly, as a collapsible "Describe this chart" block of prose."""
    if isinstance(chart_or_text, str):
        return Description(chart_or_text)
    text = getattr(chart_or_text, "description", None)
    if not isinstance(text, str):
        text = chart_or_text.to_dict().get("description")
    if not text:
        raise ValueError("the chart has no description: give it one (chart.properties(description=...))")
    return Description(text)
