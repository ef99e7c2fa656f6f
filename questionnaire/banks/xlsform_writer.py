"""A run-time question bank written as an XLSForm for ODK and KoboToolbox (conventions:
`xlsform`). Everything the bank holds is kept, so that reading the form back gives the same
bank: what XLSForm has no column for goes in columns that ODK ignores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.banks.schema import LANGUAGES, Bank, Question, Section
from questionnaire.banks.xlsform_format import (
    LANGUAGE_NAMES,
    YES_NO_PARTIAL,
    default_heading,
    language_column,
    relevant_text,
)
from questionnaire.reference.instruments import InstrumentData

#: Survey columns after the translated ones; those after `appearance` are ignored by ODK.
SURVEY_COLUMNS = (
    "required",
    "relevant",
    "appearance",
    "article",
    "provision",
    "replaces",
    "follow_up",
    "bank_type",
    "role",
)
_BOLD = Font(bold=True)
#: A translated text; keys are language codes (the bank's own type narrows them).
Texts = Mapping[Any, str]
_LIST_TYPES = {"yes_no_partial": "select_one", "single_choice": "select_one"}


def form_languages(bank: Bank) -> list[str]:
    """The bank's languages, then any other language some of its texts are written in."""
    found: set[str] = set()
    for texts in _all_texts(bank):
        found.update(texts)
    return [*bank.languages, *(lang for lang in LANGUAGES if lang in found - set(bank.languages))]


def unreviewed_languages(bank: Bank) -> list[str]:
    """Languages with a text no translator has checked yet (the form marks them as a whole)."""
    found = set(bank.unreviewed_languages)
    for section in bank.sections:
        found.update(section.unreviewed_languages)
        for question in section.questions:
            found.update(question.unreviewed_languages)
    return [lang for lang in LANGUAGES if lang in found]


def _all_texts(bank: Bank) -> Iterable[Texts]:
    yield bank.title
    if bank.guidance:
        yield bank.guidance
    for section in bank.sections:
        yield from (texts for texts in (section.title, section.intro) if texts)
        for question in section.questions:
            yield question.text
            if question.help:
                yield question.help
            if question.type != "yes_no_partial":
                yield from (option.label for option in question.options)


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row of text; a text starting with "=" stays text, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


class _Survey:
    def __init__(self, bank: Bank, languages: list[str], data: InstrumentData) -> None:
        self.bank = bank
        self.languages = languages
        self.data = data
        self.header = [
            "type",
            "name",
            *(language_column("label", lang) for lang in languages),
            *(language_column("hint", lang) for lang in languages),
            *SURVEY_COLUMNS,
        ]
        self.rows: list[list[Any]] = []

    def add(self, kind: str, name: str, label: Texts | None = None, **extra: Any) -> None:
        hint = extra.pop("hint", None) or {}
        row: list[Any] = [kind, name]
        row += [(label or {}).get(lang) for lang in self.languages]
        row += [hint.get(lang) for lang in self.languages]
        row += [extra.get(column) for column in SURVEY_COLUMNS]
        self.rows.append(row)

    def section(self, section: Section) -> None:
        label: Texts | None = section.title
        if label is None and section.article is not None:
            label = default_heading(self.data, self.bank.instrument, section.article)
        self.add("begin_group", section.key, label, article=section.article)
        if section.intro:
            self.add("note", f"{section.key}-intro", section.intro)
        for question in section.questions:
            self.question(question)
        self.add("end_group", section.key)

    def question(self, question: Question) -> None:
        kind = {"links": "text", "text": "text"}.get(question.type)
        if kind is None:
            list_name = "yes_no_partial" if question.type == "yes_no_partial" else question.key
            kind = f"{_LIST_TYPES.get(question.type, 'select_multiple')} {list_name}"
        relevant = None
        if question.show_if is not None:
            target = self.bank.questions_by_key[question.show_if.question]
            relevant = relevant_text(
                target.key, question.show_if.any_of, multiple=target.type == "multiple_choice"
            )
        bank_type = "links" if question.type == "links" else None
        if question.type == "single_choice" and set(question.option_keys()) == {*YES_NO_PARTIAL}:
            bank_type = "single_choice"  # read back as single_choice, not yes_no_partial
        self.add(
            kind,
            question.key,
            question.text,
            hint=question.help,
            required="yes" if question.required else None,
            relevant=relevant,
            appearance="multiline" if question.type in ("text", "links") else None,
            provision=question.provision,
            replaces=" ".join(question.replaces) or None,
            follow_up="yes" if question.parent else None,
            bank_type=bank_type,
            role=question.role,
        )


def _choices(bank: Bank, languages: list[str]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    lists_written: set[str] = set()
    for question in bank.questions:
        if not question.is_choice:
            continue
        list_name = "yes_no_partial" if question.type == "yes_no_partial" else question.key
        if list_name in lists_written:
            continue
        lists_written.add(list_name)
        for option in question.options:
            label: Texts = option.label
            rows.append([list_name, option.key, *(label.get(lang) for lang in languages)])
    return rows


def xlsform_workbook(bank: Bank, data: InstrumentData) -> Workbook:
    """The bank as an XLSForm workbook: survey, choices and settings sheets."""
    languages = form_languages(bank)
    title: Texts = bank.title
    survey = _Survey(bank, languages, data)
    if bank.guidance:
        survey.add("note", "guidance", bank.guidance)
    for section in bank.sections:
        survey.section(section)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    _append(sheet, survey.header)
    for row in survey.rows:
        _append(sheet, row)

    choices = book.create_sheet("choices")
    _append(choices, ["list_name", "name", *(language_column("label", lang) for lang in languages)])
    for row in _choices(bank, languages):
        _append(choices, row)

    settings = book.create_sheet("settings")
    titles = [language_column("bank_title", lang) for lang in languages]
    partial: Texts = bank.partial or {}
    reasons = [language_column("partial", lang) for lang in languages] if partial else []
    head = ["form_title", "form_id", "version", "default_language", "languages", "unreviewed"]
    _append(settings, [*head, *titles, *reasons])
    _append(
        settings,
        [
            title.get("en"),
            f"{bank.instrument}_{bank.cluster}_v{bank.version}",
            str(bank.version),
            f"{LANGUAGE_NAMES['en']} (en)",
            " ".join(bank.languages),
            " ".join(unreviewed_languages(bank)),
            *(title.get(lang) for lang in languages),
            *(partial.get(lang) for lang in languages if partial),
        ],
    )
    for worksheet in book.worksheets:
        for cell in worksheet[1]:
            cell.font = _BOLD
        worksheet.freeze_panes = "A2"
    return book
