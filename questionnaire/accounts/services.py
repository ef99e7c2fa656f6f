"""Creating accounts, checking and choosing passwords, activation and reset links, lockouts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select, update

from questionnaire.accounts import emails, lockout, tokens
from questionnaire.accounts.lockout import normalize_email
from questionnaire.accounts.models import User
from questionnaire.accounts.passwords import password_problems
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.outbox.services import queue_message
from questionnaire.reference.models import State

# argon2-cffi's defaults are the RFC 9106 "low memory" argon2id profile.
_hasher = PasswordHasher()
#: At most one reset e-mail per account in this time, however often it is asked for.
RESET_EMAIL_INTERVAL = timedelta(minutes=5)
WRONG_PASSWORD = _l("Your password is not right.")


class PasswordRejected(RuleViolation):
    """The password breaks the policy; `problems` says how, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def find_user(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalize_email(email))).first()


def set_password(user: User, password: str) -> None:
    """Store an argon2id hash of `password` and end the user's other sessions.

    No policy check: for fixtures and the demo. People choose passwords through
    `choose_password_with_link` and `change_password`, which apply the policy."""
    user.password_hash = _hasher.hash(password)
    user.session_nonce = secrets.token_hex(8)


def end_sessions(user: User) -> None:
    """Make every session of the user invalid (the loader compares this nonce)."""
    user.session_nonce = secrets.token_hex(8)


def create_user(
    db: Session,
    *,
    email: str,
    full_name: str,
    state_code: str | None,
    password: str | None = None,
    is_secretariat: bool = False,
    locale: str = "en",
) -> User:
    """Create an account; without a password the user cannot log in until one is set."""
    user = User(
        email=normalize_email(email),
        full_name=full_name,
        state_code=state_code,
        is_secretariat=is_secretariat,
        locale=locale,
    )
    if password is not None:
        set_password(user, password)
        user.activated_at = user.password_changed_at = utcnow()
    db.add(user)
    db.flush()
    return user


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's (in constant time for users without one)."""
    if not user.password_hash:
        _verify(_dummy_hash(), password)
        return False
    if not _verify(user.password_hash, password):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the e-mail is unknown, so that both cases take as long.
    Made on first use rather than at import: a hash costs a quarter of a second, and every
    command of the command line imports this module."""
    return _hasher.hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = find_user(db, email)
    if user is None or not user.is_active:
        _verify(_dummy_hash(), password)
        return None
    if not verify_password(user, password):
        return None
    user.last_login_at = utcnow()
    return user


def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    user.locale = locale


def users_by_id(db: Session, ids: Iterable[int | None]) -> dict[int, User]:
    """The users with these ids, in one query (ids that are None or unknown are left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.exec(select(User).where(col(User.id).in_(wanted)))
    return {id_of(user): user for user in rows}


# --- registration and links ---------------------------------------------------------------


def register_user(
    db: Session,
    *,
    actor: User,
    email: str,
    full_name: str,
    state_code: str | None,
    is_secretariat: bool,
    locale: str,
) -> User:
    """Register a nominated person and e-mail them an activation link."""
    if find_user(db, email) is not None:
        raise RuleViolation(_l("An account with this e-mail address already exists."))
    if is_secretariat == bool(state_code):
        raise RuleViolation(
            _l("Choose a State for a State's nominee, and no State for the secretariat.")
        )
    if state_code and db.get(State, state_code) is None:
        raise RuleViolation(_l("Choose a State from the list."))
    user = create_user(
        db,
        email=email,
        full_name=full_name.strip(),
        state_code=state_code or None,
        is_secretariat=is_secretariat,
        locale=locale,
    )
    record(
        db,
        actor=actor,
        action="account.create",
        object_type="user_account",
        object_id=user.id,
        after={
            "email": user.email,
            "full_name": user.full_name,
            "state_code": user.state_code,
            "is_secretariat": user.is_secretariat,
        },
    )
    send_activation(db, user, actor=actor)
    return user


def send_activation(db: Session, user: User, *, actor: User, now: datetime | None = None) -> None:
    """E-mail a new activation link; links sent before stop working."""
    if user.activated_at is not None or user.password_hash is not None:
        raise RuleViolation(_l("This account is already active."))
    now = now or utcnow()
    end_sessions(user)  # changes the fingerprint: earlier links are void
    user.activation_sent_at = now
    db.add(user)
    url = emails.public_url("accounts.activate", token=tokens.make_token(user, "activate"))
    subject, body = emails.activation(user, url, now + tokens.max_age("activate"))
    queue_message(db, to=[user.email], subject=subject, body=body, carries_link=True)
    record(
        db,
        actor=actor,
        action="account.activation_sent",
        object_type="user_account",
        object_id=user.id,
    )
    db.flush()


def user_for_link(db: Session, token: str, purpose: tokens.Purpose) -> User:
    """The account a genuine, unexpired, unused link is for; tokens.LinkInvalid otherwise."""
    user_id, fingerprint = tokens.user_id_of(token, purpose)
    user = db.get(User, user_id)
    if user is None or not user.is_active or not tokens.matches(user, fingerprint):
        raise tokens.LinkInvalid("unknown, inactive or already used")
    if purpose == "activate" and user.activated_at is not None:
        raise tokens.LinkInvalid("already active")
    return user


def choose_password_with_link(
    db: Session, token: str, purpose: tokens.Purpose, password: str
) -> User:
    """Set the password chosen through an activation or reset link; the link is then void."""
    user = user_for_link(db, token, purpose)
    if problems := password_problems(password, user.email):
        raise PasswordRejected([str(p) for p in problems])
    old_nonce, now = user.session_nonce, utcnow()
    # Claim the link atomically: of two requests racing with it, one wins.
    claimed = db.exec(
        update(User)
        .where(col(User.id) == user.id, col(User.session_nonce) == old_nonce)
        .values(
            password_hash=_hasher.hash(password),
            session_nonce=secrets.token_hex(8),
            password_changed_at=now,
            password_reset_sent_at=None,
            activated_at=user.activated_at or now,
        )
    )
    if claimed.rowcount != 1:
        raise tokens.LinkInvalid("used meanwhile")
    db.refresh(user)
    lockout.clear_failures(db, user.email)
    action = "account.activate" if purpose == "activate" else "account.password_reset"
    record(db, actor=user, action=action, object_type="user_account", object_id=user.id)
    if purpose == "reset":
        notify(db, user, "password_changed")
    db.flush()
    return user


def request_password_reset(db: Session, email: str, *, now: datetime | None = None) -> None:
    """E-mail a reset link if the address is an active account's; the caller answers the
    same in every case. At most one e-mail per account every few minutes."""
    now = now or utcnow()
    user = find_user(db, email)
    if user is None or not user.is_active:
        # Compose a message all the same, so both cases take about as long.
        emails.password_reset(User(email="", full_name=""), "", 0)
        return
    sent_at = user.password_reset_sent_at
    if sent_at is not None and now - sent_at < RESET_EMAIL_INTERVAL:
        return
    user.password_reset_sent_at = now
    db.add(user)
    url = emails.public_url("accounts.reset_password", token=tokens.make_token(user, "reset"))
    minutes = int(tokens.max_age("reset").total_seconds() // 60)
    subject, body = emails.password_reset(user, url, minutes)
    queue_message(db, to=[user.email], subject=subject, body=body, carries_link=True)
    record(
        db,
        actor=None,
        action="account.password_reset_sent",
        object_type="user_account",
        object_id=user.id,
    )
    db.flush()


def change_password(
    db: Session, user: User, current: str, new: str, *, address: str | None = None
) -> None:
    """Change a logged-in user's password; every other session of theirs ends. A wrong
    current password counts toward the lockout of `address`."""
    wrong = _l("Your current password is not right.")
    confirm_own_password(db, user, current, address, where="change_password", wrong=wrong)
    if problems := password_problems(new, user.email):
        raise PasswordRejected([str(p) for p in problems])
    set_password(user, new)
    user.password_changed_at = utcnow()
    db.add(user)
    record(
        db,
        actor=user,
        action="account.password_change",
        object_type="user_account",
        object_id=user.id,
    )
    notify(db, user, "password_changed")
    db.flush()


def notify(db: Session, user: User, event: str, **values: object) -> None:
    """E-mail the owner of the account about a change to its security."""
    subject, body = emails.security_notice(user, event, **values)
    queue_message(db, to=[user.email], subject=subject, body=body)


# --- logging in and lockouts (the rules: accounts.lockout) ----------------------------------


@dataclass(frozen=True)
class LoginAttempt:
    """The outcome of the password step: the user, or None and why the address is refused."""

    user: User | None
    refusal: lockout.Refusal | None = None


def check_password_step(
    db: Session, email: str, password: str, address: str, *, now: datetime | None = None
) -> LoginAttempt:
    """The first step of a login from `address`. An address refused for this e-mail address
    is refused without looking at the password, so that it cannot probe the account;
    failures are counted per address and account, whether the account exists or not."""
    if refused := lockout.refusal(db, email, address, now=now):
        user = find_user(db, email)
        lockout.audit_event(db, "auth.refused", email=email, user=user, address=address)
        return LoginAttempt(None, refused)
    user = find_user(db, email)
    if user is None or not user.is_active or not verify_password(user, password):
        if user is None or not user.is_active:
            _verify(_dummy_hash(), password)
        return LoginAttempt(None, lockout.record_failure(db, email, "password", address, now=now))
    return LoginAttempt(user)


def confirm_own_password(
    db: Session,
    user: User,
    password: str,
    address: str | None,
    *,
    where: str,
    wrong: LazyString = WRONG_PASSWORD,
) -> None:
    """A logged-in user's password, typed again on one of their account's pages (`where`):
    a wrong one counts toward the lockout of `address` as on the login page (None: a caller
    with no client, which counts nothing)."""
    if address is not None and (refused := lockout.refusal(db, user.email, address)):
        raise RuleViolation(refused.message())
    if not verify_password(user, password):
        if address is not None:
            lockout.record_failure(db, user.email, "password", address, where=where)
        raise RuleViolation(wrong)


def record_login(db: Session, user: User, address: str) -> None:
    """The login is complete: remember when, forget this address's failures, audit it."""
    user.last_login_at = utcnow()
    db.add(user)
    lockout.clear_failures(db, user.email, address)
    lockout.audit_event(db, "auth.login", email=user.email, user=user, address=address)
    db.flush()


def record_logout(db: Session, user: User, address: str) -> None:
    """The user logged out: every session of theirs ends (a copied cookie too); audited."""
    end_sessions(user)
    db.add(user)
    lockout.audit_event(db, "auth.logout", email=user.email, user=user, address=address)
    db.flush()
