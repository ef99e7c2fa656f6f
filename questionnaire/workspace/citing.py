"""Which answers an observation may rely on: the questions the State under review was shown
and answered, named by their short text (never a question it did not answer or never saw)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from questionnaire.banks.schema import Bank, Section
from questionnaire.responses.labels import question_label
from questionnaire.responses.models import Answer
from questionnaire.responses.progress import visible_questions
from questionnaire.workspace.models import Observation


@dataclass(frozen=True)
class Citable:
    """An answered question an observation may cite."""

    key: str
    label: str


def citable_answers(bank: Bank, section: Section, answers: Mapping[str, Answer]) -> list[Citable]:
    """The section's questions the State was shown and answered, in the questionnaire's order."""
    values = {key: answer.value for key, answer in answers.items()}
    return [
        Citable(q.key, question_label(bank, q))
        for q in visible_questions(bank, section, values)
        if values.get(q.key) is not None
    ]


def with_cited(bank: Bank, citable: list[Citable], cited: Iterable[str]) -> list[Citable]:
    """`citable`, plus the keys an observation already cites that are no longer answered (so
    that saving it keeps them until the reviewer unticks them)."""
    known = {c.key for c in citable}
    extra = [
        Citable(key, question_label(bank, bank.questions_by_key[key]))
        for key in cited
        if key not in known and key in bank.questions_by_key
    ]
    return citable + extra


def cited_labels(bank: Bank, keys: Iterable[str]) -> dict[str, str]:
    """The short text of each cited question, by key (keys no longer in the bank left out)."""
    return {
        key: question_label(bank, bank.questions_by_key[key])
        for key in set(keys)
        if key in bank.questions_by_key
    }


def all_cited(observations: Iterable[Observation]) -> list[str]:
    """The question keys the observations cite, in their order."""
    return [key for o in observations for key in o.cited_keys]
