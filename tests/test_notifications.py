"""The outbox: messages queued in the transaction of a change, delivered by SMTP (a small
SMTP server runs in a thread for these tests), printed without a mail server, and retried
with the last error kept when delivery fails."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.cli import cli
from questionnaire.db import utcnow
from questionnaire.outbox.models import OutboxMessage
from questionnaire.outbox.services import (
    MAX_ATTEMPTS,
    QUEUE_NAME,
    SENT_BODY,
    deliver_pending,
    is_failed,
    queue_message,
)
from tests.conftest import login

#: A Redis database of its own, emptied by the test that uses it.
REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


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


def audit_actions(db: Session) -> list[str]:
    return list(db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))


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
    queue_message(
        db, to=["ex@gha.example"], subject="Welcome", body="Open /activate/t0k3n", carries_link=True
    )
    db.commit()

    assert deliver_pending(db, app) == 2
    db.commit()
    err = capsys.readouterr().err
    assert "--- mail to fp@gha.example: Answers due\nWithin six months." in err
    assert "--- mail to ex@gha.example: Welcome\nOpen /activate/t0k3n" in err
    messages = outbox(db)
    assert all(m.sent_at is not None and m.attempts == 1 for m in messages)
    # Sent: recipient, subject and times stay on record; a personal link does not.
    assert [(m.subject, m.body) for m in messages] == [
        ("Answers due", "Within six months."),
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


def test_an_unreachable_server_is_tried_again_later_and_then_given_up(
    db: Session, mail_to: Callable[..., Flask], closed_port: int
) -> None:
    app = mail_to("127.0.0.1", closed_port)
    queue_message(db, to=["fp@gha.example"], subject="Reminder", body="Body")
    db.commit()

    start = utcnow()
    assert deliver_pending(db, app, now=start) == 0
    db.commit()
    (message,) = outbox(db)
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.last_error
    assert message.next_attempt_at == start + timedelta(minutes=1)
    # Not tried again before its time, however often delivery runs.
    assert deliver_pending(db, app, now=start + timedelta(seconds=59)) == 0
    db.commit()
    assert outbox(db)[0].attempts == 1
    waits = []
    at = start
    for _ in range(MAX_ATTEMPTS + 2):
        at += timedelta(days=1)
        deliver_pending(db, app, now=at)
        db.commit()
        (message,) = outbox(db)
        if message.next_attempt_at is not None:
            waits.append(message.next_attempt_at - at)
    assert (message.sent_at, message.attempts) == (None, MAX_ATTEMPTS)
    assert is_failed(message)
    # Longer and longer waits between attempts.
    assert waits[:3] == [timedelta(minutes=5), timedelta(minutes=25), timedelta(minutes=125)]


def test_a_refused_recipient_is_recorded_and_retried_later(
    db: Session, mail_to: Callable[..., Flask], smtp_server: Mailbox
) -> None:
    later = utcnow() + timedelta(minutes=2)
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
    assert deliver_pending(db, app, now=later) == 1
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


# --- delivery without anyone thinking of it ------------------------------------------------


@pytest.fixture
def at_once(app: Flask, service_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Delivery after the commit, as configured in production (the tests' default is off)."""
    for each in (app, service_app):
        monkeypatch.setitem(each.config, "OUTBOX_DELIVER_AFTER_COMMIT", True)
        monkeypatch.setitem(each.config, "MAIL_SERVER", None)


def test_without_a_mail_server_a_message_is_printed_as_soon_as_its_change_commits(
    db: Session, at_once: None, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_message(db, to=["fp@gha.example"], subject="Rolled back", body="Never sent.")
    db.rollback()
    queue_message(db, to=["fp@gha.example"], subject="Answers due", body="Within six months.")
    db.flush()
    assert capsys.readouterr().err == ""  # not before the commit
    db.commit()

    err = capsys.readouterr().err
    assert "--- mail to fp@gha.example: Answers due\nWithin six months." in err
    assert "Rolled back" not in err
    (message,) = outbox(db)
    assert message.sent_at is not None and message.body == "Within six months."


def test_a_savepoint_does_not_send_what_its_transaction_has_not_committed(
    db: Session, at_once: None, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_message(db, to=["fp@gha.example"], subject="Outer", body="B")
    with db.begin_nested():
        queue_message(db, to=["ex@gha.example"], subject="Inner", body="B")
    assert capsys.readouterr().err == ""
    db.commit()
    err = capsys.readouterr().err
    assert "Outer" in err and "Inner" in err


def test_an_activation_link_is_printed_to_the_log_when_the_secretariat_registers_someone(
    client: FlaskClient,
    db: Session,
    at_once: None,
    make_user: Callable[..., User],
    capsys: pytest.CaptureFixture[str],
) -> None:
    login(client, make_user(None, secretariat=True))
    capsys.readouterr()
    response = client.post(
        "/users/new",
        data={
            "email": "new.fp@gha.example",
            "full_name": "Ama Mensah",
            "state_code": "GHA",
            "locale": "en",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    err = capsys.readouterr().err
    assert "--- mail to new.fp@gha.example" in err
    assert "/activate/" in err
    (message,) = [m for m in outbox(db) if m.to_email == "new.fp@gha.example"]
    assert message.sent_at is not None
    assert message.body == SENT_BODY  # the link is in the log and the e-mail, not the database


def test_with_redis_and_a_mail_server_a_worker_job_is_queued_after_the_commit(
    db: Session, at_once: None, service_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    redis.flushdb()
    monkeypatch.setitem(service_app.config, "MAIL_SERVER", "smtp.unodc.example")
    monkeypatch.setitem(service_app.config, "REDIS_URL", REDIS_TEST_URL)
    queued = queue_message(db, to=["a@gha.example", "b@gha.example"], subject="S", body="B")
    db.commit()

    (job,) = Queue(QUEUE_NAME, connection=redis).get_jobs()
    assert job.func_name == "questionnaire.worker.deliver_job"
    assert job.args == ([m.id for m in queued],)
    assert all(m.sent_at is None for m in outbox(db))  # the worker sends them
    redis.flushdb()


def test_an_unreachable_redis_leaves_the_messages_for_the_cron_run(
    db: Session,
    at_once: None,
    service_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    closed_port: int,
) -> None:
    monkeypatch.setitem(service_app.config, "MAIL_SERVER", "smtp.unodc.example")
    monkeypatch.setitem(service_app.config, "REDIS_URL", f"redis://127.0.0.1:{closed_port}/0")
    queue_message(db, to=["a@gha.example"], subject="S", body="B")
    db.commit()  # no error: the change is saved, delivery waits
    assert [m.sent_at for m in outbox(db)] == [None]


def test_outbox_send_drains_what_is_due(
    app: Flask,
    service_app: Flask,
    db: Session,
    smtp_server: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for each in (app, service_app):  # the command runs in the context already pushed
        monkeypatch.setitem(each.config, "MAIL_SERVER", smtp_server.host)
        monkeypatch.setitem(each.config, "MAIL_PORT", smtp_server.port)
    queue_message(db, to=["a@gha.example", "b@gha.example"], subject="S", body="B")
    db.commit()

    result = app.test_cli_runner().invoke(cli, ["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 failed" in result.output
    assert sorted(r for m in smtp_server.messages for r in m.recipients) == [
        "a@gha.example",
        "b@gha.example",
    ]
    again = app.test_cli_runner().invoke(cli, ["outbox", "send"])
    assert "0 sent, 0 failed" in again.output


def test_the_secretariat_sees_what_failed_with_its_error_and_no_text(
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    mail_to: Callable[..., Flask],
    closed_port: int,
) -> None:
    app = mail_to("127.0.0.1", closed_port)
    queue_message(db, to=["fp@gha.example"], subject="Answers due", body="Secret-body-31")
    queue_message(db, to=["ok@gha.example"], subject="Delivered", body="B")
    db.commit()
    (failed, delivered) = outbox(db)
    delivered.sent_at = utcnow()
    db.add(delivered)
    at = utcnow()
    for _ in range(MAX_ATTEMPTS):
        deliver_pending(db, app, now=at)
        at += timedelta(days=1)
    db.commit()

    secretariat = make_user(None, secretariat=True)
    login(client, secretariat)
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert "fp@gha.example" in page and "Answers due" in page and "Given up" in page
    assert "Connection refused" in page
    assert "Secret-body-31" not in page and "Delivered" not in page

    response = client.post(f"/notifications/outbox/{failed.id}/retry")
    assert response.status_code == 302
    (failed, _) = outbox(db)
    assert (failed.attempts, failed.next_attempt_at) == (0, None)
    assert [a for a in audit_actions(db) if a.startswith("outbox.")] == ["outbox.retry"]


def test_people_other_than_the_secretariat_do_not_see_the_outbox(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    login(client, make_user("GHA"))
    assert client.get("/notifications/outbox").status_code == 404


def test_a_user_reads_the_messages_written_to_them_and_no_others(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("GHA")
    queue_message(db, to=[user.email], subject="Answers submitted", body="Read them here.")
    queue_message(db, to=[user.email], subject="Activate", body="/activate/tok", carries_link=True)
    queue_message(db, to=["someone.else@gha.example"], subject="Not yours", body="Other-31")
    db.commit()
    login(client, user)

    page = client.get("/notifications/").get_data(as_text=True)
    assert "Answers submitted" in page and "Read them here." in page
    assert "Activate" in page and "/activate/tok" not in page
    assert "held a personal link" in page
    assert "Not yours" not in page and "Other-31" not in page


def test_the_addresses_in_a_message_are_links(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("GHA")
    body = "Open it here: https://review.example.org/reviews/3/workspace/list\n<b>not bold</b>"
    queue_message(db, to=[user.email], subject="List shared", body=body)
    db.commit()
    login(client, user)

    page = client.get("/notifications/").get_data(as_text=True)
    link = "https://review.example.org/reviews/3/workspace/list"
    assert f'<a href="{link}" rel="noopener nofollow">{link}</a>' in page
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page


def test_a_user_with_no_message_is_told_what_will_appear(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    login(client, make_user("GHA"))
    page = client.get("/notifications/").get_data(as_text=True)
    assert "No message has been written to you yet." in page
