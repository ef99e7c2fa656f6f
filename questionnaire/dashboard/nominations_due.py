"""Who still has to be named, and by when: focal points within two weeks of the start and
governmental experts within four (configured durations), for the State under review and for
each reviewing State. Read only: for the dashboard, reminders and people's home pages.

It reads the nominations, the seats and the lists of observations (a review whose list is final
needs nobody more), so it sits with the dashboard, above those features."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.nominations.models import Nomination
from questionnaire.reference.models import State
from questionnaire.reference.names import name_keys
from questionnaire.reviews.deadlines import Deadlines, by_phase
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewMembership
from questionnaire.workspace.models import ListOfObservations


@dataclass(frozen=True)
class DueNomination:
    """A role a State has yet to name people to, in some reviews, by a date.

    `state_code` is the State that must nominate; `side` says whether for its own review
    (`under_review`) or for the seats it was drawn for (`reviewing`); `role` is `focal_point`
    or `experts`; `review_ids` and `instruments` are the reviews (seats) still without anyone
    in that role."""

    state_code: str
    side: str
    role: str
    state_under_review: str
    phase_id: int | None
    review_ids: tuple[int, ...]
    instruments: tuple[str, ...]
    due_on: date

    @property
    def key(self) -> str:
        """Stable across days, for sending one reminder per item and threshold."""
        scope = f"phase-{self.phase_id}" if self.phase_id else f"review-{self.review_ids[0]}"
        parts = (self.side, self.state_code, self.state_under_review, scope, self.role)
        return "nomination:" + ":".join(parts)

    def is_overdue(self, today: date) -> bool:
        return today > self.due_on


@dataclass
class _Group:
    """The reviews one State has to staff for one State under review, in a phase (or alone)."""

    state_code: str
    side: str
    state_under_review: str
    phase_id: int | None
    started_on: date
    reviews: dict[int, str]  # review id -> instrument


def _named(db: Session, review_ids: SelectOfScalar[int | None]) -> dict[tuple[int, str], set[str]]:
    """(review id, State of the member) -> the roles named there, in the reviews of the query
    `review_ids`; a reviewing State's members count by their nomination's role (an unnominated
    reviewer counts as an expert)."""
    rows = db.connection().execute(
        select(ReviewMembership.review_id, ReviewMembership.role, User.state_code, Nomination.role)
        .join(User, col(User.id) == ReviewMembership.user_id)
        .join(Nomination, col(Nomination.id) == ReviewMembership.nomination_id, isouter=True)
        .where(col(ReviewMembership.review_id).in_(review_ids))
    )
    named: dict[tuple[int, str], set[str]] = {}
    for review_id, role, state_code, nominated_as in rows:
        if role == "reviewer":
            role = nominated_as or "expert"
        named.setdefault((review_id, state_code or ""), set()).add(role)
    return named


#: Every review, as the nominations due need it (run on the session's connection).
_REVIEWS = core_select(
    col(Review.id),
    col(Review.state_code),
    col(Review.phase_id),
    col(Review.started_on),
    col(BankVersion.instrument),
).join(BankVersion, col(BankVersion.id) == Review.bank_version_id)


class _ReviewRow(NamedTuple):
    """What the nominations due need of a review."""

    id: int
    state_code: str
    phase_id: int | None
    started_on: date
    instrument: str


def _groups(db: Session) -> list[_Group]:
    # Columns, not ORM objects: every review of the mechanism is read for the dashboard.
    rows = [_ReviewRow._make(row) for row in db.connection().execute(_REVIEWS).all()]
    groups: dict[tuple[Any, ...], _Group] = {}

    def add(key: tuple[Any, ...], review: _ReviewRow, instrument: str, started: date) -> None:
        group = groups.get(key)
        if group is None:  # a group is made once, not once per review it holds
            group = groups[key] = _Group(
                key[0], key[1], review.state_code, review.phase_id, started, {}
            )
        elif started > group.started_on:
            group.started_on = started
        group.reviews[review.id] = instrument

    for review in rows:
        scope = review.phase_id or f"review-{review.id}"
        add(
            (review.state_code, "under_review", scope), review, review.instrument, review.started_on
        )
    by_id = {review.id: review for review in rows}
    seats = db.connection().execute(
        select(ReviewAssignment.review_id, ReviewAssignment.reviewing_state, ReviewDraw.created_at)
        .join(ReviewDraw, col(ReviewDraw.id) == ReviewAssignment.draw_id)
        .where(col(ReviewAssignment.is_active).is_(True))
    )
    for review_id, reviewing_state, drawn_at in seats:
        review = by_id[review_id]
        # A State cannot name anyone before it is drawn: its time runs from the draw.
        started = max(review.started_on, drawn_at.date())
        key = (reviewing_state, "reviewing", review.state_code, review.phase_id)
        add(key, review, review.instrument, started)
    return list(groups.values())


def _missing(
    groups: Iterable[_Group],
    named: dict[tuple[int, str], set[str]],
    deadlines: Deadlines,
    phase_deadlines: dict[int | None, Deadlines],
    overdue_on: date | None = None,
) -> list[DueNomination]:
    """The roles each group lacks; with `overdue_on`, only those past their deadline that day
    (the due date is known before the reviews are looked at, so the others cost nothing)."""
    items = []
    for group in groups:
        durations = phase_deadlines.get(group.phase_id, deadlines)
        for role, member_role, due in (
            ("focal_point", "focal_point", durations.focal_point_due(group.started_on)),
            ("experts", "expert", durations.experts_due(group.started_on)),
        ):
            if overdue_on is not None and overdue_on <= due:
                continue
            missing = sorted(
                review_id
                for review_id in group.reviews
                if member_role not in named.get((review_id, group.state_code), ())
            )
            if missing:
                items.append(
                    DueNomination(
                        state_code=group.state_code,
                        side=group.side,
                        role=role,
                        state_under_review=group.state_under_review,
                        phase_id=group.phase_id,
                        review_ids=tuple(missing),
                        instruments=tuple(sorted(group.reviews[i] for i in missing)),
                        due_on=due,
                    )
                )
    return items


def nominations_due(
    db: Session,
    today: date,
    deadlines: Deadlines | None = None,
    *,
    only_overdue: bool = False,
    phase_deadlines: dict[int | None, Deadlines] | None = None,
) -> list[DueNomination]:
    """Every role still to be named (with `only_overdue`, only those past their deadline
    `today`), soonest deadline first. Reviews whose list of observations is final need nobody
    more. `phase_deadlines` are the durations of each phase (`by_phase`), read if not given."""
    groups = _groups(db)
    finals = select(ListOfObservations.review_id).where(ListOfObservations.status == "final")
    final = set(db.exec(finals))
    for group in groups:
        group.reviews = {k: v for k, v in group.reviews.items() if k not in final}
    groups = [g for g in groups if g.reviews]
    # Every review is in a group of its State under review: those left are every review whose
    # list is not final, read as a query rather than sent as a list of every review's id.
    others = select(col(Review.id)).where(col(Review.id).not_in(finals))
    named = _named(db, others) if groups else {}
    deadlines = deadlines or Deadlines.configured()
    if phase_deadlines is None:
        phase_deadlines = by_phase(db, deadlines)
    items = _missing(
        groups, named, deadlines, phase_deadlines, overdue_on=today if only_overdue else None
    )
    return sorted(items, key=lambda i: (i.due_on, i.state_under_review, i.side, i.state_code))


def overdue(
    db: Session,
    today: date,
    phase_id: int | None = None,
    phase_deadlines: dict[int | None, Deadlines] | None = None,
) -> list[DueNomination]:
    """The items past their deadline (of one phase, if given); `phase_deadlines` as for
    `nominations_due`."""
    return [
        item
        for item in nominations_due(db, today, only_overdue=True, phase_deadlines=phase_deadlines)
        if phase_id is None or item.phase_id == phase_id
    ]


def by_names(
    items: list[DueNomination], states: Mapping[str, State], language: str
) -> list[DueNomination]:
    """`items` soonest deadline first, then by the names in `language` of the State under
    review and of the State that must nominate (not by their codes), as a reader looks for
    them."""
    present = {i.state_under_review for i in items} | {i.state_code for i in items}
    keys = name_keys((states[code] for code in present if code in states), language)

    def key(code: str) -> tuple[str, str]:
        return keys.get(code, (code, ""))

    return sorted(
        items, key=lambda i: (i.due_on, key(i.state_under_review), i.side, key(i.state_code))
    )
