"""The minimum-electronic-ballots rule of a mixed conference (design brief, threat T9).

When some members vote on paper and the others electronically, the committee
knows the paper count; whoever also knows the combined result can subtract
it and learn the electronic subtotal. If only a few members voted
electronically, that subtotal tells how each of them voted. So electronic
ballots are counted next to paper ones only if there are at least
:func:`minimum_electronic_ballots` of them; otherwise electronic voting is
refused and everyone votes on paper. A conference where nobody votes on paper
has no such subtraction, and the rule does not apply.

The rule is a named parameter (:data:`MIN_ELECTRONIC_BALLOTS`), not a legal
provision: no regulation on confidence votes mentions electronic ballots.
Decision record: ``docs/decisions/0016-b-evote-web.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class MinimumElectronicBallots:
    """``T_min = max(absolute, ⌈fraction × present⌉)``, capped by the number of card holders."""

    absolute: int
    fraction: Fraction

    def value(self, present: int) -> int:
        """``T_min`` for ``present`` members at the vote (integers only)."""
        share = -((-self.fraction.numerator * present) // self.fraction.denominator)
        return max(self.absolute, share)


MIN_ELECTRONIC_BALLOTS = MinimumElectronicBallots(absolute=10, fraction=Fraction(1, 10))
"""The brief's example: at least 10 e-ballots and at least 10 % of those present."""


def minimum_electronic_ballots(present: int, *, mixed: bool) -> int:
    """The ``T_min`` written into the election: the rule when paper ballots are also
    used, ``1`` when every member votes electronically (no paper count to subtract)."""
    return MIN_ELECTRONIC_BALLOTS.value(present) if mixed else 1
