"""The strategic triangle: patterns, roles, ranking and structural balance.

This module is the single source of truth for every triangle the book draws,
every widget that toggles a side, and every exercise check that asks for a
pattern or a role.

Where each idea comes from (the three source documents are silent on the
typology itself; see ``factsheet.md`` §3.4 and the book's references):

* **Dittmer (1981)**, "The Strategic Triangle: An Elementary Game-Theoretical
  Analysis", *World Politics* 33(4): 485-515, cited by Kim (``004``, note 54)
  and Vu (``003``). Dittmer defines three patterns: the *ménage à trois*
  (amity on all three sides), the *romantic triangle* (one *pivot* on good
  terms with two *wings* who are hostile to each other) and the *stable
  marriage* (two *partners* in amity, both hostile to a *pariah*).
* **Wu Yu-Shan (1996)**, "Exploring Dual Triangles: The Development of
  Taipei-Washington-Beijing Relations", *Issues & Studies* 32(10): 26-52,
  adds the fourth pattern, the *unit veto* (enmity on all three sides),
  names the six roles used here (friend, pivot, wing, partner, outcast, foe)
  and ranks them.
* **Structural balance**: Heider (1946) and Cartwright and Harary (1956): a
  signed triangle is balanced when the product of its signs is positive.
* The numeric :func:`role_score` is this project's own device for showing
  *why* the ranking runs as it does; it is not Wu's notation.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import product

AMITY = "amity"
ENMITY = "enmity"
RELATIONS = (AMITY, ENMITY)
#: The three sides, as the ``Triangle`` fields name them, and as the book labels them.
SIDES = ("ab", "ac", "bc")
SIDE_NAMES = {"ab": "A–B", "ac": "A–C", "bc": "B–C"}


class Pattern(str, Enum):
    """The four patterns of a triangle whose sides are amity or enmity."""

    MENAGE_A_TROIS = "ménage à trois"
    ROMANTIC_TRIANGLE = "romantic triangle"
    STABLE_MARRIAGE = "stable marriage"
    UNIT_VETO = "unit veto"


class Role(str, Enum):
    """The six roles an actor can hold (names as in Wu 1996)."""

    PIVOT = "pivot"
    PARTNER = "partner"
    FRIEND = "friend"
    WING = "wing"
    FOE = "foe"
    OUTCAST = "outcast"


#: Who defined what: a pattern's author, for captions and the glossary.
PATTERN_AUTHOR = {
    Pattern.MENAGE_A_TROIS: "Dittmer 1981",
    Pattern.ROMANTIC_TRIANGLE: "Dittmer 1981",
    Pattern.STABLE_MARRIAGE: "Dittmer 1981",
    Pattern.UNIT_VETO: "Wu 1996",
}

#: Wu's ranking of the roles, best first.
ROLE_RANKING = (Role.PIVOT, Role.PARTNER, Role.FRIEND, Role.WING, Role.FOE, Role.OUTCAST)

#: Dittmer's own word for the stable marriage's odd one out is "pariah".
ROLE_ALIASES = {Role.OUTCAST: "pariah"}

PATTERN_DESCRIPTION = {
    Pattern.MENAGE_A_TROIS: "all three sides are amity: each actor is a friend of the other two",
    Pattern.ROMANTIC_TRIANGLE: "one actor (the pivot) is on good terms with two others "
                               "(the wings) who are hostile to each other",
    Pattern.STABLE_MARRIAGE: "two actors (the partners) are on good terms and both are "
                             "hostile to the third (the outcast)",
    Pattern.UNIT_VETO: "all three sides are enmity: each actor is a foe of the other two",
}


def check_relation(value: str) -> str:
    """Return ``value`` if it is ``amity`` or ``enmity``; raise ``ValueError`` otherwise."""
    if value not in RELATIONS:
        raise ValueError(f"a side must be {AMITY!r} or {ENMITY!r}, not {value!r}")
    return value


@dataclass(frozen=True)
class Triangle:
    """Three actors and the relation on each of the three sides.

    ``ab`` is the side between ``a`` and ``b``, ``ac`` between ``a`` and ``c``,
    ``bc`` between ``b`` and ``c``. In Vu's theory ``a`` and ``b`` are the two
    patrons (A and B) and ``c`` the junior state (C).
    """

    a: str
    b: str
    c: str
    ab: str
    ac: str
    bc: str

    def __post_init__(self) -> None:
        if len({self.a, self.b, self.c}) != 3:
            raise ValueError(f"a triangle needs three different actors, got {self.actors}")
        for side in (self.ab, self.ac, self.bc):
            check_relation(side)

    @property
    def actors(self) -> tuple[str, str, str]:
        return (self.a, self.b, self.c)

    def relation(self, x: str, y: str) -> str:
        """Return the relation between actors ``x`` and ``y``."""
        sides = {frozenset((self.a, self.b)): self.ab,
                 frozenset((self.a, self.c)): self.ac,
                 frozenset((self.b, self.c)): self.bc}
        try:
            return sides[frozenset((x, y))]
        except KeyError:
            raise KeyError(f"{x!r} and {y!r} are not two corners of {self.actors}") from None

    def others(self, x: str) -> tuple[str, str]:
        """Return the two actors other than ``x``, in corner order."""
        return tuple(y for y in self.actors if y != x)  # type: ignore[return-value]

    def amity_count(self) -> int:
        return sum(side == AMITY for side in (self.ab, self.ac, self.bc))


def pattern(t: Triangle) -> Pattern:
    """Return the pattern of ``t`` (Dittmer's three, plus Wu's unit veto)."""
    return {3: Pattern.MENAGE_A_TROIS, 2: Pattern.ROMANTIC_TRIANGLE,
            1: Pattern.STABLE_MARRIAGE, 0: Pattern.UNIT_VETO}[t.amity_count()]


def role(t: Triangle, x: str) -> Role:
    """Return the role of actor ``x`` in ``t``."""
    y, z = t.others(x)
    mine = (t.relation(x, y), t.relation(x, z))
    theirs = t.relation(y, z)
    if mine == (AMITY, AMITY):
        return Role.FRIEND if theirs == AMITY else Role.PIVOT
    if AMITY in mine:  # one friend, one enemy
        return Role.WING if theirs == AMITY else Role.PARTNER
    return Role.OUTCAST if theirs == AMITY else Role.FOE


def roles(t: Triangle) -> dict[str, Role]:
    """Return every actor's role, in corner order."""
    return {x: role(t, x) for x in t.actors}


def role_rank(r: Role) -> int:
    """Return the position of ``r`` in Wu's ranking (1 = best, 6 = worst)."""
    return ROLE_RANKING.index(r) + 1


def role_score(t: Triangle, x: str) -> int:
    """This project's illustration of the ranking: +1 for each own amity and
    for enmity between the other two, -1 otherwise (range -3 to +3).

    It orders pivot (3) above partner and friend (1) above wing and foe (-1)
    above outcast (-3); the ties inside each pair are broken in Wu's ranking,
    not by this score.
    """
    y, z = t.others(x)
    own = sum(1 if t.relation(x, w) == AMITY else -1 for w in (y, z))
    return own + (1 if t.relation(y, z) == ENMITY else -1)


def is_balanced(t: Triangle) -> bool:
    """Structural balance (Heider 1946; Cartwright and Harary 1956): an even
    number of enmity sides, i.e. the product of the signs is positive."""
    return (3 - t.amity_count()) % 2 == 0


def all_sign_patterns() -> list[tuple[str, str, str]]:
    """Return the eight ``(ab, ac, bc)`` combinations of amity and enmity."""
    return list(product(RELATIONS, repeat=3))


@dataclass(frozen=True)
class Reading:
    """Everything the model says about one triangle, ready for a caption."""

    triangle: Triangle
    pattern: Pattern
    roles: dict[str, Role]
    balanced: bool

    def describe(self) -> str:
        """A plain-text description for screen readers and captions."""
        t = self.triangle
        sides = (f"{t.a}–{t.b} {t.ab}, {t.a}–{t.c} {t.ac}, {t.b}–{t.c} {t.bc}")
        role_text = ", ".join(f"{x} is {r.value}" for x, r in self.roles.items())
        balance = "structurally balanced" if self.balanced else "not structurally balanced"
        return (f"Sides: {sides}. Pattern: {self.pattern.value} "
                f"({PATTERN_DESCRIPTION[self.pattern]}). Roles: {role_text}. "
                f"The triangle is {balance}.")


def read(t: Triangle) -> Reading:
    """Return the pattern, roles and balance of ``t`` in one object."""
    return Reading(t, pattern(t), roles(t), is_balanced(t))
