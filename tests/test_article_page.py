"""The article page, whose question blocks are kept between requests (responses/prepared.py).

Whatever was rendered before, for whichever reader or language, a page must show exactly
what a fresh rendering shows, and a change must show at once; the macros that render what is
kept cannot read the reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.db import id_of
from questionnaire.responses import prepared, services
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.factories import bank_of_review, fresh

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


def test_the_pages_of_two_states_on_one_bank_version_are_each_their_own(
    app: Flask,
    ghana: dict,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    """The page is kept per bank version, section, language and rights: whatever belongs to
    the review (its links, its answers) must come from the request, never from the page kept
    for another State."""
    nigeria = make_review("NGA")
    expert = make_user("NGA")
    member(nigeria, expert, "focal_point")
    forget_rendered()
    ghana_page = page(client_of(app, ghana["focal_point"]), ghana["review"])
    nigeria_client = client_of(app, expert)
    kept = page(nigeria_client, nigeria)
    forget_rendered()
    assert page(nigeria_client, nigeria) == kept
    assert f"/reviews/{nigeria.id}/" in kept and f"/reviews/{ghana['review'].id}/" not in kept
    assert f'data-draft-key="review-{nigeria.id}-{SECTION}"' in kept
    assert "Criminal Code" not in kept and "Criminal Code" in ghana_page
    assert expert.full_name in kept


def as_posted(db: Session, review: Review, first_answer: str) -> dict[str, str]:
    """The page's form as the browser sends it with Save, the first answer set as given."""
    stored = services.answers_of(fresh(db), id_of(review))
    data = {"action": "save", "TIP-5-1": first_answer}
    data["TIP-5-1-cite"] = stored["TIP-5-1-cite"].value
    data["confidential__TIP-5-1-cite"] = "y"
    for key, answer in stored.items():
        data[f"version__{key}"] = str(answer.version)
    return data


def test_a_flashed_message_shows_once_on_the_kept_page(
    app: Flask, db: Session, ghana: dict
) -> None:
    client = client_of(app, ghana["focal_point"])
    review = ghana["review"]
    page(client, review)  # kept
    saved = client.post(URL.format(id=review.id), data=as_posted(db, review, "yes"))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "Your answers have been saved." in page(client, review)
    assert "Your answers have been saved." not in page(client, review)


def test_a_page_with_errors_is_rendered_afresh_with_its_summary(
    app: Flask, db: Session, ghana: dict
) -> None:
    client = client_of(app, ghana["focal_point"])
    review = ghana["review"]
    page(client, review)  # kept without errors
    response = client.post(URL.format(id=review.id), data=as_posted(db, review, "perhaps"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary' in html and 'href="#q-TIP-5-1-input"' in html
    assert "error-summary" not in page(client, review)


@pytest.mark.parametrize("name", prepared.PER_REQUEST_NAMES)
def test_a_kept_part_that_reads_the_reader_raises(app: Flask, name: str) -> None:
    """Were a macro of the question blocks to read the user, the request or the session, the
    first reader's block would be kept and shown to the next: it fails at once instead."""
    template = app.jinja_env.from_string(
        f"{{% macro block() %}}<p>{{{{ {name}.anything }}}}</p>{{% endmacro %}}"
        f"{{% macro shown() %}}{{% if {name} %}}yes{{% endif %}}{{% endmacro %}}"
    )
    macros = prepared.kept_macros(template)
    with app.test_request_context("/"):
        with pytest.raises(prepared.KeptRenderingError, match=name):
            macros.block()
        with pytest.raises(prepared.KeptRenderingError, match=name):
            macros.shown()


def test_two_readers_alternating_each_get_their_own_page(
    app: Flask,
    ghana: dict,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    """Two readers of the same bank version and section, in turn, each after the other has
    filled the kept blocks: each sees their own State's answers, rights, language and name."""
    nigeria = make_review("NGA")
    reader = make_user("NGA", locale="fr")
    member(nigeria, reader, "observer")
    readers = [
        (client_of(app, ghana["focal_point"]), ghana["review"]),
        (client_of(app, reader), nigeria),
    ]
    forget_rendered()
    fresh_pages = []
    for client, review in readers:
        fresh_pages.append(page(client, review))
        forget_rendered()
    for _ in range(2):
        for (client, review), fresh_page in zip(readers, fresh_pages, strict=True):
            assert page(client, review) == fresh_page
    ghana_page, nigeria_page = fresh_pages
    assert "Criminal Code" in ghana_page and "Criminal Code" not in nigeria_page
    assert " readonly" in nigeria_page and " readonly" not in ghana_page
    assert "Votre pays a-t-il" in nigeria_page and "Votre pays a-t-il" not in ghana_page
    assert reader.full_name in nigeria_page and reader.full_name not in ghana_page
