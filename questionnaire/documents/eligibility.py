"""Which lists of observations a conference room paper may contain (para. 38 of the procedures
and rules): the lists made final by the paper's cut-off date, which falls before the meeting,
on an instrument whose lists go to the working group (or one of the working groups) the paper
is issued for. Every refusal names the review, the list and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire import wording
from questionnaire.banks.models import BankVersion
from questionnaire.errors import RuleViolation
from questionnaire.i18n import INTERFACE_LANGUAGES, current_language, localize
from questionnaire.reference.bodies import Body, bodies
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reviews.models import Review
from questionnaire.workspace.models import ListOfObservations, ListTransition


@dataclass(frozen=True)
class Included:
    """A list a paper contains: its review, the list, its instrument and the day it was made
    final."""

    review: Review
    list: ListOfObservations
    instrument: str
    final_on: date


def final_on(db: Session, lst: ListOfObservations) -> date | None:
    """The day (UTC) the list was made final; None while it is not final."""
    if lst.status != "final":
        return None
    moved = db.exec(
        select(ListTransition.at)
        .where(ListTransition.list_id == lst.id, ListTransition.to_status == "final")
        .order_by(col(ListTransition.at).desc())
    ).first()
    return moved.date() if moved else None


def included_lists(
    db: Session, review_ids: tuple[int, ...], issued_for: list[Body], cutoff: date, symbol: str
) -> list[Included]:
    """The lists of `review_ids`, in that order, once each is checked; RuleViolation on the
    first that may not be included in the paper `symbol`."""
    rows = db.exec(
        select(Review, ListOfObservations, BankVersion.instrument)
        .join(ListOfObservations, col(ListOfObservations.review_id) == Review.id)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(col(Review.id).in_(review_ids))
    ).all()
    found = {review.id: (review, lst, instrument) for review, lst, instrument in rows}
    included = []
    for review_id in review_ids:
        if review_id not in found:
            raise RuleViolation(
                _l("Review %(review)s has no list of observations.", review=review_id)
            )
        review, lst, instrument = found[review_id]
        _check_working_group(review_id, instrument, issued_for, symbol)
        made_final = final_on(db, lst)
        if made_final is None or made_final > cutoff:
            raise RuleViolation(
                _l(
                    "The list of observations of review %(review)s was not final by "
                    "%(cutoff)s, the cut-off date of %(symbol)s: only lists made final by then "
                    "are made available to the meeting.",
                    review=review_id,
                    cutoff=LazyString(lambda: wording.long_date(cutoff, reader_language())),
                    symbol=symbol,
                )
            )
        included.append(Included(review, lst, instrument, made_final))
    return included


def reader_language() -> str:
    """The language a refusal is read in: the reader's, English on the command line."""
    language = current_language()
    return language if language in INTERFACE_LANGUAGES else "en"


def _instrument_name(instrument: str) -> str:
    known = load_instrument_data().instruments.get(instrument)
    return str(localize(known.title, reader_language())) if known else instrument


def _check_working_group(
    review_id: int, instrument: str, issued_for: list[Body], symbol: str
) -> None:
    receiving = bodies().for_instrument(instrument)
    if receiving is None or receiving not in issued_for:
        raise RuleViolation(
            _l(
                "The list of observations of review %(review)s is on the %(instrument)s, whose "
                "lists go to the %(receiving)s: it cannot be included in %(symbol)s, a paper "
                "of the %(bodies)s.",
                review=review_id,
                instrument=LazyString(lambda: _instrument_name(instrument)),
                receiving=LazyString(
                    lambda: receiving.name(reader_language()) if receiving else "—"
                ),
                symbol=symbol,
                bodies=LazyString(
                    lambda: " / ".join(body.name(reader_language()) for body in issued_for)
                ),
            )
        )
