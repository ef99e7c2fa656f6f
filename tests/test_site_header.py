"""The site header of every page: each reader's own links, name and language."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.accounts.models import User
from tests.conftest import login


def header(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    found = re.search(r"<header.*?</header>", response.get_data(as_text=True), re.S)
    assert found, f"no header on {path}"
    # The CSRF token is signed with the time: the only part meant to differ.
    return re.sub(r'name="csrf_token" value="[^"]+"', "", found[0])


@pytest.fixture
def readers(app: Flask, make_user: Callable[..., User]) -> dict[str, FlaskClient]:
    people = {
        "respondent": make_user("GHA"),
        "respondent in French": make_user("GHA", locale="fr"),
        "secretariat": make_user(None, secretariat=True),
    }
    clients = {"anonymous": app.test_client()}
    for name, user in people.items():
        clients[name] = app.test_client()
        login(clients[name], user)
    return clients


def test_each_reader_gets_their_own_header(readers: dict[str, FlaskClient]) -> None:
    secretariat = header(readers["secretariat"], "/questionnaires/")
    respondent = header(readers["respondent"], "/questionnaires/")
    french = header(readers["respondent in French"], "/questionnaires/?instrument=TIP")
    anonymous = header(readers["anonymous"], "/questionnaires/")

    assert "Audit log" in secretariat and "Audit log" not in respondent
    assert "My reviews" in respondent and "Log out" in respondent
    assert "Mes examens" in french or "Se déconnecter" in french
    assert 'name="next" value="/questionnaires/?instrument=TIP"' in french
    assert 'name="next" value="/questionnaires/"' in respondent
    assert "Log out" not in anonymous and "My reviews" not in anonymous
    assert "Person GHA" in respondent and "Person UNODC" in secretariat


def test_the_user_name_is_escaped_in_a_kept_header(
    app: Flask, db: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("GHA")
    client = app.test_client()
    login(client, user)
    header(client, "/questionnaires/")  # kept, with a slot for the name
    user.full_name = '<script>alert("x")</script> & Co'
    db.add(user)
    db.commit()
    shown = header(client, "/questionnaires/")
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in shown
