"""Properties of the drawing of lots over random worlds (hypothesis; the numbers of examples are
those of the thorough profile, which the quick one scales down: tests/conftest.py).

Every draw either meets every rule of `questionnaire.reviews.draw` or raises DrawImpossible
naming a State under review and a rule. In small worlds a brute-force search decides whether
a draw, and a draw without mutual pairs, exists; the module must agree with it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from questionnaire.reviews import draw as draw_module
from questionnaire.reviews.draw import (
    NO_GROUP,
    NO_GROUP_EXCLUDED,
    NO_GROUP_OTHER_ONLY,
    NO_GROUP_RULES,
    OTHER_REGION,
    SAME_REGION,
    DrawImpossible,
    Party,
    SeatDraw,
    draw_lots,
    draw_reviewers,
)
from tests.conftest import examples

GROUPS = ("african", "asia_pacific", "eastern_european", "grulac", "weog")
INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")
SEATS = (SAME_REGION, OTHER_REGION)
#: The rules a DrawImpossible may name, as its reason words them.
RULE_WORDS = ("is party to", "the cap", "drawn already", "can take", "not a known State")

Needs = dict[str, frozenset[str]]


@pytest.fixture(scope="module", autouse=True)
def shorter_search() -> Iterator[None]:
    """A tenth of the search's bound keeps the file fast; the rules hold whatever the bound,
    and small worlds are decided in well under a thousand steps, so still exactly."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(draw_module, "MAX_STEPS", draw_module.MAX_STEPS // 10)
        yield


class World:
    """Random States, the States under review with their instruments, a cap and a seed."""

    def __init__(self, parties: list[Party], needs: Needs, cap: int, seed: str) -> None:
        self.parties = parties
        self.by_code = {party.code: party for party in parties}
        self.needs = needs
        self.cap = cap
        self.seed = seed

    def draw(self, max_reviews: int | None = None) -> list[SeatDraw]:
        cap = self.cap if max_reviews is None else max_reviews
        return draw_reviewers(self.parties, self.needs, max_reviews=cap, seed=self.seed)

    def __repr__(self) -> str:
        return f"World({self.parties!r}, {self.needs!r}, cap={self.cap}, seed={self.seed!r})"


@st.composite
def worlds(
    draw: st.DrawFn,
    *,
    max_states: int = 40,
    max_under_review: int = 40,
    caps: tuple[int, int] = (1, 5),
) -> World:
    """A world of 2..`max_states` States, in random groups, party to random instruments."""
    size = draw(st.integers(2, max_states))
    parties = []
    for number in range(1, size + 1):
        group = draw(st.sampled_from((*GROUPS, *GROUPS, NO_GROUP)))
        instruments = draw(st.frozensets(st.sampled_from(INSTRUMENTS)))
        parties.append(Party(f"S{number:02d}", group, instruments))
    candidates = [party for party in parties if party.parties]
    if not candidates:
        parties[0] = Party(parties[0].code, parties[0].group, frozenset({"UNTOC"}))
        candidates = [parties[0]]
    chosen = draw(
        st.lists(
            st.sampled_from(candidates),
            min_size=1,
            max_size=min(len(candidates), max_under_review),
            unique_by=lambda party: party.code,
        )
    )
    needs = {
        party.code: draw(st.frozensets(st.sampled_from(sorted(party.parties)), min_size=1))
        for party in chosen
    }
    cap = draw(st.integers(*caps))
    seed = draw(st.text("abcdef0123456789", min_size=1, max_size=8))
    return World(parties, needs, cap, seed)


def in_pool(parties: Mapping[str, Party], state: str, seat: str, reviewer: str) -> bool:
    """The region rule: same group for the same-region seat, another one for the other seat;
    any group for both seats of a State in no group."""
    own, theirs = parties[state].group, parties[reviewer].group
    if reviewer == state:
        return False
    if own == NO_GROUP:
        return True
    return (theirs == own) == (seat == SAME_REGION)


def reviewers_by_state(seats: Iterable[SeatDraw]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for seat in seats:
        found.setdefault(seat.state_under_review, set()).add(seat.reviewing_state)
    return found


def mutual_pairs(seats: Iterable[SeatDraw]) -> set[frozenset[str]]:
    reviewers = reviewers_by_state(seats)
    return {
        frozenset((state, reviewer))
        for state, codes in reviewers.items()
        for reviewer in codes
        if state in reviewers.get(reviewer, set())
    }


def assert_seat_rules(
    parties: Mapping[str, Party], seats: list[SeatDraw], needs: Mapping[str, frozenset[str]]
) -> None:
    """One seat of each kind per State and instrument under review, each one lawful."""
    keys = Counter((s.state_under_review, s.instrument, s.seat) for s in seats)
    expected = {
        (state, i, seat)
        for state, instruments in needs.items()
        for i in instruments
        for seat in SEATS
    }
    assert set(keys) == expected
    assert all(count == 1 for count in keys.values()), keys
    for seat in seats:
        reviewer = parties[seat.reviewing_state]
        assert seat.reviewing_state != seat.state_under_review
        assert seat.instrument in reviewer.parties, seat
        assert in_pool(parties, seat.state_under_review, seat.seat, seat.reviewing_state), seat
    for state in needs:
        on_seat = {
            kind: {
                s.reviewing_state for s in seats if s.state_under_review == state and s.seat == kind
            }
            for kind in SEATS
        }
        assert not on_seat[SAME_REGION] & on_seat[OTHER_REGION], (state, on_seat)


def assert_rules(world: World, seats: list[SeatDraw]) -> None:
    """Every rule of a whole draw, including its primary and additional reviewers."""
    parties = world.by_code
    assert_seat_rules(parties, seats, world.needs)
    for state, needed in world.needs.items():
        for kind in SEATS:
            mine = [s for s in seats if s.state_under_review == state and s.seat == kind]
            primaries = {s.reviewing_state for s in mine if not s.is_additional}
            assert len(primaries) == 1, (state, kind, mine)
            (primary,) = primaries
            covered = needed & parties[primary].parties
            assert covered, (state, kind, primary)
            assert {s.instrument for s in mine if not s.is_additional} == covered
            assert {s.instrument for s in mine if s.is_additional} == needed - covered
    load = Counter(code for codes in reviewers_by_state(seats).values() for code in codes)
    assert max(load.values()) <= world.cap, load


def assert_names_rule(world: World, error: DrawImpossible) -> None:
    """The error names a State under review, one of its instruments, a seat and a rule."""
    assert error.state in world.needs
    assert error.instrument in world.needs[error.state]
    assert error.seat in SEATS
    assert str(error).startswith(f"{error.state}, ")
    assert any(words in error.reason for words in RULE_WORDS), error.reason
    if error.reason.startswith("no State of"):
        pool = [
            p
            for p in world.parties
            if error.instrument in p.parties
            and in_pool(world.by_code, error.state, error.seat, p.code)
        ]
        assert not pool, (error, pool)


def brute_force(world: World, *, allow_mutual: bool) -> bool:
    """Whether any lawful draw exists: every way of choosing a primary and the additional
    reviewers of every seat, under the cap, with or without mutual pairs."""
    parties = world.by_code

    def choices(state: str, seat: str) -> list[frozenset[str]]:
        needed = world.needs[state]
        found = set()
        for primary in parties.values():
            if not primary.parties & needed or not in_pool(parties, state, seat, primary.code):
                continue
            pools = [
                [
                    p.code
                    for p in parties.values()
                    if i in p.parties and in_pool(parties, state, seat, p.code)
                ]
                for i in sorted(needed - primary.parties)
            ]
            for extras in itertools.product(*pools):
                found.add(frozenset((primary.code, *extras)))
        return sorted(found, key=lambda codes: (len(codes), sorted(codes)))

    slots = [(state, seat) for state in sorted(world.needs) for seat in SEATS]
    options = {slot: choices(*slot) for slot in slots}
    reviewers: dict[str, set[str]] = {state: set() for state in world.needs}
    load: Counter[str] = Counter()

    def place(depth: int) -> bool:
        if depth == len(slots):
            return True
        state, seat = slots[depth]
        for codes in options[(state, seat)]:
            if codes & reviewers[state] or any(load[code] >= world.cap for code in codes):
                continue
            if not allow_mutual and any(state in reviewers.get(code, ()) for code in codes):
                continue
            reviewers[state] |= codes
            load.update(codes)
            if place(depth + 1):
                return True
            reviewers[state] -= codes
            load.subtract(codes)
        return False

    return place(0)


PROPERTY = settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(worlds())
def test_a_draw_meets_every_rule_or_names_the_one_it_cannot(world: World) -> None:
    try:
        seats = world.draw()
    except DrawImpossible as error:
        assert_names_rule(world, error)
        with pytest.raises(DrawImpossible) as again:
            world.draw()
        assert str(again.value) == str(error)
        return
    assert_rules(world, seats)
    assert world.draw() == seats
    shuffled = draw_reviewers(
        list(reversed(world.parties)),
        {state: sorted(needs) for state, needs in reversed(world.needs.items())},
        max_reviews=world.cap,
        seed=world.seed,
    )
    assert shuffled == seats


def party(code: str, group: str, *instruments: str) -> Party:
    return Party(code, group, frozenset(instruments))


#: Found by the brute force: possible only with another additional reviewer than the first one
#: the lots give.
NEEDS_ANOTHER_ADDITIONAL_REVIEWER = World(
    [
        party("S00", "eastern_european", "SOM", "FIR", "TIP", "UNTOC"),
        party("S01", "weog", "SOM", "FIR", "TIP", "UNTOC"),
        party("S02", "weog", "SOM", "FIR", "UNTOC"),
        party("S03", "eastern_european", "SOM", "UNTOC"),
        party("S04", "grulac", "FIR", "TIP", "UNTOC"),
    ],
    {"S03": frozenset({"SOM", "UNTOC"}), "S02": frozenset({"SOM", "FIR", "UNTOC"})},
    1,
    "17935",
)
#: Found by the brute force: without mutual pairs only with another additional reviewer.
MUTUAL_PAIR_AVOIDABLE = World(
    [
        party("S00", "asia_pacific", "SOM", "FIR", "TIP", "UNTOC"),
        party("S01", "african", "FIR", "TIP", "UNTOC"),
        party("S02", "african", "SOM", "FIR", "TIP", "UNTOC"),
        party("S03", "african", "SOM", "FIR", "UNTOC"),
        party("S04", "african", "TIP"),
        party("S05", "grulac", "FIR", "TIP"),
    ],
    {
        "S01": frozenset({"FIR", "TIP"}),
        "S03": frozenset({"UNTOC"}),
        "S02": frozenset({"SOM", "FIR", "TIP", "UNTOC"}),
    },
    2,
    "3631",
)


@settings(max_examples=examples(300), deadline=None)
@given(worlds(max_states=7, max_under_review=3, caps=(1, 3)))
@example(NEEDS_ANOTHER_ADDITIONAL_REVIEWER)
@example(MUTUAL_PAIR_AVOIDABLE)
def test_small_worlds_agree_with_brute_force(world: World) -> None:
    """Impossible exactly when no lawful draw exists; mutual pairs only when unavoidable."""
    try:
        seats = world.draw()
    except DrawImpossible as error:
        assert_names_rule(world, error)
        assert not brute_force(world, allow_mutual=True)
        return
    assert_rules(world, seats)
    if mutual_pairs(seats):
        assert not brute_force(world, allow_mutual=False)


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(st.integers(4, 8), min_size=len(GROUPS), max_size=len(GROUPS)),
    st.data(),
    st.integers(2, 5),
    st.text("abc123", min_size=1, max_size=6),
)
def test_no_mutual_pairs_where_avoiding_them_is_easy(
    sizes: list[int], data: st.DataObject, cap: int, seed: str
) -> None:
    """Everybody party to everything, four to eight States per group, at most half of them
    under review."""
    parties = [
        Party(f"{group[:2].upper()}{number}", group, frozenset(INSTRUMENTS))
        for group, size in zip(GROUPS, sizes, strict=True)
        for number in range(size)
    ]
    under_review = data.draw(
        st.lists(st.sampled_from(parties), min_size=1, max_size=len(parties) // 2, unique=True)
    )
    needs = {
        party.code: data.draw(st.frozensets(st.sampled_from(INSTRUMENTS), min_size=1))
        for party in under_review
    }
    world = World(parties, needs, cap, seed)
    seats = world.draw()
    assert_rules(world, seats)
    assert not mutual_pairs(seats)


@settings(max_examples=examples(50), deadline=None)
@given(worlds(max_states=20))
def test_without_any_review_to_give_every_draw_fails(world: World) -> None:
    with pytest.raises(DrawImpossible) as raised:
        world.draw(max_reviews=0)
    assert_names_rule(world, raised.value)
    assert "cap" in raised.value.reason or "party to" in raised.value.reason


@settings(max_examples=examples(50), deadline=None)
@given(worlds(max_states=12), st.text("xyz", min_size=1, max_size=4))
def test_whether_a_draw_is_possible_does_not_depend_on_the_seed(world: World, other: str) -> None:
    """The search is complete in small worlds: another seed fails exactly when one fails."""
    other_world = World(world.parties, world.needs, world.cap, other)
    try:
        world.draw()
    except DrawImpossible:
        with pytest.raises(DrawImpossible):
            other_world.draw()
        return
    assert_rules(other_world, other_world.draw())


@settings(max_examples=examples(150), deadline=None)
@given(worlds(max_states=25), st.data())
def test_a_replacement_avoids_the_state_that_declined_and_keeps_the_cap(
    world: World, data: st.DataObject
) -> None:
    """Redraw one reviewing State's seat for one State under review, around the other seats."""
    try:
        seats = world.draw()
    except DrawImpossible:
        return
    replaced = data.draw(st.sampled_from(seats))
    state, kind, declined_by = (
        replaced.state_under_review,
        replaced.seat,
        replaced.reviewing_state,
    )
    declined = [
        s
        for s in seats
        if (s.state_under_review, s.seat, s.reviewing_state) == (state, kind, declined_by)
    ]
    kept = [s for s in seats if s not in declined]
    instruments = frozenset(s.instrument for s in declined)
    try:
        new = draw_reviewers(
            world.parties,
            {state: instruments},
            max_reviews=world.cap,
            seed=world.seed + "-again",
            existing=kept,
            seats=(kind,),
            excluded={state: {declined_by}},
        )
    except DrawImpossible as error:
        assert error.state == state
        assert error.seat == kind
        assert error.instrument in instruments
        return
    assert {(s.state_under_review, s.seat) for s in new} == {(state, kind)}
    assert {s.instrument for s in new} == instruments
    assert declined_by not in {s.reviewing_state for s in new}
    assert_seat_rules(world.by_code, kept + new, world.needs)
    load = Counter(code for codes in reviewers_by_state(kept + new).values() for code in codes)
    assert max(load.values()) <= world.cap


def test_the_excluded_state_is_never_drawn_even_when_it_is_the_only_one() -> None:
    parties = [
        Party("S01", "weog", frozenset({"UNTOC"})),
        Party("S02", "weog", frozenset({"UNTOC"})),
        Party("S03", "grulac", frozenset({"UNTOC"})),
    ]
    kept = [SeatDraw("S01", "UNTOC", OTHER_REGION, "S03", False)]
    with pytest.raises(DrawImpossible) as raised:
        draw_reviewers(
            parties,
            {"S01": ["UNTOC"]},
            max_reviews=3,
            seed="x",
            existing=kept,
            seats=(SAME_REGION,),
            excluded={"S01": {"S02"}},
        )
    assert raised.value.state == "S01"
    assert raised.value.seat == SAME_REGION
    assert "drawn already" in raised.value.reason


def test_existing_seats_count_towards_the_cap() -> None:
    parties = [Party(f"S0{n}", "weog", frozenset({"UNTOC"})) for n in range(1, 5)] + [
        Party("S09", "grulac", frozenset({"UNTOC"}))
    ]
    # S02 already reviews two States (the cap): the same-region seat of S01 goes elsewhere.
    existing = [
        SeatDraw("S03", "UNTOC", SAME_REGION, "S02", False),
        SeatDraw("S04", "UNTOC", SAME_REGION, "S02", False),
    ]
    for seed in map(str, range(20)):
        (seat,) = draw_reviewers(
            parties,
            {"S01": ["UNTOC"]},
            max_reviews=2,
            seed=seed,
            existing=existing,
            seats=(SAME_REGION,),
        )
        assert seat.reviewing_state in {"S03", "S04"}
    with pytest.raises(DrawImpossible) as raised:
        draw_reviewers(
            parties,
            {"S01": ["UNTOC"]},
            max_reviews=1,
            seed="x",
            existing=[
                *existing,
                SeatDraw("S02", "UNTOC", SAME_REGION, "S03", False),
                SeatDraw("S03", "UNTOC", SAME_REGION, "S04", False),
            ],
            seats=(SAME_REGION,),
        )
    assert raised.value.state == "S01"


def test_an_additional_reviewer_covers_what_the_primary_is_not_party_to() -> None:
    parties = [
        Party("S01", "african", frozenset({"UNTOC", "TIP"})),
        Party("S02", "african", frozenset({"UNTOC"})),
        Party("S03", "african", frozenset({"TIP"})),
        Party("S04", "weog", frozenset({"UNTOC", "TIP"})),
    ]
    seats = draw_reviewers(parties, {"S01": ["UNTOC", "TIP"]}, max_reviews=1, seed="s")
    same = sorted(
        (s.instrument, s.reviewing_state, s.is_additional) for s in seats if s.seat == SAME_REGION
    )
    assert same in (
        [("TIP", "S03", True), ("UNTOC", "S02", False)],
        [("TIP", "S03", False), ("UNTOC", "S02", True)],
    )
    assert [(s.instrument, s.reviewing_state) for s in seats if s.seat == OTHER_REGION] == [
        ("TIP", "S04"),
        ("UNTOC", "S04"),
    ]


def test_a_state_in_no_group_is_reviewed_by_any_two_states() -> None:
    parties = [
        Party("EUU", NO_GROUP, frozenset({"UNTOC"})),
        Party("S01", "weog", frozenset({"UNTOC"})),
        Party("S02", "weog", frozenset({"UNTOC"})),
    ]
    seats = draw_reviewers(parties, {"EUU": ["UNTOC"]}, max_reviews=1, seed="s")
    assert sorted(s.reviewing_state for s in seats) == ["S01", "S02"]


def test_an_unknown_state_is_named() -> None:
    with pytest.raises(DrawImpossible, match="XXX is not a known State"):
        draw_reviewers(
            [Party("S01", "weog", frozenset())], {"XXX": ["UNTOC"]}, max_reviews=1, seed="s"
        )


def test_a_seat_nobody_can_take_is_found_before_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thirty States under review; the last one's group has nobody else party to FIR."""
    monkeypatch.setattr(draw_module, "MAX_STEPS", 0)
    parties = [
        party(f"S{n:02d}", GROUPS[n % 5], *(("UNTOC",) if n % 5 == 3 else ("UNTOC", "FIR")))
        for n in range(40)
    ]
    parties.append(party("S99", "grulac", "UNTOC", "FIR"))
    needs = {p.code: ["UNTOC"] for p in parties[:30]} | {"S99": ["FIR"]}
    with pytest.raises(DrawImpossible) as raised:
        draw_reviewers(parties, needs, max_reviews=2, seed="a")
    assert str(raised.value) == (
        "S99, same-region seat for FIR: no State of the grulac group is party to FIR"
    )


def test_too_few_reviewers_for_a_group_are_counted_before_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three WEOG States under review for SOM; outside WEOG only S10 is party to it."""
    monkeypatch.setattr(draw_module, "MAX_STEPS", 0)
    parties = [party(f"W0{n}", "weog", "UNTOC", "SOM") for n in range(1, 5)]
    parties += [party("S10", "african", "UNTOC", "SOM"), party("S11", "grulac", "UNTOC")]
    needs = {"W01": ["SOM"], "W02": ["SOM", "UNTOC"], "W03": ["SOM"]}
    with pytest.raises(DrawImpossible) as raised:
        draw_reviewers(parties, needs, max_reviews=2, seed="a")
    assert str(raised.value) == (
        "W01, other-region seat for SOM: the States of other groups party to SOM can take 2 of "
        "the 3 such seats the States of the weog group need (cap of 2 reviews)"
    )
    monkeypatch.undo()
    seats = draw_reviewers(parties, needs, max_reviews=3, seed="a")
    assert {
        s.reviewing_state for s in seats if s.seat == OTHER_REGION and s.instrument == "SOM"
    } == {"S10"}


@settings(max_examples=examples(150), deadline=None)
@given(worlds(max_states=20), st.sampled_from(NO_GROUP_RULES))
def test_the_setting_for_entities_in_no_group_is_followed(world: World, rule: str) -> None:
    """Excluded: never a reviewer. Other-region only: its one seat per instrument is the
    other-region seat. Whatever the setting, the hard rules hold, and a draw that did not
    need the mutual-pair fallback has no mutual pair."""
    try:
        outcome = draw_lots(
            world.parties, world.needs, max_reviews=world.cap, seed=world.seed, no_group_rule=rule
        )
    except DrawImpossible as error:
        assert error.state in world.needs and error.seat in SEATS
        return
    parties, seats = world.by_code, outcome.seats
    for seat in seats:
        reviewer = parties[seat.reviewing_state]
        assert (
            seat.instrument in reviewer.parties and seat.reviewing_state != seat.state_under_review
        )
        if reviewer.group == NO_GROUP:
            assert rule != NO_GROUP_EXCLUDED, seat
            if parties[seat.state_under_review].group != NO_GROUP:
                assert seat.seat == OTHER_REGION, seat
    for state, needed in world.needs.items():
        only_other = parties[state].group == NO_GROUP and rule == NO_GROUP_OTHER_ONLY
        kinds = {OTHER_REGION} if only_other else set(SEATS)
        for instrument in needed:
            mine = [s for s in seats if (s.state_under_review, s.instrument) == (state, instrument)]
            assert sorted(s.seat for s in mine) == sorted(kinds), (state, instrument, mine)
    load = Counter(code for codes in reviewers_by_state(seats).values() for code in codes)
    assert not load or max(load.values()) <= world.cap
    if not outcome.used_mutual_fallback:
        assert not mutual_pairs(seats)
