"""Layout limits shared by every chart of the book.

At a laptop width (1366 x 900) the book's content column is 757 px wide. The
book's CSS lets a wider chart scroll sideways rather than shrink its text, so
every chart is drawn to fit in :data:`MAX_WIDTH` pixels, axes, legends and
titles included: views are narrow enough, legends sit below the chart, small
multiples run over several rows and long axis labels wrap over lines
(:func:`wrap_labels`) instead of being cut.
"""
from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

import altair as alt

#: Widest a chart may be drawn (px), a little under the content column.
MAX_WIDTH = 740


def wrap_labels(values: Iterable[str], width: int) -> str:
    """A Vega ``labelExpr`` that draws each label longer than ``width``
    characters over several lines (broken at spaces by :func:`textwrap.wrap`).

    The data keep the whole label; only the axis draws it wrapped.
    """
    lines = {str(v): textwrap.wrap(str(v), width) for v in dict.fromkeys(values) if len(str(v)) > width}
    if not lines:
        return "datum.label"
    return f"{json.dumps(lines, ensure_ascii=False)}[datum.label] || datum.label"


def in_rows(panels: list, per_row: int, spacing: int = 20):
    """Small multiples ``per_row`` to a row: a vconcat of hconcats."""
    rows = [alt.hconcat(*panels[i:i + per_row], spacing=spacing) for i in range(0, len(panels), per_row)]
    return alt.vconcat(*rows, spacing=spacing)


def wrapped_axis(values: Iterable[str], width: int, line_height: int = 12, **axis) -> alt.Axis:
    """An axis whose labels longer than ``width`` characters wrap over lines
    (:func:`wrap_labels`), each block centred on its tick."""
    values = [str(v) for v in dict.fromkeys(values)]
    lines = {v: len(textwrap.wrap(v, width)) for v in values if len(v) > width}
    offset = (f"-({json.dumps(lines, ensure_ascii=False)}[datum.label] || 1) * {line_height / 2} + {line_height / 2}"
              if lines else "0")
    return alt.Axis(labelExpr=wrap_labels(values, width), labelLineHeight=line_height,
                    labelOffset=alt.ExprRef(offset), **axis)
