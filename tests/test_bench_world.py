"""The scale benchmarks' world builder (bench/world.py) at a tiny size, so that it cannot rot
while the services it goes through change: a dozen States on SQLite, in seconds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command as alembic_command
from flask import Flask
from sqlmodel import Session, col, select

from bench.world import WorldSize, build_world
from bench.world_lists import crp_request
from questionnaire import create_app
from questionnaire import db as database
from questionnaire.analysis.services import consolidate
from questionnaire.banks.models import BankVersion
from questionnaire.documents.crp import build_snapshot
from questionnaire.reviews.models import Review, ReviewAssignment
from questionnaire.workspace.models import ListOfObservations

STATES = 12


@pytest.fixture
def world_app(tmp_path: Path) -> Iterator[Flask]:
    """An application on its own migrated SQLite file (the world fills every table)."""
    os.environ.setdefault("SECRET_KEY", "bench-world-test")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'world.sqlite3'}",
            "SECRET_KEY": "bench-world-test",
            "RATELIMIT_ENABLED": False,
            "OUTBOX_DELIVER_AFTER_COMMIT": False,
        },
        check_schema=False,
    )
    alembic_command.upgrade(database.alembic_config(app), "head")
    yield app
    database.get_engine(app).dispose()


def test_a_tiny_world_has_every_part_the_scale_benchmarks_measure(world_app: Flask) -> None:
    size = WorldSize(STATES)
    with world_app.app_context():
        world = build_world(world_app, size, draw_rehearsals=1)
        with Session(database.get_engine(world_app)) as db:
            phase_reviews = db.exec(select(Review).where(Review.phase_id == world.phase_id)).all()
            assert len({r.state_code for r in phase_reviews}) == size.phase_states
            seats = db.exec(
                select(ReviewAssignment).where(
                    col(ReviewAssignment.review_id).in_([r.id for r in phase_reviews])
                )
            ).all()
            assert len(seats) == 2 * len(phase_reviews)  # one drawn once, the rehearsal undone
            lists = db.exec(
                select(ListOfObservations.status).where(
                    col(ListOfObservations.review_id).in_(world.list_review_ids)
                )
            ).all()
            assert lists == ["final"] * size.list_states
            version = db.get(BankVersion, world.consolidated_version_id)
            assert version is not None and version.instrument == "UNTOC"
            analysis = consolidate(db, version, include_confidential=False)
            assert analysis.state_count == world.consolidated_states >= STATES - 1
            snapshot = build_snapshot(db, crp_request(world.list_review_ids))
            assert len(snapshot["states"]) == size.list_states
    assert len(world.states) == STATES
    assert len(world.draw_ms) == 2
    # Every answer of the earlier cycle has its history: more revisions than answers.
    assert world.counts["earlier_revisions"] > world.counts["earlier_answers"] > 1000
    assert world.counts["revisions"] > world.counts["answers"]
    assert world.counts["observations"] > 0
