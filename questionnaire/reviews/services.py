"""Opening reviews and giving people their roles in them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import WITHOUT_CONTENT, BankVersion
from questionnaire.banks.services import bank_of, instruments_without_bank
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.i18n import INTERFACE_LANGUAGES, current_language, list_of
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reference.services import instruments_as_at
from questionnaire.reviews import contributions, events
from questionnaire.reviews.deadlines import Deadlines, reviews_due_again
from questionnaire.reviews.draw import NO_GROUP_ANY, NO_GROUP_RULES

# The drawing of lots has a module of its own; its services are the reviews' services too.
from questionnaire.reviews.lots import PhaseLots as PhaseLots
from questionnaire.reviews.lots import active_assignments as active_assignments
from questionnaire.reviews.lots import draw_lots_of_phase as draw_lots_of_phase
from questionnaire.reviews.lots import draw_phase as draw_phase
from questionnaire.reviews.models import (
    RESPONDENT_ROLES,
    ROLES,
    Review,
    ReviewMembership,
    ReviewPhase,
)
from questionnaire.reviews.replacement import replace_reviewer as replace_reviewer


def open_review(
    db: Session,
    *,
    state_code: str,
    bank_version: BankVersion,
    started_on: date,
    phase_id: int | None = None,
    deadlines: Deadlines | None = None,
) -> Review:
    """Open the review of a State on a bank version, with its answer deadline."""
    if bank_version.status != "published":
        raise RuleViolation(_l("A review can only use a published questionnaire."))
    review = Review(
        state_code=state_code,
        bank_version_id=id_of(bank_version),
        started_on=started_on,
        answers_due_on=(deadlines or Deadlines.configured()).answers_due(started_on),
        phase_id=phase_id,
    )
    db.add(review)
    db.flush()
    return review


def add_member(
    db: Session, review: Review, user: User, role: str, *, nomination_id: int | None = None
) -> ReviewMembership:
    """Give `user` a role in `review`; one focal point per review, respondents of its State.

    `nomination_id`: the nomination the role comes from (ending it removes the membership).
    A person holds one role per review: a second nomination covering the same review is
    refused, naming the role the person already has.
    """
    if role not in ROLES:
        raise RuleViolation(_l("Unknown role: %(role)s.", role=role))
    existing = membership_of(db, review, user)
    if existing is not None:
        return _same_membership(db, existing, user, role, nomination_id)
    _check_member(db, review, user, role)
    membership = ReviewMembership(
        review_id=id_of(review),
        user_id=id_of(user),
        role=role,
        nomination_id=nomination_id,
    )
    try:
        with db.begin_nested():  # another request may have named one a moment ago
            db.add(membership)
    except IntegrityError as exc:
        if role == "focal_point":
            raise RuleViolation(_l("The review already has a focal point.")) from exc
        raise RuleViolation(
            _l("%(email)s already has a role in this review.", email=user.email)
        ) from exc
    return membership


def _same_membership(
    db: Session, existing: ReviewMembership, user: User, role: str, nomination_id: int | None
) -> ReviewMembership:
    """The membership the person already has, if it is the role asked for: linked to the
    nomination if it had none; another role, or another nomination's, is refused."""
    if existing.role != role or (
        nomination_id is not None and existing.nomination_id not in (None, nomination_id)
    ):
        raise RuleViolation(
            _l(
                "%(email)s already has the role %(role)s in this review.",
                email=user.email,
                role=existing.role,
            )
        )
    if nomination_id is not None and existing.nomination_id is None:
        existing.nomination_id = nomination_id  # a role given before nominations were kept
        db.add(existing)
    return existing


def _check_member(db: Session, review: Review, user: User, role: str) -> None:
    if role in RESPONDENT_ROLES and user.state_code != review.state_code:
        raise RuleViolation(_l("Respondents must belong to the State under review."))
    if role == "reviewer" and user.state_code in (None, review.state_code):
        raise RuleViolation(_l("Reviewers must belong to another State."))
    if role == "focal_point" and focal_point_of(db, review) is not None:
        raise RuleViolation(_l("The review already has a focal point."))


def membership_of(db: Session, review: Review, user: User) -> ReviewMembership | None:
    """The user's membership of the review, if any."""
    return db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review.id, ReviewMembership.user_id == user.id
        )
    ).first()


def change_member_role(db: Session, membership: ReviewMembership, role: str) -> None:
    """Give a member another role in the same review, under the rules of `add_member`."""
    if role == membership.role:
        return
    review = db.get(Review, membership.review_id)
    user = db.get(User, membership.user_id)
    assert review is not None and user is not None
    if role not in ROLES:
        raise RuleViolation(_l("Unknown role: %(role)s.", role=role))
    _check_member(db, review, user, role)
    membership.role = role
    db.add(membership)
    db.flush()


def focal_point_of(db: Session, review: Review) -> ReviewMembership | None:
    """The focal point's membership of the review, if one is named."""
    return db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review.id, ReviewMembership.role == "focal_point"
        )
    ).first()


def _latest_banks(db: Session, cluster: str) -> dict[str, BankVersion]:
    """The latest published version of each instrument's questionnaire in `cluster`. Their
    content is read only when used (a version's is a few hundred kilobytes of JSON), so the
    earlier versions' never is."""
    versions = db.exec(
        select(BankVersion)
        .where(BankVersion.cluster == cluster, BankVersion.status == "published")
        .order_by(col(BankVersion.version))
        .options(WITHOUT_CONTENT)
    ).all()
    return {version.instrument: version for version in versions}


def _name_when_shown(state: State) -> LazyString:
    """The State's name in the language of whoever reads the message."""
    names = {language: state_name(state, language) for language in INTERFACE_LANGUAGES}
    return LazyString(lambda: names.get(current_language(), names["en"]))


def _left_out_message(db: Session, cluster: str, left_out: dict[str, list[str]]) -> LazyString:
    """The refusal naming each instrument with no questionnaire and the States party to it."""
    names = {
        instrument: [_name_when_shown(state) for code in codes if (state := db.get(State, code))]
        for instrument, codes in left_out.items()
    }
    listed = LazyString(
        lambda: "; ".join(
            f"{instrument} ({list_of(states)})" for instrument, states in names.items()
        )
    )
    return _l(
        "No questionnaire of cluster %(cluster)s is published for instruments that States of "
        "this phase are party to: %(instruments)s. Publish the questionnaires first, or confirm "
        "that these reviews are left out of the phase.",
        cluster=cluster,
        instruments=listed,
    )


def create_phase(
    db: Session,
    *,
    name: str,
    cluster: str,
    state_codes: list[str],
    started_on: date,
    max_reviews_per_state: int,
    user: User,
    deadlines: Deadlines | None = None,
    leave_out_unpublished: bool = False,
    no_group_rule: str = NO_GROUP_ANY,
) -> ReviewPhase:
    """Open a phase: a review per State and per instrument it is party to that has a
    published questionnaire in the cluster, each with its deadlines; all or nothing.
    `no_group_rule` says how entities in no regional group are drawn (`NO_GROUP_RULES`)."""
    if no_group_rule not in NO_GROUP_RULES:
        raise RuleViolation(_l("Choose how entities in no regional group are drawn."))
    plans, left_out = _plan_reviews(
        db, cluster, state_codes, started_on, leave_out_unpublished=leave_out_unpublished
    )
    phase = ReviewPhase(
        name=name,
        cluster=cluster,
        started_on=started_on,
        max_reviews_per_state=max_reviews_per_state,
        no_group_rule=no_group_rule,
        created_by_id=user.id,
        **(asdict(deadlines) if deadlines is not None else {}),
    )
    db.add(phase)
    db.flush()
    _open_reviews(db, phase, plans, deadlines)
    record(
        db,
        actor=user,
        action="phase.create",
        object_type="review_phase",
        object_id=phase.id,
        after={
            "name": name,
            "cluster": cluster,
            "states": [s.code for s, _ in plans],
            **({"left_out": left_out} if left_out else {}),
            "no_group_rule": no_group_rule,
            **(asdict(deadlines) if deadlines is not None else {}),
        },
    )
    db.flush()
    return phase


def _plan_reviews(
    db: Session,
    cluster: str,
    state_codes: list[str],
    started_on: date,
    *,
    leave_out_unpublished: bool,
) -> tuple[list[tuple[State, list[BankVersion]]], dict[str, list[str]]]:
    """The reviews a phase would open: each State chosen with the latest published versions
    of the instruments it is party to on `started_on`, and the instruments left out because
    no questionnaire of the cluster is published for them. Refuses a choice that opens none
    for a State, or that leaves reviews out unless `leave_out_unpublished`."""
    banks = _latest_banks(db, cluster)
    if not banks:
        raise RuleViolation(
            _l("No questionnaire of cluster %(cluster)s is published.", cluster=cluster)
        )
    if not state_codes:
        raise RuleViolation(_l("Choose the States under review."))
    plans: list[tuple[State, list[BankVersion]]] = []
    party_to = instruments_as_at(db, started_on)
    for code in dict.fromkeys(state_codes):
        plans.append(_plan_of_state(db, code, cluster, banks, party_to))
    # A State party to an instrument with no published questionnaire in the cluster would
    # silently go unreviewed on it: refused, unless the secretariat confirms that these
    # reviews are left out (the audit entry then records them).
    left_out = instruments_without_bank(set(banks), party_to, [s.code for s, _ in plans])
    if left_out and not leave_out_unpublished:
        raise RuleViolation(_left_out_message(db, cluster, left_out))
    return plans, left_out


def _plan_of_state(
    db: Session,
    code: str,
    cluster: str,
    banks: dict[str, BankVersion],
    party_to: dict[str, frozenset[str]],
) -> tuple[State, list[BankVersion]]:
    """The State and the versions it is reviewed on, in the instruments' order; an unknown
    State, or one party to no instrument with a questionnaire in the cluster, is refused."""
    state = db.get(State, code)
    if state is None:
        raise RuleViolation(_l("%(code)s is not a known State.", code=code))
    versions = [banks[i] for i in sorted(banks) if i in party_to.get(state.code, ())]
    if not versions:
        raise RuleViolation(
            _l(
                "%(state)s is party to no instrument with a cluster %(cluster)s questionnaire.",
                state=_name_when_shown(state),
                cluster=cluster,
            )
        )
    return state, versions


def _open_reviews(
    db: Session,
    phase: ReviewPhase,
    plans: list[tuple[State, list[BankVersion]]],
    deadlines: Deadlines | None,
) -> None:
    """Open the planned reviews of the phase, each with the steps other features add (the
    State's earlier answers carried forward)."""
    for state, versions in plans:
        for version in versions:
            review = open_review(
                db,
                state_code=state.code,
                bank_version=version,
                started_on=phase.started_on,
                phase_id=phase.id,
                deadlines=deadlines,
            )
            contributions.review_opened(db, review, bank_of(version))


def change_deadlines(
    db: Session, phase: ReviewPhase, deadlines: Deadlines, user: User
) -> list[Review]:
    """Set the durations of a phase's deadlines. The reviews still answering get their new
    answers deadline and their respondents are told; the other deadlines are computed from
    the durations wherever they are shown. Returns the reviews whose answers date moved."""
    before = asdict(Deadlines.configured().of_phase(phase))
    for name, value in asdict(deadlines).items():
        setattr(phase, name, value)
    db.add(phase)
    moved = reviews_due_again(db, phase.id, deadlines)
    for review, due in moved:
        previous = review.answers_due_on
        review.answers_due_on = due
        db.add(review)
        events.answers_deadline_changed(db, review, user, previous=previous)
    record(
        db,
        actor=user,
        action="phase.deadlines",
        object_type="review_phase",
        object_id=phase.id,
        before=before,
        after={**asdict(deadlines), "reviews_due_again": [r.id for r, _due in moved]},
    )
    db.flush()
    return [review for review, _due in moved]
