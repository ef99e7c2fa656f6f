"""Snapshots of the test database's rows, written back in a fraction of the time it takes to make
them again through the services: the demo and the shipped banks, each built once per worker
(the `demo` and `shipped_banks` fixtures in tests/conftest.py), and what a test module builds
once (`once_per_module`): its cast of a review (`cast_review` in tests/factories.py), the
access matrix's scene (tests/access_matrix.py).

A snapshot holds each table's rows as the database gives them to its driver, and writes them
back the same way (PostgreSQL's COPY in its text format; SQLite's own values through
executemany), so that nothing goes through the columns' types and a row comes back exactly as
it was, ids included. The tables kept between tests (tests/conftest.py's KEPT_TABLES) are left
out: a snapshot is written back into tables emptied by the `db` fixture.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlalchemy import Integer, Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from questionnaire.models import metadata

#: Per table in dependency order: its column names and its rows (PostgreSQL: COPY's text).
Snapshot = dict[str, tuple[list[str], Any]]


def _tables(kept: set[str]) -> list[Table]:
    return [table for table in metadata.sorted_tables if table.name not in kept]


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def take(engine: Engine, kept: set[str]) -> Snapshot:
    """Every row of every table but the `kept` ones."""
    snapshot: Snapshot = {}
    with engine.connect() as connection:
        for table in _tables(kept):
            columns = [column.name for column in table.columns]
            names = ", ".join(_quoted(connection, c) for c in columns)
            order = ", ".join(_quoted(connection, c.name) for c in table.primary_key.columns)
            query = f"SELECT {names} FROM {_quoted(connection, table.name)} ORDER BY {order}"
            if connection.dialect.name == "postgresql":
                driver = connection.connection.driver_connection
                assert driver is not None
                with driver.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    rows: Any = b"".join(bytes(block) for block in copy)
            else:
                rows = [tuple(row) for row in connection.exec_driver_sql(query)]
            snapshot[table.name] = (columns, rows)
    return snapshot


def row_counts(connection: Connection, kept: set[str]) -> dict[str, int]:
    """The number of rows of every table but the `kept` ones."""
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in _tables(kept)
    }


def empty(engine: Engine, kept: set[str]) -> None:
    """Delete every row of every table but the `kept` ones."""
    with engine.begin() as connection:
        for table in reversed(_tables(kept)):
            connection.execute(table.delete())


def restore(engine: Engine, snapshot: Snapshot) -> None:
    """Write the snapshot's rows into its tables, which must be empty; PostgreSQL's sequences
    continue after the ids written."""
    with engine.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        for name, (columns, rows) in snapshot.items():
            if not rows:
                continue
            names = ", ".join(_quoted(connection, c) for c in columns)
            table = _quoted(connection, name)
            if postgres:
                driver = connection.connection.driver_connection
                assert driver is not None
                with (
                    driver.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
                ):
                    copy.write(rows)
            else:
                marks = ", ".join("?" for _ in columns)
                connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        if postgres:
            for name in (name for name, (_columns, rows) in snapshot.items() if rows):
                for column in metadata.tables[name].primary_key.columns:
                    if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                        connection.execute(
                            text(
                                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                                f"COALESCE((SELECT MAX({column.name}) FROM {name}), 0) + 1, false)"
                            ),
                            {"table": name, "column": column.name},
                        )


class Users(Protocol):
    """The `make_user` fixture's factory, as far as `once_per_module` needs it."""

    made: int

    def skip(self, count: int) -> None: ...


T = TypeVar("T")


@dataclass(frozen=True)
class _Built:
    """What a test module first built: the rows before and after, the users it made, and the
    value that describes it (its objects belonged to that test's session)."""

    day: date
    before: Snapshot
    after: Snapshot
    users_made: int
    value: Any


_built: dict[tuple[str, str], _Built] = {}


def once_per_module(
    db: Session,
    kind: str,
    kept: set[str],
    users: Users | None,
    build: Callable[[], T],
    read_again: Callable[[T], T],
) -> T:
    """`build()` in the first test of a module that asks for `kind`; in a later test of the
    module that asks for it on the same rows (compared in full, the `kept` tables aside, and on
    the same day), the rows it wrote are written back instead, the numbers of the users it made
    are passed over (`users.skip`), and `read_again(value)` gives its objects in this test's
    session. Built through the services whenever users were made first (their e-mails would
    differ) or `users` is not the fixture's factory."""
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    module = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[0]
    if users is None or users.made or not module:
        return build()
    before = take(engine, kept)
    known = _built.get((module, kind))
    if known and known.day == date.today() and known.before == before:
        db.rollback()  # the session reads the rows written back
        db.expire_all()
        empty(engine, kept)
        restore(engine, known.after)
        users.skip(known.users_made)
        return read_again(known.value)
    value = build()
    _built[(module, kind)] = _Built(date.today(), before, take(engine, kept), users.made, value)
    return value
