"""Pooled connections to PostgreSQL that the server has dropped (a restart, a failover, an idle
timeout): one that lay unused is checked and replaced before a request sees it; one dropped
while in use fails a single statement, and the pool starts afresh behind it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from questionnaire import db as database
from tests.factories import IS_POSTGRES

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="pooled server connections")


@pytest.fixture
def engine(test_config: dict[str, object]) -> Iterator[Engine]:
    """An engine of the application's kind, of this test's own: the server drops its
    connections, not those of the other fixtures."""
    engine = database.make_engine(str(test_config["DATABASE_URL"]))
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The checks made before handing out a connection."""
    made: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        made.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return made


def _pool_of_two(engine: Engine) -> list[int]:
    """Two connections opened, used and given back to the pool; their server processes."""
    with engine.connect() as first, engine.connect() as second:
        return [
            int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
            for connection in (first, second)
        ]


def _drop(url: object, pids: list[int]) -> None:
    """What a restart of the server does to the connections in the pool."""
    admin = create_engine(url, poolclass=NullPool)  # type: ignore[call-overload]
    with admin.connect() as connection:
        for pid in pids:
            query = text("SELECT pg_terminate_backend(:pid)")
            assert connection.execute(query, {"pid": pid}).scalar()
    admin.dispose()


def _served_by(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_in_use_a_moment_ago_is_handed_out_without_a_check(
    engine: Engine, pings: list[int]
) -> None:
    pids = _pool_of_two(engine)
    for _ in range(4):
        assert _served_by(engine) in pids
    assert pings == []


def test_idle_connections_the_server_dropped_are_replaced_before_use(
    engine: Engine, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dropped = _pool_of_two(engine)
    _drop(engine.url, dropped)
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # they have lain idle long enough

    for _ in range(4):  # no statement fails
        assert _served_by(engine) not in dropped
    assert len(pings) >= 2, "idle connections were handed out unchecked"


def test_connections_dropped_while_in_use_fail_one_statement_then_the_pool_recovers(
    engine: Engine, pings: list[int]
) -> None:
    dropped = _pool_of_two(engine)
    _drop(engine.url, dropped)

    with pytest.raises(OperationalError) as failure, engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert failure.value.connection_invalidated
    for _ in range(4):  # every other connection opened before the failure is replaced
        assert _served_by(engine) not in dropped
    assert pings == []
