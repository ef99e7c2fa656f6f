"""Links in e-mails are built on PUBLIC_BASE_URL, never on the Host header of a request; in
production (neither debug nor testing) the application does not start without it, and the
demo of the Makefile sets it to its own address."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.cli import cli, main
from questionnaire.outbox.models import OutboxMessage

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _reset_mail(db: Session, email: str) -> str:
    db.rollback()  # what the requests committed since
    [message] = db.exec(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()
    return message.body


def test_without_a_public_address_links_never_take_the_host_header(
    test_config: dict[str, object], db: Session, make_user: Callable[..., User]
) -> None:
    config = {**test_config, "PUBLIC_BASE_URL": None, "SERVER_NAME": None}
    local = create_app(config, check_schema=False)
    try:
        user = make_user("GHA")
        client = local.test_client()
        client.post(
            "/password/reset", data={"email": user.email}, headers={"Host": "attacker.example"}
        )
        body = _reset_mail(db, user.email)
        assert "attacker.example" not in body
        assert "http://127.0.0.1:5000/password/reset/" in body
    finally:
        database.get_engine(local).dispose()


def test_a_configured_public_address_is_used_with_its_path(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://review.example.org/untoc/")
    user = make_user("GHA")
    client.post(
        "/password/reset",
        data={"email": user.email},
        headers={"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"},
    )
    body = _reset_mail(db, user.email)
    assert "https://review.example.org/untoc/password/reset/" in body
    assert "attacker.example" not in body


@pytest.mark.parametrize(
    "overrides",
    [
        {"TESTING": False, "DEBUG": False},
        {"TESTING": True, "MAIL_SERVER": "smtp.example.org"},
    ],
)
def test_production_does_not_start_without_a_public_address(
    test_config: dict[str, object], overrides: dict[str, object]
) -> None:
    config = {**test_config, "PUBLIC_BASE_URL": None, **overrides}
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(config, check_schema=False)


@pytest.mark.parametrize("mode", ["TESTING", "DEBUG"])
def test_debug_and_testing_start_without_a_public_address(
    test_config: dict[str, object], mode: str
) -> None:
    config = {**test_config, "PUBLIC_BASE_URL": None, "TESTING": False, mode: True}
    local = create_app(config, check_schema=False)
    assert local.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    database.get_engine(local).dispose()


def test_production_starts_with_a_public_address(test_config: dict[str, object]) -> None:
    config = {**test_config, "PUBLIC_BASE_URL": "https://review.example.org", "TESTING": False}
    local = create_app(config, check_schema=False)
    assert local.config["PUBLIC_BASE_URL"] == "https://review.example.org"
    database.get_engine(local).dispose()


def test_the_demo_sets_the_public_address_to_its_own() -> None:
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", "HOST=0.0.0.0", "PORT=8123"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    lines = done.stdout.replace("\\\n", " ").splitlines()  # continued lines joined
    commands = [line for line in lines if "bin/questionnaire" in line]
    assert [c for c in commands if " demo" in c or " serve" in c or " db upgrade" in c]
    for command in commands:
        assert "PUBLIC_BASE_URL=http://0.0.0.0:8123" in command, command


def _command(tmp_path: Path, *args: str) -> Result:
    """The `questionnaire` command in production mode, without PUBLIC_BASE_URL, run in this
    process (the entry point itself is run by the test of a command that refuses)."""
    env = {
        "PUBLIC_BASE_URL": None,
        "MAIL_SERVER": None,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    return CliRunner().invoke(cli, args, env=env, prog_name="questionnaire")


def test_commands_that_write_no_link_run_without_a_public_address(tmp_path: Path) -> None:
    upgraded = _command(tmp_path, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    validated = _command(tmp_path, "banks", "validate")
    assert validated.exit_code == 0, validated.stderr


def test_a_command_that_writes_a_link_refuses_with_the_reason_and_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgraded = _command(tmp_path, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["questionnaire", "demo"])
    # The installed `questionnaire` command is this function, which turns the refusal into a
    # message: run in this process rather than started as one (a second or two of imports).
    assert tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"] == {
        "questionnaire": "questionnaire.cli:main"
    }

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    stderr = capsys.readouterr().err
    assert "Error: Set PUBLIC_BASE_URL" in stderr and "Traceback" not in stderr
    with sqlite3.connect(tmp_path / "cli.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM user_account").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM bank_version").fetchone() == (0,)
