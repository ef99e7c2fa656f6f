"""Database engine, one session per request, and the migration guard.

Services flush; the request edge commits once (or rolls back), see `init_app`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, Response, current_app, g
from sqlalchemy import JSON, MetaData, Table, Update, bindparam, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Named constraints so that migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

#: JSON column type shared by the models (JSONB-like behaviour is not needed).
JSONColumn = JSON


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (SQLModel stores datetimes as UTC)."""
    return datetime.now(UTC)


def id_of(row: Any) -> int:
    """The primary key of a row that has been flushed (SQLModel types it as optional)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return int(row.id)


@lru_cache(maxsize=64)
def _update_statement(table: Table, names: tuple[str, ...], version_key: str | None) -> Update:
    """UPDATE of `names` on one row of `table` (by id, and at a version when `version_key` is
    given), with bound parameters: built once per shape, as building a statement cost more
    than running it. The new values are bound as `new_<name>`, so they take the columns' types."""
    statement = update(table).where(table.c.id == bindparam("row_id"))
    if version_key is not None:
        statement = statement.where(table.c[version_key] == bindparam("base_version"))
    return statement.values({name: bindparam(f"new_{name}") for name in names})


def update_row(
    db: Session, row: Any, values: dict[str, Any], *, version: tuple[str, int] | None = None
) -> bool:
    """UPDATE `row` (by id, and at `version`, a (column name, value) pair) to `values`; when it
    matched, set them on `row` as loaded, without reading it again.

    A Core statement on the session's connection: the ORM's bulk-update path cost several
    times as much, on every autosave. Nothing of `row` may be pending in the session.
    """
    params = {f"new_{name}": value for name, value in values.items()}
    params["row_id"] = row.id
    version_key = None
    if version is not None:
        version_key, params["base_version"] = version
    statement = _update_statement(type(row).__table__, tuple(values), version_key)
    result = db.connection().execute(statement, params)
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(row, name, value)
    return True


def update_if_version(
    db: Session, row: Any, version_column: Any, base_version: int, values: dict[str, Any]
) -> bool:
    """Write `values` to `row` only if it is still at `base_version`.

    The version check is part of the UPDATE statement, so of two concurrent edits based on the
    same version exactly one succeeds, whatever the database's isolation level. Every change to
    a versioned row raises its version, so when the UPDATE matched, the row holds what it held
    when loaded plus `values`; when it did not match, `row` is reloaded to show what the other
    edit left.
    """
    if update_row(db, row, values, version=(version_column.key, base_version)):
        return True
    db.refresh(row)
    return False


class SchemaNotCurrent(RuntimeError):
    """The database is not migrated to the code's head revision."""


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and WAL so it behaves like a server."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10)
    _ping_when_idle(engine)
    return engine


#: A pooled server connection that has not been used for this long is checked before use.
IDLE_PING_SECONDS = 10.0
_RETURNED_AT = "questionnaire.returned_at"


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection with a round trip before handing it out, as `pool_pre_ping`
    does, but only when it has lain unused for IDLE_PING_SECONDS: a busy service would
    otherwise pay one round trip more on every request, about a tenth of an autosave.

    A connection that fails the check is replaced before the request sees it (the pool retries
    on DisconnectionError, see PoolEvents.checkout). One the server dropped within the last
    seconds fails its request's first statement instead; SQLAlchemy then discards every
    connection of the pool opened before that moment, so a restart of the database costs at
    most the requests under way on each process, whose pages and autosaves keep the text and
    say it was not saved.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < IDLE_PING_SECONDS:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"pooled connection failed its check: {exc}") from exc


def get_engine(app: Flask | None = None) -> Engine:
    app = app or current_app
    return app.extensions["questionnaire.engine"]


def session() -> Session:
    """The session of the current request (or CLI command), created on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


@contextmanager
def standalone_session(app: Flask) -> Iterator[Session]:
    """A session outside a request, committed on success (for CLI commands and jobs)."""
    with Session(get_engine(app), expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


def alembic_config(app: Flask) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = get_engine(app)
    return config


def schema_status(app: Flask) -> tuple[str | None, str | None]:
    """(current revision in the database, head revision of the code)."""
    head = ScriptDirectory.from_config(alembic_config(app)).get_current_head()
    with get_engine(app).connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def check_schema(app: Flask) -> None:
    """Refuse to serve on a database that is not migrated, and say how to fix it."""
    current, head = schema_status(app)
    if current != head:
        state = "empty (no migrations applied)" if current is None else f"at revision {current}"
        raise SchemaNotCurrent(
            f"The database {get_engine(app).url.render_as_string(hide_password=True)} is "
            f"{state}; the code needs revision {head}. Run `questionnaire db upgrade`."
        )


#: On a connection's info: whether its current transaction ran anything but a SELECT.
WROTE_KEY = "questionnaire.wrote"


def has_writes(db: Session) -> bool:
    """Whether the session's transaction holds anything to commit: objects not yet flushed,
    or any statement but a SELECT run on its connection (see `_watch_writes`)."""
    if db.new or db.dirty or db.deleted:
        return True
    if not db.in_transaction():
        return False
    return bool(db.connection().info.get(WROTE_KEY, True))


def _watch_writes(engine: Engine) -> None:
    """Mark a connection's transaction as writing at its first statement other than a SELECT
    (INSERT, UPDATE, DELETE, SAVEPOINT, anything else); the mark is cleared when a transaction
    begins. Conservative by construction: only statements that start with SELECT count as
    reads, and a connection never seen beginning counts as writing."""

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.info[WROTE_KEY] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[WROTE_KEY] = True


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the request's transaction has committed (e.g. to enqueue a job
    that must see the rows just written); dropped if the request rolls back."""
    g.setdefault("after_commit", []).append(callback)


def init_app(app: Flask) -> None:
    app.extensions["questionnaire.engine"] = engine = make_engine(str(app.config["DATABASE_URL"]))
    _watch_writes(engine)

    @app.after_request
    def _commit(response: Response) -> Response:
        db = g.pop("db_session", None)
        callbacks = g.pop("after_commit", [])
        if db is not None:
            try:
                if response.status_code >= 400:
                    db.rollback()
                    callbacks = []
                elif callbacks or has_writes(db):
                    db.commit()
                # else: a request that only read ends its transaction when the session closes
                # (the pool rolls the connection back), without a COMMIT of its own.
            finally:
                db.close()
        for callback in callbacks:
            callback()
        return response

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        db = g.pop("db_session", None)
        if db is not None:
            db.rollback()
            db.close()
