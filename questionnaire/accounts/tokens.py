"""Signed, expiring, single-use links for activating an account and resetting a password.

A token carries the user id and a fingerprint of the account's password hash and session
nonce, signed (itsdangerous, HMAC-SHA256 with SECRET_KEY) with a salt per purpose, so an
activation token is never accepted as a reset token. Choosing a password changes both the hash
and the nonce, which makes every link issued before it useless: links are single-use without
a table of used tokens. Nothing secret is inside a token, only an id and a hash.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Literal

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from questionnaire.accounts.models import User

Purpose = Literal["activate", "reset"]
_SALTS: dict[Purpose, str] = {
    "activate": "questionnaire.accounts.activate",
    "reset": "questionnaire.accounts.reset",
}


class LinkInvalid(Exception):
    """The link is malformed, forged, for another purpose, expired or already used."""


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    # SHA-256 rather than itsdangerous' default SHA-1 for the HMAC.
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=_SALTS[purpose],
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def fingerprint(user: User) -> str:
    """Changes whenever the password or the session nonce does."""
    material = f"{user.password_hash or ''}|{user.session_nonce}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def max_age(purpose: Purpose) -> timedelta:
    config = current_app.config
    if purpose == "activate":
        return timedelta(days=int(config["ACTIVATION_LINK_DAYS"]))
    return timedelta(minutes=int(config["PASSWORD_RESET_LINK_MINUTES"]))


def make_token(user: User, purpose: Purpose) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": fingerprint(user)})


def user_id_of(token: str, purpose: Purpose) -> tuple[int, str]:
    """(user id, fingerprint) of a genuine, unexpired token; LinkInvalid otherwise."""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age(purpose).total_seconds()))
    except (SignatureExpired, BadSignature) as exc:
        raise LinkInvalid(str(exc)) from exc
    if not isinstance(payload, dict):
        raise LinkInvalid("unexpected payload")
    user_id, print_ = payload.get("u"), payload.get("f")
    if not isinstance(user_id, int) or not isinstance(print_, str):
        raise LinkInvalid("unexpected payload")
    return user_id, print_


def matches(user: User, token_fingerprint: str) -> bool:
    """The account is still as it was when the link was made (so the link was not used)."""
    return hmac.compare_digest(fingerprint(user).encode(), token_fingerprint.encode())
