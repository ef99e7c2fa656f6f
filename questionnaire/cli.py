"""The `questionnaire` command line: the Flask CLI group plus the project's commands."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from alembic import command as alembic_command
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from questionnaire import backup, create_app, db, demo
from questionnaire.accounts.emails import PublicAddressMissing
from questionnaire.accounts.services import find_user
from questionnaire.api import services as api_services
from questionnaire.api.models import ApiToken
from questionnaire.banks import services as bank_services
from questionnaire.banks import translations as bank_translations
from questionnaire.banks import xlsform
from questionnaire.banks.diff import diff_banks
from questionnaire.banks.schema import CLUSTERS, INSTRUMENTS
from questionnaire.banks.translations import TARGET_LANGUAGES
from questionnaire.banks.validation import validate_file
from questionnaire.errors import RuleViolation
from questionnaire.meetings.cli import meetings_group, publish_agenda, publish_status_note
from questionnaire.nominations import bulk as nominations_bulk
from questionnaire.notifications.cli import outbox_group, reminders_group
from questionnaire.publishing import services as publishing
from questionnaire.publishing.crp import DOCUMENT_LANGUAGES, CrpRequest
from questionnaire.reference import services as reference_services
from questionnaire.reference.cli import import_treaty_status, provisions_group
from questionnaire.reviews.cli import reviews_group


def _cli_app() -> Flask:
    # Commands such as `db upgrade` must run on an un-migrated database; those that write no
    # link in an e-mail (`banks validate`, `db upgrade`…) run without PUBLIC_BASE_URL.
    return create_app({"PUBLIC_BASE_URL_AT_START": False}, check_schema=False)


@click.group(cls=FlaskGroup, create_app=_cli_app, add_default_commands=False)
def cli() -> None:
    """Self-assessment questionnaires of the UNTOC review mechanism."""


cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(reviews_group)
cli.add_command(outbox_group)
cli.add_command(reminders_group)
cli.add_command(provisions_group)
cli.add_command(meetings_group)


# --- database -----------------------------------------------------------------------------


@cli.group("db")
def db_group() -> None:
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    alembic_command.upgrade(db.alembic_config(current_app), revision)
    current, _head = db.schema_status(current_app)
    click.echo(f"database at revision {current}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (`base` removes every table)."""
    alembic_command.downgrade(db.alembic_config(current_app), revision)
    current, _head = db.schema_status(current_app)
    click.echo(f"database at revision {current or 'base'}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's revision and the code's."""
    current, head = db.schema_status(current_app)
    click.echo(f"database: {current or 'none'}; code: {head}")
    if current != head:
        sys.exit(1)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration comparing the models with the database."""
    alembic_command.revision(
        db.alembic_config(current_app), message=message, autogenerate=autogenerate
    )


# --- question banks -------------------------------------------------------------------------


def _bank_paths(paths: tuple[Path, ...]) -> list[Path]:
    roots = list(paths) or [Path(current_app.config["QUESTION_BANKS_DIR"])]
    found: list[Path] = []
    for root in roots:
        found.extend(bank_services.discover_bank_files(root) if root.is_dir() else [root])
    return found


@cli.group("banks")
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


# --- API tokens -------------------------------------------------------------------------------


@cli.group("api-token")
def api_token_group() -> None:
    """Tokens of the read-only API, for secretariat members."""


@api_token_group.command("create")
@click.argument("name")
@click.option("--user", "email", required=True, help="e-mail of the secretariat member")
@with_appcontext
def api_token_create(name: str, email: str) -> None:
    """Create a token; it is printed once, on standard output, and never shown again."""
    session = db.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"there is no account {email}")
    try:
        token, secret = api_services.create_token(session, user, name)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"token {token.id} ({token.name}) for {user.email}, shown once:", err=True)
    click.echo(secret)


@api_token_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def api_token_revoke(token_id: int) -> None:
    """Refuse the token TOKEN_ID from now on."""
    session = db.session()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"there is no token {token_id}")
    try:
        api_services.revoke_token(session, token)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"token {token.id} ({token.name}) revoked")


@api_token_group.command("list")
@with_appcontext
def api_token_list() -> None:
    """Every token: id, name, member, created, last used, revoked."""
    for token, user in api_services.tokens(db.session()):
        used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "unused"
        revoked = f", revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else ""
        created = f"created {token.created_at:%Y-%m-%d}"
        click.echo(f"{token.id:>4}  {token.name}  {user.email}  {created}, {used}{revoked}")


# --- reference data and demo ------------------------------------------------------------


@cli.group("states")
def states_group() -> None:
    """States and the instruments they are party to."""


@states_group.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def states_load(path: Path | None) -> None:
    """Load the States file (default: the shipped reference data)."""
    session = db.session()
    try:
        count = reference_services.load_states(session, path or reference_services.STATES_FILE)
    except reference_services.StatesFileError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"{count} States loaded")


states_group.add_command(import_treaty_status)


@cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (idempotent) and print the demo logins."""
    _require_current_schema()
    session = db.session()
    logins = demo.load_demo(session, Path(current_app.config["QUESTION_BANKS_DIR"]))
    session.commit()
    click.echo(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {email:32} {role}")


@cli.group("nominations")
def nominations_group() -> None:
    """Nominations of people to reviews, from the States' notes verbales."""


@nominations_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "email", required=True, help="e-mail of the secretariat member recording")
@click.option("--dry-run", is_flag=True, help="check every row and show it; record nothing")
@with_appcontext
def nominations_import(path: Path, email: str, dry_run: bool) -> None:
    """Record the nominations of a CSV or XLSX file (docs/nominations.md): all or nothing."""
    _require_current_schema()
    session = db.session()
    actor = find_user(session, email)
    if actor is None or not actor.is_secretariat:
        raise click.ClickException(f"{email} is not a secretariat account")
    try:
        rows, problems = nominations_bulk.read_file(path.name, path.read_bytes())
    except nominations_bulk.ImportFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    report = nominations_bulk.ImportReport(problems=problems)
    if not problems:
        report = nominations_bulk.import_rows(session, rows, actor, save=not dry_run)
    for problem in report.problems:
        click.echo(
            f"{path}: row {problem.row}, column {problem.column}: {problem.message}", err=True
        )
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} problems: nothing was recorded")
    for p in report.planned:
        account = "new account, activation link queued" if p.is_new_account else "existing account"
        click.echo(
            f"row {p.row}: {p.full_name} <{p.email}>, {p.role} of {p.nominating_state} "
            f"for {p.state_under_review} ({p.reviews} review{'' if p.reviews == 1 else 's'}; "
            f"{account})"
        )
    if dry_run:
        click.echo(f"{len(report.planned)} nominations checked; nothing recorded (--dry-run)")
        return
    session.commit()
    click.echo(f"{len(report.planned)} nominations recorded")


@cli.group("publish")
def publish_group() -> None:
    """Documents for the working groups."""


publish_group.add_command(publish_agenda)
publish_group.add_command(publish_status_note)


@publish_group.command("crp")
@click.option(
    "--meeting", required=True, help="the meeting's agenda symbol, e.g. CTOC/COP/WG.7/2027/1"
)
@click.option("--item", required=True, help="the agenda item, e.g. '3 (b)'")
@click.option(
    "--symbol",
    default="",
    help="a CRP of the meeting's register (default: allocate the next CRP.n of its series)",
)
@click.option("--job-number", default="", help="e.g. V.27-01234, when the register has none")
@click.option(
    "--language",
    "languages",
    multiple=True,
    default=("en",),
    show_default=True,
    type=click.Choice(DOCUMENT_LANGUAGES),
)
@click.option("--date", "issued_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option(
    "--cutoff",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="only lists made final by this day, before the meeting, are included",
)
@click.option(
    "--review",
    "review_ids",
    multiple=True,
    type=int,
    required=True,
    help="a review whose list of observations is final (repeat for several)",
)
@click.option(
    "--withheld-note/--no-withheld-note",
    default=None,
    help="say where elements were withheld (default: PUBLISH_WITHHELD_NOTE)",
)
@click.option("--publish/--draft", "make_public", default=False, show_default=True)
@click.option("--user", "email", required=True, help="e-mail of the secretariat member")
@with_appcontext
def publish_crp(
    meeting: str,
    item: str,
    symbol: str,
    job_number: str,
    languages: tuple[str, ...],
    issued_on: datetime,
    cutoff: datetime,
    review_ids: tuple[int, ...],
    withheld_note: bool | None,
    make_public: bool,
    email: str,
) -> None:
    """Build, render and (with --publish) publish a meeting's conference room paper."""
    db_session = db.session()
    user = find_user(db_session, email)
    if user is None or not user.is_secretariat:
        raise click.ClickException(f"{email} is not a secretariat account")
    note = current_app.config["PUBLISH_WITHHELD_NOTE"] if withheld_note is None else withheld_note
    request = CrpRequest(
        meeting=meeting,
        item=item,
        symbol=symbol,
        language="",
        issued_on=issued_on.date(),
        cutoff=cutoff.date(),
        review_ids=review_ids,
        withheld_note=note,
    )
    try:
        created = publishing.prepare_crps(
            db_session, request, list(languages), job_number=job_number, user=user
        )
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from exc
    for publication in created:
        if publication.job_status != "done" and not publishing.render(db_session, publication):
            raise click.ClickException(f"rendering failed: {publication.job_error}")
        if make_public:
            try:
                publishing.publish(db_session, publication, user)
            except RuleViolation as exc:
                raise click.ClickException(str(exc)) from exc
        db_session.commit()
        click.echo(
            f"  {publication.symbol} [{publication.language}] revision {publication.revision}: "
            f"{publication.page_count} pages, {publication.status}"
        )


def _require_current_schema() -> None:
    try:
        db.check_schema(current_app)
    except db.SchemaNotCurrent as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_all_command(path: Path) -> None:
    """Write everything (without secrets) to a versioned JSON archive."""
    _require_current_schema()
    current, _head = db.schema_status(current_app)
    archive = backup.export_all(db.get_engine(current_app), current)
    backup.write_archive(path, archive)
    rows = sum(len(t["rows"]) for t in archive["tables"].values())
    click.echo(f"{rows} rows of {len(archive['tables'])} tables written to {path}")


@cli.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_all_command(path: Path) -> None:
    """Load an archive into an empty, migrated database (all or nothing)."""
    _require_current_schema()
    current, _head = db.schema_status(current_app)
    try:
        counts = backup.import_all(db.get_engine(current_app), backup.read_archive(path), current)
    except backup.ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{sum(counts.values())} rows imported into {len(counts)} tables")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the application with gunicorn (refuses an un-migrated database)."""
    from questionnaire.server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers)


def main() -> None:
    try:
        cli(prog_name="questionnaire")
    except PublicAddressMissing as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
