"""The strategic-triangle model: all eight sign patterns, relabelling
invariance, balance and the role ranking."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from alliances.model.triangle import (AMITY, ENMITY, Pattern, Role, ROLE_RANKING, Triangle,
                                all_sign_patterns, is_balanced, pattern, read, role_rank,
                                role_score, roles)

A, E = AMITY, ENMITY

# (ab, ac, bc) -> (pattern, roles of a, b, c, balanced)
EXPECTED = {
    (A, A, A): (Pattern.MENAGE_A_TROIS, (Role.FRIEND, Role.FRIEND, Role.FRIEND), True),
    (A, A, E): (Pattern.ROMANTIC_TRIANGLE, (Role.PIVOT, Role.WING, Role.WING), False),
    (A, E, A): (Pattern.ROMANTIC_TRIANGLE, (Role.WING, Role.PIVOT, Role.WING), False),
    (E, A, A): (Pattern.ROMANTIC_TRIANGLE, (Role.WING, Role.WING, Role.PIVOT), False),
    (A, E, E): (Pattern.STABLE_MARRIAGE, (Role.PARTNER, Role.PARTNER, Role.OUTCAST), True),
    (E, A, E): (Pattern.STABLE_MARRIAGE, (Role.PARTNER, Role.OUTCAST, Role.PARTNER), True),
    (E, E, A): (Pattern.STABLE_MARRIAGE, (Role.OUTCAST, Role.PARTNER, Role.PARTNER), True),
    (E, E, E): (Pattern.UNIT_VETO, (Role.FOE, Role.FOE, Role.FOE), False),
}


def test_the_eight_sign_patterns_are_all_covered():
    assert sorted(all_sign_patterns()) == sorted(EXPECTED)


@pytest.mark.parametrize("sides", sorted(EXPECTED))
def test_pattern_roles_and_balance(sides):
    t = Triangle("X", "Y", "Z", *sides)
    want_pattern, want_roles, want_balanced = EXPECTED[sides]
    assert pattern(t) is want_pattern
    assert tuple(roles(t).values()) == want_roles
    assert is_balanced(t) is want_balanced


relation = st.sampled_from([AMITY, ENMITY])
names = st.lists(st.text(min_size=1, max_size=4), min_size=3, max_size=3, unique=True)


@given(names, relation, relation, relation, st.permutations([0, 1, 2]))
def test_relabelling_the_corners_changes_nothing(actors, ab, ac, bc, order):
    t = Triangle(*actors, ab, ac, bc)
    x, y, z = (actors[i] for i in order)
    u = Triangle(x, y, z, t.relation(x, y), t.relation(x, z), t.relation(y, z))
    assert pattern(u) is pattern(t)
    assert roles(u) == {a: roles(t)[a] for a in (x, y, z)}
    assert is_balanced(u) == is_balanced(t)


@given(relation, relation, relation)
def test_score_never_contradicts_the_ranking(ab, ac, bc):
    t = Triangle("X", "Y", "Z", ab, ac, bc)
    for p in t.actors:
        for q in t.actors:
            if role_score(t, p) > role_score(t, q):
                assert role_rank(roles(t)[p]) < role_rank(roles(t)[q])


def test_ranking_order_and_pivot_best():
    assert ROLE_RANKING[0] is Role.PIVOT and ROLE_RANKING[-1] is Role.OUTCAST
    assert [role_rank(r) for r in ROLE_RANKING] == list(range(1, 7))


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="amity"):
        Triangle("X", "Y", "Z", "friendly", AMITY, AMITY)
    with pytest.raises(ValueError, match="three different"):
        Triangle("X", "X", "Z", AMITY, AMITY, AMITY)


def test_description_names_pattern_and_every_role():
    t = Triangle("PRC", "USSR", "DPRK", ENMITY, AMITY, AMITY)
    text = read(t).describe()
    assert "romantic triangle" in text and "DPRK is pivot" in text and "PRC is wing" in text
