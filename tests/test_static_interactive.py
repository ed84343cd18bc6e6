"""Kernel-free interactive figures in the built book, offline in a browser.

The triangle explorer, the history player and the phase menu must show what
the model says for the state a reader picks. (Every other control:
``test_accessibility.py``; every page at laptop and phone width, and its
screenshots: ``test_pages.py``.)

Every check waits on a condition (Playwright's ``expect``, or the chart's
SVG changing), never for a fixed time.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alliances import data
from alliances.charts.triangle_explorer import role_line
from alliances.model import triangle as tri
from alliances.model import vu
from alliances.model.phases import PHASES
from alliances.model.presets import DEFAULT, preset_triangle
from alliances.queries import history
from conftest import HTML, open_offline, settle

NAMES = data.load_actor_names()
PERIODS = history.periods(data.load_triangle_periods())


def svg_text(page, text: str):
    """The SVG text marks that read exactly ``text``."""
    return page.locator("svg text").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def expect_shown(page, text: str) -> None:
    expect(svg_text(page, text).first).to_be_visible()


@pytest.fixture
def triangles_page(built_book, browser):
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "triangles.html")
    settle(page)
    yield page
    assert not blocked and not errors, (blocked, errors)
    page.close()


def _expected(preset: str, ab: str, ac: str, bc: str) -> tuple[str, str, list[str]]:
    t = preset_triangle(preset, ab, ac, bc)
    reading = tri.read(t)
    pattern_line = f"Pattern: {reading.pattern.value} ({tri.PATTERN_AUTHOR[reading.pattern]})"
    return pattern_line, role_line(t, NAMES), [p.text for p in vu.predict(t)]


def test_static_explorer_follows_the_model_for_each_side(triangles_page):
    page = triangles_page
    state = dict(zip(("preset", "ab", "ac", "bc"), DEFAULT))
    for side in ("ab", "ac", "bc", "ab"):
        state[side] = tri.ENMITY if state[side] == tri.AMITY else tri.AMITY
        page.check(f"input[type='radio'][name='side_{side}'][value='{state[side]}']")
        pattern_line, roles, predictions = _expected(**state)
        expect_shown(page, pattern_line)
        expect_shown(page, roles)
        for text in predictions:
            expect(page.get_by_label(text, exact=True).first).to_be_attached()


def test_static_explorer_preset_and_keyboard(triangles_page):
    page = triangles_page
    page.select_option("select[name='preset']", "US/PRC/USSR")
    expect_shown(page, _expected("US/PRC/USSR", *DEFAULT[1:])[1])
    # Keyboard: focus the A-B radio group and move with an arrow key.
    checked = page.locator("input[type='radio'][name='side_ab']:checked")
    before = checked.input_value()
    checked.focus()
    page.keyboard.press("ArrowRight")
    expect(checked).not_to_have_value(before)
    state = dict(zip(("ab", "ac", "bc"), DEFAULT[1:]), ab=checked.input_value())
    expect_shown(page, _expected("US/PRC/USSR", **state)[1])


def test_history_player_moves_to_a_later_period(triangles_page):
    page = triangles_page
    for triangle_id in ("KOR", "VN"):
        rows = PERIODS[PERIODS["triangle_id"] == triangle_id].sort_values("order")
        later = rows.iloc[len(rows) // 2]
        page.select_option("select[name='period']", later["period_id"])
        expect_shown(page, f"{later['period_id']}: {later['label']}")
        reading = history.period_reading(later)
        if reading.reading:
            model = page.locator("svg text").filter(has_text=re.compile(
                f"^Model: {re.escape(reading.reading.pattern.value)}"))
            expect(model.first).to_be_visible()


def test_phase_menu_names_the_phase_shown(built_book, browser):
    """The Sino-Soviet phase explorer says in its title which phase it shows."""
    assert built_book["returncode"] == 0, built_book["log"]
    page, blocked, errors = open_offline(browser, HTML / "book" / "sino_soviet.html")
    settle(page)
    menu = "select[name='phase']"
    expect_shown(page, "Explore the alliance by phase. Shown: All phases")
    for phase in PHASES:
        page.select_option(menu, phase.phase_id)
        expect_shown(page, f"Explore the alliance by phase. Shown: {phase.label}")
    assert not blocked and not errors, (blocked, errors)
    page.close()
