"""HTTP security headers, CSRF protection, and the refusal of input that cannot be stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter, Map

from questionnaire.validators import MAX_INTEGER

csrf = CSRFProtect()
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


def _input_problem() -> str | None:
    """Why the request's input cannot be used, or None."""
    texts = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    if request.method in ("GET", "HEAD"):
        pass
    elif request.is_json:
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "takes_json", False):
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
    abort(400, description=problem)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: the converter applies to the rules added after."""
    app.url_map.converters["int"] = DatabaseIdConverter
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
