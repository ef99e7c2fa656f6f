"""The tables of the spreadsheet exports: a State's answers, every State's answers to one bank
version, and a list of observations. Read-only; headers in the reader's language.

The stable question key is always the first column, so rows can be matched across languages
and versions. A question's answer is given only while the question is shown: an answer to a
follow-up that the State's other answers now hide is on record but is not part of its answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.banks.titles import section_title
from questionnaire.exports.formats import Column, Table
from questionnaire.i18n import localize
from questionnaire.reference.names import collation_key, state_name
from questionnaire.responses.disclosure import disclosed_answers, is_shown, json_decoder
from questionnaire.responses.models import Answer
from questionnaire.responses.progress import is_visible
from questionnaire.responses.question_types import type_of
from questionnaire.reviews.submitted import latest_submitted_reviews
from questionnaire.workspace.forms import CATEGORY_LABELS
from questionnaire.workspace.labels import LIST_STATUS_LABELS
from questionnaire.workspace.models import ListOfObservations, Observation
from questionnaire.workspace.summary import paragraphs_of


def confidential_label() -> str:
    """The label of every export that includes confidential answers."""
    return _("Includes confidential answers — secretariat only, never publish")


def _option_keys(question: Question, value: Any) -> str | None:
    """The chosen option keys, the same in every language ("yes", "partial; no")."""
    if not question.is_choice or value in (None, "", []):
        return None
    return "; ".join(value) if isinstance(value, list) else str(value)


def _answer_cells(question: Question, value: Any, shown: bool) -> tuple[Any, Any]:
    if value is None or not shown:
        return None, None
    summary = type_of(question).summary(question, value) or None
    return summary, _option_keys(question, value)


def _text(texts: Mapping[Any, str]) -> str:
    """A translated text in the reader's language."""
    return str(localize(dict(texts)) or "")


def _section_titles(bank: Bank) -> dict[str, str]:
    return {section.key: section_title(bank, section) for section in bank.sections}


def state_answers_table(bank: Bank, answers: Mapping[str, Answer]) -> Table:
    """One row per question of the bank, with the State's answer and its flags."""
    values = {key: answer.value for key, answer in answers.items()}
    titles = _section_titles(bank)
    table = Table(
        name=_("Answers"),
        columns=(
            Column(_("Question key"), 18),
            Column(_("Section"), 30),
            Column(_("Provision"), 10),
            Column(_("Question"), 60, is_long_text=True),
            Column(_("Answer"), 60, is_long_text=True),
            Column(_("Option keys"), 16),
            Column(_("Confidential"), 12),
            Column(_("Carried forward"), 12),
        ),
    )
    for question in bank.questions:
        answer = answers.get(question.key)
        shown = is_visible(bank, question, values)
        summary, keys = _answer_cells(question, values.get(question.key), shown)
        table.rows.append(
            (
                question.key,
                titles[question.section],
                question.provision,
                _text(question.text),
                summary,
                keys,
                bool(answer and answer.is_confidential),
                bool(answer and answer.is_carried_forward),
            )
        )
    return table


def bank_answers_table(
    db: Session, version: BankVersion, *, include_confidential: bool, language: str
) -> Table:
    """One row per State x question, for every State that submitted answers to `version`.

    Confidential answers are left out unless `include_confidential`, and so are the answers
    that only a confidential answer shows, since they would reveal it.
    """
    assert version.id is not None
    bank = bank_of(version)
    titles = _section_titles(bank)
    reviews = latest_submitted_reviews(db, version.id)
    reviews.sort(key=lambda pair: collation_key(state_name(pair[1], language)))
    answers = _disclosed(db, bank, version.id, include_confidential)
    columns = [
        Column(_("Question key"), 18),
        Column(_("State code"), 8),
        Column(_("State"), 24),
        Column(_("Section"), 30),
        Column(_("Question"), 60, is_long_text=True),
        Column(_("Answer"), 60, is_long_text=True),
        Column(_("Option keys"), 16),
    ]
    if include_confidential:
        columns.append(Column(_("Confidential"), 12))
    table = Table(
        name=_("Answers"),
        columns=columns,
        notes=(confidential_label(),) if include_confidential else (),
    )
    for review, state in reviews:
        given = answers.get(review.id or 0, {})
        for question in bank.questions:
            value, is_confidential = given.get(question.key, (None, False))
            summary, keys = _answer_cells(question, value, question.key in given)
            row: list[Any] = [question.key, state.code, state_name(state, language)]
            row += [titles[question.section], _text(question.text), summary, keys]
            if include_confidential:
                row.append(is_confidential and summary is not None)
            table.rows.append(row)
    return table


def _disclosed(
    db: Session, bank: Bank, bank_version_id: int, include_confidential: bool
) -> dict[int, dict[str, tuple[Any, bool]]]:
    """Per review, question key -> (value, is confidential) of the answers that are shown."""
    decode = json_decoder()
    query = disclosed_answers(bank, bank_version_id, include_confidential=include_confidential)
    answers: dict[int, dict[str, tuple[Any, bool]]] = {}
    for review_id, key, value, is_confidential, *conditions in db.connection().execute(query):
        question = bank.questions_by_key.get(key)
        if question is not None and is_shown(bank, question, [decode(c) for c in conditions]):
            answers.setdefault(review_id, {})[key] = (decode(value), bool(is_confidential))
    return answers


def observations_tables(
    bank: Bank, observations: list[Observation], lst: ListOfObservations
) -> tuple[Table, Table]:
    """The elements of a list of observations, and its status and summary."""
    titles = _section_titles(bank)
    order = {section.key: index for index, section in enumerate(bank.sections)}
    elements = Table(
        name=_("List of observations"),
        columns=(
            Column(_("Section key"), 12),
            Column(_("Section"), 30),
            Column(_("Category"), 24),
            Column(_("Observation"), 80, is_long_text=True),
            Column(_("Answers it relies on"), 24),
            Column(_("Confidential"), 12),
        ),
    )
    for observation in sorted(observations, key=lambda o: (order.get(o.section_key, 999), o.id)):
        elements.rows.append(
            (
                observation.section_key,
                titles.get(observation.section_key, observation.section_key),
                str(CATEGORY_LABELS.get(observation.category, observation.category)),
                observation.text,
                "; ".join(observation.cited_keys) or None,
                observation.is_confidential,
            )
        )
    # The summary paragraph by paragraph, each with the State's choice (para. 38), as the
    # elements above are.
    status = str(LIST_STATUS_LABELS.get(lst.status, lst.status))
    summary = Table(
        name=_("Summary"),
        columns=(
            Column(_("Status"), 24),
            Column(_("Summary"), 100, is_long_text=True),
            Column(_("Confidential"), 12),
        ),
        rows=[(status, p.text, p.is_confidential) for p in paragraphs_of(lst)]
        or [(status, None, None)],
    )
    return elements, summary
