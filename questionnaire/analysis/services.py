"""The consolidated analysis of one bank version across the States that submitted their answers.

The answers are counted in the database (see `counting`); this module turns the counts into
plain frozen results, with the technical assistance needs and the good practices.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func
from sqlmodel import Session, col, select

from questionnaire.analysis.counting import AnswerCount, count_answers
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import CHOICE_TYPES, Bank, Question, TranslatedText
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of
from questionnaire.reference.models import State
from questionnaire.reference.names import collation_key, state_name
from questionnaire.reviews.models import Review
from questionnaire.reviews.submitted import SUBMITTED
from questionnaire.workspace.models import ListOfObservations, Observation

#: Lists of observations whose good practices may be shown to the working groups.
SETTLED_LIST_STATUSES = ("agreed", "final")
#: The question on an article's technical assistance needs ends with this key suffix.
ASSISTANCE_SUFFIX = "-TA"


@dataclass(frozen=True)
class OptionTally:
    """How many States chose one option, and their share of the States that answered."""

    key: str
    label: TranslatedText
    count: int
    share: float | None  # None when fewer States answered than the analysis shows shares for


@dataclass(frozen=True)
class QuestionTally:
    """One question's answers across the submitting States (options only for choice types)."""

    key: str
    section_key: str
    type: str
    text: TranslatedText
    provision: str | None
    is_follow_up: bool
    answered: int
    options: tuple[OptionTally, ...]
    too_few: bool  # fewer States answered than the analysis shows shares for

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES


@dataclass(frozen=True)
class SectionTally:
    """The questions of one bank section, in the bank's order."""

    key: str
    article: int | None
    questions: tuple[QuestionTally, ...]


@dataclass(frozen=True)
class AssistanceNeeds:
    """Technical assistance needs on one article: how many States need it, and of which kinds."""

    section_key: str
    article: int | None
    question_key: str
    answered: int
    needing: int
    kinds_answered: int  # States that said which kinds they need
    kinds: tuple[OptionTally, ...]  # shares over `kinds_answered`
    too_few: bool  # fewer States said which kinds than the analysis shows shares for


@dataclass(frozen=True)
class GoodPractice:
    """A good practice from an agreed or final list of observations."""

    state_code: str
    state_name: str
    section_key: str
    article: int | None
    text: str
    is_named: bool = True  # False: the State did not agree to be named to its peers


@dataclass(frozen=True)
class Analysis:
    """The consolidated analysis of one bank version."""

    bank_version_id: int
    instrument: str
    cluster: str
    version: int
    title: TranslatedText
    includes_confidential: bool
    min_states: int  # shares are shown only where at least this many States answered
    state_count: int
    sections: tuple[SectionTally, ...]
    assistance: tuple[AssistanceNeeds, ...]
    good_practices: tuple[GoodPractice, ...]

    def question(self, key: str) -> QuestionTally:
        """The tally of one question, by key (KeyError when the bank has no such question)."""
        for section in self.sections:
            for question in section.questions:
                if question.key == key:
                    return question
        raise KeyError(key)

    def good_practices_by_section(self) -> list[tuple[str, tuple[GoodPractice, ...]]]:
        """The good practices grouped by section, in the bank's order of sections."""
        groups: dict[str, list[GoodPractice]] = {}
        for practice in self.good_practices:
            groups.setdefault(practice.section_key, []).append(practice)
        return [(key, tuple(practices)) for key, practices in groups.items()]

    def unanswered_by_section(self) -> dict[str, tuple[QuestionTally, ...]]:
        """Per section, the questions no State answered (shown folded away)."""
        return {
            section.key: tuple(q for q in section.questions if not q.answered)
            for section in self.sections
        }


@dataclass(frozen=True)
class VersionSubmissions:
    """A recorded bank version and how many States submitted answers to it."""

    bank_version_id: int
    instrument: str
    cluster: str
    version: int
    status: str
    title: TranslatedText
    state_count: int


def consolidate(
    db: Session,
    bank_version: BankVersion,
    *,
    include_confidential: bool,
    language: str = "en",
    min_states: int = 1,
    named_states: frozenset[str] | None = None,
) -> Analysis:
    """Count the answers of every State that submitted answers to `bank_version`.

    Each State counts once, with its latest submitted review. Confidential answers are left
    out entirely unless `include_confidential` (the secretariat's own version, never to be
    published); so are the follow-ups that only a confidential answer shows, since counting
    them would reveal it. `language` is the language of the State names of the good practices.
    Shares are left out where fewer than `min_states` States answered, since a share of one or
    two States tells what they answered. With `named_states`, the good practices of other States
    carry no name (a peer State's reading: only the States that agreed are named).
    """
    assert bank_version.id is not None
    bank = bank_of(bank_version)
    counts = count_answers(db, bank, bank_version.id, include_confidential=include_confidential)
    sections = tuple(
        SectionTally(
            key=section.key,
            article=section.article,
            questions=tuple(
                _question_tally(q, counts.get(q.key, AnswerCount()), min_states)
                for q in section.questions
            ),
        )
        for section in bank.sections
    )
    return Analysis(
        bank_version_id=bank_version.id,
        instrument=bank.instrument,
        cluster=bank.cluster,
        version=bank.version,
        title=bank.title,
        includes_confidential=include_confidential,
        min_states=min_states,
        state_count=_state_count(db, bank_version.id),
        sections=sections,
        assistance=_assistance(bank, sections, min_states),
        good_practices=_good_practices(db, bank, bank_version.id, language, named_states),
    )


def submissions_by_version(db: Session) -> list[VersionSubmissions]:
    """Every recorded bank version with the number of States that submitted answers to it."""
    submitted = func.count(distinct(col(Review.state_code)))
    rows = db.exec(
        select(BankVersion, submitted)
        .outerjoin(
            Review,
            and_(col(Review.bank_version_id) == BankVersion.id, col(Review.status) == SUBMITTED),
        )
        .group_by(col(BankVersion.id))
        .order_by(col(BankVersion.cluster), col(BankVersion.instrument), col(BankVersion.version))
    ).all()
    return [
        VersionSubmissions(
            bank_version_id=id_of(version),
            instrument=version.instrument,
            cluster=version.cluster,
            version=version.version,
            status=version.status,
            title=bank_of(version).title,
            state_count=count,
        )
        for version, count in rows
    ]


def _state_count(db: Session, bank_version_id: int) -> int:
    return db.exec(
        select(func.count(distinct(col(Review.state_code)))).where(
            col(Review.bank_version_id) == bank_version_id, col(Review.status) == SUBMITTED
        )
    ).one()


def _question_tally(question: Question, count: AnswerCount, min_states: int) -> QuestionTally:
    too_few = count.answered < max(min_states, 1)
    options = tuple(
        OptionTally(
            key=option.key,
            label=option.label,
            count=count.options[option.key],
            share=None if too_few else count.options[option.key] / count.answered,
        )
        for option in question.options
    )
    return QuestionTally(
        key=question.key,
        section_key=question.section,
        type=question.type,
        text=question.text,
        provision=question.provision,
        is_follow_up=question.parent is not None,
        answered=count.answered,
        options=options if question.is_choice else (),
        too_few=too_few,
    )


def _assistance(
    bank: Bank, sections: tuple[SectionTally, ...], min_states: int
) -> tuple[AssistanceNeeds, ...]:
    """Per article, the "-TA" question and its multiple-choice follow-ups on the kinds needed."""
    tallies = {q.key: q for section in sections for q in section.questions}
    needs = []
    for section in bank.sections:
        for question in section.questions:
            if not (question.is_technical_assistance and question.is_choice):
                continue
            kinds = [
                q
                for q in section.questions
                if q.parent == question.key and q.type == "multiple_choice" and q.show_if
            ]
            revealing = {key for q in kinds if q.show_if for key in q.show_if.any_of} or {"yes"}
            tally = tallies[question.key]
            kinds_answered = max((tallies[q.key].answered for q in kinds), default=0)
            needs.append(
                AssistanceNeeds(
                    section_key=section.key,
                    article=section.article,
                    question_key=question.key,
                    answered=tally.answered,
                    needing=sum(o.count for o in tally.options if o.key in revealing),
                    kinds_answered=kinds_answered,
                    kinds=tuple(option for q in kinds for option in tallies[q.key].options),
                    too_few=kinds_answered < max(min_states, 1),
                )
            )
    return tuple(needs)


def _good_practices(
    db: Session,
    bank: Bank,
    bank_version_id: int,
    language: str,
    named_states: frozenset[str] | None,
) -> tuple[GoodPractice, ...]:
    """Published good practices: not confidential, not withdrawn, from settled lists."""
    rows = db.exec(
        select(Observation.section_key, Observation.text, State)
        .join(Review, col(Review.id) == Observation.review_id)
        .join(ListOfObservations, col(ListOfObservations.review_id) == Review.id)
        .join(State, col(State.code) == Review.state_code)
        .where(
            col(Review.bank_version_id) == bank_version_id,
            col(ListOfObservations.status).in_(SETTLED_LIST_STATUSES),
            col(Observation.category) == "good_practice",
            col(Observation.is_confidential).is_(False),
            col(Observation.is_deleted).is_(False),
        )
        .order_by(col(Observation.id))
    ).all()
    order = {key: index for index, key in enumerate(bank.sections_by_key)}
    practices = []
    for section_key, text, state in rows:
        named = named_states is None or state.code in named_states
        section = bank.sections_by_key.get(section_key)
        practices.append(
            GoodPractice(
                # An unnamed State's code and name never leave this function.
                state_code=state.code if named else "",
                state_name=state_name(state, language) if named else "",
                section_key=section_key,
                article=section.article if section else None,
                text=text,
                is_named=named,
            )
        )
    return tuple(
        sorted(
            practices,
            key=lambda p: (order.get(p.section_key, len(order)), collation_key(p.state_name)),
        )
    )
