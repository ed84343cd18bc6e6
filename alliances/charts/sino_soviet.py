"""Figures for the chapter "The Sino-Soviet alliance, 1949-1989 and after".

Frames in, Altair charts out: every function takes tidy DataFrames (from the
loaders of :mod:`alliances.data`, or the queries built on them) and returns a
chart or the text printed beside it; no fact is typed here. The phases come
from :mod:`alliances.model.phases`, the timeline's events from
:func:`alliances.queries.phases.timeline_events`, the treaty comparison from
:func:`alliances.queries.treaties.compare`.

Public functions
----------------
* :func:`timeline_chart`, :func:`phase_timeline_chart` - the alliance's
  timeline, static and with a phase menu that works without a kernel;
* :func:`topic_quantities`, :func:`quantities_chart` - numbers the sources give,
  never a bar on a scale of its own; :func:`casualties_chart` - the Korean
  War's casualties, parts stacked into totals;
* :func:`comparison_chart` - the 1950 treaty beside the 1953 US-ROK treaty,
  with ATOP's coding;
* :func:`gp_chart` - the US-China-USSR triangle by period;
* :func:`end_readings_chart` - when the alliance ended.
"""
from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from ..data.values import text as cell_text
from ..model.phases import ALL, ALL_LABEL, PHASE_IDS, PHASE_LABELS, PHASES, phase_table
from ..queries.phases import EVENT_KINDS, phase_counts
from ..queries.treaties import EMPTY, NO_ATOP, NOT_CODED, SILENT
from . import triangle as tri_charts
from .layout import in_rows, wrapped_axis

# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

LANE_TITLE = "Phase (events) / treaty"
EVENT_COLOUR = "#1f3b73"
TREATY_COLOUR = "#8c6d1f"


def _lane_order(terms: pd.DataFrame) -> list[str]:
    return list(terms["short_name"]) + [p.label for p in PHASES]


def _timeline_layers(timeline: pd.DataFrame, terms: pd.DataFrame, filter_expr: str | None = None):
    lanes = alt.Y("lane:N", sort=_lane_order(terms), title=None, axis=alt.Axis(labelLimit=260),
                  scale=alt.Scale(domain=_lane_order(terms)))
    x = alt.X("start:T", title="Date", axis=alt.Axis(format="%Y"))
    ev = timeline.assign(lane=timeline["phase"])

    def base(data):
        chart = alt.Chart(data)
        return chart.transform_filter(filter_expr) if filter_expr else chart

    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event"),
               alt.Tooltip("description:N", title="What happened"),
               alt.Tooltip("date_note:N", title="Date note"),
               alt.Tooltip("source:N", title="Source"), alt.Tooltip("event_id:N", title="Id")]
    bars = alt.Chart(terms.assign(lane=terms["short_name"])).mark_bar(
        height=14, color=TREATY_COLOUR, opacity=0.55).encode(
        x=x, x2="end:T", y=lanes,
        tooltip=[alt.Tooltip("short_name:N", title="Treaty"), alt.Tooltip("signed:N", title="Signed"),
                 alt.Tooltip("ended:N", title="Ended"), alt.Tooltip("end_how:N", title="How"),
                 alt.Tooltip("source:N", title="Source")])
    spans = base(ev[ev["span"]]).mark_rule(strokeWidth=3, color=EVENT_COLOUR, opacity=0.5).encode(
        x=x, x2="end:T", y=lanes, tooltip=tooltip)
    kinds = list(EVENT_KINDS)
    legend = alt.Legend(orient="bottom", labelLimit=320)
    points = base(ev).mark_point(filled=True, opacity=0.9, stroke="white", strokeWidth=0.8).encode(
        x=x, y=lanes,
        shape=alt.Shape("treaty_event:N", title="Event", legend=legend,
                        scale=alt.Scale(domain=kinds, range=["diamond", "circle"])),
        color=alt.Color("treaty_event:N", title="Event", legend=legend,
                        scale=alt.Scale(domain=kinds, range=[TREATY_COLOUR, EVENT_COLOUR])),
        size=alt.Size("treaty_event:N", legend=None,
                      scale=alt.Scale(domain=kinds, range=[150, 60])),
        order=alt.Order("treaty_event:N", sort="descending"),
        tooltip=tooltip)
    return [bars, spans, points]


def timeline_description(timeline: pd.DataFrame, terms: pd.DataFrame) -> str:
    """Plain text of what the timeline shows (for screen readers and captions)."""
    parts = [f"{r.short_name}: signed {r.signed}, {r.end_how} {r.ended}." for r in terms.itertuples()]
    first, last = timeline["date"].iloc[0], timeline["date"].iloc[-1]
    counts = "; ".join(f"{PHASE_LABELS[p]}: {n} events" for p, n in phase_counts(timeline).items())
    return (f"Timeline of the Sino-Soviet alliance, {len(timeline)} events from {first} to {last}, "
            f"one row per phase (an event with a loose date can belong to two phases; it is "
            f"drawn in the phase that holds the middle of its span). " + " ".join(parts) + f" Events per phase: {counts}.")


def timeline_chart(timeline: pd.DataFrame, terms: pd.DataFrame, title: str | None = None,
                   width: int = 540) -> alt.LayerChart:
    """The alliance's timeline: treaty bars on top, events by phase below."""
    title = title or "The Sino-Soviet alliance: treaty terms and events"
    return alt.layer(*_timeline_layers(timeline, terms)).properties(
        title=title, description=timeline_description(timeline, terms), width=width, height=240)


def phase_timeline_chart(timeline: pd.DataFrame, terms: pd.DataFrame, width: int = 540) -> alt.LayerChart:
    """The timeline with a phase menu that works without a kernel.

    A ``select`` param (``phase``) bound to a drop-down keeps the events whose
    ``phases`` include the chosen phase (or all of them) and shades the
    phase's span. Membership is precomputed by :func:`timeline_events`, so the
    static chart and the Python functions cannot disagree.
    """
    options = [ALL] + list(PHASE_IDS)
    labels = [ALL_LABEL] + [p.label for p in PHASES]
    phase = alt.param(name="phase", value=ALL,
                      bind=alt.binding_select(options=options, labels=labels, name="Phase: "))
    expr = f"{phase.name} == '{ALL}' || indexof(datum.phases, '|' + {phase.name} + '|') >= 0"
    shade_data = phase_table().assign(start=lambda d: pd.to_datetime(d["start"]),
                                      end=lambda d: pd.to_datetime(d["end"]))
    lo, hi = timeline["start"].min(), timeline["end"].max()
    shade_data["start"] = shade_data["start"].clip(lower=lo)
    shade_data["end"] = shade_data["end"].clip(upper=hi)
    # aria=False: the shade is empty until a phase is chosen, and an empty mark
    # group has no text; the description already says what the shading means.
    shade = alt.Chart(shade_data).mark_rect(color="#e8c55a", opacity=0.25, aria=False).encode(
        x=alt.X("start:T"), x2="end:T",
        tooltip=[alt.Tooltip("label:N", title="Phase"), alt.Tooltip("basis:N", title="Dated by")]
    ).transform_filter(f"datum.phase_id == {phase.name}")
    layers = [shade] + _timeline_layers(timeline, terms, expr)
    description = (timeline_description(timeline, terms) + " A menu labelled Phase picks one "
                   "phase: only its events stay and its span is shaded.")
    # The title says which phase is shown, so the state is also text.
    names = "{" + ", ".join(f"{json.dumps(p.phase_id)}: {json.dumps(p.label)}" for p in PHASES) + "}"
    shown = alt.expr(f"{phase.name} == '{ALL}' ? '{ALL_LABEL}' : {names}[{phase.name}]")
    title = alt.TitleParams(alt.expr(f"'Explore the alliance by phase. Shown: ' + ({shown.expr})"),
                            subtitle="Choose a phase in the Phase menu")
    return alt.layer(*layers).add_params(phase).properties(
        title=title, description=description, width=width, height=240)


# --------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------

def topic_quantities(quantities: pd.DataFrame, topic: str, unit: str | None = None) -> pd.DataFrame:
    """The rows of ``quantities.csv`` for ``topic`` (optionally one ``unit``), tidy."""
    rows = quantities[quantities["topic"] == topic]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    if rows.empty:
        raise ValueError(f"no quantities for topic {topic!r}" + (f" and unit {unit!r}" if unit else ""))
    out = rows[["quantity_id", "topic", "measure", "value", "unit", "date", "actor", "note", "source"]].copy()
    out["value"] = out["value"].astype(float)
    for col in ("date", "actor", "note"):
        out[col] = out[col].map(cell_text)
    for col in ("quantity_id", "topic", "measure", "unit", "source"):
        out[col] = out[col].astype(str)
    out["label"] = [f"{v:,.10g} {u}" for v, u in zip(out["value"], out["unit"])]
    return out.reset_index(drop=True)


def quantities_description(rows: pd.DataFrame) -> str:
    """Plain text listing every number a :func:`quantities_chart` shows."""
    items = "; ".join(f"{r.measure}: {r.label}" + (f" ({r.note})" if r.note else "")
                      for r in rows.itertuples())
    return f"{rows['topic'].iloc[0]}, as the sources give it. {items}."


MEASURE_WRAP = 40   # characters per line of a measure's label
#: A unit whose values are shares of a whole: drawn on a 0-100 scale.
PERCENT = "percent"
#: Width of a quantities panel (px): with its labels it fits a phone's column.
QUANTITY_WIDTH = 200


def _quantity_base(rows: pd.DataFrame, order: list[str]) -> alt.Chart:
    lines = max(len(textwrap.wrap(m, MEASURE_WRAP)) for m in order)
    return alt.Chart().encode(
        y=alt.Y("measure:N", sort=order, title=None,
                axis=wrapped_axis(order, MEASURE_WRAP, labelLimit=240)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("label:N", title="Value"),
                 alt.Tooltip("date:N", title="Date"), alt.Tooltip("note:N", title="Note"),
                 alt.Tooltip("source:N", title="Source")]
    ).properties(height=alt.Step(max(20, 14 * lines)))


def quantity_scales(rows: pd.DataFrame) -> dict[str, list[float] | None]:
    """For each unit of ``rows``: the domain its bars share, or ``None`` where
    the unit has a single value and no bar is drawn.

    A bar is only as honest as its scale: a percentage is drawn out of 100;
    several values of one unit share one axis from zero; a lone value of any
    other unit has nothing to be compared with, so it is shown as a number,
    not as a bar that fills the panel whatever its size."""
    scales = {}
    for unit, group in rows.groupby("unit", sort=False):
        if unit == PERCENT:
            scales[unit] = [0, 100]
        elif len(group) > 1:
            scales[unit] = [0, float(group["value"].max()) * 1.25]
        else:
            scales[unit] = None
    return scales


def quantities_chart(rows: pd.DataFrame, title: str, width: int = QUANTITY_WIDTH) -> alt.VConcatChart:
    """The numbers in ``rows`` (from :func:`topic_quantities`), one panel per unit.

    Dollars, people and projects are never drawn on one axis, and no bar is
    drawn on a scale of its own (:func:`quantity_scales`): percentages run
    from 0 to 100, values of one unit share their panel's axis, and a unit
    with a single value shows that value as a number."""
    order = list(rows["measure"])
    panels = []
    for unit, domain in quantity_scales(rows).items():
        base = _quantity_base(rows, [m for m, u in zip(order, rows["unit"]) if u == unit])
        base = base.transform_filter(alt.datum.unit == unit)
        if domain is None:
            # a lone figure: the number itself, no bar and no axis
            panels.append(base.mark_text(align="left", fontSize=13, fontWeight="bold",
                                         color=EVENT_COLOUR).encode(
                x=alt.value(6), text="label:N").properties(width=width))
            continue
        axis_title = "percent (the bar is out of 100)" if unit == PERCENT else unit
        x = alt.X("value:Q", title=axis_title, scale=alt.Scale(domain=domain, nice=False),
                  axis=alt.Axis(tickCount=4, labelExpr=NUMBER_LABEL))
        bars = base.mark_bar(color=EVENT_COLOUR).encode(x=x)
        text = base.mark_text(align="left", dx=3, fontSize=11).encode(x="value:Q", text="label:N")
        panels.append(alt.layer(bars, text).properties(width=width))
    return alt.vconcat(*panels, data=rows, spacing=14).properties(
        title=title, description=quantities_description(rows))


#: Axis labels: thousands separated, millions written out ("2 million").
NUMBER_LABEL = ("datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + ' million' "
                ": format(datum.value, ',~g')")


CASUALTY_PART_COLOURS = ("#7f2704", "#d94801", "#fd8d3c", "#fdd0a2", "#08519c", "#6baed6", "#54278f")


def casualties_description(parts: pd.DataFrame, totals: pd.DataFrame) -> str:
    """Plain text of :func:`casualties_chart`: each nation's total and parts, then the wider totals."""
    out = []
    for group, rows in parts.groupby("group", sort=False):
        pieces = "; ".join(f"{r.part} {r.value:,.0f}" for r in rows.itertuples())
        out.append(f"{group}: {rows['total_label'].iloc[0]}" + (f" ({pieces})" if len(rows) > 1 else "") + ".")
    wide = " ".join(f"{r.measure}: {r.label}" + (f" ({r.note})" if r.note else "") + "."
                    for r in totals.itertuples())
    return ("Korean War casualties as Kim gives them, whole war. Each nation's bar stacks the "
            "parts the source gives and ends at the nation's total. " + " ".join(out)
            + " Wider totals, drawn apart because they contain the nations' figures: " + wide)


def casualties_chart(parts: pd.DataFrame, totals: pd.DataFrame, title: str,
                     width: int = 240) -> alt.VConcatChart:
    """Casualties: each nation's parts stacked into its total (``parts`` from
    :func:`alliances.queries.quantities.casualty_parts`), and below, on the
    same scale, the totals that span several nations (``totals`` from
    :func:`~alliances.queries.quantities.casualty_totals`). No total is drawn
    beside its own parts."""
    domain = [0, float(max(parts["total"].max(), totals["value"].max())) * 1.02]
    x = alt.X("start:Q", title="persons", scale=alt.Scale(domain=domain, nice=False),
              axis=alt.Axis(labelExpr=NUMBER_LABEL, tickCount=3))
    groups = list(dict.fromkeys(parts["group"]))
    part_names = list(dict.fromkeys(parts["part"]))
    y = alt.Y("group:N", sort=groups, title=None, axis=alt.Axis(labelLimit=160))
    stacked = alt.Chart(parts).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=x, x2="end:Q", y=y,
        color=alt.Color("part:N", sort=part_names, title="Part of the nation's total",
                        scale=alt.Scale(domain=part_names,
                                        range=list(CASUALTY_PART_COLOURS[:len(part_names)])),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320)),
        tooltip=[alt.Tooltip("group:N", title="Nation"), alt.Tooltip("part:N", title="Part"),
                 alt.Tooltip("value:Q", title="Persons", format=","),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source:N", title="Source")])
    ends = parts.drop_duplicates("group")
    total_text = alt.Chart(ends).mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("total:Q", scale=alt.Scale(domain=domain, nice=False)), y=y, text="total_label:N")
    nations = alt.layer(stacked, total_text).properties(
        width=width, title=alt.Title("Each nation: its parts stacked, its total at the end",
                                     fontSize=12, anchor="start"))
    order = list(totals["measure"])
    wide = alt.Chart(totals).encode(
        y=alt.Y("measure:N", sort=order, title=None, axis=wrapped_axis(order, 22, labelLimit=160)),
        tooltip=[alt.Tooltip("measure:N", title="Total"), alt.Tooltip("label:N", title="Value"),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source:N", title="Source")])
    wide = alt.layer(
        wide.mark_bar(color="#9e9e9e").encode(
            x=alt.X("value:Q", title="persons", scale=alt.Scale(domain=domain, nice=False),
                    axis=alt.Axis(labelExpr=NUMBER_LABEL, tickCount=3))),
        wide.mark_text(align="left", dx=4, fontSize=11).encode(x="value:Q", text="label:N"),
    ).properties(width=width, height=alt.Step(34), title=alt.Title(
        "Wider totals (they include the nations above)", fontSize=12, anchor="start"))
    return alt.vconcat(nations, wide, spacing=18).resolve_scale(x="shared").properties(
        title=title, description=casualties_description(parts, totals))


# --------------------------------------------------------------------------
# The 1950 treaty beside the 1953 US-ROK treaty, with ATOP's coding
# --------------------------------------------------------------------------

def _status(value: str) -> str:
    if value in (SILENT, NOT_CODED, EMPTY, NO_ATOP):
        return "silent / not coded"
    if value.startswith("yes"):
        return "yes"
    if value.startswith("no") or value.startswith("none"):
        return "no / none"
    return "a value"


STATUS_ORDER = ("yes", "no / none", "a value", "silent / not coded")
STATUS_COLOUR = ("#a6d96a", "#f4a582", "#d9e4f2", "#f0f0f0")


def comparison_description(long: pd.DataFrame) -> str:
    """Plain text of the comparison grid, row by row."""
    out = []
    for concept, rows in long.groupby("order", sort=True):
        out.append(rows["concept"].iloc[0] + ": " + "; ".join(
            f"{c} {v}" for c, v in zip(rows["column"], rows["value"])))
    return "Provision-by-provision comparison of the two treaties. " + ". ".join(out) + "."


def comparison_chart(long: pd.DataFrame) -> alt.Chart:
    """A grid: concepts down, treaty and origin across, cells coloured by status."""
    data = long.assign(status=long["value"].map(_status),
                       short=[v if len(v) <= 26 else v[:24] + "…" for v in long["value"]])
    columns = list(dict.fromkeys(long["column"]))
    concepts = list(dict.fromkeys(long.sort_values("order")["concept"]))
    base = alt.Chart(data).encode(
        x=alt.X("column:N", sort=columns, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("concept:N", sort=concepts, title=None,
                axis=wrapped_axis(concepts, 24, labelLimit=160)),
        tooltip=[alt.Tooltip("treaty:N", title="Treaty"), alt.Tooltip("origin:N", title="From"),
                 alt.Tooltip("field:N", title="Field"), alt.Tooltip("value:N", title="Value")])
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("status:N", title="Cell", scale=alt.Scale(domain=list(STATUS_ORDER),
                                                                 range=list(STATUS_COLOUR)),
                        legend=alt.Legend(orient="bottom")))
    text = base.mark_text(fontSize=10).encode(text="short:N")
    return alt.layer(cells, text).properties(
        title="The 1950 Sino-Soviet treaty and the 1953 US-ROK treaty: sources and ATOP",
        description=comparison_description(long), width=4 * 140, height=len(concepts) * 28)


# --------------------------------------------------------------------------
# The US-China-USSR triangle (GP) by period
# --------------------------------------------------------------------------

def gp_chart(table: pd.DataFrame, names: tri_charts.Names | None = None, per_row: int = 3) -> alt.VConcatChart:
    """Small multiples: one triangle per period of ``table`` (the GP rows of
    :func:`alliances.queries.history.readings`), amity solid, enmity dashed."""
    panels = []
    for r in table.itertuples():
        sides = {s: (getattr(r, s) or None) for s in ("ab", "ac", "bc")}
        panels.append(tri_charts.sides_diagram((r.a, r.b, r.c), sides, title=r.label, names=names,
                                               configure=False).properties(width=200, height=190))
    description = "The US-China-Soviet triangle, period by period. " + " ".join(
        f"{r.label}: US-China {r.ab or 'not stated'}, US-USSR/Russia {r.ac or 'not stated'}, "
        f"China-USSR/Russia {r.bc or 'not stated'}; {r.pattern}"
        + (f" ({r.roles})." if r.roles else ".") for r in table.itertuples())
    return in_rows(panels, per_row).properties(
        title="The great-power triangle (US – China – USSR) by period",
        description=description).configure_view(stroke=None)


# --------------------------------------------------------------------------
# When did the alliance end?
# --------------------------------------------------------------------------

def end_readings_chart(readings: pd.DataFrame, marks: pd.DataFrame) -> alt.LayerChart:
    """Bars for each reading's span; ``marks`` (timeline rows) as dated rules."""
    order = list(readings["reading"])
    y = alt.Y("reading:N", sort=order, title="Reading (source, basis)", axis=alt.Axis(labelLimit=220))
    # aria=False: the chart's description and the text labels carry the
    # content; vega's unnamed bar group otherwise fails axe's svg-img-alt rule.
    bars = alt.Chart(readings).mark_bar(height=16, color=TREATY_COLOUR, opacity=0.7, aria=False).encode(
        x=alt.X("start:T", title="Date", axis=alt.Axis(format="%Y")), x2="end:T", y=y,
        tooltip=[alt.Tooltip("reading:N", title="Reading"), alt.Tooltip("start_text:N", title="Start"),
                 alt.Tooltip("end_text:N", title="End"), alt.Tooltip("note:N", title="Note"),
                 alt.Tooltip("source:N", title="Source")])
    ends = alt.Chart(readings).mark_text(align="left", dx=4, fontSize=10).encode(
        x="end:T", y=y, text="end_text:N")
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color="#555555").encode(
        x="start:T", tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event"),
                              alt.Tooltip("source:N", title="Source")])
    labels = alt.Chart(marks).mark_text(align="center", dy=-6, fontSize=10,
                                        color="#555555").encode(
        x="start:T", y=alt.value(0), text="when:N")
    description = ("When did the Sino-Soviet alliance end? " + " ".join(
        f"{r.reading}: {r.start_text} to {r.end_text}." for r in readings.itertuples())
        + " Dashed lines: " + "; ".join(f"{w} {t}" for w, t in zip(marks["when"], marks["title"])) + ".")
    return alt.layer(bars, ends, rules, labels).properties(
        title="Four datings of the Sino-Soviet alliance", description=description,
        width=480, height=160)


# --------------------------------------------------------------------------
# Text beside a chart
# --------------------------------------------------------------------------

def text_description(chart, width: int = 100) -> str:
    """The chart's ``description`` wrapped for printing beside it."""
    return textwrap.fill(chart.to_dict()["description"], width)
