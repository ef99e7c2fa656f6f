"""Error pages: part of the site, in the reader's language, with a way back; JSON for JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from questionnaire import create_app
from questionnaire.accounts.models import User
from tests.conftest import login


@pytest.fixture
def error_app(test_config: dict[str, object], app: Flask) -> Iterator[Flask]:
    """The application as deployed: exceptions become the 500 page, CSRF is checked."""
    other = create_app(
        {**test_config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False, "WTF_CSRF_ENABLED": True},
        check_schema=False,
    )

    @other.get("/test-only/forbidden")
    def forbidden() -> str:
        abort(403)

    @other.get("/test-only/forbidden-with-reason")
    def forbidden_with_reason() -> str:
        abort(403, description="The answers have not been submitted yet.")

    @other.get("/test-only/boom")
    def boom() -> str:
        raise RuntimeError("a fault of the server")

    yield other


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_not_found_is_a_page_of_the_site_with_a_way_back(client: FlaskClient) -> None:
    response = client.get("/no/such/page")

    assert response.status_code == 404
    page = _page(response)
    assert "<h1>Page not found</h1>" in page
    assert "Error code: 404" in page
    assert "UNTOC review questionnaires" in page  # the site's header and title
    assert 'href="/login"' in page
    assert "Not Found</h1>" not in page  # not Werkzeug's bare page


def test_not_found_in_french_for_a_french_reader(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    login(client, make_user("FRA", locale="fr"))

    page = _page(client.get("/no/such/page"))

    assert '<html lang="fr"' in page
    assert "Page introuvable" in page
    assert "Aller à votre page d’accueil" in page
    assert 'href="/"' in page


def test_method_not_allowed_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.get("/language")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "This action is not available here" in _page(response)


def test_forbidden_and_server_error_pages(error_app: Flask, db: object) -> None:
    client = error_app.test_client()

    forbidden = client.get("/test-only/forbidden")
    assert forbidden.status_code == 403
    assert "You cannot do this" in _page(forbidden)

    explained = client.get("/test-only/forbidden-with-reason").get_data(as_text=True)
    assert "The answers have not been submitted yet." in explained
    assert "Your account does not allow this action" not in explained

    failed = client.get("/test-only/boom")
    assert failed.status_code == 500
    assert "Sorry, there is a problem with the service" in _page(failed)
    assert "a fault of the server" not in _page(failed)


def test_an_expired_form_says_so(error_app: Flask, db: object) -> None:
    response = error_app.test_client().post("/login", data={"email": "a@b.example"})

    assert response.status_code == 400
    page = _page(response)
    assert "The form had expired" in page
    assert "reload the page" in page


def test_a_json_request_gets_json(client: FlaskClient) -> None:
    response = client.get("/no/such/page", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == 404
