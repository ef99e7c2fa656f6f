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
from typing import Any, TypeVar

import psycopg
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, Response, current_app, g, has_request_context, request
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
    engine: Engine = app.extensions["questionnaire.engine"]
    return engine


def session() -> Session:
    """The session of the current request (or CLI command), created on first use; read-only
    for a request that only reads (`writes_when_read`)."""
    if "db_session" not in g:
        g.db_session = Session(
            get_engine(), expire_on_commit=False, info={READ_ONLY_KEY: _request_reads_only()}
        )
    session: Session = g.db_session
    return session


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


#: The methods whose requests only read (RFC 9110's safe methods).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: On a session's info: its request only reads. On a pooled connection's info: it was made
#: read-only for such a request, and is to be made read-write again when it is returned.
READ_ONLY_KEY = "questionnaire.read_only"

View = TypeVar("View", bound=Callable[..., Any])


def writes_when_read(view: View) -> View:
    """Mark a view that writes on a GET too (a two-factor secret set up as the page is shown):
    its GET requests get a read-write transaction and commit like a POST. Put it just under
    the route decorator, so that the view the route registers carries the mark."""
    view.writes_when_read = True  # type: ignore[attr-defined]
    return view


def _request_reads_only() -> bool:
    """Whether the current request only reads: a GET, HEAD or OPTIONS whose view is not marked
    with `writes_when_read`. Outside a request (CLI, jobs), sessions read and write."""
    if not has_request_context() or request.method not in READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "writes_when_read", False)


def is_read_only(db: Session) -> bool:
    """Whether `db` belongs to a request that only reads (see `session`)."""
    return bool(db.info.get(READ_ONLY_KEY))


@event.listens_for(Session, "after_begin")
def _begin_read_only(db: Session, _transaction: Any, connection: Any) -> None:
    """Begin a read-only request's transaction read-only in the database, so that a write on
    it fails at once instead of being lost with the rollback that ends it: PostgreSQL's
    BEGIN READ ONLY (psycopg's `read_only`, no round trip of its own; SET TRANSACTION
    READ ONLY when the connection's pre-ping already began the transaction), SQLite's
    `query_only`."""
    if not db.info.get(READ_ONLY_KEY):
        return
    fairy = connection.connection
    dbapi_connection = fairy.dbapi_connection
    if connection.dialect.name == "sqlite":
        dbapi_connection.execute("PRAGMA query_only = ON")
    elif dbapi_connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        dbapi_connection.read_only = True
    else:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    fairy.info[READ_ONLY_KEY] = True


def _read_write_when_returned(engine: Engine) -> None:
    """Make a connection read-write again when a read-only request returns it to the pool
    (after the pool's rollback), for whatever uses it next."""

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is None or not record.info.pop(READ_ONLY_KEY, False):
            return
        if engine.dialect.name == "sqlite":
            dbapi_connection.execute("PRAGMA query_only = OFF")
        else:
            dbapi_connection.read_only = False


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the request's transaction has committed (e.g. to enqueue a job
    that must see the rows just written); dropped if the request rolls back."""
    g.setdefault("after_commit", []).append(callback)


def init_app(app: Flask) -> None:
    app.extensions["questionnaire.engine"] = engine = make_engine(str(app.config["DATABASE_URL"]))
    _read_write_when_returned(engine)

    @app.after_request
    def _commit(response: Response) -> Response:
        db = g.pop("db_session", None)
        callbacks = g.pop("after_commit", [])
        if db is not None:
            try:
                if response.status_code >= 400:
                    db.rollback()
                    callbacks = []
                elif is_read_only(db):
                    # Nothing to commit: the database refused any write (`_begin_read_only`).
                    # The transaction ends when the session closes (the pool rolls it back).
                    pass
                else:
                    db.commit()
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
