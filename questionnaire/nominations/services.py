"""Recording the nominations States send by note verbale, and changing or ending them.

A nomination gives its person a membership in every review it covers: on the side of the State
under review its role (focal point, expert, observer); on the side of a reviewing State the
reviewer's role, in the reviews where that State holds a seat. Ending a nomination removes
those memberships at once; the nomination stays as the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.i18n import INTERFACE_LANGUAGES, codes, current_language
from questionnaire.nominations import events
from questionnaire.nominations.models import NOMINATION_ROLES, REVIEWING_ROLES, Nomination
from questionnaire.nominations.scope import NominationRefused, Purpose, covered_reviews, side_of
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewMembership


@dataclass(frozen=True)
class Nominee:
    """The person as the note verbale names them."""

    email: str
    full_name: str
    locale: str = "en"


@dataclass(frozen=True)
class NoteVerbale:
    """The note verbale a nomination is recorded from."""

    reference: str
    dated: date


@dataclass(frozen=True)
class RecordedNomination:
    """What recording a nomination did: for whom, in which reviews, with a new account or not
    (a new account was sent its activation link)."""

    nomination: Nomination
    user: User
    reviews: list[Review]
    is_new_account: bool


def shown_name(state: State) -> LazyString:
    """The State's name in the language of whoever reads the message."""
    names = {language: state_name(state, language) for language in INTERFACE_LANGUAGES}
    return LazyString(lambda: names.get(current_language(), names["en"]))


def _state(db: Session, code: str, field: str) -> State:
    state = db.get(State, (code or "").strip().upper())
    if state is None:
        raise NominationRefused(_l("%(code)s is not a known State.", code=code), field)
    return state


def _check_role(side: str, role: str) -> None:
    allowed = REVIEWING_ROLES if side == "reviewing" else NOMINATION_ROLES
    if role not in allowed:
        raise NominationRefused(
            _l("A reviewing State names a focal point and experts, not observers.")
            if role == "observer"
            else _l("Unknown role: %(role)s.", role=role),
            "role",
        )


def _check_note(note: NoteVerbale) -> None:
    if not note.reference.strip():
        raise NominationRefused(_l("Give the reference of the note verbale."), "note_reference")
    if len(note.reference.strip()) > 100:
        raise NominationRefused(
            _l("The reference of the note verbale has at most 100 characters."), "note_reference"
        )


def _account(db: Session, actor: User, state: State, nominee: Nominee) -> tuple[User, bool]:
    """The nominee's account, created with an activation link if there is none yet."""
    user = accounts.find_user(db, nominee.email)
    if user is None:
        if not nominee.full_name.strip():
            raise NominationRefused(_l("Enter the name as nominated."), "full_name")
        if nominee.locale not in INTERFACE_LANGUAGES:
            raise NominationRefused(
                _l("Choose the language: %(choices)s.", choices=codes(INTERFACE_LANGUAGES)),
                "language",
            )
        user = accounts.register_user(
            db,
            actor=actor,
            email=nominee.email,
            full_name=nominee.full_name,
            state_code=state.code,
            is_secretariat=False,
            locale=nominee.locale,
        )
        return user, True
    if user.is_secretariat:
        raise NominationRefused(
            _l("%(email)s is an account of the secretariat, not of a State.", email=user.email),
            "email",
        )
    if user.state_code != state.code:
        other = db.get(State, user.state_code) if user.state_code else None
        raise NominationRefused(
            _l(
                "%(email)s acts for %(other)s: %(state)s can only nominate its own people.",
                email=user.email,
                other=shown_name(other) if other else "–",
                state=shown_name(state),
            ),
            "email",
        )
    if not user.is_active:
        raise NominationRefused(
            _l("The account %(email)s is deactivated.", email=user.email), "email"
        )
    return user, False


def focal_point_nomination(
    db: Session, nominating_state: str, side: str, purpose: Purpose
) -> Nomination | None:
    """The active focal point a State has named for this purpose (State and phase, or review)."""
    query = select(Nomination).where(
        Nomination.nominating_state == nominating_state,
        Nomination.side == side,
        Nomination.role == "focal_point",
        Nomination.state_under_review == purpose.state_under_review,
        col(Nomination.ended_at).is_(None),
    )
    if purpose.review_id is not None:
        query = query.where(Nomination.review_id == purpose.review_id)
    else:
        query = query.where(Nomination.phase_id == purpose.phase_id)
    return db.exec(query).first()


def _refuse_second_focal_point(
    db: Session, state: State, side: str, purpose: Purpose, *, but: Nomination | None = None
) -> None:
    found = focal_point_nomination(db, state.code, side, purpose)
    if found is not None and found is not but:
        holder = db.get(User, found.user_id)
        raise NominationRefused(
            _l(
                "%(state)s already has a focal point for this: %(name)s (%(email)s). "
                "Replace the focal point instead.",
                state=shown_name(state),
                name=holder.full_name if holder else "",
                email=holder.email if holder else "",
            ),
            "role",
        )


def _membership_role(nomination: Nomination) -> str:
    return "reviewer" if nomination.side == "reviewing" else nomination.role


def _add_memberships(db: Session, nomination: Nomination, user: User, found: list[Review]) -> None:
    for review in found:
        try:
            reviews.add_member(
                db, review, user, _membership_role(nomination), nomination_id=id_of(nomination)
            )
        except RuleViolation as exc:
            raise NominationRefused(exc.args[0], "email") from exc


def record_nomination(
    db: Session,
    *,
    actor: User,
    nominating_state: str,
    nominee: Nominee,
    role: str,
    note: NoteVerbale,
    purpose: Purpose,
) -> RecordedNomination:
    """Record a nomination: the account is created (with its activation link) or reused, and
    the person gets their role in every review the nomination covers. Audited.

    Refuses (NominationRefused, naming the field) a second focal point, a person of another
    State, a reviewing State's nomination for a seat it does not hold, an observer of a
    reviewing State. A focal point of the State under review covers all its reviews of the phase.
    """
    with db.begin_nested():  # a refusal after the account was made leaves nothing behind
        return _record(db, actor, nominating_state, nominee, role, note, purpose)


def _record(
    db: Session,
    actor: User,
    nominating_state: str,
    nominee: Nominee,
    role: str,
    note: NoteVerbale,
    purpose: Purpose,
) -> RecordedNomination:
    state = _state(db, nominating_state, "nominating_state")
    side = side_of(state.code, purpose)
    _check_role(side, role)
    _check_note(note)
    if role == "focal_point" and side == "under_review":
        purpose = Purpose(purpose.state_under_review, purpose.phase_id, purpose.review_id, ())
    found = covered_reviews(db, state.code, purpose)
    if role == "focal_point":
        _refuse_second_focal_point(db, state, side, purpose)
    user, is_new = _account(db, actor, state, nominee)
    nomination = Nomination(
        nominating_state=state.code,
        user_id=id_of(user),
        role=role,
        side=side,
        state_under_review=purpose.state_under_review,
        phase_id=purpose.phase_id,
        review_id=purpose.review_id,
        instruments=list(purpose.instruments),
        note_reference=note.reference.strip(),
        note_date=note.dated,
        created_by_id=actor.id,
    )
    db.add(nomination)
    db.flush()
    _add_memberships(db, nomination, user, found)
    events.nominated(db, user, nomination, found, is_new=is_new)
    record(
        db,
        actor=actor,
        action="nomination.record",
        object_type="nomination",
        object_id=nomination.id,
        after=summary(nomination, user) | {"reviews": [r.id for r in found]},
    )
    db.flush()
    return RecordedNomination(nomination, user, found, is_new)


def summary(nomination: Nomination, user: User) -> dict[str, object]:
    """The nomination as the audit log keeps it."""
    return {
        "email": user.email,
        "nominating_state": nomination.nominating_state,
        "role": nomination.role,
        "side": nomination.side,
        "state_under_review": nomination.state_under_review,
        "phase_id": nomination.phase_id,
        "review_id": nomination.review_id,
        "instruments": list(nomination.instruments or []),
        "note_verbale": f"{nomination.note_reference} of {nomination.note_date.isoformat()}",
    }


def _reason(reason: str) -> str:
    if not reason.strip():
        raise NominationRefused(_l("Give the reason for the change."), "reason")
    return reason.strip()


def _active(nomination: Nomination) -> None:
    if not nomination.is_active:
        raise NominationRefused(_l("This membership has already ended."), "reason")


def purpose_of(nomination: Nomination) -> Purpose:
    """What the nomination is for, as it was recorded."""
    return Purpose(
        nomination.state_under_review,
        nomination.phase_id,
        nomination.review_id,
        tuple(nomination.instruments or ()),
    )


def change_role(
    db: Session, nomination: Nomination, *, role: str, actor: User, reason: str
) -> None:
    """Give the nominated person another role, in the same reviews; audited with the reason.

    Made the focal point of the State under review, the person covers all its reviews of the
    phase."""
    with db.begin_nested():
        _change_role(db, nomination, role, actor, reason)


def _change_role(db: Session, nomination: Nomination, role: str, actor: User, reason: str) -> None:
    why = _reason(reason)
    _active(nomination)
    if role == nomination.role:
        raise NominationRefused(_l("The person already has this role."), "role")
    _check_role(nomination.side, role)
    state = _state(db, nomination.nominating_state, "nominating_state")
    user = db.get(User, nomination.user_id)
    assert user is not None
    purpose = purpose_of(nomination)
    if role == "focal_point":
        _refuse_second_focal_point(db, state, nomination.side, purpose, but=nomination)
    before = nomination.role
    nomination.role = role
    if nomination.side == "under_review":
        for membership in _memberships(db, nomination):
            try:
                reviews.change_member_role(db, membership, role)
            except RuleViolation as exc:
                raise NominationRefused(exc.args[0], "role") from exc
        if role == "focal_point" and nomination.instruments:
            nomination.instruments = []
            _add_memberships(
                db, nomination, user, covered_reviews(db, state.code, purpose_of(nomination))
            )
    db.add(nomination)
    record(
        db,
        actor=actor,
        action="nomination.change_role",
        object_type="nomination",
        object_id=nomination.id,
        before={"role": before},
        after={"role": role, "email": user.email},
        reason=why,
    )
    db.flush()


def _memberships(db: Session, nomination: Nomination) -> list[ReviewMembership]:
    return list(
        db.exec(select(ReviewMembership).where(ReviewMembership.nomination_id == nomination.id))
    )


def end_nomination(db: Session, nomination: Nomination, *, actor: User, reason: str) -> int:
    """End the person's membership: their access to the reviews ends at once; the nomination
    is kept, with who ended it, when and why. Returns how many memberships ended."""
    why = _reason(reason)
    _active(nomination)
    memberships = _memberships(db, nomination)
    for membership in memberships:
        db.delete(membership)
    nomination.ended_at = utcnow()
    nomination.ended_by_id = actor.id
    nomination.end_reason = why
    db.add(nomination)
    user = db.get(User, nomination.user_id)
    record(
        db,
        actor=actor,
        action="nomination.end",
        object_type="nomination",
        object_id=nomination.id,
        before={"role": nomination.role, "reviews": [m.review_id for m in memberships]},
        after={"email": user.email if user else None},
        reason=why,
    )
    db.flush()
    return len(memberships)


def replace_focal_point(
    db: Session,
    nomination: Nomination,
    *,
    actor: User,
    nominee: Nominee,
    note: NoteVerbale,
    reason: str,
) -> RecordedNomination:
    """The State names another focal point: the current one's membership ends and the new
    one is recorded for the same reviews, in one change."""
    if nomination.role != "focal_point":
        raise NominationRefused(_l("Only a focal point is replaced."), "role")
    with db.begin_nested():
        end_nomination(db, nomination, actor=actor, reason=reason)
        return _record(
            db,
            actor,
            nomination.nominating_state,
            nominee,
            "focal_point",
            note,
            purpose_of(nomination),
        )
