"""Failed passwords and codes, and who they lock out: an address, never an account for all.

Counting failures per account alone let anyone keep a focal point out before a deadline by
typing wrong passwords from anywhere. So:

- **per client address and account**: after LOGIN_LOCKOUT_ATTEMPTS wrong passwords within
  LOGIN_LOCKOUT_MINUTES, that address may not try that account again until the window has
  passed (the password is not even checked, so a locked address cannot probe it);
- **a progressive delay per account**: once the account has had more failures than that from
  all addresses together, an address that has already failed on it waits before its next try,
  1, 2, 4... seconds up to LOGIN_DELAY_MAX_SECONDS after its own last failure;
- an address that has not failed on the account is neither locked nor delayed: the right
  password from a new address (the focal point at the office, at home, on a phone) is always
  checked;
- wrong second-factor codes lock the account (TWO_FACTOR_LOCKOUT_ATTEMPTS): only someone who
  gave the right password reaches that step.

An attacker spread over many addresses thus gets at most LOGIN_LOCKOUT_ATTEMPTS tries per
address and window, slowed down further while the attack lasts; the per-address rate limits
(accounts.limits) come on top. Wrong passwords typed on the account's own pages (changing the
password, turning two-step verification off, new recovery codes) count the same way.

Every failure, lockout, login and logout is written to the audit log with the e-mail address
given and the client address, never the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from sqlmodel import Session, col, delete, func, select

from questionnaire.accounts import emails
from questionnaire.accounts.models import LoginFailure, User
from questionnaire.audit.models import AuditEntry
from questionnaire.audit.services import record
from questionnaire.db import utcnow
from questionnaire.outbox.services import queue_message

#: Long enough for any IPv6 address in text form.
ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class Refusal:
    """Why an address may not try an account now: locked for the window, or to wait."""

    wait_seconds: int
    is_lockout: bool

    def message(self) -> str:
        if self.is_lockout:
            return _(
                "Too many failed attempts to log in with this e-mail address from your "
                "connection. Wait %(minutes)d minutes and try again, or choose a new password "
                'with "Forgot your password?".',
                minutes=max(1, -(-self.wait_seconds // 60)),
            )
        return _(
            "Too many failed attempts to log in with this e-mail address. Wait %(seconds)d "
            "seconds and try again.",
            seconds=self.wait_seconds,
        )


def client_address() -> str:
    """The client's IP address as the application sees it (see TRUSTED_PROXY_COUNT)."""
    return (request.remote_addr or "")[:ADDRESS_LENGTH]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["LOGIN_LOCKOUT_MINUTES"]))


def _failures(
    db: Session, email: str, kind: str, since: datetime, address: str | None
) -> list[datetime]:
    query = select(LoginFailure.at).where(
        LoginFailure.email == email, LoginFailure.kind == kind, col(LoginFailure.at) > since
    )
    if address is not None:
        query = query.where(LoginFailure.client_address == address)
    return list(db.exec(query.order_by(col(LoginFailure.at))).all())


def refusal(
    db: Session, email: str, address: str, *, now: datetime | None = None
) -> Refusal | None:
    """Whether `address` may try a password or code for `email` now (None: it may)."""
    now, email = now or utcnow(), normalize_email(email)
    window, config = _window(), current_app.config
    since = now - window
    codes = _failures(db, email, "code", since, None)
    if len(codes) >= int(config["TWO_FACTOR_LOCKOUT_ATTEMPTS"]):
        return Refusal(_seconds_until(codes[-1] + window, now), is_lockout=True)
    mine = _failures(db, email, "password", since, address)
    if not mine:
        return None
    attempts = int(config["LOGIN_LOCKOUT_ATTEMPTS"])
    if len(mine) >= attempts:
        return Refusal(_seconds_until(mine[-1] + window, now), is_lockout=True)
    total = db.exec(
        select(func.count())
        .select_from(LoginFailure)
        .where(
            LoginFailure.email == email,
            LoginFailure.kind == "password",
            col(LoginFailure.at) > since,
        )
    ).one()
    if total <= attempts:
        return None
    delay = min(2 ** (total - attempts - 1), int(config["LOGIN_DELAY_MAX_SECONDS"]))
    ready_at = mine[-1] + timedelta(seconds=delay)
    return Refusal(_seconds_until(ready_at, now), is_lockout=False) if ready_at > now else None


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int(-(-(moment - now).total_seconds() // 1)))


def record_failure(
    db: Session,
    email: str,
    kind: str,
    address: str,
    *,
    where: str = "login",
    now: datetime | None = None,
) -> Refusal | None:
    """Count a wrong password or code and audit it; the refusal it leads to, if any."""
    now, email = now or utcnow(), normalize_email(email)
    db.exec(delete(LoginFailure).where(col(LoginFailure.at) <= now - _window()))
    db.add(LoginFailure(email=email, kind=kind, client_address=address, at=now))
    user = db.exec(select(User).where(User.email == email)).first()
    audit_event(db, "auth.failure", email=email, user=user, address=address, kind=kind, where=where)
    db.flush()
    refused = refusal(db, email, address, now=now)
    if refused is not None and refused.is_lockout:
        audit_event(db, "auth.lockout", email=email, user=user, address=address, kind=kind)
        if user is not None and not _lockout_notified_since(db, user, now - _window()):
            _notify_locked(db, user, address)
        db.flush()
    return refused


def _lockout_notified_since(db: Session, user: User, since: datetime) -> bool:
    """One e-mail per account and window, however long an attack goes on."""
    entries = db.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "auth.lockout",
            AuditEntry.object_type == "user_account",
            AuditEntry.object_id == str(user.id),
            col(AuditEntry.at) > since,
        )
    ).one()
    return entries > 1  # the entry just added is one


def _notify_locked(db: Session, user: User, address: str) -> None:
    minutes = int(_window().total_seconds() // 60)
    subject, body = emails.security_notice(user, "locked", minutes=minutes, address=address)
    queue_message(db, to=[user.email], subject=subject, body=body)


def clear_failures(db: Session, email: str, address: str | None = None) -> None:
    """Forget the failures for `email` (from `address` only, when given)."""
    query = delete(LoginFailure).where(col(LoginFailure.email) == normalize_email(email))
    if address is not None:
        query = query.where(col(LoginFailure.client_address) == address)
    db.exec(query)


def audit_event(
    db: Session,
    action: str,
    *,
    email: str,
    user: User | None,
    address: str,
    **details: str,
) -> None:
    """An authentication event in the audit log: the e-mail given, the account it names if
    any, the client address and what kind of secret was wrong; never the secret itself."""
    record(
        db,
        actor=user if action in ("auth.login", "auth.logout") else None,
        action=action,
        object_type="user_account",
        object_id=user.id if user is not None else "",
        after=details or None,
        login_email=normalize_email(email),
        client_address=address,
    )
