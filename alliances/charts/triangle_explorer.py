"""The kernel-free triangle explorer and history player for the static book.

Every state a reader can reach is computed in Python, from the models
(:mod:`alliances.model.triangle`, :mod:`alliances.model.vu`) through
:func:`alliances.queries.states.explorer_states` and
:func:`alliances.queries.history.readings`, and stored in the chart's data.
The inputs (Altair params bound to a select and radio buttons or a slider)
only *filter* those precomputed rows, so the static figure cannot disagree
with the model.

* :func:`explorer_tables` / :func:`explorer_chart` - presets x the eight sign
  patterns, with pattern, roles, balance, Vu's sum type and predictions;
* :func:`history_tables` / :func:`history_chart` - every period of the four
  triangles, its diagram, the model's reading beside the source's label, and
  its events and treaties with citations;
* :func:`timeline_chart` - the periods of each triangle, with treaty signings.

The charts take frames in: ``periods`` from
:func:`alliances.queries.history.periods`, ``events`` and ``treaties`` from
the loaders, and ``names`` (actor labels) from ``load_actor_names()``.

Each prediction is drawn as one text mark whose ``aria-label`` is exactly the
string :func:`alliances.model.vu.predict` returns (the visible text is the same
string wrapped over several lines).
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..data.vocabulary import PERIOD_TRIANGLES, TRIANGLE_NAMES
from ..model import triangle as tri
from ..model import vu
from ..model.presets import DEFAULT, PRESETS, preset_triangle
from ..model.triangle import SIDE_NAMES
from ..queries import history
from ..queries.states import explorer_states
from .triangle import Names, diagram_frames, diagram_layers, label, relation_key, relation_label

# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------

PARAM_NAMES = {"preset": "preset", "ab": "side_ab", "ac": "side_ac", "bc": "side_bc"}
INPUT_LABELS = {"preset": "Preset: ", **{side: f"Side {name}: " for side, name in SIDE_NAMES.items()}}
WRAP = 100
LINE = 14
#: Width of the explorer's and the history player's full-width panels (px).
PANEL_WIDTH = 700
#: Width of the model's reading under each diagram: it fits a phone's column.
INFO_WIDTH = 340


def role_line(t: tri.Triangle, names: Names | None = None) -> str:
    """``Roles: China (A) wing; USSR (B) wing; North Korea (C) pivot``."""
    roles = tri.roles(t)
    return "Roles: " + "; ".join(f"{label(x, names)} ({corner}) {roles[x].value}"
                                 for corner, x in zip("ABC", t.actors))


def info_lines(row, names: Names | None = None) -> list[str]:
    """The lines of the explorer's reading panel for one row of ``explorer_states()``."""
    t = preset_triangle(row.preset, row.ab, row.ac, row.bc)
    return [f"Pattern: {row.pattern} ({row.author})",
            role_line(t, names),
            "Structurally balanced" if row.balanced else "Not structurally balanced",
            f"Vu's type: {row.sum_type}"]


def explorer_tables(names: Names | None = None) -> dict[str, pd.DataFrame]:
    """The tidy tables the explorer chart draws from :func:`explorer_states`:
    ``nodes``, ``edges``, ``info`` (one text line per row) and ``predictions``
    (one row each)."""
    states = explorer_states()
    nodes, edges, info, preds = [], [], [], []
    for row in states.itertuples():
        n, e = diagram_frames((row.a, row.b, row.c), {"ab": row.ab, "ac": row.ac, "bc": row.bc},
                              {row.a: row.role_a, row.b: row.role_b, row.c: row.role_c},
                              corner_names=True, names=names)
        nodes.append(n.assign(state=row.state))
        edges.append(e.assign(state=row.state))
        for i, line in enumerate(info_lines(row, names)):
            info.append({"state": row.state, "line": i, "y": 10 + 20 * i, "text": line})
        y = 10
        for i, p in enumerate(row.predictions):
            lines = textwrap.wrap(p.text, WRAP)
            preds.append({"state": row.state, "order": i, "rule": p.rule or "-",
                          "rule_label": f"rule {p.rule}" if p.rule else "no rule",
                          "strategy": p.strategy, "basis": p.basis, "text": p.text,
                          "lines": lines, "y": y})
            y += LINE * len(lines) + 6
    return {"nodes": pd.concat(nodes, ignore_index=True), "edges": pd.concat(edges, ignore_index=True),
            "info": pd.DataFrame(info), "predictions": pd.DataFrame(preds)}


def explorer_params() -> dict[str, alt.Parameter]:
    """The four params, bound to a select (preset) and three radios (sides)."""
    preset = alt.param(name=PARAM_NAMES["preset"], value=DEFAULT[0], bind=alt.binding_select(
        options=[p.key for p in PRESETS], labels=[p.label for p in PRESETS],
        name=INPUT_LABELS["preset"]))
    out = {"preset": preset}
    for side, value in zip(("ab", "ac", "bc"), DEFAULT[1:]):
        out[side] = alt.param(name=PARAM_NAMES[side], value=value, bind=alt.binding_radio(
            options=list(tri.RELATIONS), name=INPUT_LABELS[side]))
    return out


STATE_EXPR = (f"datum.state == {PARAM_NAMES['preset']} + '|' + {PARAM_NAMES['ab']} + '|' + "
              f"{PARAM_NAMES['ac']} + '|' + {PARAM_NAMES['bc']}")


def _text_panel(data, filter_expr, width, height, *, text="text:N", y="y:Q",
                description="text:N", size=12, x=0, weight="normal"):
    enc = {"x": alt.value(x), "y": alt.Y(y, axis=None, scale=alt.Scale(domain=[0, height], range=[0, height])),
           "text": alt.Text(text)}
    if description:
        enc["description"] = alt.Description(description)
    return (alt.Chart(data).mark_text(align="left", baseline="top", fontSize=size, fontWeight=weight,
                                      lineHeight=LINE)
            .encode(**enc).transform_filter(filter_expr).properties(width=width, height=height))


def explorer_chart(names: Names | None = None) -> alt.VConcatChart:
    """ONE chart: the diagram, the model's reading and Vu's predictions for
    whichever preset and sides the reader picks (no kernel needed)."""
    tables = explorer_tables(names)
    params = explorer_params()
    diagram = diagram_layers(tables["nodes"], tables["edges"], STATE_EXPR, legend=False).properties(
        width=240, height=230, title="Diagram")
    info = _text_panel(tables["info"], STATE_EXPR, INFO_WIDTH, 90).properties(
        title="The model's reading (Dittmer, Wu, Heider; Vu)")
    header = alt.Chart(pd.DataFrame({"t": ["Vu's predictions (rule; D held constant):"]})).mark_text(
        align="left", baseline="top", fontWeight="bold", fontSize=12).encode(
        x=alt.value(0), y=alt.value(0), text="t:N").properties(width=PANEL_WIDTH, height=16)
    p = tables["predictions"]
    height = int((p["y"] + LINE * p["lines"].map(len)).max()) + 4
    rule = _text_panel(p, STATE_EXPR, PANEL_WIDTH, height, text="rule:N", weight="bold",
                       description="rule_label:N")
    preds = _text_panel(p, STATE_EXPR, PANEL_WIDTH, height, text="lines", description="text:N", x=36)
    # the reading sits under the diagram, not beside it: on a phone both stay in view
    chart = alt.vconcat(diagram, info, alt.vconcat(header, alt.layer(rule, preds), spacing=2))
    description = ("Interactive strategic-triangle explorer. Choose a preset (which actors sit "
                   "at corners A, B and C) and set each side to amity or enmity; the diagram, "
                   "the pattern, each actor's role, structural balance, Vu's positive-sum or "
                   "zero-sum type and Vu's predictions update. All 32 states are precomputed "
                   "from the book's model. Shown first: "
                   + tri.read(preset_triangle(*DEFAULT)).describe() + " "
                   + vu.explain(preset_triangle(*DEFAULT)))
    return chart.add_params(*params.values()).properties(
        title="Triangle explorer", description=description).configure_view(stroke=None)


# --------------------------------------------------------------------------
# History player
# --------------------------------------------------------------------------

HISTORY_PARAM = "period"
CITE_WIDTH = 60
#: Characters per line of the text under the period's diagram.
INFO_WRAP = 52
INFO_LINE = 17


def _first_citation(source: str) -> str:
    parts = [s.strip() for s in str(source).split("; ") if s.strip()]
    more = f" (+{len(parts) - 1} more)" if len(parts) > 1 else ""
    return (parts[0] if parts else "") + more


def history_states(periods: pd.DataFrame) -> pd.DataFrame:
    """One row per period (of :func:`alliances.queries.history.periods`): the
    model's reading (:func:`~alliances.queries.history.readings`), the
    corners and sides, and how many periods its triangle has."""
    states = history.readings(periods)
    counts = periods.groupby("triangle_id")["order"].max()
    states["n_periods"] = states["triangle_id"].map(counts).astype(int)
    for side in tri.SIDES:
        states[side] = states[side].map(relation_label)
    return states


def _history_info(r) -> list[str]:
    """The text under the period's diagram: its name, then lines wrapped at
    :data:`INFO_WRAP` characters."""
    lines = [f"Sides: {r.sides}"]
    if r.pattern != history.NO_PATTERN:
        lines.append(f"Model: {r.pattern}; roles: {r.roles}")
    else:
        lines.append(r.explanation)
    if r.vu_sum_type or r.source_label:
        lines.append(f"Vu's type by the model: {r.vu_sum_type or 'none'}; "
                     f"source's label: {r.source_label or 'none'}"
                     + (f" ({r.label_basis})" if r.label_basis else ""))
    lines.append(f"Model and source: {r.agreement}")
    return [f"{r.period_id}: {r.label}"] + [part for line in lines for part in textwrap.wrap(line, INFO_WRAP)]


def history_tables(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame,
                   names: Names | None = None) -> dict[str, pd.DataFrame]:
    """Tidy tables for the history player: states, nodes, edges, info lines, events."""
    states = history_states(periods)
    nodes, edges, info, listed = [], [], [], []
    for (_, row), r in zip(periods.iterrows(), states.itertuples()):
        reading = history.period_reading(row)
        roles = {x: role.value for x, role in reading.reading.roles.items()} if reading.reading else {}
        n, e = diagram_frames(reading.actors, reading.sides, roles, names=names)
        nodes.append(n.assign(period_id=r.period_id))
        edges.append(e.assign(period_id=r.period_id))
        for i, line in enumerate(_history_info(r)):
            info.append({"period_id": r.period_id, "y": 6 + INFO_LINE * i, "text": line})
        ev = history.period_events(row, events, treaties)
        if ev.empty:
            listed.append({"period_id": r.period_id, "row": 0, "date": "",
                           "title": "No event in the book's data falls in this period.",
                           "citation": "", "source": ""})
        for i, e_ in enumerate(ev.itertuples()):
            listed.append({"period_id": r.period_id, "row": i, "date": str(e_.date),
                           "title": f"{e_.id} {e_.title}", "citation": _first_citation(e_.source),
                           "source": str(e_.source)})
    return {"states": states, "nodes": pd.concat(nodes, ignore_index=True),
            "edges": pd.concat(edges, ignore_index=True), "info": pd.DataFrame(info),
            "events": pd.DataFrame(listed)}


def period_label(triangle_id: str, label: str, order: int, count: int) -> str:
    """A period as the history player's menu names it: triangle, years, place
    in its triangle (``China – USSR – North Korea, 1961 ... (7 of 11)``)."""
    return f"{TRIANGLE_NAMES[triangle_id]}: {label} ({order} of {count})"


def period_options(periods: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The history player's menu: every period id, triangle by triangle in
    :data:`PERIOD_TRIANGLES` order and each triangle's periods in order, with
    its label (:func:`period_label`). Each triangle offers exactly its own
    periods, so the menu can neither run past a triangle's last period nor
    show one under a wrong number."""
    options, labels = [], []
    for t in PERIOD_TRIANGLES:
        rows = periods[periods["triangle_id"] == t].sort_values("order")
        for r in rows.itertuples():
            options.append(r.period_id)
            labels.append(period_label(t, r.label, int(r.order), len(rows)))
    return options, labels


def history_chart(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame,
                  names: Names | None = None, triangle_id: str = "KOR") -> alt.VConcatChart:
    """The history player: pick a period of a triangle from one menu (its
    periods named by their years, :func:`period_options`)."""
    tables = history_tables(periods, events, treaties, names)
    options, labels = period_options(periods)
    first = periods.loc[periods["triangle_id"] == triangle_id, "period_id"]
    if first.empty:
        raise KeyError(f"no periods for triangle {triangle_id!r}; choose one of {PERIOD_TRIANGLES}")
    period = alt.param(name=HISTORY_PARAM, value=first.iloc[0], bind=alt.binding_select(
        options=options, labels=labels, name="Period: "))
    expr = f"datum.period_id == {HISTORY_PARAM}"

    diagram = diagram_layers(tables["nodes"], tables["edges"], expr,
                             legend=False).properties(
        width=240, height=230, title="Diagram of the period")
    info_height = int(tables["info"]["y"].max()) + INFO_LINE + 4
    info = _text_panel(tables["info"], expr, INFO_WIDTH, info_height).properties(
        title="The model's reading beside the source's label")
    ev = tables["events"]
    row = alt.Y("row:O", axis=None, sort="ascending")

    # one row per event: the date, then the title over its first citation
    def column(field, x, limit, **mark):
        return alt.Chart(ev).mark_text(align="left", baseline="middle", fontSize=11, limit=limit,
                                       **mark).encode(
            x=alt.value(x), y=row, text=alt.Text(field), description=alt.Description(field)
        ).transform_filter(expr)

    events = alt.layer(
        column("date:N", 0, 70), column("title:N", 76, PANEL_WIDTH - 76, dy=-7),
        column("citation:N", 76, PANEL_WIDTH - 76, dy=7, color="#555555").encode(
            tooltip=alt.Tooltip("source:N", title="Citations")),
    ).properties(width=PANEL_WIDTH, height=alt.Step(30),
                 title="Events and treaty signings of the period (first citation; all in the tooltip)")
    description = ("History player: choose a period of one of the four triangles in the "
                   "Period menu (each triangle's periods in order, named by their years); the diagram "
                   f"shows the relation on each side in that period ({relation_key()}), "
                   "the model's pattern "
                   "and roles, Vu's type beside the source's own label, and the period's events "
                   "and treaty signings with citations.")
    return alt.vconcat(diagram, info, events).add_params(period).properties(
        title="The triangles, period by period", description=description,
        # the events panel grows and shrinks with the period: let the view resize
        autosize=alt.AutoSizeParams(type="pad", resize=True)).configure_view(stroke=None)


#: The timeline's bars and its keys' symbols: a bar, wider than it is tall.
BAR_SYMBOL = "M-1.6,-0.6H1.6V0.6H-1.6Z"
#: Colours of the model's patterns (Pattern order, then no pattern).
PATTERN_COLOURS = ("#1a7a3a", "#e0a030", "#5e8ec4", "#b2182b", "#cccccc")
#: Whether the sources give a period's end, as the timeline's key says it.
END_GIVEN = ("yes: full colour", "no: pale, drawn to the next period")
#: The colour of the "End date given" key: one of the patterns' colours.
END_KEY_COLOUR = PATTERN_COLOURS[1]


def timeline_table(periods: pd.DataFrame) -> pd.DataFrame:
    """Periods per triangle with the model's reading, for the timeline."""
    table = periods
    states = history.readings(periods).set_index("period_id")
    out = table[["triangle_id", "period_id", "label", "start_date", "until"]].copy()
    out["reading"] = [states.loc[p, "pattern"] for p in out["period_id"]]
    out["vu_sum_type"] = [states.loc[p, "vu_sum_type"] for p in out["period_id"]]
    out["source_label"] = [states.loc[p, "source_label"] for p in out["period_id"]]
    out["triangle"] = out["triangle_id"].map(TRIANGLE_NAMES)
    out["end_given"] = [END_GIVEN[0] if isinstance(e, str) and e else END_GIVEN[1]
                        for e in table["end"].astype(object).where(table["end"].notna(), None)]
    out["until"] = out["until"].fillna(pd.Timestamp("2025-12-31"))
    return out


def timeline_chart(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame) -> alt.LayerChart:
    """Periods of each triangle coloured by the model's pattern, treaty
    signings marked with a black triangle."""
    signings = history.treaty_signings(periods, events, treaties)
    periods = timeline_table(periods)
    signings["triangle"] = signings["triangle_id"].map(TRIANGLE_NAMES)
    order = [TRIANGLE_NAMES[t] for t in PERIOD_TRIANGLES]
    y = alt.Y("triangle:N", sort=order, title=None)
    patterns = [p.value for p in tri.Pattern] + [history.NO_PATTERN]
    bars = alt.Chart(periods).mark_bar(height=16, stroke="white", strokeWidth=1.5).encode(
        x=alt.X("start_date:T", title="Year"), x2="until:T", y=y,
        color=alt.Color("reading:N", scale=alt.Scale(domain=patterns, range=list(PATTERN_COLOURS)),
                        title="Model's pattern", legend=alt.Legend(
                            orient="bottom", direction="vertical", symbolType=BAR_SYMBOL, labelLimit=360, labelOffset=10)),
        # the key draws what the chart draws: a bar of one pattern's colour, full or pale
        opacity=alt.Opacity("end_given:N", scale=alt.Scale(domain=list(END_GIVEN), range=[1.0, 0.45]),
                            title="End date given", legend=alt.Legend(
                                orient="bottom", direction="vertical", symbolType=BAR_SYMBOL,
                                symbolFillColor=END_KEY_COLOUR, symbolStrokeColor=END_KEY_COLOUR,
                                labelLimit=360, labelOffset=10)),
        tooltip=["period_id", "label", "reading", "vu_sum_type", "source_label", "end_given"])
    ticks = alt.Chart(signings).mark_point(shape="triangle-down", size=70, filled=True,
                                           color="black", yOffset=-14).encode(
        x="date_date:T", y=y, tooltip=["treaty_id", "title", "date", "source"])
    text = "; ".join(f"{r.triangle}: " + ", ".join(
        f"{p.period_id} {p.label} ({p.reading})" for p in periods[periods["triangle_id"] == r.triangle_id].itertuples())
        for r in periods.drop_duplicates("triangle_id").itertuples())
    description = ("Timeline of the periods of each triangle, coloured by the model's pattern. "
                   + text + ". Treaty signings marked: " + ", ".join(
                       f"{s.title} ({s.date}, {s.triangle_id})" for s in signings.itertuples()) + ".")
    return alt.layer(bars, ticks).properties(
        title="Periods of the four triangles, with treaty signings", description=description,
        width=560, height=170)
