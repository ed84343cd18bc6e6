"""Figures for the chapter "Exceptions that prove the rule" (``book/exceptions.ipynb``).

Two figures, both drawn from ``data/`` through the loaders:

* the **decision-rule explorer** over ``data/alignment_cases.csv``: every
  verdict comes from :func:`alliances.model.two_criteria.predict_alliance`
  (via :func:`alliances.queries.cases.case_table` and
  :func:`~alliances.queries.cases.rule_states`); the nine criterion states are
  precomputed there, so the kernel-free chart cannot disagree with the model;
* the **alliance timeline** of China and Vietnam from
  ``data/alliance_spans.csv`` (one bar per reading: 000, 003, 004, ATOP),
  with the instruments of ``data/treaties.csv`` marked on each row; a span
  whose end the source does not state is drawn as a fading bar.

Public functions
----------------
* :func:`explorer_chart` - kernel-free explorer (Altair params on radio inputs);
* :func:`case_list_chart` - the cases of one criterion state (for the widget);
* :func:`describe_explorer` - text description of the explorer;
* :func:`gantt_data`, :func:`treaty_markers`, :func:`alliance_gantt`,
  :func:`describe_gantt` - the timeline, its data and its description.
"""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from ..data.values import split_ids
from ..model import two_criteria
from ..queries.cases import CRITERIA, VERDICT_LABEL, VERDICTS, cases_in_state

VERDICT_COLOUR = ("#7fbf7b", "#ef8a62", "#d9d9d9")

#: The two criteria's names, as the radio inputs and the grid axes show them.
SECURITY_LABEL = "Shared security interest"
IDEOLOGY_LABEL = "Shared ideology"

#: Columns of the case list (field, header, x offset in pixels). ``check_text``
#: is the check followed by the op-ed's own "exception" label, where it gives one.
LIST_COLUMNS = (
    ("case_id", "Case", 0),
    ("dyad_label", "Chooser and partner", 36),
    ("period", "Period", 180),
    ("predicted_label", "Rule predicts", 364),
    ("reported_label", "Op-ed reports", 442),
    ("check_text", "Check", 524),
)
LIST_WIDTH = 660
ROW_HEIGHT = 20

#: Readings of an alliance's dates, in the order the timeline stacks them.
READINGS = ("000", "003", "004", "ATOP")
READING_LABEL = {"000": "000 op-ed", "003": "003 Vu", "004": "004 Kim", "ATOP": "ATOP 4.01 coding"}
READING_COLOUR = ("#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f")
BASES = ("treaty", "alignment", "coding")
BASIS_DASH = ([1, 0], [6, 3], [2, 2])
#: A span whose end its reading does not state (``end_status`` in ``alliance_spans.csv``)
#: is drawn as a bar that fades out over ``UNSTATED_RUN``; the fade is not a date.
UNSTATED = "not stated"
UNSTATED_LABEL = "end not stated by the source"
UNSTATED_RUN = pd.DateOffset(years=5)
#: The choosers whose alliances the chapter follows, and the panel each goes in.
SIDES = (("Vietnam (North Vietnam to 1976)", ("DRV", "VNM")), ("China", ("PRC",)))


def _list_long(table: pd.DataFrame) -> pd.DataFrame:
    """Case list in long form: one row per case and column of the list."""
    table = table.assign(check_text=[c + (f"; {e}" if e else "")
                                     for c, e in zip(table["check_label"], table["exception_label"])])
    parts = []
    for field, header, offset in LIST_COLUMNS:
        part = table[["case_id", "shared_security", "shared_ideology", "row"]].copy()
        part["column"] = header
        part["text"] = table[field].astype(str)
        part["offset"] = offset
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _header() -> pd.DataFrame:
    return pd.DataFrame([{"text": header, "offset": offset, "row": 0}
                         for _, header, offset in LIST_COLUMNS if header])


def _list_layers(long: pd.DataFrame, n_rows: int, selector=None, empty: pd.DataFrame | None = None):
    """Text layers that draw the case list; ``selector`` filters it to one state."""
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[n_rows + 0.5, -0.5]))
    header = alt.Chart(_header()).mark_text(align="left", fontWeight="bold").encode(
        x=alt.X("offset:Q", axis=None, scale=alt.Scale(domain=[0, LIST_WIDTH])), y=y, text="text:N")
    body = alt.Chart(long).mark_text(align="left").encode(
        x=alt.X("offset:Q", axis=None, scale=alt.Scale(domain=[0, LIST_WIDTH])), y=y, text="text:N",
        color=alt.condition("datum.column == 'Check' && indexof(datum.text, 'rule contradicted') == 0",
                            alt.value("#b2182b"), alt.value("black")),
        tooltip=[alt.Tooltip("case_id:N", title="case"), alt.Tooltip("column:N"), alt.Tooltip("text:N")])
    layers = [header, body]
    if selector is not None:
        body = body.transform_filter(selector)
        layers = [header, body]
        if empty is not None:
            note = alt.Chart(empty).mark_text(align="left", fontStyle="italic").encode(
                x=alt.X("offset:Q", axis=None, scale=alt.Scale(domain=[0, LIST_WIDTH])), y=y, text="text:N"
            ).transform_filter(selector).transform_filter("datum.n_cases == 0")
            layers.append(note)
    elif long.empty and empty is not None:
        layers.append(alt.Chart(empty).mark_text(align="left", fontStyle="italic").encode(
            x=alt.X("offset:Q", axis=None, scale=alt.Scale(domain=[0, LIST_WIDTH])), y=y, text="text:N"))
    return layers


def _empty_notes(states: pd.DataFrame) -> pd.DataFrame:
    notes = states[["shared_security", "shared_ideology", "n_cases"]].copy()
    notes["text"] = "The op-ed classifies no case with these two values."
    notes["offset"] = 0
    notes["row"] = 1
    return notes


def _max_rows(table: pd.DataFrame) -> int:
    return int(table["row"].max()) if len(table) else 1


def _grid(states: pd.DataFrame, selected: str) -> alt.LayerChart:
    """The rule as a 3 x 3 grid; ``selected`` is a Vega expression for the chosen cell."""
    x = alt.X("shared_ideology:N", sort=list(CRITERIA), title=IDEOLOGY_LABEL,
              axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("shared_security:N", sort=list(CRITERIA), title=SECURITY_LABEL)
    cells = alt.Chart(states).mark_rect(stroke="black").encode(
        x=x, y=y,
        color=alt.Color("predicted_label:N", title="The rule predicts",
                        scale=alt.Scale(domain=[VERDICT_LABEL[v] for v in VERDICTS], range=list(VERDICT_COLOUR)),
                        legend=alt.Legend(orient="bottom")),
        strokeWidth=alt.condition(selected, alt.value(4), alt.value(0.5)),
        opacity=alt.condition(selected, alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("shared_security:N", title=SECURITY_LABEL),
                 alt.Tooltip("shared_ideology:N", title=IDEOLOGY_LABEL),
                 alt.Tooltip("predicted_label:N", title="rule predicts"),
                 alt.Tooltip("cases:N", title="cases")])
    text = alt.Chart(states).mark_text(fontSize=11).encode(x=x, y=y, text="cell_label:N")
    chosen = text.mark_text(fontSize=11, fontWeight="bold").transform_filter(selected)
    others = text.transform_filter(f"!({selected})")
    return alt.layer(cells, others, chosen).properties(width=390, height=170)


def explorer_chart(table: pd.DataFrame, states: pd.DataFrame) -> alt.VConcatChart:
    """Kernel-free explorer: two radio inputs choose the criteria; the grid
    highlights the rule's verdict and the list shows the op-ed's cases in that cell.
    """
    security = alt.param(name="security", value="yes",
                         bind=alt.binding_radio(options=list(CRITERIA), name=f"{SECURITY_LABEL}: "))
    ideology = alt.param(name="ideology", value="yes",
                         bind=alt.binding_radio(options=list(CRITERIA), name=f"{IDEOLOGY_LABEL}: "))
    selected = "datum.shared_security == security && datum.shared_ideology == ideology"
    grid = _grid(states, selected).add_params(security, ideology)
    verdict = alt.Chart(states).mark_text(align="left", fontSize=13).encode(
        x=alt.value(0), y=alt.value(10), text="explanation:N").transform_filter(selected).properties(
        width=LIST_WIDTH, height=20)
    n_rows = _max_rows(table)
    cases = alt.layer(*_list_layers(_list_long(table), n_rows, selector=selected,
                                    empty=_empty_notes(states))).properties(
        width=LIST_WIDTH, height=ROW_HEIGHT * (n_rows + 1))
    return alt.vconcat(grid, verdict, cases, spacing=12).properties(
        title=alt.Title("The op-ed's two-criteria rule and the cases it classifies",
                        subtitle="Choose a value for each criterion; the list shows the cases the op-ed puts in that cell."),
        description=("Decision-rule explorer. A three by three grid crosses shared security interest (rows: yes, "
                     "no, unclear) with shared ideology (columns). Each cell shows the rule's verdict and how "
                     "many of the op-ed's cases fall in it. Below, the cases in the chosen cell are listed with "
                     "the rule's prediction, the outcome the op-ed reports, and whether they agree."),
    ).configure_view(stroke=None)


def case_list_chart(table: pd.DataFrame, security: str, ideology: str) -> alt.LayerChart:
    """The case list for one criterion state, without params (for the live widget)."""
    chosen = cases_in_state(table, security, ideology)
    empty = pd.DataFrame([{"text": "The op-ed classifies no case with these two values.", "offset": 0, "row": 1}])
    n_rows = _max_rows(table)
    verdict = VERDICT_LABEL[two_criteria.predict_alliance(security, ideology)]
    return alt.layer(*_list_layers(_list_long(chosen), n_rows, empty=empty)).properties(
        width=LIST_WIDTH, height=ROW_HEIGHT * (n_rows + 1),
        title=alt.Title(f"{SECURITY_LABEL}: {security}; {IDEOLOGY_LABEL.lower()}: {ideology}",
                        subtitle=f"The rule predicts: {verdict}"),
        description=(f"Cases the op-ed codes with shared security interest {security} and shared ideology "
                     f"{ideology}: {', '.join(chosen['case_id']) or 'none'}. The rule predicts {verdict}."),
    ).configure_view(stroke=None)


def describe_explorer(states: pd.DataFrame) -> str:
    """A plain-text description of the explorer, computed from the nine states."""
    lines = ["The rule's verdict for each pair of criteria, and the op-ed's cases in that cell:"]
    for s in states.itertuples():
        cases = s.cases or "no case"
        lines.append(f"- security {s.shared_security}, ideology {s.shared_ideology}: "
                     f"{s.predicted_label} ({cases})")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The alliance timeline
# --------------------------------------------------------------------------

def _dyad(parties: list[str]) -> str:
    return "-".join(sorted(parties))


def _side_rows(frame: pd.DataFrame, actors_of) -> pd.DataFrame:
    parts = []
    for side, choosers in SIDES:
        part = frame[[any(a in choosers for a in actors_of(d)) for d in frame["dyad"]]].copy()
        part["side"] = side
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _dyad_label(dyad: str, side: str, names: dict[str, str]) -> str:
    """Label a dyad from the chooser's side: chooser first, partner second."""
    choosers = dict(SIDES)[side]
    a, b = dyad.split("-")
    first, second = (a, b) if a in choosers else (b, a)
    return f"{names[first]}–{names[second]}"


def _span_text(start: str, end, status: str, present: str | None = None) -> str:
    if status == "in force":
        # dated to the reading's own present, never shown as today
        return (f"from {start}, still in force at its source's present ({present})" if present
                else f"from {start}, in effect in the coding")
    if status == UNSTATED:
        return f"from {start}, {UNSTATED_LABEL}"
    return f"{start} to {end}"


def gantt_data(spans: pd.DataFrame, names: Mapping[str, str], present: pd.Timestamp,
               presents: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tidy timeline: every span of ``alliance_spans.csv`` that involves China or
    (North) Vietnam, once per side it belongs to (China-North Vietnam is in both).

    ``draw_end`` is where the bar stops: the stated end; ``present`` for a span
    still in force (``open``); for a span whose end the reading does not state
    (``unstated``), the start plus :data:`UNSTATED_RUN` (at most ``present``),
    the length of a fade that marks no date. ``names`` labels the actors
    (``load_actor_names()``); ``presents`` maps a reading (source id) to the
    year of its present (``source_documents.csv``), so a span still in force
    says when: "still in force at its source's present (2021)". A reading
    with no present (the ATOP coding) is "in effect in the coding".
    """
    rows = _side_rows(spans, lambda d: d.split("-"))
    rows["dyad_label"] = [_dyad_label(d, s, names) for d, s in zip(rows["dyad"], rows["side"])]
    rows["reading_label"] = rows["reading"].map(READING_LABEL)
    rows["open"] = rows["end_status"] == "in force"
    rows["unstated"] = rows["end_status"] == UNSTATED
    fade_end = (rows["start_date"] + UNSTATED_RUN).clip(upper=present)
    rows["draw_end"] = rows["end_date"].where(~rows["open"], present).where(~rows["unstated"], fade_end)
    presents = presents or {}
    rows["span_text"] = [_span_text(s, e, st, presents.get(r)) for s, e, st, r in
                         zip(rows["start"], rows["end"], rows["end_status"], rows["reading"])]
    rows["bar_label"] = [f"{r}: {UNSTATED_LABEL}" if u else r for r, u in zip(rows["reading"], rows["unstated"])]
    first = rows.groupby(["side", "dyad_label"])["start_date"].transform("min")
    rows["first_start"] = first
    keep = ["span_id", "side", "dyad", "dyad_label", "reading", "reading_label", "start", "end",
            "end_status", "start_date", "end_date", "draw_end", "open", "unstated", "span_text",
            "bar_label", "basis", "treaty_id", "first_start"]
    return rows[keep].sort_values(["side", "first_start", "dyad_label", "reading"], kind="stable").reset_index(drop=True)


def treaty_markers(treaties: pd.DataFrame, gantt: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Instruments of ``treaties.csv`` to mark on the timeline's rows: those a
    span rests on or that hold a defence pledge, between the rows' two parties."""
    t = treaties.dropna(subset=["parties"]).copy()
    t["dyad"] = [_dyad(split_ids(p)) for p in t["parties"]]
    on_rows = set(gantt["dyad"])
    cited = set(gantt["treaty_id"].dropna())
    t = t[t["dyad"].isin(on_rows) & (t["treaty_id"].isin(cited) | (t["defence_obligation"] == "yes"))]
    rows = _side_rows(t, lambda d: d.split("-"))
    rows = rows[[(s, d) in set(zip(gantt["side"], gantt["dyad"])) for s, d in zip(rows["side"], rows["dyad"])]]
    rows["dyad_label"] = [_dyad_label(d, s, names) for d, s in zip(rows["dyad"], rows["side"])]
    return rows[["treaty_id", "short_name", "kind", "signed", "signed_date", "side", "dyad", "dyad_label",
                 "defence_obligation"]].reset_index(drop=True)


def _fade(colour: str) -> alt.Gradient:
    """A left-to-right gradient from ``colour`` to white: a bar with no visible end."""
    return alt.Gradient(gradient="linear", x1=0, x2=1, y1=0, y2=0,
                        stops=[alt.GradientStop(offset=0, color=colour),
                               alt.GradientStop(offset=1, color="white")])


def _unstated_bars(spans: pd.DataFrame, x, y, y_offset, tooltip) -> list[alt.Chart]:
    """Spans whose end the source does not state: one fading bar in the reading's colour.

    A gradient cannot be a scale's output, so there is one layer per reading that
    has such spans, after a layer in neutral grey that draws nothing (``aria=False``)
    and only carries the legend entry. No such spans: no layers.
    """
    readings = [r for r in READINGS if (spans["unstated"] & (spans["reading"] == r)).any()]
    if not readings:
        return []
    fading = dict(stroke=_fade("black"), strokeWidth=1.2, height={"band": 0.9})
    legend = alt.Chart(spans).transform_filter("false").mark_bar(fill=_fade("#888888"), aria=False, **fading).encode(
        x=x, x2="draw_end:T", y=y, yOffset=y_offset,
        opacity=alt.Opacity("end_status:N", title="End", scale=alt.Scale(domain=[UNSTATED], range=[1]),
                            legend=alt.Legend(labelExpr=f"'{UNSTATED_LABEL}'", symbolType="square")))
    return [legend] + [
        alt.Chart(spans).transform_filter(f"datum.end_status == '{UNSTATED}' && datum.reading == '{reading}'")
        .mark_bar(fill=_fade(dict(zip(READINGS, READING_COLOUR))[reading]), **fading).encode(
            x=x, x2="draw_end:T", y=y, yOffset=y_offset,
            strokeDash=alt.StrokeDash("basis:N", scale=alt.Scale(domain=list(BASES), range=list(BASIS_DASH))),
            tooltip=tooltip)
        for reading in readings]


def _gantt_panel(spans: pd.DataFrame, markers: pd.DataFrame, side: str, x_domain) -> alt.LayerChart:
    order = list(dict.fromkeys(spans["dyad_label"]))
    x = alt.X("start_date:T", title=None, scale=alt.Scale(domain=x_domain), axis=alt.Axis(format="%Y"))
    y = alt.Y("dyad_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    y_offset = alt.YOffset("reading_label:N", sort=[READING_LABEL[r] for r in READINGS])
    tooltip = [alt.Tooltip("dyad_label:N", title="alliance"), alt.Tooltip("reading_label:N", title="reading"),
               alt.Tooltip("span_text:N", title="dates"), alt.Tooltip("basis:N"),
               alt.Tooltip("treaty_id:N", title="treaty")]
    bars = alt.Chart(spans).transform_filter(f"datum.end_status != '{UNSTATED}'").mark_bar(
        stroke="black", strokeWidth=1.2, height={"band": 0.9}).encode(
        x=x, x2="draw_end:T", y=y, yOffset=y_offset,
        color=alt.Color("reading_label:N", title="Reading",
                        scale=alt.Scale(domain=[READING_LABEL[r] for r in READINGS], range=list(READING_COLOUR))),
        strokeDash=alt.StrokeDash("basis:N", title="Basis", scale=alt.Scale(domain=list(BASES), range=list(BASIS_DASH))),
        tooltip=tooltip)
    labels = alt.Chart(spans).mark_text(align="left", dx=4, fontSize=10).encode(
        x=alt.X("draw_end:T", scale=alt.Scale(domain=x_domain)), y=y, yOffset=y_offset,
        text=alt.Text("bar_label:N"), tooltip=tooltip)
    ticks = alt.Chart(markers).mark_point(shape="diamond", size=90, filled=True, color="black").encode(
        x=alt.X("signed_date:T", scale=alt.Scale(domain=x_domain)), y=y,
        tooltip=[alt.Tooltip("short_name:N", title="instrument"), alt.Tooltip("signed:N", title="signed"),
                 alt.Tooltip("defence_obligation:N", title="defence pledge")])
    return alt.layer(bars, *_unstated_bars(spans, x, y, y_offset, tooltip), labels, ticks).properties(
        title=side, width=540, height=alt.Step(11))


def alliance_gantt(gantt: pd.DataFrame, markers: pd.DataFrame) -> alt.VConcatChart:
    """Timeline of China's and Vietnam's alliances, one bar per reading of each."""
    start = gantt["start_date"].min()
    x_domain = [pd.Timestamp(year=start.year, month=1, day=1).isoformat(),
                (gantt["draw_end"].max() + pd.offsets.YearEnd(0)).isoformat()]
    panels = [_gantt_panel(gantt[gantt["side"] == side], markers[markers["side"] == side], side, x_domain)
              for side, _ in SIDES]
    return alt.vconcat(*panels, spacing=18).properties(
        title=alt.Title("When did China's and Vietnam's alliances begin and end?",
                        subtitle=["One bar per reading: the op-ed (000), Vu (003), Kim (004) and the ATOP coding.",
                                  "Bar outline: solid = treaty, dashed = alignment without treaty, dotted = data coding.",
                                  "Diamonds: instruments signed. A bar reaching the right edge was still in force at its",
                                  "source's present (the tooltip gives the year) or is in effect in the ATOP coding.",
                                  "Fading bars: the source gives a start but no end; the length of the fade is not a date."]),
        description=("Gantt-style timeline of the alliances of Vietnam (upper panel) and China (lower panel). "
                     "Each row is a partner; each bar within a row is one source's dating of the alliance, so "
                     "differing datings appear side by side. A bar that fades out to the right marks a reading that "
                     "gives a start but no end. The text description beside the chart lists every bar's dates."),
    ).resolve_scale(y="independent").configure_legend(orient="bottom", direction="horizontal", columns=2)


def describe_gantt(gantt: pd.DataFrame, markers: pd.DataFrame) -> str:
    """A plain-text description of the timeline, one line per bar."""
    lines = []
    for side, _ in SIDES:
        lines.append(f"{side}:")
        part = gantt[gantt["side"] == side]
        for label in dict.fromkeys(part["dyad_label"]):
            rows = part[part["dyad_label"] == label]
            bars = "; ".join(f"{r.reading_label} {r.span_text} ({r.basis})" for r in rows.itertuples())
            signed = markers[(markers["side"] == side) & (markers["dyad_label"] == label)]
            extra = (" Instruments: " + ", ".join(signed["short_name"]) + ".") if len(signed) else ""
            lines.append(f"- {label}: {bars}.{extra}")
    if gantt["unstated"].any():
        lines.append(f"Where a line says \"{UNSTATED_LABEL}\", the chart draws a bar that fades out over "
                     f"{UNSTATED_RUN.years} years from the start; the fade marks no date.")
    return "\n".join(lines)

