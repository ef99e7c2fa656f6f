"""Nominations from a CSV or XLSX file: read, checked row by row, all or nothing.

The columns are documented in docs/nominations.md. Every problem names its row (as a
spreadsheet numbers it: the header is row 1) and its column. A preview records every row
inside a savepoint and rolls it back, so that it checks exactly what saving would do.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.errors import RuleViolation
from questionnaire.i18n import INTERFACE_LANGUAGES, codes
from questionnaire.nominations.models import NOMINATION_ROLES
from questionnaire.nominations.scope import INSTRUMENTS, Purpose
from questionnaire.nominations.services import (
    Nominee,
    NoteVerbale,
    RecordedNomination,
    record_nomination,
)
from questionnaire.reviews.models import ReviewPhase
from questionnaire.validators import FIRST_DATE, LAST_DATE, parse_id

REQUIRED_COLUMNS = (
    "nominating_state",
    "full_name",
    "email",
    "role",
    "state_under_review",
    "phase",
    "note_reference",
    "note_date",
)
OPTIONAL_COLUMNS = ("language", "instruments")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_ROWS = 2000
MAX_BYTES = 2_000_000


class ImportFileError(RuleViolation):
    """The file cannot be read at all (not CSV or XLSX, too large, no header)."""


def _text(message: object) -> str:
    """The message in the reader's language; in English outside a request (the command)."""
    if has_request_context():
        return str(message)
    with force_locale("en"):
        return str(message)


@dataclass(frozen=True)
class ImportProblem:
    """One problem of one cell (or of the header, row 1)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    """One data row: its number in the file and its cells by column name."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class PlannedNomination:
    """A row as it was (or would be) recorded, in plain values for the preview."""

    row: int
    full_name: str
    email: str
    nominating_state: str
    role: str
    side: str
    state_under_review: str
    instruments: tuple[str, ...]
    reviews: int
    is_new_account: bool


@dataclass
class ImportReport:
    """What the file gives: the nominations, or the problems (then nothing is saved)."""

    planned: list[PlannedNomination] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _table(filename: str, content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than 2 MB."))
    if filename.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportFileError(_l("The file is not a readable XLSX workbook.")) from exc
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if not filename.lower().endswith(".csv"):
        raise ImportFileError(_l("Upload a CSV or XLSX file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_l("The CSV file is not in UTF-8.")) from exc
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def read_file(filename: str, content: bytes) -> tuple[list[ImportRow], list[ImportProblem]]:
    """The file's data rows by column name, and the problems of its header."""
    numbered = [(n, row) for n, row in enumerate(_table(filename, content), start=1) if any(row)]
    if not numbered:
        raise ImportFileError(_l("The file is empty."))
    header = [name.strip().lower() for name in numbered[0][1]]
    problems = [
        ImportProblem(1, name, _text(_l("Unknown column: %(name)s.", name=name)))
        for name in header
        if name and name not in COLUMNS
    ] + [
        ImportProblem(1, name, _text(_l("The column %(name)s is missing.", name=name)))
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    if len(numbered) - 1 > MAX_ROWS:
        raise ImportFileError(_l("The file has more than %(num)d rows.", num=MAX_ROWS))
    rows = [
        ImportRow(number, {name: _at(cells, i) for i, name in enumerate(header) if name})
        for number, cells in numbered[1:]
    ]
    return rows, problems


def _at(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


@dataclass(frozen=True)
class _Parsed:
    nominating_state: str
    nominee: Nominee
    role: str
    note: NoteVerbale
    purpose: Purpose


def _phase_id(db: Session, value: str) -> int | None:
    if (phase_id := parse_id(value)) is not None and db.get(ReviewPhase, phase_id) is not None:
        return phase_id
    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == value)).first()
    return phase.id if phase else None


def _parse(db: Session, row: ImportRow) -> tuple[_Parsed | None, list[ImportProblem]]:
    """The row's values checked one by one (the rules come after, in the service)."""
    v = row.values
    problems: list[ImportProblem] = []

    def problem(column: str, message: object) -> None:
        problems.append(ImportProblem(row.number, column, _text(message)))

    for name in REQUIRED_COLUMNS:
        if not v.get(name, "") and name != "full_name":
            problem(name, _l("This cell is empty."))
    email = _email(v.get("email", ""), problem)
    role = v.get("role", "").strip().lower().replace(" ", "_")
    if role and role not in NOMINATION_ROLES:
        problem("role", _l("Write one of: %(choices)s.", choices=codes(NOMINATION_ROLES)))
    language = (v.get("language") or "en").strip().lower()
    if language not in INTERFACE_LANGUAGES:
        problem("language", _l("Write one of: %(choices)s.", choices=codes(INTERFACE_LANGUAGES)))
    instruments = _instruments(v.get("instruments", ""), problem)
    dated = _note_date(v.get("note_date", ""), problem)
    phase_id = _phase_id(db, v["phase"]) if v.get("phase") else None
    if v.get("phase") and phase_id is None:
        problem("phase", _l("No review phase has this name or number."))
    if problems or dated is None:
        return None, problems
    return (
        _Parsed(
            nominating_state=v["nominating_state"].upper(),
            nominee=Nominee(email, v.get("full_name", ""), language),
            role=role,
            note=NoteVerbale(v["note_reference"], dated),
            purpose=Purpose(v["state_under_review"].upper(), phase_id, None, instruments),
        ),
        [],
    )


#: Records a problem of the row being read, in the column it names.
_Problem = Callable[[str, object], None]


def _email(value: str, problem: _Problem) -> str:
    """The address, normalised; as written, with a problem, when it is not one."""
    if value:
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            problem("email", _l("Enter a valid e-mail address."))
    return value


def _instruments(value: str, problem: _Problem) -> tuple[str, ...]:
    """The instruments named (between commas, semicolons or spaces), each once, in the order
    written; an unknown one is a problem."""
    instruments = tuple(
        dict.fromkeys(i for i in value.replace(",", " ").replace(";", " ").upper().split())
    )
    if unknown := [i for i in instruments if i not in INSTRUMENTS]:
        problem("instruments", _l("Unknown instrument: %(names)s.", names=codes(unknown)))
    return instruments


def _note_date(value: str, problem: _Problem) -> date | None:
    """The date of the note verbale; None when empty, or with a problem when it is not a date
    of the years a note can have."""
    try:
        dated = date.fromisoformat(value) if value else None
    except ValueError:
        problem("note_date", _l("Write the date as YYYY-MM-DD."))
        return None
    if dated is not None and not FIRST_DATE <= dated <= LAST_DATE:
        problem("note_date", _l("Write a date from 2000 to 2099."))
        return None
    return dated


def _planned(number: int, recorded: RecordedNomination) -> PlannedNomination:
    n, user = recorded.nomination, recorded.user
    return PlannedNomination(
        row=number,
        full_name=user.full_name,
        email=user.email,
        nominating_state=n.nominating_state,
        role=n.role,
        side=n.side,
        state_under_review=n.state_under_review,
        instruments=tuple(n.instruments or ()),
        reviews=len(recorded.reviews),
        is_new_account=recorded.is_new_account,
    )


def import_rows(db: Session, rows: list[ImportRow], actor: User, *, save: bool) -> ImportReport:
    """Record every row, each in its own savepoint so that every problem is found; then keep
    it all (`save`, and no problem) or roll it all back (a preview, or any problem)."""
    report = ImportReport()
    outer = db.begin_nested()
    for row in rows:
        parsed, problems = _parse(db, row)
        report.problems += problems
        if parsed is None:
            continue
        try:
            with db.begin_nested():
                recorded = record_nomination(
                    db,
                    actor=actor,
                    nominating_state=parsed.nominating_state,
                    nominee=parsed.nominee,
                    role=parsed.role,
                    note=parsed.note,
                    purpose=parsed.purpose,
                )
                report.planned.append(_planned(row.number, recorded))
        except RuleViolation as exc:
            column = getattr(exc, "field", "email")
            report.problems.append(ImportProblem(row.number, column, str(exc)))
    if not rows:
        report.problems.append(
            ImportProblem(2, "nominating_state", _text(_l("The file has no rows.")))
        )
    if save and not report.problems:
        outer.commit()
    else:
        outer.rollback()
    return report


def rows_from_json(text: str) -> list[ImportRow] | None:
    """The rows a preview carried to its confirmation, or None if they are not well formed
    (they are checked again in full when saved)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, list) or len(data) > MAX_ROWS:
        return None
    rows = []
    for item in data:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)):
            return None
        number, values = item
        if not isinstance(values, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            return None
        rows.append(ImportRow(number, {k: v for k, v in values.items() if k in COLUMNS}))
    return rows
