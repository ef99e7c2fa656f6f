"""The read-only JSON API under /api/v1 (described at /api/v1/openapi.json, docs/api.md).

The question banks are public. The status of reviews is for the secretariat, authenticated
by an API token sent as `Authorization: Bearer <token>` and by nothing else: a session cookie
is never looked at here, so a page in a browser cannot be made to call the API for its user.
No request changes data except noting when a token was last used, so there is no CSRF token.
Every answer under /api is JSON, errors included: `{"error": code, "message": text}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import ParamSpec

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from questionnaire import db
from questionnaire.api import queries, services
from questionnaire.api.openapi import REVIEW_STATUS_FILTERS, openapi_document
from questionnaire.banks.schema import INSTRUMENTS
from questionnaire.dashboard.queries import DashboardFilters
from questionnaire.exports.documents import bank_version_document, bank_version_summary
from questionnaire.reference.models import REGIONAL_GROUPS
from questionnaire.reference.names import load_state_names
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.security import csrf
from questionnaire.validators import MAX_INTEGER, parse_id

bp = Blueprint("api", __name__, url_prefix="/api")
P = ParamSpec("P")
csrf.exempt(bp)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "internal_error",
}
_ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(error=ERROR_CODES.get(status, "error"), message=message)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _http_error(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k in ("Allow", "WWW-Authenticate")}
    return error_response(exc.code or 500, exc.description or exc.name, headers)


# Registered per status code: a code's handler takes precedence over any handler of the
# application for HTTPException, so an HTML error page can never answer under /api.
for _code in ERROR_CODES:
    bp.register_error_handler(_code, _http_error)


def _unauthorized(message: str, *, invalid: bool = False) -> Response:
    challenge = 'Bearer realm="api"' + (', error="invalid_token"' if invalid else "")
    return error_response(401, message, {"WWW-Authenticate": challenge})


def token_required(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
    """Only a valid API token of an active secretariat member; the session is ignored."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return _unauthorized("send an API token in the header Authorization: Bearer <token>")
        found = services.authenticate(db.session(), secret.strip())
        if found is None:
            return _unauthorized("the token is unknown or has been revoked", invalid=True)
        _token, user = found
        if not (user.is_secretariat and user.is_active):
            return error_response(403, "the token's account is not an active secretariat account")
        return view(*args, **kwargs)

    return db.writes_when_read(wrapper)  # each request notes the token's last use


@bp.get("/v1/banks")
def banks() -> ResponseReturnValue:
    versions = queries.published_versions(db.session())
    return jsonify(banks=[bank_version_summary(version) for version in versions])


@bp.get("/v1/banks/<instrument>/<cluster>/<int:version>")
def bank(instrument: str, cluster: str, version: int) -> ResponseReturnValue:
    found = queries.published_version(db.session(), instrument, cluster, version)
    if found is None:
        abort(404, description=f"no published bank {instrument} cluster {cluster} v{version}")
    return jsonify(bank_version_document(found))


def _filters() -> DashboardFilters:
    """The filters of /v1/reviews; 400 for a value a filter cannot take."""
    args = request.args
    choices = {
        "instrument": INSTRUMENTS,
        "status": REVIEW_STATUS_FILTERS,
        "region": REGIONAL_GROUPS,
    }
    for name, allowed in choices.items():
        if name in args and args[name] not in allowed:
            abort(400, description=f"{name} must be one of: {', '.join(allowed)}")
    phase = args.get("phase_id")
    if phase is not None and parse_id(phase) is None:
        abort(400, description=f"phase_id must be a whole number up to {MAX_INTEGER}")
    return DashboardFilters(
        phase_id=parse_id(phase),
        instrument=args.get("instrument"),
        region=args.get("region"),
        status=args.get("status"),
    )


@bp.get("/v1/reviews")
@token_required
def reviews() -> ResponseReturnValue:
    rows = queries.review_statuses(db.session(), _filters(), Deadlines.configured(), date.today())
    return jsonify(reviews=rows)


@bp.get("/v1/states")
def states() -> ResponseReturnValue:
    """Public reference data, like the published banks: names, groups and treaty status."""
    on = date.today()
    raw = request.args.get("as_at")
    if raw is not None:
        try:
            on = date.fromisoformat(raw)
        except ValueError:
            abort(400, description="as_at must be a date written YYYY-MM-DD")
    return jsonify(
        as_at=on.isoformat(),
        names_source=load_state_names().source,
        states=queries.states(db.session(), on),
    )


@bp.get("/v1/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.route("", methods=_ANY_METHOD)
@bp.route("/<path:path>", methods=_ANY_METHOD)
def unknown(path: str = "") -> ResponseReturnValue:
    """Any other address under /api: 405 where only the method is wrong, else 404."""
    adapter = current_app.create_url_adapter(request)
    try:
        endpoint, _args = adapter.match(request.path, method="GET")  # type: ignore[union-attr]
    except HTTPException:
        endpoint = None
    if endpoint and endpoint != "api.unknown" and request.method != "GET":
        return error_response(405, "this address only answers GET", {"Allow": "GET, HEAD"})
    return error_response(404, f"there is nothing at {request.path}: see /api/v1/openapi.json")
