"""The dialogue on an article: posting a request for clarification, a reply or a comment, and
reading it as threads, each request with the replies that answer it, open until one does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.reviews.models import Review
from questionnaire.workspace import events
from questionnaire.workspace.models import MAX_TEXT, DialogueMessage, ListOfObservations


@dataclass
class Thread:
    """A request with its replies, or a message that is no request (a comment, or a reply
    that names no request)."""

    message: DialogueMessage
    replies: list[DialogueMessage] = field(default_factory=list)

    @property
    def is_request(self) -> bool:
        return self.message.kind == "request"

    @property
    def is_open(self) -> bool:
        return self.is_request and not self.replies


def threads_of(messages: Iterable[DialogueMessage]) -> list[Thread]:
    """`messages` (in the order written) as threads, in the order their first message was
    written."""
    threads: list[Thread] = []
    by_request: dict[int, Thread] = {}
    for message in messages:
        thread = by_request.get(message.reply_to_id or 0)
        if message.kind == "reply" and thread is not None:
            thread.replies.append(message)
            continue
        thread = Thread(message)
        threads.append(thread)
        if message.kind == "request" and message.id is not None:
            by_request[message.id] = thread
    return threads


def open_requests(db: Session, review_id: int) -> list[DialogueMessage]:
    """The review's requests for clarification that no reply answers yet, oldest first."""
    answered = select(DialogueMessage.reply_to_id).where(
        DialogueMessage.review_id == review_id, col(DialogueMessage.reply_to_id).is_not(None)
    )
    return list(
        db.exec(
            select(DialogueMessage)
            .where(
                DialogueMessage.review_id == review_id,
                DialogueMessage.kind == "request",
                col(DialogueMessage.id).not_in(answered),
            )
            .order_by(col(DialogueMessage.id))
        )
    )


def request_replied_to(
    db: Session, review_id: int, section_key: str, reply_to_id: int | None
) -> int | None:
    """The id of the request a reply answers: the one named, which must be a request on the
    same article of the same review; else the article's oldest open request, if any."""
    if reply_to_id is None:
        pending = [r for r in open_requests(db, review_id) if r.section_key == section_key]
        return pending[0].id if pending else None
    request = db.get(DialogueMessage, reply_to_id)
    if (
        request is None
        or request.kind != "request"
        or request.review_id != review_id
        or request.section_key != section_key
    ):
        raise RuleViolation(_l("The request you replied to is not on this article."))
    return request.id


def post_message(
    db: Session,
    review: Review,
    user: User,
    *,
    side: str,
    section_key: str,
    kind: str,
    body: str,
    reply_to_id: int | None = None,
) -> DialogueMessage:
    """A request for clarification (reviewers), a reply (State) to the request named by
    `reply_to_id` (else to the article's oldest open request), or a comment (either)."""
    allowed = {"reviewer": {"request", "comment"}, "state": {"reply", "comment"}}
    if kind not in allowed.get(side, set()):
        raise RuleViolation(_l("You cannot post this kind of message."))
    status = db.exec(
        select(ListOfObservations.status).where(ListOfObservations.review_id == review.id)
    ).first()
    if status == "final":
        raise RuleViolation(
            _l("The list of observations is final: the dialogue on this review is closed.")
        )
    if not body.strip():
        raise RuleViolation(_l("Write the message."))
    if len(body) > MAX_TEXT:
        raise RuleViolation(_l("Keep the message under %(max)d characters.", max=MAX_TEXT))
    message = DialogueMessage(
        review_id=id_of(review),
        section_key=section_key,
        kind=kind,
        body=body,
        author_id=id_of(user),
        author_state=user.state_code,
        reply_to_id=request_replied_to(db, id_of(review), section_key, reply_to_id)
        if kind == "reply"
        else None,
    )
    db.add(message)
    db.flush()
    after: dict[str, object] = {"section": section_key, "body": body}
    if message.reply_to_id:
        after["reply_to"] = message.reply_to_id
    record(
        db,
        actor=user,
        action=f"dialogue.{kind}",
        object_type="dialogue_message",
        object_id=message.id,
        review_id=review.id,
        after=after,
    )

    events.dialogue_message(db, review, user, kind=kind, section_key=section_key, body=body)
    return message


def messages_of(db: Session, review: Review) -> list[DialogueMessage]:
    """Every message of the review's dialogue, oldest first."""
    return list(
        db.exec(
            select(DialogueMessage)
            .where(DialogueMessage.review_id == review.id)
            .order_by(col(DialogueMessage.id))
        )
    )
