"""Figures for the chapter "The bloc and the US–ROK alliance: Kim's thesis".

Public functions, one per figure, each taking tidy frames from the loaders of
:mod:`alliances.data`:

* :func:`alliance_lives` and :func:`alliance_lives_chart` - the 1950
  Sino-Soviet treaty and the 1953 US-ROK treaty on one time axis, with the
  Korean War between them (Kim's first paradox);
* :func:`pair_frames` and :func:`two_koreas_chart` - the two Chinas, the two
  Koreas and the United States, period by period (amity solid, enmity dashed);
* :func:`thread_events` and :func:`thread_chart` - a thread of events across
  triangles (``events.csv`` ``themes``): the nuclear thread, or the end of the
  Cold War on the Korean peninsula.

Every chart has a title and a description generated from its data.
"""
from __future__ import annotations

import pandas as pd
import altair as alt

from ..data.values import NOT_STATED
from .layout import in_rows, wrapped_axis
from .triangle import RELATION_COLOUR, RELATION_ORDER, label, relation_key, relation_label, relation_scales

SSA, USROKA = "T2", "T4"
WAR_START, ARMISTICE = "E021", "E036"
#: Colours of the two alliances (as in the chapter's text: SSA blue, USROKA orange).
ALLIANCE_COLOUR = {"SSA": "#1f3b73", "USROKA": "#d95f02"}
#: Line style of a bar: a dated span, or the project's arithmetic (INF).
SPAN_DASH = {"dated": [1, 0], "INF (approximate)": [5, 3]}
NODE_COLOUR = "#1f3b73"
#: Where each state stands in the diagram of the two Chinas and the two Koreas:
#: the communist pair on the left, the pair aligned with the US on the right.
NODE_XY = {"PRC": (0.0, 1.0), "DPRK": (0.0, 0.0), "GMD": (1.0, 1.0), "ROK": (1.0, 0.0), "US": (1.75, 0.5)}
NODE_LABEL = {"GMD": "Taiwan (GMD)"}
THEME_TITLE = {"NUC": "The nuclear thread", "PEN": "The end of the Cold War on the Korean peninsula"}


def _one(frame: pd.DataFrame, column: str, value: str) -> pd.Series:
    rows = frame[frame[column] == value]
    if len(rows) != 1:
        raise ValueError(f"expected one row with {column} == {value!r}, found {len(rows)}")
    return rows.iloc[0]


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


# --------------------------------------------------------------------------
# Two alliances and the war between them
# --------------------------------------------------------------------------

def alliance_lives(treaties: pd.DataFrame, events: pd.DataFrame, quantities: pd.DataFrame,
                   documents: pd.DataFrame) -> pd.DataFrame:
    """The lives of the SSA and the USROKA, and the Korean War, as a tidy frame.

    One row per bar: the SSA from entry into force to formal expiry; the SSA
    as a working alliance, signing date plus Kim's "about eight years" (the
    project's arithmetic, INF); the USROKA from signing to Kim's present (it
    was still in force when he wrote); and the war, outbreak to armistice.
    """
    ssa, us = _one(treaties, "treaty_id", SSA), _one(treaties, "treaty_id", USROKA)
    start, end = _one(events, "event_id", WAR_START), _one(events, "event_id", ARMISTICE)
    working = _one(quantities, "measure", "life of the SSA as a working alliance")
    lasting = _one(quantities, "measure", "lifespan of the USROKA so far")
    kim = _one(documents, "source_id", "004")
    work_end = ssa["signed_date"] + pd.DateOffset(years=int(working["value"]))
    rows = [
        {"row": "Korean War", "alliance": "war", "signed": pd.NaT, "start": start["date_date"], "end": end["date_date"],
         "span": "dated", "dates": f"{start['date']} to {end['date']}",
         "note": "outbreak to armistice", "source": f"{start['source']}; {end['source']}"},
        {"row": "SSA in force", "alliance": "SSA", "signed": ssa["signed_date"], "start": ssa["in_force_date"],
         "end": ssa["ended_date"],
         "span": "dated", "dates": f"signed {ssa['signed']}; in force {ssa['in_force']} to {ssa['ended']}",
         "note": "formally expired after China gave notice", "source": ssa["source"]},
        {"row": "SSA as a working alliance", "alliance": "SSA", "signed": ssa["signed_date"],
         "start": ssa["signed_date"], "end": work_end,
         "span": "INF (approximate)",
         "dates": f"from {ssa['signed']}, about {working['value']:g} {working['unit']}",
         "note": f"INF: signing date plus Kim's 'about {working['value']:g} years'; Kim gives no end date",
         "source": working["source"]},
        {"row": "USROKA", "alliance": "USROKA", "signed": us["signed_date"], "start": us["signed_date"],
         "end": kim["present_date"],
         "span": "dated",
         "dates": f"signed {us['signed']}; still in force when Kim wrote (about {kim['present']})",
         "note": f"more than {lasting['value']:g} {lasting['unit']} by Kim's count; the bar stops at his present, "
                 "not at an end", "source": f"{us['source']}; {lasting['source']}"},
    ]
    return pd.DataFrame(rows)


def describe_lives(lives: pd.DataFrame) -> str:
    """Plain text of :func:`alliance_lives_chart`."""
    war = lives[lives["alliance"] == "war"].iloc[0]
    parts = [f"{r.row}: {r.dates} ({r.note})." for r in lives[lives["alliance"] != "war"].itertuples()]
    ssa = lives[lives["row"] == "SSA in force"].iloc[0]
    us = lives[lives["row"] == "USROKA"].iloc[0]
    return ("Timeline of the 1950 Sino-Soviet treaty (SSA) and the 1953 US-ROK treaty (USROKA), with the "
            f"Korean War ({war.dates}) shaded between them. " + " ".join(parts)
            + f" The SSA was signed {(war.start - ssa.signed).days // 30} months before the war began; the "
            f"USROKA was signed {(us.signed - war.end).days} days after the armistice.")


def alliance_lives_chart(lives: pd.DataFrame) -> alt.LayerChart:
    """Bars for the two alliances' lives, the Korean War as a shaded band."""
    bars_data = lives[lives["alliance"] != "war"]
    war = lives[lives["alliance"] == "war"]
    order = list(bars_data["row"])
    x = alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount=8),
              scale=alt.Scale(domain=[pd.Timestamp(lives["start"].min().year, 1, 1).isoformat(),
                                      pd.Timestamp(lives["end"].max().year + 1, 1, 1).isoformat()]))
    tooltip = [alt.Tooltip("row:N", title="Bar"), alt.Tooltip("dates:N", title="Dates"),
               alt.Tooltip("note:N", title="Note"), alt.Tooltip("source:N", title="Source")]
    band = alt.Chart(war).mark_rect(color="#bbbbbb", opacity=0.5).encode(x=x, x2="end:T", tooltip=tooltip)
    band_label = alt.Chart(war).mark_text(align="left", dx=3, dy=-4, baseline="bottom", fontSize=11,
                                          color="#444444").encode(x="start:T", y=alt.value(0), text="row:N")
    colour = alt.Scale(domain=list(ALLIANCE_COLOUR), range=list(ALLIANCE_COLOUR.values()))
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    bars = alt.Chart(bars_data).mark_bar(height=18, strokeWidth=2).encode(
        x=x, x2="end:T", y=y,
        color=alt.Color("alliance:N", scale=colour, legend=None),
        stroke=alt.Stroke("alliance:N", scale=colour, legend=None),
        strokeDash=alt.StrokeDash("span:N", legend=None, scale=alt.Scale(domain=list(SPAN_DASH),
                                                                          range=list(SPAN_DASH.values()))),
        fillOpacity=alt.condition("datum.span == 'dated'", alt.value(0.85), alt.value(0.2)),
        tooltip=tooltip)
    signed = alt.Chart(bars_data[bars_data["span"] == "dated"]).mark_point(
        shape="diamond", size=110, filled=True, color="black").encode(
        x=alt.X("signed:T"), y=y, tooltip=[alt.Tooltip("row:N", title="Treaty"),
                                           alt.Tooltip("signed:T", title="Signed", format="%d %B %Y")])
    ends = alt.Chart(bars_data).mark_text(align="right", dx=-5, fontSize=10, color="white").encode(
        x="end:T", y=y, text=alt.Text("end_label:N")
    ).transform_calculate(end_label="datum.row == 'USROKA' ? 'in force when Kim wrote' : ''")
    return alt.layer(band, band_label, bars, signed, ends).properties(
        title=alt.Title("Two alliances and the war between them", anchor="start",
                        subtitle=["Blue: the 1950 Sino-Soviet treaty (SSA); orange: the 1953 US-ROK treaty "
                                  "(USROKA); diamonds: signing.",
                                  "Pale dashed bar: the project's arithmetic (about eight years), not a dated span.",
                                  "The USROKA bar stops at Kim's present (about 2010), not at an end."]),
        description=describe_lives(lives), width=520, height=alt.Step(34))


# --------------------------------------------------------------------------
# The two Chinas and the two Koreas
# --------------------------------------------------------------------------

def _node_name(actor: str, names: dict[str, str]) -> str:
    return NODE_LABEL.get(actor, label(actor, names))


def pair_frames(pairs: pd.DataFrame, actors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy node and edge tables for :func:`two_koreas_chart`.

    ``pairs`` is ``two_chinas_two_koreas.csv``; the nodes are its states, placed
    by :data:`NODE_XY`, with the camp ``actors.csv`` gives each; the edges are its
    rows, one per pair and period, with the relation (``not stated`` where the
    sources are silent).
    """
    bloc = dict(zip(actors["actor_id"], actors["bloc"]))
    names = dict(zip(actors["actor_id"], actors["short_name"]))
    periods = list(dict.fromkeys(pairs["period_label"]))
    states = sorted(set(pairs["a"]) | set(pairs["b"]), key=list(NODE_XY).index)
    nodes = pd.DataFrame([{"period_label": p, "actor": s, "name": _node_name(s, names), "camp": _text(bloc.get(s)),
                           "x": NODE_XY[s][0], "y": NODE_XY[s][1]} for p in periods for s in states])
    edges = []
    for r in pairs.itertuples():
        (x1, y1), (x2, y2) = NODE_XY[r.a], NODE_XY[r.b]
        edges.append({"period_label": r.period_label, "pair": f"{_node_name(r.a, names)}–{_node_name(r.b, names)}",
                      "relation": relation_label(r.relation), "basis": _text(r.basis) or NOT_STATED,
                      "evidence": _text(r.evidence), "source": r.source,
                      "x": x1, "y": y1, "x2": x2, "y2": y2,
                      "lx": (x1 + x2) / 2, "ly": (y1 + y2) / 2 + (0.06 if y1 == y2 else 0)})
    return nodes, pd.DataFrame(edges)


def describe_pairs(edges: pd.DataFrame) -> str:
    """Plain text of :func:`two_koreas_chart`, one sentence per period."""
    out = []
    for period, rows in edges.groupby("period_label", sort=False):
        sides = "; ".join(f"{r.pair} {r.relation}" + (" (INF)" if r.basis == "INF" else "")
                          for r in rows.itertuples())
        out.append(f"{period}: {sides}.")
    return ("The two Chinas, the two Koreas and the United States, as Kim draws them. " + " ".join(out)
            + " North Korea and Taiwan are not linked: the sources say nothing of that pair.")


def _panel(nodes: pd.DataFrame, edges: pd.DataFrame, title: str, legend: bool) -> alt.LayerChart:
    scale_x, scale_y = alt.Scale(domain=[-0.45, 2.15]), alt.Scale(domain=[-0.35, 1.3])
    colour, dash = relation_scales(legend)
    x, y = alt.X("x:Q", scale=scale_x, axis=None), alt.Y("y:Q", scale=scale_y, axis=None)
    tooltip = [alt.Tooltip("pair:N", title="Pair"), alt.Tooltip("relation:N", title="Relation"),
               alt.Tooltip("basis:N", title="Basis"), alt.Tooltip("evidence:N", title="Evidence"),
               alt.Tooltip("source:N", title="Source")]
    lines = alt.Chart(edges).mark_rule(strokeWidth=3.5).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=colour, strokeDash=dash, tooltip=tooltip,
        opacity=alt.condition("datum.basis == 'INF'", alt.value(0.45), alt.value(1)))
    labels = alt.Chart(edges).mark_text(fontSize=11, fontStyle="italic").encode(
        x=alt.X("lx:Q", scale=scale_x, axis=None), y=alt.Y("ly:Q", scale=scale_y, axis=None),
        text="relation:N", color=alt.Color("relation:N", legend=None, scale=alt.Scale(
            domain=list(RELATION_ORDER), range=list(RELATION_COLOUR))))
    dots = alt.Chart(nodes).mark_circle(size=380, color=NODE_COLOUR, opacity=1).encode(
        x=x, y=y, tooltip=[alt.Tooltip("name:N", title="State"), alt.Tooltip("camp:N", title="Camp")])
    names = alt.Chart(nodes).mark_text(fontSize=12, fontWeight="bold").encode(
        x=x, y=alt.Y("name_y:Q", scale=scale_y, axis=None), text="name:N"
    ).transform_calculate(name_y="datum.y > 0.9 ? datum.y + 0.17 : datum.y - 0.17")
    return alt.layer(lines, labels, dots, names).properties(title=title, width=330, height=200)


def two_koreas_chart(pairs: pd.DataFrame, actors: pd.DataFrame) -> alt.VConcatChart:
    """The two Chinas, the two Koreas and the United States, one panel per period."""
    nodes, edges = pair_frames(pairs, actors)
    periods = list(dict.fromkeys(edges["period_label"]))
    panels = [_panel(nodes[nodes["period_label"] == p], edges[edges["period_label"] == p], p, legend=True)
              for p in periods]
    return in_rows(panels, 2).properties(
        title=alt.Title("Two Chinas and two Koreas", anchor="start",
                        subtitle=["North Korea paired with the People's Republic, South Korea with Taiwan.",
                                  "Lines: " + relation_key(
                                      [r for r in RELATION_ORDER if r in set(edges["relation"])]) + ";",
                                  "a pale line is the book's inference (INF), not a source's statement."]),
        description=describe_pairs(edges)
    ).configure_view(stroke=None).configure_legend(orient="bottom", direction="horizontal")


# --------------------------------------------------------------------------
# Threads across triangles
# --------------------------------------------------------------------------

def thread_events(events: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The events of one thread (``themes`` code), dated ones first in time order.

    Adds ``when`` (the date as the source gives it, or "undated"), ``end``
    (the end of a span, for a rule) and ``dated``.
    """
    if theme not in THEME_TITLE:
        raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEME_TITLE)}")
    rows = events[events["themes"].fillna("").str.split(";").map(lambda codes: theme in codes)].copy()
    rows["dated"] = rows["date_date"].notna()
    rows["when"] = [(_text(d) + (f" to {_text(e)}" if _text(e) else "")) if _text(d) else "undated"
                    for d, e in zip(rows["date"], rows["date_end"])]
    rows["end"] = rows["date_end_date"].where(rows["date_end_date"].notna(), rows["date_date"])
    rows = rows.sort_values(["dated", "date_date", "event_id"], ascending=[False, True, True], kind="stable")
    keep = ["event_id", "date", "date_end", "date_note", "when", "dated", "date_date", "end", "actors",
            "title", "description", "source"]
    return rows[keep].reset_index(drop=True)


def describe_thread(thread: pd.DataFrame, theme: str) -> str:
    """Plain text of :func:`thread_chart`: every event, dated or not."""
    dated = thread[thread["dated"]]
    undated = thread[~thread["dated"]]
    text = (f"{THEME_TITLE[theme]}: {len(thread)} events. "
            + " ".join(f"{r.when}: {r.title}." for r in dated.itertuples()))
    if len(undated):
        text += " Undated in the sources, so not on the time axis: " + "; ".join(undated["title"]) + "."
    return text


def thread_chart(thread: pd.DataFrame, theme: str) -> alt.LayerChart:
    """One row per dated event of a thread: a point at its date, a line over a span."""
    dated = thread[thread["dated"]]
    undated = thread[~thread["dated"]]
    order = list(dated["title"])
    y = alt.Y("title:N", sort=order, title=None, axis=wrapped_axis(order, 38, labelLimit=260))
    lo, hi = dated["date_date"].min().year - 1, max(dated["end"].max().year, dated["date_date"].max().year) + 1
    x = alt.X("date_date:T", title=None, axis=alt.Axis(format="%Y", tickCount=8),
              scale=alt.Scale(domain=[pd.Timestamp(lo, 1, 1).isoformat(), pd.Timestamp(hi, 12, 31).isoformat()]))
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event"),
               alt.Tooltip("description:N", title="What happened"),
               alt.Tooltip("date_note:N", title="Date note"), alt.Tooltip("source:N", title="Source")]
    spans = alt.Chart(dated).mark_rule(strokeWidth=5, opacity=0.45, color=NODE_COLOUR).encode(
        x=x, x2="end:T", y=y, tooltip=tooltip)
    points = alt.Chart(dated).mark_point(filled=True, size=70, color=NODE_COLOUR).encode(
        x=x, y=y, tooltip=tooltip)
    subtitle = ["Hover over a mark for the event, its date as the source gives it, and the citation."]
    if len(undated):
        subtitle += ["Undated in the sources, so not drawn:"] + [f"  {t}" for t in undated["title"]]
    return alt.layer(spans, points).properties(
        title=alt.Title(THEME_TITLE[theme], subtitle=subtitle, anchor="start"),
        description=describe_thread(thread, theme), width=360, height=alt.Step(30))
