"""Creating, using and revoking API tokens. A token is shown once; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.api.models import ApiToken
from questionnaire.audit import services as audit
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation

#: Makes a leaked token recognisable to secret scanners and to people.
TOKEN_PREFIX = "qapi_"
MAX_NAME = 120


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token acting for `user`, who must be an active secretariat member.

    Returns the stored row and the token itself, which is never stored nor shown again.
    """
    name = name.strip()
    if not user.is_secretariat or not user.is_active:
        raise RuleViolation(
            _l(
                "%(email)s is not an active secretariat account: API tokens belong to the "
                "secretariat only.",
                email=user.email,
            )
        )
    if not name or len(name) > MAX_NAME:
        raise RuleViolation(_l("Give the token a name of 1 to %(max)d characters.", max=MAX_NAME))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(secret), created_by_id=id_of(user))
    db.add(token)
    db.flush()
    audit.record(
        db,
        actor=user,
        action="api_token.create",
        object_type="api_token",
        object_id=token.id,
        after={"name": name},
    )
    return token, secret


def revoke_token(db: Session, token: ApiToken, actor: User | None = None) -> None:
    """Refuse the token from now on."""
    if token.revoked_at is not None:
        raise RuleViolation(_l("Token %(id)s was already revoked.", id=token.id))
    token.revoked_at = utcnow()
    db.add(token)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="api_token.revoke",
        object_type="api_token",
        object_id=token.id,
        before={"name": token.name},
    )


def authenticate(db: Session, secret: str) -> tuple[ApiToken, User] | None:
    """The token and its user for a token sent with a request, noting its use; None when the
    token is unknown or revoked."""
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = db.get(User, token.created_by_id)
    if user is None:
        return None
    token.last_used_at = utcnow()
    db.add(token)
    db.flush()
    return token, user


def tokens(db: Session) -> list[tuple[ApiToken, User]]:
    """Every token with the member it acts for, newest first."""
    rows = db.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.created_by_id)  # type: ignore[arg-type]
        .order_by(ApiToken.id.desc())  # type: ignore[union-attr]
    ).all()
    return [(token, user) for token, user in rows]
