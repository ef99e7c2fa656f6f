"""`questionnaire meetings load|list`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.meetings import services
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
