"""`questionnaire outbox send` and `questionnaire reminders send`, for cron."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from questionnaire import db
from questionnaire.notifications.reminders import DEFAULT_DAYS, send_reminders
from questionnaire.outbox import services
from questionnaire.reviews.deadlines import Deadlines


@click.group("outbox")
def outbox_group() -> None:
    """E-mails waiting to be sent."""


@outbox_group.command("send")
@click.option("--limit", default=500, show_default=True, type=int, help="at most this many")
@with_appcontext
def outbox_send(limit: int) -> None:
    """Send the e-mails that are due (new, or waiting to be tried again)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with db.standalone_session(app) as session:
        result = services.deliver(session, app, limit)
    click.echo(f"{result.sent} sent, {result.failed} failed (tried again later)")


@click.group("reminders")
def reminders_group() -> None:
    """Deadline reminders."""


def run_reminders(app: Flask, today: date, days: tuple[int, ...] = DEFAULT_DAYS) -> list[str]:
    """Send today's reminders in their own transaction; one line per reminder sent."""
    with db.standalone_session(app) as session:
        run = send_reminders(session, today, days=days, deadlines=Deadlines.configured())
    return [f"{key} ({mark}): {count} recipients" for key, mark, count in run.sent]


@reminders_group.command("send")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="the date to compute from (default: today)",
)
@click.option(
    "--days", default="14,7,1", show_default=True, help="days before a deadline to remind at"
)
@with_appcontext
def reminders_send(today: object, days: str) -> None:
    """Queue the deadline reminders due today; a reminder already sent is not sent again."""
    try:
        thresholds = tuple(sorted({int(d) for d in days.split(",") if d.strip()}, reverse=True))
    except ValueError as exc:
        raise click.BadParameter(f"--days takes whole numbers separated by commas: {days}") from exc
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    lines = run_reminders(app, day, thresholds)
    for line in lines:
        click.echo(line)
    click.echo(f"{len(lines)} reminders sent")
