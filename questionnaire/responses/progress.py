"""Which questions are shown, and how far each section has come. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaire.banks.schema import Bank, Question, Section
from questionnaire.responses.question_types import type_of


def is_visible(bank: Bank, question: Question, values: Mapping[str, Any]) -> bool:
    """A question is shown when its condition holds, and its condition's question is shown."""
    condition = question.show_if
    if condition is None:
        return True
    target = bank.questions_by_key.get(condition.question)
    if target is None or not is_visible(bank, target, values):
        return False
    chosen = type_of(target).selected(values.get(target.key))
    return bool(chosen & set(condition.any_of))


def visible_questions(bank: Bank, section: Section, values: Mapping[str, Any]) -> list[Question]:
    return [q for q in section.questions if is_visible(bank, q, values)]


@dataclass(frozen=True)
class SectionState:
    """Progress of one section: counts over the questions currently shown."""

    section: Section
    answered: int
    shown: int
    required: int
    required_answered: int
    to_confirm: int
    is_marked_complete: bool

    @property
    def missing(self) -> int:
        return self.required - self.required_answered

    @property
    def status(self) -> str:
        """not_started, in_progress or completed."""
        if self.is_marked_complete and self.missing == 0 and self.to_confirm == 0:
            return "completed"
        return "in_progress" if self.answered else "not_started"


def section_state(
    bank: Bank,
    section: Section,
    values: Mapping[str, Any],
    carried: set[str],
    is_marked_complete: bool,
) -> SectionState:
    shown = visible_questions(bank, section, values)
    answered = [q for q in shown if type_of(q).is_answered(values.get(q.key))]
    required = [q for q in shown if q.required]
    return SectionState(
        section=section,
        answered=len(answered),
        shown=len(shown),
        required=len(required),
        required_answered=sum(1 for q in required if q in answered),
        to_confirm=sum(1 for q in answered if q.key in carried),
        is_marked_complete=is_marked_complete,
    )


def missing_required(bank: Bank, section: Section, values: Mapping[str, Any]) -> list[Question]:
    return [
        q
        for q in visible_questions(bank, section, values)
        if q.required and not type_of(q).is_answered(values.get(q.key))
    ]


@dataclass(frozen=True)
class ReviewProgress:
    """How far a State's answers are: required answers given, of those currently required."""

    required_answered: int
    required: int


def review_progress(bank: Bank, values: Mapping[str, Any]) -> ReviewProgress:
    """The required answers given and required, over every section, as the task list counts."""
    states = [section_state(bank, section, values, set(), False) for section in bank.sections]
    return ReviewProgress(
        required_answered=sum(state.required_answered for state in states),
        required=sum(state.required for state in states),
    )
