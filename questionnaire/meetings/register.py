"""A meeting's register of conference room papers: the CRP a paper is issued under, taken from
the register or allocated as the next CRP.n of the meeting's series and recorded there."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.services import agenda_symbol, body_of
from questionnaire.meetings.spec import ITEM_REFERENCE
from questionnaire.meetings.symbols import document_symbol, is_valid_job_number
from questionnaire.meetings.validation import normalized
from questionnaire.reference.bodies import Body, bodies
from questionnaire.reference.names import UN_LANGUAGES

#: The languages in which a CRP allocated here gets its standard title: the six official
#: languages, each once the interface catalog translates the title. Until then the register
#: has no title in that language, and a paper in it is refused naming the missing title,
#: rather than titled in English.
TITLE_LANGUAGES = UN_LANGUAGES


def agenda_item(meeting: Meeting, reference: str) -> str:
    """`reference` ("3(b)", "3 (b)") as the register writes it, when the meeting's agenda has
    that item or sub-item; else RuleViolation naming the meeting."""
    if not ITEM_REFERENCE.fullmatch(reference.strip()):
        raise RuleViolation(
            _l("“%(item)s” is not an agenda item such as 2 or 3 (b).", item=reference)
        )
    item = normalized(reference.strip())
    known = {str(entry["number"]) for entry in meeting.agenda}
    known |= {
        f"{entry['number']} ({sub['letter']})"
        for entry in meeting.agenda
        for sub in entry.get("items", [])
    }
    if item not in known:
        raise RuleViolation(
            _l(
                "The provisional agenda %(agenda)s has no item %(item)s.",
                agenda=agenda_symbol(meeting),
                item=item,
            )
        )
    return item


def document_bodies(meeting: Meeting, row: MeetingDocument) -> list[Body]:
    """The bodies a document is issued for: the meeting's, and those of a joint symbol, in the
    order of the symbol."""
    known = bodies().by_code
    found = [body_of(meeting), *(known[code] for code in row.joint_with if code in known)]
    return sorted(found, key=lambda body: row.symbol.find(body.symbol + "/"))


def crp_of(db: Session, meeting: Meeting, symbol: str) -> MeetingDocument:
    """The conference room paper `symbol` of the meeting's register; RuleViolation otherwise."""
    row = db.exec(
        select(MeetingDocument).where(
            MeetingDocument.meeting_id == meeting.id, MeetingDocument.symbol == symbol
        )
    ).first()
    if row is None or row.kind != "crp":
        raise RuleViolation(
            _l(
                "%(symbol)s is not a conference room paper in the register of %(agenda)s.",
                symbol=symbol,
                agenda=agenda_symbol(meeting),
            )
        )
    return row


def take_crp(
    db: Session,
    meeting: Meeting,
    item: str,
    *,
    symbol: str,
    job_number: str,
    original_language: str,
    actor: User,
) -> MeetingDocument:
    """The register's CRP `symbol`, or the next CRP.n allocated when `symbol` is empty; it
    must be for `item`, and gets `job_number` when it has none. Audited when it changes."""
    row = crp_of(db, meeting, symbol) if symbol else _allocate(db, meeting, item, original_language)
    _check_item(row, item)
    job_number = _job_number_for(row, job_number)
    is_new = row.id is None
    before = {"agenda_item": row.agenda_item, "job_number": row.job_number}
    row.agenda_item = row.agenda_item or item
    row.job_number = row.job_number or job_number
    after = {"agenda_item": row.agenda_item, "job_number": row.job_number}
    if is_new or before != after:
        db.add(row)
        db.flush()
        record(
            db,
            actor=actor,
            action="meeting.document.record",
            object_type="meeting_document",
            object_id=row.id,
            before=None if is_new else before,
            after={"symbol": row.symbol, **after},
        )
    return row


def _check_item(row: MeetingDocument, item: str) -> None:
    """Refuse a paper of the register already for another agenda item."""
    if row.agenda_item and row.agenda_item != item:
        raise RuleViolation(
            _l(
                "%(symbol)s is a paper for item %(registered)s, not for item %(item)s.",
                symbol=row.symbol,
                registered=row.agenda_item,
                item=item,
            )
        )


def _job_number_for(row: MeetingDocument, given: str) -> str:
    """`given`, stripped, once checked: a well-formed job number, the paper's own when it has
    one, and required when it has none. Empty when the paper keeps the one it has."""
    job_number = given.strip()
    if job_number and not is_valid_job_number(job_number):
        raise RuleViolation(_l("“%(job)s” is not a job number such as V.27-01234.", job=job_number))
    if job_number and row.job_number and job_number != row.job_number:
        raise RuleViolation(
            _l(
                "%(symbol)s already has the job number %(job)s.",
                symbol=row.symbol,
                job=row.job_number,
            )
        )
    if not (row.job_number or job_number):
        raise RuleViolation(
            _l(
                "%(symbol)s has no job number: give the one conference services assigned "
                "(such as V.27-01234).",
                symbol=row.symbol,
            )
        )
    return job_number


def _allocate(db: Session, meeting: Meeting, item: str, original_language: str) -> MeetingDocument:
    """The next CRP.n of the meeting's series, not yet recorded (the caller records it)."""
    taken = db.exec(
        select(MeetingDocument.number).where(
            MeetingDocument.meeting_id == meeting.id, col(MeetingDocument.kind) == "crp"
        )
    ).all()
    number = max(taken, default=0) + 1
    symbol = document_symbol([body_of(meeting)], meeting.year, "crp", number)
    while db.exec(select(MeetingDocument.id).where(MeetingDocument.symbol == symbol)).first():
        number += 1
        symbol = document_symbol([body_of(meeting)], meeting.year, "crp", number)
    titles = {}
    for language in TITLE_LANGUAGES:
        with force_locale(language):
            titles[language] = _("Lists of observations and summaries of the country reviews")
    english = titles["en"]
    titles = {
        language: title
        for language, title in titles.items()
        if language == "en" or title != english
    }
    return MeetingDocument(
        meeting_id=id_of(meeting),
        kind="crp",
        number=number,
        joint_with=[],
        agenda_item=item,
        titles=titles,
        original_language=original_language,
        symbol=symbol,
    )
