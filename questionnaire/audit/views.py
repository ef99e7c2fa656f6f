"""The audit log for the secretariat: filter, read, export. Nothing here changes it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import col, or_, select

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.exports.formats import CSV_MIMETYPE, Column, Table, csv_bytes
from questionnaire.validators import parse_id

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 200


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _entries(limit: int | None) -> tuple[list[tuple[AuditEntry, User | None]], dict[str, str]]:
    args = {
        key: (request.args.get(key) or "").strip()
        for key in ("action", "object_type", "review", "actor", "address", "from", "to")
    }
    query = select(AuditEntry, User).join(User, col(User.id) == AuditEntry.actor_id, isouter=True)
    if args["action"]:
        query = query.where(col(AuditEntry.action).startswith(args["action"]))
    if args["object_type"]:
        query = query.where(AuditEntry.object_type == args["object_type"])
    if review_id := parse_id(args["review"]):
        query = query.where(AuditEntry.review_id == review_id)
    if args["actor"]:
        # The person who acted, or the e-mail address given in an authentication event.
        person = args["actor"].lower()
        query = query.where(
            or_(col(User.email).contains(person), col(AuditEntry.login_email).contains(person))
        )
    if args["address"]:
        query = query.where(AuditEntry.client_address == args["address"])
    if start := _date(args["from"]):
        query = query.where(AuditEntry.at >= datetime.combine(start, time.min, tzinfo=UTC))
    if end := _date(args["to"]):
        query = query.where(AuditEntry.at <= datetime.combine(end, time.max, tzinfo=UTC))
    query = query.order_by(col(AuditEntry.id).desc())
    if limit:
        query = query.limit(limit)
    return list(db.session().exec(query).all()), args


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    rows, args = _entries(PAGE_SIZE)
    return render_template("audit/index.html", rows=rows, args=args, page_size=PAGE_SIZE)


#: The export's columns: (header, width). Headers stay in English: scripts read them.
EXPORT_COLUMNS = (
    ("id", 8),
    ("at", 26),
    ("actor", 30),
    ("action", 24),
    ("object_type", 16),
    ("object_id", 12),
    ("review_id", 10),
    ("before", 40),
    ("after", 40),
    ("reason", 40),
    ("login_email", 30),
    ("client_address", 20),
)


@bp.get("/export.csv")
@secretariat_required
def export() -> ResponseReturnValue:
    """The filtered log as CSV; every cell is escaped as the other exports' cells are."""
    rows, _args = _entries(None)
    table = Table(
        name="audit",
        columns=[Column(header, width) for header, width in EXPORT_COLUMNS],
        rows=[
            [
                entry.id,
                entry.at.isoformat(),
                user.email if user else "",
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.review_id or "",
                json.dumps(entry.before, ensure_ascii=False),
                json.dumps(entry.after, ensure_ascii=False),
                entry.reason or "",
                entry.login_email or "",
                entry.client_address or "",
            ]
            for entry, user in rows
        ],
    )
    return Response(
        csv_bytes(table),
        mimetype=CSV_MIMETYPE,
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
