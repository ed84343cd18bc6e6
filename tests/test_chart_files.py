"""Chart files (alliances.sphinxext, "Chart files"): the specs a page draws
move out of its HTML, their data without the columns no part of a spec reads,
packed by columns and stored once; _static/chart-loader.js puts them back.

These tests need no built book: they compile small Altair charts the way the
build does, and draw them in the browser from a page of their own.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from alliances.charts.rendering import setup_notebook
from alliances.sphinxext import (chart_file, chart_payload, compile_spec, extract_charts,
                                 pack_rows, read_chart_file, referenced_fields, unpack_rows)
from conftest import ROOT, open_offline

ROWS = [
    {"name": "Treaty A", "year": 1950, "note": "signed at the summit", "unused": "x" * 40,
     "calc": 2, "parsed": "1950-02-14"},
    {"name": "Treaty B", "year": 1961, "note": "renewed twice", "unused": "y" * 40,
     "calc": 3, "parsed": "1961-07-11"},
]


def _html(chart: alt.Chart) -> str:
    """The HTML output a chapter's notebook saves for ``chart``."""
    setup_notebook()
    return chart._repr_mimebundle_()["text/html"]


def _charts(*charts: alt.Chart) -> list[dict]:
    """Charts as the build sees them: the saved output, split and compiled."""
    found = []
    for chart in charts:
        _, [one] = extract_charts(_html(chart))
        one["spec"], one["options"] = compile_spec(one["spec"], one["options"])
        found.append(one)
    return found


def _bar(rows=ROWS, tooltip=("note",)) -> alt.Chart:
    """A bar per row; ``tooltip="data"``: a tooltip of every field of the row."""
    every = tooltip == "data"
    mark = alt.Chart(pd.DataFrame(rows)).mark_bar(**({"tooltip": {"content": "data"}} if every else {}))
    channels = {} if every else {"tooltip": list(tooltip)}
    return (mark.transform_calculate(double="datum.calc * 2")
            .encode(x="year:O", y="double:Q", color="name:N", **channels))


def _tables(payload: dict) -> list[dict]:
    return list(payload["datasets"].values())


def _columns(table) -> list[str]:
    return table["columns"] if isinstance(table, dict) else list(table[0])


def test_a_referenced_field_is_kept_and_an_unreferenced_one_dropped():
    payload = chart_payload(_charts(_bar()))
    [table] = _tables(payload)
    columns = _columns(table)
    # encoded (x, color), in a tooltip, read by an expression (datum.calc)
    assert {"name", "year", "note", "calc"} <= set(columns), columns
    assert "unused" not in columns and "parsed" not in columns, columns


def test_a_tooltip_of_every_field_keeps_every_column():
    payload = chart_payload(_charts(_bar(tooltip="data")))
    [table] = _tables(payload)
    assert set(_columns(table)) == set(ROWS[0]), _columns(table)


def test_fields_named_only_in_expressions_paths_or_lookups_are_kept():
    spec = {"data": [{"name": "src", "values": [{"a": 1}]},
                     {"name": "d", "source": "src", "transform": [
                         {"type": "formula", "expr": "datum['quoted'] + datum.dotted", "as": "s"},
                         {"type": "lookup", "from": "src", "key": "k", "fields": ["k"],
                          "values": ["looked_up"]}]}],
            "marks": [{"encode": {"update": {"x": {"field": "nested.inner"}}}}],
            "title": {"text": "plain title naming title_only"}}
    names = referenced_fields(spec)
    assert {"quoted", "dotted", "looked_up", "nested", "inner", "k"} <= names
    assert "title_only" not in names  # a plain title cannot read a field
    assert referenced_fields({"marks": [{"encode": {"update": {
        "tooltip": {"signal": "datum"}}}}]}) is None


def test_a_dataset_shared_by_two_charts_is_stored_once():
    payload = chart_payload(_charts(_bar(), _bar()))
    assert len(payload["charts"]) == 2 and len(payload["datasets"]) == 1
    keys = {fill[1] for chart in payload["charts"] for fill in chart["fill"]}
    assert keys == set(payload["datasets"])


def test_the_build_takes_the_chart_scripts_out_and_keeps_the_placeholder():
    html = _html(_bar())
    kept, [chart] = extract_charts(html)
    assert "<script" not in kept and "vegaEmbed" not in kept
    assert f'<div id="{chart["id"]}"></div>' in kept
    assert chart["spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def _page(tmp_path, payload: dict, extra: str = "") -> "Path":
    """A page that loads vega, vega-embed, the book's chart loader and a chart file."""
    vendor = ROOT / "node_modules"
    ids = [c["id"] for c in payload["charts"]]
    (tmp_path / "charts.js").write_text(chart_file("test", payload), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head>"
        f'<script src="{(vendor / "vega/build/vega.min.js").as_uri()}"></script>'
        f'<script src="{(vendor / "vega-embed/build/vega-embed.min.js").as_uri()}"></script>'
        f'<script defer src="{(ROOT / "_static/chart-loader.js").as_uri()}"></script>'
        f'<script defer src="charts.js"></script>{extra}'
        "</head><body>" + "".join(f'<div id="{i}"></div>' for i in ids) + "</body></html>",
        encoding="utf-8")
    return page


def test_a_pruned_chart_still_renders_with_what_it_shows(tmp_path, browser):
    payload = chart_payload(_charts(_bar(), _bar(tooltip=("note", "name"))))
    page, blocked, errors = open_offline(browser, _page(tmp_path, payload))
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll(\"div[id^='altair-viz-']\")]"
            ".every(e => e.querySelector('svg'))", timeout=20000)
        bars = page.evaluate("() => [...document.querySelectorAll('svg')].map(s => "
                             "[...s.querySelectorAll('path[aria-roledescription=bar]')]"
                             ".map(p => p.getAttribute('aria-label')))")
    finally:
        page.close()
    assert not blocked and not errors, (blocked, errors)
    assert [len(b) for b in bars] == [2, 2], bars
    # each bar still carries the fields its chart reads: the tooltip's note,
    # and the calculated value built from a column only an expression names
    assert any("signed at the summit" in label and "double: 4" in label for label in bars[0]), bars
    assert any("Treaty B" in label for label in bars[1]), bars


@pytest.mark.parametrize("rows", [
    ROWS,
    [{"a": None, "b": "same"}, {"a": 1.5, "b": "same"}, {"a": True, "b": "other"}],
    [{"a": 1}, {"b": 2}],  # different columns: stored as rows
    [{"s": "x"}],
], ids=["strings-and-numbers", "nulls-and-repeats", "ragged", "one-row"])
def test_the_loader_unpacks_exactly_the_rows_packed(tmp_path, browser, rows):
    page, blocked, errors = open_offline(browser, _page(tmp_path, {"datasets": {}, "charts": []}))
    try:
        page.wait_for_function("() => !!window.allianceCharts")
        back = page.evaluate("t => allianceCharts.rowsOf(t)", json.loads(json.dumps(pack_rows(rows))))
    finally:
        page.close()
    assert back == rows
    assert not blocked and not errors, (blocked, errors)


@pytest.mark.parametrize("rows", [
    ROWS,
    [{"a": None, "b": "same"}, {"a": 1.5, "b": "same"}, {"a": True, "b": "other"}],
    [{"a": 1}, {"b": 2}],
], ids=["strings-and-numbers", "nulls-and-repeats", "ragged"])
def test_python_unpacks_exactly_the_rows_packed(rows):
    assert unpack_rows(json.loads(json.dumps(pack_rows(rows)))) == rows


def test_a_chart_file_read_back_gives_each_chart_its_spec_and_rows(tmp_path):
    """What the PDF edition reads (:func:`read_chart_file`) is the spec the build
    compiled, rows included, for each placeholder id."""
    charts = _charts(_bar(), _bar(tooltip=("name",)))
    path = tmp_path / "page.js"
    path.write_text(chart_file("book/page", chart_payload(charts, prune=False)), encoding="utf-8")
    back = read_chart_file(path)
    assert list(back) == [c["id"] for c in charts]
    for chart in charts:
        spec, mode = back[chart["id"]]
        assert mode == "vega" and spec == chart["spec"]
