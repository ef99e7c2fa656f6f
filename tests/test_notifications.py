"""The outbox: messages queued in the transaction of a change, delivered by SMTP (a small
SMTP server runs in a thread for these tests), printed without a mail server, and retried
with the last error kept when delivery fails."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from questionnaire.notifications.models import OutboxMessage
from questionnaire.notifications.services import (
    MAX_ATTEMPTS,
    SENT_BODY,
    deliver_pending,
    queue_message,
)


@dataclass
class Received:
    """One message the test server accepted."""

    sender: str
    recipients: list[str]
    data: str


@dataclass
class Mailbox:
    """What the test SMTP server has received, and the recipients it refuses."""

    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: _SMTPServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        mailbox = self.server.mailbox
        sender = ""
        recipients: list[str] = []
        self.reply("220 localhost test SMTP server")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb, _, argument = command.partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = _address(argument), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = _address(argument)
                if address in mailbox.refused:
                    self.reply("550 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    text = data.decode("utf-8", "replace")
                    lines.append(text[1:] if text.startswith("..") else text)
                mailbox.messages.append(Received(sender, recipients, "".join(lines)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


def _address(argument: str) -> str:
    """The address of `FROM:<a@b> ...` or `TO:<a@b>`."""
    return argument.partition("<")[2].partition(">")[0]


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    mailbox: Mailbox


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    server = _SMTPServer(("127.0.0.1", 0), _SMTPHandler)
    host, port = server.server_address[:2]
    server.mailbox = Mailbox(str(host), int(port))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.mailbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mail_to(service_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Flask]:
    """Point the application's mail settings at a host and port."""

    def configure(host: str | None, port: int = 25) -> Flask:
        monkeypatch.setitem(service_app.config, "MAIL_SERVER", host)
        monkeypatch.setitem(service_app.config, "MAIL_PORT", port)
        monkeypatch.setitem(service_app.config, "MAIL_DEFAULT_SENDER", "review@unodc.example")
        return service_app

    return configure


def outbox(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_one_message_is_queued_per_distinct_recipient(db: Session) -> None:
    queued = queue_message(
        db,
        to=["b@gha.example", "a@gha.example", "b@gha.example"],
        subject="Review opened " + "x" * 300,
        body="The review of Ghana has opened.",
    )
    assert [m.to_email for m in queued] == ["a@gha.example", "b@gha.example"]
    db.rollback()
    assert outbox(db) == []  # queued in the transaction of the change: gone with it

    queue_message(db, to=["b@gha.example", "a@gha.example"], subject="Opened", body="Body")
    db.commit()
    messages = outbox(db)
    assert [(m.to_email, m.subject, m.body) for m in messages] == [
        ("a@gha.example", "Opened", "Body"),
        ("b@gha.example", "Opened", "Body"),
    ]
    assert all((m.sent_at, m.attempts, m.last_error) == (None, 0, None) for m in messages)
    assert len(queued[0].subject) == 200


def test_without_a_mail_server_messages_are_printed_and_marked_sent(
    db: Session, mail_to: Callable[..., Flask], capsys: pytest.CaptureFixture[str]
) -> None:
    app = mail_to(None)
    queue_message(db, to=["fp@gha.example"], subject="Answers due", body="Within six months.")
    queue_message(db, to=["ex@gha.example"], subject="Welcome", body="Your account is ready.")
    db.commit()

    assert deliver_pending(db, app) == 2
    db.commit()
    err = capsys.readouterr().err
    assert "--- mail to fp@gha.example: Answers due\nWithin six months." in err
    assert "--- mail to ex@gha.example: Welcome\nYour account is ready." in err
    messages = outbox(db)
    assert all(m.sent_at is not None and m.attempts == 1 for m in messages)
    # Sent: recipient, subject and times stay on record, the text (links included) does not.
    assert [(m.subject, m.body) for m in messages] == [
        ("Answers due", SENT_BODY),
        ("Welcome", SENT_BODY),
    ]
    assert deliver_pending(db, app) == 0
    assert capsys.readouterr().err == ""


def test_messages_are_delivered_by_smtp(
    db: Session, mail_to: Callable[..., Flask], smtp_server: Mailbox
) -> None:
    app = mail_to(smtp_server.host, smtp_server.port)
    queue_message(
        db,
        to=["fp@gha.example", "ex@gha.example"],
        subject="List of observations ready for Ghana",
        body="The reviewing States have shared the list.\n.A line that starts with a dot.",
    )
    db.commit()

    assert deliver_pending(db, app) == 2
    db.commit()
    assert sorted(r for m in smtp_server.messages for r in m.recipients) == [
        "ex@gha.example",
        "fp@gha.example",
    ]
    for received in smtp_server.messages:
        assert received.sender == "review@unodc.example"
        assert "Subject: List of observations ready for Ghana" in received.data
        assert "\n.A line that starts with a dot." in received.data
    assert all(m.sent_at is not None and m.last_error is None for m in outbox(db))


def test_only_as_many_as_the_limit_are_sent(
    db: Session, mail_to: Callable[..., Flask], smtp_server: Mailbox
) -> None:
    app = mail_to(smtp_server.host, smtp_server.port)
    queue_message(db, to=[f"p{n}@gha.example" for n in range(3)], subject="S", body="B")
    db.commit()
    assert deliver_pending(db, app, limit=2) == 2
    db.commit()
    assert [m.sent_at is not None for m in outbox(db)] == [True, True, False]
    assert deliver_pending(db, app) == 1
    assert len(smtp_server.messages) == 3


def test_an_unreachable_server_leaves_the_message_pending_with_its_error(
    db: Session, mail_to: Callable[..., Flask], closed_port: int
) -> None:
    app = mail_to("127.0.0.1", closed_port)
    queue_message(db, to=["fp@gha.example"], subject="Reminder", body="Body")
    db.commit()

    assert deliver_pending(db, app) == 0
    db.commit()
    (message,) = outbox(db)
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_pending(db, app)
        db.commit()
    (message,) = outbox(db)
    assert (message.sent_at, message.attempts) == (None, MAX_ATTEMPTS)


def test_a_refused_recipient_is_recorded_and_retried_later(
    db: Session, mail_to: Callable[..., Flask], smtp_server: Mailbox
) -> None:
    app = mail_to(smtp_server.host, smtp_server.port)
    smtp_server.refused.add("gone@gha.example")
    queue_message(db, to=["gone@gha.example", "fp@gha.example"], subject="S", body="B")
    db.commit()

    assert deliver_pending(db, app) == 1
    db.commit()
    delivered, gone = outbox(db)
    assert (gone.sent_at, gone.attempts) == (None, 1)
    assert "No such user" in (gone.last_error or "")
    assert delivered.sent_at is not None

    smtp_server.refused.clear()
    assert deliver_pending(db, app) == 1
    db.commit()
    _, gone = outbox(db)
    assert gone.sent_at is not None and gone.last_error is None and gone.attempts == 2


def test_a_message_that_cannot_be_written_does_not_hold_up_the_others(
    db: Session, mail_to: Callable[..., Flask], smtp_server: Mailbox
) -> None:
    app = mail_to(smtp_server.host, smtp_server.port)
    queue_message(db, to=["fp@gha.example"], subject="Broken\nBcc: x@evil.example", body="B")
    queue_message(db, to=["fp@gha.example"], subject="Fine", body="B")
    db.commit()

    assert deliver_pending(db, app) == 1
    db.commit()
    broken, fine = outbox(db)
    assert (broken.sent_at, broken.attempts) == (None, 1)
    assert "linefeed" in (broken.last_error or "")
    assert fine.sent_at is not None
    assert [m.recipients for m in smtp_server.messages] == [["fp@gha.example"]]
    assert "evil" not in smtp_server.messages[0].data
