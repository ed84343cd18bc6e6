"""Accessibility of the built book: an axe-core audit of every page (axe from
npm, injected by Playwright), text alternatives for every chart, and labelled
controls."""
from __future__ import annotations

import json

import pytest

from conftest import BUILD, HTML, ROOT, built_pages, open_offline

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]


def test_axe_finds_no_serious_or_critical_violation(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    blocking, moderate = {}, {}
    for path in built_pages():
        page, _, _ = open_offline(browser, path)
        page.wait_for_timeout(1500)  # let charts, widgets and _static/a11y-fixes.js finish
        name = path.relative_to(HTML).as_posix()
        for v in audit(page):
            (blocking if v["impact"] in BLOCKING else moderate).setdefault(name, []).append(v)
        page.close()
    (BUILD / "axe-report.json").write_text(json.dumps({"blocking": blocking, "moderate": moderate}, indent=1))
    assert not blocking, json.dumps(blocking, indent=1)[:4000]


def test_every_chart_has_a_title_and_a_description(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    missing = []
    for path in built_pages():
        page, _, _ = open_offline(browser, path)
        for chart in page.locator("div[id^='altair-viz-'] svg[role='graphics-document']").all():
            label = chart.get_attribute("aria-label") or ""
            if len(label) < 20:
                missing.append((path.name, label))
        page.close()
    assert not missing, missing


def test_every_bound_control_has_a_label(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    unlabelled = []
    for path in built_pages():
        page, _, _ = open_offline(browser, path)
        for control in page.locator(".vega-bindings select, .vega-bindings input").all():
            label = control.evaluate(
                "e => (e.closest('label') || e.closest('.vega-bind') || e).innerText.trim()")
            if not label:
                unlabelled.append(path.name)
        page.close()
    assert not unlabelled, unlabelled
