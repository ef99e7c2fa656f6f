"""Creating accounts and checking passwords."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.db import utcnow

# argon2-cffi's defaults are the RFC 9106 "low memory" argon2id profile.
_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown keeps the timing of both cases alike.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalize_email(email))).first()


def set_password(user: User, password: str) -> None:
    """Store an argon2id hash of `password` and end the user's other sessions."""
    user.password_hash = _hasher.hash(password)
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
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = find_user(db, email)
    if user is None or not user.password_hash or not user.is_active:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    user.locale = locale


def load_user_by_session_id(db: Session, session_id: str) -> User | None:
    """Flask-Login's loader: the id must carry the user's current session nonce."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.get(User, int(user_id))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user
