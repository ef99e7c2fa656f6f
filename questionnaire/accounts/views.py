"""Logging in (password, then a code when two-step verification is on), logging out, the
session's idle timeout, activation and password reset links, and the language switcher."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import LoginManager, current_user, login_required, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from questionnaire import db
from questionnaire.accounts import (
    lockout,
    login_state,
    services,
    settings_views,
    tokens,
    twofactor,
    users_views,
)
from questionnaire.accounts.emails import PUBLIC_ADDRESS_MISSING, PublicAddressMissing
from questionnaire.accounts.forms import (
    CodeForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
)
from questionnaire.accounts.limits import (
    CODE_LIMIT,
    LINK_LIMIT,
    LOGIN_LIMIT,
    RESET_REQUEST_LIMIT,
    limiter,
)
from questionnaire.accounts.models import User

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.session_protection = "strong"
#: What a user who must set up two-step verification may still reach.
ENROLMENT_ENDPOINTS = frozenset(
    {
        "static",
        "account.two_factor_setup",
        "accounts.logout",
        "accounts.set_language",
        "accounts.session_status",
        "accounts.session_ping",
    }
)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login, never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:  # browsers read "/\host" as "//host"
        return None
    return target


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return twofactor.load_session_user(db.session(), session_id)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        session_db = db.session()
        attempt = services.check_password_step(
            session_db, form.email.data or "", form.password.data or "", lockout.client_address()
        )
        user, next_url = attempt.user, safe_next(form.next.data)
        if user is not None:
            if user.has_two_factor:
                login_state.begin(user, "code", next_url)
                return redirect(url_for(".login_code"))
            if twofactor.is_required(session_db, user):
                login_state.begin(user, "enrol", next_url)
                flash(_("Your role requires two-step verification: set it up to continue."))
                return redirect(url_for("account.two_factor_setup"))
            services.record_login(session_db, user, lockout.client_address())
            login_state.complete(user)
            return redirect(next_url or url_for("home.index"))
        form.password.errors = [
            attempt.refusal.message()
            if attempt.refusal
            else _("The e-mail address or the password is not right.")
        ]
    return render_template("accounts/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
def login_code() -> ResponseReturnValue:
    session_db = db.session()
    user = login_state.pending_user(session_db, "code")
    if user is None:
        flash(_("Log in again: the time to enter the code has run out."), "info")
        return redirect(url_for(".login"))
    form = CodeForm()
    if form.validate_on_submit():
        address = lockout.client_address()
        if refused := lockout.refusal(session_db, user.email, address):
            login_state.abandon()
            flash(refused.message(), "error")
            return redirect(url_for(".login"))
        used = twofactor.verify_code(session_db, user, form.code.data or "")
        if used is not None:
            next_url = login_state.pending_next()
            services.record_login(session_db, user, address)
            login_state.complete(user)
            if used == "recovery":
                remaining = twofactor.remaining_recovery_codes(session_db, user)
                flash(
                    ngettext(
                        "You logged in with a recovery code, which cannot be used again. "
                        "%(num)d remains: make new ones if you are running out.",
                        "You logged in with a recovery code, which cannot be used again. "
                        "%(num)d remain: make new ones if you are running out.",
                        remaining,
                    ),
                    "info",
                )
            return redirect(next_url or url_for("home.index"))
        refused = lockout.record_failure(session_db, user.email, "code", address)
        if refused is not None and refused.is_lockout:
            login_state.abandon()
            flash(refused.message(), "error")
            return redirect(url_for(".login"))
        form.code.errors = [_("The code is not right. Enter the current code from your app.")]
    return render_template("accounts/login_code.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # Ending every session of the user is what makes "log out" end a copied cookie too.
    user = current_user._get_current_object()
    services.record_logout(db.session(), user, lockout.client_address())
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    language = form.language.data or "en"
    session["locale"] = language
    if current_user.is_authenticated:
        services.set_locale(current_user._get_current_object(), language)
    return redirect(safe_next(form.next.data) or url_for("home.index"))


# --- the idle timeout, for app.js -----------------------------------------------------------


def _session_state() -> dict[str, object]:
    lifetime = int(current_app.permanent_session_lifetime.total_seconds())
    # Counted from the page load, which may not have renewed the session (login_state.renew).
    idle = max(lifetime - login_state.RENEW_SECONDS, 60)
    return {
        "authenticated": True,
        "idle_seconds": idle,
        "warning_seconds": min(idle, int(current_app.config["SESSION_WARNING_MINUTES"]) * 60),
        "texts": {
            "warning": _(
                "For your security, you will be logged out soon because you have not done "
                "anything for a while."
            ),
            "stay": _("Stay logged in"),
            "ended": _("Your session has ended because nothing was done for a while."),
            "login": _("Log in again"),
        },
        "login_url": url_for("accounts.login"),
    }


@bp.get("/session")
def session_status() -> ResponseReturnValue:
    """How long the session lasts without activity; reading it does not extend it further
    than the page load did."""
    if not current_user.is_authenticated:
        return jsonify({"authenticated": False}), 401
    return jsonify(_session_state())


@bp.post("/session")
def session_ping() -> ResponseReturnValue:
    """ "Stay logged in": renews the session whatever the time of the last renewal."""
    if not current_user.is_authenticated:
        return jsonify({"authenticated": False}), 401
    login_state.renew(force=True)
    return jsonify(_session_state())


# --- activation and reset links ------------------------------------------------------------


def _choose_password(token: str, purpose: tokens.Purpose) -> ResponseReturnValue:
    session_db = db.session()
    try:
        user = services.user_for_link(session_db, token, purpose)
    except tokens.LinkInvalid:
        return render_template("accounts/link_invalid.html", purpose=purpose), 404
    form = NewPasswordForm(email=user.email)
    if form.validate_on_submit():
        try:
            services.choose_password_with_link(session_db, token, purpose, form.password.data or "")
        except services.PasswordRejected as exc:
            form.password.errors = exc.problems
        except tokens.LinkInvalid:
            return render_template("accounts/link_invalid.html", purpose=purpose), 404
        else:
            session.clear()
            if purpose == "activate":
                flash(_("Your account is active. Log in with your new password."), "success")
            else:
                flash(_("Your password has been changed. Log in with it."), "success")
            return redirect(url_for(".login"))
    return render_template("accounts/choose_password.html", form=form, user=user, purpose=purpose)


@bp.route("/activate/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def activate(token: str) -> ResponseReturnValue:
    # Opening the link changes nothing (mail scanners open links); posting the form does.
    return _choose_password(token, "activate")


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(RESET_REQUEST_LIMIT, methods=["POST"])
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session(), form.email.data or "")
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def reset_password(token: str) -> ResponseReturnValue:
    return _choose_password(token, "reset")


# --- every request --------------------------------------------------------------------------


@bp.before_app_request
def _session_rules() -> ResponseReturnValue | None:
    """End sessions past their absolute limit; keep a user who must set up two-step
    verification on its page until they have."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if login_state.is_too_old():
        logout_user()
        session.clear()
        flash(_("Your session has ended. Log in again."), "info")
        return redirect(url_for("accounts.login"))
    login_state.renew()
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if twofactor.needs_enrolment(db.session(), current_user._get_current_object()):
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("account.two_factor_setup"))
        abort(401)
    return None


@bp.app_errorhandler(429)
def _too_many_requests(error: Exception) -> ResponseReturnValue:
    return render_template("accounts/too_many_requests.html"), 429


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, and always over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config["SESSION_COOKIE_SECURE"]:
            return True
        return has_request_context() and request.is_secure


#: The address of e-mailed links when PUBLIC_BASE_URL is unset, in debug and testing only.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def _require_public_address(app: Flask) -> None:
    """Links in e-mails are built on PUBLIC_BASE_URL, never on the Host header of a request
    (anyone could otherwise have a victim's reset link point to their own host). Production,
    meaning neither debug nor testing mode, and any instance that sends real e-mail
    (MAIL_SERVER) refuse to start without it; debug and testing use LOCAL_BASE_URL."""
    if app.config.get("PUBLIC_BASE_URL"):
        return
    if app.config.get("MAIL_SERVER") or not (app.debug or app.testing):
        if app.config.get("PUBLIC_BASE_URL_AT_START", True):
            raise PublicAddressMissing(PUBLIC_ADDRESS_MISSING)
        # The command line starts without it: only a command that writes a link needs it, and
        # emails.public_url refuses then, with the same message.
        return
    app.config["PUBLIC_BASE_URL"] = LOCAL_BASE_URL


def init_app(app: Flask) -> None:
    _require_public_address(app)
    if proxies := int(app.config.get("TRUSTED_PROXY_COUNT") or 0):
        # Behind a reverse proxy, the client's address (rate limits) and HTTPS (Secure
        # cookies, HSTS) are in X-Forwarded-* headers set by that many proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.session_interface = _SessionInterface()
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    if app.config["RATELIMIT_ENABLED"]:
        # An application without limits is not initialised: that would switch the shared
        # limiter off for the others (see limits._off_for_this_application).
        limiter.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(settings_views.bp)
    app.register_blueprint(users_views.bp)
