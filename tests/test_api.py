"""The read-only JSON API: public question banks, the status of reviews for secretariat tokens
only (never for a session cookie), JSON errors under /api, the token commands, and an OpenAPI
document that describes every route and that the answers conform to."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlmodel import Session, delete, select
from werkzeug.test import TestResponse

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.api import services as api_services
from questionnaire.api.models import ApiToken
from questionnaire.api.openapi import openapi_document
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.cli import cli
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import Participation
from questionnaire.reference.services import import_treaty_status, load_states
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.factories import (
    Cast,
    cast_review,
    fresh,
)

# These tests log in many times and are not about rate limits.
pytestmark = pytest.mark.usefixtures("no_rate_limits")

Banks = dict[tuple[str, str, int], BankVersion]
SOM_SAMPLE = Path(__file__).parents[1] / "questionnaire/reference/data/treaty_status/SOM-sample.csv"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def json_error(response: TestResponse, status: int, code: str) -> str:
    """The message of an API error, after checking it is JSON with the right status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message"}
    assert body["error"] == code
    return str(body["message"])


def conforms(instance: Any, schema_name: str) -> None:
    """Check a response body against a schema of the OpenAPI document."""
    document = openapi_document()
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
    errors = list(Draft202012Validator(schema, registry=registry).iter_errors(instance))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def token(db: Session, secretariat: User) -> str:
    _row, secret = api_services.create_token(db, secretariat, "dashboard sync")
    db.commit()
    return secret


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


# --- banks ----------------------------------------------------------------------------------


def test_the_published_banks_are_listed_for_anyone(
    db: Session, client: FlaskClient, shipped_banks: Banks
) -> None:
    tip = shipped_banks[("TIP", "I", 2)]
    tip_draft = BankVersion(
        instrument="TIP", cluster="II", version=7, status="draft", sha256="1" * 64,
        content=tip.content, source_path="TIP/II/v7.yaml", question_count=3,
    )  # fmt: skip
    db.add(tip_draft)
    db.commit()

    response = client.get("/api/v1/banks")

    assert response.status_code == 200
    body = response.get_json()
    conforms(body, "BankVersionList")
    listed = [(b["instrument"], b["cluster"], b["version"]) for b in body["banks"]]
    assert listed == sorted(key for key, v in shipped_banks.items() if v.status == "published")
    entry = next(b for b in body["banks"] if b["id"] == tip.id)
    assert entry["sha256"] == tip.sha256
    assert entry["question_count"] == len(bank_of(tip).questions) == 44
    assert entry["title"]["fr"].startswith("Protocole relatif à la traite des personnes")
    assert entry["links"] == {
        "api": "/api/v1/banks/TIP/I/2",
        "json": f"/exports/banks/{tip.id}.json",
        "html": "/questionnaires/TIP/I/v2",
    }
    for link in entry["links"].values():
        assert client.get(link).status_code == 200, link


def test_a_published_bank_is_the_whole_run_time_bank(
    client: FlaskClient, shipped_banks: Banks
) -> None:
    tip = shipped_banks[("TIP", "I", 2)]

    body = client.get("/api/v1/banks/TIP/I/2").get_json()

    conforms(body, "BankVersion")
    assert body["bank"] == tip.content
    assert body["bank"]["sections"][2]["questions"][1]["show_if"] == {
        "question": "TIP-5-1",
        "any_of": ["yes", "partial"],
    }
    assert body["sha256"] == tip.sha256


@pytest.mark.parametrize("path", ["/api/v1/banks/TIP/I/99", "/api/v1/banks/XYZ/I/1"])
def test_an_unknown_bank_is_a_json_404(client: FlaskClient, shipped_banks: Banks, path) -> None:
    assert "no published bank" in json_error(client.get(path), 404, "not_found")


# --- States ---------------------------------------------------------------------------------


def test_the_states_are_listed_for_anyone_with_un_names_groups_and_participation(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/states?as_at=2026-01-05")

    assert response.status_code == 200
    body = response.get_json()
    conforms(body, "StateList")
    assert body["as_at"] == "2026-01-05"
    assert body["names_source"].startswith("UNTERM short names")
    states = {state["code"]: state for state in body["states"]}
    assert len(states) == 197
    congo = states["COD"]
    assert congo["names"]["en"] == "Democratic Republic of the Congo"
    assert congo["names"]["fr"] == "République démocratique du Congo"
    assert congo["names"]["zh"] == "刚果民主共和国"
    assert congo["regional_group"] == "african"
    assert congo["unverified_names"] == ["ar"]
    assert [p["instrument"] for p in congo["participation"]] == ["UNTOC", "TIP", "SOM", "FIR"]
    assert [states[code]["regional_group"] for code in ("EUU", "COK", "NIU")] == [None] * 3
    som = next(p for p in states["DMA"]["participation"] if p["instrument"] == "SOM")
    assert som["is_party"] and som["is_demo"] and som["consent_kind"] == "not_recorded"
    assert states["IRN"]["participation"] == []


def test_participation_in_the_api_carries_the_dates_and_is_decided_as_at_the_date(
    client: FlaskClient, db: Session
) -> None:
    import_treaty_status(db, SOM_SAMPLE, "SOM")
    db.commit()
    try:
        before = client.get("/api/v1/states?as_at=2013-06-15").get_json()
        after = client.get("/api/v1/states?as_at=2013-06-16").get_json()
    finally:
        db.exec(delete(Participation))  # type: ignore[call-overload]
        load_states(db)
        db.commit()

    def dominica_som(body: dict) -> dict:
        state = next(s for s in body["states"] if s["code"] == "DMA")
        return next(p for p in state["participation"] if p["instrument"] == "SOM")

    assert dominica_som(before) == {
        "instrument": "SOM",
        "signed_on": None,
        "consent_kind": "accession",
        "consent_on": "2013-05-17",
        "in_force_on": "2013-06-16",
        "is_party": False,
        "is_demo": False,
        "source": dominica_som(before)["source"],
    }
    assert dominica_som(after)["is_party"]
    assert dominica_som(after)["source"].startswith("UN Treaty Collection status table")


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", ""])
def test_a_bad_as_at_date_is_a_json_400(client: FlaskClient, value: str) -> None:
    response = client.get(f"/api/v1/states?as_at={value}")

    assert "as_at must be a date written YYYY-MM-DD" in json_error(response, 400, "bad_request")


# --- reviews: tokens only -------------------------------------------------------------------


def test_the_reviews_are_listed_for_a_secretariat_token(
    db: Session, client: FlaskClient, cast: Cast, token: str
) -> None:
    response = client.get("/api/v1/reviews", headers=bearer(token))

    assert response.status_code == 200
    body = response.get_json()
    conforms(body, "ReviewStatusList")
    [review] = body["reviews"]
    stored = fresh(db).get(Review, cast.review_id)
    assert stored is not None and stored.submitted_at is not None
    assert review == {
        "id": cast.review_id,
        "state": {"code": "GHA", "name": "Ghana"},
        "instrument": "TIP",
        "cluster": "I",
        "bank_version": {"id": stored.bank_version_id, "version": 2},
        "phase": "Cluster I, group 1",
        "status": "submitted",
        "started_on": date.today().isoformat(),
        "answers_due_on": stored.answers_due_on.isoformat(),
        "submitted_at": review["submitted_at"],
        "list_status": "drafting",
        "reviewing_states": ["FRA", "NGA"],
        "overdue": [],
    }
    assert review["submitted_at"].startswith(stored.submitted_at.date().isoformat())
    used = fresh(db).exec(select(ApiToken)).one()
    assert used.last_used_at is not None


def test_the_reviews_can_be_filtered_and_a_bad_filter_is_a_json_400(
    client: FlaskClient, cast: Cast, token: str
) -> None:
    def listed(query: str) -> list[int]:
        response = client.get(f"/api/v1/reviews?{query}", headers=bearer(token))
        return [r["id"] for r in response.get_json()["reviews"]]

    assert listed("instrument=TIP&status=submitted&region=african") == [cast.review_id]
    assert listed("status=answering") == []
    assert listed(f"phase_id={cast.phase_id}") == [cast.review_id]
    assert listed("instrument=SOM") == []
    for query, name in (("status=late", "status"), ("phase_id=one", "phase_id")):
        response = client.get(f"/api/v1/reviews?{query}", headers=bearer(token))
        assert json_error(response, 400, "bad_request").startswith(name)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["none", "empty", "basic"],
)
def test_no_token_is_a_json_401(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.get("/api/v1/reviews", headers=headers)

    assert "Authorization: Bearer" in json_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_unknown_or_revoked_token_is_a_json_401(
    db: Session, client: FlaskClient, token: str
) -> None:
    stored = db.exec(select(ApiToken)).one()
    api_services.revoke_token(db, stored)
    db.commit()

    for secret in (token, "qapi_not-a-token"):
        response = client.get("/api/v1/reviews", headers=bearer(secret))
        assert "unknown or has been revoked" in json_error(response, 401, "unauthorized")
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_logged_in_secretariat_session_is_not_accepted(
    client: FlaskClient, cast: Cast, secretariat: User
) -> None:
    login(client, secretariat)
    assert client.get("/").status_code == 200  # the session works for the pages

    json_error(client.get("/api/v1/reviews"), 401, "unauthorized")


def test_a_token_whose_member_left_the_secretariat_is_a_json_403(
    db: Session, client: FlaskClient, secretariat: User, token: str
) -> None:
    secretariat.is_secretariat = False
    db.add(secretariat)
    db.commit()

    response = client.get("/api/v1/reviews", headers=bearer(token))

    assert "not an active secretariat account" in json_error(response, 403, "forbidden")
    assert fresh(db).exec(select(ApiToken)).one().last_used_at is None


def test_tokens_belong_to_active_secretariat_members_only(
    db: Session, make_user: Callable[..., User]
) -> None:
    expert = make_user("GHA")
    with pytest.raises(RuleViolation, match="secretariat only"):
        api_services.create_token(db, expert, "mine")
    member = make_user(None, secretariat=True)
    with pytest.raises(RuleViolation, match="name of 1 to 120"):
        api_services.create_token(db, member, "  ")
    db.rollback()
    assert fresh(db).exec(select(ApiToken)).all() == []


# --- JSON everywhere under /api ----------------------------------------------------------------


def test_every_error_under_api_is_json_never_html(client: FlaskClient, token: str) -> None:
    json_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    json_error(client.get("/api"), 404, "not_found")
    json_error(client.get("/api/v2/banks"), 404, "not_found")
    response = client.post("/api/v1/banks")
    json_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, HEAD"
    json_error(client.delete("/api/v1/reviews", headers=bearer(token)), 405, "method_not_allowed")


def test_the_api_needs_no_csrf_token_and_sets_no_cookie(
    test_config: dict[str, object], db: Session, token: str
) -> None:
    app = create_app({**test_config, "WTF_CSRF_ENABLED": True}, check_schema=False)
    try:
        client = app.test_client()
        # With CSRF on, a POST would fail its check (400) if the API were not exempt.
        json_error(client.post("/api/v1/reviews", headers=bearer(token)), 405, "method_not_allowed")
        response = client.get("/api/v1/reviews", headers=bearer(token))
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    finally:
        database.get_engine(app).dispose()


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def test_the_token_command_prints_the_token_once_and_keeps_only_its_hash(
    db: Session, runner: FlaskCliRunner, client: FlaskClient, secretariat: User
) -> None:
    created = runner.invoke(cli, ["api-token", "create", "dashboard", "--user", secretariat.email])

    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert re.fullmatch(r"qapi_[A-Za-z0-9_-]{40,}", secret)
    stored = fresh(db).exec(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (stored.name, stored.created_by_id) == ("dashboard", secretariat.id)
    assert secret not in str(stored.model_dump())
    entries = fresh(db).exec(select(AuditEntry).where(AuditEntry.object_type == "api_token"))
    assert [e.action for e in entries] == ["api_token.create"]
    assert client.get("/api/v1/reviews", headers=bearer(secret)).status_code == 200

    listed = runner.invoke(cli, ["api-token", "list"])
    revoked = runner.invoke(cli, ["api-token", "revoke", str(stored.id)])
    again = runner.invoke(cli, ["api-token", "revoke", str(stored.id)])

    assert f"dashboard  {secretariat.email}" in listed.stdout
    assert ", last used " in listed.stdout
    assert revoked.exit_code == 0, revoked.output
    assert fresh(db).get(ApiToken, stored.id).revoked_at is not None  # type: ignore[union-attr]
    assert again.exit_code == 1 and "already revoked" in again.stderr
    json_error(client.get("/api/v1/reviews", headers=bearer(secret)), 401, "unauthorized")


def test_the_token_command_refuses_other_accounts(
    db: Session, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    expert = make_user("GHA")

    refused = runner.invoke(cli, ["api-token", "create", "mine", "--user", expert.email])
    unknown = runner.invoke(cli, ["api-token", "create", "mine", "--user", "nobody@x.example"])

    assert refused.exit_code == 1 and "secretariat only" in refused.stderr
    assert unknown.exit_code == 1 and "there is no account" in unknown.stderr
    assert refused.stdout == unknown.stdout == ""
    assert fresh(db).exec(select(ApiToken)).all() == []


# --- the OpenAPI document ----------------------------------------------------------------------


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_openapi_document_is_valid_and_served(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document == openapi_document()
    assert document["openapi"].startswith("3.1")
    validate_openapi(document)


def test_every_api_route_is_documented_and_every_documented_path_exists(app: Flask) -> None:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            routes.setdefault(_openapi_path(rule.rule), set()).update(methods)
    documented = {path: set(operations) for path, operations in openapi_document()["paths"].items()}

    assert routes == documented
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)
            assert "200" in operation["responses"], (method, path)
