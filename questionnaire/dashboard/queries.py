"""The secretariat's dashboard: every review with its reviewers, list status and what is
overdue, filtered, sorted, grouped by State and cut into pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from questionnaire.banks.models import BankVersion
from questionnaire.reference.models import State
from questionnaire.reference.names import collation_key, name_keys
from questionnaire.reviews.deadlines import Deadlines, by_phase
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewMembership,
    ReviewPhase,
)
from questionnaire.workspace.models import (
    LIST_STATUSES,
    DialogueMessage,
    ListOfObservations,
    Observation,
)

#: The ids of the reviews shown, as a query the figures are read for.
ReviewIds = SelectOfScalar[int | None]


class ReviewFacts(NamedTuple):
    """What the dashboard shows and counts of a review: its columns, read as such (every
    review of the mechanism is read on every request)."""

    id: int
    state_code: str
    status: str
    bank_version_id: int
    phase_id: int | None
    started_on: date
    answers_due_on: date
    submitted_at: datetime | None


@dataclass(frozen=True)
class DashboardRow:
    """One review on the secretariat's dashboard, with what is overdue."""

    review: ReviewFacts
    state: State
    instrument: str
    phase_name: str | None
    reviewers: tuple[str, ...]
    list_status: str
    overdue: tuple[str, ...]
    #: the roles of the State under review someone holds: focal_point, expert
    named: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DashboardFilters:
    phase_id: int | None = None
    instrument: str | None = None
    region: str | None = None
    status: str | None = None


def dashboard(
    db: Session,
    filters: DashboardFilters,
    deadlines: Deadlines,
    today: date,
    states: dict[str, State] | None = None,
    phase_deadlines: dict[int | None, Deadlines] | None = None,
) -> list[DashboardRow]:
    """Every review matching the filters, with its reviewers and overdue items; `states` are
    every State by code and `phase_deadlines` the durations of each phase (`by_phase`), read
    here if not given."""
    rows = _read(db, _matching(filters))
    # Each State once, not once per review: its names are JSON, decoded on every row read.
    if states is None:
        states = {state.code: state for state in db.exec(select(State))}
    # The reviews' figures are read for the same filters in SQL: a list of every review's id
    # in each statement (889 of them) cost more than the statements themselves.
    ids = _matching_ids(filters)
    named: dict[int, set[str]] = {}
    for review_id, role in _read(
        db,
        select(ReviewMembership.review_id, ReviewMembership.role)
        .distinct()
        .where(col(ReviewMembership.review_id).in_(ids)),
    ):
        named.setdefault(review_id, set()).add(role)
    feedback = _feedback(db, ids)
    lists = _list_statuses(db, ids)
    reviewers = _active_reviewers(db, ids)
    result = []
    if phase_deadlines is None:
        phase_deadlines = by_phase(db, deadlines)
    dues = {phase: _DueDates(durations) for phase, durations in phase_deadlines.items()}
    nobody: set[str] = set()
    for *columns, instrument, phase_name in rows:
        review = ReviewFacts(*columns)
        review_id = review.id
        roles = named.get(review_id, nobody)
        overdue = _overdue(
            review, roles, feedback.get(review_id, 0), dues.get(review.phase_id, dues[None]), today
        )
        list_status = lists.get(review_id, "drafting" if review.status == "submitted" else "")
        row = DashboardRow(
            review,
            states[review.state_code],
            instrument,
            phase_name,
            tuple(sorted(reviewers.get(review_id, ()))),
            list_status,
            overdue,
            frozenset(roles & _UNDER_REVIEW_ROLES),
        )
        if has_status(row, filters.status):
            result.append(row)
    return result


#: The roles of the State under review that the dashboard says are named.
_UNDER_REVIEW_ROLES = frozenset({"focal_point", "expert"})


def _read(db: Session, query: Any) -> list[Any]:
    """The rows of a query of columns, read through the session's connection: the ORM's
    handling of each row is not needed for columns (every review is read on every request)."""
    return list(db.connection().execute(query).all())


def _matching(filters: DashboardFilters) -> Select[Any]:
    """The reviews matching the filters (but the status): the columns of `ReviewFacts`, then
    their instrument and phase's name, by State and instrument."""
    query = (
        select(  # type: ignore[call-overload]
            *(getattr(Review, name) for name in ReviewFacts._fields),
            BankVersion.instrument,
            ReviewPhase.name,
        )
        .join(State, col(State.code) == Review.state_code)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .join(ReviewPhase, col(ReviewPhase.id) == Review.phase_id, isouter=True)
        .order_by(col(State.name_en), col(BankVersion.instrument))
    )
    filtered: Select[Any] = query.where(*_conditions(filters))
    return filtered


def _matching_ids(filters: DashboardFilters) -> ReviewIds:
    """The ids of the reviews matching the filters (but the status)."""
    query = (
        select(col(Review.id))
        .join(State, col(State.code) == Review.state_code)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
    )
    return query.where(*_conditions(filters))


def _conditions(filters: DashboardFilters) -> list[ColumnElement[bool] | bool]:
    """The filters (but the status), on reviews joined to their State and questionnaire."""
    conditions: list[ColumnElement[bool] | bool] = []
    if filters.phase_id:
        conditions.append(Review.phase_id == filters.phase_id)
    if filters.instrument:
        conditions.append(BankVersion.instrument == filters.instrument)
    if filters.region:
        conditions.append(State.regional_group == filters.region)
    return conditions


def _feedback(db: Session, ids: ReviewIds) -> dict[int, int]:
    """Review id -> its requests for clarification and observations: the reviewers' feedback."""
    requests = _read(
        db,
        select(DialogueMessage.review_id, func.count())
        .where(col(DialogueMessage.review_id).in_(ids), DialogueMessage.kind == "request")
        .group_by(col(DialogueMessage.review_id)),
    )
    observed = _read(
        db,
        select(Observation.review_id, func.count())
        .where(col(Observation.review_id).in_(ids))
        .group_by(col(Observation.review_id)),
    )
    found: dict[int, int] = {}
    for review_id, count in [*requests, *observed]:
        found[review_id] = found.get(review_id, 0) + count
    return found


def _list_statuses(db: Session, ids: ReviewIds) -> dict[int, str]:
    """Review id -> the status of its list of observations, where it has one."""
    return dict(
        _read(
            db,
            select(ListOfObservations.review_id, ListOfObservations.status).where(
                col(ListOfObservations.review_id).in_(ids)
            ),
        )
    )


def _active_reviewers(db: Session, ids: ReviewIds) -> dict[int, list[str]]:
    """Review id -> the reviewing States on its active seats."""
    reviewers: dict[int, list[str]] = {}
    for review_id, reviewing_state in _read(
        db,
        select(ReviewAssignment.review_id, ReviewAssignment.reviewing_state).where(
            col(ReviewAssignment.review_id).in_(ids), col(ReviewAssignment.is_active).is_(True)
        ),
    ):
        reviewers.setdefault(review_id, []).append(reviewing_state)
    return reviewers


#: The totals at the top of the dashboard, in the order a review goes through them.
DASHBOARD_TOTALS = ("answering", "submitted", *LIST_STATUSES, "overdue")


def has_status(row: DashboardRow, status: str | None) -> bool:
    """Whether `row` is counted under `status` (any status when None)."""
    if not status:
        return True
    if status in ("answering", "submitted"):
        return row.review.status == status
    if status == "overdue":
        return bool(row.overdue)
    return row.list_status == status


def totals(rows: list[DashboardRow]) -> dict[str, int]:
    """How many of `rows` are counted under each status of `DASHBOARD_TOTALS`."""
    found = dict.fromkeys(DASHBOARD_TOTALS, 0)
    for row in rows:
        # The statuses `has_status` counts a row under: its review's, its list's, overdue.
        for status in (row.review.status, row.list_status, "overdue" if row.overdue else ""):
            if status in found:
                found[status] += 1
    return found


def _name_keys(rows: list[DashboardRow], language: str) -> dict[str, tuple[str, str]]:
    """The `collation_key` of the name in `language` of each State of `rows`, by code: once
    per State, not once per review."""
    return name_keys({row.state.code: row.state for row in rows}.values(), language)


def matching_name(rows: list[DashboardRow], text: str, language: str) -> list[DashboardRow]:
    """The rows whose State's name in `language` contains `text`, accents and case ignored."""
    wanted = collation_key(text)[0]
    if not wanted:
        return rows
    keys = _name_keys(rows, language)
    return [row for row in rows if wanted in keys[row.state.code][0]]


#: How the dashboard can be sorted.
DASHBOARD_SORTS = ("state", "instrument", "status", "due")


def sorted_rows(rows: list[DashboardRow], sort: str, language: str) -> list[DashboardRow]:
    """The rows sorted by `sort` (one of `DASHBOARD_SORTS`), then by State and instrument."""

    keys = _name_keys(rows, language)

    def by_state(row: DashboardRow) -> tuple[tuple[str, str], str]:
        return keys[row.state.code], row.instrument

    if sort == "instrument":
        return sorted(rows, key=lambda row: (row.instrument, by_state(row)))
    if sort == "status":
        order = {status: index for index, status in enumerate(DASHBOARD_TOTALS)}
        return sorted(
            rows,
            key=lambda row: (order.get(row.list_status or row.review.status, 0), by_state(row)),
        )
    if sort == "due":
        return sorted(rows, key=lambda row: (row.review.answers_due_on, by_state(row)))
    return sorted(rows, key=by_state)


class _DueDates:
    """The deadlines of one phase's durations, each computed once per kind and day: the
    reviews of a phase share their start, and many their day of submission."""

    def __init__(self, deadlines: Deadlines) -> None:
        self.rules = {
            "focal_point": deadlines.focal_point_due,
            "experts": deadlines.experts_due,
            "feedback": deadlines.feedback_due,
        }
        self.found: dict[tuple[str, date], date] = {}

    def __call__(self, kind: str, day: date) -> date:
        key = (kind, day)
        if key not in self.found:
            self.found[key] = self.rules[kind](day)
        return self.found[key]


def _overdue(
    review: ReviewFacts,
    roles: set[str],
    feedback: int,
    due: _DueDates,
    today: date,
) -> tuple[str, ...]:
    """What is overdue in `review`, whose members hold `roles`."""
    items = []
    if "focal_point" not in roles and today > due("focal_point", review.started_on):
        items.append("focal_point")
    if "expert" not in roles and today > due("experts", review.started_on):
        items.append("experts")
    if review.status == "answering" and today > review.answers_due_on:
        items.append("answers")
    if (
        review.status == "submitted"
        and review.submitted_at is not None
        and not feedback
        and today > due("feedback", review.submitted_at.date())
    ):
        items.append("feedback")
    return tuple(items)


#: The overdue items that a nomination settles for all the reviews of a State in a phase.
NOMINATION_ITEMS = ("focal_point", "experts")


@dataclass(frozen=True)
class StateRows:
    """Consecutive dashboard rows of one State under review in one phase."""

    rows: tuple[DashboardRow, ...]

    @property
    def first(self) -> DashboardRow:
        return self.rows[0]

    @property
    def nominations(self) -> tuple[tuple[str, int], ...]:
        """The people the State has not named in time, each with the first of its reviews that
        lacks them: one nomination names them for all its reviews of the phase, so the
        dashboard flags them once per State, not once per instrument. (Worked out for the
        groups shown only, not for every group of the dashboard.)"""
        found: dict[str, int] = {}
        for row in self.rows:
            for item in row.overdue:
                if item in NOMINATION_ITEMS:
                    found.setdefault(item, row.review.id)
        return tuple((item, found[item]) for item in NOMINATION_ITEMS if item in found)


def by_state(rows: list[DashboardRow]) -> list[StateRows]:
    """`rows` cut where the State under review or the phase changes, in their order."""
    runs: list[list[DashboardRow]] = []
    previous = None
    for row in rows:
        key = (row.review.state_code, row.review.phase_id)
        if key == previous:
            runs[-1].append(row)
        else:
            runs.append([row])
            previous = key
    return [StateRows(tuple(run)) for run in runs]
