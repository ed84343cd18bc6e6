"""Diagrams of the strategic triangle (chapter "Strategic triangles").

Every diagram is drawn from the model in :mod:`alliances.model.triangle`:
the pattern, the roles and the screen-reader description come from
:func:`alliances.model.triangle.read`, never from text typed here. Actors are
labelled with ``names`` (``actor_id`` -> label, as from
``alliances.data.load_actor_names()``); an actor with no name is labelled by
its id, as the generic corners A, B and C are.

Public functions
----------------
* :func:`triangle_diagram` - one triangle whose sides are amity or enmity;
* :func:`sides_diagram` - a triangle whose sides may also be ``mixed``,
  ``neutral`` or unknown (the periods of ``data/triangle_periods.csv``);
* :func:`patterns_chart` - the four patterns, two to a row;
* :func:`role_ranking_chart` - Wu's ranking of the six roles.

Line style carries the relation as well as colour, one style for each value
of the data's relation vocabulary (``RELATION_VALUES``) and one for a side the
sources leave unstated (:data:`RELATION_STYLES`, worded by
:func:`relation_key`).
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from ..data.values import NOT_STATED, is_blank
from ..model import triangle as tri
from .layout import in_rows

#: Corner positions (equilateral): A bottom left, B bottom right, C on top.
CORNERS = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.5, math.sqrt(3) / 2)}
SIDE_CORNERS = (("ab", "a", "b"), ("ac", "a", "c"), ("bc", "b", "c"))
CENTROID = (0.5, math.sqrt(3) / 6)

UNKNOWN = NOT_STATED
#: relation -> (colour, dash, words for the key). Every value of
#: ``RELATION_VALUES`` and :data:`UNKNOWN` has its own colour and its own dash.
RELATION_STYLES = {
    "amity": ("#1a7a3a", [1, 0], "solid green"),
    "enmity": ("#b2182b", [9, 5], "dashed red"),
    "mixed": ("#7b3294", [10, 3, 2, 3], "dash-dot purple"),
    "neutral": ("#5a5a5a", [2, 3], "dotted dark grey"),
    UNKNOWN: ("#a8a8a8", [1, 6], "sparse-dotted light grey"),
}
RELATION_ORDER = tuple(RELATION_STYLES)
RELATION_COLOUR = tuple(colour for colour, _, _ in RELATION_STYLES.values())
RELATION_DASH = tuple(dash for _, dash, _ in RELATION_STYLES.values())


def relation_key(relations=RELATION_ORDER) -> str:
    """How each relation is drawn, in words: ``amity solid green, enmity ...``."""
    return ", ".join(f"{r} {RELATION_STYLES[r][2]}" for r in relations)

WIDTH = 240
HEIGHT = 220


Names = Mapping[str, str]


def label(actor: str, names: Names | None = None) -> str:
    """Chart label of an actor: its name in ``names``, else its id."""
    return (names or {}).get(actor, actor)


def relation_label(value) -> str:
    """A side's relation as a label: ``amity``, ..., or ``not stated``."""
    return UNKNOWN if is_blank(value) else str(value)


def _label_point(x1, y1, x2, y2, push=0.13):
    """Midpoint of a side pushed away from the centroid (for the side label)."""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = mx - CENTROID[0], my - CENTROID[1]
    norm = math.hypot(dx, dy)
    return mx + push * dx / norm, my + push * dy / norm


def diagram_frames(actors: tuple[str, str, str], sides: dict[str, object],
                   roles: dict[str, str] | None = None, corner_names: bool = False,
                   names: Names | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy node and edge tables for one triangle.

    ``actors`` are the corners (a, b, c); ``sides`` maps ``ab``/``ac``/``bc``
    to a relation (or an empty value); ``roles`` maps each actor to a role
    name. With ``corner_names`` the label reads "China (A)".
    """
    roles = roles or {}
    nodes = []
    for corner, actor in zip("abc", actors):
        x, y = CORNERS[corner]
        name = label(actor, names)
        if corner_names and name != corner.upper():
            name = f"{name} ({corner.upper()})"
        nodes.append({"corner": corner.upper(), "actor": actor, "name": name,
                      "role": roles.get(actor, ""), "x": x, "y": y,
                      "top": corner == "c"})
    edges = []
    for side, p, q in SIDE_CORNERS:
        (x1, y1), (x2, y2) = CORNERS[p], CORNERS[q]
        lx, ly = _label_point(x1, y1, x2, y2)
        a1, a2 = actors["abc".index(p)], actors["abc".index(q)]
        edges.append({"side": side, "pair": f"{label(a1, names)}–{label(a2, names)}",
                      "relation": relation_label(sides.get(side)),
                      "x": x1, "y": y1, "x2": x2, "y2": y2, "lx": lx, "ly": ly})
    return pd.DataFrame(nodes), pd.DataFrame(edges)


def _scale(axis: str) -> alt.Scale:
    return alt.Scale(domain=[-0.42, 1.42]) if axis == "x" else alt.Scale(domain=[-0.36, 1.2])


def _xy(field: str, axis: str):
    enc = alt.X if axis == "x" else alt.Y
    return enc(f"{field}:Q", scale=_scale(axis), axis=None)


def relation_scales(legend: bool = True):
    """Colour and dash encodings shared by every diagram (one legend)."""
    leg = alt.Legend(title="Relation", orient="bottom", symbolType="stroke",
                     symbolStrokeWidth=3, symbolSize=300, columns=3) if legend else None
    colour = alt.Color("relation:N", scale=alt.Scale(domain=list(RELATION_ORDER),
                                                     range=list(RELATION_COLOUR)), legend=leg)
    dash = alt.StrokeDash("relation:N", scale=alt.Scale(domain=list(RELATION_ORDER),
                                                        range=list(RELATION_DASH)), legend=leg)
    return colour, dash


def diagram_layers(nodes, edges, filter_expr: str | None = None, legend: bool = True) -> alt.LayerChart:
    """The four layers of a triangle diagram (sides, side labels, nodes, names).

    ``nodes`` and ``edges`` are tables as from :func:`diagram_frames`,
    possibly holding many states; ``filter_expr`` (a Vega expression) then
    picks the state to show. Used by the static explorer and history player.
    """
    colour, dash = relation_scales(legend)

    def base(frame):
        # plain records: converting them is much faster than a DataFrame on every redraw
        data = alt.InlineData(values=frame.to_dict("records")) if isinstance(frame, pd.DataFrame) else frame
        chart = alt.Chart(data)
        return chart.transform_filter(filter_expr) if filter_expr else chart

    lines = base(edges).mark_rule(strokeWidth=3.5).encode(
        x=_xy("x", "x"), y=_xy("y", "y"), x2="x2:Q", y2="y2:Q",
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("pair:N", title="Side"), alt.Tooltip("relation:N", title="Relation")])
    side_labels = base(edges).mark_text(fontSize=12, fontStyle="italic").encode(
        x=_xy("lx", "x"), y=_xy("ly", "y"), text="relation:N",
        color=alt.Color("relation:N", scale=alt.Scale(domain=list(RELATION_ORDER), range=list(RELATION_COLOUR)), legend=None))
    dots = base(nodes).mark_circle(size=420, color="#1f3b73", opacity=1).encode(
        x=_xy("x", "x"), y=_xy("y", "y"),
        tooltip=[alt.Tooltip("name:N", title="Actor"), alt.Tooltip("role:N", title="Role")])
    # names above the top corner, below the two bottom corners; role under the name
    names = base(nodes).mark_text(fontSize=13, fontWeight="bold").encode(
        x=_xy("x", "x"),
        y=alt.Y("name_y:Q", scale=_scale("y"), axis=None), text="name:N",
    ).transform_calculate(name_y="datum.top ? datum.y + 0.27 : datum.y - 0.12")
    role_text = base(nodes).mark_text(fontSize=12, color="#333333").encode(
        x=_xy("x", "x"),
        y=alt.Y("role_y:Q", scale=_scale("y"), axis=None), text="role:N",
    ).transform_calculate(role_y="datum.top ? datum.y + 0.16 : datum.y - 0.21")
    return alt.layer(lines, side_labels, dots, names, role_text)


def _finish(chart, title: str, description: str, width=WIDTH, height=HEIGHT):
    return chart.properties(title=title, description=description, width=width, height=height
                            ).configure_view(stroke=None)


def triangle_diagram(t: tri.Triangle, title: str | None = None, *, names: Names | None = None,
                     corner_names: bool = False, configure: bool = True,
                     description: str | None = None) -> alt.LayerChart:
    """Draw ``t``: actor names with their roles, sides solid (amity) or dashed (enmity).

    The chart's ``description`` is the model's own text,
    ``alliances.triangle.read(t).describe()`` unless ``description`` is
    given. With ``configure=False`` the chart is left unconfigured so it can
    be concatenated (then configure the view of the compound chart).
    """
    reading = tri.read(t)
    nodes, edges = diagram_frames(t.actors, {"ab": t.ab, "ac": t.ac, "bc": t.bc},
                                  {x: r.value for x, r in reading.roles.items()}, corner_names, names)
    if title is None:
        title = f"{' – '.join(label(x, names) for x in t.actors)}: {reading.pattern.value}"
    chart = diagram_layers(nodes, edges).properties(
        title=title, description=description or reading.describe(), width=WIDTH, height=HEIGHT)
    return chart.configure_view(stroke=None) if configure else chart


def describe_sides(actors: tuple[str, str, str], sides: dict[str, object],
                   names: Names | None = None) -> str:
    """Plain text for a triangle whose sides need not be amity or enmity."""
    a, b, c = actors
    parts = [f"{label(p, names)}–{label(q, names)} {relation_label(sides.get(s))}"
             for s, p, q in (("ab", a, b), ("ac", a, c), ("bc", b, c))]
    return "Sides: " + ", ".join(parts) + "."


def sides_diagram(actors: tuple[str, str, str], sides: dict[str, object],
                  title: str | None = None, description: str | None = None,
                  configure: bool = True, names: Names | None = None) -> alt.LayerChart:
    """Draw a triangle whose sides may be ``mixed``, ``neutral`` or unknown.

    Each such side has its own style (:data:`RELATION_STYLES`) and is labelled
    with the relation (``not stated`` where the sources are silent). If every side is amity or
    enmity this is :func:`triangle_diagram` (with roles). Without a
    ``description`` the chart describes itself from the sides (and the model).
    """
    if all(relation_label(sides.get(s)) in tri.RELATIONS for s in ("ab", "ac", "bc")):
        t = tri.Triangle(*actors, **{s: str(sides[s]) for s in ("ab", "ac", "bc")})
        return triangle_diagram(t, title, names=names, configure=configure, description=description)
    nodes, edges = diagram_frames(actors, sides, names=names)
    title = title or " – ".join(label(x, names) for x in actors)
    text = describe_sides(actors, sides, names)
    text += (" Dittmer's patterns and roles need amity or enmity on every side,"
             " so none is given.")
    chart = diagram_layers(nodes, edges).properties(
        title=title, description=description or text, width=WIDTH, height=HEIGHT)
    return chart.configure_view(stroke=None) if configure else chart


def pattern_examples() -> pd.DataFrame:
    """One triangle per pattern on the generic corners A, B, C (tidy table),
    with its author, its sides, whether it is balanced and the model's description."""
    rows = []
    seen = set()
    for ab, ac, bc in tri.all_sign_patterns():
        t = tri.Triangle("A", "B", "C", ab, ac, bc)
        p = tri.pattern(t)
        if p in seen:
            continue
        seen.add(p)
        rows.append({"pattern": p.value, "author": tri.PATTERN_AUTHOR[p],
                     "ab": ab, "ac": ac, "bc": bc, "balanced": tri.is_balanced(t),
                     "description": tri.read(t).describe()})
    order = [p.value for p in tri.Pattern]
    return pd.DataFrame(rows).set_index("pattern").loc[order].reset_index()


def patterns_chart() -> alt.VConcatChart:
    """The four patterns, two to a row, each titled with its name and author."""
    examples = pattern_examples()
    panels = []
    for row in examples.itertuples():
        t = tri.Triangle("A", "B", "C", row.ab, row.ac, row.bc)
        panels.append(triangle_diagram(t, f"{row.pattern} ({row.author})", configure=False
                                       ).properties(width=190, height=180))
    description = "The four patterns of a strategic triangle. " + " ".join(
        f"{r.pattern.capitalize()} ({r.author}): {r.description}" for r in examples.itertuples())
    return in_rows(panels, 2).properties(
        title="Four patterns of the strategic triangle", description=description
    ).configure_view(stroke=None)


def role_table() -> pd.DataFrame:
    """Wu's ranking of the roles with this book's illustrative score.

    For each role: its rank (``ROLE_RANKING``), the pattern it occurs in, and
    ``role_score`` computed on a triangle where an actor holds that role.
    """
    rows = {}
    for ab, ac, bc in tri.all_sign_patterns():
        t = tri.Triangle("A", "B", "C", ab, ac, bc)
        for x, r in tri.roles(t).items():
            if r not in rows:
                rows[r] = {"role": r.value, "rank": tri.role_rank(r),
                           "pattern": tri.pattern(t).value,
                           "score": tri.role_score(t, x),
                           "own_amity": sum(t.relation(x, y) == tri.AMITY for y in t.others(x)),
                           "others_relation": t.relation(*t.others(x))}
    out = pd.DataFrame([rows[r] for r in tri.ROLE_RANKING])
    out["label"] = [f"{i}. {r}" + (f" ({tri.ROLE_ALIASES[tri.Role(r)]} in Dittmer)"
                                   if tri.Role(r) in tri.ROLE_ALIASES else "") + f", in a {p}"
                    for i, r, p in zip(out["rank"], out["role"], out["pattern"])]
    return out


def role_ranking_chart() -> alt.Chart:
    """Wu's ranking of the six roles, bars of this book's illustrative score."""
    table = role_table()
    order = list(table["label"])
    base = alt.Chart(table).encode(
        y=alt.Y("label:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar(color="#1f3b73").encode(
        x=alt.X("score:Q", title="Illustrative score (this book's device, not Wu's)",
                scale=alt.Scale(domain=[-3.5, 3.5])),
        tooltip=["role", "rank", "pattern", "score"])
    description = ("Wu's ranking of roles, best first: " + ", ".join(
        f"{r.rank}. {r.role} (in a {r.pattern}; illustrative score {r.score})"
        for r in table.itertuples()) + ". The score counts +1 for each friendly side of the "
        "actor and for enmity between the other two, -1 otherwise; it is this book's device "
        "to show why the ranking runs as it does, and ties are broken by Wu's order.")
    return bars.properties(
        title={"text": "Wu's (1996) ranking of the six roles, best first",
               "subtitle": "Score: this book's illustration (+1 per friendly side and for "
                           "enmity between the other two), not Wu's notation"},
        description=description, width=420, height=210)
