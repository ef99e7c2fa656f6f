"""The drawing of lots gives every State the rules allow on a seat the same chance.

Small worlds are drawn with many seeds (a fixed set, so the test is deterministic) and the
frequencies compared with what chance allows: a chi-square test at the 0.1 % level, or a
binomial bound of four and a half standard deviations. The earlier procedure, which ranked the
candidates by "party to every instrument" and by load and let chance only break ties, fails
each of these tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from questionnaire.reviews.draw import (
    NO_GROUP,
    OTHER_REGION,
    SAME_REGION,
    Party,
    SeatDraw,
    draw_reviewers,
)

Draw = Callable[..., list[SeatDraw]]
SEEDS = [f"fair-{n}" for n in range(1200)]
#: Chi-square critical values at the 0.1 % level, by degrees of freedom.
CHI2_0_001 = {1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52}


def party(code: str, group: str, *instruments: str) -> Party:
    return Party(code, group, frozenset(instruments))


def chi_square(counts: Counter[str], expected: Sequence[str]) -> float:
    """Pearson's statistic of `counts` against equal chances for every code of `expected`."""
    assert set(counts) <= set(expected), (counts, expected)
    total = sum(counts.values())
    each = total / len(expected)
    return sum((counts[code] - each) ** 2 / each for code in expected)


def assert_equal_chances(counts: Counter[str], expected: Sequence[str]) -> None:
    statistic = chi_square(counts, expected)
    assert statistic < CHI2_0_001[len(expected) - 1], (statistic, counts)


#: X (WEOG) is reviewed on UNTOC and TIP. Its WEOG neighbours are party to both (A, D), to
#: UNTOC only (B) or to TIP only (C); the earlier ranking drew only A or D as primary.
MIXED_PARTIES = [
    party("X", "weog", "UNTOC", "TIP"),
    party("A", "weog", "UNTOC", "TIP"),
    party("B", "weog", "UNTOC"),
    party("C", "weog", "TIP"),
    party("D", "weog", "UNTOC", "TIP", "SOM"),
    party("E", "weog"),
    party("Y", "african", "UNTOC", "TIP"),
    party("Z", "grulac", "UNTOC"),
    party("EUU", NO_GROUP, "UNTOC", "TIP"),
]


def primaries(draw: Draw) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Over every seed: the primary of X's same-region seat, the additional reviewer for TIP
    when that primary is B, and the primary of X's other-region seat."""
    primary: Counter[str] = Counter()
    extra_for_tip: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for seed in SEEDS:
        seats = draw(MIXED_PARTIES, {"X": ["UNTOC", "TIP"]}, max_reviews=3, seed=seed)
        same = [s for s in seats if s.seat == SAME_REGION]
        (chosen,) = {s.reviewing_state for s in same if not s.is_additional}
        primary[chosen] += 1
        if chosen == "B":
            (extra,) = [s.reviewing_state for s in same if s.is_additional]
            extra_for_tip[extra] += 1
        (far,) = {
            s.reviewing_state for s in seats if s.seat == OTHER_REGION and not s.is_additional
        }
        other[far] += 1
    return primary, extra_for_tip, other


def shared_reviewer(draw: Draw) -> int:
    """How many seeds give two WEOG States under review the same same-region reviewer.

    X1 and X2 are each reviewed on UNTOC; A to D and the other one are eligible. The first
    seat drawn takes any of its five States; the second any of its five, except the State
    under review first when that would make a mutual pair. The same State reviews both with
    probability 4/5 x 1/5 = 4/25; the earlier ranking, preferring the least loaded, never.
    """
    parties = [party(code, "weog", "UNTOC") for code in ("X1", "X2", "A", "B", "C", "D")]
    shared = 0
    for seed in SEEDS:
        seats = draw(
            parties,
            {"X1": ["UNTOC"], "X2": ["UNTOC"]},
            max_reviews=3,
            seed=seed,
            seats=(SAME_REGION,),
        )
        reviewers = {s.state_under_review: s.reviewing_state for s in seats}
        shared += reviewers["X1"] == reviewers["X2"]
    return shared


def test_every_eligible_state_is_as_likely_to_be_the_primary_reviewer() -> None:
    primary, _, _ = primaries(draw_reviewers)
    # E is party to nothing under review: never drawn. Every other WEOG State equally often.
    assert_equal_chances(primary, ["A", "B", "C", "D"])


def test_every_state_party_to_the_missing_instrument_is_as_likely_to_be_the_additional() -> None:
    _, extra_for_tip, _ = primaries(draw_reviewers)
    assert sum(extra_for_tip.values()) > 200
    assert_equal_chances(extra_for_tip, ["A", "C", "D"])


def test_the_other_region_seat_includes_the_entity_in_no_group_on_equal_terms() -> None:
    _, _, other = primaries(draw_reviewers)
    # Z (UNTOC only) is as likely as Y and the European Union, party to both.
    assert_equal_chances(other, ["Y", "Z", "EUU"])


def test_a_state_already_drawn_elsewhere_keeps_its_chance() -> None:
    """The load of a State below the cap does not lower its chance."""
    shared = shared_reviewer(draw_reviewers)
    expected, deviation = len(SEEDS) * 4 / 25, math.sqrt(len(SEEDS) * 4 / 25 * 21 / 25)
    assert abs(shared - expected) < 4.5 * deviation, (shared, expected)
