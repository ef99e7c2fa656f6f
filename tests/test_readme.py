"""The README stays true: its command table names every command of `questionnaire`, and its
configuration table every setting that config.py reads from the environment."""

from __future__ import annotations

import re

import click
from flask.cli import FlaskGroup

from questionnaire.cli import cli
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CONFIG = (PROJECT_ROOT / "questionnaire" / "config.py").read_text(encoding="utf-8")
#: Flask's own commands, described by the Flask documentation rather than by the README.
FLASK_COMMANDS = {"shell", "routes"}


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    if isinstance(group, FlaskGroup):
        # Commands of installed extensions (Flask-Limiter's `limiter`) come from entry points,
        # which FlaskGroup loads the first time it lists its commands.
        group._load_plugin_commands()
    names = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names += _commands(command, f"{path} ")
        else:
            names.append(path)
    return names


def test_every_command_is_in_the_readme_command_table() -> None:
    table = "\n".join(row.split(" | ")[0] for row in _table_rows(_section("Command line")))
    missing = [
        command
        for command in _commands(cli)
        if command.split()[0] not in FLASK_COMMANDS
        and not re.search(rf"`(questionnaire )?{re.escape(command)}\b", table)
    ]
    assert not missing, f"commands missing from the README's command table: {missing}"


def test_every_command_named_in_the_readme_exists() -> None:
    known = set(_commands(cli))
    groups = {command.split()[0] for command in known}
    table = "\n".join(row.split(" | ")[0] for row in _table_rows(_section("Command line")))
    named = re.findall(r"`questionnaire ([a-z-]+)(?: ([a-z-]+))?", table)
    unknown = [
        " ".join(filter(None, words))
        for words in named
        if " ".join(filter(None, words)) not in known
        and not (words[0] in groups and not words[1])
        and words[0] not in known
    ]
    assert not unknown, f"the README names commands that do not exist: {unknown}"


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    read = set(re.findall(r'(?:_int|_bool|_list|os\.environ\.get)\(\s*"([A-Z_]+)"', CONFIG))
    table = "\n".join(row.split(" | ")[0] for row in _table_rows(_section("Configuration")))
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", table))
    assert read - documented == set(), "settings missing from the README's configuration table"
    assert documented - read == set(), "the README documents settings that config.py never reads"


def test_the_readme_says_how_make_run_is_addressed() -> None:
    assert "HOST" in _section("The two commands") and "PORT" in _section("The two commands")
