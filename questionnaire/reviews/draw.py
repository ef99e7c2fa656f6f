"""The drawing of lots: which States review which, per instrument. Pure: no database.

For each State under review and each seat, one primary reviewing State is drawn: one from the
State's own UN regional group and one from another group. A primary reviewer that is not party
to every instrument under review gets an additional reviewer, drawn for the instruments it
misses. Hard rules: a reviewer is party to the instrument it reviews, is never the State
itself, is drawn at most once per State under review, and reviews at most `max_reviews` States
in the phase. An entity that belongs to no regional group (the European Union) has both of
its reviewers drawn from any group. Mutual pairs (A reviews B while B reviews A) are avoided
where possible: the search first forbids them and allows them only if there is no other way.

The search backtracks over primary and additional reviewers alike. Seats that no State can
take, and groups whose States cannot take as many seats as are needed, are found before the
search, so that most impossible draws are answered at once; the search itself is bounded.

The draw is reproducible: the same inputs and seed give the same result.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import has_request_context
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

SAME_REGION = "same_region"
OTHER_REGION = "other_region"
NO_GROUP = "none"
#: Bound on the search (reviewing States tried, per pass) so that an impossible draw ends with
#: an answer, not a long wait.
MAX_STEPS = 100_000


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
    """The rules cannot be met; names the State and the rule, and nothing is saved.

    The message is translated when it is shown, as RuleViolation's: in the reader's language
    during a request, in English for the command line and outside the application.
    """

    def __init__(self, state: str, seat: str, instrument: str, reason: LazyString) -> None:
        super().__init__(state, seat, instrument, reason)
        self.state = state
        self.seat = seat
        self.instrument = instrument
        self._reason = reason

    @property
    def reason(self) -> str:
        """The rule that cannot be met."""
        return _shown(self._reason)

    def __str__(self) -> str:
        seat = _l("same-region seat") if self.seat == SAME_REGION else _l("other-region seat")
        return _shown(
            _l(
                "%(state)s, %(seat)s for %(instrument)s: %(reason)s",
                state=self.state,
                seat=seat,
                instrument=self.instrument,
                reason=self._reason,
            )
        )


def _shown(text: LazyString) -> str:
    """`text` in the reader's language during a request, in English otherwise."""
    if has_request_context():
        return str(text)
    with force_locale("en"):
        return str(text)


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
        self.pools: dict[tuple[str, str, str | None], list[Party]] = {}
        self.tickets: dict[tuple[str, str, tuple[str, ...]], dict[str, float]] = {}

    def eligible(self, state: str, seat: str, instrument: str | None) -> list[Party]:
        """The States that may take `seat` of `state` for `instrument` (any, when None)."""
        key = (state, seat, instrument)
        if key not in self.pools:
            self.pools[key] = self.find_eligible(state, seat, instrument)
        return self.pools[key]

    def find_eligible(self, state: str, seat: str, instrument: str | None) -> list[Party]:
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

    def ordered(
        self, state: str, seat: str, pool: list[Party], needed: frozenset[str]
    ) -> list[Party]:
        codes = tuple(sorted(party.code for party in pool))
        ticket = self.tickets.get((state, seat, codes))
        if ticket is None:
            rng = seed_random(self.seed, state, seat)
            ticket = self.tickets[(state, seat, codes)] = {code: rng.random() for code in codes}
        return sorted(
            pool,
            key=lambda p: (
                -len(p.parties & needed),  # party to every instrument: no additional reviewer
                self.board.load.get(p.code, 0),
                ticket[p.code],
            ),
        )

    def free(self, state: str, party: Party) -> bool:
        """`party` is not drawn for `state` yet and is below the cap."""
        if party.code in self.board.reviewers_of.get(state, set()):
            return False
        return self.board.load.get(party.code, 0) < self.max_reviews

    def usable(self, state: str, party: Party) -> bool:
        return self.free(state, party) and (
            self.allow_mutual or not self.board.is_mutual(state, party.code)
        )

    def hopeless(self, slots: list[tuple[str, str]]) -> DrawImpossible | None:
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
        supply = 0
        for party in self.parties.values():
            if instrument not in party.parties or (party.group == group) != (seat == SAME_REGION):
                continue
            can_serve = sum(
                1
                for state in needing
                if state != party.code
                and party.code not in self.board.reviewers_of.get(state, set())
            )
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
        return self.steps > MAX_STEPS

    def solve(self, slots: list[tuple[str, str]], depth: int = 0) -> bool:
        """Fill the slots from `depth` on; False (the board as found) when that fails."""
        if depth == len(slots):
            return True
        state, seat = slots[depth]
        needed = self.under_review[state]
        pool = [p for p in self.eligible(state, seat, None) if p.parties & needed]
        tried: set[frozenset[str]] = set()
        for primary in self.ordered(state, seat, pool, needed):
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
        slots: list[tuple[str, str]],
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
        for extra in self.ordered(state, seat, pool, self.under_review[state]):
            if self.spent():
                return False
            again = extra.code in taken[1:]
            if not again and not self.usable(state, extra):
                continue
            found = True
            if not again:
                self.board.take(state, extra.code)
            seat_draw = SeatDraw(state, instrument, seat, extra.code, True)
            if self.add_extras(
                slots,
                depth,
                rest,
                taken if again else [*taken, extra.code],
                [*seats, seat_draw],
                tried,
            ):
                return True
            if not again:
                self.board.release(state, extra.code)
        if not found:
            self.fail(depth, self.why_not(state, seat, instrument))
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
            raise DrawImpossible(
                state, SAME_REGION, "-", _l("%(state)s is not a known State", state=state)
            )
    order = sorted(needs)
    seed_random(seed, "order").shuffle(order)
    # Every same-region seat first: their pools are the smaller ones.
    slots = [(state, seat) for seat in seats for state in order]
    existing = list(existing)
    last_error: DrawImpossible | None = None
    for allow_mutual in (False, True):
        board = _Board()
        for seat_draw in existing:
            board.take(seat_draw.state_under_review, seat_draw.reviewing_state)
        for state, codes in (excluded or {}).items():
            board.reviewers_of.setdefault(state, set()).update(codes)
        search = _Search(by_code, needs, max_reviews, seed, board, allow_mutual)
        if (error := search.hopeless(slots)) is not None:
            raise error
        if search.solve(slots):
            return sorted(
                board.seats,
                key=lambda s: (s.state_under_review, s.instrument, s.seat, s.is_additional),
            )
        last_error = search.deepest[1] if search.deepest else last_error
    raise last_error or DrawImpossible(order[0], SAME_REGION, "-", "the draw found no solution")
