"""`questionnaire reviews draw`: the drawing of lots of a phase from the command line, or its
dry run (what it would draw, nothing stored)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from questionnaire import db
from questionnaire.accounts.services import find_user
from questionnaire.errors import RuleViolation
from questionnaire.reviews import services
from questionnaire.reviews.draw import PROCEDURE_VERSION, DrawImpossible
from questionnaire.reviews.models import ReviewDraw, ReviewPhase


@click.group("reviews")
def reviews_group() -> None:
    """Review phases and their drawing of lots."""


def _document(phase: ReviewPhase, draw: ReviewDraw | services.PhaseLots) -> dict[str, Any]:
    """The JSON of a draw (stored) or of a dry run, as docs/drawing-of-lots.md describes it."""
    if isinstance(draw, ReviewDraw):
        stored, mutual, inputs, seats = True, draw.used_mutual_fallback, draw.inputs, draw.result
        version = draw.procedure_version
    else:
        stored, mutual, inputs = False, draw.outcome.used_mutual_fallback, draw.inputs(phase)
        seats, version = [asdict(seat) for seat in draw.outcome.seats], PROCEDURE_VERSION
    return {
        "phase": {"id": phase.id, "name": phase.name, "cluster": phase.cluster},
        "stored": stored,
        "seed": draw.seed,
        "seed_source": draw.seed_source,
        "procedure_version": version,
        "used_mutual_fallback": mutual,
        "inputs": inputs,
        "seats": seats,
    }


def _echo_text(document: dict[str, Any]) -> None:
    phase = document["phase"]
    verb = "Drew" if document["stored"] else "Would draw (dry run, nothing stored)"
    click.echo(f"{verb}: phase {phase['id']} ({phase['name']}), seed {document['seed']}")
    click.echo(f"  seed: {document['seed_source']}; procedure {document['procedure_version']}")
    if document["used_mutual_fallback"]:
        click.echo("  mutual pairs had to be allowed to complete the draw")
    for seat in document["seats"]:
        extra = " (additional)" if seat["is_additional"] else ""
        click.echo(
            f"  {seat['state_under_review']} {seat['instrument']:<5} {seat['seat']:<12} "
            f"{seat['reviewing_state']}{extra}"
        )


def _draw(
    session: Session, phase: ReviewPhase, dry_run: bool, seed: str | None, email: str | None
) -> dict[str, Any]:
    if dry_run:
        source = "given on the command line" if seed is not None else None
        return _document(phase, services.draw_lots_of_phase(session, phase, seed, source))
    if seed is not None:
        raise click.UsageError("a real draw takes no seed (the server draws it): use --dry-run")
    user = find_user(session, email or "")
    if user is None or not user.is_secretariat:
        raise click.UsageError("a real draw needs --user, the e-mail of a secretariat account")
    return _document(phase, services.draw_phase(session, phase, user))


@reviews_group.command("draw")
@click.argument("phase_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--dry-run", is_flag=True, help="print what would be drawn; store nothing")
@click.option("--seed", help="seed of a dry run (a real draw's seed is drawn by the server)")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option("--user", "email", help="e-mail of the secretariat member (a real draw)")
@with_appcontext
def reviews_draw(
    phase_id: int, dry_run: bool, seed: str | None, output: str, email: str | None
) -> None:
    """Draw the reviewing States of a phase, or with --dry-run show what a draw would give."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with db.standalone_session(app) as session:
        phase = session.get(ReviewPhase, phase_id)
        if phase is None:
            raise click.ClickException(f"there is no phase {phase_id}")
        try:
            document = _draw(session, phase, dry_run, seed, email)
        except (RuleViolation, DrawImpossible) as exc:
            raise click.ClickException(f"the lots could not be drawn: {exc}") from exc
    if output == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        _echo_text(document)
