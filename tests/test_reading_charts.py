"""Charts and tables of the built book as readers get them (issue 14, done-when):
on every page at 390 x 844 and 1366 x 900, every chart is followed by its
description as text ("Describe this chart", beside the description the chart
carries as its aria label), no chapter prints monospace output, and every reader
table fits the screen without scrolling sideways.
"""
from __future__ import annotations

import json

import pytest

from conftest import HTML, built_pages, open_offline

PHONE, LAPTOP = (390, 844), (1366, 900)

READ = """() => {
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
  const W = document.documentElement.clientWidth;
  const items = [...document.querySelectorAll("div[id^='altair-viz-'], details.chart-description")];
  const charts = [];
  items.forEach((e, i) => {
    if (!e.matches("div[id^='altair-viz-']")) return;
    const svg = e.querySelector('svg');
    const next = items[i + 1];
    const described = next && next.matches('details.chart-description') ? next : null;
    // vega gives the chart's description to its container as its aria label
    charts.push({id: e.id, drawn: !!svg, aria: norm(e.getAttribute('aria-label')),
                 role: e.getAttribute('role'),
                 text: described ? norm([...described.querySelectorAll('p')].map(p => p.textContent).join(' ')) : null,
                 summary: described ? norm(described.querySelector('summary').textContent) : null});
  });
  const printed = [...document.querySelectorAll('div.cell_output div.output.stream pre, div.cell_output pre')]
    .map(p => p.textContent.slice(0, 60));
  const tables = [...document.querySelectorAll('table.reader-table')]
    .filter(t => t.getBoundingClientRect().right > W + 1).map(t => t.textContent.slice(0, 60));
  return {charts, printed, tables};
}"""


ALL_DRAWN = "() => [...document.querySelectorAll(\"div[id^='altair-viz-']\")].every(e => e.querySelector('svg'))"


def _read_drawn(browser, path, size, script: str):
    """Open ``path`` offline at ``size``, wait until every chart is drawn, run ``script``."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page, blocked, errors = open_offline(context, path)
    try:
        page.wait_for_function(ALL_DRAWN, timeout=30000)
        return page.evaluate(script), blocked, errors
    finally:
        context.close()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1366x900"])
def test_every_chart_is_described_in_text_and_no_output_is_printed(built_book, solo_browser, size):
    assert built_book["returncode"] == 0, built_book["log"]
    pages = [p for p in built_pages() if 'class="bd-article"' in p.read_text(encoding="utf-8")]
    problems, charts = {}, 0
    for path in pages:
        found, blocked, errors = _read_drawn(solo_browser, path, size, READ)
        name = path.relative_to(HTML).as_posix()
        # the prose may say more than the aria label (a list of cases, say),
        # but both are there, and the prose is the chart's next description block
        bad = [c for c in found["charts"]
               if not c["text"] or len(c["text"]) < 40 or c["summary"] != "Describe this chart"
               or not c["drawn"] or c["role"] != "graphics-document" or len(c["aria"]) < 40]
        if bad or found["printed"] or found["tables"] or blocked or errors:
            problems[name] = {"charts": bad[:3], "printed": found["printed"][:3],
                              "tables wider than the screen": found["tables"][:3],
                              "blocked": blocked[:3], "errors": errors[:3]}
        charts += len(found["charts"])
    assert charts >= 25, charts
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


READOUTS = """() => {
  const W = document.documentElement.clientWidth, H = window.innerHeight;
  return [...document.querySelectorAll("div[id^='altair-viz-']")]
    .filter(e => e.querySelector('.vega-bindings .vega-bind'))
    .map(e => {
      const controls = e.querySelector('.vega-bindings').getBoundingClientRect();
      const svg = e.querySelector('svg').getBoundingClientRect();
      // the model's reading: the lines that start "Pattern:", "Roles:" or "Sides:"
      const lines = [...e.querySelectorAll('svg text')]
        .filter(t => /^(Pattern|Roles|Sides):/.test(t.textContent))
        .map(t => t.getBoundingClientRect());
      return {id: e.id, controls_above: controls.bottom <= svg.top + 1,
              controls_left: controls.left, readout_lines: lines.length,
              readout_right: Math.max(0, ...lines.map(r => r.right)),
              readout_reach: Math.max(0, ...lines.map(r => r.bottom)) - controls.top, W, H};
    });
}"""


def test_interactive_readouts_stay_next_to_their_controls_on_a_phone(built_book, solo_browser):
    """On a phone the controls come first, and the model's reading they change is
    in the column (not off to the right) within one screen of them: choosing a
    side or a period visibly changes something."""
    assert built_book["returncode"] == 0, built_book["log"]
    found, blocked, errors = _read_drawn(solo_browser, HTML / "book" / "triangles.html", PHONE, READOUTS)
    with_readout = [c for c in found if c["readout_lines"]]
    assert len(with_readout) >= 2, found  # the explorer and the history player
    for c in with_readout:
        assert c["controls_above"], c
        assert 0 <= c["controls_left"] < c["W"], c
        assert c["readout_right"] <= c["W"], c
        assert c["readout_reach"] <= c["H"], c
    assert not blocked and not errors, (blocked, errors)
