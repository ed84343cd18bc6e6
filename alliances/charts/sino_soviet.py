"""Figures for the chapter "The Sino-Soviet alliance, 1949-1989 and after".

Every function takes tidy DataFrames from :mod:`alliances.data` and returns
either a tidy DataFrame or an Altair chart; no fact is typed here. The only
definitions made here are the chapter's *phases* (:data:`PHASES`), each dated
by a passage of Samuel Kim's article (source ``004``), and the pairing of
treaty fields with ATOP variables (:data:`COMPARISON`), which follows the
ATOP extract's README.

Public functions
----------------
* :func:`timeline_events`, :func:`treaty_terms`, :func:`timeline_chart`,
  :func:`phase_timeline_chart` - the alliance's timeline, static and with a
  phase menu that works without a kernel;
* :func:`topic_quantities`, :func:`quantities_chart` - numbers the sources give;
* :func:`treaty_comparison`, :func:`comparison_wide`, :func:`comparison_chart` -
  the 1950 treaty beside the 1953 US-ROK treaty, with ATOP's coding;
* :func:`gp_periods`, :func:`gp_chart` - the US-China-USSR triangle by period;
* :func:`end_readings`, :func:`end_readings_chart` - when the alliance ended.
"""
from __future__ import annotations

import json
import textwrap

from dataclasses import dataclass

import altair as alt
import pandas as pd

from .. import triangle as tri
from ..data import split_ids
from . import triangle as tri_charts
from .layout import in_rows, wrapped_axis

# --------------------------------------------------------------------------
# Phases (defined once; used by the static menu, the widget and the tests)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One phase of the alliance's history, with the passage that dates it."""

    phase_id: str
    label: str
    start: str   # ISO date, inclusive
    end: str     # ISO date, inclusive
    basis: str   # citation for the boundaries


#: The chapter's six phases. They may overlap where Kim's own dating overlaps
#: (his golden age runs to 1956, the year his unravelling begins).
PHASES: tuple[Phase, ...] = (
    Phase("making", "Making the alliance, 1949-50", "1949-01-01", "1950-06-24",
          '004 "as the first basic foreign policy line on June 30, 1949"; '
          '004 "before the outbreak of the war on June 25, 1950"'),
    Phase("korea", "The Korean War, 1950-53", "1950-06-25", "1953-07-27",
          '004 "before the outbreak of the war on June 25, 1950"; '
          '004 "signed at Panmunjom on July 27, 1953"'),
    Phase("golden", "The golden age, 1953-56", "1953-07-28", "1956-12-31",
          '004 "The years of 1953 to 1956, in retrospect, should be regarded as a golden age"'),
    Phase("unraveling", "The unravelling, 1956-69", "1956-01-01", "1969-12-31",
          '004 "Khrushchev\'s de-Stalinization speech opened a Pandora\'s box"; '
          '004 "the 1969 Sino-Soviet military clashes on Zhenbao Island"'),
    Phase("triangle", "The strategic triangle, 1969-89", "1969-01-01", "1989-12-31",
          '004 "the 1969 Sino-Soviet military clashes on Zhenbao Island"; '
          '004 "By the time Gorbachev went to China in May 1989"'),
    Phase("partnership", "Towards partnership, 1989-2001", "1989-05-01", "2001-12-31",
          '004 "By the time Gorbachev went to China in May 1989"; '
          '004 "Treaty of Good Neighborly Friendship and Cooperation"'),
)
PHASE_IDS = tuple(p.phase_id for p in PHASES)
PHASE_LABELS = {p.phase_id: p.label for p in PHASES}
ALL = "all"

#: Years the timelines cover: the Cold War alliance, and with the partnership.
TIMELINE_YEARS = (1949, 1991)
EXPLORER_YEARS = (1949, 2001)
#: The rows of ``events.csv`` the timeline shows: the US-China-USSR triangle,
#: or the 1950 treaty and the 1957 accord.
TRIANGLE = "GP"
TREATIES = ("T2", "T8")
EVENT_KINDS = ("about the 1950 treaty or the 1957 accord", "other event")


def phase_table() -> pd.DataFrame:
    """The phases as a table (id, label, start, end, basis)."""
    return pd.DataFrame([p.__dict__ for p in PHASES])


def period_end(value: str | None, precision: str | None) -> pd.Timestamp | None:
    """Last day of the period a partial date names (``1953`` -> 1953-12-31)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    start = pd.Timestamp(value if len(value) == 10 else value + ("-01-01" if len(value) == 4 else "-01"))
    offset = {"year": pd.offsets.YearEnd(0), "month": pd.offsets.MonthEnd(0),
              "day": pd.offsets.Day(0)}[precision]
    return start + offset


def phases_of(start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """Ids of the phases that the span ``start``-``end`` overlaps, in order."""
    return [p.phase_id for p in PHASES
            if start <= pd.Timestamp(p.end) and end >= pd.Timestamp(p.start)]


def lane_phase(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The one phase an event is drawn in: the latest phase holding the middle
    of its span (else the first phase it overlaps)."""
    middle = start + (end - start) / 2
    holding = [p.phase_id for p in PHASES
               if pd.Timestamp(p.start) <= middle <= pd.Timestamp(p.end)]
    if holding:
        return holding[-1]
    overlapping = phases_of(start, end)
    if not overlapping:
        raise ValueError(f"no phase covers {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    return overlapping[0]


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

def timeline_events(events: pd.DataFrame, years: tuple[int, int] = TIMELINE_YEARS) -> pd.DataFrame:
    """Tidy table of the events the timeline shows.

    Rows of ``events`` (as from ``load_events()``) whose ``triangles`` include
    ``GP`` or whose ``treaty_id`` is ``T2`` or ``T8``, dated within ``years``
    (inclusive). An event's span runs from the start of its date to the end of
    its ``date_end`` (or of its own date, if imprecise); it belongs to every
    phase that span overlaps (column ``phases``, as ``|id|id|``).
    """
    keep = events.apply(lambda r: TRIANGLE in split_ids(r["triangles"])
                        or bool(set(split_ids(r["treaty_id"])) & set(TREATIES)), axis=1)
    keep &= events["date_date"].dt.year.between(*years)
    out = events[keep].copy()
    out["start"] = out["date_date"]
    out["end"] = [period_end(e, ep) if isinstance(e, str) else period_end(d, dp)
                  for d, dp, e, ep in zip(out["date"], out["date_precision"],
                                          out["date_end"], out["date_end_precision"])]
    out["end"] = pd.to_datetime(out["end"])
    phase_lists = [phases_of(s, e) for s, e in zip(out["start"], out["end"])]
    out["phases"] = ["|" + "|".join(p) + "|" for p in phase_lists]
    out["phase"] = [PHASE_LABELS[lane_phase(s, e)] for s, e in zip(out["start"], out["end"])]
    out["when"] = [d if not isinstance(e, str) else f"{d} to {e}"
                   for d, e in zip(out["date"], out["date_end"])]
    out["span"] = out["end"] - out["start"] > pd.Timedelta(days=31)
    out["treaty_event"] = [EVENT_KINDS[0] if set(split_ids(t)) & set(TREATIES) else EVENT_KINDS[1]
                           for t in out["treaty_id"]]
    for col in ("date_note", "treaty_id", "people"):
        out[col] = out[col].map(_text)
    cols = ["event_id", "when", "date", "date_end", "start", "end", "span", "phases", "phase", "treaty_event",
            "title", "description", "people", "treaty_id", "date_note", "source"]
    out = out[cols].sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
    for col in ("event_id", "when", "date", "phases", "phase", "title", "description", "source"):
        out[col] = out[col].astype(str)
    out["date_end"] = out["date_end"].map(_text)
    return out


def events_in_phase(timeline: pd.DataFrame, phase_id: str) -> pd.DataFrame:
    """The rows of a :func:`timeline_events` table that belong to ``phase_id``."""
    if phase_id == ALL:
        return timeline.copy()
    if phase_id not in PHASE_IDS:
        raise ValueError(f"unknown phase {phase_id!r}; choose one of {PHASE_IDS + (ALL,)}")
    return timeline[timeline["phases"].str.contains(f"|{phase_id}|", regex=False)].reset_index(drop=True)


def treaty_terms(treaties: pd.DataFrame, ids: tuple[str, ...] = TREATIES) -> pd.DataFrame:
    """Each treaty's life as a bar: signed to ended (``treaties.csv``)."""
    rows = treaties[treaties["treaty_id"].isin(ids)]
    out = pd.DataFrame({
        "treaty_id": rows["treaty_id"].astype(str),
        "short_name": rows["short_name"].astype(str),
        "signed": rows["signed"].astype(str),
        "ended": rows["ended"].map(_text),
        "end_how": rows["end_how"].map(_text),
        "start": rows["signed_date"],
        "end": [period_end(e, p) for e, p in zip(rows["ended"], rows["ended_precision"])],
        "source": rows["source"].astype(str),
    })
    out["end"] = pd.to_datetime(out["end"])
    out["lane"] = out["short_name"]
    return out.reset_index(drop=True)


LANE_TITLE = "Phase (events) / treaty"
EVENT_COLOUR = "#1f3b73"
TREATY_COLOUR = "#8c6d1f"


def _lane_order(terms: pd.DataFrame) -> list[str]:
    return list(terms["lane"]) + [p.label for p in PHASES]


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
    bars = alt.Chart(terms).mark_bar(height=14, color=TREATY_COLOUR, opacity=0.55).encode(
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
    counts = "; ".join(f"{PHASE_LABELS[p]}: {len(events_in_phase(timeline, p))} events"
                       for p in PHASE_IDS if len(events_in_phase(timeline, p)))
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
    labels = ["All phases"] + [p.label for p in PHASES]
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
    shown = alt.expr(f"{phase.name} == '{ALL}' ? 'All phases' : {names}[{phase.name}]")
    title = alt.TitleParams(alt.expr(f"'Explore the alliance by phase. Shown: ' + ({shown.expr})"),
                            subtitle="Choose a phase in the menu below the chart")
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
        out[col] = out[col].map(_text)
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


def quantities_chart(rows: pd.DataFrame, title: str, width: int = 300) -> alt.Chart:
    """Horizontal bars of the numbers in ``rows`` (from :func:`topic_quantities`).

    Each unit gets its own panel and its own scale, so that dollars, people
    and projects are never drawn on one axis. Long measures wrap over two lines.
    """
    order = list(rows["measure"])
    lines = max(len(textwrap.wrap(m, MEASURE_WRAP)) for m in order)
    base = alt.Chart().encode(
        y=alt.Y("measure:N", sort=order, title=None,
                axis=wrapped_axis(order, MEASURE_WRAP, labelLimit=240)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("label:N", title="Value"),
                 alt.Tooltip("date:N", title="Date"), alt.Tooltip("note:N", title="Note"),
                 alt.Tooltip("source:N", title="Source")])
    bars = base.mark_bar(color=EVENT_COLOUR).encode(x=alt.X("value:Q", title=None))
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(x="value:Q", text="label:N")
    units = list(dict.fromkeys(rows["unit"]))
    return alt.layer(bars, text, data=rows).properties(
        width=width, height=alt.Step(max(20, 14 * lines))).facet(
        row=alt.Row("unit:N", sort=units, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(x="independent", y="independent").properties(
        title=title, description=quantities_description(rows))


# --------------------------------------------------------------------------
# The 1950 treaty beside the 1953 US-ROK treaty, with ATOP's coding
# --------------------------------------------------------------------------

#: (concept, treaties.csv field, ATOP variable); None where one side has no field.
COMPARISON: tuple[tuple[str, str | None, str | None], ...] = (
    ("Signed / begins", "signed", "begin"),
    ("In force from", "in_force", None),
    ("Ended", "ended", "end"),
    ("How it ended", "end_how", None),
    ("Fixed term", "term_years", "length"),
    ("Automatic renewal", "renewal_years", "renewlgt"),
    ("Renewal rule", "renewal_rule", None),
    ("Defence obligation", "defence_obligation", "defense"),
    ("What triggers it", "defence_wording", None),
    ("Escape clause / conditional defence", "escape_clause", "defcon"),
    ("Any obligation conditional", None, "conditio"),
    ("Territory defined", "territory_defined", None),
    ("Threat named", "threat_named", "statthr1"),
    ("Pledge not to join hostile alliances", "no_hostile_alliance_pledge", "noothall"),
    ("Consultation", None, "consul"),
    ("Non-aggression", None, "nonagg"),
    ("Offensive support", None, "offense"),
    ("Military aid provision (ordinal code)", None, "milaid"),
    ("Economic aid provision (ordinal code)", None, "ecaid"),
    ("Still in force", "in_force_today", "ineffect"),
)
SOURCES_ORIGIN = "sources (treaties.csv)"
ATOP_ORIGIN = "ATOP v4.01 (treaty_atop.csv)"
SILENT = "sources silent"
NOT_CODED = "no such variable"
BINARY = {"defense", "offense", "neutral", "nonagg", "consul", "conditio", "defcon",
          "noothall", "ineffect"}


def _atop_display(field: str, raw, cow_names: dict[int, str]) -> str:
    if raw is None or raw is pd.NA or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return "empty (still in effect)" if field == "end" else "empty"
    if field in BINARY:
        return f"{'yes' if int(raw) == 1 else 'no'} ({int(raw)})"
    if field in ("length", "renewlgt"):
        return "none (0)" if int(raw) == 0 else f"{int(raw)} months"
    if field == "statthr1":
        return "none (0)" if int(raw) == 0 else f"{cow_names.get(int(raw), 'COW ' + str(raw))} ({int(raw)})"
    if field in ("milaid", "ecaid"):
        return f"code {int(raw)}"
    return str(raw)


def _source_display(field: str, raw) -> str:
    if raw is None or raw is pd.NA or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return SILENT
    if field in ("term_years", "renewal_years"):
        return f"{float(raw):g} years"
    return str(raw)


def treaty_comparison(treaties: pd.DataFrame, atop: pd.DataFrame, actors: pd.DataFrame,
                      ids: tuple[str, ...] = ("T2", "T4")) -> pd.DataFrame:
    """Long tidy table: one row per concept, treaty and origin (sources or ATOP).

    ``raw`` holds the cell exactly as loaded (``None`` where there is no such
    field or the cell is empty); ``value`` is the text shown.
    """
    cow_names = {int(c): n for c, n in zip(actors["cow_code"], actors["short_name"]) if pd.notna(c)}
    rows = []
    for tid in ids:
        t = treaties[treaties["treaty_id"] == tid].iloc[0]
        a = atop[atop["treaty_id"] == tid].iloc[0]
        for order, (concept, t_field, a_field) in enumerate(COMPARISON):
            for origin, field, record in ((SOURCES_ORIGIN, t_field, t), (ATOP_ORIGIN, a_field, a)):
                raw = None if field is None else record[field]
                if raw is not None and (raw is pd.NA or (isinstance(raw, float) and pd.isna(raw))):
                    raw = None
                if field is None:
                    value = NOT_CODED
                elif origin == SOURCES_ORIGIN:
                    value = _source_display(field, raw)
                else:
                    value = _atop_display(field, raw, cow_names)
                rows.append({"order": order, "concept": concept, "treaty_id": tid,
                             "treaty": str(t["short_name"]), "atopid": int(a["atopid"]),
                             "origin": origin, "field": field or "", "raw": raw, "value": value,
                             "column": f"{tid} · {'sources' if origin == SOURCES_ORIGIN else 'ATOP ' + str(int(a['atopid']))}"})
    return pd.DataFrame(rows)


def comparison_wide(long: pd.DataFrame) -> pd.DataFrame:
    """The comparison as a reading table: concepts down, treaty and origin across."""
    wide = long.pivot(index=["order", "concept"], columns="column", values="value")
    wide = wide.reset_index().drop(columns="order").set_index("concept")
    wide.columns.name = None
    return wide[list(dict.fromkeys(long["column"]))]


def _status(value: str) -> str:
    if value in (SILENT, NOT_CODED, "empty"):
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

def gp_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """The GP periods with the model's reading where every side is amity or enmity.

    ``pattern`` and ``roles`` come from :func:`alliances.triangle.read`; where a
    side is ``mixed`` or unstated the model does not apply and they are empty.
    """
    rows = periods[periods["triangle_id"] == TRIANGLE].sort_values("order", kind="stable")
    out = []
    for r in rows.itertuples():
        sides = {s: _text(getattr(r, s)) for s in ("ab", "ac", "bc")}
        rec = {"period_id": r.period_id, "label": r.label, "a": r.a, "b": r.b, "c": r.c, **sides,
               "bases": ", ".join(_text(getattr(r, f"{s}_basis")) or "-" for s in ("ab", "ac", "bc")),
               "pattern": "", "roles": "", "balanced": "", "source": r.source}
        if all(v in tri.RELATIONS for v in sides.values()):
            reading = tri.read(tri.Triangle(r.a, r.b, r.c, **sides))
            rec["pattern"] = reading.pattern.value
            rec["roles"] = ", ".join(f"{tri_charts.short_name(x)} {role.value}"
                                     for x, role in reading.roles.items())
            rec["balanced"] = "yes" if reading.balanced else "no"
        else:
            rec["pattern"] = "model does not apply (a side is mixed or not stated)"
        out.append(rec)
    return pd.DataFrame(out)


def gp_chart(table: pd.DataFrame, per_row: int = 3) -> alt.VConcatChart:
    """Small multiples: one triangle per GP period (amity solid, enmity dashed)."""
    panels = []
    for r in table.itertuples():
        sides = {s: (getattr(r, s) or None) for s in ("ab", "ac", "bc")}
        panels.append(tri_charts.sides_diagram((r.a, r.b, r.c), sides, title=r.label,
                                               configure=False).properties(width=200, height=190))
    description = "The US-China-Soviet triangle, period by period. " + " ".join(
        f"{r.label}: US-China {r.ab or 'not stated'}, US-USSR/Russia {r.ac or 'not stated'}, "
        f"China-USSR/Russia {r.bc or 'not stated'}; {r.pattern}"
        + (f" ({r.roles})." if r.roles else ".") for r in table.itertuples())
    return in_rows(panels, per_row).properties(
        title="The great-power triangle by period (data/triangle_periods.csv, GP)",
        description=description).configure_view(stroke=None)


# --------------------------------------------------------------------------
# When did the alliance end?
# --------------------------------------------------------------------------

def end_readings(spans: pd.DataFrame, quantities: pd.DataFrame, treaties: pd.DataFrame,
                 dyad: str = "PRC-USSR", treaty_id: str = "T2") -> pd.DataFrame:
    """Each reading's dating of the alliance, plus Kim's "working alliance".

    The spans come from ``alliance_spans.csv``. Kim gives the working
    alliance only as a length ("about eight years", ``quantities.csv``) with
    no end date; the bar for it is the project's arithmetic (INF): signing
    date plus that length.
    """
    rows = spans[spans["dyad"] == dyad]
    out = pd.DataFrame({
        "reading": [f"{r} ({b})" for r, b in zip(rows["reading"], rows["basis"])],
        "start_text": rows["start"].astype(str),
        "end_text": rows["end"].map(_text),
        "start": rows["start_date"],
        "end": [period_end(e, p) for e, p in zip(rows["end"], rows["end_precision"])],
        "note": ["end given to the year only; bar runs to the year's end" if p == "year" else ""
                 for p in rows["end_precision"]],
        "source": rows["source"].astype(str),
    })
    work = quantities[(quantities["topic"] == "SSA treaty terms")
                      & quantities["measure"].str.startswith("life of the SSA as a working alliance")]
    if len(work):
        q = work.iloc[0]
        signed = treaties.loc[treaties["treaty_id"] == treaty_id, "signed_date"].iloc[0]
        end = signed + pd.DateOffset(years=int(q["value"]))
        out = pd.concat([out, pd.DataFrame([{
            "reading": "004 (working alliance)", "start_text": signed.strftime("%Y-%m-%d"),
            "end_text": f"about {end.year} (INF)", "start": signed, "end": end,
            "note": f"INF: signing date plus Kim's 'about {q['value']:g} {q['unit']}'; Kim gives no end date",
            "source": str(q["source"])}])], ignore_index=True)
    out["end"] = pd.to_datetime(out["end"])
    return out.reset_index(drop=True)


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
# Article 6 arithmetic and plain-text descriptions
# --------------------------------------------------------------------------

def article6_dates(treaties: pd.DataFrame, quantities: pd.DataFrame, events: pd.DataFrame,
                   treaty_id: str = "T2") -> pd.DataFrame:
    """Check the treaty's end dates against its own Article 6 (project arithmetic).

    Entry into force plus the fixed term gives the expiry; the expiry minus
    the notice period (``quantities.csv``) gives the last day for notice.
    Each computed date is set beside the date the data record for it.
    """
    t = treaties[treaties["treaty_id"] == treaty_id].iloc[0]
    notice = quantities[(quantities["topic"] == "SSA treaty terms")
                        & quantities["measure"].str.startswith("notice required")].iloc[0]
    expiry = t["in_force_date"] + pd.DateOffset(years=int(t["term_years"]))
    deadline = expiry - pd.DateOffset(years=int(notice["value"]))
    related = events[events["treaty_id"].map(lambda v: treaty_id in split_ids(v))]
    notice_event = related[related["title"].str.contains("notice", case=False)].iloc[0]
    expiry_event = related[related["title"].str.contains("expires", case=False)].iloc[0]
    rows = [
        {"step": "entry into force (treaties.csv in_force)", "computed": "",
         "recorded": str(t["in_force"]), "agrees": ""},
        {"step": f"+ fixed term of {t['term_years']:g} years = expiry", "computed": f"{expiry:%Y-%m-%d}",
         "recorded": f"{t['ended']} (treaties.csv ended); {expiry_event['date']} ({expiry_event['event_id']})",
         "agrees": "yes" if f"{expiry:%Y-%m-%d}" == t["ended"] == expiry_event["date"] else "no"},
        {"step": f"- notice period of {notice['value']:g} year = last day for notice",
         "computed": f"{deadline:%Y-%m-%d}",
         "recorded": f"{notice_event['date']} ({notice_event['event_id']}: {notice_event['title']})",
         "agrees": "yes" if f"{deadline:%Y-%m-%d}" == notice_event["date"] else "no"},
    ]
    return pd.DataFrame(rows)


def text_description(chart, width: int = 100) -> str:
    """The chart's ``description`` wrapped for printing beside it."""
    import textwrap
    return textwrap.fill(chart.to_dict()["description"], width)
