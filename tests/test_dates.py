"""Dates in one United Nations style per language, on pages and wherever else they are shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from questionnaire.accounts import emails
from questionnaire.accounts.models import User
from questionnaire.dates import un_date, un_datetime
from questionnaire.reviews.models import Review
from tests.conftest import login

MAY_2 = date(2027, 5, 2)
AT = datetime(2027, 5, 2, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "2 May 2027"),
        ("fr", "2 mai 2027"),
        ("es", "2 de mayo de 2027"),
        ("ru", "2 мая 2027 г."),
        ("zh", "2027年5月2日"),
    ],
)
def test_one_date_style_per_language(app: Flask, language: str, expected: str) -> None:
    with app.test_request_context(), force_locale(language):
        assert un_date(MAY_2) == expected
        assert un_date(MAY_2, "short") == expected  # a format name no longer changes the style
        assert un_date(None) == ""


def test_times_are_on_24_hours_with_their_time_zone(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert un_datetime(AT) == "2 May 2027, 14:05 UTC"
    with app.test_request_context(), force_locale("fr"):
        assert un_datetime(AT) == "2 mai 2027, 14:05 UTC"


def test_the_home_page_shows_the_due_date_in_the_un_style(
    client: FlaskClient,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    review = make_review("GHA")
    expert = make_user("GHA")
    member(review, expert, "expert")
    login(client, expert)

    page = client.get("/").get_data(as_text=True)

    due = review.answers_due_on
    assert f"{due.day} {due.strftime('%B')} {due.year}" in page
    assert due.strftime("%b %-d, %Y") not in page  # not the US "medium" style


def test_an_activation_e_mail_says_when_its_link_expires_in_the_un_style(
    app: Flask, make_user: Callable[..., User]
) -> None:
    english, french = make_user("GHA"), make_user("FRA", locale="fr")
    with app.app_context():
        _subject, body = emails.activation(english, "https://x.example/a", AT)
        _sujet, corps = emails.activation(french, "https://x.example/a", AT)

    assert "expires on 2 May 2027, 14:05 UTC." in body
    assert "expire le 2 mai 2027, 14:05 UTC." in corps
