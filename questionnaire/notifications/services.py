"""Writing e-mails to the outbox, and delivering them by SMTP or to the console."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import Flask
from sqlmodel import Session, col, select

from questionnaire.db import utcnow
from questionnaire.notifications.models import OutboxMessage

MAX_ATTEMPTS = 5
#: What a sent message's body becomes. Activation and reset e-mails carry links that open an
#: account; once delivered they are not kept where a copy of the database would give them.
SENT_BODY = "(sent; the text is not kept)"


def queue_message(db: Session, *, to: list[str], subject: str, body: str) -> list[OutboxMessage]:
    """Queue one message per recipient, in the transaction of the change it announces."""
    messages = [
        OutboxMessage(to_email=email, subject=subject[:200], body=body) for email in sorted(set(to))
    ]
    for message in messages:
        db.add(message)
    return messages


def deliver_pending(db: Session, app: Flask, limit: int = 100) -> int:
    """Send what waits in the outbox; without MAIL_SERVER, print it (development)."""
    pending = db.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.sent_at).is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    ).all()
    sent = 0
    for message in pending:
        message.attempts += 1
        try:
            _send(app, message)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            # ValueError: a message that cannot be written (a line break in a header) fails
            # alone instead of stopping the delivery of every message after it.
            message.last_error = str(exc)[:500]
        else:
            message.sent_at = utcnow()
            message.last_error = None
            message.body = SENT_BODY
            sent += 1
        db.add(message)
    db.flush()
    return sent


def _send(app: Flask, message: OutboxMessage) -> None:
    server = app.config.get("MAIL_SERVER")
    if not server:
        print(
            f"--- mail to {message.to_email}: {message.subject}\n{message.body}\n", file=sys.stderr
        )
        return
    email = EmailMessage()
    email["From"] = app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(server, int(app.config["MAIL_PORT"]), timeout=10) as smtp:
        smtp.send_message(email)
