"""The vocabularies answers in words are read against (patterns, roles, strategies)."""
from __future__ import annotations

from .. import triangle
from .answers import Choice

PATTERN = Choice({p.value: () for p in triangle.Pattern},
                 "that is not one of the four patterns (ménage à trois, romantic triangle, "
                 "stable marriage, unit veto).")

ROLE = Choice({r.value: ((triangle.ROLE_ALIASES[r],) if r in triangle.ROLE_ALIASES else ())
               for r in triangle.Role},
              "that is not one of Wu's six roles (pivot, partner, friend, wing, foe, outcast).")

STRATEGY = Choice({"wedge": (), "binding": ()}, "answer with one word: 'wedge' or 'binding'.")


def event_order_hint(n: int) -> str:
    """The hint of every "put these events in date order" question."""
    words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    return (f"look the {words.get(n, str(n))} ids up in data.load_events() and sort them "
            "by date_date (the loader already returns the events in date order).")


ORDER_WRONG = "the ids are not yet in date order."
