"""The content of a conference room paper, as a plain snapshot taken from agreed lists.

The snapshot holds every word the PDF will show, in the document's language, and nothing
that was marked confidential: confidential elements are dropped here, before any rendering,
so they cannot reach the PDF's text, bytes or metadata. Its SHA-256 identifies the content.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of
from questionnaire.documents.eligibility import included_lists
from questionnaire.documents.frame import frame_of, heading
from questionnaire.documents.languages import check_translations, originals_of
from questionnaire.errors import RuleViolation
from questionnaire.i18n import codes, list_of, localize
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.models import State
from questionnaire.reference.names import sort_states, state_name
from questionnaire.reviews.models import Review, ReviewAssignment
from questionnaire.wording import isolated, long_date, numerals
from questionnaire.workspace.forms import CATEGORY_LABELS
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.models import CATEGORIES, ListOfObservations, Observation
from questionnaire.workspace.summary import paragraphs_of
from questionnaire.workspace.translations import ListInLanguage, list_in_language

#: A paper is made in any of the six official languages, from the lists' translations.
DOCUMENT_LANGUAGES = OFFICIAL_LANGUAGES
#: The status of the lists a paper may contain (and made so by its cut-off date).
PUBLISHABLE = ("final",)


@dataclass(frozen=True)
class CrpRequest:
    """What the secretariat asks for: a paper of a meeting (named by its agenda's symbol) for an
    agenda item, under a symbol of the meeting's register, in one language, from the lists of
    the reviews made final by the cut-off date."""

    meeting: str
    item: str
    symbol: str
    language: str
    issued_on: date
    cutoff: date
    review_ids: tuple[int, ...]
    withheld_note: bool = False


def request_source(request: CrpRequest) -> dict[str, Any]:
    """The request as JSON-ready data, kept with each revision to build its content again."""
    return {
        **asdict(request),
        "issued_on": request.issued_on.isoformat(),
        "cutoff": request.cutoff.isoformat(),
    }


def request_from_source(source: dict[str, Any] | None) -> CrpRequest | None:
    """The request a revision was made from; None for a revision made before it was kept, or
    before papers were made for a meeting."""
    if not source or "meeting" not in source:
        return None
    known = {name for name in CrpRequest.__dataclass_fields__}
    return CrpRequest(
        **{
            **{key: value for key, value in source.items() if key in known},
            "issued_on": date.fromisoformat(source["issued_on"]),
            "cutoff": date.fromisoformat(source["cutoff"]),
            "review_ids": tuple(int(i) for i in source["review_ids"]),
        }
    )


def text_direction(text: str) -> str:
    """The direction of `text`: rtl when its first strongly directional character is
    right-to-left (Arabic, Hebrew), else ltr; the rule of dir="auto", which WeasyPrint
    does not apply."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@dataclass
class Paragraph:
    """A numbered paragraph; its direction follows its text, not the label before it."""

    number: int
    text: str
    #: Set before an observation: its category, with the colon as the language writes it.
    label: str = ""
    direction: str = field(init=False)

    def __post_init__(self) -> None:
        self.direction = text_direction(self.text)


@dataclass
class ArticleBlock:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class StateBlock:
    heading: str
    reviewers: str
    articles: list[ArticleBlock] = field(default_factory=list)
    summary: list[Paragraph] = field(default_factory=list)
    withheld: int = 0


def build_snapshot(db: Session, request: CrpRequest) -> dict[str, Any]:
    """Every word of the document, confidential elements left out; raises RuleViolation."""
    if request.language not in DOCUMENT_LANGUAGES:
        raise RuleViolation(
            _l("Documents are produced in %(languages)s.", languages=codes(DOCUMENT_LANGUAGES))
        )
    if not request.review_ids:
        raise RuleViolation(_l("Choose at least one final list of observations."))
    frame = frame_of(db, request.meeting, request.symbol, request.item)
    if request.cutoff >= frame.meeting.starts_on:
        raise RuleViolation(
            _l(
                "The cut-off date must fall before the meeting, which opens on %(date)s.",
                date=frame.meeting.starts_on.isoformat(),
            )
        )
    lists = included_lists(db, request.review_ids, frame.bodies, request.cutoff, request.symbol)
    # Every text of a list in the paper's language: the original or a current translation,
    # else the paper is refused, naming the lists (never a heading over another language).
    texts = [
        (entry, list_in_language(db, entry.review, entry.list, request.language)) for entry in lists
    ]
    check_translations(
        [(_state_of(db, entry.review), id_of(entry.review), found) for entry, found in texts],
        request.language,
        request.symbol,
    )
    originals = originals_of([entry.list for entry in lists])
    with force_locale(request.language):
        counter = iter(range(2, 100_000))  # paragraph 1 is the introduction
        states = [_state_block(db, entry.review, found, request, counter) for entry, found in texts]
        return {
            "symbol": request.symbol,
            "language": request.language,
            **heading(frame, request.language, originals, request.issued_on),
            "note_by": _("Note by the Secretariat"),
            "introduction": Paragraph(1, _introduction(request)),
            "summary_heading": _("Summary"),
            "withheld_text": _(
                "One or more elements are withheld at the request of the State under review."
            )
            if request.withheld_note
            else "",
            "states": states,
        }


def _state_of(db: Session, review: Review) -> State:
    state = db.get(State, review.state_code)
    assert state is not None
    return state


def _introduction(request: CrpRequest) -> str:
    return _(
        "In accordance with paragraph 38 of the procedures and rules for the functioning of the "
        "Mechanism for the Review of the Implementation of the United Nations Convention against "
        "Transnational Organized Crime and the Protocols thereto, the lists of observations and "
        "the summaries completed before a meeting of a working group are made available to it "
        "as conference room papers. The present paper contains the lists of observations and "
        "summaries made final by %(cutoff)s, as set out below, without the elements that the "
        "States under review have decided to keep confidential.",
        cutoff=long_date(request.cutoff, request.language),
    )


def decisions(db: Session, request: CrpRequest) -> list[dict[str, Any]]:
    """The States' para. 38 decisions as the paper applies them, kept with the revision: per
    list, the day it was made final, the observations withheld and the summary paragraphs
    withheld (by the SHA-256 of their text)."""
    frame = frame_of(db, request.meeting, request.symbol, request.item)
    found = []
    for entry in included_lists(
        db, request.review_ids, frame.bodies, request.cutoff, request.symbol
    ):
        withheld = db.exec(
            select(Observation.id).where(
                Observation.review_id == entry.review.id,
                col(Observation.is_deleted).is_(False),
                col(Observation.is_confidential).is_(True),
            )
        ).all()
        found.append(
            {
                "review": entry.review.id,
                "final_on": entry.final_on.isoformat(),
                "withheld_observations": sorted(i for i in withheld if i is not None),
                "withheld_summary_paragraphs": list(entry.list.summary_confidential),
                "original_language": entry.list.original_language or "en",
                "summary_language": entry.list.summary_language or "en",
            }
        )
    return found


def _state_block(
    db: Session, review: Review, texts: ListInLanguage, request: CrpRequest, counter: Any
) -> StateBlock:
    state = db.get(State, review.state_code)
    version = db.get(BankVersion, review.bank_version_id)
    assert state is not None and version is not None
    bank = bank_of(version)
    instrument = load_instrument_data().instruments[bank.instrument]
    reviewers = db.exec(
        select(State)
        .join(ReviewAssignment, col(ReviewAssignment.reviewing_state) == State.code)
        .where(ReviewAssignment.review_id == review.id, col(ReviewAssignment.is_active).is_(True))
        .order_by(col(State.name_en))
    ).all()
    title = localize(instrument.title, request.language)
    block = StateBlock(
        heading=_(
            "%(state)s: %(instrument)s",
            state=state_name(state, request.language),
            instrument=title
            if title is None or title.language == request.language
            else isolated(title.text, request.language),
        ),
        reviewers=_(
            "Reviewing States: %(states)s",
            states=list_of(
                list(
                    dict.fromkeys(
                        state_name(r, request.language)
                        for r in sort_states(reviewers, request.language)
                    )
                )
            ),
        )
        if reviewers
        else "",
    )
    observations = db.exec(
        select(Observation)
        .where(Observation.review_id == review.id, col(Observation.is_deleted).is_(False))
        .order_by(col(Observation.id))
    ).all()
    for section in bank.sections:
        chosen = [o for o in observations if o.section_key == section.key]
        block.withheld += sum(1 for o in chosen if o.is_confidential)
        public = sorted(
            (o for o in chosen if not o.is_confidential), key=lambda o: CATEGORIES.index(o.category)
        )
        if not public or section.article is None:
            continue
        block.articles.append(
            ArticleBlock(
                _article_heading(bank.instrument, section.article, request.language),
                [
                    Paragraph(
                        next(counter),
                        _text(texts.observation_text(o)),
                        _("%(category)s:", category=CATEGORY_LABELS[o.category]),
                    )
                    for o in public
                ],
            )
        )
    lst = db.exec(select(ListOfObservations).where(ListOfObservations.review_id == review.id)).one()
    # Paragraphs of the summary the State keeps confidential are left out like observations.
    paragraphs = paragraphs_of(lst)
    block.withheld += sum(1 for p in paragraphs if p.is_confidential)
    block.summary = [
        Paragraph(next(counter), _text(texts.summary_text(index)))
        for index, p in enumerate(paragraphs)
        if not p.is_confidential
    ]
    return block


def _article_heading(instrument: str, number: int, language: str) -> str:
    """ "Article 5. Criminalization" as one message, so that each language orders and
    punctuates it its own way ("第 5 条 刑事定罪"), the number in the paper's digits and a
    heading still in English kept left to right in an Arabic paper."""
    article = load_instrument_data().article(instrument, number)
    title = localize(article.title, language) if article is not None else None
    if title is None:
        return _("Article %(number)s", number=numerals(number, language))
    text = title.text if title.language == language else isolated(title.text, language)
    return _("Article %(number)s. %(title)s", number=numerals(number, language), title=text)


def _text(found: str | None) -> str:
    """A public element's text in the paper's language, which `check_translations` made sure
    of."""
    assert found is not None, "an element without a current text passed check_translations"
    return found


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot."""
    canonical = json.dumps(
        _plain(snapshot), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def plain_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as JSON-ready data (dataclasses turned into mappings)."""
    plain: dict[str, Any] = _plain(snapshot)
    return plain
