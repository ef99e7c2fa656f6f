"""A State's answers as a plain document context (no ORM objects), for the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from questionnaire.banks.schema import Bank
from questionnaire.i18n import localize
from questionnaire.responses.models import Answer
from questionnaire.responses.progress import visible_questions
from questionnaire.responses.question_types import type_of


@dataclass(frozen=True)
class AnswerLine:
    key: str
    provision: str | None
    question: str
    answer: str
    is_confidential: bool
    is_carried_forward: bool
    is_follow_up: bool


@dataclass(frozen=True)
class AnswerSection:
    title: str
    lines: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class AnswersDocument:
    state: str
    title: str
    status: str
    generated_at: datetime
    sections: tuple[AnswerSection, ...]


def answers_document(
    bank: Bank,
    answers: dict[str, Answer],
    *,
    state: str,
    status: str,
    generated_at: datetime,
    section_titles: dict[str, str],
) -> AnswersDocument:
    """Every question currently shown, with the State's answer and its flags."""
    values = {key: answer.value for key, answer in answers.items()}
    sections = []
    for section in bank.sections:
        lines = []
        for question in visible_questions(bank, section, values):
            answer = answers.get(question.key)
            lines.append(
                AnswerLine(
                    key=question.key,
                    provision=question.provision,
                    question=str(localize(question.text)),
                    answer=type_of(question).summary(question, answer.value) if answer else "",
                    is_confidential=bool(answer and answer.is_confidential),
                    is_carried_forward=bool(answer and answer.is_carried_forward),
                    is_follow_up=question.parent is not None,
                )
            )
        sections.append(AnswerSection(section_titles[section.key], tuple(lines)))
    return AnswersDocument(
        state=state,
        title=str(localize(bank.title)),
        status=status,
        generated_at=generated_at,
        sections=tuple(sections),
    )
