"""Figures of the chapter "1961: two treaties with North Korea".

One small function per figure; each takes tidy frames from the loaders (or
from the queries: :func:`alliances.queries.treaties.compare`,
:func:`alliances.queries.history.periods`) and returns an Altair chart with a
``title`` and a ``description``. A ``*_data`` function builds each chart's
table so tests can check it against ``data/``, and a ``describe_*`` function
writes the text printed beside the chart.

* :func:`timeline_chart` - the Sino-Soviet tug of war over North Korea,
  1956-1961, every event marked wedge / binding / other (Vu's vocabulary,
  ``events.csv`` column ``strategy``) by colour and by shape;
* :func:`cpva_chart` - Chinese troops in North Korea (``quantities.csv``);
* :func:`comparer_chart` - two treaties side by side, sources beside ATOP,
  picked with two drop-downs (kernel-free Altair params);
* :func:`period_readings` / :func:`period_readings_chart` - Vu's model
  (:func:`alliances.model.vu.sum_type`) beside the source's own label, period by
  period;
* :func:`period_diagrams` - chosen periods drawn with
  :func:`alliances.charts.triangle.sides_diagram`;
* :func:`explanations_chart` - evidence for and against each explanation of
  the 1961 treaty (``data/explanations.csv``), filtered with a drop-down.
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..data.dates import period_end
from ..data.schemas import SPECS
from ..data.values import split_ids
from ..model import vu
from ..queries import history
from ..queries.treaties import ATOP, READINGS, SOURCES
from .layout import in_rows
from .triangle import Names, describe_sides, sides_diagram

# --------------------------------------------------------------------------
# Timeline of the tug of war
# --------------------------------------------------------------------------

STRATEGY_ORDER = ("wedge", "binding", "restraint", "other")
STRATEGY_COLOUR = ("#d95f02", "#1f78b4", "#7b3294", "#8c8c8c")
STRATEGY_SHAPE = ("triangle-up", "square", "diamond", "circle")
TIMELINE_START, TIMELINE_END = "1956", "1961"


def timeline_data(events: pd.DataFrame, triangle: str = "KOR", start: str = TIMELINE_START,
                  end: str = TIMELINE_END) -> pd.DataFrame:
    """Events of ``triangle`` that begin between ``start`` and ``end`` (years, inclusive).

    Keeps the ``events.csv`` columns and adds ``strategy_label`` (``other``
    where Vu's vocabulary gives none), ``span_start``/``span_end`` (the whole
    period a partial date or a span covers: an event dated only ``1959``
    spans the year) and ``row`` (position from the top, by date).
    """
    codes = events["triangles"].map(split_ids)
    lo, hi = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{int(end) + 1}-01-01")
    keep = codes.map(lambda c: triangle in c) & (events["date_date"] >= lo) & (events["date_date"] < hi)
    out = events[keep].sort_values(["date_date", "event_id"], kind="stable").copy()
    out["strategy_label"] = out["strategy"].fillna("other").astype(str)
    out["span_start"] = out["date_date"]
    out["span_end"] = pd.to_datetime([period_end(e) if isinstance(e, str) else period_end(d)
                                      for d, e in zip(out["date"], out["date_end"])])
    out["when"] = [f"{d}" + (f" to {e}" if isinstance(e, str) else "")
                   for d, e in zip(out["date"], out["date_end"])]
    out["row"] = range(1, len(out) + 1)
    out["label"] = [f"{t} ({d})" for t, d in zip(out["title"], out["when"])]
    return out.reset_index(drop=True)


def _strategy_scales(present, legend_title: str = "Vu's label"):
    """Colour and shape scales over the labels ``present`` (in Vu's order)."""
    keep = [i for i, s in enumerate(STRATEGY_ORDER) if s in set(present)]
    domain = [STRATEGY_ORDER[i] for i in keep]
    colour = alt.Color("strategy_label:N", title=legend_title,
                       legend=alt.Legend(symbolOpacity=1, orient="bottom"),
                       scale=alt.Scale(domain=domain, range=[STRATEGY_COLOUR[i] for i in keep]))
    shape = alt.Shape("strategy_label:N", title=legend_title, legend=alt.Legend(orient="bottom"),
                      scale=alt.Scale(domain=domain, range=[STRATEGY_SHAPE[i] for i in keep]))
    return colour, shape


def describe_timeline(data: pd.DataFrame) -> str:
    """Plain-text description of the timeline (printed beside it, read by screen readers)."""
    counts = data["strategy_label"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {s}" for s in STRATEGY_ORDER if s in counts]
    first, last = data.iloc[0], data.iloc[-1]
    text = (f"Timeline of {len(data)} events in the China-Soviet Union-North Korea triangle, "
            f"{first['date']} to {last['date']}, one per row in date order (events dated only "
            f"to the year sit at its start): {', '.join(parts)} (Vu's labels as recorded in "
            "events.csv).")
    for label in STRATEGY_ORDER:
        if label == "other":
            continue
        rows = data[data["strategy_label"] == label]
        if len(rows):
            text += (f" {label.capitalize()}: "
                     + "; ".join(f"{r.title} ({r.when})" for r in rows.itertuples()) + ".")
    text += " A bar shows the whole period an imprecise date or a span covers."
    return text


def timeline_chart(events: pd.DataFrame) -> alt.LayerChart:
    """The tug of war over North Korea, 1956-1961: wedge, binding and other events."""
    data = timeline_data(events)
    colour, shape = _strategy_scales(data["strategy_label"])
    domain = [f"{int(TIMELINE_START) - 1}-10-01", f"{int(TIMELINE_END) + 1}-01-01"]
    x = alt.X("span_start:T", title=None, scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%Y", tickCount=6, grid=True))
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("row", order="ascending"),
              axis=alt.Axis(labelLimit=360, labelFontSize=10))
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event"),
               alt.Tooltip("strategy_label:N", title="Vu's label"),
               alt.Tooltip("strategy_basis:N", title="Label basis"),
               alt.Tooltip("description:N", title="What happened"),
               alt.Tooltip("source:N", title="Source")]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    spans = base.mark_bar(height=5, opacity=0.35, clip=True).encode(
        x=x, x2="span_end:T", color=colour)
    points = base.mark_point(size=90, filled=True, opacity=1, clip=True).encode(
        x=x, color=colour, shape=shape)
    return (spans + points).properties(
        width=360, height=alt.Step(17),
        title=alt.TitleParams("The tug of war over North Korea, 1956-1961",
                              subtitle="Each event marked with Vu's label: wedge, binding or other"),
        description=describe_timeline(data))


# --------------------------------------------------------------------------
# Chinese troops in North Korea
# --------------------------------------------------------------------------

def cpva_data(quantities: pd.DataFrame) -> pd.DataFrame:
    """Troop counts of the topic ``CPVA withdrawal`` (unit ``persons``), by date."""
    rows = quantities[(quantities["topic"] == "CPVA withdrawal") & (quantities["unit"] == "persons")]
    return rows.sort_values("date_date", kind="stable").reset_index(drop=True)


def describe_cpva(data: pd.DataFrame) -> str:
    parts = [f"{r.date}: {r.value:,.0f} ({r.measure})" for r in data.itertuples()]
    return "Chinese troops in North Korea by date, from quantities.csv: " + "; ".join(parts) + "."


def cpva_chart(quantities: pd.DataFrame) -> alt.LayerChart:
    """Chinese People's Volunteers still in North Korea, 1956 and after the 1958 withdrawal."""
    data = cpva_data(quantities)
    base = alt.Chart(data).encode(
        y=alt.Y("date:N", title=None, sort=None),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("value:Q", title="Troops", format=","),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source:N", title="Source")])
    bars = base.mark_bar(color="#8c6d31").encode(
        x=alt.X("value:Q", title="Chinese troops in North Korea", axis=alt.Axis(format="~s")))
    labels = base.mark_text(align="left", dx=4).encode(
        x="value:Q", text=alt.Text("value:Q", format=","))
    return (bars + labels).properties(
        width=360, height=alt.Step(28), title="Chinese troops in North Korea",
        description=describe_cpva(data))


# --------------------------------------------------------------------------
# Treaty comparer (kernel-free)
# --------------------------------------------------------------------------

WRAP = 44          # characters per line in a cell
LABEL_WRAP = 25    # characters per line of a row's label (ATOP rows indented 10 px)
LINE = 14          # pixels per line
LABEL_X, SLOT_X, SLOT_W = 0, 185, 260


def _wrap(value: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(str(value), width)) or str(value)


def comparer_data(long: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`alliances.queries.treaties.compare` that hold a column
    (no "no such variable"), with layout columns for the text table.

    Adds ``row`` (0, 1, ...: one per provision and reading, in the order of
    the comparison), ``label`` (the provision on the sources' row, "ATOP
    <column>" below it, wrapped into lines), ``text`` (the value wrapped into
    lines), ``lines`` and ``y`` (pixel offset of the row: every row is as
    tall as its longest cell or label over all treaties, so the layout is
    fixed whatever pair is picked).
    """
    data = long[long["field"] != ""].drop(columns=["raw"])
    keys = list(zip(data["order"], data["reading"].map(READINGS.index)))
    row_of = {key: i for i, key in enumerate(sorted(set(keys)))}
    data["row"] = [row_of[key] for key in keys]
    with_sources = set(data.loc[data["reading"] == SOURCES, "order"])
    data["label"] = [_wrap(concept if reading == SOURCES else
                           (f"ATOP {field}" if order in with_sources else f"{concept} (ATOP {field})"),
                           LABEL_WRAP)
                     for order, concept, reading, field in zip(data["order"], data["concept"],
                                                               data["reading"], data["field"])]
    data["text"] = data["value"].map(_wrap)
    data["lines"] = pd.concat([data["text"].str.count("\n"), data["label"].str.count("\n")],
                              axis=1).max(axis=1) + 1
    height = data.groupby("row")["lines"].max()
    offsets = height.cumsum().shift(fill_value=0)
    data["y"] = data["row"].map(offsets) * LINE + 4
    data["row_lines"] = data["row"].map(height)
    return data.reset_index(drop=True)


def describe_comparer(data: pd.DataFrame) -> str:
    names = list(dict.fromkeys(data["treaty"]))
    return ("A table comparing treaty provisions. Pick two treaties with the drop-downs "
            f"'Treaty 1' and 'Treaty 2' (choices: {', '.join(names)}). Each row is a provision; "
            "rows marked 'sources' give the reading of the source documents (treaties.csv), rows "
            "marked 'ATOP' give the ATOP 4.01 code (treaty_atop.csv), on a grey band.")


def comparer_chart(long: pd.DataFrame, first: str = "T12", second: str = "T11") -> alt.LayerChart:
    """Two treaties of ``long`` (:func:`alliances.queries.treaties.compare`) side
    by side, chosen with two drop-downs; sources beside ATOP."""
    data = comparer_data(long)
    ids = list(dict.fromkeys(data["treaty_id"]))
    names = [data.loc[data["treaty_id"] == t, "treaty"].iloc[0] for t in ids]
    t1 = alt.param(name="treaty1", value=first,
                   bind=alt.binding_select(options=ids, labels=names, name="Treaty 1: "))
    t2 = alt.param(name="treaty2", value=second,
                   bind=alt.binding_select(options=ids, labels=names, name="Treaty 2: "))
    height = int(data.groupby("row")["row_lines"].max().sum() * LINE + 8)
    width = SLOT_X + 2 * SLOT_W
    x = alt.X("px:Q", scale=None, axis=None)
    y = alt.Y("y:Q", scale=None, axis=None)
    base = alt.Chart(data)
    # The row labels and the grey bands of ATOP rows: drawn once (from the first treaty's rows).
    rows = base.transform_filter(alt.datum.treaty_id == ids[0])
    bands = rows.transform_filter(alt.datum.reading == ATOP).transform_calculate(
        px="0", px2=str(width), ytop="datum.y - 2",
        ybottom=f"datum.y + datum.row_lines * {LINE} - 2").mark_rect(color="#eeeeee").encode(
        x=x, x2="px2:Q", y=alt.Y("ytop:Q", scale=None, axis=None), y2="ybottom:Q")
    labels = rows.transform_calculate(px=f"datum.reading == '{ATOP}' ? {LABEL_X + 10} : {LABEL_X}").mark_text(
        align="left", baseline="top", fontSize=11, fontWeight="bold", lineBreak="\n").encode(
        x=x, y=y, text="label:N", tooltip=[alt.Tooltip("meaning:N", title="Column holds")])
    slot = (f"datum.treaty_id == {t1.name} ? 0 : (datum.treaty_id == {t2.name} ? 1 : -1)")
    cells = base.transform_calculate(slot=slot).transform_filter("datum.slot >= 0").transform_calculate(
        px=f"{SLOT_X} + datum.slot * {SLOT_W}").mark_text(
        align="left", baseline="top", fontSize=11, lineBreak="\n").encode(
        x=x, y=y, text="text:N",
        color=alt.Color("reading:N", title="Reading", legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(READINGS), range=["#222222", "#08519c"])),
        tooltip=[alt.Tooltip("treaty:N", title="Treaty"), alt.Tooltip("concept:N", title="Provision"),
                 alt.Tooltip("reading:N", title="Reading"), alt.Tooltip("value:N", title="Value"),
                 alt.Tooltip("file:N", title="File"), alt.Tooltip("field:N", title="Column"),
                 alt.Tooltip("meaning:N", title="Column holds")])
    return alt.layer(bands, labels, cells).add_params(t1, t2).configure_view(stroke=None).properties(
        width=width, height=height,
        title=alt.TitleParams("Treaty comparer: the sources' reading beside ATOP's coding",
                              subtitle="Choose two treaties with the Treaty 1 and Treaty 2 drop-downs"),
        description=describe_comparer(data))


# --------------------------------------------------------------------------
# Vu's model beside the sources' labels
# --------------------------------------------------------------------------

NO_READING = "no reading (a side is not amity or enmity)"
NO_LABEL = "no label given"


def period_readings(periods: pd.DataFrame, triangles=("KOR", "VN")) -> pd.DataFrame:
    """Periods of ``triangles`` with Vu's type (model) beside the source's label.

    ``periods`` as from :func:`alliances.queries.history.periods`; the readings
    come from :func:`alliances.queries.history.readings`, which applies
    :func:`alliances.model.vu.sum_type` to each period's triangle (and gives no
    type where a side is mixed, neutral or not stated).
    """
    table = pd.concat([history.readings(periods, t) for t in triangles], ignore_index=True)
    table["model"] = table["vu_sum_type"].replace("", NO_READING)
    table["source_label_text"] = table["source_label"].replace("", NO_LABEL)
    table["period"] = table["period_id"] + "  " + table["label"]
    keep = ["triangle_id", "period_id", "period", "label", "sides", "model", "source_label_text",
            "label_basis", "agreement", "source"]
    return table[keep]


READING_DOMAIN = ("positive-sum", "zero-sum", vu.SumType.OUTSIDE.value, NO_READING, NO_LABEL)
READING_COLOUR = ("#1a9850", "#d73027", "#fdae61", "#f0f0f0", "#f0f0f0")


def describe_period_readings(data: pd.DataFrame) -> str:
    counts = data["agreement"].value_counts()
    differ = data[data["agreement"] == "differ"]["period_id"].tolist()
    text = (f"{len(data)} periods of the triangles {', '.join(dict.fromkeys(data['triangle_id']))}, "
            "each with the type Vu's model assigns (alliances.vu.sum_type) and the label a source "
            "gives: " + ", ".join(f"{k}: {int(v)}" for k, v in sorted(counts.items())) + ".")
    if differ:
        text += f" They differ in {', '.join(differ)}."
    return text


def period_readings_chart(periods: pd.DataFrame, triangles=("KOR", "VN")) -> alt.Chart:
    """A two-column grid: the model's type and the source's label for each period."""
    data = period_readings(periods, triangles)
    long = data.melt(id_vars=["triangle_id", "period_id", "period", "sides", "agreement", "label_basis"],
                     value_vars=["model", "source_label_text"], var_name="reading", value_name="type")
    long["reading"] = long["reading"].map({"model": "Vu's model (sum_type)",
                                           "source_label_text": "Source's own label"})
    base = alt.Chart(long).encode(
        x=alt.X("reading:N", title=None, sort=["Vu's model (sum_type)", "Source's own label"],
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("period:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip("period:N", title="Period"), alt.Tooltip("sides:N", title="Sides"),
                 alt.Tooltip("reading:N", title="Reading"), alt.Tooltip("type:N", title="Type"),
                 alt.Tooltip("label_basis:N", title="Label basis"),
                 alt.Tooltip("agreement:N", title="Model vs source")])
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("type:N", title="Type", scale=alt.Scale(domain=list(READING_DOMAIN),
                                                                range=list(READING_COLOUR)),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)))
    text = base.mark_text(fontSize=10).encode(text="type:N")
    return (cells + text).properties(
        width=alt.Step(230), height=alt.Step(20),
        title="Vu's model beside the sources' labels, period by period",
        description=describe_period_readings(data))


# --------------------------------------------------------------------------
# Evidence for each explanation
# --------------------------------------------------------------------------

VERDICTS = SPECS["explanations.csv"]["verdict"].values
EVIDENCE_WRAP = 76   # characters per line of a piece of evidence
HEAD_WRAP = 100      # characters per line of the explanation's prediction


def describe_explanations(data: pd.DataFrame) -> str:
    parts = []
    for name, group in data.groupby("explanation", sort=False):
        counts = group["verdict"].value_counts()
        parts.append(f"{name}: " + ", ".join(f"{int(counts.get(v, 0))} {v}" for v in VERDICTS))
    return ("Evidence for and against each explanation of the 1961 China-North Korea treaty, one "
            "row per piece of evidence, coloured by verdict. " + "; ".join(parts) + ".")


def explanations_chart(explanations: pd.DataFrame, initial: str = "US") -> alt.LayerChart:
    """Evidence for each explanation, filtered with a drop-down (kernel-free)."""
    data = explanations.copy()
    data["text"] = data["evidence"].map(lambda s: "\n".join(textwrap.wrap(s, EVIDENCE_WRAP)))
    data["lines"] = data["text"].str.count("\n") + 1
    ids = list(dict.fromkeys(data["explanation_id"]))
    names = [data.loc[data["explanation_id"] == i, "explanation"].iloc[0] for i in ids]
    pick = alt.param(name="explanation", value=initial,
                     bind=alt.binding_select(options=ids, labels=names, name="Explanation: "))
    verdict_legend = alt.Legend(orient="bottom")
    verdict_colour = alt.Color("verdict:N", title="Verdict", legend=verdict_legend,
                               scale=alt.Scale(domain=list(VERDICTS), range=["#1a9850", "#999999", "#d73027"]))
    verdict_shape = alt.Shape("verdict:N", title="Verdict", legend=verdict_legend,
                              scale=alt.Scale(domain=list(VERDICTS), range=["triangle-up", "diamond", "triangle-down"]))
    base = alt.Chart(data).transform_filter(alt.datum.explanation_id == pick).encode(
        y=alt.Y("evidence_id:N", title=None, sort=None, axis=alt.Axis(labels=False, ticks=False)),
        tooltip=[alt.Tooltip("explanation:N", title="Explanation"),
                 alt.Tooltip("prediction:N", title="It predicts"),
                 alt.Tooltip("evidence:N", title="Evidence"), alt.Tooltip("verdict:N", title="Verdict"),
                 alt.Tooltip("source:N", title="Source")])
    marks = base.mark_point(size=120, filled=True).encode(
        x=alt.X("verdict:N", title=None, scale=alt.Scale(domain=list(VERDICTS)),
                axis=alt.Axis(orient="top", labelAngle=0)),
        color=verdict_colour, shape=verdict_shape)
    text = base.mark_text(align="left", baseline="middle", fontSize=11, lineBreak="\n").encode(
        x=alt.value(4), text="text:N")
    heads = data.drop_duplicates("explanation_id").copy()
    heads["head"] = [f"{n}. It predicts: " + p for n, p in zip(heads["explanation"], heads["prediction"])]
    heads["head"] = heads["head"].map(lambda s: "\n".join(textwrap.wrap(s, HEAD_WRAP)))
    head = alt.Chart(heads).transform_filter(alt.datum.explanation_id == pick).mark_text(
        align="left", baseline="top", fontSize=12, fontStyle="italic", lineBreak="\n").encode(
        x=alt.value(0), y=alt.value(0), text="head:N").properties(width=630, height=48)
    rows = alt.hconcat(marks.properties(width=alt.Step(70), height=alt.Step(44)),
                       text.properties(width=420, height=alt.Step(44)), spacing=4)
    return alt.vconcat(head, rows, spacing=6).add_params(pick).configure_view(stroke=None).properties(
        title=alt.TitleParams("Evidence for each explanation of the 1961 treaty",
                              subtitle="Choose an explanation; hover a mark for its prediction and source"),
        description=describe_explanations(data))


# --------------------------------------------------------------------------
# Triangle diagrams of chosen periods
# --------------------------------------------------------------------------

def period_diagrams(periods: pd.DataFrame, period_ids, names: Names | None = None,
                    per_row: int = 2) -> alt.VConcatChart:
    """Diagrams of the periods ``period_ids`` of ``periods``, ``per_row`` to a row
    (:func:`alliances.charts.triangle.sides_diagram`).

    Each period's sides and readings come from :mod:`alliances.queries.history`;
    its subtitle gives Vu's type (model) and the source's label.
    """
    panels, texts = [], []
    for pid in period_ids:
        reading = history.period_reading(history.period_row(periods, pid))
        model = reading.vu_type.value if reading.vu_type else NO_READING
        label = reading.source_label or NO_LABEL
        title = alt.TitleParams(f"{pid}: {reading.label}",
                                subtitle=[f"model: {model}", f"source: {label}"], fontSize=12)
        text = (f"{pid} ({reading.label}): {describe_sides(reading.actors, reading.sides, names)} "
                f"Vu's model: {model}; source's label: {label}.")
        panels.append(sides_diagram(reading.actors, reading.sides, title=title, description=text,
                                    configure=False, names=names))
        texts.append(text)
    return in_rows(panels, per_row).configure_view(stroke=None).properties(
        title="Four periods of the two triangles", description=" ".join(texts))
