"""`questionnaire api-token create|revoke|list`: tokens of the read-only API."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.accounts.services import find_user
from questionnaire.api import services as api_services
from questionnaire.api.models import ApiToken
from questionnaire.errors import RuleViolation


@click.group("api-token")
def api_token_group() -> None:
    """Tokens of the read-only API, for secretariat members."""


@api_token_group.command("create")
@click.argument("name")
@click.option("--user", "email", required=True, help="e-mail of the secretariat member")
@with_appcontext
def api_token_create(name: str, email: str) -> None:
    """Create a token; it is printed once, on standard output, and never shown again."""
    session = db.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"there is no account {email}")
    try:
        token, secret = api_services.create_token(session, user, name)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"token {token.id} ({token.name}) for {user.email}, shown once:", err=True)
    click.echo(secret)


@api_token_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def api_token_revoke(token_id: int) -> None:
    """Refuse the token TOKEN_ID from now on."""
    session = db.session()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"there is no token {token_id}")
    try:
        api_services.revoke_token(session, token)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"token {token.id} ({token.name}) revoked")


@api_token_group.command("list")
@with_appcontext
def api_token_list() -> None:
    """Every token: id, name, member, created, last used, revoked."""
    for token, user in api_services.tokens(db.session()):
        used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "unused"
        revoked = f", revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else ""
        created = f"created {token.created_at:%Y-%m-%d}"
        click.echo(f"{token.id:>4}  {token.name}  {user.email}  {created}, {used}{revoked}")
