"""`questionnaire meetings load|list` and `questionnaire publish agenda`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.errors import RuleViolation
from questionnaire.meetings import services
from questionnaire.meetings.agenda import DOCUMENT_LANGUAGES
from questionnaire.meetings.documents import agenda_pdf, status_note_pdf
from questionnaire.meetings.note import status_document
from questionnaire.meetings.validation import read_meeting_file


@click.group("meetings")
def meetings_group() -> None:
    """Meetings of the working groups and their documents."""


@meetings_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_meeting(path: Path) -> None:
    """Record the meeting of a meeting file (docs/meeting-format.md), or update it."""
    read = read_meeting_file(path)
    if read.spec is None:
        for problem in read.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(read.problems)} problem(s): nothing was recorded")
    session = db.session()
    meeting = services.record_meeting(session, read.spec, actor=None)
    session.commit()
    count = len(services.documents_of(session, meeting))
    click.echo(f"{services.agenda_symbol(meeting)}: recorded, with {count} document(s)")


@meetings_group.command("list")
@with_appcontext
def list_meetings() -> None:
    """One meeting a line: its agenda's symbol, body, number, dates and place."""
    for meeting in services.meetings(db.session()):
        body = services.body_of(meeting)
        click.echo(
            f"{services.agenda_symbol(meeting)}\t{body.name('en')}\t"
            f"meeting {meeting.ordinal}\t{meeting.starts_on.isoformat()}"
            f"..{meeting.ends_on.isoformat()}\t{meeting.venue.get('en', '')}"
        )


@click.command("agenda")
@click.option("--meeting", "symbol", required=True, help="e.g. CTOC/COP/WG.7/2027/1")
@click.option("--language", default="en", show_default=True, type=click.Choice(DOCUMENT_LANGUAGES))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="the PDF to write (default: symbol and language, e.g. CTOC-COP-WG.7-2027-1-en.pdf)",
)
@click.option(
    "--date",
    "issued_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="the date on the document when the register has none (default: today)",
)
@with_appcontext
def publish_agenda(
    symbol: str, language: str, output: Path | None, issued_on: datetime | None
) -> None:
    """Render a meeting's annotated provisional agenda as a PDF."""
    session = db.session()
    meeting = services.meeting_by_symbol(session, symbol)
    if meeting is None:
        raise click.ClickException(f"no meeting has the symbol {symbol}")
    try:
        content = agenda_pdf(session, meeting, language, (issued_on or datetime.now()).date())
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    default = f"{services.agenda_symbol(meeting).replace('/', '-')}-{language}.pdf"
    target = output or Path(default)
    target.write_bytes(content)
    click.echo(f"{target}: {len(content)} bytes")


@click.command("status-note")
@click.option("--meeting", "symbol", required=True, help="e.g. CTOC/COP/WG.7/2027/1")
@click.option("--language", default="en", show_default=True, type=click.Choice(DOCUMENT_LANGUAGES))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def publish_status_note(symbol: str, language: str, output: Path | None) -> None:
    """Write the meeting's note on the status of the review mechanism, as at today, as a PDF."""
    session = db.session()
    meeting = services.meeting_by_symbol(session, symbol)
    if meeting is None:
        raise click.ClickException(f"no meeting has the symbol {symbol}")
    row = status_document(session, meeting)
    if row is None:
        raise click.ClickException(
            f"{symbol}: the meeting file names no document with content: status_note"
        )
    try:
        content = status_note_pdf(session, meeting, row, language, date.today())
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    target = output or Path(f"{row.symbol.replace('/', '-')}-{language}.pdf")
    target.write_bytes(content)
    click.echo(f"{target}: {len(content)} bytes")
