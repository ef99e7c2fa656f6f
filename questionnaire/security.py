"""HTTP security headers, CSRF protection, and the refusal of input that cannot be stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, jsonify, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

from questionnaire.validators import MAX_INTEGER

csrf = CSRFProtect()
_View = TypeVar("_View", bound=Callable[..., Any])


def csrf_exempt(view: _View) -> _View:
    """Flask-WTF's `csrf.exempt`, typed: for a view that checks the token itself."""
    exempt: _View = csrf.exempt(view)
    return exempt


View = TypeVar("View", bound=Callable[..., Any])

#: NUL (PostgreSQL cannot store it in text) and unpaired surrogates (not writable as UTF-8,
#: so a page showing one could never be sent). Neither is ever part of a real text.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number that fits the INTEGER columns ids are
    stored in. A larger one matches no route (404) instead of reaching the database, which
    raises on it (PostgreSQL past 2**31 - 1, SQLite past 2**63 - 1)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_INTEGER,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def takes_json(view: View) -> View:
    """Declare that a view reads a JSON body. Every other view refuses one: forms are posted
    as forms (Flask-WTF would otherwise read a JSON body as form data, of any shape)."""
    view.takes_json = True  # type: ignore[attr-defined]
    return view


def _strings(value: Any) -> list[str]:
    """Every key and string in a parsed JSON value (walked without recursion: it is deep at
    most as deep as the parser allowed, which a recursive walk might not be)."""
    found, todo = [], [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def _view_takes_json() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "takes_json", False))


def _csrf_applies() -> bool:
    """Whether Flask-WTF will check this request's CSRF token (its own exemptions)."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_CHECK_DEFAULT", True):
        return False
    if request.method not in config.get("WTF_CSRF_METHODS", ("POST", "PUT", "PATCH", "DELETE")):
        return False
    return bool(request.endpoint) and not csrf._is_exempt()


def check_before_reading_the_body() -> ResponseReturnValue | None:
    """Refuse what can be refused without reading the request's body, before anything reads
    it (Flask-WTF reads a form to find its CSRF token): a body past MAX_CONTENT_LENGTH (413),
    a form from a client whose session holds no CSRF token (it cannot pass the check), and
    a JSON body from anyone not logged in or without the CSRF header (views that take JSON
    are for logged-in users; their token comes in a header)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > int(limit):
        raise RequestEntityTooLarge()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.is_json and _view_takes_json():
        if not current_user.is_authenticated:
            return jsonify(
                error="session_ended",
                message=_(
                    "Your session has ended. Log in again: your text is kept in this browser."
                ),
            ), 401
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # the token of a JSON request is in its X-CSRFToken header
        return None
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if _csrf_applies() and field not in session:
        raise CSRFError("The CSRF session token is missing.")  # as Flask-WTF says it
    return None


def _input_problem() -> str | None:
    """Why the request's input cannot be used, or None."""
    texts = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    if request.method in ("GET", "HEAD"):
        pass
    elif request.is_json:
        if not _view_takes_json():
            return _("This address does not take a JSON body.")
        try:
            texts += _strings(request.get_json(silent=True))
        except RecursionError:  # nested deeper than the parser goes; not a ValueError
            return _("The request was not understood.")
    else:
        texts += [text for pair in request.form.items(multi=True) for text in pair]
    if any(UNSTORABLE.search(text) for text in texts):
        return _(
            "The text sent contains a character that cannot be stored (a NUL character or "
            "half of a surrogate pair). Remove it and send the text again."
        )
    return None


def refuse_unstorable_input() -> ResponseReturnValue | None:
    """400 with a message for input that no view can use, before any view sees it."""
    problem = _input_problem()
    if problem is None:
        return None
    if request.is_json:
        return jsonify(error="bad_request", message=problem), 400
    title = _("The request could not be understood")
    return render_template("errors/error.html", title=title, message=problem, status=400), 400


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: the converter applies to the rules added after."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(check_before_reading_the_body)
    csrf.init_app(app)
    app.before_request(refuse_unstorable_input)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response
