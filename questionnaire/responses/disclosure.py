"""Which submitted answers may be shown outside the State's review: one rule for the
consolidated analysis and the exports of every State's answers.

An answer is disclosed when it is not confidential (unless the reader is the secretariat asking
for its own version) and its question is shown by the State's disclosed answers: a follow-up
that only a confidential answer shows is left out, since it would reveal that answer, and a
follow-up that the State's answers now hide is on record but not part of what it submitted.

`disclosed_answers` reads the answers of each State's latest submitted review, each with the
values of the questions its visibility depends on, read from disclosed answers only;
`is_shown` decides from those values. The analysis groups the rows in the database before
deciding (only distinct rows come back); the exports decide row by row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, text
from sqlalchemy import select as core_select
from sqlalchemy.sql import FromClause, Subquery

from questionnaire.banks.schema import Bank, Question
from questionnaire.responses.models import Answer
from questionnaire.responses.progress import is_visible
from questionnaire.reviews.submitted import latest_submitted_ids

#: Name prefix of the columns that carry the values of a question's conditions, nearest first.
CONDITION = "condition_"


def condition_chain(bank: Bank, question: Question) -> tuple[str, ...]:
    """The keys of the questions the question's visibility depends on, nearest first."""
    chain: list[str] = []
    current: Question | None = question
    while current is not None and current.show_if is not None:
        chain.append(current.show_if.question)
        current = bank.questions_by_key.get(current.show_if.question)
    return tuple(chain)


def disclosed_answers(
    bank: Bank, bank_version_id: int, *, include_confidential: bool
) -> Select[Any]:
    """The answers of each State's latest submitted review on the bank version, confidential
    ones left out unless `include_confidential`.

    Columns: `review_id`, `key`, `value` and each `condition_<n>` as JSON text, and
    `is_confidential`. `condition_0` is the value of the question of the answer's `show_if`,
    `condition_1` that question's own condition's, and so on; a condition whose answer is
    confidential reads as no answer (None) unless `include_confidential`. Pass a row's
    decoded conditions to `is_shown`.
    """
    table = Answer.__table__  # type: ignore[attr-defined]
    main = table.alias("disclosed")
    columns: list[ColumnElement[Any]] = [
        main.c.review_id.label("review_id"),
        main.c.question_key.label("key"),
        cast(main.c.value, String).label("value"),
        main.c.is_confidential.label("is_confidential"),
    ]
    joined = main
    latest = latest_submitted_ids(bank_version_id)
    chains = {q.key: condition_chain(bank, q) for q in bank.questions}
    for level in range(max((len(chain) for chain in chains.values()), default=0)):
        targets = {key: chain[level] for key, chain in chains.items() if len(chain) > level}
        link = _links(targets, f"link_{level}")
        condition = table.alias(f"{CONDITION}{level}")
        on = [
            condition.c.review_id == main.c.review_id,
            condition.c.question_key == link.c.target,
            # Said again of the condition's own answer, so that PostgreSQL reads only the
            # answers that can be conditions rather than every answer of every review.
            condition.c.review_id.in_(latest),
            condition.c.question_key.in_(sorted(set(targets.values()))),
        ]
        if not include_confidential:
            on.append(condition.c.is_confidential.is_(False))
        joined = joined.outerjoin(link, link.c.question_key == main.c.question_key)
        joined = joined.outerjoin(condition, and_(*on))
        columns.append(cast(condition.c.value, String).label(f"{CONDITION}{level}"))
    query = core_select(*columns).select_from(joined).where(main.c.review_id.in_(latest))
    if not include_confidential:
        query = query.where(main.c.is_confidential.is_(False))
    return query


def _links(targets: dict[str, str], name: str) -> Subquery:
    """`targets` (question key -> key of the question it depends on) as a table of the
    statement, (`question_key`, `target`), that the database joins by hashing: a CASE of every
    key was evaluated branch by branch for every answer. VALUES with its default column names,
    which PostgreSQL and SQLite share."""
    pairs = sorted(targets.items())
    rows = ", ".join(f"(:{name}_key_{n}, :{name}_target_{n})" for n in range(len(pairs)))
    values = {f"{name}_key_{n}": key for n, (key, _target) in enumerate(pairs)}
    values |= {f"{name}_target_{n}": target for n, (_key, target) in enumerate(pairs)}
    statement = text(
        f"SELECT column1 AS question_key, column2 AS target FROM (VALUES {rows}) AS pairs"
    )
    return statement.bindparams(**values).columns(question_key=String, target=String).subquery(name)


def condition_columns(answers: FromClause) -> list[Any]:
    """The `condition_<n>` columns of `disclosed_answers` made a subquery, in order."""
    return [column for column in answers.c if column.name.startswith(CONDITION)]


def is_shown(bank: Bank, question: Question, conditions: Sequence[Any]) -> bool:
    """Whether the question is shown, given the decoded values of its row's conditions."""
    values = dict(zip(condition_chain(bank, question), conditions, strict=False))
    return is_visible(bank, question, values)


def json_decoder() -> Callable[[str | None], Any]:
    """Decode the JSON texts of `disclosed_answers`, each distinct text once."""
    decoded: dict[str, Any] = {}

    def decode(text: str | None) -> Any:
        if text is None:
            return None
        if text not in decoded:
            decoded[text] = json.loads(text)
        return decoded[text]

    return decode
