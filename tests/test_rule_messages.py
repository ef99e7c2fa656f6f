"""The services' refusals (RuleViolation) in the reader's language: French on a French page,
English on the command line and wherever no request chooses a language."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.factories import Workspace, cast_review, flashes, page_text

EMPTY_LIST_EN = "The list of observations has no observation yet."
EMPTY_LIST_FR = "La liste d'observations ne contient encore aucune observation."


def _speaks_french(db: Session, user: User) -> None:
    stored = db.get(User, user.id)
    assert stored is not None
    stored.locale = "fr"
    db.commit()


def test_a_french_reviewer_is_told_in_french_why_the_list_cannot_be_shared(
    app: Flask,
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    cast = cast_review(db, make_user, make_review, member)
    _speaks_french(db, cast.reviewer)
    client = app.test_client()
    login(client, cast.reviewer)
    reviewer = Workspace(client, cast.review_id)

    response = reviewer.move("with_state", follow=True)

    assert '<html lang="fr"' in response.get_data(as_text=True)
    assert flashes(response) == [EMPTY_LIST_FR]
    assert EMPTY_LIST_EN not in page_text(response)


def test_a_refusal_with_numbers_is_formatted_in_french(
    app: Flask,
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "SUMMARY_WORD_LIMIT", 12)
    cast = cast_review(db, make_user, make_review, member)
    _speaks_french(db, cast.reviewer)
    client = app.test_client()
    login(client, cast.reviewer)

    response = Workspace(client, cast.review_id).summary(" ".join(["mot"] * 13), 1)

    assert response.status_code == 200
    assert flashes(response) == ["Le résumé compte 13 mots ; la limite est de 12."]


def test_the_state_in_a_refusal_is_named_in_the_readers_language(
    app: Flask,
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> None:
    secretariat = make_user(None, secretariat=True, locale="fr")
    client = app.test_client()
    login(client, secretariat)

    response = client.post(
        "/phases/new",
        data={
            "name": "Groupe 1",
            "cluster": "I",
            "started_on": date.today().isoformat(),
            "max_reviews_per_state": "3",
            "states": ["GHA", "IRN"],
        },
    )

    assert response.status_code == 200
    iran = db.get(State, "IRN")
    assert iran is not None
    expected = (
        f"{state_name(iran, 'fr')} n'est partie à aucun instrument doté d'un questionnaire "
        "du groupe thématique I."
    )
    assert expected in html.unescape(response.get_data(as_text=True))


def test_outside_a_request_the_message_is_english(app: Flask, db: Session) -> None:
    """The command line prints str(exc) in an application context, without a request."""
    refusal = RuleViolation(_l("Token %(id)s was already revoked.", id=7))

    assert str(refusal) == "Token 7 was already revoked."
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert str(refusal) == "Le jeton 7 a déjà été révoqué."
    assert str(refusal) == "Token 7 was already revoked."
