"""Observations, the dialogue, and the agreement of the list of observations and summary."""

from __future__ import annotations

import re

from flask import has_request_context
from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.schema import Bank
from questionnaire.db import id_of, update_if_version, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.i18n import codes, current_language
from questionnaire.i18n import list_of as listed
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.models import Review
from questionnaire.workspace import events, signoff
from questionnaire.workspace.languages import writer_language
from questionnaire.workspace.models import (
    CATEGORIES,
    LIST_FLOW,
    MAX_TEXT,
    ListOfObservations,
    ListTransition,
    Observation,
)

#: Who may move a list from one status to another: the reviewers, the State under review,
#: or the secretariat.
TRANSITION_SIDES = {
    ("drafting", "with_state"): {"reviewer"},
    ("with_state", "drafting"): {"reviewer", "state"},
    ("with_state", "agreed"): {"state"},
    ("agreed", "final"): {"reviewer", "secretariat"},
    ("agreed", "drafting"): {"secretariat"},
}
#: The statuses as the interface names them, for the messages that refuse a transition.
STATUS_NAMES = {
    "drafting": _l("Drafting"),
    "with_state": _l("With the State under review"),
    "agreed": _l("Agreed"),
    "final": _l("Final"),
}


class EditConflict(RuleViolation):
    """The text was changed by someone else since it was loaded; nothing was overwritten."""

    def __init__(self, current_text: str, current_version: int) -> None:
        super().__init__(_l("Someone else changed this text while you were editing it."))
        self.current_text = current_text
        self.current_version = current_version


def find_list(db: Session, review: Review) -> ListOfObservations:
    """The review's list of observations to read: the stored one, or an empty one in
    drafting that is not stored (reading a page never creates records)."""
    found = db.exec(
        select(ListOfObservations).where(ListOfObservations.review_id == review.id)
    ).first()
    return found or ListOfObservations(review_id=id_of(review))


def list_of(db: Session, review: Review, *, lock: bool = False) -> ListOfObservations:
    """The review's list of observations to change, created empty on first use; with `lock`,
    its row is locked until the commit (publishing takes the same lock, so it never reads a
    list halfway through a change of confidentiality)."""
    query = select(ListOfObservations).where(ListOfObservations.review_id == review.id)
    found = db.exec(query.with_for_update() if lock else query).first()
    if found is None:
        found = ListOfObservations(review_id=id_of(review))
        db.add(found)
        db.flush()
    return found


def observations_of(
    db: Session, review: Review, *, include_withdrawn: bool = False
) -> list[Observation]:
    query = select(Observation).where(Observation.review_id == review.id)
    if not include_withdrawn:
        query = query.where(col(Observation.is_deleted).is_(False))
    return list(db.exec(query.order_by(col(Observation.id))))


def _status_name(status: str) -> LazyString | str:
    return STATUS_NAMES.get(status, status)


def _unknown_keys(keys: list[str]) -> str:
    # Called when the message is shown (through LazyString), in the reader's language.
    return ngettext(
        "The questionnaire has no question with the key %(keys)s.",
        "The questionnaire has no questions with the keys %(keys)s.",
        len(keys),
        keys=codes(keys),
    )


def _check_draft(lst: ListOfObservations) -> None:
    if lst.status != "drafting":
        raise RuleViolation(
            _l(
                "The list of observations is no longer being drafted: "
                "send it back to drafting first."
            )
        )


def _check_content(
    bank: Bank, section_key: str, category: str, text: str, cited: list[str]
) -> None:
    section = bank.sections_by_key.get(section_key)
    if section is None:
        raise RuleViolation(
            _l("This questionnaire has no article section %(section)s.", section=section_key)
        )
    if category not in CATEGORIES:
        raise RuleViolation(_l("Unknown category of observation: %(category)s.", category=category))
    if not text.strip():
        raise RuleViolation(_l("Write the observation."))
    if len(text) > MAX_TEXT:
        raise RuleViolation(_l("Keep the observation under %(max)d characters.", max=MAX_TEXT))
    unknown = [key for key in cited if key not in bank.questions_by_key]
    if unknown:
        raise RuleViolation(LazyString(_unknown_keys, unknown))


def add_observation(
    db: Session,
    review: Review,
    bank: Bank,
    user: User,
    *,
    section_key: str,
    category: str,
    text: str,
    cited_keys: list[str],
) -> Observation:
    """A reviewer's new observation on one article; the first one sets the language the
    list is written in, the writer's interface language."""
    lst = list_of(db, review)
    _check_draft(lst)
    _check_content(bank, section_key, category, text, cited_keys)
    if lst.original_language is None:
        lst.original_language = writer_language(user)
        db.add(lst)
    observation = Observation(
        review_id=id_of(review),
        section_key=section_key,
        category=category,
        text=text,
        cited_keys=cited_keys,
        created_by_id=user.id,
        updated_by_id=user.id,
    )
    db.add(observation)
    db.flush()
    record(
        db,
        actor=user,
        action="observation.add",
        object_type="observation",
        object_id=observation.id,
        review_id=review.id,
        after={"category": category, "text": text, "cited_keys": cited_keys},
    )
    return observation


def edit_observation(
    db: Session,
    review: Review,
    bank: Bank,
    observation: Observation,
    user: User,
    *,
    category: str,
    text: str,
    cited_keys: list[str],
    base_version: int,
) -> None:
    """Change an observation; an edit based on an older version raises EditConflict."""
    _check_draft(list_of(db, review))
    _check_content(bank, observation.section_key, category, text, cited_keys)
    before = {
        "category": observation.category,
        "text": observation.text,
        "cited_keys": observation.cited_keys,
    }
    values = {
        "category": category,
        "text": text,
        "cited_keys": cited_keys,
        "version": base_version + 1,
        "updated_by_id": user.id,
        "updated_at": utcnow(),
    }
    if not update_if_version(db, observation, col(Observation.version), base_version, values):
        raise EditConflict(observation.text, observation.version)
    record(
        db,
        actor=user,
        action="observation.edit",
        object_type="observation",
        object_id=observation.id,
        review_id=review.id,
        before=before,
        after={"category": category, "text": text, "cited_keys": cited_keys},
    )


def withdraw_observation(db: Session, review: Review, observation: Observation, user: User) -> None:
    _check_draft(list_of(db, review))
    observation.is_deleted = True
    observation.version += 1
    observation.updated_by_id = user.id
    observation.updated_at = utcnow()
    db.add(observation)
    record(
        db,
        actor=user,
        action="observation.withdraw",
        object_type="observation",
        object_id=observation.id,
        review_id=review.id,
    )


def set_confidential(
    db: Session, review: Review, observation: Observation, user: User, *, is_confidential: bool
) -> None:
    """The State under review keeps an element confidential (para. 38), or releases it."""
    lst = list_of(db, review, lock=True)
    if lst.status == "final":
        raise RuleViolation(_l("The list of observations is final: it can no longer change."))
    if lst.status == "drafting":
        raise RuleViolation(_l("The list of observations has not been shared with your State yet."))
    if observation.is_confidential == is_confidential:
        return
    observation.is_confidential = is_confidential
    db.add(observation)
    record(
        db,
        actor=user,
        action="observation.confidential",
        object_type="observation",
        object_id=observation.id,
        review_id=review.id,
        before={"is_confidential": not is_confidential},
        after={"is_confidential": is_confidential},
    )


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def save_summary(
    db: Session, review: Review, user: User, *, text: str, base_version: int, word_limit: int
) -> ListOfObservations:
    """Save the summary; over the word limit is refused, an old base version conflicts. The
    first text sets the language the summary is written in, the writer's interface language."""
    lst = list_of(db, review)
    _check_draft(lst)
    words = count_words(text)
    if words > word_limit:
        raise RuleViolation(
            _l(
                "The summary has %(words)d words; the limit is %(limit)d.",
                words=words,
                limit=word_limit,
            )
        )
    before = lst.summary
    values = {
        "summary": text,
        "summary_version": base_version + 1,
        "summary_updated_by_id": user.id,
        "summary_updated_at": utcnow(),
    }
    if lst.summary_language is None and text.strip():
        values["summary_language"] = writer_language(user)
    if not update_if_version(
        db, lst, col(ListOfObservations.summary_version), base_version, values
    ):
        raise EditConflict(lst.summary, lst.summary_version)
    record(
        db,
        actor=user,
        action="summary.edit",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before=before,
        after=text,
    )
    return lst


def transition(
    db: Session, review: Review, user: User, *, side: str, to_status: str
) -> ListOfObservations:
    """Move the list along drafting -> with the State -> agreed -> final; others refused."""
    lst = list_of(db, review)
    if to_status not in LIST_FLOW.get(lst.status, ()):
        raise RuleViolation(
            _l(
                "A list of observations cannot go from “%(current)s” to “%(target)s”.",
                current=_status_name(lst.status),
                target=_status_name(to_status),
            )
        )
    if side not in TRANSITION_SIDES.get((lst.status, to_status), set()):
        raise RuleViolation(
            _l(
                "You cannot move the list of observations from “%(current)s” to “%(target)s”.",
                current=_status_name(lst.status),
                target=_status_name(to_status),
            )
        )
    if to_status == "with_state" and not observations_of(db, review):
        raise RuleViolation(_l("The list of observations has no observation yet."))
    if to_status == "with_state" and (missing := signoff.awaited(db, review, lst)):
        raise RuleViolation(
            _l(
                "The list goes to the State under review only once both reviewing States have "
                "agreed to it. Still awaited: %(states)s.",
                states=listed(_state_names(db, missing)),
            )
        )
    from_status = lst.status
    lst.status = to_status
    db.add(lst)
    db.add(
        ListTransition(
            list_id=id_of(lst),
            from_status=from_status,
            to_status=to_status,
            actor_id=id_of(user),
        )
    )
    record(
        db,
        actor=user,
        action="list.transition",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before={"status": from_status},
        after={"status": to_status},
    )

    events.list_moved(db, review, user, to_status=to_status)
    db.flush()
    return lst


def transitions_of(db: Session, lst: ListOfObservations) -> list[ListTransition]:
    return list(
        db.exec(
            select(ListTransition)
            .where(ListTransition.list_id == lst.id)
            .order_by(col(ListTransition.id))
        )
    )


def _state_names(db: Session, codes: list[str]) -> list[str]:
    language = current_language() if has_request_context() else "en"
    names = []
    for code in codes:
        state = db.get(State, code)
        names.append(state_name(state, language) if state else code)
    return names
