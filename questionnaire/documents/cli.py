"""`questionnaire publish crp|agenda|status-note`: a meeting's conference room paper, its
annotated provisional agenda and its note on the status of the review mechanism."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.accounts.services import find_user
from questionnaire.documents import services as publishing
from questionnaire.documents.crp import DOCUMENT_LANGUAGES, CrpRequest
from questionnaire.documents.meeting_pdfs import agenda_pdf, status_note_pdf
from questionnaire.errors import RuleViolation
from questionnaire.meetings.agenda import DOCUMENT_LANGUAGES as MEETING_LANGUAGES
from questionnaire.meetings.note import status_document
from questionnaire.meetings.services import agenda_symbol, meeting_by_symbol


@click.group("publish")
def publish_group() -> None:
    """Documents for the working groups."""


@publish_group.command("crp")
@click.option(
    "--meeting", required=True, help="the meeting's agenda symbol, e.g. CTOC/COP/WG.7/2027/1"
)
@click.option("--item", required=True, help="the agenda item, e.g. '3 (b)'")
@click.option(
    "--symbol",
    default="",
    help="a CRP of the meeting's register (default: allocate the next CRP.n of its series)",
)
@click.option("--job-number", default="", help="e.g. V.27-01234, when the register has none")
@click.option(
    "--language",
    "languages",
    multiple=True,
    default=("en",),
    show_default=True,
    type=click.Choice(DOCUMENT_LANGUAGES),
)
@click.option("--date", "issued_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option(
    "--cutoff",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="only lists made final by this day, before the meeting, are included",
)
@click.option(
    "--review",
    "review_ids",
    multiple=True,
    type=int,
    required=True,
    help="a review whose list of observations is final (repeat for several)",
)
@click.option(
    "--withheld-note/--no-withheld-note",
    default=None,
    help="say where elements were withheld (default: PUBLISH_WITHHELD_NOTE)",
)
@click.option("--publish/--draft", "make_public", default=False, show_default=True)
@click.option("--user", "email", required=True, help="e-mail of the secretariat member")
@with_appcontext
def publish_crp(
    meeting: str,
    item: str,
    symbol: str,
    job_number: str,
    languages: tuple[str, ...],
    issued_on: datetime,
    cutoff: datetime,
    review_ids: tuple[int, ...],
    withheld_note: bool | None,
    make_public: bool,
    email: str,
) -> None:
    """Build, render and (with --publish) publish a meeting's conference room paper."""
    db_session = db.session()
    user = find_user(db_session, email)
    if user is None or not user.is_secretariat:
        raise click.ClickException(f"{email} is not a secretariat account")
    note = current_app.config["PUBLISH_WITHHELD_NOTE"] if withheld_note is None else withheld_note
    request = CrpRequest(
        meeting=meeting,
        item=item,
        symbol=symbol,
        language="",
        issued_on=issued_on.date(),
        cutoff=cutoff.date(),
        review_ids=review_ids,
        withheld_note=note,
    )
    try:
        created = publishing.prepare_crps(
            db_session, request, list(languages), job_number=job_number, user=user
        )
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    for publication in created:
        if publication.job_status != "done" and not publishing.render(db_session, publication):
            raise click.ClickException(f"rendering failed: {publication.job_error}")
        if make_public:
            try:
                publishing.publish(db_session, publication, user)
            except RuleViolation as exc:
                raise click.ClickException(str(exc)) from exc
        db_session.commit()
        click.echo(
            f"  {publication.symbol} [{publication.language}] revision {publication.revision}: "
            f"{publication.page_count} pages, {publication.status}"
        )


@publish_group.command("agenda")
@click.option("--meeting", "symbol", required=True, help="e.g. CTOC/COP/WG.7/2027/1")
@click.option("--language", default="en", show_default=True, type=click.Choice(MEETING_LANGUAGES))
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
    meeting = meeting_by_symbol(session, symbol)
    if meeting is None:
        raise click.ClickException(f"no meeting has the symbol {symbol}")
    try:
        content = agenda_pdf(session, meeting, language, (issued_on or datetime.now()).date())
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    default = f"{agenda_symbol(meeting).replace('/', '-')}-{language}.pdf"
    target = output or Path(default)
    target.write_bytes(content)
    click.echo(f"{target}: {len(content)} bytes")


@publish_group.command("status-note")
@click.option("--meeting", "symbol", required=True, help="e.g. CTOC/COP/WG.7/2027/1")
@click.option("--language", default="en", show_default=True, type=click.Choice(MEETING_LANGUAGES))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def publish_status_note(symbol: str, language: str, output: Path | None) -> None:
    """Write the meeting's note on the status of the review mechanism, as at today, as a PDF."""
    session = db.session()
    meeting = meeting_by_symbol(session, symbol)
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
