"""The drawing of lots: which States review which, per instrument. Pure: no database.

For each State under review and each seat, one primary reviewing State is drawn: one from the
State's own UN regional group and one from another group. A primary reviewer that is not party
to every instrument under review gets an additional reviewer, drawn for the instruments it
misses. Hard rules: a reviewer is party to the instrument it reviews, is never the State
itself, is drawn at most once per State under review, and reviews at most `max_reviews` States
in the phase. How an entity that belongs to no regional group (the European Union) is drawn is
a setting (`NO_GROUP_RULES`). Mutual pairs (A reviews B while B reviews A) are avoided where
possible: a first pass forbids them, a second one allows them only if the first finds no draw.

Every State that the rules allow on a seat has the same chance of being drawn for it: the
candidates of the seat are put in an order drawn by lot, and the first one the rules allow is
drawn. docs/drawing-of-lots.md states the procedure (`PROCEDURE_VERSION`) so that a delegate
can check a draw from its stored seed and inputs. The same inputs and seed give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from questionnaire.reviews.draw_rules import (
    CALLER_SEED_SOURCE,
    NO_GROUP,
    NO_GROUP_ANY,
    NO_GROUP_EXCLUDED,
    NO_GROUP_OTHER_ONLY,
    NO_GROUP_RULES,
    OTHER_REGION,
    SAME_REGION,
    SERVER_SEED_SOURCE,
    DrawImpossible,
    Party,
    SeatDraw,
    random_order,
    seed_random,
    server_seed,
)
from questionnaire.reviews.draw_search import Board, Rules, Search, Slot

__all__ = [
    "CALLER_SEED_SOURCE",
    "MAX_STEPS",
    "NO_GROUP",
    "NO_GROUP_ANY",
    "NO_GROUP_EXCLUDED",
    "NO_GROUP_OTHER_ONLY",
    "NO_GROUP_RULES",
    "OTHER_REGION",
    "PROCEDURE_VERSION",
    "SAME_REGION",
    "SERVER_SEED_SOURCE",
    "DrawImpossible",
    "DrawOutcome",
    "Party",
    "SeatDraw",
    "draw_lots",
    "draw_reviewers",
    "random_order",
    "seed_random",
    "server_seed",
]

#: The version of the procedure in docs/drawing-of-lots.md, stored with every draw.
PROCEDURE_VERSION = "equal-chances-1"
#: Bound on the search (reviewing States tried, per pass) so that an impossible draw ends with
#: an answer, not a long wait.
MAX_STEPS = 100_000


@dataclass(frozen=True)
class DrawOutcome:
    """The seats drawn, and whether mutual pairs had to be allowed (the second pass)."""

    seats: list[SeatDraw]
    used_mutual_fallback: bool


def _slots(
    by_code: Mapping[str, Party], order: list[str], seats: tuple[str, ...], no_group_rule: str
) -> list[Slot]:
    """Every same-region seat first (their pools are the smaller ones), in the drawn order of
    the States; an entity in no group has its other-region seat only under that setting."""
    return [
        (state, seat)
        for seat in seats
        for state in order
        if not (
            seat == SAME_REGION
            and by_code[state].group == NO_GROUP
            and no_group_rule == NO_GROUP_OTHER_ONLY
        )
    ]


def draw_lots(
    parties: Iterable[Party],
    under_review: Mapping[str, Iterable[str]],
    *,
    max_reviews: int,
    seed: str,
    existing: Iterable[SeatDraw] = (),
    seats: tuple[str, ...] = (SAME_REGION, OTHER_REGION),
    excluded: Mapping[str, Iterable[str]] | None = None,
    no_group_rule: str = NO_GROUP_ANY,
) -> DrawOutcome:
    """Draw the seats of every State under review; raises DrawImpossible, naming the rule.

    `existing` seats count towards the rules (a replacement is drawn around them);
    `excluded` names States that may not be drawn for a State under review (one that declined).
    """
    if no_group_rule not in NO_GROUP_RULES:
        raise ValueError(f"unknown rule for entities in no group: {no_group_rule}")
    by_code = {party.code: party for party in parties}
    needs = {state: frozenset(instruments) for state, instruments in under_review.items()}
    _check_known(needs, by_code)
    order = random_order(seed, list(needs), "order")
    slots = _slots(by_code, order, seats, no_group_rule)
    existing = list(existing)
    last_error: DrawImpossible | None = None
    for allow_mutual in (False, True):
        board = _board(existing, excluded)
        rules = Rules(max_reviews, seed, allow_mutual, no_group_rule, MAX_STEPS)
        search = Search(by_code, needs, rules, board)
        if (error := search.hopeless(slots)) is not None:
            raise error
        if search.solve(slots):
            found = sorted(
                board.seats,
                key=lambda s: (s.state_under_review, s.instrument, s.seat, s.is_additional),
            )
            return DrawOutcome(found, used_mutual_fallback=allow_mutual)
        last_error = search.deepest[1] if search.deepest else last_error
    raise last_error or DrawImpossible(order[0], SAME_REGION, "-", _l("the draw found no solution"))


def _check_known(needs: Mapping[str, frozenset[str]], by_code: Mapping[str, Party]) -> None:
    """Refuse a State under review that is not among the parties."""
    for state in needs:
        if state not in by_code:
            raise DrawImpossible(
                state, SAME_REGION, "-", _l("%(state)s is not a known State", state=state)
            )


def _board(existing: list[SeatDraw], excluded: Mapping[str, Iterable[str]] | None) -> Board:
    """A pass's board before it draws: the seats already taken, and the States that may not
    be drawn for a State under review counted as its reviewers already."""
    board = Board()
    for seat_draw in existing:
        board.take(seat_draw.state_under_review, seat_draw.reviewing_state)
    for state, codes in (excluded or {}).items():
        board.reviewers_of.setdefault(state, set()).update(codes)
    return board


def draw_reviewers(
    parties: Iterable[Party],
    under_review: Mapping[str, Iterable[str]],
    *,
    max_reviews: int,
    seed: str,
    existing: Iterable[SeatDraw] = (),
    seats: tuple[str, ...] = (SAME_REGION, OTHER_REGION),
    excluded: Mapping[str, Iterable[str]] | None = None,
    no_group_rule: str = NO_GROUP_ANY,
) -> list[SeatDraw]:
    """The seats of `draw_lots` alone."""
    return draw_lots(
        parties,
        under_review,
        max_reviews=max_reviews,
        seed=seed,
        existing=existing,
        seats=seats,
        excluded=excluded,
        no_group_rule=no_group_rule,
    ).seats
