"""A review's reference files: the list with the form that attaches one, a file's download,
and its removal."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.attachments import services
from questionnaire.attachments.access import AttachmentAccess, load_attachments
from questionnaire.attachments.forms import AttachmentForm
from questionnaire.attachments.models import ReviewAttachment
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation

bp = Blueprint("attachments", __name__, url_prefix="/reviews/<int:review_id>/attachments")


@bp.get("/")
@login_required
def index(review_id: int) -> ResponseReturnValue:
    access = load_attachments(review_id)
    return _index(access, AttachmentForm(), [])


def _index(
    access: AttachmentAccess, form: AttachmentForm, problems: list[str]
) -> ResponseReturnValue:
    rows = services.attachments_of(db.session(), review_id=id_of(access.review))
    errors = [("file", message) for message in [*problems, *form.file.errors]]
    page = render_template(
        "attachments/index.html", access=access, rows=rows, form=form, errors=errors
    )
    return page, 400 if errors else 200


@bp.post("/")
@login_required
def upload(review_id: int) -> ResponseReturnValue:
    access = load_attachments(review_id)
    if not access.can_attach:
        abort(403)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _index(access, form, [])
    upload = form.file.data
    try:
        raw = upload.read(services.MAX_BYTES + 1)
    finally:
        upload.close()  # a large file is spooled to disk: let it go now
    try:
        attachment = services.attach(
            db.session(),
            access.review,
            current_user,
            upload.filename or "",
            raw,
            form.description.data or "",
        )
    except RuleViolation as exc:
        return _index(access, form, [str(exc)])
    flash(_("%(file)s is attached to the review.", file=attachment.filename))
    return redirect(url_for(".index", review_id=review_id))


@bp.get("/<int:attachment_id>")
@login_required
def download(review_id: int, attachment_id: int) -> ResponseReturnValue:
    access = load_attachments(review_id)
    attachment = _attachment(access, attachment_id)
    response = send_file(
        io.BytesIO(attachment.data),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:attachment_id>/remove")
@login_required
def remove(review_id: int, attachment_id: int) -> ResponseReturnValue:
    access = load_attachments(review_id)
    if not access.can_attach:
        abort(403)
    attachment = _attachment(access, attachment_id)
    name = attachment.filename
    services.remove(db.session(), attachment, current_user)
    flash(_("%(file)s is removed from the review.", file=name))
    return redirect(url_for(".index", review_id=review_id))


def _attachment(access: AttachmentAccess, attachment_id: int) -> ReviewAttachment:
    attachment = db.session().get(ReviewAttachment, attachment_id)
    if attachment is None or attachment.review_id != access.review.id:
        abort(404)
    return attachment
