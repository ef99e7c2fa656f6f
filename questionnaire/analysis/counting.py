"""Counting the answers in the database, for the consolidated analysis.

One GROUP BY over the answers of each State's latest submitted review returns (question, value,
values of the questions it depends on, number of States). Only distinct values come back, so
Python merely spreads the multiple-choice combinations over their options and leaves out the
answers to follow-ups that the State's own answers hide: a State that answered a follow-up and
then changed the answer it depends on keeps the stale answer on record, but it is not part of
what the State submitted. Text and links answers are reduced to "given" before grouping.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, literal, null, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from questionnaire.banks.schema import Bank, Question
from questionnaire.responses.models import Answer
from questionnaire.responses.question_types import type_of
from questionnaire.reviews.models import Review

SUBMITTED = "submitted"
#: JSON texts of an answer that says nothing (a cleared answer).
_EMPTY_JSON = ("null", '""', "[]")
#: What a text or links answer is reduced to before grouping: only their number matters.
_GIVEN = "*"


@dataclass
class AnswerCount:
    """How many States answered one question, and how many chose each option."""

    answered: int = 0
    options: Counter[str] = field(default_factory=Counter)


def count_answers(
    db: Session, bank: Bank, bank_version_id: int, *, include_confidential: bool
) -> dict[str, AnswerCount]:
    """Per question key, the answers shown in each State's latest submitted review.

    Without `include_confidential`, confidential answers are not counted, nor are the
    follow-ups that only a confidential answer shows, since counting them would reveal it.
    """
    query = _tally_query(bank, bank_version_id, include_confidential)
    rows = db.connection().execute(query).all()  # a Core query: plain rows, no ORM objects
    return _count(bank, rows)


def latest_submitted(bank_version_id: int) -> Select[*tuple[Any, ...]]:
    """Ids of the latest submitted review of each State on the bank version."""
    return (
        core_select(func.max(col(Review.id)))
        .where(col(Review.bank_version_id) == bank_version_id, col(Review.status) == SUBMITTED)
        .group_by(col(Review.state_code))
    )


def _condition_levels(bank: Bank) -> list[dict[str, str]]:
    """Per level of conditions, question key -> key of the question it depends on at that level.

    Level 0 maps a question to the question of its `show_if`, level 1 to that question's
    own condition, and so on: visibility depends on the whole chain.
    """
    levels: list[dict[str, str]] = []
    for question in bank.questions:
        current: Question | None = question
        depth = 0
        while current is not None and current.show_if is not None:
            if depth == len(levels):
                levels.append({})
            levels[depth][question.key] = current.show_if.question
            current = bank.questions_by_key.get(current.show_if.question)
            depth += 1
    return levels


def _tally_query(
    bank: Bank, bank_version_id: int, include_confidential: bool
) -> Select[*tuple[Any, ...]]:
    """(key, value, value of each condition's question..., number of States), grouped."""
    table = Answer.__table__  # type: ignore[attr-defined]
    main = table.alias("counted")
    as_text = cast(main.c.value, String)
    choice_keys = [q.key for q in bank.questions if q.is_choice]
    value: ColumnElement[Any] = case(
        (or_(main.c.value.is_(None), as_text.in_(_EMPTY_JSON)), null()),
        (main.c.question_key.in_(choice_keys), as_text),
        else_=literal(_GIVEN),
    )
    columns: list[ColumnElement[Any]] = [main.c.question_key.label("key"), value.label("value")]
    joined = main
    for level, targets in enumerate(_condition_levels(bank)):
        condition = table.alias(f"condition_{level}")
        on = [
            condition.c.review_id == main.c.review_id,
            condition.c.question_key == case(targets, value=main.c.question_key),
        ]
        if not include_confidential:
            # Counting a follow-up would reveal the confidential answer that shows it.
            on.append(condition.c.is_confidential.is_(False))
        joined = joined.outerjoin(condition, and_(*on))
        columns.append(cast(condition.c.value, String).label(f"condition_{level}"))
    answers = (
        core_select(*columns)
        .select_from(joined)
        .where(main.c.review_id.in_(latest_submitted(bank_version_id)))
    )
    if not include_confidential:
        answers = answers.where(main.c.is_confidential.is_(False))
    # Grouping on the subquery's columns: PostgreSQL cannot match expressions that carry
    # bound parameters between the select list and GROUP BY.
    grouped = answers.subquery("answers")
    return core_select(*grouped.c, func.count().label("states")).group_by(*grouped.c)


def _count(bank: Bank, rows: Iterable[Sequence[Any]]) -> dict[str, AnswerCount]:
    """Spread the grouped rows over questions and options, skipping hidden answers."""
    parsed: dict[str, Any] = {}

    def decode(text: str | None) -> Any:
        if text is None:
            return None
        if text not in parsed:
            parsed[text] = json.loads(text)
        return parsed[text]

    counts: dict[str, AnswerCount] = {}
    for key, value, *conditions, states in rows:
        question = bank.questions_by_key.get(key)
        if question is None or value is None:
            continue
        if not _is_shown(bank, question, [decode(text) for text in conditions]):
            continue
        count = counts.get(key)
        if count is None:
            count = counts[key] = AnswerCount()
        count.answered += states
        if question.is_choice:
            for option in type_of(question).selected(decode(value)):
                count.options[option] += states
    return counts


def _is_shown(bank: Bank, question: Question, condition_values: list[Any]) -> bool:
    """Whether the question is shown, given the values of its chain of conditions."""
    current = question
    for value in condition_values:
        condition = current.show_if
        if condition is None:
            return True
        target = bank.questions_by_key[condition.question]
        if not type_of(target).selected(value) & set(condition.any_of):
            return False
        current = target
    return True
