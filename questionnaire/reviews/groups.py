"""The split of States by lot into groups that start their reviews in consecutive years."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State
from questionnaire.reviews.draw import (
    CALLER_SEED_SOURCE,
    SERVER_SEED_SOURCE,
    random_order,
    server_seed,
)
from questionnaire.reviews.models import StateGroupDraw

#: The version of the procedure in docs/drawing-of-lots.md ("Groups drawn by lot").
GROUP_PROCEDURE_VERSION = "groups-1"
#: The instrument whose States parties are split (every State reviewed is party to it).
SPLIT_INSTRUMENT = "UNTOC"


def states_to_split(db: Session) -> list[str]:
    """The codes of the States parties to the Convention, in alphabetical order."""
    states = db.exec(select(State).order_by(col(State.code))).all()
    return [state.code for state in states if state.is_party_to(SPLIT_INSTRUMENT)]


def split_by_lot(codes: list[str], sizes: list[int], seed: str) -> list[list[str]]:
    """The codes in an order drawn by lot, cut into groups of the given sizes in turn."""
    order = random_order(seed, codes, "groups")
    groups, start = [], 0
    for size in sizes:
        groups.append(sorted(order[start : start + size]))
        start += size
    return groups


def draw_state_groups(
    db: Session,
    *,
    sizes: list[int],
    first_year: int,
    user: User,
    seed: str | None = None,
    seed_source: str | None = None,
) -> StateGroupDraw:
    """Draw the groups of States by lot and record the draw; the sizes must add up to the
    number of States parties to the Convention. The server draws the seed unless a caller
    that is not a person's form fixes it and says so."""
    codes = states_to_split(db)
    _check_sizes(sizes, codes)
    if seed is None:
        seed, seed_source = server_seed(), SERVER_SEED_SOURCE
    groups = split_by_lot(codes, sizes, seed)
    draw = StateGroupDraw(
        seed=seed,
        seed_source=seed_source or CALLER_SEED_SOURCE,
        procedure_version=GROUP_PROCEDURE_VERSION,
        inputs={"states": codes, "sizes": sizes, "first_year": first_year},
        result=[
            {"number": n, "starts_in": first_year + n - 1, "states": states}
            for n, states in enumerate(groups, start=1)
        ],
        created_by_id=user.id,
    )
    db.add(draw)
    db.flush()
    record(
        db,
        actor=user,
        action="groups.draw",
        object_type="state_group_draw",
        object_id=draw.id,
        after={"seed": seed, "seed_source": draw.seed_source, "sizes": sizes},
    )
    db.flush()
    return draw


def _check_sizes(sizes: list[int], codes: list[str]) -> None:
    """Refuse sizes that leave a group empty or that do not add up to the States to split."""
    if not sizes or any(size < 1 for size in sizes):
        raise RuleViolation(_l("Every group must have at least one State."))
    if sum(sizes) != len(codes):
        raise RuleViolation(
            _l(
                "The sizes add up to %(total)d States, but %(count)d States are parties to "
                "the Convention.",
                total=sum(sizes),
                count=len(codes),
            )
        )


def group_states(draw: StateGroupDraw, number: int) -> list[str]:
    """The States of group `number` of the draw; empty when there is no such group."""
    for group in draw.result:
        if group["number"] == number:
            return list(group["states"])
    return []
