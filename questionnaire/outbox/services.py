"""Writing e-mails to the outbox, and delivering them by SMTP or to the server's log.

A message is queued in the transaction of the change it announces. Once that transaction
commits, delivery starts by itself (`dispatch`): without MAIL_SERVER the message is printed to
the log at once; with MAIL_SERVER and REDIS_URL a worker job sends it; with MAIL_SERVER alone,
`questionnaire outbox send` (run by cron) does. A failed delivery is tried again later, with a
longer wait each time, up to MAX_ATTEMPTS; the secretariat sees the failures on the outbox page.
"""

from __future__ import annotations

import logging
import smtplib
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import event, inspect, or_
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from questionnaire.audit.services import Actor, record
from questionnaire.db import standalone_session, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
#: Wait before the next attempt after the n-th failure: 1, 5, 25 minutes, then about 2 hours.
BACKOFF_MINUTES = (1, 5, 25, 125)
#: What a sent message's body becomes when it held a personal link (activation, reset): such
#: links open an account, and are not kept where a copy of the database would give them.
SENT_BODY = "(sent; the text is not kept)"
QUEUE_NAME = "mail"
#: The worker's entry point, named by path: it builds its own application.
DELIVER_JOB = "questionnaire.worker.deliver_job"
#: Key, in a session's `info`, of the messages it queued and has not committed yet.
_QUEUED = "questionnaire.outbox_queued"


def queue_message(
    db: Session, *, to: list[str], subject: str, body: str, carries_link: bool = False
) -> list[OutboxMessage]:
    """Queue one message per recipient, in the transaction of the change it announces.

    `carries_link`: the text holds a personal link (activation, reset), dropped once sent.
    """
    messages = [
        OutboxMessage(to_email=email, subject=subject[:200], body=body, carries_link=carries_link)
        for email in sorted(set(to))
    ]
    for message in messages:
        db.add(message)
    db.info.setdefault(_QUEUED, []).extend(messages)
    return messages


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():  # a savepoint: the messages are not committed yet
        return
    messages = session.info.pop(_QUEUED, None)
    if not messages or not has_app_context():
        return
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("OUTBOX_DELIVER_AFTER_COMMIT", True):
        return
    # The ids as flushed, read without a query (none may run once the transaction is over).
    identities = (inspect(m).identity for m in messages)
    dispatch(app, [int(identity[0]) for identity in identities if identity])


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_QUEUED, None)


def dispatch(app: Flask, ids: list[int]) -> None:
    """Start the delivery of messages just committed (see the module's docstring)."""
    if not ids:
        return
    if not app.config.get("MAIL_SERVER"):
        with standalone_session(app) as db:
            deliver_pending(db, app, ids=ids)
        return
    url = app.config.get("REDIS_URL")
    if url:
        try:
            mail_queue(url).enqueue(DELIVER_JOB, ids, job_timeout=300)
        except RedisError as exc:  # the cron run of `outbox send` delivers them instead
            log.warning("could not queue the delivery of %d messages: %s", len(ids), exc)


def mail_queue(url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


@dataclass(frozen=True)
class Delivery:
    """What one delivery run did."""

    sent: int
    failed: int


def deliver_pending(
    db: Session,
    app: Flask,
    limit: int = 100,
    *,
    ids: list[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Send what waits in the outbox and is due (or only `ids`); returns how many were sent.

    Rows are locked as they are taken (skipping those another run holds, on PostgreSQL), so a
    worker job and a cron run at the same moment do not send a message twice.
    """
    return deliver(db, app, limit, ids=ids, now=now).sent


def deliver(
    db: Session,
    app: Flask,
    limit: int = 100,
    *,
    ids: list[int] | None = None,
    now: datetime | None = None,
) -> Delivery:
    """`deliver_pending`, telling how many were sent and how many failed this time."""
    now = now or utcnow()
    sent = failed = 0
    for message in db.exec(_due(limit, ids, now)).all():
        if _attempt(app, message, now):
            sent += 1
        else:
            failed += 1
        db.add(message)
    db.flush()
    return Delivery(sent, failed)


def _due(limit: int, ids: list[int] | None, now: datetime) -> SelectOfScalar[OutboxMessage]:
    """The messages waiting whose next attempt is due (or only `ids`), oldest first, locked
    as they are read and skipping those another run holds."""
    query = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.sent_at).is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(
                col(OutboxMessage.next_attempt_at).is_(None),
                col(OutboxMessage.next_attempt_at) <= now,
            ),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        query = query.where(col(OutboxMessage.id).in_(ids))
    return query


def _attempt(app: Flask, message: OutboxMessage, now: datetime) -> bool:
    """Try to send the message once; True when it was sent. A failure is kept on the message
    with the time of its next attempt; a sent message drops a personal link it carried."""
    message.attempts += 1
    try:
        _send(app, message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        # ValueError: a message that cannot be written (a line break in a header) fails
        # alone instead of stopping the delivery of every message after it.
        message.last_error = str(exc)[:500]
        message.next_attempt_at = now + retry_delay(message.attempts)
        return False
    message.sent_at = utcnow()
    message.last_error = None
    message.next_attempt_at = None
    if message.carries_link:
        message.body = SENT_BODY
    return True


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def is_failed(message: OutboxMessage) -> bool:
    """Given up: every attempt failed."""
    return message.sent_at is None and message.attempts >= MAX_ATTEMPTS


def _send(app: Flask, message: OutboxMessage) -> None:
    server = app.config.get("MAIL_SERVER")
    if not server:
        print(
            f"--- mail to {message.to_email}: {message.subject}\n{message.body}\n",
            file=sys.stderr,
            flush=True,
        )
        return
    email = EmailMessage()
    email["From"] = app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(server, int(app.config["MAIL_PORT"]), timeout=10) as smtp:
        smtp.send_message(email)


def messages_to(db: Session, email: str, limit: int = 200) -> list[OutboxMessage]:
    """The latest messages written to `email`, newest first."""
    return list(
        db.exec(
            select(OutboxMessage)
            .where(OutboxMessage.to_email == email)
            .order_by(col(OutboxMessage.id).desc())
            .limit(limit)
        ).all()
    )


def undelivered(db: Session, limit: int = 500) -> list[OutboxMessage]:
    """Messages not sent yet (waiting, to be tried again, or given up), oldest first."""
    return list(
        db.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.sent_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(limit)
        ).all()
    )


def retry(db: Session, message: OutboxMessage, actor: Actor) -> None:
    """The secretariat has a message that failed tried again at once, with every attempt."""
    if message.sent_at is not None:
        raise RuleViolation(_l("This message has already been sent."))
    before = {"attempts": message.attempts, "last_error": message.last_error}
    message.attempts = 0
    message.next_attempt_at = None
    db.add(message)
    record(
        db,
        actor=actor,
        action="outbox.retry",
        object_type="outbox_message",
        object_id=message.id,
        before=before,
    )
    db.info.setdefault(_QUEUED, []).append(message)
    db.flush()
