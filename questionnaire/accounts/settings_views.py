"""A user's own account: password and two-step verification."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts import lockout, login_state, services, twofactor
from questionnaire.accounts.forms import ChangePasswordForm, CodeForm, ConfirmPasswordForm
from questionnaire.accounts.limits import CODE_LIMIT, LOGIN_LIMIT, limiter
from questionnaire.accounts.models import User
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State

bp = Blueprint("account", __name__, url_prefix="/account")


def _overview(
    disable_form: ConfirmPasswordForm | None = None,
    codes_form: ConfirmPasswordForm | None = None,
) -> ResponseReturnValue:
    session_db = db.session()
    user = current_user._get_current_object()
    return render_template(
        "accounts/settings.html",
        user=user,
        state=session_db.get(State, user.state_code) if user.state_code else None,
        is_required=twofactor.is_required(session_db, user),
        remaining_codes=twofactor.remaining_recovery_codes(session_db, user),
        disable_form=disable_form or ConfirmPasswordForm(prefix="disable"),
        codes_form=codes_form or ConfirmPasswordForm(prefix="codes"),
    )


@bp.get("/")
@login_required
def overview() -> ResponseReturnValue:
    return _overview()


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def change_password() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = ChangePasswordForm(email=user.email)
    if form.validate_on_submit():
        try:
            services.change_password(
                db.session(),
                user,
                form.current.data or "",
                form.password.data or "",
                address=lockout.client_address(),
            )
        except services.PasswordRejected as exc:
            form.password.errors = exc.problems
        except RuleViolation as exc:
            form.current.errors = [str(exc)]
        else:
            login_state.refresh_identity(user)
            flash(
                _("Your password has been changed. You were logged out everywhere else."),
                "success",
            )
            return redirect(url_for(".overview"))
    return render_template("accounts/change_password.html", form=form)


def _enrolling_user() -> tuple[User | None, bool]:
    """(user setting up two-step verification, whether they are still logging in)."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), False
    return login_state.pending_user(db.session(), "enrol"), True


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@db.writes_when_read  # showing the page starts the enrolment: a new secret is stored
@limiter.limit(CODE_LIMIT, methods=["POST"])
def two_factor_setup() -> ResponseReturnValue:
    session_db = db.session()
    user, logging_in = _enrolling_user()
    if user is None:
        flash(_("Please log in to continue."), "info")
        return redirect(url_for("accounts.login"))
    if user.has_two_factor:
        return redirect(url_for(".overview"))
    twofactor.start_enrolment(session_db, user)
    form = CodeForm()
    if form.validate_on_submit():
        next_url = login_state.pending_next() if logging_in else None
        try:
            codes = twofactor.confirm_enrolment(
                session_db, user, form.code.data or "", address=lockout.client_address()
            )
        except RuleViolation as exc:
            form.code.errors = [str(exc)]
        else:
            if logging_in:
                services.record_login(session_db, user, lockout.client_address())
                login_state.complete(user)
            else:
                login_state.refresh_identity(user)
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                continue_url=next_url or url_for(".overview"),
                is_new=True,
            )
    secret = twofactor.secret_of(user)
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        uri=twofactor.provisioning_uri(user),
        logging_in=logging_in,
        is_required=twofactor.is_required(session_db, user),
    )


@bp.post("/two-factor/disable")
@login_required
@limiter.limit(LOGIN_LIMIT)
def two_factor_disable() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = ConfirmPasswordForm(prefix="disable")
    if form.validate_on_submit():
        try:
            twofactor.disable(
                db.session(), user, form.password.data or "", address=lockout.client_address()
            )
        except RuleViolation as exc:
            form.password.errors = [str(exc)]
        else:
            login_state.refresh_identity(user)
            flash(
                _("Two-step verification is off. You were logged out everywhere else."), "success"
            )
            return redirect(url_for(".overview"))
    return _overview(disable_form=form)


@bp.post("/two-factor/recovery-codes")
@login_required
@limiter.limit(LOGIN_LIMIT)
def recovery_codes() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = ConfirmPasswordForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = twofactor.regenerate_recovery_codes(
                db.session(), user, form.password.data or "", address=lockout.client_address()
            )
        except RuleViolation as exc:
            form.password.errors = [str(exc)]
        else:
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                continue_url=url_for(".overview"),
                is_new=False,
            )
    return _overview(codes_form=form)
