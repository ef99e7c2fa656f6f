"""Tables written as XLSX (openpyxl) or CSV (UTF-8 with a byte order mark, for Excel).

A table may carry notes (the confidential label) written above its header row. XLSX cells of
text are always stored as text, so an answer starting with "=" never becomes a formula; in CSV,
where a spreadsheet cannot be told, such text is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
#: What a spreadsheet may read as a formula at the start of a CSV cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOTE_FONT = Font(bold=True, color="6F2DBD")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """A column: its header in the reader's language and its width in characters."""

    header: str
    width: int = 16
    is_long_text: bool = False


@dataclass
class Table:
    """One sheet: notes above the header, the header, then the rows."""

    name: str
    columns: Sequence[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)
    notes: Sequence[str] = ()


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31] or "Sheet"


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as the sheets of one workbook."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name))
        for note in table.notes:
            sheet.append([note])
            sheet.cell(sheet.max_row, 1).font = _NOTE_FONT
        sheet.append([column.header for column in table.columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = _BOLD
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=False):
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                if column.is_long_text:
                    cell.alignment = _WRAP
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_bytes(table: Table) -> bytes:
    """The table as CSV: notes first, one per row, then the header and the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for note in table.notes:
        writer.writerow([note])
    writer.writerow([column.header for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
