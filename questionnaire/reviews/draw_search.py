"""The search behind a drawing of lots: every seat in turn, each taken by the first State of
its random order that the rules allow, going back only when the rules leave a later seat empty.

`questionnaire.reviews.draw` is the entry point; docs/drawing-of-lots.md states the procedure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from questionnaire.reviews.draw_rules import (
    NO_GROUP,
    NO_GROUP_EXCLUDED,
    SAME_REGION,
    DrawImpossible,
    Party,
    SeatDraw,
    random_order,
)

Slot = tuple[str, str]


@dataclass
class Board:
    """The draw so far: who reviews whom, and how many States each reviewer has."""

    reviewers_of: dict[str, set[str]] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)
    seats: list[SeatDraw] = field(default_factory=list)

    def take(self, under_review: str, reviewer: str) -> bool:
        """Record `reviewer` for `under_review`; True when it is a new pair."""
        reviewers = self.reviewers_of.setdefault(under_review, set())
        if reviewer in reviewers:
            return False
        reviewers.add(reviewer)
        self.load[reviewer] = self.load.get(reviewer, 0) + 1
        return True

    def release(self, under_review: str, reviewer: str) -> None:
        """Undo `take`."""
        self.reviewers_of[under_review].discard(reviewer)
        self.load[reviewer] -= 1

    def is_mutual(self, under_review: str, reviewer: str) -> bool:
        """Whether `under_review` already reviews `reviewer`."""
        return under_review in self.reviewers_of.get(reviewer, set())


@dataclass
class Rules:
    """The settings of one pass of the search."""

    max_reviews: int
    seed: str
    allow_mutual: bool
    no_group_rule: str
    max_steps: int


class Search:
    """One pass: fill the slots in order, or find the deepest rule that stops it."""

    def __init__(
        self,
        parties: Mapping[str, Party],
        under_review: Mapping[str, frozenset[str]],
        rules: Rules,
        board: Board,
    ) -> None:
        self.parties = parties
        self.under_review = under_review
        self.rules = rules
        self.max_reviews = rules.max_reviews
        self.board = board
        self.steps = 0
        self.deepest: tuple[int, DrawImpossible] | None = None
        self.pools: dict[tuple[str, str, str | None], list[Party]] = {}
        self.ranks: dict[tuple[str, str, str], dict[str, int]] = {}
        # The States that may review, in the parties' order, and those of each seat's side
        # per group: a pool is then a filter of the side, not of every State.
        self.reviewers = [party for party in parties.values() if self.may_review(party)]
        self.sides: dict[tuple[str, bool], list[Party]] = {}

    def may_review(self, party: Party) -> bool:
        """Whether the setting for entities in no group lets `party` review at all."""
        return party.group != NO_GROUP or self.rules.no_group_rule != NO_GROUP_EXCLUDED

    def eligible(self, state: str, seat: str, instrument: str | None) -> list[Party]:
        """The States that may take `seat` of `state` for `instrument` (any, when None)."""
        key = (state, seat, instrument)
        if key not in self.pools:
            self.pools[key] = self.find_eligible(state, seat, instrument)
        return self.pools[key]

    def find_eligible(self, state: str, seat: str, instrument: str | None) -> list[Party]:
        return [
            party
            for party in self.side(self.parties[state].group, seat == SAME_REGION)
            if party.code != state and (instrument is None or instrument in party.parties)
        ]

    def side(self, own: str, same: bool) -> list[Party]:
        """The States that may review on the same-region (`same`) or other-region seats of a
        State of group `own`: any group for a State in no group."""
        key = (own, same)
        if key not in self.sides:
            self.sides[key] = [
                party for party in self.reviewers if own == NO_GROUP or (party.group == own) == same
            ]
        return self.sides[key]

    def why_not(self, state: str, seat: str, instrument: str) -> DrawImpossible:
        group = self.parties[state].group
        pool = self.eligible(state, seat, instrument)
        same = seat == SAME_REGION
        words = {"group": group, "instrument": instrument, "cap": self.max_reviews, "state": state}
        if not pool:
            reason = (
                _l("no State of the %(group)s group is party to %(instrument)s", **words)
                if same
                else _l("no State of other groups is party to %(instrument)s", **words)
            )
        elif all(self.board.load.get(p.code, 0) >= self.max_reviews for p in pool):
            reason = (
                _l(
                    "every State of the %(group)s group party to %(instrument)s already reviews "
                    "%(cap)d States (the cap of the phase)",
                    **words,
                )
                if same
                else _l(
                    "every State of other groups party to %(instrument)s already reviews "
                    "%(cap)d States (the cap of the phase)",
                    **words,
                )
            )
        else:
            reason = (
                _l(
                    "the States of the %(group)s group party to %(instrument)s are all drawn "
                    "already for %(state)s or at the cap of %(cap)d reviews",
                    **words,
                )
                if same
                else _l(
                    "the States of other groups party to %(instrument)s are all drawn already "
                    "for %(state)s or at the cap of %(cap)d reviews",
                    **words,
                )
            )
        return DrawImpossible(state, seat, instrument, reason)

    def ordered(self, state: str, seat: str, pool: list[Party], lot: str) -> list[Party]:
        """`pool` in its order drawn by lot for this seat (`lot`: "primary" or the instrument
        of an additional reviewer). Nothing but the lot decides the order."""
        key = (state, seat, lot)
        rank = self.ranks.get(key)
        if rank is None:
            order = random_order(self.rules.seed, [p.code for p in pool], state, seat, lot)
            rank = self.ranks[key] = {code: n for n, code in enumerate(order)}
        return sorted(pool, key=lambda p: rank[p.code])

    def free(self, state: str, party: Party) -> bool:
        """`party` is not drawn for `state` yet and is below the cap."""
        if party.code in self.board.reviewers_of.get(state, set()):
            return False
        return self.board.load.get(party.code, 0) < self.max_reviews

    def usable(self, state: str, party: Party) -> bool:
        return self.free(state, party) and (
            self.rules.allow_mutual or not self.board.is_mutual(state, party.code)
        )

    def hopeless(self, slots: list[Slot]) -> DrawImpossible | None:
        """What makes the draw impossible before any lot is drawn, if anything."""
        for state, seat in slots:
            for instrument in sorted(self.under_review[state]):
                pool = self.eligible(state, seat, instrument)
                if not any(self.free(state, party) for party in pool):
                    return self.why_not(state, seat, instrument)
        groups = sorted({party.group for party in self.parties.values()} - {NO_GROUP})
        instruments = sorted(set().union(*self.under_review.values()))
        for seat in dict.fromkeys(seat for _, seat in slots):
            for group in groups:
                for instrument in instruments:
                    if (error := self.short(seat, group, instrument)) is not None:
                        return error
        return None

    def short(self, seat: str, group: str, instrument: str) -> DrawImpossible | None:
        """The seats of one kind that the States of `group` need for `instrument`, counted
        against what the States that may take them can still take; None when enough."""
        needing = sorted(
            state
            for state, instruments in self.under_review.items()
            if instrument in instruments and self.parties[state].group == group
        )
        # Per reviewer, the States in `needing` it cannot serve: itself, those it reviews.
        cannot: dict[str, set[str]] = {}
        for state in needing:
            cannot.setdefault(state, set()).add(state)
            for reviewer in self.board.reviewers_of.get(state, ()):
                cannot.setdefault(reviewer, set()).add(state)
        supply = 0
        for party in self.side(group, seat == SAME_REGION):
            if instrument not in party.parties:
                continue
            can_serve = len(needing) - len(cannot.get(party.code, ()))
            free = self.max_reviews - self.board.load.get(party.code, 0)
            supply += max(0, min(free, can_serve))
        if supply >= len(needing):
            return None
        words = {
            "group": group,
            "instrument": instrument,
            "supply": supply,
            "needed": len(needing),
            "cap": self.max_reviews,
        }
        reason = (
            _l(
                "the States of the %(group)s group party to %(instrument)s can take %(supply)d "
                "of the %(needed)d such seats the States of the %(group)s group need (cap of "
                "%(cap)d reviews)",
                **words,
            )
            if seat == SAME_REGION
            else _l(
                "the States of other groups party to %(instrument)s can take %(supply)d of the "
                "%(needed)d such seats the States of the %(group)s group need (cap of %(cap)d "
                "reviews)",
                **words,
            )
        )
        return DrawImpossible(needing[0], seat, instrument, reason)

    def fail(self, depth: int, error: DrawImpossible) -> bool:
        if self.deepest is None or depth >= self.deepest[0]:
            self.deepest = (depth, error)
        return False

    def spent(self) -> bool:
        """Count one reviewing State tried; True once the search is over its bound."""
        self.steps += 1
        return self.steps > self.rules.max_steps

    def solve(self, slots: list[Slot], depth: int = 0) -> bool:
        """Fill the slots from `depth` on; False (the board as found) when that fails."""
        if depth == len(slots):
            return True
        state, seat = slots[depth]
        needed = self.under_review[state]
        pool = [p for p in self.eligible(state, seat, None) if p.parties & needed]
        tried: set[frozenset[str]] = set()
        for primary in self.ordered(state, seat, pool, "primary"):
            if self.spent():
                return False
            if not self.usable(state, primary):
                continue
            self.board.take(state, primary.code)
            seats = [
                SeatDraw(state, i, seat, primary.code, False)
                for i in sorted(needed & primary.parties)
            ]
            missing = sorted(needed - primary.parties)
            if self.add_extras(slots, depth, missing, [primary.code], seats, tried):
                return True
            self.board.release(state, primary.code)
        if not pool or all(not self.usable(state, p) for p in pool):
            self.fail(depth, self.why_not(state, seat, sorted(needed)[0]))
        return False

    def add_extras(
        self,
        slots: list[Slot],
        depth: int,
        missing: list[str],
        taken: list[str],
        seats: list[SeatDraw],
        tried: set[frozenset[str]],
    ) -> bool:
        """Draw an additional reviewer for each instrument in `missing`, then the next slots.

        `taken` is the primary then the additional reviewers of this slot so far. Every choice
        is open to backtracking; `tried` holds the sets of reviewing States already tried on
        this slot, as what follows depends on the set only.
        """
        state, seat = slots[depth]
        if not missing:
            if frozenset(taken) in tried:
                return False
            tried.add(frozenset(taken))
            self.board.seats.extend(seats)
            if self.solve(slots, depth + 1):
                return True
            del self.board.seats[-len(seats) :]
            return False
        instrument, rest = missing[0], missing[1:]
        pool = self.eligible(state, seat, instrument)
        found = False
        for extra in self.ordered(state, seat, pool, instrument):
            if self.spent():
                return False
            again = extra.code in taken[1:]
            if not again and not self.usable(state, extra):
                continue
            found = True
            if not again:
                self.board.take(state, extra.code)
            seat_draw = SeatDraw(state, instrument, seat, extra.code, True)
            next_taken = taken if again else [*taken, extra.code]
            if self.add_extras(slots, depth, rest, next_taken, [*seats, seat_draw], tried):
                return True
            if not again:
                self.board.release(state, extra.code)
        if not found:
            self.fail(depth, self.why_not(state, seat, instrument))
        return False
