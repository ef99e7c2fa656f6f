"""The audit log for the secretariat: filter, read, export. Nothing here changes it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import col, or_, select

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.audit_log.sentences import KINDS, changes, review_label, sentence, state_label
from questionnaire.banks.models import BankVersion
from questionnaire.downloads import download
from questionnaire.exports.formats import CSV_MIMETYPE, Column, Table, csv_bytes
from questionnaire.i18n import current_language
from questionnaire.reference.names import collation_key
from questionnaire.reviews.models import Review
from questionnaire.validators import parse_id

# The blueprint, its URLs and its templates (audit/) keep the name the secretariat knows.
bp = Blueprint("audit_log", __name__, url_prefix="/audit-log")
PAGE_SIZE = 50
#: The filters the page and the export take, from the query string.
FILTERS = (
    "action",
    "object_type",
    "review",
    "person",
    "state",
    "actor",
    "address",
    "from",
    "to",
)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(query: Any, args: dict[str, str]) -> Any:
    """`query` narrowed by the filters given."""
    if args["action"]:
        query = query.where(col(AuditEntry.action).startswith(args["action"]))
    if args["object_type"]:
        query = query.where(AuditEntry.object_type == args["object_type"])
    if review_id := parse_id(args["review"]):
        query = query.where(AuditEntry.review_id == review_id)
    if person_id := parse_id(args["person"]):
        query = query.where(AuditEntry.actor_id == person_id)
    if args["state"]:
        of_state = select(Review.id).where(Review.state_code == args["state"].upper())
        query = query.where(col(AuditEntry.review_id).in_(of_state))
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
    return query


def _entries(
    limit: int | None, offset: int = 0
) -> tuple[list[tuple[AuditEntry, User | None]], dict[str, str]]:
    args = {key: (request.args.get(key) or "").strip() for key in FILTERS}
    query = select(AuditEntry, User).join(User, col(User.id) == AuditEntry.actor_id, isouter=True)
    query = _filtered(query, args).order_by(col(AuditEntry.id).desc())
    if limit:
        query = query.limit(limit).offset(offset)
    return list(db.session().exec(query).all()), args


def _reviews() -> dict[int, tuple[str, str]]:
    """Every review: id -> (State code, instrument)."""
    rows = db.session().exec(
        select(Review.id, Review.state_code, BankVersion.instrument).join(
            BankVersion, col(BankVersion.id) == Review.bank_version_id
        )
    )
    return {review_id or 0: (state, instrument) for review_id, state, instrument in rows}


def _choices(
    reviews: dict[int, tuple[str, str]], language: str
) -> dict[str, list[tuple[str, str]]]:
    """The lists the filters choose from: people who acted, States and reviews in the log,
    kinds of action."""
    session = db.session()
    actors = select(AuditEntry.actor_id).distinct()
    people = session.exec(select(User).where(col(User.id).in_(actors))).all()
    in_log = set(session.exec(select(AuditEntry.review_id).distinct()).all())
    logged = {rid: reviews[rid] for rid in in_log if rid in reviews}
    states = {code for code, _instrument in logged.values()}
    return {
        "person": sorted(
            ((str(u.id), u.full_name or u.email) for u in people),
            key=lambda c: collation_key(c[1]),
        ),
        "state": sorted(
            ((code, state_label(code, language)) for code in states),
            key=lambda c: collation_key(c[1]),
        ),
        "review": sorted(
            ((str(rid), review_label(s, i, language)) for rid, (s, i) in logged.items()),
            key=lambda c: collation_key(c[1]),
        ),
        "action": [(prefix, str(label)) for prefix, label in KINDS.items()],
    }


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    page = max(parse_id(request.args.get("page", "")) or 1, 1)
    rows, args = _entries(PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    language = current_language()
    reviews = _reviews()
    shown = rows[:PAGE_SIZE]
    return render_template(
        "audit_log/index.html",
        rows=[(e, u, sentence(e, u, reviews, language), changes(e)) for e, u in shown],
        args=args,
        choices=_choices(reviews, language),
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        page_size=PAGE_SIZE,
    )


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
    return download(csv_bytes(table), CSV_MIMETYPE, "audit-log.csv")
