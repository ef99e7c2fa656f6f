"""Ids and dates beyond what the database stores are refused as "not found" or as a form error,
never with a 500 (PostgreSQL raises on an integer past its INTEGER columns; SQLite does not).

The URL map is walked whole: every rule with an integer argument is called with ids past
INTEGER, as an anonymous visitor and as the secretariat, with each of its methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from questionnaire.accounts.models import User
from questionnaire.api import services as api_services
from questionnaire.documents.forms import CrpForm
from questionnaire.nominations import bulk
from questionnaire.reviews.models import ReviewPhase
from questionnaire.validators import parse_id
from tests.conftest import login

#: Past PostgreSQL's INTEGER, past BIGINT, and far past both.
HUGE_IDS = (2**31, 2**63, 10**40)


def int_rules(app: Flask) -> list[Rule]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]
    assert len(rules) > 20, "the walk must find the routes with ids"
    return rules


def path_of(rule: Rule, huge: int) -> str:
    """The rule's address with every integer argument `huge` and every other one plausible."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = huge
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "TIP"
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def calls(app: Flask) -> Iterator[tuple[str, str]]:
    for rule in int_rules(app):
        for huge in HUGE_IDS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, path_of(rule, huge)


def server_errors(client: FlaskClient, app: Flask) -> list[str]:
    found = []
    for method, path in calls(app):
        response = client.open(path, method=method, data={})
        if response.status_code >= 500:
            found.append(f"{method} {path}: {response.status_code}")
    return found


def test_huge_ids_are_not_found_for_an_anonymous_visitor(app: Flask, client: FlaskClient) -> None:
    assert server_errors(client, app) == []
    response = client.get(f"/exports/banks/{2**31}.json")
    assert response.status_code == 404


def test_huge_ids_are_not_found_for_the_secretariat(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], make_review: Callable
) -> None:
    make_review()
    login(client, make_user(None, secretariat=True))
    assert server_errors(client, app) == []
    assert client.get(f"/reviews/{2**31}/").status_code == 404


def test_an_id_just_inside_integer_is_looked_up(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    login(client, make_user(None, secretariat=True))
    assert client.get(f"/exports/banks/{2**31 - 1}.json").status_code == 404


@pytest.mark.parametrize("started_on", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_phase_start_date_out_of_range_is_a_form_error(
    client: FlaskClient, db: Session, make_user: Callable[..., User], started_on: str
) -> None:
    login(client, make_user(None, secretariat=True))
    response = client.post(
        "/phases/new",
        data={"name": "Phase 2", "started_on": started_on, "max_reviews_per_state": "3"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Give a date between 1 January 2000 and 31 December 2099." in page
    assert db.exec(select(ReviewPhase)).first() is None


def test_a_huge_phase_id_in_the_api_filter_is_a_json_400(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    _row, secret = api_services.create_token(db, make_user(None, secretariat=True), "sync")
    db.commit()
    for huge in HUGE_IDS:
        response = client.get(
            f"/api/v1/reviews?phase_id={huge}", headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 400
        assert response.get_json()["message"].startswith("phase_id")


def test_a_document_date_out_of_range_is_a_form_error(app: Flask) -> None:
    with app.test_request_context(method="POST", data={"issued_on": "9999-12-31"}):
        form = CrpForm()
        form.validate()
        assert form.issued_on.errors == ["Give a date between 1 January 2000 and 31 December 2099."]


@pytest.mark.parametrize("text", [str(2**31), str(10**40), "²", "-1", "", "12a"])
def test_an_id_in_a_form_or_a_query_that_cannot_be_one_is_ignored(
    client: FlaskClient, make_user: Callable[..., User], text: str
) -> None:
    login(client, make_user(None, secretariat=True))
    fields = {"origin": text, "review": text, "phase": text, "email": "a@gov-gh.example"}
    assert client.post("/nominations/new", data=fields).status_code < 500
    assert client.get(f"/audit-log/?review={text}").status_code == 200
    assert parse_id(text) is None


def test_an_id_within_integer_is_read() -> None:
    assert parse_id(str(2**31 - 1)) == 2**31 - 1
    assert parse_id("42") == 42


def test_a_nomination_dated_out_of_range_is_a_problem_in_the_form_and_the_file(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    secretariat = make_user(None, secretariat=True)
    login(client, secretariat)
    page = client.post("/nominations/new", data={"note_date": "9999-12-31"})
    assert page.status_code == 200
    assert "Give a date between 1 January 2000 and 31 December 2099." in page.get_data(as_text=True)
    content = (
        b"nominating_state,full_name,email,language,role,state_under_review,phase,instruments,"
        b"note_reference,note_date\r\n"
        b"GHA,Ama Owusu,ama@gov-gh.example,en,focal_point,GHA,,TIP,NV/1,9999-12-31\r\n"
    )
    rows, _header = bulk.read_file("nominations.csv", content)
    report = bulk.import_rows(db, rows, secretariat, save=False)
    assert [(p.row, p.column, p.message) for p in report.problems if p.column == "note_date"] == [
        (2, "note_date", "Write a date from 2000 to 2099.")
    ]


@pytest.mark.parametrize("name", ["review", "seat", "user"])
def test_a_huge_id_in_a_preselection_is_ignored(
    client: FlaskClient, make_user: Callable[..., User], name: str
) -> None:
    login(client, make_user(None, secretariat=True))
    assert client.get(f"/nominations/new?{name}={10**30}").status_code == 200
