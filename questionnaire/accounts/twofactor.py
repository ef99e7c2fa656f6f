"""Two-step verification: time-based codes (TOTP, RFC 6238) and single-use recovery codes.

The TOTP secret is not stored. The account keeps a random seed; the secret is
HMAC-SHA256(TWO_FACTOR_KEY, "totp|<user id>|<seed>") cut to 160 bits, so a copy of the
database alone (a backup, a dump) does not give anyone the codes: the key lives in the
environment. A code is accepted once: the time step it belongs to is remembered, and codes
of that step or earlier are refused afterwards (atomically, so two requests with the same
code cannot both pass).

Recovery codes have 80 random bits each; only their SHA-256 is kept. A slow hash would add
nothing at that entropy, and a fast one lets a code be found by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp
from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import Exists, bindparam, literal
from sqlmodel import Session, col, delete, func, or_, select, update

from questionnaire.accounts import lockout, services
from questionnaire.accounts.models import RecoveryCode, User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation

RECOVERY_CODE_COUNT = 10
TOTP_INTERVAL = 30
#: Codes of the previous and the next time step are accepted too (clock drift).
TOTP_DRIFT_STEPS = 1
_NOT_CODE = re.compile(r"[\s-]+")
_TOTP_CODE = re.compile(r"[0-9]{6}")  # ASCII digits only: str.isdigit() takes "٣" too


# --- who must use it ----------------------------------------------------------------------


@dataclass(frozen=True)
class GrantedRoles:
    """Roles that another feature grants to users (the reviews: focal point, expert...), and
    how to tell whether a user holds one of some of them: `held_by(user id, roles)` is an SQL
    EXISTS, correlated to the user id it is given."""

    names: frozenset[str]
    held_by: Callable[[Any, frozenset[str]], Exists]


def use_granted_roles(app: Flask, granted: GrantedRoles) -> None:
    """Let TWO_FACTOR_REQUIRED_ROLES name the roles of `granted` (the app factory registers
    the reviews' roles: accounts sit below the reviews and do not read their tables)."""
    app.extensions["granted_roles"] = granted


def _granted() -> GrantedRoles | None:
    granted: GrantedRoles | None = current_app.extensions.get("granted_roles")
    return granted


def _required_review_roles() -> frozenset[str]:
    """The review roles (focal point...) whose holders must use a second factor."""
    granted = _granted()
    if granted is None:
        return frozenset()
    return frozenset(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or ()) & granted.names


def is_required(db: Session, user: User) -> bool:
    """The configured roles (secretariat, focal point of any review...) must use it."""
    roles = set(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or ())
    if user.is_secretariat and "secretariat" in roles:
        return True
    review_roles = _required_review_roles()
    if not review_roles:
        return False
    known = g.get("two_factor_role")
    if known is not None and known[:2] == (user.id, review_roles):
        return bool(known[2])  # read with the user by load_session_user
    granted = _granted()
    assert granted is not None  # review roles are required only when some are granted
    return bool(db.exec(select(granted.held_by(literal(user.id), review_roles))).one())


def needs_enrolment(db: Session, user: User) -> bool:
    return not user.has_two_factor and is_required(db, user)


_SESSION_USER_QUERIES: dict[frozenset[str], Any] = {}


def _session_user_query(review_roles: frozenset[str]) -> Any:
    """The user, and whether they hold one of `review_roles` in any review, in one query."""
    query = _SESSION_USER_QUERIES.get(review_roles)
    if query is None:
        granted = _granted()
        holds_role = (
            granted.held_by(col(User.id), review_roles).correlate(User)
            if granted is not None and review_roles
            else literal(False)
        )
        query = select(User, holds_role.label("holds_role")).where(User.id == bindparam("user_id"))
        _SESSION_USER_QUERIES[review_roles] = query
    return query


def load_session_user(db: Session, session_id: str) -> User | None:
    """Flask-Login's loader: the id must carry the user's current session nonce.

    Every request of a logged-in user checks whether a second factor is now required of them
    (they may have been made focal point during the session); whether they hold such a role is
    read in the same query as the user, rather than by a query of its own on each request.
    """
    user_id, _sep, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    roles = _required_review_roles()
    row = db.exec(_session_user_query(roles), params={"user_id": int(user_id)}).first()
    if row is None:
        return None
    user: User
    user, holds_role = row
    if not user.is_active or user.session_nonce != nonce:
        return None
    g.two_factor_role = (user.id, roles, bool(holds_role))
    return user


# --- the authenticator --------------------------------------------------------------------


def _key() -> bytes:
    config = current_app.config
    return str(config.get("TWO_FACTOR_KEY") or config["SECRET_KEY"]).encode()


def secret_of(user: User) -> str:
    """The base32 TOTP secret of the user's current seed."""
    if not user.totp_seed:
        raise RuleViolation(_l("No authenticator is being set up."))
    message = f"totp|{user.id}|{user.totp_seed}".encode()
    digest = hmac.new(_key(), message, hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads (as text or from a QR code)."""
    issuer = str(current_app.config["TWO_FACTOR_ISSUER"])
    return pyotp.TOTP(secret_of(user), interval=TOTP_INTERVAL).provisioning_uri(
        name=user.email, issuer_name=issuer
    )


def start_enrolment(db: Session, user: User) -> None:
    """Give the user a seed to enrol (kept across reloads of the page until confirmed)."""
    if user.has_two_factor:
        raise RuleViolation(_l("Two-step verification is already on."))
    if not user.totp_seed:
        user.totp_seed = secrets.token_hex(16)
        user.totp_last_step = None
        db.add(user)
        db.flush()


def _time_step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_INTERVAL


def _check_totp(db: Session, user: User, code: str, now: datetime) -> bool:
    """A code of an acceptable time step after the last one used; that step is then used."""
    if not _TOTP_CODE.fullmatch(code):
        return False
    totp = pyotp.TOTP(secret_of(user), interval=TOTP_INTERVAL)
    current = _time_step(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):
            claimed = db.exec(
                update(User)
                .where(
                    col(User.id) == user.id,
                    or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
                )
                .values(totp_last_step=step)
            )
            return claimed.rowcount == 1
    return False


def confirm_enrolment(
    db: Session,
    user: User,
    code: str,
    *,
    now: datetime | None = None,
    address: str | None = None,
) -> list[str]:
    """Turn two-step verification on once a code from the app proves it works; the user's
    other sessions end. Returns the recovery codes, to be shown once. A wrong code counts
    toward the lockout of `address` as on the login page (None: counts nothing)."""
    if user.has_two_factor or not user.totp_seed:
        raise RuleViolation(_l("Start the set-up of two-step verification again."))
    if address is not None and (refused := lockout.refusal(db, user.email, address)):
        raise RuleViolation(refused.message())
    if not _check_totp(db, user, _normalize(code), now or utcnow()):
        if address is not None:
            lockout.record_failure(db, user.email, "code", address, where="two_factor_setup")
        raise RuleViolation(_l("The code is not right. Enter the current code from your app."))
    db.refresh(user)
    user.totp_enabled_at = utcnow()
    services.end_sessions(user)
    db.add(user)
    codes = _replace_recovery_codes(db, user)
    _audit(db, user, "account.2fa_enable")
    services.notify(db, user, "two_factor_enabled")
    db.flush()
    return codes


def verify_code(db: Session, user: User, code: str, *, now: datetime | None = None) -> str | None:
    """The second step of a login: "totp" or "recovery" for an accepted code, else None."""
    code = _normalize(code)
    if not user.has_two_factor or not code:
        return None
    if _TOTP_CODE.fullmatch(code):
        return "totp" if _check_totp(db, user, code, now or utcnow()) else None
    if _use_recovery_code(db, user, code):
        remaining = remaining_recovery_codes(db, user)
        _audit(db, user, "account.2fa_recovery_use", after={"remaining": remaining})
        services.notify(db, user, "recovery_code_used", remaining=remaining)
        db.flush()
        return "recovery"
    return None


def _normalize(code: str) -> str:
    return _NOT_CODE.sub("", code or "").lower()[:64]


# --- recovery codes -----------------------------------------------------------------------


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normalize(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    """16 base32 characters (80 bits) in groups of four: 'k7qp-3mzd-w2xa-9ruf'."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _replace_recovery_codes(db: Session, user: User) -> list[str]:
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.add(RecoveryCode(user_id=id_of(user), code_hash=_hash_code(code)))
    db.flush()
    return codes


def _use_recovery_code(db: Session, user: User, code: str) -> bool:
    used = db.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _hash_code(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    return used.rowcount == 1


def remaining_recovery_codes(db: Session, user: User) -> int:
    return db.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None))
    ).one()


def regenerate_recovery_codes(
    db: Session, user: User, password: str, *, address: str | None = None
) -> list[str]:
    """New recovery codes after the password is confirmed; the old ones stop working."""
    services.confirm_own_password(db, user, password, address, where="recovery_codes")
    if not user.has_two_factor:
        raise RuleViolation(_l("Two-step verification is off."))
    codes = _replace_recovery_codes(db, user)
    _audit(db, user, "account.2fa_recovery_regenerate")
    services.notify(db, user, "recovery_codes_replaced")
    return codes


# --- turning it off -----------------------------------------------------------------------


def disable(db: Session, user: User, password: str, *, address: str | None = None) -> None:
    """Turn it off after the password is confirmed; the user's other sessions end."""
    services.confirm_own_password(db, user, password, address, where="two_factor_disable")
    if not user.has_two_factor:
        raise RuleViolation(_l("Two-step verification is off."))
    _clear(db, user)
    _audit(db, user, "account.2fa_disable")
    services.notify(db, user, "two_factor_disabled")
    db.flush()


def reset_for(db: Session, user: User, *, actor: User) -> None:
    """The secretariat turns it off for someone who lost their phone and recovery codes;
    they set it up again at their next login. Every session of theirs ends."""
    if not user.has_two_factor and not user.totp_seed:
        raise RuleViolation(_l("Two-step verification is off for this account."))
    _clear(db, user)
    _audit(db, user, "account.2fa_reset", actor=actor)
    services.notify(db, user, "two_factor_reset")
    db.flush()


def _clear(db: Session, user: User) -> None:
    user.totp_seed = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    services.end_sessions(user)
    db.add(user)
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))


def _audit(
    db: Session, user: User, action: str, *, actor: User | None = None, after: object = None
) -> None:
    record(
        db,
        actor=actor or user,
        action=action,
        object_type="user_account",
        object_id=user.id,
        after=after,
    )
