"""The secretariat's consolidated analysis of a questionnaire: web page, PDF and XLSX.

`?confidential=1` gives the secretariat-only version, which counts confidential answers; every
page and format of that version carries the label saying it must never be published.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_percent
from flask_babel import gettext as _

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.analysis import services
from questionnaire.analysis.export import XLSX_MIMETYPE, analysis_workbook, localized
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.db import utcnow
from questionnaire.i18n import current_language
from questionnaire.publishing.pdf import render_pdf
from questionnaire.templating import section_title

bp = Blueprint("analysis", __name__, url_prefix="/analysis")


@dataclass(frozen=True)
class AnalysisPage:
    """What every format of the analysis shows: the figures and their localized headings."""

    analysis: services.Analysis
    title: str
    section_titles: dict[str, str]
    confidential_label: str | None
    file_stem: str


def share_text(share: float | None) -> str:
    """A share as a percentage in the reader's language; a dash when nobody answered."""
    return "–" if share is None else format_percent(share)


def _load(bank_version_id: int) -> AnalysisPage:
    session = db.session()
    version = session.get(BankVersion, bank_version_id)
    if version is None:
        abort(404)
    include_confidential = request.args.get("confidential") == "1"
    analysis = services.consolidate(
        session, version, include_confidential=include_confidential, language=current_language()
    )
    bank = bank_of(version)
    title = _(
        "Consolidated analysis: %(title)s (%(instrument)s, cluster %(cluster)s, version "
        "%(version)d)",
        title=localized(bank.title),
        instrument=bank.instrument,
        cluster=bank.cluster,
        version=bank.version,
    )
    stem = f"analysis-{bank.instrument}-{bank.cluster}-v{bank.version}"
    return AnalysisPage(
        analysis=analysis,
        title=title,
        section_titles={s.key: section_title(bank, s) for s in bank.sections},
        confidential_label=_("Includes confidential answers — secretariat only, never publish")
        if include_confidential
        else None,
        file_stem=f"{stem}-confidential" if include_confidential else stem,
    )


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    versions = services.submissions_by_version(db.session())
    return render_template("analysis/index.html", versions=versions)


@bp.get("/<int:bank_version_id>")
@secretariat_required
def show(bank_version_id: int) -> ResponseReturnValue:
    page = _load(bank_version_id)
    return render_template("analysis/show.html", page=page, share_text=share_text)


@bp.get("/<int:bank_version_id>.pdf")
@secretariat_required
def pdf(bank_version_id: int) -> ResponseReturnValue:
    page = _load(bank_version_id)
    content = render_pdf(
        "analysis/document.html",
        title=page.title,
        language=current_language(),
        page=page,
        share_text=share_text,
        generated_at=utcnow(),
    )
    return _download(content, "application/pdf", f"{page.file_stem}.pdf")


@bp.get("/<int:bank_version_id>.xlsx")
@secretariat_required
def xlsx(bank_version_id: int) -> ResponseReturnValue:
    page = _load(bank_version_id)
    content = analysis_workbook(
        page.analysis,
        title=page.title,
        section_titles=page.section_titles,
        label=page.confidential_label,
    )
    return _download(content, XLSX_MIMETYPE, f"{page.file_stem}.xlsx")


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
