"""What the session cookie says about a login in progress or done.

Between the password and the second step the session holds only a *pending login*: the user
id, their session nonce and the step expected next. It is not a login (Flask-Login's
`current_user` stays anonymous), so it opens no page but the next step; it expires after a
few minutes, and when the password or the second factor changes (the nonce does).
"""

from __future__ import annotations

import time
from typing import Literal

from flask import current_app, session
from flask_login import login_user
from sqlmodel import Session

from questionnaire.accounts.models import User

Stage = Literal["code", "enrol"]
PENDING_KEY = "pending_login"
LOGIN_AT_KEY = "login_at"
PENDING_SECONDS = 5 * 60
#: The enrolment takes longer: installing an app, scanning, typing.
ENROL_SECONDS = 15 * 60
RENEWED_AT_KEY = "renewed_at"
#: A request renews the session (its signed cookie, whose age is the idle time) when the last
#: renewal is at least this old, rather than on every request: signing and sending the cookie
#: again was a tenth of the time of a small page. The idle timeout is therefore between the
#: configured lifetime minus this and the lifetime; the page's warning counts from the former.
RENEW_SECONDS = 60


def begin(user: User, stage: Stage, next_url: str | None) -> None:
    """Remember that `user` gave the right password and must now pass `stage`."""
    session.clear()
    session[PENDING_KEY] = {
        "uid": user.id,
        "nonce": user.session_nonce,
        "stage": stage,
        "since": int(time.time()),
        "next": next_url or "",
    }


def pending_user(db: Session, stage: Stage) -> User | None:
    """The user of a pending login at `stage`, if it is still valid."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("stage") != stage:
        return None
    limit = ENROL_SECONDS if stage == "enrol" else PENDING_SECONDS
    if time.time() - int(pending.get("since", 0)) > limit:
        session.pop(PENDING_KEY, None)
        return None
    user = db.get(User, int(pending.get("uid", 0)))
    if user is None or not user.is_active or user.session_nonce != pending.get("nonce"):
        session.pop(PENDING_KEY, None)
        return None
    return user


def pending_next() -> str | None:
    pending = session.get(PENDING_KEY)
    return (pending.get("next") or None) if isinstance(pending, dict) else None


def abandon() -> None:
    session.pop(PENDING_KEY, None)


def complete(user: User) -> None:
    """Log `user` in: a new session, valid for the idle timeout and the absolute limit."""
    session.clear()
    login_user(user)
    session.permanent = True
    session[LOGIN_AT_KEY] = int(time.time())
    renew(force=True)


def refresh_identity(user: User) -> None:
    """Keep the current session after the user's nonce changed (which ended the others)."""
    login_at = session.get(LOGIN_AT_KEY)
    login_user(user)
    session.permanent = True
    session[LOGIN_AT_KEY] = login_at or int(time.time())
    renew(force=True)


def renew(*, force: bool = False) -> None:
    """Renew the session's idle timeout if the last renewal is old enough (or `force`)."""
    now = int(time.time())
    if force or now - int(session.get(RENEWED_AT_KEY, 0)) >= RENEW_SECONDS:
        session[RENEWED_AT_KEY] = now


def is_too_old() -> bool:
    """Past the absolute limit of a session, however active it was."""
    login_at = session.get(LOGIN_AT_KEY)
    if not isinstance(login_at, int):
        session[LOGIN_AT_KEY] = int(time.time())  # sessions from before the limit existed
        return False
    hours = int(current_app.config["SESSION_ABSOLUTE_HOURS"])
    return time.time() - login_at > hours * 3600
