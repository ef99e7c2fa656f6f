"""export-all / import-all: a round trip gives back the same data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command as alembic_command
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from questionnaire import backup, create_app
from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.accounts import twofactor
from questionnaire.accounts.models import User
from questionnaire.api import services as api
from questionnaire.cli import cli


@pytest.fixture
def empty_database(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second, migrated, empty database of the same kind as the test database."""
    url = make_url(app.config["DATABASE_URL"])
    name = f"restore_{uuid.uuid4().hex[:8]}"
    if url.get_backend_name() == "postgresql":
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
    else:
        admin = None
        target = f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    other = create_app({"DATABASE_URL": target, "TESTING": True}, check_schema=False)
    alembic_command.upgrade(database.alembic_config(other), "head")
    yield other
    database.get_engine(other).dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _revision(app: Flask) -> str | None:
    return database.schema_status(app)[0]


def test_round_trip_keeps_every_row(app, db, demo, empty_database, tmp_path):
    # Rows that exist only as hashes of secrets: left out, and no obstacle to the import.
    secretariat = db.exec(select(User).where(col(User.is_secretariat))).first()
    assert secretariat is not None
    api.create_token(db, secretariat, "statistics")
    secretariat.totp_seed = "0" * 32
    twofactor._replace_recovery_codes(db, secretariat)
    db.commit()
    archive = backup.export_all(database.get_engine(app), _revision(app))
    path = tmp_path / "archive.json"
    backup.write_archive(path, archive)

    counts = backup.import_all(
        database.get_engine(empty_database), backup.read_archive(path), _revision(empty_database)
    )
    again = backup.export_all(database.get_engine(empty_database), _revision(empty_database))

    assert counts["answer"] > 0 and counts["review_assignment"] > 0
    assert again["tables"] == archive["tables"]
    # Secrets never leave the database.
    text_of_archive = path.read_text(encoding="utf-8")
    assert "password_hash" not in text_of_archive
    assert "$argon2" not in text_of_archive
    assert "totp_seed" not in text_of_archive
    assert not {"recovery_code", "api_token"} & set(archive["tables"])
    outbox = archive["tables"]["outbox_message"]
    assert outbox["rows"], "the demo queues e-mails"
    body = outbox["columns"].index("body")
    assert {row[body] for row in outbox["rows"]} == {"(not kept in archives)"}
    assert "/activate/" not in text_of_archive and "/password/reset/" not in text_of_archive
    # New rows continue after the imported ids (PostgreSQL sequences were moved on).
    with Session(database.get_engine(empty_database)) as restored:
        user = accounts.create_user(
            restored, email="new@gha.example", full_name="New", state_code="GHA", password=None
        )
        restored.commit()
        assert user.id is not None
        assert user.id > max(row[0] for row in archive["tables"]["user_account"]["rows"])
        assert restored.exec(select(User).where(User.email == "new@gha.example")).one()


def test_import_refuses_a_database_that_is_not_empty(app, db, demo, tmp_path):
    archive = backup.export_all(database.get_engine(app), _revision(app))
    with pytest.raises(backup.ArchiveError, match="not empty"):
        backup.import_all(database.get_engine(app), archive, _revision(app))


def test_import_refuses_another_schema_revision_and_writes_nothing(app, db, demo, empty_database):
    archive = backup.export_all(database.get_engine(app), _revision(app))
    archive["schema_revision"] = "0001"
    with pytest.raises(backup.ArchiveError, match="schema revision 0001"):
        backup.import_all(database.get_engine(empty_database), archive, _revision(empty_database))
    with database.get_engine(empty_database).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM review")).scalar() == 0


def test_an_archive_from_something_else_is_refused_with_its_name(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "spreadsheet"}), encoding="utf-8")
    with pytest.raises(backup.ArchiveError, match="not an archive of this application"):
        backup.read_archive(path)
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(backup.ArchiveError, match="not a readable JSON archive"):
        backup.read_archive(path)


def test_export_all_writes_an_archive_only_its_owner_can_read(app, db, demo, tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    fresh, existing = tmp_path / "fresh.json", tmp_path / "existing.json"
    existing.write_text("{}", encoding="utf-8")
    existing.chmod(0o644)
    previous = os.umask(0o022)
    try:
        for path in (fresh, existing):
            result = app.test_cli_runner().invoke(cli, ["export-all", str(path)])
            assert result.exit_code == 0, result.output
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert backup.read_archive(path)["tables"]["user_account"]["rows"]
    finally:
        os.umask(previous)
