"""Security headers on every page: each GET route of the application is requested, those with
URL parameters at a representative address from a small data set, by the secretariat and by an
anonymous visitor, over HTTP and over HTTPS.

A GET route with a parameter this file cannot fill fails `test_every_get_route_is_requested`:
add a value for it to `_values`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.datastructures import Headers
from werkzeug.routing import Rule

from questionnaire.accounts import services as accounts
from questionnaire.accounts import tokens
from questionnaire.accounts.models import User
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import slug
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewPhase
from tests.conftest import PASSWORD

HTTPS = "https://localhost"
SYMBOL = "CTOC/COP/WG.4/2099/CRP.1"
PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
INLINE = re.compile(r"<style|<script(?![^>]*\bsrc=)|\sstyle=\"|\son[a-z]+=\"", re.I)


@dataclass(frozen=True)
class Page:
    endpoint: str
    url: str

    def __str__(self) -> str:
        return f"{self.endpoint} {self.url}"


@dataclass(frozen=True)
class Visit:
    """What a GET answered, read in full (and the response closed)."""

    page: Page
    status_code: int
    headers: Headers
    mimetype: str
    body: str


def _visit(client: FlaskClient, page: Page, base_url: str) -> Visit:
    response = client.get(page.url, base_url=base_url)
    try:
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        return Visit(page, response.status_code, response.headers, response.mimetype or "", body)
    finally:
        response.close()


def _get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def data_set(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> dict[str, object]:
    """One review of Ghana with its focal point, a reviewing seat, a published document, a
    person waiting for activation, and the secretariat."""
    secretariat = make_user(None, secretariat=True)
    review = make_review("GHA", started_on=date.today())
    member(review, make_user("GHA"), "focal_point")
    member(review, make_user("NGA"), "reviewer")
    phase = ReviewPhase(name="Cluster I", cluster="I", started_on=date.today())
    db.add(phase)
    db.flush()
    draw = ReviewDraw(phase_id=phase.id, seed="0" * 16, inputs={}, result={})  # type: ignore[arg-type]
    db.add(draw)
    db.flush()
    assignment = ReviewAssignment(
        review_id=review.id,  # type: ignore[arg-type]
        reviewing_state="NGA",
        seat="other_region",
        draw_id=draw.id,  # type: ignore[arg-type]
    )
    publication = Publication(
        symbol=SYMBOL,
        language="en",
        revision=1,
        status="published",
        title="Lists of observations",
        snapshot={},
        snapshot_sha256="0" * 64,
        pdf=b"%PDF-1.4\n%%EOF\n",
        pdf_sha256="0" * 64,
        page_count=1,
        job_status="done",
    )
    db.add_all([assignment, publication])
    db.flush()
    waiting = accounts.create_user(
        db, email="waiting@gov-gh.example", full_name="Waiting", state_code="GHA"
    )
    db.commit()
    token = tokens.make_token(waiting, "activate")
    bank = review.bank_version_id
    return {
        "secretariat": secretariat,
        "values": {
            "review_id": review.id,
            "section_key": "art-5",
            "question_key": "TIP-5-1",
            "bank_version_id": bank,
            "instrument": "TIP",
            "cluster": "I",
            "version": 2,
            "assignment_id": assignment.id,
            "publication_id": publication.id,
            "symbol_slug": slug(SYMBOL),
            "language": "en",
            "token": token,
            "file_format": "csv",
            "path": "nothing-here",
            "filename": "css/app.css",
            "phase_id": phase.id,
            "user_id": secretariat.id,
            # Ids of nothing: the pages answer 404, with the same headers.
            "meeting_id": 1,
            "nomination_id": 1,
            "attachment_id": 1,
            "observation_id": 1,
            "to_status": "shared",
        },
    }


def _pages(app: Flask, values: dict[str, object]) -> tuple[list[Page], list[str]]:
    """Every GET route at one address; the routes whose parameters have no value."""
    pages: list[Page] = []
    unfilled: list[str] = []
    for rule in _get_rules(app):
        missing = [name for name in PARAMETER.findall(rule.rule) if name not in values]
        if missing:
            unfilled.append(f"{rule.rule} ({', '.join(missing)})")
            continue
        url = PARAMETER.sub(lambda m: str(values[m.group(1)]), rule.rule)
        pages.append(Page(rule.endpoint, url))
    return pages, unfilled


def _log_in(client: FlaskClient, user: User, base_url: str) -> None:
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, base_url=base_url
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _check(visit: Visit, *, https: bool) -> list[str]:
    page, headers = visit.page, visit.headers
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
        problems.append(f"CSP {csp!r}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"unsafe CSP {csp!r}")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {headers.get('X-Frame-Options')!r}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options")
    if headers.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin"):
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    hsts = headers.get("Strict-Transport-Security")
    if https and (not hsts or "max-age=" not in hsts):
        problems.append("no HSTS over HTTPS")
    if not https and hsts:
        problems.append("HSTS over plain HTTP")
    if page.endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {headers.get('Cache-Control')!r}")
    return [f"{page} [{visit.status_code}]: {problem}" for problem in problems]


@pytest.fixture
def visits(app: Flask, data_set: dict[str, object]) -> Callable[[bool, bool], list[Visit]]:
    def visit_all(as_secretariat: bool, https: bool) -> list[Visit]:
        base_url = HTTPS if https else "http://localhost"
        client = app.test_client()
        if as_secretariat:
            _log_in(client, data_set["secretariat"], base_url)  # type: ignore[arg-type]
        pages, _unfilled = _pages(app, data_set["values"])  # type: ignore[arg-type]
        return [_visit(client, page, base_url) for page in pages]

    return visit_all


def test_every_get_route_is_requested(app: Flask, data_set: dict[str, object]) -> None:
    pages, unfilled = _pages(app, data_set["values"])  # type: ignore[arg-type]
    assert not unfilled, f"give these parameters a value in _values: {unfilled}"
    assert {page.endpoint for page in pages} >= {
        "accounts.login",
        "accounts.activate",
        "users.index",
        "responses.section",
        "documents.stable",
    }


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("as_secretariat", [True, False], ids=["secretariat", "anonymous"])
def test_security_headers_on_every_page(
    visits: Callable[[bool, bool], list[Visit]],
    as_secretariat: bool,
    https: bool,
) -> None:
    done = visits(as_secretariat, https)
    problems = [problem for visit in done for problem in _check(visit, https=https)]
    assert not problems, "\n".join(problems)
    if as_secretariat:
        served = [visit.page.endpoint for visit in done if visit.status_code == 200]
        assert {"users.index", "users.new", "dashboard.index", "account.overview"} <= set(served)


def test_pages_have_no_inline_script_or_style(
    visits: Callable[[bool, bool], list[Visit]],
) -> None:
    """The CSP blocks inline script and style: a page that has some is broken."""
    offenders = [
        f"{visit.page}: {match.group(0)!r}"
        for visit in visits(True, False)
        for match in [INLINE.search(visit.body)]
        if match
    ]
    assert not offenders, "\n".join(offenders)


def test_session_cookie_flags(app: Flask, data_set: dict[str, object]) -> None:
    user = data_set["secretariat"]
    for base_url, secure in (("http://localhost", False), (HTTPS, True)):
        client = app.test_client()
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD},  # type: ignore[attr-defined]
            base_url=base_url,
        )
        cookie = next(
            value
            for value in response.headers.getlist("Set-Cookie")
            if value.startswith("session=")
        )
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "expires", "path"} <= flags
        assert "samesite=lax" in cookie.lower()
        assert ("secure" in flags) is secure, cookie
