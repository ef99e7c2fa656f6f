"""The secretariat's meetings: the list, a meeting's page with its agenda, organization of work
and register of documents, and loading a meeting file (the agenda and the status note as PDF
are served by `documents/views.py`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.config import PROJECT_ROOT
from questionnaire.downloads import download
from questionnaire.i18n import LANGUAGE_NAMES, localize
from questionnaire.meetings import services
from questionnaire.meetings.agenda import DOCUMENT_LANGUAGES, build_agenda
from questionnaire.meetings.forms import MeetingFileForm
from questionnaire.meetings.heading import MissingText
from questionnaire.meetings.models import Meeting
from questionnaire.meetings.note import status_document
from questionnaire.meetings.status import mechanism_status
from questionnaire.meetings.validation import read_meeting_text
from questionnaire.reference.instruments import load_instrument_data

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
#: A meeting file is a few pages of text.
MAX_FILE_BYTES = 512 * 1024


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    return _index(MeetingFileForm(), problems=[])


def _index(form: MeetingFileForm, problems: list[str]) -> ResponseReturnValue:
    session = db.session()
    rows = [(m, services.agenda_symbol(m), services.body_of(m)) for m in services.meetings(session)]
    errors = [("file", message) for message in [*problems, *form.file.errors]]
    page = render_template("meetings/index.html", rows=rows, form=form, errors=errors)
    return page, 400 if errors else 200


#: The example the page offers to start a meeting file from (documented in
#: docs/meeting-format.md, and read by the tests as a valid file).
EXAMPLE_FILE = PROJECT_ROOT / "docs" / "examples" / "meeting-wg7-2027.yaml"


@bp.get("/example.yaml")
@secretariat_required
def example() -> ResponseReturnValue:
    """A complete meeting file to start from."""
    return download(EXAMPLE_FILE.read_bytes(), "application/yaml", EXAMPLE_FILE.name)


@bp.post("/load")
@secretariat_required
def load() -> ResponseReturnValue:
    form = MeetingFileForm()
    if not form.validate_on_submit():
        return _index(form, problems=[])
    upload = form.file.data
    raw = upload.read(MAX_FILE_BYTES + 1)
    name = upload.filename or "meeting.yaml"
    if len(raw) > MAX_FILE_BYTES:
        return _index(form, [_("%(file)s: a meeting file has at most 512 KB.", file=name)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _index(form, [_("%(file)s: the file is not UTF-8 text.", file=name)])
    read = read_meeting_text(text, name)
    if read.spec is None:
        return _index(form, [str(problem) for problem in read.problems])
    meeting = services.record_meeting(db.session(), read.spec, current_user)
    flash(_("%(symbol)s: the meeting is recorded.", symbol=services.agenda_symbol(meeting)))
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


def _meeting(meeting_id: int) -> Meeting:
    return db.session().get(Meeting, meeting_id) or abort(404)


@bp.get("/<int:meeting_id>")
@secretariat_required
def show(meeting_id: int) -> ResponseReturnValue:
    session = db.session()
    meeting = _meeting(meeting_id)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        symbol=services.agenda_symbol(meeting),
        body=services.body_of(meeting),
        documents=services.documents_of(session, meeting),
        languages=_complete_languages(meeting),
        language_names=LANGUAGE_NAMES,
        status_note=status_document(session, meeting),
    )


def _complete_languages(meeting: Meeting) -> list[str]:
    """The languages in which every text of the agenda is on file."""
    complete = []
    for language in DOCUMENT_LANGUAGES:
        try:
            build_agenda(db.session(), meeting, language, date.today())
        except MissingText:
            continue
        complete.append(language)
    return complete


@bp.get("/status")
@secretariat_required
def status() -> ResponseReturnValue:
    """The status of the review mechanism today, as the status notes give it."""
    today = date.today()
    instruments = load_instrument_data().instruments

    def instrument_title(code: str) -> str:
        known = instruments.get(code)
        title = localize(known.title) if known else None
        return str(title) if title else code

    return render_template(
        "meetings/status.html",
        status=mechanism_status(db.session(), today),
        today=today,
        instrument_title=instrument_title,
    )
