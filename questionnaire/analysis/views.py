"""The consolidated analysis of a questionnaire: web page, PDF and XLSX.

The secretariat reads every version; `?confidential=1` gives its own version, which counts
confidential answers, and every page and format of that version carries the label saying it
must never be published. A State reads the analysis of a version to which it has submitted its
answers, never with confidential answers (reciprocity, `peers`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.analysis import peers, services
from questionnaire.analysis.export import XLSX_MIMETYPE, analysis_workbook, localized
from questionnaire.analysis.forms import NamingForm
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.banks.titles import section_title
from questionnaire.db import utcnow
from questionnaire.downloads import download
from questionnaire.i18n import current_language, isolated, left_to_right, localize
from questionnaire.pdf import render_pdf
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name

bp = Blueprint("analysis", __name__, url_prefix="/analysis")


@dataclass(frozen=True)
class AnalysisPage:
    """What every format of the analysis shows: the figures and their localized headings."""

    analysis: services.Analysis
    title: str
    section_titles: dict[str, str]
    confidential_label: str | None
    file_stem: str
    is_peer: bool  # read by a State, not by the secretariat


def share_text(share: float | None) -> str:
    """A share as a percentage in the reader's language; a dash when it is not shown."""
    return "–" if share is None else format_percent(share)


def _reader_state() -> str | None:
    """The State whose data the reader may compare with its peers' (None: the secretariat);
    a person of no State who is not the secretariat gets 404, as for every secretariat page."""
    if current_user.is_secretariat:
        return None
    if not current_user.state_code:
        abort(404)
    return str(current_user.state_code)


def _version_for(bank_version_id: int, reader_state: str | None) -> BankVersion:
    """The version, if it exists; a State that has not submitted to it gets the page saying
    why it cannot read the analysis yet (403)."""
    session = db.session()
    version = session.get(BankVersion, bank_version_id)
    if version is None:
        abort(404)
    if reader_state and not peers.submitted_review(session, reader_state, bank_version_id):
        page = render_template("analysis/closed.html", title=localized(bank_of(version).title))
        abort(Response(page, status=403))
    return version


def _load(bank_version_id: int) -> AnalysisPage:
    session = db.session()
    reader_state = _reader_state()
    version = _version_for(bank_version_id, reader_state)
    include_confidential = reader_state is None and request.args.get("confidential") == "1"
    analysis = services.consolidate(
        session,
        version,
        include_confidential=include_confidential,
        language=current_language(),
        min_states=int(current_app.config["ANALYSIS_MIN_STATES"]),
        named_states=peers.named_states(session, bank_version_id, reader_state)
        if reader_state
        else None,
    )
    bank = bank_of(version)
    # A title shown in English in an Arabic page or document stays whole, left to right.
    bank_title = localize({str(language): text for language, text in bank.title.items()})
    title = _(
        "Consolidated analysis: %(title)s (%(instrument)s, cluster %(cluster)s, version "
        "%(version)d)",
        title=isolated(bank_title.text, bank_title.language) if bank_title else "",
        instrument=left_to_right(bank.instrument),
        cluster=left_to_right(bank.cluster),
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
        is_peer=reader_state is not None,
    )


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    session = db.session()
    reader_state = _reader_state()
    versions = services.submissions_by_version(session)
    submitted = peers.submitted_versions(session, reader_state) if reader_state else set()
    return render_template(
        "analysis/index.html", versions=versions, reader_state=reader_state, submitted=submitted
    )


@bp.get("/<int:bank_version_id>")
@login_required
def show(bank_version_id: int) -> ResponseReturnValue:
    page = _load(bank_version_id)
    naming = _naming_choice(bank_version_id) if page.is_peer else None
    return render_template("analysis/show.html", page=page, share_text=share_text, naming=naming)


@dataclass(frozen=True)
class NamingChoice:
    """What the focal point of the reader's State decides: is the State named to its peers."""

    state_name: str
    is_named: bool


def _naming_choice(bank_version_id: int) -> NamingChoice | None:
    session = db.session()
    review = peers.submitted_review(session, current_user.state_code, bank_version_id)
    if review is None or not peers.may_decide_naming(session, review, current_user):
        return None
    state = session.get(State, review.state_code)
    assert state is not None
    return NamingChoice(
        state_name=state_name(state, current_language()),
        is_named=peers.consent_of(session, review) is not None,
    )


@bp.post("/<int:bank_version_id>/naming")
@login_required
def naming(bank_version_id: int) -> ResponseReturnValue:
    session = db.session()
    reader_state = _reader_state()
    if reader_state is None:
        abort(404)
    _version_for(bank_version_id, reader_state)
    review = peers.submitted_review(session, reader_state, bank_version_id)
    if review is None or not peers.may_decide_naming(session, review, current_user):
        abort(403)
    form = NamingForm()
    if not form.validate_on_submit():
        abort(400)
    peers.set_naming(session, review, current_user, named=form.named.data == "yes")
    if form.named.data == "yes":
        flash(_("Your State is now named beside its good practices for the other States."))
    else:
        flash(_("Your State is no longer named beside its good practices for the other States."))
    return redirect(url_for("analysis.show", bank_version_id=bank_version_id) + "#naming")


@bp.get("/<int:bank_version_id>.pdf")
@login_required
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
    return download(content, "application/pdf", f"{page.file_stem}.pdf")


@bp.get("/<int:bank_version_id>.xlsx")
@login_required
def xlsx(bank_version_id: int) -> ResponseReturnValue:
    page = _load(bank_version_id)
    content = analysis_workbook(
        page.analysis,
        title=page.title,
        section_titles=page.section_titles,
        label=page.confidential_label,
        for_peers=page.is_peer,
    )
    return download(content, XLSX_MIMETYPE, f"{page.file_stem}.xlsx")
