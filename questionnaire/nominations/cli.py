"""`questionnaire nominations import`: nominations from the States' notes verbales."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.accounts.services import find_user
from questionnaire.nominations import bulk as nominations_bulk


@click.group("nominations")
def nominations_group() -> None:
    """Nominations of people to reviews, from the States' notes verbales."""


@nominations_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "email", required=True, help="e-mail of the secretariat member recording")
@click.option("--dry-run", is_flag=True, help="check every row and show it; record nothing")
@with_appcontext
def nominations_import(path: Path, email: str, dry_run: bool) -> None:
    """Record the nominations of a CSV or XLSX file (docs/nominations.md): all or nothing."""
    try:
        db.check_schema(current_app)
    except db.SchemaNotCurrent as exc:
        raise click.ClickException(str(exc)) from exc
    session = db.session()
    actor = find_user(session, email)
    if actor is None or not actor.is_secretariat:
        raise click.ClickException(f"{email} is not a secretariat account")
    try:
        rows, problems = nominations_bulk.read_file(path.name, path.read_bytes())
    except nominations_bulk.ImportFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    report = nominations_bulk.ImportReport(problems=problems)
    if not problems:
        report = nominations_bulk.import_rows(session, rows, actor, save=not dry_run)
    for problem in report.problems:
        click.echo(
            f"{path}: row {problem.row}, column {problem.column}: {problem.message}", err=True
        )
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} problems: nothing was recorded")
    for p in report.planned:
        account = "new account, activation link queued" if p.is_new_account else "existing account"
        click.echo(
            f"row {p.row}: {p.full_name} <{p.email}>, {p.role} of {p.nominating_state} "
            f"for {p.state_under_review} ({p.reviews} review{'' if p.reviews == 1 else 's'}; "
            f"{account})"
        )
    if dry_run:
        click.echo(f"{len(report.planned)} nominations checked; nothing recorded (--dry-run)")
        return
    session.commit()
    click.echo(f"{len(report.planned)} nominations recorded")
