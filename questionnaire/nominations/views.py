"""The secretariat records nominations, changes and ends them, one by one or from a file."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlmodel import col, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.config import PROJECT_ROOT
from questionnaire.downloads import download
from questionnaire.errors import RuleViolation
from questionnaire.forms import Form
from questionnaire.i18n import current_language, sentences
from questionnaire.nominations import bulk, queries, services
from questionnaire.nominations.forms import (
    ChangeRoleForm,
    ConfirmImportForm,
    EndForm,
    NominationForm,
    ReplaceFocalPointForm,
    UploadForm,
)
from questionnaire.nominations.models import Nomination
from questionnaire.nominations.scope import Purpose
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.labels import ROLE_LABELS
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewPhase
from questionnaire.validators import parse_id

bp = Blueprint("nominations", __name__, url_prefix="/nominations")

SIDE_LABELS = {
    "under_review": _l("for its own review"),
    "reviewing": _l("as a reviewing State"),
}


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"side_label": lambda side: SIDE_LABELS.get(side, side)}


def _states() -> dict[str, State]:
    return {s.code: s for s in db.session().exec(select(State).order_by(col(State.name_en)))}


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    state = (request.args.get("state") or "").strip().upper()[:3] or None
    rows = queries.nomination_rows(db.session(), state=state)
    return render_template("nominations/index.html", rows=rows, states=_states(), state=state)


def _choices(form: NominationForm) -> None:
    language = current_language()
    states = [
        SelectChoice(s.code, f"{state_name(s, language)} ({s.code})") for s in _states().values()
    ]
    form.nominating_state.choices = [SelectChoice("", _("Choose a State")), *states]
    form.state_under_review.choices = [SelectChoice("", _("Choose a State")), *states]
    phases = db.session().exec(select(ReviewPhase).order_by(col(ReviewPhase.started_on).desc()))
    form.phase.choices = [SelectChoice("", _("Choose a phase"))] + [
        SelectChoice(str(p.id), p.name) for p in phases
    ]


def _instrument(review: Review) -> str:
    version = db.session().get(BankVersion, review.bank_version_id)
    return version.instrument if version else ""


def _preselect(form: NominationForm) -> Review | None:
    """Fill the form from where the secretariat came: a review, a seat, a person."""
    session, args = db.session(), request.args
    review = session.get(Review, parse_id(args.get("review")) or 0)
    seat = session.get(ReviewAssignment, parse_id(args.get("seat")) or 0)
    if seat is not None:
        review = session.get(Review, seat.review_id)
        form.nominating_state.data = seat.reviewing_state
    if review is not None:
        form.state_under_review.data = review.state_code
        form.phase.data = str(review.phase_id or "")
        form.review.data = "" if review.phase_id else str(review.id)
        form.origin.data = str(review.id)
        if seat is not None:
            form.instruments.data = [_instrument(review)]
        elif session.get(State, (args.get("state") or "")[:3]) is not None:
            form.nominating_state.data = args["state"]  # a reviewing State, for all its seats
        else:
            form.nominating_state.data = review.state_code
    if args.get("role") in ("focal_point", "expert", "observer"):
        form.role.data = args["role"]
    user = session.get(User, parse_id(args.get("user")) or 0)
    if user is not None and not user.is_secretariat:
        form.email.data, form.full_name.data, form.locale.data = (
            user.email,
            user.full_name,
            user.locale,
        )
        form.nominating_state.data = form.nominating_state.data or user.state_code
    return review


def _field_error(form: Form, exc: RuleViolation) -> None:
    name = {"language": "locale"}.get(getattr(exc, "field", ""), getattr(exc, "field", "email"))
    target = getattr(form, name, None) or form.email
    target.errors = [*target.errors, str(exc)]


def _purpose(form: NominationForm) -> Purpose:
    review_id = parse_id(form.review.data)
    return Purpose(
        state_under_review=form.state_under_review.data or "",
        phase_id=parse_id(form.phase.data) if review_id is None else None,
        review_id=review_id,
        instruments=tuple(form.instruments.data or ()),
    )


def _recorded_message(recorded: services.RecordedNomination) -> str:
    text = ngettext(
        "%(name)s is named (%(role)s) for %(num)d review.",
        "%(name)s is named (%(role)s) for %(num)d reviews.",
        len(recorded.reviews),
        name=recorded.user.full_name,
        role=str(_role_label(recorded.nomination.role)),
    )
    if recorded.is_new_account:
        text = sentences(
            text, _("An activation link was sent to %(email)s.", email=recorded.user.email)
        )
    return text


def _role_label(role: str) -> object:
    return ROLE_LABELS.get(role, role)


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def new() -> ResponseReturnValue:
    form = NominationForm()
    _choices(form)
    if request.method == "GET":
        review = _preselect(form)
    else:
        origin = parse_id(form.origin.data)
        review = db.session().get(Review, origin) if origin is not None else None
    if form.validate_on_submit():
        try:
            recorded = services.record_nomination(
                db.session(),
                actor=current_user._get_current_object(),
                nominating_state=form.nominating_state.data or "",
                nominee=services.Nominee(
                    form.email.data or "", form.full_name.data or "", form.locale.data or "en"
                ),
                role=form.role.data or "",
                note=services.NoteVerbale(form.note_reference.data or "", form.note_date.data),
                purpose=_purpose(form),
            )
        except RuleViolation as exc:
            _field_error(form, exc)
        else:
            flash(_recorded_message(recorded), "success")
            first = parse_id(form.origin.data) or recorded.reviews[0].id
            if first is not None:
                return redirect(url_for(".review_people", review_id=first))
            return redirect(url_for(".person", user_id=recorded.user.id))
    return render_template("nominations/new.html", form=form, review=review)


@bp.get("/reviews/<int:review_id>")
@secretariat_required
def review_people(review_id: int) -> ResponseReturnValue:
    session = db.session()
    review = session.get(Review, review_id) or abort(404)
    return render_template(
        "nominations/review.html",
        review=review,
        instrument=_instrument(review),
        people=queries.review_people(session, review),
        states=_states(),
    )


@bp.get("/people/<int:user_id>")
@secretariat_required
def person(user_id: int) -> ResponseReturnValue:
    user = db.session().get(User, user_id) or abort(404)
    rows = queries.nomination_rows(db.session(), user_id=user_id)
    return render_template("nominations/person.html", person=user, rows=rows, states=_states())


def _nomination(nomination_id: int) -> tuple[Nomination, User]:
    session = db.session()
    nomination = session.get(Nomination, nomination_id) or abort(404)
    user = session.get(User, nomination.user_id)
    assert user is not None
    return nomination, user


def _back(nomination: Nomination) -> ResponseReturnValue:
    return redirect(url_for(".person", user_id=nomination.user_id))


@bp.route("/<int:nomination_id>/role", methods=["GET", "POST"])
@secretariat_required
def change_role(nomination_id: int) -> ResponseReturnValue:
    nomination, user = _nomination(nomination_id)
    form = ChangeRoleForm(role=nomination.role)
    if nomination.side == "reviewing":
        form.role.choices = [c for c in form.role.choices if c.value != "observer"]
    if form.validate_on_submit():
        try:
            services.change_role(
                db.session(),
                nomination,
                role=form.role.data or "",
                actor=current_user._get_current_object(),
                reason=form.reason.data or "",
            )
        except RuleViolation as exc:
            _field_error(form, exc)
        else:
            flash(_("The role of %(name)s has been changed.", name=user.full_name), "success")
            return _back(nomination)
    return render_template(
        "nominations/change.html", form=form, nomination=nomination, person=user, states=_states()
    )


@bp.route("/<int:nomination_id>/end", methods=["GET", "POST"])
@secretariat_required
def end(nomination_id: int) -> ResponseReturnValue:
    nomination, user = _nomination(nomination_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            services.end_nomination(
                db.session(),
                nomination,
                actor=current_user._get_current_object(),
                reason=form.reason.data or "",
            )
        except RuleViolation as exc:
            _field_error(form, exc)
        else:
            flash(_("The membership of %(name)s has ended.", name=user.full_name), "success")
            return _back(nomination)
    return render_template(
        "nominations/end.html", form=form, nomination=nomination, person=user, states=_states()
    )


@bp.route("/<int:nomination_id>/replace", methods=["GET", "POST"])
@secretariat_required
def replace(nomination_id: int) -> ResponseReturnValue:
    nomination, user = _nomination(nomination_id)
    if nomination.role != "focal_point" or not nomination.is_active:
        abort(404)
    form = ReplaceFocalPointForm()
    if form.validate_on_submit():
        try:
            recorded = services.replace_focal_point(
                db.session(),
                nomination,
                actor=current_user._get_current_object(),
                nominee=services.Nominee(
                    form.email.data or "", form.full_name.data or "", form.locale.data or "en"
                ),
                note=services.NoteVerbale(form.note_reference.data or "", form.note_date.data),
                reason=form.reason.data or "",
            )
        except RuleViolation as exc:
            _field_error(form, exc)
        else:
            flash(_recorded_message(recorded), "success")
            return redirect(url_for(".person", user_id=recorded.user.id))
    return render_template(
        "nominations/replace.html", form=form, nomination=nomination, person=user, states=_states()
    )


def _import_page(upload: UploadForm, report: bulk.ImportReport | None, rows: str = "") -> str:
    confirm = ConfirmImportForm(rows=rows) if rows else None
    return render_template(
        "nominations/import.html", form=upload, report=report, confirm=confirm, states=_states()
    )


@bp.route("/import", methods=["GET", "POST"])
@secretariat_required
def upload() -> ResponseReturnValue:
    """Upload a file: its problems, or a preview of what saving it will record."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _import_page(form, None)
    storage = form.file.data
    try:
        rows, problems = bulk.read_file(storage.filename or "", storage.read())
    except bulk.ImportFileError as exc:
        form.file.errors = [str(exc)]
        return _import_page(form, None)
    report = bulk.ImportReport(problems=problems)
    if not problems:
        report = bulk.import_rows(
            db.session(), rows, current_user._get_current_object(), save=False
        )
    kept = json.dumps([[row.number, row.values] for row in rows]) if not report.problems else ""
    return _import_page(form, report, kept)


#: The example the upload page offers (docs/nominations.md describes its columns).
EXAMPLE_FILE = PROJECT_ROOT / "docs" / "examples" / "nominations.csv"


@bp.get("/import/example.csv")
@secretariat_required
def example() -> ResponseReturnValue:
    """A nomination file to start from, with every column."""
    return download(EXAMPLE_FILE.read_bytes(), "text/csv", EXAMPLE_FILE.name)


@bp.post("/import/confirm")
@secretariat_required
def confirm_import() -> ResponseReturnValue:
    """Save the previewed rows, checked again: all of them, or none."""
    form = ConfirmImportForm()
    rows = bulk.rows_from_json(form.rows.data or "") if form.validate_on_submit() else None
    if rows is None:
        abort(400)
    report = bulk.import_rows(db.session(), rows, current_user._get_current_object(), save=True)
    if report.problems:
        return _import_page(UploadForm(), report)
    flash(
        ngettext(
            "%(num)d nomination has been recorded.",
            "%(num)d nominations have been recorded.",
            len(report.planned),
        ),
        "success",
    )
    return redirect(url_for(".index"))
