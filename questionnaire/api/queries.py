"""Read-only questions the API answers: published bank versions, the status of reviews, and
the States with their names and participation."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from questionnaire.banks.models import BankVersion
from questionnaire.dashboard.queries import DashboardFilters, dashboard
from questionnaire.exports.documents import iso_utc
from questionnaire.reference.models import Participation, State
from questionnaire.reference.names import UN_LANGUAGES, names_of, state_name
from questionnaire.reference.services import INSTRUMENT_CODES
from questionnaire.reviews.deadlines import Deadlines

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


def _participation(row: Participation, on: date) -> dict[str, Any]:
    return {
        "instrument": row.instrument,
        "signed_on": row.signed_on.isoformat() if row.signed_on else None,
        "consent_kind": row.consent_kind,
        "consent_on": row.consent_on.isoformat() if row.consent_on else None,
        "in_force_on": row.in_force_on.isoformat() if row.in_force_on else None,
        "is_party": row.is_party_on(on),
        "is_demo": row.is_demo,
        "source": row.source,
    }


def states(db: Session, on: date) -> list[dict[str, Any]]:
    """Every State with its UN names, regional group and participation, party as at `on`."""
    rows: dict[str, list[Participation]] = {}
    for row in db.exec(select(Participation)):
        rows.setdefault(row.state_code, []).append(row)
    found = []
    for state in db.exec(select(State).order_by(col(State.code))):
        entry = names_of(state.code)
        participation = sorted(
            rows.get(state.code, []), key=lambda r: INSTRUMENT_CODES.index(r.instrument)
        )
        found.append(
            {
                "code": state.code,
                "iso2": state.iso2,
                "names": {lang: state_name(state, lang) for lang in UN_LANGUAGES},
                "unverified_names": sorted(entry.unverified) if entry else [],
                "regional_group": None if state.regional_group == "none" else state.regional_group,
                "participation": [_participation(row, on) for row in participation],
            }
        )
    return found
