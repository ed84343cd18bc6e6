"""The chart bugs of issue 14, one test each, and the reader's tables and
descriptions that replace printed output in the chapters.

- the history player names each period by its years, offers every triangle
  exactly its own periods, and never shows one under a wrong number;
- numbers compared in one panel share one scale; a percentage is drawn out
  of 100; a lone figure is a number, not a bar that fills the panel;
- the casualty chart stacks parts into totals and never draws a total beside
  its own parts;
- every relation value of the data's vocabulary has a style of its own;
- the timeline's "End date given" key shows the bar the chart draws;
- no chart title shows a file path, and a chart dated to Beijing's 1964
  statements shows only figures from them;
- chapters print nothing: tables are reader tables, descriptions are prose.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from alliances import data
from alliances.charts import reading
from alliances.charts import sino_soviet as ss
from alliances.charts import triangle as tc
from alliances.charts import triangle_explorer as te
from alliances.data.vocabulary import PERIOD_TRIANGLES, RELATION_VALUES
from alliances.queries import history
from alliances.queries import quantities as qq
from alliances.widgets.triangles import HistoryPlayer

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p for p in (ROOT / "book").glob("*.ipynb"))
PERIODS = history.periods(data.load_triangle_periods())
NAMES = data.load_actor_names()
QUANTITIES = data.load_quantities()
YEAR = re.compile(r"\b(1[89]|20)\d\d(s\b|\b)")


def walk(spec):
    """Every dict in a Vega-Lite spec, depth first."""
    if isinstance(spec, dict):
        yield spec
        for v in spec.values():
            yield from walk(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from walk(v)


# --------------------------------------------------------------------------
# The history player
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def player_spec():
    return te.history_chart(PERIODS, data.load_events(), data.load_treaties(), NAMES).to_dict()


def test_history_menu_offers_each_triangle_exactly_its_own_periods_by_year(player_spec):
    (param,) = player_spec["params"]
    options, labels = param["bind"]["options"], param["bind"]["labels"]
    assert param["bind"]["input"] == "select" and len(options) == len(set(options)) == len(PERIODS)
    by_id = PERIODS.set_index("period_id")
    counts = PERIODS.groupby("triangle_id").size()
    assert sorted(counts) == [1, 6, 7, 11]  # issue 14: the four triangles' period counts
    for triangle in PERIOD_TRIANGLES:
        mine = [(o, lab) for o, lab in zip(options, labels) if by_id.loc[o, "triangle_id"] == triangle]
        assert len(mine) == counts[triangle], triangle
        orders = [int(by_id.loc[o, "order"]) for o, _ in mine]
        assert orders == list(range(1, counts[triangle] + 1)), (triangle, orders)
        for (option, label), order in zip(mine, orders):
            assert YEAR.search(label), label  # years, not a bare number
            assert label.endswith(f"({order} of {counts[triangle]})"), label
            assert by_id.loc[option, "label"] in label
    # every panel shows exactly the period chosen: no "last period" fallback
    filters = {f["filter"] for d in walk(player_spec) for f in d.get("transform", []) if "filter" in f}
    assert filters == {f"datum.period_id == {te.HISTORY_PARAM}"}, filters


def test_live_player_slider_runs_over_the_triangle_and_names_years():
    player = HistoryPlayer(PERIODS, data.load_events(), data.load_treaties(), NAMES, "KOR")
    for triangle in PERIOD_TRIANGLES:
        player.set_triangle(triangle)
        rows = PERIODS[PERIODS["triangle_id"] == triangle].sort_values("order")
        assert player.slider.max == len(rows) and not player.slider.readout
        for step, row in enumerate(rows.itertuples(), start=1):
            player.set_step(step)
            assert player.period_label.value == te.period_label(triangle, row.label, step, len(rows))
            assert YEAR.search(player.period_label.value)
        with pytest.raises(ValueError):
            player.set_step(len(rows) + 1)


# --------------------------------------------------------------------------
# Quantities: one scale where numbers are compared
# --------------------------------------------------------------------------

def _panels(spec):
    """(unit, x scale domain or None, has a bar) for each panel of a quantities chart."""
    out = []
    for panel in spec["vconcat"]:
        filters = {json.dumps(t["filter"]) for d in walk(panel) for t in d.get("transform", [])
                   if "filter" in t}
        (unit,) = {re.search(r"datum\.unit === '([^']+)'", f).group(1) for f in filters}
        marks = [d["mark"] for d in walk(panel) if "mark" in d]
        has_bar = any((m if isinstance(m, str) else m.get("type")) == "bar" for m in marks)
        domains = [d["encoding"]["x"]["scale"]["domain"] for d in walk(panel)
                   if isinstance(d.get("encoding", {}).get("x"), dict) and "scale" in d["encoding"]["x"]]
        assert len({json.dumps(x) for x in domains}) <= 1, (unit, domains)
        out.append((unit, domains[0] if domains else None, has_bar))
    return out


@pytest.mark.parametrize("topic", ["1950 package", "golden age aid and trade", "1960 withdrawal",
                                   "Korean War costs"])
def test_no_bar_is_drawn_on_a_scale_of_its_own(topic):
    rows = ss.topic_quantities(QUANTITIES, topic)
    panels = _panels(ss.quantities_chart(rows, topic).to_dict())
    assert [u for u, _, _ in panels] == list(dict.fromkeys(rows["unit"]))
    for unit, domain, has_bar in panels:
        values = rows.loc[rows["unit"] == unit, "value"]
        if unit == ss.PERCENT:
            assert has_bar and domain == [0, 100], (topic, unit, domain)
        elif len(values) == 1:
            assert not has_bar and domain is None, (topic, unit)  # a lone figure: a number
        else:
            assert has_bar and domain[0] == 0 and domain[1] >= values.max(), (topic, unit, domain)


def test_the_1950_package_no_longer_fills_every_panel():
    """Issue 14: "5 years", "1 percent" and "50 percent" all filled the width."""
    rows = ss.topic_quantities(QUANTITIES, "1950 package")
    full = []
    for unit, domain, has_bar in _panels(ss.quantities_chart(rows, "t").to_dict()):
        if has_bar:
            full += [unit for v in rows.loc[rows["unit"] == unit, "value"] if v >= domain[1] * 0.95]
    assert "percent" not in full and "years" not in full, full


# --------------------------------------------------------------------------
# Casualties: parts stacked, totals apart
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def casualties():
    rows = ss.topic_quantities(QUANTITIES, "Korean War costs", unit="persons")
    parts, totals = qq.casualty_parts(rows), qq.casualty_totals(rows)
    return rows, parts, totals, ss.casualties_chart(parts, totals, "t").to_dict()


def test_casualty_chart_never_draws_a_total_beside_its_parts(casualties):
    rows, parts, totals, spec = casualties
    nations, wide = spec["vconcat"]
    stacked = list({r["quantity_id"]: r for rows_ in spec["datasets"].values() for r in rows_
                    if "part" in r}.values())
    drawn_totals = {b.total for b in qq.CASUALTY_BREAKDOWNS if b.parts != (b.total,)}
    assert stacked and not {r["quantity_id"] for r in stacked} & (drawn_totals | set(qq.CASUALTY_WIDE_TOTALS))
    by_id = rows.set_index("quantity_id")["value"]
    for b in qq.CASUALTY_BREAKDOWNS:
        mine = [r for r in stacked if r["group"] == b.group]
        assert sum(r["value"] for r in mine) == pytest.approx(by_id[b.total]), b.group
        assert mine[-1]["end"] == pytest.approx(by_id[b.total])  # the stack ends at the total
    # every casualty row is drawn once: as a part, inside a part's note, or as a wide total
    within = {w for b in qq.CASUALTY_BREAKDOWNS for w in b.within}
    assert set(by_id.index) == {r["quantity_id"] for r in stacked} | set(totals["quantity_id"]) \
        | within | drawn_totals
    # the two panels share one scale
    domains = [d["encoding"]["x"]["scale"]["domain"] for d in walk(spec)
               if isinstance(d.get("encoding", {}).get("x"), dict) and "scale" in d["encoding"]["x"]]
    assert len({json.dumps(d) for d in domains}) == 1 and domains[0][1] >= by_id.max()


def test_casualty_labels_keep_the_source_hedges(casualties):
    _, parts, totals, _ = casualties
    assert parts.loc[parts["total_id"] == "Q24", "total_label"].iloc[0].startswith("over ")
    assert all(label.startswith("about ") for label in totals["label"])


def test_parts_that_do_not_add_up_are_an_error():
    rows = ss.topic_quantities(QUANTITIES, "Korean War costs", unit="persons")
    rows.loc[rows["quantity_id"] == "Q19", "value"] += 1
    with pytest.raises(ValueError, match="Q17"):
        qq.casualty_parts(rows)


# --------------------------------------------------------------------------
# Relations: a style for every value
# --------------------------------------------------------------------------

def test_every_relation_value_has_a_style_of_its_own():
    values = [*RELATION_VALUES, tc.UNKNOWN]
    assert set(values) == set(tc.RELATION_STYLES) == set(tc.RELATION_ORDER)
    colours = [tc.RELATION_STYLES[v][0] for v in values]
    dashes = [json.dumps(tc.RELATION_STYLES[v][1]) for v in values]
    assert len(set(colours)) == len(values), colours
    assert len(set(dashes)) == len(values), dashes
    # "mixed" and "neutral" (drawn alike in issue 14) differ in colour and dash
    assert tc.RELATION_STYLES["mixed"][:2] != tc.RELATION_STYLES["neutral"][:2]
    key = tc.relation_key()
    assert all(v in key for v in values)


def test_diagrams_use_the_shared_relation_scales():
    diagram = tc.sides_diagram(("PRC", "USSR", "DPRK"), {"ab": "mixed", "ac": "neutral", "bc": None},
                               names=NAMES).to_dict()
    scales = [d["scale"] for d in walk(diagram) if d.get("field") == "relation" and "scale" in d]
    assert scales and all(s["domain"] == list(tc.RELATION_ORDER) for s in scales)
    ranges = {json.dumps(s["range"]) for s in scales}
    assert ranges <= {json.dumps(list(tc.RELATION_COLOUR)), json.dumps([list(d) for d in tc.RELATION_DASH])}


# --------------------------------------------------------------------------
# The timeline's key, and titles
# --------------------------------------------------------------------------

def test_end_date_key_shows_the_bar_the_timeline_draws():
    spec = te.timeline_chart(PERIODS, data.load_events(), data.load_treaties()).to_dict()
    (bars,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    legend = bars["encoding"]["opacity"]["legend"]
    assert bars["encoding"]["opacity"]["title"] == "End date given"
    assert legend["symbolType"] == te.BAR_SYMBOL == bars["encoding"]["color"]["legend"]["symbolType"]
    assert legend["symbolFillColor"] in te.PATTERN_COLOURS  # a colour the bars use, not black
    assert bars["encoding"]["opacity"]["scale"]["domain"] == list(te.END_GIVEN)


def chapter_specs():
    """(notebook, spec) for every chart saved in the chapters' outputs."""
    from alliances.sphinxext import _ALTAIR_CALL  # where Altair's HTML passes its spec
    decoder = json.JSONDecoder()
    for nb in CHAPTERS:
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                page = "".join(out.get("data", {}).get("text/html", ""))
                for call in _ALTAIR_CALL.finditer(page):
                    yield nb.stem, decoder.raw_decode(page, call.end())[0]


def _titles(spec):
    for d in walk(spec):
        title = d.get("title")
        if isinstance(title, dict):
            title = title.get("text")
        if isinstance(title, list):
            title = " ".join(title)
        if isinstance(title, str):
            yield title


def test_no_chart_title_shows_a_file_path():
    specs = list(chapter_specs())
    assert len(specs) >= 20
    for name, spec in specs:
        for title in _titles(spec):
            assert not re.search(r"\.(csv|py|ipynb|txt)\b|\bdata/|alliances\.", title), (name, title)


def test_charts_dated_to_beijings_1964_statements_show_only_its_figures():
    """Kim's own $10 billion (Q28) is not part of Beijing's 1964 statements (issue 16)."""
    by_id = QUANTITIES.set_index("quantity_id")
    seen = 0
    for name, spec in chapter_specs():
        title = spec.get("title", "")
        title = title.get("text", "") if isinstance(title, dict) else title
        if name != "sino_soviet" or "1964" not in str(title):
            continue
        ids = {r["quantity_id"] for rows in spec.get("datasets", {}).values() for r in rows
               if "quantity_id" in r}
        assert ids, title
        for q in ids:
            note = str(by_id.loc[q, "note"])
            assert "Beijing" in note and "1964" in note and "not among" not in note, (title, q, note)
        seen += 1
    assert seen >= 2


# --------------------------------------------------------------------------
# Reader tables and descriptions
# --------------------------------------------------------------------------

def test_reader_table_has_human_headers_no_index_and_nothing_cut():
    long = "x" * 400
    frame = data.load_disputes().set_index("dispute_id").head(3).assign(comment=long)
    shown = reading.table(frame, ["dispute_id", "reading_a", "comment"])
    assert shown.headers == ["Dispute", "One reading", "Comment"]
    assert [row[0] for row in shown.rows] == list(frame.index)
    html = shown._repr_html_()
    assert long in html and "..." not in html and "<th>0</th>" not in html
    assert "_" not in "".join(reading.header(c) for c in frame.columns)
    listed = reading.table(frame.reset_index().assign(reading_a=[["a", "b"], None, True]))
    assert [r[list(listed.frame.columns).index("reading_a")] for r in listed.rows] == \
        ["a; b", reading.NOT_STATED, "yes"]


def test_description_is_prose_from_the_chart():
    chart = tc.patterns_chart()
    shown = reading.describe(chart)
    assert shown.text == " ".join(chart.to_dict()["description"].split())
    assert shown._repr_html_().startswith('<details class="chart-description"><summary>Describe this chart')
    with pytest.raises(ValueError):
        reading.describe(tc.patterns_chart().properties(description=""))


def _outputs(cell):
    return cell.get("outputs", [])


@pytest.mark.parametrize("nb", [p for p in CHAPTERS], ids=lambda p: p.stem)
def test_chapters_print_nothing_and_describe_every_chart(nb):
    cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in cells for o in _outputs(c)]
    printed = [o for o in outputs if o["output_type"] == "stream"]
    assert not printed, [("".join(o["text"]))[:80] for o in printed]
    raw = [o for o in outputs if 'class="dataframe' in "".join(o.get("data", {}).get("text/html", ""))]
    assert not raw, "a DataFrame is shown raw: use alliances.charts.reading.table"
    charts = 0
    for i, cell in enumerate(cells):
        htmls = ["".join(o.get("data", {}).get("text/html", "")) for o in _outputs(cell)]
        if not any("vegaEmbed(" in h for h in htmls):
            continue
        charts += 1
        after = htmls + ["".join(o.get("data", {}).get("text/html", ""))
                         for o in (_outputs(cells[i + 1]) if i + 1 < len(cells) else [])]
        assert any('class="chart-description"' in h for h in after), \
            f"{nb.stem}: chart in code cell {i} has no 'Describe this chart' beside it"
    assert charts >= 2
