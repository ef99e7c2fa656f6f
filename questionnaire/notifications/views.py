"""A person's messages, and the secretariat's view of what has not been delivered."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.errors import RuleViolation
from questionnaire.forms import Form
from questionnaire.outbox import services
from questionnaire.outbox.models import OutboxMessage

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def messages() -> ResponseReturnValue:
    """The e-mails written to the logged-in person, newest first."""
    return render_template(
        "notifications/messages.html",
        messages=services.messages_to(db.session(), current_user.email),
        max_attempts=services.MAX_ATTEMPTS,
    )


@bp.get("/outbox")
@secretariat_required
def outbox() -> ResponseReturnValue:
    """Messages waiting, to be tried again, or given up, with their last error (no texts)."""
    return render_template(
        "notifications/outbox.html",
        messages=services.undelivered(db.session()),
        max_attempts=services.MAX_ATTEMPTS,
        form=Form(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@secretariat_required
def retry(message_id: int) -> ResponseReturnValue:
    message = db.session().get(OutboxMessage, message_id) or abort(404)
    if not Form().validate_on_submit():
        abort(400)
    try:
        services.retry(db.session(), message, current_user)
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".outbox"))
