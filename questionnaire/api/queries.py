"""Read-only questions the API answers: published bank versions and the status of reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from questionnaire.banks.models import BankVersion
from questionnaire.exports.documents import iso_utc
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.queries import DashboardFilters, dashboard

PUBLISHED = "published"


def published_versions(db: Session) -> list[BankVersion]:
    """Every published bank version, by instrument, cluster and version."""
    return list(
        db.exec(
            select(BankVersion)
            .where(BankVersion.status == PUBLISHED)
            .order_by(
                col(BankVersion.instrument), col(BankVersion.cluster), col(BankVersion.version)
            )
        )
    )


def published_version(
    db: Session, instrument: str, cluster: str, version: int
) -> BankVersion | None:
    return db.exec(
        select(BankVersion).where(
            BankVersion.instrument == instrument,
            BankVersion.cluster == cluster,
            BankVersion.version == version,
            BankVersion.status == PUBLISHED,
        )
    ).first()


def review_statuses(
    db: Session, filters: DashboardFilters, deadlines: Deadlines, today: date
) -> list[dict[str, Any]]:
    """The secretariat's dashboard as plain data: one entry per review."""
    rows = dashboard(db, filters, deadlines, today)
    version_ids = {row.review.bank_version_id for row in rows}
    versions = {
        v.id: v for v in db.exec(select(BankVersion).where(col(BankVersion.id).in_(version_ids)))
    }
    result = []
    for row in rows:
        review, version = row.review, versions[row.review.bank_version_id]
        result.append(
            {
                "id": review.id,
                "state": {"code": row.state.code, "name": row.state.name_en},
                "instrument": row.instrument,
                "cluster": version.cluster,
                "bank_version": {"id": version.id, "version": version.version},
                "phase": row.phase_name,
                "status": review.status,
                "started_on": review.started_on.isoformat(),
                "answers_due_on": review.answers_due_on.isoformat(),
                "submitted_at": iso_utc(review.submitted_at),
                "list_status": row.list_status or None,
                "reviewing_states": list(row.reviewers),
                "overdue": list(row.overdue),
            }
        )
    return result
