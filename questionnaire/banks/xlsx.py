"""Bounded reading of XLSX workbooks: the cells' text, sheet by sheet, whatever the file claims.

A workbook is a zip of XML parts that anyone can write by hand, so nothing it declares is
trusted: the `<dimension>` of a sheet is never read (LibreOffice declares `A1:AMJ1048576`, a
hostile file `A1:XFD1048576`), parts are streamed and refused past a size, a document type
declaration (the way to entity bombs) is refused, and a sheet is refused as soon as it holds
text beyond `MAX_ROWS` rows or `MAX_COLUMNS` columns. Every failure is a `WorkbookError` that
names the sheet or part, never an exception of the zip or XML libraries.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

#: Rows holding text in one sheet; a question bank form has a few hundred.
MAX_ROWS = 5_000
#: Columns holding text; six languages of every translated column stay far below.
MAX_COLUMNS = 200
#: Size of one part once unpacked, and of all of them; a large form's sheet is about 1 MB.
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 96 * 1024 * 1024
MAX_PARTS = 1_000
#: Distinct strings of the workbook (each cell's text is one at most).
MAX_SHARED_STRINGS = MAX_ROWS * MAX_COLUMNS
#: Elements inside one cell, one string or one entry of the workbook's list of sheets.
MAX_ITEM_ELEMENTS = 10_000

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


class WorkbookError(ValueError):
    """The workbook cannot be read; `place` names the sheet or part."""

    def __init__(self, place: str, message: str) -> None:
        super().__init__(f"{place}: {message}")
        self.place = place
        self.message = message


@dataclass(frozen=True)
class SheetCells:
    """One sheet as text: its rows holding text, each with its 1-based row number."""

    name: str
    rows: list[tuple[int, tuple[str, ...]]]


def read_workbook(source: Path | IO[bytes]) -> list[SheetCells]:
    """Every sheet of the workbook, in order, as text; raises WorkbookError."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise WorkbookError(
            "workbook", f"it is not an XLSX workbook (a zip archive): {exc}"
        ) from None
    except OSError as exc:
        raise WorkbookError("workbook", f"cannot read it: {exc}") from None
    with archive:
        _check_sizes(archive)
        workbook = _workbook_part(archive)
        targets = _relationships(archive, workbook)
        strings = _shared_strings(archive, workbook, targets)
        return [
            SheetCells(name, list(_sheet_rows(archive, name, part, strings)))
            for name, part in _sheets(archive, workbook, targets)
        ]


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from its directory: the reading of each part is then capped by the
    size declared here, since zipfile stops at it."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise WorkbookError("workbook", f"it has {len(parts)} parts, more than {MAX_PARTS}")
    total = 0
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            size = part.file_size // (1024 * 1024)
            raise WorkbookError(
                "workbook",
                f"its part {part.filename} unpacks to {size} MB, more than the "
                f"{MAX_PART_BYTES // (1024 * 1024)} MB a form may take",
            )
        total += part.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(
            "workbook", f"unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB"
        )


def _events(
    archive: zipfile.ZipFile, part: str, place: str, depth: int
) -> Iterator[tuple[str, Element, int]]:
    """The XML of one part, streamed: the start of each element above `depth` (the root is at
    depth 1) and the end of each element down to `depth`, which is dropped once the consumer
    has seen it. An item at `depth` may hold `MAX_ITEM_ELEMENTS` elements, so that memory stays
    bounded whatever the part holds. DTDs, entities and bad XML become WorkbookError."""
    stack: list[Element] = []
    inside = 0
    try:
        with archive.open(part) as stream:
            for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    stack.append(element)
                    if len(stack) > depth:
                        inside += 1
                        if inside > MAX_ITEM_ELEMENTS:
                            raise WorkbookError(place, f"the part {part} nests too deep")
                    elif len(stack) < depth:
                        yield "start", element, len(stack)
                    continue
                level = len(stack)
                stack.pop()
                if level <= depth:
                    yield "end", element, level
                    inside = 0
                    element.clear()
                    if stack:
                        stack[-1].remove(element)
    except KeyError:
        raise WorkbookError(place, f"the part {part} is missing from the workbook") from None
    except DefusedXmlException:
        raise WorkbookError(
            place, f"the part {part} declares a document type or entities: refused"
        ) from None
    except ParseError as exc:
        raise WorkbookError(place, f"the part {part} is not well-formed XML ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError(place, f"the part {part} cannot be unpacked: {exc}") from None


def _children(archive: zipfile.ZipFile, part: str, place: str) -> list[Element]:
    """The children of the root of a small part (workbook, relationships), each with its own
    content; at most MAX_ITEM_ELEMENTS of them."""
    found = []
    for event, element, level in _events(archive, part, place, 2):
        if event == "end" and level == 2:
            found.append(copy(element))
            if len(found) > MAX_ITEM_ELEMENTS:
                raise WorkbookError(place, f"the part {part} has too many entries")
    return found


def _workbook_part(archive: zipfile.ZipFile) -> str:
    if "_rels/.rels" in archive.namelist():
        for relation in _children(archive, "_rels/.rels", "workbook"):
            if relation.get("Type", "").endswith("/officeDocument"):
                return relation.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _relationships(archive: zipfile.ZipFile, workbook: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part) of the workbook."""
    folder, name = posixpath.split(workbook)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    found = {}
    for relation in _children(archive, rels, "workbook"):
        if relation.tag != f"{_PACKAGE_REL}Relationship":
            continue
        target = relation.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[relation.get("Id", "")] = (relation.get("Type", ""), posixpath.normpath(part))
    return found


def _sheets(
    archive: zipfile.ZipFile, workbook: str, targets: dict[str, tuple[str, str]]
) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the workbook's order."""
    sheets = []
    for child in _children(archive, workbook, "workbook"):
        for sheet in child.iter(f"{_MAIN}sheet"):
            name = (sheet.get("name") or "").strip()
            kind, part = targets.get(sheet.get(f"{_REL}id", ""), ("", ""))
            if kind.endswith("/worksheet"):
                sheets.append((name, part))
            elif not kind:
                raise WorkbookError(f"{name} sheet", "the workbook does not say where it is")
    return sheets


def _shared_strings(
    archive: zipfile.ZipFile, workbook: str, targets: dict[str, tuple[str, str]]
) -> list[str]:
    part = next((p for kind, p in targets.values() if kind.endswith("/sharedStrings")), None)
    if part is None:
        return []
    strings: list[str] = []
    for event, element, level in _events(archive, part, "workbook", 2):
        if event == "end" and level == 2 and element.tag == f"{_MAIN}si":
            strings.append(_text_of(element))
            if len(strings) > MAX_SHARED_STRINGS:
                raise WorkbookError("workbook", f"it has more than {MAX_SHARED_STRINGS} strings")
    return strings


def _text_of(element: Element) -> str:
    """The text of a string item (`<si>`, `<is>`): its `<t>`, or its runs, without the
    phonetic reading (`<rPh>`)."""
    direct = element.find(f"{_MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(run.findtext(f"{_MAIN}t") or "" for run in element.iter(f"{_MAIN}r"))


def _sheet_rows(
    archive: zipfile.ZipFile, name: str, part: str, strings: list[str]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The rows of a sheet holding text (worksheet > sheetData > row > c)."""
    place = f"{name} sheet"
    counted = number = column = 0
    cells: dict[int, str] = {}
    for event, element, level in _events(archive, part, place, 4):
        if event == "start" and element.tag == f"{_MAIN}row":
            number = _row_number(element, number, place)
            cells, column = {}, 0
        elif event == "end" and level == 4 and element.tag == f"{_MAIN}c":
            column = _cell_column(element, column, place)
            text = _cell_text(element, strings, place, column, number)
            if text:
                _check_bounds(place, number, column)
                cells[column] = text
        elif event == "end" and level == 3 and element.tag == f"{_MAIN}row" and cells:
            counted += 1
            _check_bounds(place, number, 1, counted)
            yield number, tuple(cells.get(c, "") for c in range(1, max(cells) + 1))


def _check_bounds(place: str, row: int, column: int, counted: int = 0) -> None:
    if column > MAX_COLUMNS:
        raise WorkbookError(
            place, f"row {row} has text in column {column}, beyond the {MAX_COLUMNS} a form may use"
        )
    if counted > MAX_ROWS:
        raise WorkbookError(place, f"more than {MAX_ROWS} rows hold text: too many for a form")


def _row_number(element: Element, previous: int, place: str) -> int:
    given = element.get("r")
    if given is None:
        return previous + 1
    if not given.isdigit() or not previous < int(given) <= 1_048_576:
        raise WorkbookError(place, f"a row is numbered {given!r}, after row {previous}")
    return int(given)


def _cell_column(element: Element, previous: int, place: str) -> int:
    reference = element.get("r")
    if reference is None:
        return previous + 1
    match = _CELL_REF.match(reference)
    if match is None:
        raise WorkbookError(place, f"{reference!r} is not a cell reference")
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _cell_text(element: Element, strings: list[str], place: str, column: int, row: int) -> str:
    """A cell's value as text: numbers without a trailing `.0`, booleans as yes/no."""
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = element.find(f"{_MAIN}is")
        return "" if inline is None else _text_of(inline).strip()
    value = (element.findtext(f"{_MAIN}v") or "").strip()
    if not value:
        return ""
    where = f"row {row}, column {column}"
    if kind == "s":
        if not value.isdigit() or int(value) >= len(strings):
            raise WorkbookError(place, f"{where} refers to a string the workbook does not have")
        return strings[int(value)].strip()
    if kind == "b":
        return "yes" if value == "1" else "no"
    if kind == "n":
        try:
            number = float(value)
        except ValueError:
            raise WorkbookError(place, f"{where} holds {value[:40]!r}, not a number") from None
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else value
    return value  # str (a formula's text), e (an error such as #N/A), d (an ISO date)
