"""Self-check questions: the data, their answers, their place, their use.

- the data file validates, and broken copies fail with the file, line,
  question and field named;
- every answer that the data or a model can give is checked against it
  (``check`` in ``data/selfcheck.yml``): a triangle's pattern or a role
  against ``alliances.triangle`` over ``data/triangle_periods.csv``, a date
  against ``data/treaties.csv`` or ``data/events.csv``, a verdict against
  ``alliances.two_criteria`` over ``data/alignment_cases.csv``;
- at least six questions per chapter, each placed at the end of the section
  it names, in the built HTML;
- in a browser at 390 px, offline: in every chapter one question answered
  wrongly and then rightly, reading the feedback, by keyboard; the order
  widget announces moves; the answer shows without JavaScript.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from alliances import data, triangle as tri, two_criteria, vu
from alliances.queries import history
from alliances.data.selfcheck import (QUESTIONS_FILE, SelfCheckError, load_questions,
                                 normalise_answer, parse)
from conftest import CHROMIUM, HTML, ROOT, open_offline

QUESTIONS = load_questions()
CHAPTERS = ["triangles", "sino_soviet", "bloc_reactions", "korea_1961", "exceptions"]
PHONE = {"width": 390, "height": 844}


# ---------------------------------------------------------------------------
# The data file
# ---------------------------------------------------------------------------

def test_every_chapter_has_at_least_six_questions():
    counts = Counter(q.chapter for q in QUESTIONS)
    assert set(counts) == set(CHAPTERS), counts
    assert all(n >= 6 for n in counts.values()), counts
    assert {q.kind for q in QUESTIONS} == {"choice", "order", "text"}


def test_every_question_cites_a_source_or_a_reference():
    import yaml
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{(\w+),", bib))
    for q in QUESTIONS:
        assert re.search(r'\b00[034]\s+"', q.explanation) or q.references, q.id
        assert set(q.references) <= keys, (q.id, set(q.references) - keys)
    # every chapter named exists, and is in the table of contents
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    assert {f"book/{q.chapter}" for q in QUESTIONS} <= files


def _text(original: str, old: str, new: str, count: int = 1) -> str:
    assert old in original, old
    return original.replace(old, new, count)


ORIGINAL = QUESTIONS_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, expected", [
    ("  kind: choice\n", "  kind: choise\n", r"line \d+, question 'triangles-gp2-pattern', field 'kind'"),
    ("- id: triangles-role-ranking", "- id: triangles-gp2-pattern",
     r"question 'triangles-gp2-pattern', field 'id': duplicate id"),
    ("    - text: stable marriage\n      correct: true\n", "    - text: stable marriage\n",
     r"question 'triangles-gp2-pattern', field 'options': needs exactly one option"),
    ("  prompt: Put Wu's six roles", "  promt: Put Wu's six roles",
     r"question 'triangles-role-ranking'.*'prompt' is a required property"),
    ("  answers: [\"9\", nine]\n", "  answers: [\"9\", nine]\n  wrong:\n    - answers: [nine]\n"
                                   "      feedback: not this\n",
     r"question 'sino-soviet-nine-weeks', field 'wrong\[0\]': \['nine'\] is both accepted and wrong"),
    ("      feedback: >-\n        A ménage à trois has amity", "      note: >-\n        A ménage à trois has amity",
     r"field 'options\[0\]'.*Additional properties"),
])
def test_a_broken_copy_fails_naming_file_line_question_and_field(old, new, expected):
    with pytest.raises(SelfCheckError) as err:
        parse(_text(ORIGINAL, old, new), QUESTIONS_FILE)
    message = str(err.value)
    assert "selfcheck.yml" in message
    assert re.search(expected, message, flags=re.S), message


def test_an_explanation_that_cites_nothing_is_refused():
    broken = _text(ORIGINAL, '(000 "The lack of an ideological bond prevented\n    Beijing and '
                             'Washington from becoming full-fledged allies").', "(the op-ed).")
    with pytest.raises(SelfCheckError, match=r"triangles-two-criteria-us.*cites nothing"):
        parse(broken, QUESTIONS_FILE)


def test_typed_answers_are_compared_without_case_accents_or_punctuation():
    assert normalise_answer("  Ménage à Trois! ") == normalise_answer("menage a trois")
    assert normalise_answer("The pivot.") == "the pivot"
    assert normalise_answer("1977") == "1977"


# ---------------------------------------------------------------------------
# Each answer against the data or the model
# ---------------------------------------------------------------------------

def _period(pid: str) -> tri.Triangle:
    t = history.period_triangle(history.period_row(data.load_triangle_periods(), pid))
    assert t is not None, f"{pid}: a side is not amity or enmity"
    return t


def _date(value) -> str:
    return str(value).split("T")[0]


def expected(check: dict):
    """What the data or the model says the answer is."""
    kind = check["kind"]
    if kind == "pattern":
        return tri.pattern(_period(check["period"])).value
    if kind == "role":
        return tri.role(_period(check["period"]), check["actor"]).value
    if kind == "outcast":
        t = _period(check["period"])
        return [x for x, r in tri.roles(t).items() if r == tri.Role.OUTCAST][0]
    if kind == "role_ranking":
        return [r.value for r in tri.ROLE_RANKING]
    if kind == "balanced_patterns":
        return tuple(sorted({tri.pattern(tri.Triangle("A", "B", "C", *s)).value
                             for s in tri.all_sign_patterns()
                             if tri.is_balanced(tri.Triangle("A", "B", "C", *s))}))
    if kind == "sum_type":
        t = _period(check["period"]) if "period" in check else tri.Triangle("A", "B", "C", *check["sides"])
        value = vu.sum_type(t).value
        return value if "expect" not in check else (value, check["expect"])
    if kind == "two_criteria":
        case = data.load_alignment_cases().set_index("case_id").loc[check["case"]]
        return two_criteria.predict_alliance(case["shared_security"], case["shared_ideology"])
    if kind == "failed_criterion":
        case = data.load_alignment_cases().set_index("case_id").loc[check["case"]]
        failed = [c for c in ("shared_security", "shared_ideology") if case[c] == "no"]
        return failed[0] if len(failed) == 1 else "both"
    if kind == "rule_misfits":
        cases = two_criteria.classify(data.load_alignment_cases())
        return cases.loc[cases["rule_fits"] == False, "case_id"].tolist()  # noqa: E712
    if kind == "treaty":
        value = data.load_treaties().set_index("treaty_id").loc[check["id"], check["column"]]
        return str(int(value)) if isinstance(value, float) else str(value)
    if kind == "treaty_term":
        row = data.load_treaties().set_index("treaty_id").loc[check["id"]]
        return f"{int(row['term_years'])}+{int(row['renewal_years'])}"
    if kind == "span":
        return str(data.load_alliance_spans().set_index("span_id").loc[check["id"], check["column"]])
    if kind == "span_basis":
        spans = data.load_alliance_spans().set_index("span_id")
        return tuple(spans.loc[i, "basis"] for i in check["ids"])
    if kind == "event_date":
        return str(data.load_events().set_index("event_id").loc[check["id"], "date"])
    if kind == "days_between":
        t = data.load_treaties().set_index("treaty_id")
        return str((t.loc[check["then"], "signed_date"] - t.loc[check["first"], "signed_date"]).days)
    if kind == "order_events":
        return None  # see the order test below
    if kind == "two_koreas_role":
        rel = data.load_two_chinas_two_koreas()
        rel = rel[rel["period_id"] == check["period"]]
        a, b, c = check["actors"]

        def side(x, y):
            row = rel[((rel["a"] == x) & (rel["b"] == y)) | ((rel["a"] == y) & (rel["b"] == x))]
            assert len(row) == 1, (x, y)
            return row["relation"].iloc[0]
        t = tri.Triangle(a, b, c, side(a, b), side(a, c), side(b, c))
        return tri.role(t, check["actor"]).value
    raise AssertionError(f"unknown check {kind}")


CHECKED = [q for q in QUESTIONS if q.check]


def test_most_questions_are_checked_against_data_or_a_model():
    assert len(CHECKED) >= 20, len(CHECKED)
    assert {q.chapter for q in CHECKED} == set(CHAPTERS)


@pytest.mark.parametrize("q", CHECKED, ids=lambda q: q.id)
def test_answer_agrees_with_the_data_or_the_model(q):
    want = expected(q.check)
    if q.check["kind"] == "sum_type" and isinstance(want, tuple):
        value, claimed = want
        assert value == claimed
        want = value
    if q.kind == "choice":
        right = q.answer.value
        if q.check["kind"] == "sum_type" and "expect" in q.check:
            return  # the option states the switch in words; the model gave the type above
        if q.check["kind"] == "rule_misfits":
            assert [right] == want
            others = [o.value for o in q.options if not o.correct]
            assert not set(others) & set(want)
            return
        assert right == want, (q.id, right, want)
        assert all(o.value != want for o in q.options if not o.correct), q.id
    elif q.kind == "text":
        accepted = {normalise_answer(a) for a in q.answers}
        assert normalise_answer(str(want)) in accepted, (q.id, want, accepted)
        for answers, _ in q.wrong:
            assert normalise_answer(str(want)) not in {normalise_answer(a) for a in answers}
    elif q.kind == "order":
        if q.check["kind"] == "role_ranking":
            assert [ref for _, ref in q.items] == want
        else:
            events = data.load_events().set_index("event_id")
            dates = [events.loc[ref, "date_date"] for _, ref in q.items]
            assert all(pd.notna(d) for d in dates), q.id
            assert dates == sorted(dates) and len(set(dates)) == len(dates), (q.id, dates)


def test_every_order_item_names_a_row_of_the_data():
    events = set(data.load_events()["event_id"])
    for q in QUESTIONS:
        if q.kind == "order" and q.check.get("kind") == "order_events":
            assert {ref for _, ref in q.items} <= events, q.id


def test_a_shuffled_order_never_starts_right_and_is_the_same_every_build():
    for q in QUESTIONS:
        if q.kind == "order":
            first = q.shuffled_items()
            assert first != list(q.items) and sorted(first) == sorted(q.items)
            assert first == q.shuffled_items()


# ---------------------------------------------------------------------------
# In the built book
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book(built_book):
    assert built_book["returncode"] == 0, built_book["log"]
    return HTML


def blocks_of(page: Path) -> list[dict]:
    """Each self-check block of a built page: the heading of the section it sits in,
    whether nothing of that section comes after it, and the questions it holds. (The
    blocks are placed at build time, by a doctree transform: the HTML shows where.)"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
    found = []
    for aside in soup.select("aside.selfcheck"):
        parent = aside.parent
        section = parent if parent.name == "section" else parent.find_parent("section")
        heading = section.find(["h1", "h2", "h3"], recursive=False)
        others = [e for e in section.find_all(True, recursive=False)
                  if not (e.name == "aside" and "selfcheck" in e.get("class", []))]
        found.append({
            "heading": re.sub(r"^[\d.]+\s*", "", heading.get_text()).replace("#", "").strip(),
            # the section's last other child starts before the block (or holds it)
            "last": order[id(others[-1])] < order[id(aside)],
            "ids": [q["id"][3:] for q in aside.select(".selfcheck-q")]})
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_block_closes_the_section_it_names(book, chapter):
    blocks = blocks_of(HTML / "book" / f"{chapter}.html")
    mine = [q for q in QUESTIONS if q.chapter == chapter]
    placed = {qid: b["heading"] for b in blocks for qid in b["ids"]}
    assert set(placed) == {q.id for q in mine}
    from alliances.data.citations import normalise
    for q in mine:
        assert normalise(placed[q.id]) == normalise(q.section), (q.id, placed[q.id])
    assert all(b["last"] for b in blocks), blocks  # nothing of the section after the block


# ---------------------------------------------------------------------------
# In a browser: wrong, then right, by keyboard, at phone width, offline
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def phone(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport=PHONE, has_touch=True)
    yield context
    context.close()
    browser.close()


def _wrong_value(q) -> str:
    if q.kind == "text":
        return q.wrong[0][0][0] if q.wrong else "zzz"
    return ""


def answer_wrongly_then_rightly(page, q) -> tuple[str, str]:
    """Answer ``q`` wrongly, read the feedback, then rightly; by keyboard."""
    box = page.locator(f"[id='sc-{q.id}']")
    box.scroll_into_view_if_needed()
    feedback = box.locator(".selfcheck-feedback")
    check = box.get_by_role("button", name="Check answer")
    if q.kind == "choice":
        wrong = next(i for i, o in enumerate(q.options) if not o.correct)
        right = [o.correct for o in q.options].index(True)
        radios = box.get_by_role("radio")
        radios.nth(wrong).focus()
        page.keyboard.press("Space")
        expect(radios.nth(wrong)).to_be_checked()
        page.keyboard.press("Tab")
        expect(check).to_be_focused()
        page.keyboard.press("Enter")
        expect(feedback).to_contain_text("Not quite.")
        said_wrong = feedback.inner_text()
        radios.nth(wrong).focus()
        key = "ArrowDown" if right > wrong else "ArrowUp"
        for _ in range(abs(right - wrong)):
            page.keyboard.press(key)
        expect(radios.nth(right)).to_be_checked()
        check.focus()
        page.keyboard.press("Enter")
    elif q.kind == "text":
        field = box.get_by_role("textbox", name="Your answer")
        field.focus()
        page.keyboard.type(_wrong_value(q))
        page.keyboard.press("Enter")
        expect(feedback).to_contain_text("Not quite.")
        expect(field).to_have_attribute("aria-invalid", "true")
        said_wrong = feedback.inner_text()
        field.fill("")
        page.keyboard.type(q.answers[0].upper() + " ")
        page.keyboard.press("Enter")
    else:
        check.focus()
        page.keyboard.press("Enter")
        expect(feedback).to_contain_text("Not quite.")
        said_wrong = feedback.inner_text()
        assert re.search(r"\d of \d items are in the right place", said_wrong), said_wrong
        order = [ref for _, ref in q.items]
        for target, ref in enumerate(order):
            items = box.locator("ol.selfcheck-order > li")
            refs = [items.nth(i).get_attribute("data-ref") for i in range(items.count())]
            at = refs.index(ref)
            for step in range(at - target):
                up = box.locator(f"li[data-ref='{ref}'] button[data-move='-1']")
                up.focus()
                page.keyboard.press("Enter")
                expect(feedback).to_contain_text(f"is now number {at - step} of {len(order)}")
                expect(up).to_be_focused()
        check.focus()
        page.keyboard.press("Enter")
    expect(feedback).to_contain_text("Correct.")
    return said_wrong, feedback.inner_text()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_answer_wrongly_then_rightly_at_phone_width(book, phone, chapter):
    page, blocked, errors = open_offline(phone, HTML / "book" / f"{chapter}.html")
    try:
        mine = [q for q in QUESTIONS if q.chapter == chapter]
        kinds = {}
        for q in mine:
            kinds.setdefault(q.kind, q)
        # one of each kind the chapter has
        for q in kinds.values():
            wrong_text, right_text = answer_wrongly_then_rightly(page, q)
            # the feedback says why: the wrong option's reason, the right one's
            # explanation, each with the source passage where the data cite one
            if q.kind == "choice":
                reason = next(o for o in q.options if not o.correct).feedback
                assert _words(reason)[:6] == _words(wrong_text.split("Not quite.", 1)[1])[:6], q.id
            before_citation = _words(re.split(r'\(?\b00[034]\s+"', q.explanation)[0])[:5]
            assert before_citation == _words(right_text.split("Correct.", 1)[1])[:len(before_citation)], q.id
            for phrase in re.findall(r'\b00[034]\s+"([^"]+)"', q.explanation):
                assert " ".join(phrase.split()) in right_text.replace("\n", " ").replace(
                    "\u201c", '"').replace("\u201d", '"') or _quoted_before(q.explanation, phrase), \
                    (q.id, phrase)
            assert re.search(r"\((?:Kim|Vu|Op-ed|See )", right_text), (q.id, right_text)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert not blocked and not errors, (blocked, errors)
    finally:
        page.close()


def _words(text: str) -> list[str]:
    from alliances.data.citations import normalise
    return re.findall(r"[a-z0-9]+", normalise(text).lower())


def _quoted_before(text: str, phrase: str) -> bool:
    """The phrase stands quoted in the sentence itself (the citation then shows
    only the document's name)."""
    return f'"{phrase}' in " ".join(text.split())


def test_two_wrong_tries_offer_the_answer(book, phone):
    q = next(q for q in QUESTIONS if q.kind == "text")
    page, _, _ = open_offline(phone, HTML / "book" / f"{q.chapter}.html")
    try:
        box = page.locator(f"[id='sc-{q.id}']")
        reveal = box.locator("details.selfcheck-reveal")
        expect(reveal).to_be_hidden()
        field = box.get_by_role("textbox", name="Your answer")
        for attempt in ("zzz", "yyy"):
            field.fill(attempt)
            field.press("Enter")
        expect(reveal).to_be_visible()
        reveal.locator("summary").click()
        expect(reveal).to_contain_text(q.answers[0])
    finally:
        page.close()


def test_questions_and_answers_show_without_javascript(book, playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((HTML / "book" / "exceptions.html").as_uri())
        q = next(q for q in QUESTIONS if q.chapter == "exceptions")
        box = page.locator(f"[id='sc-{q.id}']")
        expect(box.locator("legend")).to_contain_text("Question 1.")
        expect(box.get_by_role("button", name="Check answer")).to_be_hidden()
        box.locator("details.selfcheck-reveal summary").click()
        expect(box.locator("details.selfcheck-reveal")).to_contain_text(q.answer.text.split()[0])
    finally:
        context.close()
        browser.close()


def test_the_script_normalises_typed_answers_as_python_does(book, browser):
    page, _, _ = open_offline(browser, HTML / "book" / "triangles.html")
    try:
        samples = ["  Ménage à Trois! ", "The PIVOT.", "1977", "Zhenbao-Island", "naïve  café"]
        source = (ROOT / "_static" / "selfcheck.js").read_text(encoding="utf-8")
        body = re.search(r"function normalise\(text\) \{(.*?)\n  \}", source, flags=re.S).group(1)
        js = page.evaluate(f"(samples) => samples.map(text => {{{body}}})", samples)
        assert js == [normalise_answer(s) for s in samples]
    finally:
        page.close()
