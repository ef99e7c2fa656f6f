"""The text of review e-mails: which State, instrument, phase and article, what happened,
what is expected and by when, and a direct link, in each recipient's language.

Every feature built on the reviews writes its e-mails with these notices (its `events.py`), and
the reminders too; they are queued in `questionnaire.outbox`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.emails import public_url, signature
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.banks.titles import section_title
from questionnaire.dates import un_date
from questionnaire.i18n import isolated, left_to_right, localize, sentences
from questionnaire.outbox.services import queue_message
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.models import Review, ReviewPhase

#: What happened and what is expected, composed in the recipient's language (force_locale).
Texts = Callable[[str], tuple[str, str, str]]  # state name -> (subject, happened, expected)


@dataclass(frozen=True)
class ReviewNotice:
    """One event of a review to tell people about."""

    review: Review
    texts: Texts
    url: str
    due_on: date | None = None
    section_key: str | None = None
    #: Quoted after what happened (the text of a request, reply or comment).
    quote: str | None = None


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail, on PUBLIC_BASE_URL when set, in a request or not (the
    command line and worker jobs write e-mails too)."""
    if has_request_context():
        return public_url(endpoint, **values)
    base = urlsplit(str(current_app.config.get("PUBLIC_BASE_URL") or "http://localhost"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _about(db: Session, review: Review, language: str, section_key: str | None) -> list[str]:
    """The lines saying which review (and article) a message is about."""
    version = db.get(BankVersion, review.bank_version_id)
    phase = db.get(ReviewPhase, review.phase_id) if review.phase_id else None
    lines = []
    if version is not None:
        instrument = load_instrument_data().instruments.get(version.instrument)
        title = localize(instrument.title, language) if instrument else None
        name = (
            _(
                "%(title)s (%(code)s)",
                title=isolated(title.text, title.language),
                code=left_to_right(version.instrument),
            )
            if title
            else version.instrument
        )
        lines.append(_("Instrument: %(instrument)s", instrument=name))
        bank = bank_of(version)
        section = bank.sections_by_key.get(section_key or "")
        if section is not None:
            lines.append(_("Article: %(article)s", article=section_title(bank, section)))
    if phase is not None:
        lines.append(_("Phase: %(phase)s", phase=phase.name))
    return lines


def compose(db: Session, notice: ReviewNotice, language: str) -> tuple[str, str]:
    """The subject and text of `notice` in `language`."""
    with force_locale(language):
        state = db.get(State, notice.review.state_code)
        name = state_name(state, language) if state else notice.review.state_code
        subject, happened, expected = notice.texts(name)
        parts = [happened]
        if notice.quote:
            parts.append("\n".join(f"> {line}" for line in notice.quote.splitlines()))
        about = [_("State under review: %(state)s", state=name)]
        about += _about(db, notice.review, language, notice.section_key)
        parts.append("\n".join(about))
        if notice.due_on is not None:
            expected = sentences(expected, _("Due on %(date)s.", date=un_date(notice.due_on)))
        parts.append(expected)
        parts.append(_("Open it here: %(url)s", url=notice.url))
        parts.append(f"-- \n{signature()}")
        return subject, "\n\n".join(parts)


def send_notice(db: Session, notice: ReviewNotice, recipients: Iterable[User]) -> int:
    """Queue `notice` for each recipient, in their language; returns how many were written to."""
    by_language: dict[str, set[str]] = {}
    for user in recipients:
        if user.is_active:
            by_language.setdefault(user.locale or "en", set()).add(user.email)
    for language, emails in sorted(by_language.items()):
        subject, body = compose(db, notice, language)
        queue_message(db, to=sorted(emails), subject=subject, body=body)
    return sum(len(emails) for emails in by_language.values())
