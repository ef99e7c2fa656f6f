"""Export of the whole database as a versioned JSON archive, and import into an empty one.

The archive is table by table, generic over the metadata, so a new table is included without
touching this module. Secrets are never written: password hashes, second-factor secrets,
recovery codes, API token hashes and session nonces are left out (people set a new password
through a reset link after a restore), and so are the PDF bytes of documents (their SHA-256
and the exact content snapshot they were made from are kept; they can be rendered again).
The files States attach to their reviews exist nowhere else: they are kept, in base64.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from psycopg import sql
from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Table,
    TypeDecorator,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from questionnaire.models import metadata

ARCHIVE_FORMAT = "untoc-review-questionnaires-archive"
ARCHIVE_VERSION = 1
#: Columns that hold secrets (or derived from them); never exported. A restored account logs
#: in after a password reset, and sets up its second factor again (the seed stays behind).
SECRET_COLUMNS = frozenset(
    {
        "password_hash",
        "session_nonce",
        "totp_seed",
        "code_hash",
        "token_hash",
    }
)
#: Tables whose rows are nothing without their secret (a recovery code, an API token is only its
#: hash): left out whole. After a restore, users get new recovery codes when they set up their
#: second factor again, and the secretariat issues new API tokens.
SECRET_TABLES = frozenset({"recovery_code", "api_token"})
#: Columns written with a fixed text instead of their value: e-mails waiting in the outbox may
#: carry activation and reset links, which an archive must not give to whoever reads it.
REDACTED_COLUMNS = {("outbox_message", "body"): "(not kept in archives)"}
#: Binary columns kept in archives (in base64): files that cannot be made again.
KEPT_FILES = frozenset({("review_attachment", "data")})


class ArchiveError(ValueError):
    """The archive cannot be imported; nothing was written."""


def _exported_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if column.name not in SECRET_COLUMNS
        and (not isinstance(column.type, LargeBinary) or (table.name, column.name) in KEPT_FILES)
    ]


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):  # a kept file (KEPT_FILES)
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def export_all(engine: Engine, revision: str | None) -> dict[str, Any]:
    """Everything in the database, as JSON-ready data."""
    tables: dict[str, Any] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in SECRET_TABLES:
                continue
            columns = _exported_columns(table)
            order = [table.c[c.name] for c in table.primary_key.columns]
            rows = connection.execute(select(*[table.c[c] for c in columns]).order_by(*order))
            redacted = [REDACTED_COLUMNS.get((table.name, column)) for column in columns]
            tables[table.name] = {
                "columns": columns,
                "rows": [
                    [
                        _to_json(value) if text is None else text
                        for value, text in zip(row, redacted, strict=True)
                    ]
                    for row in rows
                ],
            }
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "schema_revision": revision,
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": tables,
    }


def write_archive(path: Path, archive: dict[str, Any]) -> None:
    """Write the archive readable by its owner only (mode 0600), whatever the umask: it holds
    every answer, confidential ones included. An existing file is replaced, not rewritten in
    place, so that it does not keep a wider mode."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(archive, out, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_archive(path: Path) -> dict[str, Any]:
    try:
        archive = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"{path}: not a readable JSON archive ({exc})") from exc
    if not isinstance(archive, dict) or archive.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(f"{path}: not an archive of this application")
    if archive.get("version") != ARCHIVE_VERSION:
        raise ArchiveError(
            f"{path}: archive version {archive.get('version')!r}; this application reads "
            f"version {ARCHIVE_VERSION}"
        )
    return archive


def _datetime_from_json(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _from_json(table: Table, column: str) -> Callable[[Any], Any] | None:
    """What turns the archive's value of `column` (never None) back into the column's;
    None when the JSON value is the column's."""
    kind = table.c[column].type
    if isinstance(kind, TypeDecorator):  # e.g. SQLModel's UTC datetime
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        return _datetime_from_json
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _rows_from_json(table: Table, columns: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    """The archive's rows of `table` with their values as the columns take them."""
    converters = [_from_json(table, column) for column in columns]
    if not any(converters):
        return rows
    return [
        [
            value if convert is None or value is None else convert(value)
            for convert, value in zip(converters, row, strict=True)
        ]
        for row in rows
    ]


def _check_empty(connection: Connection) -> None:
    for table in metadata.sorted_tables:
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise ArchiveError(f"the database is not empty (table {table.name} has rows)")


def import_all(engine: Engine, archive: dict[str, Any], revision: str | None) -> dict[str, int]:
    """Load an archive into an empty database at the same schema revision; all or nothing."""
    if archive.get("schema_revision") != revision:
        raise ArchiveError(
            f"the archive was written at schema revision {archive.get('schema_revision')}; "
            f"the database is at {revision}: migrate one of them first"
        )
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        _check_empty(connection)
        for table in metadata.sorted_tables:
            data = archive["tables"].get(table.name)
            if data is None:
                continue
            unknown = set(data["columns"]) - set(table.c.keys())
            if unknown:
                raise ArchiveError(f"table {table.name}: unknown columns {sorted(unknown)}")
            rows = _rows_from_json(table, data["columns"], data["rows"])
            if rows:
                _insert(connection, table, data["columns"], rows)
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def _insert(
    connection: Connection, table: Table, columns: list[str], rows: list[list[Any]]
) -> None:
    """Insert the rows: with PostgreSQL's COPY through psycopg, each value passed through its
    column's type as an INSERT's parameter is and the columns left out of the archive given
    their constant defaults, so the rows stored are the same; an INSERT executed for every
    row otherwise."""
    defaults = _constant_defaults(table, columns)
    if connection.dialect.driver != "psycopg" or defaults is None:
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    if defaults:
        columns = [*columns, *defaults]
        rows = [[*row, *defaults.values()] for row in rows]
    dialect = connection.dialect
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    value if process is None else process(value)
                    for process, value in zip(processors, row, strict=True)
                ]
            )


def _constant_defaults(table: Table, columns: list[str]) -> dict[str, Any] | None:
    """The defaults an INSERT gives the columns of `table` the archive leaves out (a secret's
    placeholder), where they are constants; None when one is computed."""
    defaults = {}
    for column in table.columns:
        if column.name in columns or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        defaults[column.name] = column.default.arg  # type: ignore[attr-defined]
    return defaults


def _reset_sequences(connection: Connection) -> None:
    """After explicit ids were inserted, let PostgreSQL's sequences continue after them."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    ),
                    {"table": table.name, "column": column.name},
                )
