"""`questionnaire states load|import-treaty-status` and the `questionnaire provisions` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.reference import provisions
from questionnaire.reference import services as reference_services
from questionnaire.reference.treaty_status import TreatyStatusError


@click.command("import-treaty-status")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--instrument",
    required=True,
    type=click.Choice(reference_services.INSTRUMENT_CODES),
    help="the instrument whose status table the file is",
)
@with_appcontext
def import_treaty_status(path: Path, instrument: str) -> None:
    """Record signatures, ratifications and accessions from a UN Treaty Collection table
    (CSV or XLSX); all or nothing, every problem named by row and column."""
    session = db.session()
    try:
        counts = reference_services.import_treaty_status(session, path, instrument)
    except TreatyStatusError as exc:
        session.rollback()
        raise click.ClickException(
            f"nothing was imported; {len(exc.problems)} problem(s):\n" + str(exc)
        ) from exc
    session.commit()
    click.echo(
        f"{instrument}: {counts['participants']} participants recorded, "
        f"{counts['parties']} of them parties"
    )


@click.group("provisions")
def provisions_group() -> None:
    """The texts of the articles, loaded from the authentic texts."""


@provisions_group.command("load")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def provisions_load(path: Path | None) -> None:
    """Load a provisions file (default: the shipped texts); all or nothing."""
    session = db.session()
    try:
        count = provisions.load_provisions(session, path or provisions.PROVISIONS_FILE)
    except provisions.ProvisionsFileError as exc:
        session.rollback()
        raise click.ClickException(f"nothing was loaded: {exc}") from exc
    session.commit()
    click.echo(f"{count} article texts loaded")


@provisions_group.command("coverage")
@with_appcontext
def provisions_coverage() -> None:
    """Per instrument and language: articles on file whole, in part and not at all."""
    click.echo(f"{'instrument':<11}{'language':<10}{'whole':>6}{'in part':>9}{'missing':>9}")
    for row in provisions.provision_coverage(db.session()):
        click.echo(
            f"{row.instrument:<11}{row.language:<10}{row.complete:>6}{row.partial:>9}"
            f"{row.missing:>9}"
        )


@click.group("states")
def states_group() -> None:
    """States and the instruments they are party to."""


@states_group.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def states_load(path: Path | None) -> None:
    """Load the States file (default: the shipped reference data)."""
    session = db.session()
    try:
        count = reference_services.load_states(session, path or reference_services.STATES_FILE)
    except reference_services.StatesFileError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"{count} States loaded")


states_group.add_command(import_treaty_status)
