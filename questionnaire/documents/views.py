"""Documents: conference room papers created, rendered in the background, published and
withdrawn. A withdrawn revision is served nowhere: its addresses answer with a notice. A
meeting's agenda and status note are rendered here too, as at today, and never stored."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import undefer
from sqlmodel import col, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.banks.models import BankVersion
from questionnaire.db import id_of
from questionnaire.documents import jobs, services
from questionnaire.documents.crp import PUBLISHABLE, CrpRequest, request_from_source
from questionnaire.documents.forms import CrpForm, WithdrawForm
from questionnaire.documents.freshness import changes
from questionnaire.documents.meeting_pdfs import agenda_pdf, status_note_pdf
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import slug, unslug
from questionnaire.downloads import download
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language
from questionnaire.meetings.agenda import DOCUMENT_LANGUAGES as MEETING_LANGUAGES
from questionnaire.meetings.models import Meeting
from questionnaire.meetings.note import status_document
from questionnaire.meetings.services import agenda_symbol, body_of, meetings
from questionnaire.reference.models import State
from questionnaire.reference.names import collation_key, state_name
from questionnaire.reviews.models import Review
from questionnaire.workspace.models import ListOfObservations

bp = Blueprint("documents", __name__, url_prefix="/documents")
#: What other people than the secretariat may see: published revisions, and the notice of
#: withdrawn ones.
PUBLIC_STATUSES = ("published", "withdrawn")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    query = select(Publication).order_by(
        col(Publication.symbol), col(Publication.language), col(Publication.revision).desc()
    )
    if not current_user.is_secretariat:
        query = query.where(col(Publication.status).in_(PUBLIC_STATUSES))
    return render_template(
        "documents/index.html", publications=db.session().exec(query).all(), slug=slug
    )


def _choices(form: CrpForm) -> None:
    """The meetings of the register, and the final lists in the reader's language."""
    session = db.session()
    form.meeting.choices = [
        SelectChoice(symbol, f"{symbol} – {body_of(m).name(current_language())}")
        for m in meetings(session)
        for symbol in [agenda_symbol(m)]
    ]
    rows = session.exec(
        select(Review, State, BankVersion.instrument)
        .join(ListOfObservations, col(ListOfObservations.review_id) == Review.id)
        .join(State, col(State.code) == Review.state_code)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(col(ListOfObservations.status).in_(PUBLISHABLE))
        .order_by(col(State.name_en))
    ).all()
    language = current_language()
    rows = sorted(rows, key=lambda row: (collation_key(state_name(row[1], language)), row[2]))
    form.reviews.choices = [
        SelectChoice(str(r.id), f"{state_name(s, language)} – {instrument} (review {r.id})")
        for r, s, instrument in rows
    ]


def _request(form: CrpForm) -> CrpRequest:
    return CrpRequest(
        meeting=form.meeting.data or "",
        item=(form.item.data or "").strip(),
        symbol=(form.symbol.data or "").strip(),
        language="",
        issued_on=form.issued_on.data,
        cutoff=form.cutoff.data,
        review_ids=tuple(int(i) for i in form.reviews.data or []),
        withheld_note=bool(form.withheld_note.data),
    )


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def new() -> ResponseReturnValue:
    # The meeting's page links here with its symbol, to preselect the meeting.
    form = CrpForm(
        withheld_note=current_app.config["PUBLISH_WITHHELD_NOTE"],
        meeting=request.args.get("meeting", ""),
    )
    _choices(form)
    if form.validate_on_submit():
        try:
            created = services.prepare_crps(
                db.session(),
                _request(form),
                list(form.languages.data or []),
                job_number=form.job_number.data or "",
                user=current_user,
            )
        except RuleViolation as exc:
            form.reviews.errors = [str(exc)]
            # 400 rolls back a symbol allocated before the refusal.
            return render_template("documents/new.html", form=form), 400
        for publication in created:
            if publication.job_status != "done":
                jobs.enqueue_render(id_of(publication))
        return redirect(url_for(".show", publication_id=created[0].id))
    return render_template("documents/new.html", form=form)


def _publication(publication_id: int, *, with_pdf: bool = False) -> Publication:
    query = select(Publication).where(Publication.id == publication_id)
    if with_pdf:
        query = query.options(undefer(Publication.pdf))  # type: ignore[arg-type]
    publication = db.session().exec(query).first()
    if publication is None or (
        publication.status not in PUBLIC_STATUSES and not current_user.is_secretariat
    ):
        abort(404)
    return publication


@bp.get("/<int:publication_id>")
@login_required
def show(publication_id: int) -> ResponseReturnValue:
    publication = _publication(publication_id)
    revisions = (
        db.session()
        .exec(
            select(Publication)
            .where(
                Publication.symbol == publication.symbol,
                Publication.language == publication.language,
            )
            .order_by(col(Publication.revision).desc())
        )
        .all()
    )
    if not current_user.is_secretariat:
        revisions = [r for r in revisions if r.status in PUBLIC_STATUSES]
    return render_template(
        "documents/show.html",
        publication=publication,
        revisions=revisions,
        slug=slug,
        made_for=request_from_source(publication.source),
        # The secretariat sees whether the revision still says what the lists say now.
        changes=changes(db.session(), publication)
        if current_user.is_secretariat and publication.status != "withdrawn"
        else [],
    )


@bp.get("/<int:publication_id>/status")
@login_required
def status(publication_id: int) -> ResponseReturnValue:
    publication = _publication(publication_id)
    return jsonify(
        status=publication.job_status, pages=publication.page_count, error=publication.job_error
    )


@bp.post("/<int:publication_id>/publish")
@secretariat_required
def publish(publication_id: int) -> ResponseReturnValue:
    publication = _publication(publication_id)
    try:
        services.publish(db.session(), publication, current_user)
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(_("The document has been published."), "success")
    return redirect(url_for(".show", publication_id=publication_id))


@bp.post("/<int:publication_id>/renew")
@secretariat_required
def renew(publication_id: int) -> ResponseReturnValue:
    """A new draft revision from the same request and the current data."""
    publication = _publication(publication_id)
    try:
        created = services.renew(db.session(), publication, current_user)
    except RuleViolation as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", publication_id=publication_id))
    if created.job_status != "done":
        jobs.enqueue_render(id_of(created))
    flash(_("A new revision has been made from the current data."), "success")
    return redirect(url_for(".show", publication_id=created.id))


@bp.route("/<int:publication_id>/withdraw", methods=["GET", "POST"])
@secretariat_required
def withdraw(publication_id: int) -> ResponseReturnValue:
    """Ask first, saying what will happen; then withdraw the published revision."""
    publication = _publication(publication_id)
    if publication.status != "published":
        flash(_("Only a published revision can be withdrawn."), "error")
        return redirect(url_for(".show", publication_id=publication_id))
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw(
                db.session(), publication, current_user, reason=form.reason.data or ""
            )
        except RuleViolation as exc:
            form.reason.errors = [str(exc)]
        else:
            flash(_("The revision has been withdrawn."), "success")
            return redirect(url_for(".show", publication_id=publication_id))
    return render_template("documents/withdraw.html", publication=publication, form=form, slug=slug)


def _withdrawn_notice(publication: Publication) -> ResponseReturnValue:
    """What a withdrawn revision's addresses answer: a notice, 410 Gone."""
    return render_template("documents/withdrawn.html", publication=publication), 410


def _pdf_response(publication: Publication) -> ResponseReturnValue:
    if publication.status == "withdrawn":
        return _withdrawn_notice(publication)
    if not publication.pdf:
        abort(404)
    name = f"{slug(publication.symbol)}-{publication.language}-r{publication.revision}.pdf"
    response = download(publication.pdf, "application/pdf", name, "inline")
    response.headers["X-Content-SHA256"] = publication.pdf_sha256 or ""
    return response


@bp.get("/<int:publication_id>.pdf")
@login_required
def pdf(publication_id: int) -> ResponseReturnValue:
    return _pdf_response(_publication(publication_id, with_pdf=True))


@bp.get("/<symbol_slug>/<language>.pdf")
@login_required
def stable(symbol_slug: str, language: str) -> ResponseReturnValue:
    """The stable address of a document: always its latest published revision."""
    publication = services.latest_published(db.session(), unslug(symbol_slug), language)
    if publication is None:
        abort(404)
    return _pdf_response(publication)


def _meeting(meeting_id: int) -> Meeting:
    return db.session().get(Meeting, meeting_id) or abort(404)


@bp.get("/meetings/<int:meeting_id>/agenda-<language>.pdf")
@secretariat_required
def meeting_agenda(meeting_id: int, language: str) -> ResponseReturnValue:
    """A meeting's annotated provisional agenda, as at today."""
    meeting = _meeting(meeting_id)
    if language not in MEETING_LANGUAGES:
        abort(404)
    try:
        content = agenda_pdf(db.session(), meeting, language, date.today())
    except RuleViolation as exc:
        flash(str(exc), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting_id))
    return download(
        content, "application/pdf", f"{agenda_symbol(meeting).replace('/', '-')}-{language}.pdf"
    )


@bp.get("/meetings/<int:meeting_id>/status-note-<language>.pdf")
@secretariat_required
def meeting_status_note(meeting_id: int, language: str) -> ResponseReturnValue:
    """A meeting's note on the status of the review mechanism, as at today."""
    session = db.session()
    meeting = _meeting(meeting_id)
    row = status_document(session, meeting)
    if row is None or language not in MEETING_LANGUAGES:
        abort(404)
    try:
        content = status_note_pdf(session, meeting, row, language, date.today())
    except RuleViolation as exc:
        flash(str(exc), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting_id))
    return download(content, "application/pdf", f"{row.symbol.replace('/', '-')}-{language}.pdf")
