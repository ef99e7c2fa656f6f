"""The consolidated analysis as a spreadsheet (XLSX): answers, assistance needs, good practices.

Every sheet starts with the confidential label when the analysis includes confidential
answers, then the title, then one header row in the reader's language. Stable keys (question,
option) have their own columns so the figures can be matched across languages and versions.
Text cells are always stored as text, so an answer or observation starting with "=" can never
become a formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from io import BytesIO
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.analysis.services import Analysis
from questionnaire.i18n import localize

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHARE_FORMAT = "0.0%"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONFIDENTIAL_FONT = Font(bold=True, color="6F2DBD")
_BOLD = Font(bold=True)


def localized(texts: Mapping[Any, str] | None) -> str:
    """A bank text in the reader's language (English when missing); empty when there is none."""
    return str(localize({str(language): text for language, text in (texts or {}).items()}) or "")


def _append(sheet: Worksheet, values: Sequence[Any]) -> int:
    """Append a row; strings stay strings. Returns the row's number."""
    sheet.append(list(values))
    row: int = sheet.max_row
    for cell in sheet[row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    return row


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31]


def _start_sheet(
    sheet: Worksheet, analysis: Analysis, title: str, label: str | None, header: Sequence[str]
) -> None:
    """The first rows of a sheet: confidential label, title, States, then the header row."""
    if label:
        row = _append(sheet, [label])
        sheet.cell(row, 1).font = _CONFIDENTIAL_FONT
    sheet.cell(_append(sheet, [title]), 1).font = Font(bold=True, size=13)
    _append(sheet, [_("States that submitted answers: %(num)d", num=analysis.state_count)])
    _append(sheet, [])
    row = _append(sheet, header)
    for cell in sheet[row]:
        cell.font = _BOLD
    sheet.freeze_panes = sheet.cell(row + 1, 1)


def _answers_sheet(
    sheet: Worksheet,
    analysis: Analysis,
    title: str,
    label: str | None,
    section_titles: Mapping[str, str],
    for_peers: bool,
) -> None:
    """The sheet of answers: a row per option of a choice question, one per other question."""
    _start_sheet(
        sheet,
        analysis,
        title,
        label,
        [
            *(_("Question key"), _("Section"), _("Question"), _("Option key"), _("Option")),
            *(_("States"), _("Share"), _("States that answered")),
        ],
    )
    for section in analysis.sections:
        for question in section.questions:
            start = [question.key, section_titles.get(section.key, section.key)]
            start.append(localized(question.text))
            if not question.is_choice:
                _append(sheet, [*start, None, None, question.answered, None, question.answered])
                continue
            if for_peers and question.too_few:
                # A peer is not told how so few States answered, only how many did.
                _append(sheet, [*start, None, None, None, None, question.answered])
                continue
            for option in question.options:
                counted = [option.key, localized(option.label), option.count, option.share]
                row = _append(sheet, [*start, *counted, question.answered])
                sheet.cell(row, 7).number_format = SHARE_FORMAT
    _widths(sheet, (16, 28, 60, 18, 36, 10, 10, 12))


def _assistance_sheet(
    sheet: Worksheet,
    analysis: Analysis,
    title: str,
    label: str | None,
    section_titles: Mapping[str, str],
    for_peers: bool,
) -> None:
    """The sheet of technical assistance needs: a row per kind of assistance of a question."""
    _start_sheet(
        sheet,
        analysis,
        title,
        label,
        [
            *(_("Question key"), _("Section"), _("States that answered"), _("States needing it")),
            *(_("Kind key"), _("Kind of assistance"), _("States"), _("Share")),
        ],
    )
    for need in analysis.assistance:
        start: list[Any] = [
            need.question_key,
            section_titles.get(need.section_key, need.section_key),
        ]
        hidden = for_peers and need.answered < analysis.min_states
        start += [need.answered, None if hidden else need.needing]
        if not need.kinds or (for_peers and need.too_few):
            _append(sheet, start)
            continue
        for kind in need.kinds:
            row = _append(sheet, [*start, kind.key, localized(kind.label), kind.count, kind.share])
            sheet.cell(row, 8).number_format = SHARE_FORMAT
    _widths(sheet, (16, 28, 12, 12, 22, 36, 10, 10))


def _good_practices_sheet(
    sheet: Worksheet,
    analysis: Analysis,
    title: str,
    label: str | None,
    section_titles: Mapping[str, str],
) -> None:
    """The sheet of good practices, with the States that asked not to be named unnamed."""
    _start_sheet(
        sheet,
        analysis,
        title,
        label,
        [_("State code"), _("State"), _("Section"), _("Good practice")],
    )
    for practice in analysis.good_practices:
        section = section_titles.get(practice.section_key, practice.section_key)
        name = practice.state_name if practice.is_named else _("A State that is not named")
        _append(sheet, [practice.state_code, name, section, practice.text])
    _widths(sheet, (10, 28, 28, 90))


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def analysis_workbook(
    analysis: Analysis,
    *,
    title: str,
    section_titles: Mapping[str, str],
    label: str | None,
    for_peers: bool = False,
) -> bytes:
    """The XLSX file: one sheet of answers, one of assistance needs, one of good practices.

    `label` is the confidential label, written first on every sheet (None for the version
    that may be published). `for_peers`: read by a State, which is not told how fewer States
    than the analysis's minimum answered.
    """
    book = Workbook()
    answers = book.active
    assert answers is not None
    answers.title = _sheet_name(_("Answers"))
    _answers_sheet(answers, analysis, title, label, section_titles, for_peers)
    assistance = book.create_sheet(_sheet_name(_("Technical assistance")))
    _assistance_sheet(assistance, analysis, title, label, section_titles, for_peers)
    practices = book.create_sheet(_sheet_name(_("Good practices")))
    _good_practices_sheet(practices, analysis, title, label, section_titles)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
