"""Vu's triangular theory (003) and the op-ed's two-criteria rule (000)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from alliances import data, two_criteria, vu
from alliances.data.citations import missing_phrases
from alliances.model.triangle import AMITY, ENMITY, Triangle, all_sign_patterns

A, E = AMITY, ENMITY


@pytest.mark.parametrize("sides", all_sign_patterns())
def test_sum_type_of_every_sign_pattern(sides):
    t = Triangle("A", "B", "C", *sides)
    ab, ac, bc = sides
    want = (vu.SumType.ZERO if ab == E else
            vu.SumType.POSITIVE if (ac, bc) == (A, A) else vu.SumType.OUTSIDE)
    assert vu.sum_type(t) is want


@given(st.sampled_from(all_sign_patterns()), st.sampled_from(vu.D_THREAT_LEVELS))
def test_the_threat_d_alone_changes_no_prediction(sides, level):
    t = Triangle("A", "B", "C", *sides)
    strip = lambda ps: [p for p in ps if p.rule != "R8"]  # noqa: E731
    assert strip(vu.predict(t, level)) == strip(vu.predict(t, "constant"))


def test_zero_sum_tug_of_war_predicts_treaties_wedge_and_binding():
    t = Triangle("PRC", "USSR", "DPRK", E, A, A)
    preds = vu.predict(t)
    assert {p.strategy for p in preds} >= {"wedge", "binding"}
    wedge = next(p for p in preds if p.strategy == "wedge")
    assert (wedge.actor, wedge.target) == ("PRC", "DPRK")
    assert any(p.rule == "R4" and "without" in p.text for p in preds)


def test_positive_sum_predicts_restraint_and_no_treaty():
    preds = vu.predict(Triangle("PRC", "USSR", "DPRK", A, A, A))
    assert [p.strategy for p in preds if p.kind == "treaty"] == ["none"]
    assert any(p.strategy == "restraint" for p in preds)


def test_every_prediction_cites_a_real_passage():
    for sides in all_sign_patterns():
        for p in vu.predict(Triangle("A", "B", "C", *sides)):
            assert p.source and not missing_phrases(p.source), p


def test_unknown_threat_level_is_refused():
    with pytest.raises(ValueError, match="d_threat"):
        vu.predict(Triangle("A", "B", "C", A, A, A), "huge")


def _periods(triangle_id):
    frame = data.load_triangle_periods()
    return frame[frame["triangle_id"] == triangle_id]


def _model_label(row):
    if not all(row[s] in (A, E) for s in ("ab", "ac", "bc")):
        return None
    return vu.sum_type(Triangle(row["a"], row["b"], row["c"], row["ab"], row["ac"], row["bc"])).value


def test_korean_triangle_positive_sum_to_1956_then_zero_sum():
    kor = _periods("KOR")
    early = kor[(kor["start_date"].dt.year >= 1948) & (kor["end_date"].dt.year <= 1956)]
    late = kor[(kor["start_date"].dt.year >= 1956) & (kor["end_date"].dt.year <= 1969)]
    assert len(early) >= 2 and len(late) >= 2
    assert {_model_label(r) for _, r in early.iterrows()} == {"positive-sum"}
    assert {_model_label(r) for _, r in late.iterrows()} == {"zero-sum"}


def test_model_agrees_with_every_label_a_source_states():
    frame = data.load_triangle_periods()
    labelled = frame[frame["source_label"].notna() & (frame["label_basis"] == "stated")]
    assert len(labelled) >= 5
    for _, row in labelled.iterrows():
        model = _model_label(row)
        if model is not None:
            assert model == row["source_label"], row["period_id"]


@pytest.mark.parametrize("security,ideology,want", [
    ("yes", "yes", "yes"), ("yes", "no", "no"), ("no", "yes", "no"), ("no", "no", "no"),
    ("yes", "unclear", "undecided"), ("unclear", "no", "no"), ("unclear", "unclear", "undecided"),
])
def test_two_criteria_rule(security, ideology, want):
    assert two_criteria.predict_alliance(security, ideology) == want
    assert two_criteria.explain(security, ideology)


def test_two_criteria_cases_mostly_fit_and_deviant_cases_are_alliances():
    cases = two_criteria.classify(data.load_alignment_cases())
    decided = cases[cases["predicted"] != "undecided"]
    assert decided["rule_fits"].mean() > 0.8
    deviant = cases[cases["deviant"] == "yes"]
    assert set(deviant["allied"]) == {"yes"} and len(deviant) == 2
