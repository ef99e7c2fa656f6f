"""The site header, kept per language and kind of account (questionnaire/fragments.py): whatever
was rendered before, for whichever reader, a page shows what a fresh rendering shows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire import fragments
from questionnaire.accounts.models import User
from tests.conftest import login

Renderer = Callable[..., str]
Install = Callable[[Renderer], None]
PATHS = ("/questionnaires/", "/questionnaires/?instrument=TIP")


def paths_of(reader: str) -> tuple[str, ...]:
    """Pages with the header: the login page for the anonymous, the home page for the others."""
    return ("/login" if reader == "anonymous" else "/", *PATHS)


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


def test_a_kept_header_is_the_header_rendered_afresh(readers: dict[str, FlaskClient]) -> None:
    for name, client in readers.items():  # every combination kept, in a mixed order
        for path in paths_of(name):
            header(client, path)
    for name, client in readers.items():
        for path in paths_of(name):
            kept = header(client, path)
            fragments._parts.cache_clear()
            assert header(client, path) == kept, (name, path)


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


@pytest.fixture
def rendered_by(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Renderer], None]]:
    """Put a function in the place of the template rendering fragments use; what was kept is
    forgotten before and after."""

    def install(render: Renderer) -> None:
        monkeypatch.setattr(fragments, "render_template", render)
        fragments._parts.cache_clear()

    yield install
    fragments._parts.cache_clear()


def test_a_slot_printed_through_a_filter_is_refused(app: Flask, rendered_by: Install) -> None:
    rendered_by(lambda _template, **context: f"<p>{str(context['name']).upper()}</p>")
    with app.test_request_context("/"), pytest.raises(fragments.FragmentError, match="name"):
        fragments.fragment("any.html", {}, {"name": "Ana"})


def test_a_fragment_inside_another_must_be_kept_by_the_enclosing_ones_values(
    app: Flask, rendered_by: Install
) -> None:
    """Were the header kept inside the article page by a value the page is not kept by (the
    kind of account), one reader's header would be shown to all."""

    def render(template: str, **context: object) -> str:
        if template == "inner.html":
            return f"<b>{context['name']}</b>"
        inner = fragments.fragment("inner.html", {"secretariat": True}, {"name": "Ana"})
        return f"<p>{inner}{context['page']}</p>"

    rendered_by(render)
    with app.test_request_context("/"):
        with pytest.raises(fragments.FragmentError, match="among its own fixed values"):
            fragments.fragment("outer.html", {}, {"name": "Ana", "page": 1})
        kept = fragments.fragment("outer.html", {"secretariat": True}, {"name": "<Ana>", "page": 1})
        assert kept == "<p><b>&lt;Ana&gt;</b>1</p>"
        assert (
            fragments.fragment("outer.html", {"secretariat": True}, {"name": "Bo", "page": 2})
            == "<p><b>Bo</b>2</p>"
        )


def test_private_use_characters_in_the_kept_text_are_kept_as_they_are(
    app: Flask, rendered_by: Install
) -> None:
    """A bank's text may hold the private-use characters the markers are made of."""
    rendered_by(
        lambda _template, **context: f"<p>\ue000name\ue001 {context['name']} \ue000x\ue001</p>"
    )
    with app.test_request_context("/"):
        kept = fragments.fragment("any.html", {}, {"name": "Ana"})
    assert kept == "<p>\ue000name\ue001 Ana \ue000x\ue001</p>"
