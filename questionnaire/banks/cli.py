"""`questionnaire banks ...`: validate, load, compare, confirm translations, XLSForm."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.banks import services as bank_services
from questionnaire.banks import translations as bank_translations
from questionnaire.banks import xlsform
from questionnaire.banks.diff import diff_banks
from questionnaire.banks.schema import CLUSTERS, INSTRUMENTS
from questionnaire.banks.translations import TARGET_LANGUAGES
from questionnaire.banks.validation import validate_file


def _bank_paths(paths: tuple[Path, ...]) -> list[Path]:
    roots = list(paths) or [Path(current_app.config["QUESTION_BANKS_DIR"])]
    found: list[Path] = []
    for root in roots:
        found.extend(bank_services.discover_bank_files(root) if root.is_dir() else [root])
    return found


@click.group("banks")
def banks_group() -> None:
    """Question banks: validate, load, compare."""


@banks_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def banks_validate(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: every shipped bank); exit 1 on any problem."""
    files = _bank_paths(paths)
    if not files:
        raise click.ClickException("no bank files found")
    failed = 0
    for result in bank_services.validate_files(files):
        if result.problems:
            failed += 1
            for problem in result.problems:
                click.echo(str(problem), err=True)
            continue
        assert result.bank is not None
        click.echo(
            f"ok {result.path}: {len(result.bank.sections)} sections, "
            f"{len(result.bank.questions)} questions, languages {', '.join(result.bank.languages)}"
        )
        for found in result.languages.values():
            click.echo(f"  {found.line()}")
            for text_id in found.stale:
                click.echo(f"    stale: {text_id}")
    if failed:
        click.echo(f"{failed} of {len(files)} bank files have problems", err=True)
        sys.exit(1)


@banks_group.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def banks_load(paths: tuple[Path, ...]) -> None:
    """Record bank versions in the database (all or nothing)."""
    session = db.session()
    try:
        report = bank_services.load_banks(session, _bank_paths(paths))
    except bank_services.BankLoadError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    session.commit()
    for version in report.added:
        click.echo(f"recorded {version.instrument} {version.cluster} v{version.version}")
    for version in report.retranslated:
        click.echo(
            f"translations updated {version.instrument} {version.cluster} v{version.version}"
        )
    click.echo(f"{len(report.added)} recorded, {len(report.unchanged)} unchanged")


@banks_group.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def banks_diff(old: Path, new: Path) -> None:
    """List what changed from bank file OLD to bank file NEW."""
    results = [validate_file(old), validate_file(new)]
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
    if results[0].bank is None or results[1].bank is None:
        sys.exit(1)
    diff = diff_banks(results[0].bank, results[1].bank)
    for line in diff.lines() or ["no differences in questions"]:
        click.echo(line)
    for found in results[1].languages.values():
        for text_id in found.stale:
            click.echo(f"stale: {text_id} [{found.language}]")


@banks_group.command("confirm-translations")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--language", required=True, type=click.Choice(TARGET_LANGUAGES))
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="ID",
    help="a text id (TIP-5-1.text, general.title) or a question key (all its texts); repeat",
)
@click.option("--all", "confirm_all", is_flag=True, help="every text in the language")
@click.option(
    "--unreviewed", is_flag=True, help="record the texts as not yet checked by a translator"
)
@with_appcontext
def banks_confirm_translations(
    paths: tuple[Path, ...],
    language: str,
    keys: tuple[str, ...],
    confirm_all: bool,
    unreviewed: bool,
) -> None:
    """Record that the LANGUAGE texts of bank files are translations of their English as it
    now stands (a translator has checked them): stale texts become current again."""
    if bool(keys) == confirm_all:
        raise click.UsageError("give --key ID (repeatable) or --all")
    for path in _bank_paths(paths):
        try:
            done = bank_translations.confirm_file(
                path, language, set(keys) if keys else None, reviewed=not unreviewed
            )
        except bank_translations.ConfirmError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"{path}: {language}: {len(done.confirmed)} texts confirmed"
            f" ({len(done.were_stale)} were stale), {len(done.dropped)} dropped"
        )


@banks_group.command("import-xlsform")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--instrument", required=True, type=click.Choice(INSTRUMENTS))
@click.option("--cluster", required=True, type=click.Choice(CLUSTERS))
@click.option("--version", "version", required=True, type=click.IntRange(min=1))
@click.option(
    "--status", default="draft", show_default=True, type=click.Choice(["draft", "published"])
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="the bank file to write "
    "(default: <INSTRUMENT>/<CLUSTER>/v<VERSION>.yaml in the question banks)",
)
@click.option("--overwrite", is_flag=True, help="replace the bank file if it exists")
@click.option(
    "--title",
    "titles",
    multiple=True,
    metavar="LANG=TEXT",
    help="the bank's title in a language (e.g. fr=...), where the form's settings have no "
    "form_title::<Language> (xx) column, or to override it; repeat for each language",
)
@with_appcontext
def banks_import_xlsform(
    source: Path,
    instrument: str,
    cluster: str,
    version: int,
    status: str,
    out: Path | None,
    overwrite: bool,
    titles: tuple[str, ...],
) -> None:
    """Turn the XLSForm SOURCE into a bank file; nothing is written on any problem.

    The conventions are described in questionnaire/banks/xlsform.py. `replaces` is checked
    against the earlier versions in the question banks directory.
    """
    banks_dir = Path(current_app.config["QUESTION_BANKS_DIR"])
    out = out or banks_dir / instrument / cluster / f"v{version}.yaml"
    if out.exists() and not overwrite:
        raise click.ClickException(f"{out} exists: choose another --version or --out")
    result = xlsform.import_xlsform(
        source,
        instrument=instrument,
        cluster=cluster,
        version=version,
        status=status,
        banks_dir=banks_dir,
        titles=xlsform.parse_titles(titles),
    )
    for line in result.skipped:
        click.echo(f"skipped {line}", err=True)
    for line in result.notes:
        click.echo(line, err=True)
    if result.bank is None:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(result.problems)} problems: nothing was written", err=True)
        sys.exit(1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.yaml_text, encoding="utf-8")
    click.echo(
        f"wrote {out}: {len(result.bank.sections)} sections, {len(result.bank.questions)} questions"
    )


@banks_group.command("export-xlsform")
@click.argument("bank_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def banks_export_xlsform(bank_file: Path, destination: Path) -> None:
    """Write the bank file BANK_FILE as the XLSForm DESTINATION (for ODK and KoboToolbox)."""
    result = validate_file(bank_file)
    if result.bank is None:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    xlsform.export_xlsform(result.bank, destination)
    click.echo(f"wrote {destination}: {len(result.bank.questions)} questions")
