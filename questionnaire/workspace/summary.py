"""The summary of a list of observations, paragraph by paragraph, and the State's choice to keep
some of its paragraphs confidential (para. 38 of the procedures and rules).

A paragraph is a block of text between blank lines. The State's choice is kept per paragraph
as the SHA-256 of the paragraph's text: a paragraph that is edited afterwards is a new
paragraph, which the State sees again before it agrees the list. This is the one place that
decides which paragraphs of a summary may be published.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.errors import RuleViolation
from questionnaire.reviews.models import Review
from questionnaire.workspace.models import ListOfObservations
from questionnaire.workspace.services import list_of

#: A blank line (or one holding only spaces) between two paragraphs of a summary.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True)
class SummaryParagraph:
    """One paragraph of a summary, with its key and the State's choice."""

    key: str
    text: str
    is_confidential: bool


def summary_paragraphs(summary: str) -> list[str]:
    """The paragraphs of a summary: separated by blank lines, whatever the line ends
    (browsers send a textarea's as CRLF, and the summary is stored as sent)."""
    text = summary.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def paragraph_key(text: str) -> str:
    """The key of a paragraph: the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def paragraphs_of(lst: ListOfObservations) -> list[SummaryParagraph]:
    """The summary's paragraphs, each marked confidential or not."""
    kept = set(lst.summary_confidential or ())
    return [
        SummaryParagraph(key, text, key in kept)
        for text in summary_paragraphs(lst.summary)
        for key in (paragraph_key(text),)
    ]


def public_paragraphs(lst: ListOfObservations) -> list[str]:
    """The paragraphs of the summary that may be published."""
    return [p.text for p in paragraphs_of(lst) if not p.is_confidential]


def set_paragraph_confidential(
    db: Session, review: Review, user: User, *, key: str, is_confidential: bool
) -> ListOfObservations:
    """The State under review keeps a paragraph of the summary confidential, or releases it.

    `key` names the paragraph as the page showed it; a paragraph that is no longer in the
    summary is refused, so a choice is never applied to text the State did not see."""
    lst = list_of(db, review, lock=True)
    if lst.status == "final":
        raise RuleViolation(_l("The list of observations is final: it can no longer change."))
    if lst.status == "drafting":
        raise RuleViolation(_l("The list of observations has not been shared with your State yet."))
    current = {p.key: p for p in paragraphs_of(lst)}
    if key not in current:
        raise RuleViolation(
            _l("This paragraph is no longer in the summary: read the summary again and choose.")
        )
    if current[key].is_confidential == is_confidential:
        return lst
    # Keys of paragraphs no longer in the summary stay: the same text restored stays kept.
    kept = [k for k in lst.summary_confidential or () if k != key]
    lst.summary_confidential = [*kept, key] if is_confidential else kept
    db.add(lst)
    db.flush()
    record(
        db,
        actor=user,
        action="summary.confidential",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before={"paragraph": current[key].text, "is_confidential": not is_confidential},
        after={"paragraph": current[key].text, "is_confidential": is_confidential},
    )
    return lst
