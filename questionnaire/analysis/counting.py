"""Counting the answers in the database, for the consolidated analysis.

One GROUP BY over the disclosed answers (`responses.disclosure`: each State's latest submitted
review, confidential answers and the follow-ups only they reveal left out unless asked for)
returns (question, value, values of the questions it depends on, number of States). Only
distinct values come back, so Python merely spreads the multiple-choice combinations over their
options and leaves out the answers to follow-ups that the State's own answers hide. Text and
links answers are reduced to "given" before grouping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, null, or_
from sqlalchemy import select as core_select
from sqlmodel import Session

from questionnaire.banks.schema import Bank
from questionnaire.responses.disclosure import (
    condition_columns,
    disclosed_answers,
    is_shown,
    json_decoder,
)
from questionnaire.responses.question_types import type_of

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


def _tally_query(
    bank: Bank, bank_version_id: int, include_confidential: bool
) -> Select[*tuple[Any, ...]]:
    """(key, value, value of each condition's question..., number of States), grouped."""
    answers = disclosed_answers(
        bank, bank_version_id, include_confidential=include_confidential
    ).subquery("answers")
    choice_keys = [q.key for q in bank.questions if q.is_choice]
    value: ColumnElement[Any] = case(
        (or_(answers.c.value.is_(None), answers.c.value.in_(_EMPTY_JSON)), null()),
        (answers.c.key.in_(choice_keys), answers.c.value),
        else_=literal(_GIVEN),
    )
    reduced = core_select(
        answers.c.key, value.label("value"), *condition_columns(answers)
    ).subquery("reduced")
    # Grouping on the subquery's columns: PostgreSQL cannot match expressions that carry
    # bound parameters between the select list and GROUP BY.
    return core_select(*reduced.c, func.count().label("states")).group_by(*reduced.c)


def _count(bank: Bank, rows: Iterable[Sequence[Any]]) -> dict[str, AnswerCount]:
    """Spread the grouped rows over questions and options, skipping hidden answers."""
    decode = json_decoder()
    counts: dict[str, AnswerCount] = {}
    for key, value, *conditions, states in rows:
        question = bank.questions_by_key.get(key)
        if question is None or value is None:
            continue
        if not is_shown(bank, question, [decode(text) for text in conditions]):
            continue
        count = counts.get(key)
        if count is None:
            count = counts[key] = AnswerCount()
        count.answered += states
        if question.is_choice:
            for option in type_of(question).selected(decode(value)):
                count.options[option] += states
    return counts
