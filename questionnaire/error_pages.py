"""Error pages: every HTTP error a person can meet is a page of the site, in their language,
with the site's header and a way back; a request that expects JSON gets JSON.

The API blueprint registers its own JSON handlers per status code, which take precedence
over these for its routes.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

#: What each status means to the person who met it, and what they can do about it.
PAGES: dict[int, tuple[LazyString, LazyString]] = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent was not in the expected form. Go back and try again."),
    ),
    403: (
        _l("You cannot do this"),
        _l(
            "Your account does not allow this action. If you think it should, contact the "
            "secretariat."
        ),
    ),
    404: (
        _l("Page not found"),
        _l(
            "There is no page at this address, or it is not open to your account. Check the "
            "address, or start again from your home page."
        ),
    ),
    405: (
        _l("This action is not available here"),
        _l("This address does not accept this kind of request. Start again from your home page."),
    ),
    413: (
        _l("What was sent is too large"),
        _l(
            "The server refuses requests of this size. Send a smaller file or a shorter text, "
            "or split it in several parts."
        ),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l(
            "Nothing you had saved is lost. Try again in a few minutes. If the problem goes on, "
            "contact the secretariat."
        ),
    ),
}
CSRF_PAGE = (
    _l("The form had expired"),
    _l(
        "For your security, forms can be sent only for a limited time and from the page that "
        "showed them. Go back, reload the page and send the form again: what you typed may need "
        "to be typed again."
    ),
)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def _render(status: int, title: LazyString, message: str | LazyString) -> Response:
    if _wants_json():
        response = jsonify(error=status, message=str(message))
    else:
        page = render_template("errors/error.html", title=title, message=message, status=status)
        response = make_response(page)
    response.status_code = status
    return response


def _http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    if status not in PAGES:
        return error
    title, page_message = PAGES[status]
    message: str | LazyString = page_message
    # A view that says why it refuses (abort(403, description=_("…"))) is heard; Werkzeug's
    # own English descriptions are not shown.
    if error.description and error.description != type(error).description:
        message = error.description
    response = _render(status, title, message)
    for name, value in error.get_headers():
        if name in ("Allow", "Retry-After"):
            response.headers[name] = value
    return response


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    return _render(400, *CSRF_PAGE)


def _internal_error(error: InternalServerError) -> ResponseReturnValue:
    title, message = PAGES[500]
    try:
        return _render(500, title, message)
    except Exception:  # the page itself needs the database or a template that failed
        log.exception("the error page could not be rendered")
        return Response(
            "<!doctype html><title>Error</title><h1>Sorry, there is a problem with the "
            "service</h1><p>Try again in a few minutes.</p>",
            status=500,
            mimetype="text/html",
        )


def init_app(app: Flask) -> None:
    """Register the pages; CSRF failures first, since CSRFError is also a 400."""
    app.register_error_handler(CSRFError, _csrf_error)
    for status in PAGES:
        if status != 500:
            app.register_error_handler(status, _http_error)
    app.register_error_handler(InternalServerError, _internal_error)
