"""A recorded bank version as a JSON document: the JSON export and the API give the same."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for

from questionnaire.banks.models import BankVersion


def iso_utc(moment: datetime | None) -> str | None:
    """A UTC timestamp in ISO 8601 (SQLite gives them back without their time zone)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def bank_version_summary(version: BankVersion) -> dict[str, Any]:
    """What identifies a bank version, with the addresses where it can be read."""
    where = {"instrument": version.instrument, "cluster": version.cluster}
    links = {"json": url_for("exports.bank_json", bank_version_id=version.id)}
    if version.status == "published":
        for name, endpoint in (("api", "api.bank"), ("html", "banks.show")):
            links[name] = url_for(endpoint, version=version.version, **where)  # type: ignore[arg-type]
    return {
        "id": version.id,
        **where,
        "version": version.version,
        "status": version.status,
        "sha256": version.sha256,
        "question_count": version.question_count,
        "title": version.content.get("title", {}),
        "loaded_at": iso_utc(version.loaded_at),
        "links": links,
    }


def bank_version_document(version: BankVersion) -> dict[str, Any]:
    """The summary and the whole run-time bank (sections, questions, options, conditions)."""
    return {**bank_version_summary(version), "bank": version.content}
