"""Lockouts per client address and account, the progressive delay per account, wrong passwords
on the account's own pages, and authentication events in the audit log."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from questionnaire.accounts import lockout
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from tests.conftest import PASSWORD, login

ATTACKER = "203.0.113.66"
WRONG = "not the password 1234"
NEW = "a new long passphrase for Accra"


class Clock:
    """The lockout's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(lockout, "utcnow", clock)
    return clock


@pytest.fixture(autouse=True)
def three_attempts(app: Flask, service_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    for instance in (app, service_app):
        monkeypatch.setitem(instance.config, "LOGIN_LOCKOUT_ATTEMPTS", 3)
        monkeypatch.setitem(instance.config, "LOGIN_DELAY_MAX_SECONDS", 60)


def attempt(app: Flask, address: str, email: str, password: str) -> TestResponse:
    """A login from a fresh browser at `address`."""
    return app.test_client().post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def error_of(response: TestResponse) -> str:
    """The first error message of the page, as read (without the hidden "Error:")."""
    found = re.search(
        r'class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S
    )
    if not found:
        return ""
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", found[1])
    return html.unescape(re.sub(r"\s+", " ", shown)).strip()


def auth_entries(db: Session) -> list[AuditEntry]:
    db.rollback()
    query = select(AuditEntry).where(col(AuditEntry.action).startswith("auth."))
    return list(db.exec(query.order_by(col(AuditEntry.id))).all())


def test_an_attacker_cannot_lock_the_focal_point_out(
    app: Flask, db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    focal = make_user("GHA")
    for _ in range(3):
        assert attempt(app, ATTACKER, focal.email, WRONG).status_code == 200
    # The attacker's address is locked out of the account, even with the right password...
    refused = attempt(app, ATTACKER, focal.email, PASSWORD)
    assert refused.status_code == 200
    assert error_of(refused).startswith("Too many failed attempts")
    # ...and the focal point, from another address, logs in at once.
    assert attempt(app, "198.51.100.7", focal.email, PASSWORD).status_code == 302


def test_many_addresses_are_slowed_down_and_a_new_one_is_never_blocked(
    app: Flask, db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    focal = make_user("GHA")
    botnet = [f"192.0.2.{n}" for n in range(1, 21)]
    for address in botnet[:6]:  # six failures on the account: three past the allowance
        assert attempt(app, address, focal.email, WRONG).status_code == 200
    # An address that already failed waits 4 seconds (1, 2, 4... past the allowance), even
    # with the right password: it is not checked.
    delayed = attempt(app, botnet[0], focal.email, PASSWORD)
    assert error_of(delayed) == (
        "Too many failed attempts to log in with this e-mail address. Wait 4 seconds and try again."
    )
    # A new address is not delayed: the right password goes through.
    assert attempt(app, "198.51.100.7", focal.email, PASSWORD).status_code == 302
    clock.advance(seconds=5)
    assert attempt(app, botnet[0], focal.email, PASSWORD).status_code == 302
    # However many addresses join in, the delay stops at its maximum, and a new address
    # still gets through.
    for address in botnet[6:]:
        attempt(app, address, focal.email, WRONG)
    assert "Wait 60 seconds" in error_of(attempt(app, botnet[7], focal.email, WRONG))
    assert attempt(app, "198.51.100.8", focal.email, PASSWORD).status_code == 302
    clock.advance(seconds=61)
    assert attempt(app, botnet[7], focal.email, PASSWORD).status_code == 302


def test_wrong_passwords_on_the_account_pages_count_toward_the_lockout(
    app: Flask, db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    user = make_user("GHA")
    client = app.test_client()
    login(client, user)
    pages = [
        ("/account/password", {"current": WRONG, "password": NEW, "confirm": NEW}),
        ("/account/two-factor/disable", {"disable-password": WRONG}),
        ("/account/two-factor/recovery-codes", {"codes-password": WRONG}),
    ]
    for path, data in pages:
        assert client.post(path, data=data).status_code == 200
    # Three wrong passwords from this address: the right one is refused here now...
    right = {"current": PASSWORD, "password": NEW, "confirm": NEW}
    refused = client.post("/account/password", data=right)
    assert "Too many failed attempts" in refused.get_data(as_text=True)
    # ...and on the login page from the same address, but not from another one.
    assert error_of(attempt(app, "127.0.0.1", user.email, PASSWORD)).startswith("Too many")
    assert attempt(app, "198.51.100.7", user.email, PASSWORD).status_code == 302
    failures = [e for e in auth_entries(db) if e.action == "auth.failure"]
    assert [e.after["where"] for e in failures] == [
        "change_password",
        "two_factor_disable",
        "recovery_codes",
    ]


def test_authentication_events_are_in_the_audit_log_without_passwords(
    app: Flask, db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    user = make_user("GHA")
    attempt(app, ATTACKER, "nobody@gov-gh.example", WRONG)
    for _ in range(3):
        attempt(app, ATTACKER, user.email, WRONG)
    client = app.test_client()
    login(client, user)
    client.post("/logout")

    entries = auth_entries(db)
    assert [(e.action, e.login_email, e.client_address) for e in entries] == [
        ("auth.failure", "nobody@gov-gh.example", ATTACKER),
        ("auth.failure", user.email, ATTACKER),
        ("auth.failure", user.email, ATTACKER),
        ("auth.failure", user.email, ATTACKER),
        ("auth.lockout", user.email, ATTACKER),
        ("auth.login", user.email, "127.0.0.1"),
        ("auth.logout", user.email, "127.0.0.1"),
    ]
    assert entries[0].object_id == "" and entries[0].actor_id is None
    assert {e.object_id for e in entries[1:]} == {str(user.id)}
    assert entries[-1].actor_id == user.id
    stored = " ".join(f"{e.before} {e.after} {e.reason}" for e in entries)
    assert WRONG not in stored and PASSWORD not in stored


def test_the_secretariat_filters_and_exports_authentication_events(
    app: Flask, db: Session, make_user: Callable[..., User], clock: Clock
) -> None:
    attempt(app, ATTACKER, "nobody@gov-gh.example", WRONG)
    attempt(app, "198.51.100.9", "someone@gov-gh.example", WRONG)
    client = app.test_client()
    login(client, make_user(None, secretariat=True))

    page = client.get(f"/audit-log/?action=auth.&address={ATTACKER}").get_data(as_text=True)
    assert "nobody@gov-gh.example" in page and ATTACKER in page
    assert "someone@gov-gh.example" not in page
    by_email = client.get("/audit-log/?actor=someone@").get_data(as_text=True)
    assert "someone@gov-gh.example" in by_email and "nobody@" not in by_email

    export = client.get("/audit-log/export.csv?action=auth.failure")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert {(r["login_email"], r["client_address"]) for r in rows} == {
        ("nobody@gov-gh.example", ATTACKER),
        ("someone@gov-gh.example", "198.51.100.9"),
    }
