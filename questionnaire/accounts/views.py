"""Login, logout and the language switcher."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from questionnaire import db
from questionnaire.accounts import services
from questionnaire.accounts.forms import LanguageForm, LoginForm
from questionnaire.accounts.models import User

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.session_protection = "strong"
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login, never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return services.load_user_by_session_id(db.session(), session_id)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("reviews.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(safe_next(form.next.data) or url_for("reviews.home"))
        form.password.errors = [_("The e-mail address or the password is not right.")]
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
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
    return redirect(safe_next(form.next.data) or url_for("reviews.home"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    app.register_blueprint(bp)
