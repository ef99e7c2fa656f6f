"""The drawing of lots: which States review which, per instrument. Pure: no database.

For each State under review and each seat, one primary reviewing State is drawn: one from the
State's own UN regional group and one from another group. A primary reviewer that is not party
to every instrument under review gets an additional reviewer, drawn for the instruments it
misses. Hard rules: a reviewer is party to the instrument it reviews, is never the State
itself, is drawn at most once per State under review, and reviews at most `max_reviews` States
in the phase. An entity that belongs to no regional group (the European Union) has both of
its reviewers drawn from any group. Mutual pairs (A reviews B while B reviews A) are avoided
where possible: the search first forbids them and allows them only if there is no other way.

The draw is reproducible: the same inputs and seed give the same result.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SAME_REGION = "same_region"
OTHER_REGION = "other_region"
NO_GROUP = "none"
#: Bound on the search so that an impossible draw ends with an answer, not a long wait.
MAX_STEPS = 200_000


@dataclass(frozen=True)
class Party:
    """A State that can be drawn: its regional group and the instruments it is party to."""

    code: str
    group: str
    parties: frozenset[str]


@dataclass(frozen=True)
class SeatDraw:
    """One reviewing State on one seat of one State under review for one instrument."""

    state_under_review: str
    instrument: str
    seat: str
    reviewing_state: str
    is_additional: bool


class DrawImpossible(ValueError):
    """The rules cannot be met; names the State and the rule, and nothing is saved."""

    def __init__(self, state: str, seat: str, instrument: str, reason: str) -> None:
        super().__init__(f"{state}, {seat.replace('_', '-')} seat for {instrument}: {reason}")
        self.state = state
        self.seat = seat
        self.instrument = instrument
        self.reason = reason


@dataclass
class _Board:
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
        self.reviewers_of[under_review].discard(reviewer)
        self.load[reviewer] -= 1

    def is_mutual(self, under_review: str, reviewer: str) -> bool:
        return under_review in self.reviewers_of.get(reviewer, set())


def seed_random(seed: str, *salt: str) -> random.Random:
    digest = hashlib.sha256("|".join((seed, *salt)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class _Search:
    def __init__(
        self,
        parties: Mapping[str, Party],
        under_review: Mapping[str, frozenset[str]],
        max_reviews: int,
        seed: str,
        board: _Board,
        allow_mutual: bool,
    ) -> None:
        self.parties = parties
        self.under_review = under_review
        self.max_reviews = max_reviews
        self.seed = seed
        self.board = board
        self.allow_mutual = allow_mutual
        self.steps = 0
        self.deepest: tuple[int, DrawImpossible] | None = None

    def eligible(self, state: str, seat: str, instrument: str | None) -> list[Party]:
        own = self.parties[state].group
        found = []
        for party in self.parties.values():
            if party.code == state:
                continue
            if seat == SAME_REGION and own != NO_GROUP and party.group != own:
                continue
            if seat == OTHER_REGION and own != NO_GROUP and party.group == own:
                continue
            if instrument is not None and instrument not in party.parties:
                continue
            found.append(party)
        return found

    def why_not(self, state: str, seat: str, instrument: str) -> DrawImpossible:
        group = self.parties[state].group
        pool = self.eligible(state, seat, instrument)
        where = f"the {group} group" if seat == SAME_REGION else "other groups"
        if not pool:
            reason = f"no State of {where} is party to {instrument}"
        elif all(self.board.load.get(p.code, 0) >= self.max_reviews for p in pool):
            reason = (
                f"every State of {where} party to {instrument} already reviews "
                f"{self.max_reviews} States (the cap of the phase)"
            )
        else:
            reason = (
                f"the States of {where} party to {instrument} are all drawn already for "
                f"{state} or at the cap of {self.max_reviews} reviews"
            )
        return DrawImpossible(state, seat, instrument, reason)

    def ordered(
        self, state: str, seat: str, pool: list[Party], needed: frozenset[str]
    ) -> list[Party]:
        rng = seed_random(self.seed, state, seat)
        ticket = {party.code: rng.random() for party in sorted(pool, key=lambda p: p.code)}
        return sorted(
            pool,
            key=lambda p: (
                -len(p.parties & needed),  # party to every instrument: no additional reviewer
                self.board.load.get(p.code, 0),
                ticket[p.code],
            ),
        )

    def usable(self, state: str, party: Party) -> bool:
        if party.code in self.board.reviewers_of.get(state, set()):
            return False
        if self.board.load.get(party.code, 0) >= self.max_reviews:
            return False
        return self.allow_mutual or not self.board.is_mutual(state, party.code)

    def fail(self, depth: int, error: DrawImpossible) -> bool:
        if self.deepest is None or depth >= self.deepest[0]:
            self.deepest = (depth, error)
        return False

    def solve(self, slots: list[tuple[str, str]], depth: int = 0) -> bool:
        if depth == len(slots):
            return True
        self.steps += 1
        if self.steps > MAX_STEPS:
            return False
        state, seat = slots[depth]
        needed = self.under_review[state]
        first = sorted(needed)[0]
        pool = [p for p in self.eligible(state, seat, None) if p.parties & needed]
        for primary in self.ordered(state, seat, pool, needed):
            if not self.usable(state, primary):
                continue
            self.board.take(state, primary.code)
            taken = [primary.code]
            seats = [
                SeatDraw(state, i, seat, primary.code, False)
                for i in sorted(needed & primary.parties)
            ]
            missing = sorted(needed - primary.parties)
            ok = True
            for instrument in missing:
                extra = next(
                    (
                        p
                        for p in self.ordered(
                            state, seat, self.eligible(state, seat, instrument), needed
                        )
                        if p.code in taken[1:] or self.usable(state, p)
                    ),
                    None,
                )
                if extra is None:
                    ok = self.fail(depth, self.why_not(state, seat, instrument))
                    break
                if extra.code not in taken:
                    self.board.take(state, extra.code)
                    taken.append(extra.code)
                seats.append(SeatDraw(state, instrument, seat, extra.code, True))
            if ok:
                self.board.seats.extend(seats)
                if self.solve(slots, depth + 1):
                    return True
                del self.board.seats[-len(seats) :]
            for code in taken:
                self.board.release(state, code)
        if not pool or all(not self.usable(state, p) for p in pool):
            self.fail(depth, self.why_not(state, seat, first))
        return False


def draw_reviewers(
    parties: Iterable[Party],
    under_review: Mapping[str, Iterable[str]],
    *,
    max_reviews: int,
    seed: str,
    existing: Iterable[SeatDraw] = (),
    seats: tuple[str, ...] = (SAME_REGION, OTHER_REGION),
    excluded: Mapping[str, Iterable[str]] | None = None,
) -> list[SeatDraw]:
    """Draw the seats of every State under review; raises DrawImpossible, naming the rule.

    `existing` seats count towards the rules (a replacement is drawn around them);
    `excluded` names States that may not be drawn for a State under review (one that declined).
    """
    by_code = {party.code: party for party in parties}
    needs = {state: frozenset(instruments) for state, instruments in under_review.items()}
    for state in needs:
        if state not in by_code:
            raise DrawImpossible(state, SAME_REGION, "-", f"{state} is not a known State")
    order = sorted(needs)
    seed_random(seed, "order").shuffle(order)
    slots = [(state, seat) for state in order for seat in seats]
    existing = list(existing)
    last_error: DrawImpossible | None = None
    for allow_mutual in (False, True):
        board = _Board()
        for seat_draw in existing:
            board.take(seat_draw.state_under_review, seat_draw.reviewing_state)
        for state, codes in (excluded or {}).items():
            board.reviewers_of.setdefault(state, set()).update(codes)
        search = _Search(by_code, needs, max_reviews, seed, board, allow_mutual)
        if search.solve(slots):
            return sorted(
                board.seats,
                key=lambda s: (s.state_under_review, s.instrument, s.seat, s.is_additional),
            )
        last_error = search.deepest[1] if search.deepest else last_error
    raise last_error or DrawImpossible(order[0], SAME_REGION, "-", "the draw found no solution")
