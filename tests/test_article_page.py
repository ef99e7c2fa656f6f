"""The article page, whose question blocks are kept between requests (responses/prepared.py).

Whatever was rendered before, for whichever reader or language, a page must show exactly
what a fresh rendering shows, and a change must show at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.responses import prepared, services
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.test_answer_saving import bank_of_review, fresh

SECTION = "art-5"
URL = "/reviews/{id}/sections/" + SECTION


def page(client: FlaskClient, review: Review) -> str:
    response = client.get(URL.format(id=review.id))
    assert response.status_code == 200
    # The form's CSRF token is signed with the time: the only part meant to differ.
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))


def forget_rendered() -> None:
    prepared._cached_block.cache_clear()
    prepared._PREPARED.clear()


def question_block(html: str, key: str) -> str:
    match = re.search(
        rf'<div class="question[^"]*"\s+id="q-{re.escape(key)}".*?</fieldset>', html, re.S
    )
    assert match, f"no block for {key}"
    return match[0]


@pytest.fixture
def ghana(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> dict[str, object]:
    review = make_review("GHA")
    people = {
        "focal_point": make_user("GHA"),
        "expert": make_user("GHA", locale="fr"),
        "observer": make_user("GHA"),
    }
    for role, user in people.items():
        member(review, user, role)
    bank = bank_of_review(db, review)
    changes = [
        AnswerChange("TIP-5-1", "yes", False, 0),
        AnswerChange("TIP-5-1-cite", "Criminal Code, s. 12 <b>&amp;</b>", True, 0),
    ]
    services.save_answers(
        db, review, bank, people["focal_point"], changes, kind="save", language="en"
    )
    db.commit()
    return {"review": review, **people}


def client_of(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    login(client, user)
    return client


def test_a_kept_page_is_the_page_rendered_afresh(app: Flask, ghana: dict) -> None:
    client = client_of(app, ghana["focal_point"])
    forget_rendered()
    first = page(client, ghana["review"])
    kept = page(client, ghana["review"])
    forget_rendered()
    assert kept == first == page(client, ghana["review"])
    cite = question_block(first, "TIP-5-1-cite")
    assert "Criminal Code, s. 12 &lt;b&gt;&amp;amp;&lt;/b&gt;" in cite  # escaped once, as text
    assert re.search(r'name="confidential__TIP-5-1-cite"[^>]*\bchecked', cite)
    assert f"/reviews/{ghana['review'].id}/answers/TIP-5-1-cite/history" in cite


def test_a_change_shows_at_once(app: Flask, db: Session, ghana: dict) -> None:
    client = client_of(app, ghana["focal_point"])
    review = ghana["review"]
    before = question_block(page(client, review), "TIP-5-1-cite")
    version = services.answers_of(fresh(db), review.id)["TIP-5-1-cite"].version
    item = {"key": "TIP-5-1-cite", "value": "Penal Code, art. 7", "base_version": version}
    saved = client.post(
        f"/reviews/{review.id}/sections/{SECTION}/autosave", json={"answers": [item]}
    )
    assert saved.status_code == 200 and saved.get_json()["saved"]
    after = question_block(page(client, review), "TIP-5-1-cite")
    assert "Penal Code, art. 7" in after and "Criminal Code" not in after
    assert f'value="{version + 1}" data-version-for="TIP-5-1-cite"' in after
    assert not re.search(r'name="confidential__TIP-5-1-cite"[^>]*\bchecked', after)
    assert before != after


def test_follow_ups_hide_and_show_with_the_answers(app: Flask, db: Session, ghana: dict) -> None:
    client = client_of(app, ghana["focal_point"])
    review = ghana["review"]
    html = page(client, review)
    assert 'id="q-TIP-5-1-explain"' in html
    assert re.search(r'id="q-TIP-5-1-explain"[^>]*\bhidden>', html)
    assert not re.search(r'id="q-TIP-5-1-cite"[^>]*\bhidden>', html)
    answer = services.answers_of(fresh(db), review.id)["TIP-5-1"]
    item = {"key": "TIP-5-1", "value": "no", "base_version": answer.version}
    client.post(f"/reviews/{review.id}/sections/{SECTION}/autosave", json={"answers": [item]})
    html = page(client, review)
    assert not re.search(r'id="q-TIP-5-1-explain"[^>]*\bhidden>', html)
    assert re.search(r'id="q-TIP-5-1-cite"[^>]*\bhidden>', html)


def test_each_reader_gets_the_page_for_their_language_and_rights(app: Flask, ghana: dict) -> None:
    review = ghana["review"]
    english = page(client_of(app, ghana["focal_point"]), review)
    french = page(client_of(app, ghana["expert"]), review)
    read_only = page(client_of(app, ghana["observer"]), review)
    assert "Votre pays a-t-il conféré le caractère" in french
    assert "réservé aux examinateurs et au secrétariat" in french
    assert "Has your country established as a criminal offence" in english
    assert "Has your country established" not in french
    assert " disabled" not in english and " readonly" not in english
    assert " disabled" not in french
    assert read_only.count(" readonly") >= 1 and read_only.count(" disabled") >= 3
    # The English reader's page, once more after the others: still theirs.
    assert page(client_of(app, ghana["focal_point"]), review) == english
