"""The `questionnaire` command line, driven through click's test runner, and the schema guard.

The commands live on the `cli` group of `questionnaire.cli`, not on `app.cli`; the Flask test
runner invokes that group with a `ScriptInfo` that loads the app under test, so the commands run
against the test database (and, inside the `db` fixture, in its session).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command as alembic_command
from alembic.script import ScriptDirectory
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import inspect
from sqlmodel import Session, select

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import discover_bank_files
from questionnaire.cli import cli
from questionnaire.reference.services import read_states
from tests.conftest import BANKS_DIR

TIP_I = BANKS_DIR / "TIP" / "I"
CORE_TABLES = {"state", "bank_version", "review"}


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    # FlaskGroup sets FLASK_RUN_FROM_CLI on every invocation; monkeypatch removes it after.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def invoke(runner: FlaskCliRunner, *args: str | Path) -> Result:
    return runner.invoke(cli, [str(arg) for arg in args])


def head_revision(app: Flask) -> str:
    head = ScriptDirectory.from_config(database.alembic_config(app)).get_current_head()
    assert head is not None
    return head


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    """An SQLite database file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


@pytest.fixture
def fresh_app(fresh_url: str) -> Iterator[Flask]:
    """An app on an empty database, built the way the CLI builds it (no schema check)."""
    app = create_app({"TESTING": True, "DATABASE_URL": fresh_url}, check_schema=False)
    yield app
    database.get_engine(app).dispose()


def table_names(app: Flask) -> set[str]:
    return set(inspect(database.get_engine(app)).get_table_names())


# --- banks ----------------------------------------------------------------------------------


def test_banks_validate_prints_ok_for_every_shipped_bank(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "banks", "validate", BANKS_DIR)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    banks = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert [line.split(":")[0] for line in banks] == [
        f"ok {path}" for path in discover_bank_files(BANKS_DIR)
    ]
    assert f"ok {TIP_I / 'v2.yaml'}: 3 sections, 44 questions, languages en, fr" in result.stdout
    # Under each bank, its coverage per language: French complete, the general sections in
    # the four other languages, unreviewed.
    coverage = result.stdout.split(f"ok {TIP_I / 'v2.yaml'}")[1].split("\nok ")[0]
    assert re.search(r"\n  fr (\d+)/\1 texts \(100 %\)", coverage), coverage
    for language in ("ar", "es", "ru", "zh"):
        assert re.search(rf"\n  {language} \d+/\d+ texts \(\d+ %\), \d+ unreviewed", coverage)


def test_banks_validate_reports_the_problem_and_exits_1(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bank = tmp_path / "TIP" / "I" / "v1.yaml"
    bank.parent.mkdir(parents=True)
    text = (TIP_I / "v1.yaml").read_text(encoding="utf-8")
    bank.write_text(text.replace("schema_version: 1", "schema_version: 2"), encoding="utf-8")
    line = text.splitlines().index("schema_version: 1") + 1

    result = invoke(runner, "banks", "validate", bank)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bank}:{line}: schema_version: unknown schema_version 2: this application reads "
        "schema_version 1 (see docs/bank-format.md)",
        "1 of 1 bank files have problems",
    ]


def test_banks_diff_prints_what_changed_from_v1_to_v2(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "banks", "diff", TIP_I / "v1.yaml", TIP_I / "v2.yaml")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "added: TIP-3-6" in lines
    assert "removed: TIP-3-1 (replaced by TIP-3-6, TIP-3-7)" in lines
    assert "removed: TIP-3-3-examples" in lines
    assert "reworded: TIP-3-5 [en, fr]" in lines
    assert "replaces: TIP-3-7 <- TIP-3-1" in lines
    assert len(lines) == 22


def test_banks_diff_of_identical_files(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "banks", "diff", TIP_I / "v1.yaml", TIP_I / "v1.yaml")

    assert result.exit_code == 0
    assert result.stdout == "no differences in questions\n"


def test_banks_load_records_then_reports_nothing_new(runner: FlaskCliRunner, db: Session) -> None:
    count = len(discover_bank_files(BANKS_DIR))

    first = invoke(runner, "banks", "load", BANKS_DIR)

    assert first.exit_code == 0, first.output
    assert "recorded TIP I v1" in first.stdout.splitlines()
    assert "recorded TIP I v2" in first.stdout.splitlines()
    assert first.stdout.splitlines()[-1] == f"{count} recorded, 0 unchanged"
    assert len(db.exec(select(BankVersion)).all()) == count

    again = invoke(runner, "banks", "load", BANKS_DIR)

    assert again.exit_code == 0, again.output
    assert again.stdout == f"0 recorded, {count} unchanged\n"


def test_banks_load_refuses_an_invalid_batch(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    bank = tmp_path / "TIP" / "I" / "v2.yaml"
    bank.parent.mkdir(parents=True)
    bank.write_text("- not a bank\n", encoding="utf-8")

    result = invoke(runner, "banks", "load", TIP_I / "v1.yaml", bank)

    assert result.exit_code == 1
    assert result.stderr == (
        f"{bank}:1: a bank file must be a mapping of fields (schema_version, instrument, ...)\n"
    )
    assert db.exec(select(BankVersion)).all() == []


# --- reference data and database -------------------------------------------------------------


def test_states_load_prints_the_count(runner: FlaskCliRunner, db: Session) -> None:
    result = invoke(runner, "states", "load")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{len(read_states())} States loaded\n"


def test_states_load_reports_a_malformed_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    states = tmp_path / "states.yaml"
    states.write_text("states:\n  - {code: deu, iso2: DE, group: weog}\n", encoding="utf-8")

    result = invoke(runner, "states", "load", states)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {states}: states[0].code: expected a three-letter upper-case code\n"
    )


def test_db_current_prints_the_revision(runner: FlaskCliRunner, app: Flask) -> None:
    head = head_revision(app)

    result = invoke(runner, "db", "current")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"database: {head}; code: {head}\n"


def test_db_commands_migrate_a_fresh_database(
    fresh_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    runner = fresh_app.test_cli_runner()
    head = head_revision(fresh_app)

    before = invoke(runner, "db", "current")
    assert (before.exit_code, before.stdout) == (1, f"database: none; code: {head}\n")

    upgraded = invoke(runner, "db", "upgrade")
    assert (upgraded.exit_code, upgraded.stdout) == (0, f"database at revision {head}\n")
    assert table_names(fresh_app) >= CORE_TABLES

    downgraded = invoke(runner, "db", "downgrade", "base")
    assert (downgraded.exit_code, downgraded.stdout) == (0, "database at revision base\n")
    assert table_names(fresh_app) - {"alembic_version"} == set()


# --- the schema guard -----------------------------------------------------------------------


def test_create_app_refuses_an_unmigrated_database(fresh_url: str) -> None:
    with pytest.raises(database.SchemaNotCurrent) as raised:
        create_app({"DATABASE_URL": fresh_url})

    message = str(raised.value)
    assert "is empty (no migrations applied)" in message
    assert "Run `questionnaire db upgrade`." in message


def test_upgrade_downgrade_upgrade_on_sqlite(fresh_app: Flask, fresh_url: str) -> None:
    config = database.alembic_config(fresh_app)
    head = head_revision(fresh_app)

    alembic_command.upgrade(config, "head")
    assert database.schema_status(fresh_app) == (head, head)
    assert table_names(fresh_app) >= CORE_TABLES

    alembic_command.downgrade(config, "base")
    assert database.schema_status(fresh_app) == (None, head)
    assert table_names(fresh_app) - {"alembic_version"} == set()
    with pytest.raises(database.SchemaNotCurrent):
        database.check_schema(fresh_app)

    alembic_command.upgrade(config, "head")
    assert database.schema_status(fresh_app) == (head, head)
    assert table_names(fresh_app) >= CORE_TABLES
    served = create_app({"DATABASE_URL": fresh_url})  # the guard now lets the app start
    database.get_engine(served).dispose()
