"""The `questionnaire` command line: the Flask CLI group, the database, demo, archive and
serve commands, and each feature's commands from its own `cli.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command as alembic_command
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from questionnaire import backup, create_app, db, demo
from questionnaire.accounts.emails import PublicAddressMissing, require_public_address
from questionnaire.api.cli import api_token_group
from questionnaire.banks.cli import banks_group
from questionnaire.documents.cli import publish_group
from questionnaire.meetings.cli import meetings_group
from questionnaire.nominations.cli import nominations_group
from questionnaire.notifications.cli import outbox_group, reminders_group
from questionnaire.reference.cli import provisions_group, states_group
from questionnaire.reviews.cli import reviews_group


def _cli_app() -> Flask:
    # Commands such as `db upgrade` must run on an un-migrated database; those that write no
    # link in an e-mail (`banks validate`, `db upgrade`…) run without PUBLIC_BASE_URL.
    return create_app({"PUBLIC_BASE_URL_AT_START": False}, check_schema=False)


@click.group(cls=FlaskGroup, create_app=_cli_app, add_default_commands=False)
def cli() -> None:
    """Self-assessment questionnaires of the UNTOC review mechanism."""


cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(reviews_group)
cli.add_command(outbox_group)
cli.add_command(reminders_group)
cli.add_command(provisions_group)
cli.add_command(meetings_group)
cli.add_command(banks_group)
cli.add_command(api_token_group)
cli.add_command(states_group)
cli.add_command(nominations_group)
cli.add_command(publish_group)


# --- database -----------------------------------------------------------------------------


@cli.group("db")
def db_group() -> None:
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    alembic_command.upgrade(db.alembic_config(current_app), revision)
    current, _head = db.schema_status(current_app)
    click.echo(f"database at revision {current}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (`base` removes every table)."""
    alembic_command.downgrade(db.alembic_config(current_app), revision)
    current, _head = db.schema_status(current_app)
    click.echo(f"database at revision {current or 'base'}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's revision and the code's."""
    current, head = db.schema_status(current_app)
    click.echo(f"database: {current or 'none'}; code: {head}")
    if current != head:
        sys.exit(1)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration comparing the models with the database."""
    alembic_command.revision(
        db.alembic_config(current_app), message=message, autogenerate=autogenerate
    )


# --- demo, archives and the server --------------------------------------------------------


@cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (idempotent) and print the demo logins."""
    _require_current_schema()
    # The demo's people are sent activation links: refused before anything is loaded, rather
    # than after the banks, when the first e-mail is written.
    require_public_address()
    session = db.session()
    logins = demo.load_demo(session, Path(current_app.config["QUESTION_BANKS_DIR"]))
    session.commit()
    click.echo(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {email:32} {role}")


def _require_current_schema() -> None:
    try:
        db.check_schema(current_app)
    except db.SchemaNotCurrent as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_all_command(path: Path) -> None:
    """Write everything (without secrets) to a versioned JSON archive."""
    _require_current_schema()
    current, _head = db.schema_status(current_app)
    archive = backup.export_all(db.get_engine(current_app), current)
    backup.write_archive(path, archive)
    rows = sum(len(t["rows"]) for t in archive["tables"].values())
    click.echo(f"{rows} rows of {len(archive['tables'])} tables written to {path}")


@cli.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_all_command(path: Path) -> None:
    """Load an archive into an empty, migrated database (all or nothing)."""
    _require_current_schema()
    current, _head = db.schema_status(current_app)
    try:
        counts = backup.import_all(db.get_engine(current_app), backup.read_archive(path), current)
    except backup.ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{sum(counts.values())} rows imported into {len(counts)} tables")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the application with gunicorn (refuses an un-migrated database)."""
    from questionnaire.server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers)


def main() -> None:
    try:
        cli(prog_name="questionnaire")
    except PublicAddressMissing as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
