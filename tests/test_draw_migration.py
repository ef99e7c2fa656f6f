"""Migration 0009 on a database that a concurrent second draw left with two active seats
for the same review and seat: the later one is ended (with a reason), the earliest kept, and
the unique index then holds; the downgrade takes the index and the new columns away."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command as alembic_command
from flask import Flask
from sqlalchemy import inspect

from questionnaire import create_app
from questionnaire import db as database

STATES = ("GHA", "NGA", "KEN", "FRA", "SEN", "MAR")
#: The rows the seats refer to, as the schema stands at 0008.
SETUP = [
    "INSERT INTO state (code, iso2, regional_group, parties, name_en) VALUES "
    + ", ".join(f"('{c}', '{c[:2]}', 'african', '[]', '{c}')" for c in STATES),
    "INSERT INTO bank_version (id, instrument, cluster, version, status, sha256, content, "
    "source_path, question_count, loaded_at) VALUES (1, 'TIP', 'I', 1, 'published', 'x', '{}', "
    "'x', 0, '2025-01-01 00:00:00')",
    "INSERT INTO review_phase (id, name, cluster, started_on, max_reviews_per_state, created_at) "
    "VALUES (1, 'Phase', 'I', '2025-01-01', 3, '2025-01-01 00:00:00')",
    "INSERT INTO review (id, state_code, bank_version_id, status, started_on, answers_due_on, "
    "created_at) VALUES (1, 'GHA', 1, 'answering', '2025-01-01', '2025-07-01', "
    "'2025-01-01 00:00:00'), (2, 'GHA', 1, 'answering', '2025-01-01', '2025-07-01', "
    "'2025-01-01 00:00:00')",
    "INSERT INTO review_draw (id, phase_id, kind, seed, inputs, result, created_at) VALUES "
    "(1, 1, 'draw', 's', '{}', '[]', '2025-01-01 00:00:00')",
]
ROWS = [
    # id, review, State, seat, active
    (1, 1, "NGA", "same_region", 1),
    (2, 1, "KEN", "same_region", 1),  # the second draw's seat: ended by the migration
    (3, 1, "FRA", "other_region", 1),
    (4, 2, "SEN", "same_region", 0),  # replaced earlier: stays as it is
    (5, 2, "MAR", "same_region", 1),
]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "drawn-twice.sqlite3"


@pytest.fixture
def app(path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"}, check_schema=False)
    yield app
    database.get_engine(app).dispose()


def test_duplicate_active_seats_are_ended_before_the_unique_index(app: Flask, path: Path) -> None:
    config = database.alembic_config(app)
    alembic_command.upgrade(config, "0008")
    with sqlite3.connect(path) as raw:
        for statement in SETUP:
            raw.execute(statement)
        raw.executemany(
            "INSERT INTO review_assignment (id, review_id, reviewing_state, seat, is_additional, "
            "draw_id, is_active) VALUES (?, ?, ?, ?, 0, 1, ?)",
            ROWS,
        )
    alembic_command.upgrade(config, "0009")
    with sqlite3.connect(path) as raw:
        found = raw.execute(
            "SELECT id, is_active, end_reason IS NOT NULL FROM review_assignment ORDER BY id"
        ).fetchall()
        assert found == [(1, 1, 0), (2, 0, 1), (3, 1, 0), (4, 0, 0), (5, 1, 0)]
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute(
                "INSERT INTO review_assignment (review_id, reviewing_state, seat, is_additional, "
                "draw_id, is_active) VALUES (1, 'GHA', 'same_region', 0, 1, 1)"
            )
    engine = database.get_engine(app)
    assert "state_group_draw" in inspect(engine).get_table_names()
    alembic_command.downgrade(config, "0008")
    inspector = inspect(database.get_engine(app))
    assert "state_group_draw" not in inspector.get_table_names()
    assert "seed_source" not in {c["name"] for c in inspector.get_columns("review_draw")}
    assert "uq_review_assignment_active_seat" not in {
        i["name"] for i in inspector.get_indexes("review_assignment")
    }
