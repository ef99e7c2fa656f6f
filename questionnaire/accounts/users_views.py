"""The secretariat registers nominated people and helps them with their access."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, or_, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts import services, twofactor
from questionnaire.accounts.access import secretariat_required
from questionnaire.accounts.forms import RegisterUserForm
from questionnaire.accounts.models import User
from questionnaire.db import utcnow
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language
from questionnaire.reference.models import State
from questionnaire.reference.names import sort_states, state_name

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/")
@secretariat_required
def index() -> ResponseReturnValue:
    query = (request.args.get("q") or "").strip()[:100]
    statement = select(User).order_by(col(User.email))
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(col(User.email).like(pattern), col(User.full_name).ilike(pattern))
        )
    users = db.session().exec(statement).all()
    link_days = int(current_app.config["ACTIVATION_LINK_DAYS"])
    language = current_language()
    states = {s.code: state_name(s, language) for s in db.session().exec(select(State))}
    return render_template(
        "accounts/users/index.html",
        users=users,
        states=states,
        query=query,
        link_lifetime=timedelta(days=link_days),
        now_utc=utcnow(),
    )


def _state_choices(form: RegisterUserForm) -> None:
    language = current_language()
    states = sort_states(db.session().exec(select(State)).all(), language)
    form.state_code.choices = [SelectChoice("", _("No State (secretariat)"))] + [
        SelectChoice(s.code, f"{state_name(s, language)} ({s.code})") for s in states
    ]


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def new() -> ResponseReturnValue:
    form = RegisterUserForm()
    _state_choices(form)
    if form.validate_on_submit():
        try:
            user = services.register_user(
                db.session(),
                actor=current_user._get_current_object(),
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                state_code=form.state_code.data or None,
                is_secretariat=bool(form.is_secretariat.data),
                locale=form.locale.data or "en",
            )
        except RuleViolation as exc:
            form.email.errors = [str(exc)]
        else:
            flash(
                _(
                    "%(name)s is registered; an activation link was sent to %(email)s.",
                    name=user.full_name,
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return render_template("accounts/users/new.html", form=form)


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/<int:user_id>/activation")
@secretariat_required
def resend_activation(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    try:
        services.send_activation(db.session(), user, actor=current_user._get_current_object())
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(_("A new activation link was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".index", q=user.email))


@bp.post("/<int:user_id>/two-factor/reset")
@secretariat_required
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    actor = current_user._get_current_object()
    if user.id == actor.id:
        abort(403)  # one's own second factor is turned off from one's account page
    try:
        twofactor.reset_for(db.session(), user, actor=actor)
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(
            _(
                "Two-step verification is off for %(email)s; they will set it up again.",
                email=user.email,
            ),
            "success",
        )
    return redirect(url_for(".index", q=user.email))
