"""Vu's triangular theory of alliance formation (source ``003``).

Vu's actors: two patrons A and B, a junior state C they both court, and the
external threat D they were originally aligned against. The theory's rules,
as the source states them (numbered R1-R12 in ``factsheet.md`` §3.1), are
encoded here so that every widget, figure and exercise check asks the same
function. Each :class:`Prediction` carries the rule it comes from, a citation
and an explanation string for captions and widgets.

Labels: Vu calls a triangle *positive-sum* when "A, B, and C are all on good
terms" and *zero-sum* when A and B "view one another's assistance to C as a
threat" and "seek to outbid one another" (003). A triangle in which A and B
are on good terms but one of them is hostile to C falls outside the theory;
the model says so rather than guess.

Vu "holds the D threat constant" (003): the threat ``d_threat`` is an input
only so that a reader can see it change nothing (rule R8).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .triangle import AMITY, ENMITY, Triangle


class SumType(str, Enum):
    """Vu's two triangle types, and the case his theory does not cover."""

    POSITIVE = "positive-sum"
    ZERO = "zero-sum"
    OUTSIDE = "outside the theory"


D_THREAT_LEVELS = ("falling", "constant", "rising")


@dataclass(frozen=True)
class Prediction:
    """One prediction of the theory for a given triangle."""

    rule: str          # R1..R12 as numbered in the factsheet
    kind: str          # "treaty", "strategy", "leverage", "stance", "threat"
    actor: str         # who acts ("" when the prediction is about the triangle)
    target: str        # whom it acts on
    strategy: str      # "wedge", "binding", "restraint", "none", or ""
    text: str          # one-sentence explanation for captions and widgets
    source: str        # citation in the data/README form
    basis: str = "stated"  # "stated" by Vu, or "project" where the model extends him


def sum_type(t: Triangle) -> SumType:
    """Classify ``t`` (corners A, B, C) as positive-sum, zero-sum or outside."""
    if t.ab == ENMITY:
        return SumType.ZERO
    if t.ac == AMITY and t.bc == AMITY:
        return SumType.POSITIVE
    return SumType.OUTSIDE


def predict(t: Triangle, d_threat: str = "constant") -> list[Prediction]:
    """Return the theory's predictions for the triangle ``t`` (A=a, B=b, C=c).

    ``d_threat`` (``falling``, ``constant`` or ``rising``) is accepted and
    reported, but by rule R8 it changes none of the other predictions.
    """
    if d_threat not in D_THREAT_LEVELS:
        raise ValueError(f"d_threat must be one of {D_THREAT_LEVELS}, not {d_threat!r}")
    a, b, c = t.actors
    kind = sum_type(t)
    out: list[Prediction] = []
    if kind is SumType.POSITIVE:
        out += [
            Prediction("R1", "treaty", "", c, "none",
                       f"No treaty bidding: {a} and {b} need not compete for {c}'s loyalty, "
                       f"so neither upgrades its tie with {c} to a treaty, even if {c} asks.",
                       '003 "Under a positive-sum strategic triangle, A, B, and C are all on good terms"'),
            Prediction("R1", "strategy", f"{a} and {b}", c, "restraint",
                       f"{a} and {b} coordinate to restrain {c} and respect the existing "
                       f"hierarchy; no wedge or binding strategies are used.",
                       '003 "There were no wedge strategies or binding strategies employed"'),
            Prediction("R6", "leverage", c, "", "",
                       f"{c} has little leverage: with its patrons on good terms it cannot "
                       f"play one off against the other.",
                       '003 "If A and B can improve relations, C will lose its leverage and pivotal position"'),
        ]
    elif kind is SumType.ZERO:
        courted = t.ac == AMITY and t.bc == AMITY
        out.append(Prediction(
            "R3", "strategy", a, c, "",
            f"{a} now values influence over {c} above cooperating with {b} against the "
            f"common threat, and will make concessions to {c} it would not otherwise make.",
            '003 "A upgrading an already credible and capable security relationship with C does not strengthen deterrence"'))
        if courted:
            out += [
                Prediction("R4", "treaty", f"{a} and {b}", c, "",
                           f"If {c} asks for a treaty, both {a} and {b} grant one, without "
                           f"explicit escape clauses or a defined territory: {c} ends up with "
                           f"more security than it needs and both patrons with more "
                           f"entrapment risk.",
                           '003 "If C wants an alliance treaty, A and B will meet C\'s demand"; '
                           '003 "A and B will even refrain from inserting escape clauses in the treaties"'),
                Prediction("R5", "strategy", a, c, "wedge",
                           f"{a} drives a wedge into the {b}–{c} tie by selective "
                           f"accommodation (rewards to {c}).",
                           '003 "Selective accommodation is the use of reward to induce an alignment change"'),
                Prediction("R10", "strategy", b, c, "binding",
                           f"{b} answers with binding: rewards such as a promised treaty or "
                           f"aid, or coercion such as withdrawing aid.",
                           '003 "Moscow also attempted to undermine China\'s reward"'),
                Prediction("R6", "leverage", c, "", "",
                           f"{c} holds a pivotal position and can extract concessions from "
                           f"both patrons, but only because {a} and {b} are at odds.",
                           '003 "C\'s leverage to play A off against B relies on an existing enmity between A and B"'),
                Prediction("R5", "stance", c, "", "",
                           f"{c} drifts toward neutrality between {a} and {b} rather than "
                           f"joining either side.",
                           '003 "shifted from being a pro-Soviet to a more neutral state"'),
            ]
        else:
            friend, rival = (a, b) if t.ac == AMITY else (b, a)
            if t.ac == ENMITY and t.bc == ENMITY:
                out.append(Prediction(
                    "R4", "treaty", "", c, "none",
                    f"{c} is hostile to both patrons, so neither has a tie to upgrade: "
                    f"Vu's theory predicts no treaty with {c}.",
                    '003 "If C wants an alliance treaty, A and B will meet C\'s demand"',
                    basis="project"))
            else:
                out.append(Prediction(
                    "R10", "strategy", rival, c, "wedge",
                    f"{c} already leans to {friend}; {rival} has no tie with {c} to bind, "
                    f"so the contest is over whether {rival} can open one (the model's "
                    f"extension of Vu: his rules assume {c} is courted by both).",
                    '003 "policies to maintain or enhance allies"',
                    basis="project"))
    else:
        hostile = b if t.bc == ENMITY else a
        out.append(Prediction(
            "", "treaty", "", c, "",
            f"{a} and {b} are on good terms but {hostile} is hostile to {c}: Vu's theory "
            f"covers only triangles where all three are friendly or where A and B are "
            f"rivals, so it makes no prediction here.",
            '003 "Under a positive-sum strategic triangle, A, B, and C are all on good terms"',
            basis="project"))
    out.append(Prediction(
        "R8", "threat", "", "", "",
        f"The threat D is {d_threat}. Vu holds D constant: a change in D alone does not "
        f"change the triangle's type or these predictions.",
        '003 "the paper holds the D threat constant"'))
    return out


def explain(t: Triangle, d_threat: str = "constant") -> str:
    """Return the predictions as one paragraph of plain text."""
    kind = sum_type(t)
    head = f"Vu's reading: {kind.value} triangle (A = {t.a}, B = {t.b}, C = {t.c})."
    return " ".join([head] + [p.text for p in predict(t, d_threat)])
