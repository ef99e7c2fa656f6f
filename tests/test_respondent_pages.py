"""What respondents read on their pages: check your answers as a summary list, carried-forward
answers confirmed per answer or per section, marking a section complete refused while answers
await confirmation, error summaries that name the question, the links field that keeps its
valid lines, and question keys shown to the secretariat only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.db import utcnow
from questionnaire.responses import services
from questionnaire.responses.forms import states_from_answers
from questionnaire.responses.section_page import _to_confirm_errors
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login

V1, V2 = ("TIP", "I", 1), ("TIP", "I", 2)


def bank(db: Session, review: Review) -> Any:
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    return bank_of(version)


def save(db: Session, review: Review, user: User, values: dict[str, Any]) -> None:
    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    changes = [
        AnswerChange(key, value, False, answers[key].version if key in answers else 0)
        for key, value in values.items()
    ]
    services.save_answers(db, review, bank(db, review), user, changes, kind="save", language="en")
    db.commit()


def page_data(db: Session, review: Review, section_key: str, **extra: Any) -> dict[str, Any]:
    """What the article page posts when nothing is changed on it, plus `extra` fields."""
    db.rollback()
    db.expire_all()
    section = bank(db, review).sections_by_key[section_key]
    data: dict[str, Any] = {}
    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    for key, state in states_from_answers(section, answers).items():
        data[f"version__{key}"] = state.version
        if state.data not in ("", []):
            data[key] = state.data
    return {**data, **extra}


def text(response: Any) -> str:
    """The page's text, its tags removed and its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.fixture
def carried(db: Session, make_user, make_review, member) -> tuple[Review, User]:
    """A v2 review with answers carried forward from a submitted v1 review (TIP-3-1 "yes",
    carried to TIP-3-6 and TIP-3-7), its focal point logged in by the test."""
    user = make_user("GHA")
    earlier = make_review("GHA", V1)
    save(db, earlier, user, {"TIP-3-1": "yes", "TIP-3-1-cite": "Act 694, s. 1"})
    earlier.status, earlier.submitted_at = "submitted", utcnow()
    db.add(earlier)
    db.commit()
    review = make_review("GHA", V2)
    member(review, user, "focal_point")
    assert services.carry_forward(db, review, bank(db, review)) > 0
    db.commit()
    return review, user


def test_marking_a_section_complete_is_refused_while_carried_answers_await_confirmation(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    url = f"/reviews/{review.id}/sections/art-3"
    page = client.get(url).get_data(as_text=True)
    assert "Confirm all unchanged answers in this section" in page
    assert "TIP cluster I v1" not in page  # the questionnaire's name and date instead

    refused = client.post(url, data=page_data(db, review, "art-3", action="complete"))

    assert refused.status_code == 200
    summary = text(refused).split("There is a problem", 1)[1]
    # More than three answers to confirm: one line, to the button that confirms them all.
    to_confirm = services.submission_blockers(db, review, bank(db, review))
    count = len(next(b.to_confirm for b in to_confirm if b.section_key == "art-3"))
    assert count > 3
    assert (
        f"{count} carried-forward answers await confirmation: confirm them all at once, or "
        "change them one by one." in summary
    )
    assert "Confirm or change the carried-forward answer:" not in summary
    assert 'href="#carried-summary"' in refused.get_data(as_text=True)
    assert 'id="carried-summary"' in refused.get_data(as_text=True)
    assert 'id="q-TIP-3-6-confirm"' in refused.get_data(as_text=True)
    assert "Section saved and marked complete." not in text(refused)
    assert not services.progress_rows(db, review.id)  # type: ignore[arg-type]

    confirmed = client.post(url, data=page_data(db, review, "art-3", action="confirm-section"))
    assert confirmed.status_code == 302
    assert "carried-forward answers confirmed." in text(client.get(url))
    db.rollback()
    blockers = services.submission_blockers(db, review, bank(db, review))
    assert not any(b.to_confirm for b in blockers if b.section_key == "art-3")


def test_up_to_three_answers_to_confirm_are_each_named_in_the_error_summary(
    app: Flask, db: Session, carried
) -> None:
    review, _user = carried
    questions = bank(db, review)
    with app.test_request_context():
        three = _to_confirm_errors(questions, ("TIP-3-6", "TIP-3-7", "TIP-3-2"))
        assert [target for target, _text in three] == [
            "q-TIP-3-6-confirm",
            "q-TIP-3-7-confirm",
            "q-TIP-3-2-confirm",
        ]
        assert three[0][1].startswith("Confirm or change the carried-forward answer: Article 3(a)")
        four = _to_confirm_errors(questions, ("TIP-3-6", "TIP-3-7", "TIP-3-2", "TIP-3-3"))
        assert four == [
            (
                "carried-summary",
                "4 carried-forward answers await confirmation: confirm them all at once, or "
                "change them one by one.",
            )
        ]


def test_the_check_page_lists_answers_by_their_short_text_and_groups_what_is_left(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    page = client.get(f"/reviews/{review.id}/check")
    html = page.get_data(as_text=True)

    assert 'class="summary-list"' in html
    assert "TIP-3-6" not in text(page)  # no keys for respondents
    assert "Article 3(a): " in text(page)
    assert "Confirm: Article 3(a): " in text(page)
    assert "Answer: " in text(page)
    assert "disabled" not in html.split("Submit the answers</button>")[0].rsplit("<button", 1)[1]
    assert "There is a problem" not in text(page)

    refused = client.post(f"/reviews/{review.id}/submit")
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"/reviews/{review.id}/check?attempted=1")
    summary = client.get(refused.headers["Location"])
    assert "There is a problem" in text(summary)
    assert "The answers cannot be submitted yet." in text(summary)
    assert "Article 3. " in text(summary).split("There is a problem", 1)[1]


def test_keys_are_shown_to_the_secretariat_only(
    app: Flask, client: FlaskClient, db: Session, carried, make_user
) -> None:
    review, user = carried
    login(client, user)
    respondent = client.get(f"/reviews/{review.id}/sections/art-5").get_data(as_text=True)
    assert 'class="article-layout hide-keys"' in respondent
    assert "TIP-5-1" not in text(client.get(f"/reviews/{review.id}/check"))

    client = app.test_client()
    login(client, make_user(None, secretariat=True))
    secretariat = client.get(f"/reviews/{review.id}/sections/art-5").get_data(as_text=True)
    assert 'class="article-layout"' in secretariat
    assert "TIP-3-6" in text(client.get(f"/reviews/{review.id}/check"))


def test_a_links_question_with_its_own_hint_shows_one_hint(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    html = client.get(f"/reviews/{review.id}/sections/art-5").get_data(as_text=True)
    block = html.split('id="q-TIP-5-1-links"', 1)[1].split('<div class="question', 1)[0]
    assert block.count('class="hint"') == 1
    assert "One link per line." in block


def test_the_error_summary_names_the_question_a_follow_up_belongs_to(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    url = f"/reviews/{review.id}/sections/art-5"
    data = page_data(db, review, "art-5", **{"TIP-5-1": "yes", "TIP-5-1-cite": "x" * 20_001})

    response = client.post(url, data=data)

    summary = text(response).split("There is a problem", 1)[1]
    assert (
        "Article 5(1): Please cite the applicable legislation and provisions – "
        "Keep the answer under 20000 characters"
    ) in summary


def test_the_links_field_keeps_its_valid_lines_and_marks_the_bad_one(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    url = f"/reviews/{review.id}/sections/art-5"
    lines = "https://sherloc.unodc.org/cld/gha/act694\nAct 694 of 2005\nwww.ghalii.org/act694"
    data = page_data(db, review, "art-5", **{"TIP-5-1": "yes", "TIP-5-1-links": lines})

    response = client.post(url, data=data)

    assert response.status_code == 200
    assert "“Act 694 of 2005” is not a web address" in text(response)
    assert (
        "Act 694 of 2005" in response.get_data(as_text=True).split('id="q-TIP-5-1-links-input"')[1]
    )
    db.rollback()
    stored = services.answers_of(db, review.id)["TIP-5-1-links"]  # type: ignore[arg-type]
    assert stored.value == [
        "https://sherloc.unodc.org/cld/gha/act694",
        "https://www.ghalii.org/act694",
    ]


def test_autosave_saves_the_valid_links_and_says_nothing_was_saved_when_none_is(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    login(client, user)
    url = f"/reviews/{review.id}/sections/art-5/autosave"

    def autosave(value: str, version: int) -> dict[str, Any]:
        item = {"key": "TIP-5-1-links", "value": value, "is_confidential": False,
                "base_version": version}  # fmt: skip
        return client.post(url, json={"answers": [item]}).get_json()

    partly = autosave("www.sherloc.unodc.org/a\nnot a link", 0)
    assert partly["saved"] == {"TIP-5-1-links": 1}
    assert "“not a link” is not a web address" in partly["invalid"]["TIP-5-1-links"]
    nothing = autosave("still not a link", 1)
    assert nothing["saved"] == {} and "TIP-5-1-links" in nothing["invalid"]
    db.rollback()
    stored = services.answers_of(db, review.id)["TIP-5-1-links"]  # type: ignore[arg-type]
    assert stored.value == ["https://www.sherloc.unodc.org/a"]


def test_after_submission_every_section_shows_as_submitted(
    client: FlaskClient, db: Session, carried
) -> None:
    review, user = carried
    review.status, review.submitted_at = "submitted", utcnow()
    db.add(review)
    db.commit()
    login(client, user)
    page = client.get(f"/reviews/{review.id}/").get_data(as_text=True)
    tags = re.findall(r'<span class="tag tag--(\w+)" id="status-', page)
    assert tags and set(tags) == {"submitted"}
