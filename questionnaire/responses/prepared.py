"""The questions of an article page, rendered by the macros of `templates/macros/questions.html`
with as little repeated work as the content allows.

Two levels, both keyed on everything their output depends on:

- A recorded bank version never changes (a changed published file is refused), so what a
  question shows before anyone answers it (legend, translation notes, hint, option labels, the
  label of the confidentiality flag) is rendered once per bank version, section and language and
  kept for the life of the process; bounded by the banks on file (a handful of versions x their
  sections x six languages).
- A question's block is a pure function of that prepared part and of the field's state (value,
  base version, flag), whether it is hidden or editable, where a carried-forward answer came
  from and the address of its history. Blocks are kept in a bounded LRU keyed on all of these,
  values included, so a page shows the same bytes as a fresh rendering would: a changed answer
  has a new value and version, hence a new key, and only that question is rendered again.
  Blocks with errors or a conflict (after a post) are always rendered afresh.

What is kept must not depend on who reads it: the macros render with `request`, `session`,
`g`, `current_user`, `csrf_token` and `get_flashed_messages` standing for objects that raise
`KeptRenderingError` on any use (`kept_macros`), so a macro that reads the reader fails in the
tests instead of showing one reader's page to another (tests/test_article_page.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app, request, url_for
from jinja2 import Template
from markupsafe import Markup

from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question, Section
from questionnaire.banks.titles import section_title
from questionnaire.i18n import current_language, localize
from questionnaire.responses.forms import FieldState
from questionnaire.responses.queries import StoredAnswer
from questionnaire.responses.question_types import type_of


@dataclass(frozen=True)
class PreparedOption:
    key: str
    input_id: str
    label: Markup


@dataclass(frozen=True)
class PreparedQuestion:
    question: Question
    macro: str
    #: data-* attributes of the question's block (type, condition), starting with a space
    attributes: Markup
    #: legend, key and provision line, translation note, hint
    head: Markup
    #: the label of a text field and, for links, the hint on how to write them
    text_label: Markup
    #: the label of the confidentiality checkbox
    confidential_label: Markup
    options: tuple[PreparedOption, ...]
    has_help: bool


@dataclass(frozen=True)
class PreparedSection:
    #: bank version id, its SHA-256, section key, language
    key: tuple[int, str, str, str]
    bank_title: str
    title: str
    questions: tuple[PreparedQuestion, ...]
    #: (key, title) of the sections before and after, for the pager
    previous: tuple[str, str] | None
    next: tuple[str, str] | None


class KeptRenderingError(RuntimeError):
    """A part of the article page kept between requests read the user, the request or the
    session while it was rendered."""


class _Forbidden:
    """Stands for a per-request object in the macros that render kept parts: any use raises."""

    __slots__ = ("_kept_name",)
    __hash__ = None  # type: ignore[assignment]
    _kept_name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_kept_name", name)

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise KeptRenderingError(
            f"`{self._kept_name}` read while rendering a part of the article page kept for "
            "every reader (responses/prepared.py): pass what the part needs as an argument "
            "and make it part of the cache key"
        )

    __getattr__ = __getitem__ = __call__ = __iter__ = __len__ = __contains__ = _refuse
    __bool__ = __str__ = __html__ = _refuse


#: What the macros may not read while they render a part that is kept.
PER_REQUEST_NAMES = (
    "request",
    "session",
    "g",
    "current_user",
    "csrf_token",
    "get_flashed_messages",
)

_PREPARED: dict[tuple[int, str, str, str], PreparedSection] = {}
#: Question blocks kept per process (a block is a few kilobytes; long answers more).
BLOCK_CACHE_SIZE = 2048


def _prepare_question(macros: object, question: Question) -> PreparedQuestion:
    qtype = type_of(question)
    options = tuple(
        PreparedOption(
            key=option.key,
            input_id=f"q-{question.key}-input" if index == 0 else f"q-{question.key}-{option.key}",
            label=Markup(macros.option_label(option)),  # type: ignore[attr-defined]
        )
        for index, option in enumerate(question.options)
    )
    return PreparedQuestion(
        question=question,
        macro=qtype.macro,
        attributes=Markup(macros.question_attributes(question)),  # type: ignore[attr-defined]
        head=Markup(macros.question_head(question)),  # type: ignore[attr-defined]
        text_label=Markup(macros.text_label(question, qtype.macro)),  # type: ignore[attr-defined]
        confidential_label=Markup(macros.confidential_label(question)),  # type: ignore[attr-defined]
        options=options,
        has_help=question.help is not None,
    )


def prepared_section(version: BankVersion, bank: Bank, section: Section) -> PreparedSection:
    """The section's fixed markup in the current language, rendered on first use."""
    assert version.id is not None
    language = current_language()
    key = (version.id, version.sha256, section.key, language)
    prepared = _PREPARED.get(key)
    if prepared is None:
        macros = _macros()
        sections = bank.sections
        index = sections.index(section)

        def neighbour(i: int) -> tuple[str, str] | None:
            if not 0 <= i < len(sections):
                return None
            return sections[i].key, section_title(bank, sections[i])

        prepared = PreparedSection(
            key=key,
            bank_title=str(localize(bank.title)),
            title=section_title(bank, section),
            questions=tuple(_prepare_question(macros, q) for q in section.questions),
            previous=neighbour(index - 1),
            next=neighbour(index + 1),
        )
        _PREPARED[key] = prepared
    return prepared


@lru_cache(maxsize=8)
def kept_macros(template: Template) -> Any:
    """The macros of `template`, with the per-request names forbidden (`PER_REQUEST_NAMES`).
    Made once per template: the module holds nothing of a request (messages are translated
    when a macro is called, in the language of the request that calls it)."""
    return template.make_module({name: _Forbidden(name) for name in PER_REQUEST_NAMES})


def _macros() -> Any:
    return kept_macros(current_app.jinja_env.get_template("macros/questions.html"))


def _render_block(
    p: PreparedQuestion,
    state: FieldState,
    hidden: bool,
    editable: bool,
    carried_from: str | None,
    review_id: int | None,
    conflict: Any = None,
    people: Mapping[int, Any] | None = None,
) -> Markup:
    history_url = (
        None
        if review_id is None  # no answer yet, no history
        else url_for("responses.history", review_id=review_id, question_key=p.question.key)
    )
    html = _macros().question(
        p, state, hidden, editable, carried_from, history_url, conflict, people or {}
    )
    return Markup(html)


@lru_cache(maxsize=BLOCK_CACHE_SIZE)
def _cached_block(
    prepared_key: tuple[int, str, str, str],
    index: int,
    data: Any,
    version: int,
    confidential: bool,
    hidden: bool,
    editable: bool,
    carried_from: str | None,
    review_id: int | None,
    script_root: str,  # part of the key: the history address depends on it
) -> Markup:
    data = list(data) if isinstance(data, tuple) else data
    state = FieldState(data=data, version=version, confidential=confidential)
    p = _PREPARED[prepared_key].questions[index]
    return _render_block(p, state, hidden, editable, carried_from, review_id)


def question_blocks(
    prepared: PreparedSection,
    fields: Mapping[str, FieldState],
    answers: Mapping[str, StoredAnswer],
    shown: set[str],
    editable: bool,
    conflicts: Mapping[str, Any],
    people: Mapping[int, Any],
    carried_sources: Mapping[str, str] | None = None,
) -> list[Markup]:
    """The HTML of each question of the section, in order. `carried_sources` says in words
    where each carried-forward answer comes from (`section_page.carried_sources`)."""
    blocks = []
    script_root = request.script_root
    for index, p in enumerate(prepared.questions):
        key = p.question.key
        state = fields[key]
        answer = answers.get(key)
        carried_from = (
            ((carried_sources or {}).get(key) or answer.carried_from or "")
            if answer and answer.is_carried_forward
            else None
        )
        review_id = answer.review_id if answer is not None else None
        hidden = key not in shown
        conflict = conflicts.get(key)
        if conflict is not None or state.errors:
            block = _render_block(
                p, state, hidden, editable, carried_from, review_id, conflict, people
            )
        else:
            data = tuple(state.data) if isinstance(state.data, list) else state.data
            block = _cached_block(
                prepared.key,
                index,
                data,
                state.version,
                state.confidential,
                hidden,
                editable,
                carried_from,
                review_id,
                script_root,
            )
        blocks.append(block)
    return blocks


def carried_summary(count: int) -> Markup:
    """The notice above a section's questions when `count` of its answers were carried
    forward and await confirmation, with the button that confirms them all."""
    return Markup(_macros().carried_summary(count))
