"""The interface in the six official languages: which language a visitor gets, the switch, the
saved language, right to left for Arabic, pages and e-mails actually served translated, and the
helpers that keep sentences whole (lists, plurals, text of another direction)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, refresh
from sqlmodel import Session
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.test import TestResponse

from questionnaire.accounts import emails
from questionnaire.accounts.forms import LanguageForm, RegisterUserForm
from questionnaire.accounts.models import User
from questionnaire.dates import un_date
from questionnaire.i18n import (
    INTERFACE_LANGUAGES,
    LANGUAGE_NAMES,
    best_language,
    codes,
    isolated,
    left_to_right,
    list_of,
    plural_texts,
    sentences,
)
from questionnaire.nominations.forms import NominationForm
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, compose
from tests.conftest import PROJECT_ROOT, login

TRANSLATIONS = PROJECT_ROOT / "questionnaire" / "translations"
NEW_LANGUAGES = ("ar", "es", "ru", "zh")
#: Messages of the login page, which every catalog must translate.
LOGIN_PAGE_MESSAGES = ("Log in", "E-mail address", "Password", "Skip to main content")


@cache
def catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fileobj:
        return read_po(fileobj, locale=language)


def translation(language: str, msgid: str) -> str:
    """The catalog's translation of `msgid`; the test fails, naming it, if there is none."""
    message = catalog(language).get(msgid)
    text = message.string if message is not None and not message.fuzzy else None
    assert isinstance(text, str) and text.strip(), f"{language}: {msgid!r} is not translated yet"
    return text


def _page(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def _get(client: FlaskClient, path: str, **kwargs: Any) -> TestResponse:
    """GET as a new request: Flask-Babel keeps the chosen locale in `g`, which the `db`
    fixture's open application context would carry from one test request to the next."""
    refresh()
    return client.get(path, **kwargs)


def _choose(client: FlaskClient, language: str) -> None:
    response = client.post("/language", data={"language": language, "next": "/login"})
    assert response.status_code == 302


# --- which language a visitor gets ------------------------------------------------------------


def test_the_six_languages_in_the_order_of_un_documents() -> None:
    assert INTERFACE_LANGUAGES == ("ar", "zh", "en", "fr", "ru", "es")
    assert [LANGUAGE_NAMES[code] for code in INTERFACE_LANGUAGES] == [
        "العربية",
        "中文",
        "English",
        "Français",
        "Русский",
        "Español",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh-TW", "zh"),
        ("zh-Hans-SG", "zh"),
        ("es-419", "es"),
        ("es-MX,es;q=0.9", "es"),
        ("ar-EG", "ar"),
        ("ar-SA,en;q=0.5", "ar"),
        ("en;q=0.5,ar-SA", "ar"),  # the better-ranked range wins, exact match or not
        ("fr-CA,en;q=0.5", "fr"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-US,en;q=0.9", "en"),
        ("en-GB", "en"),
        ("de-DE,de;q=0.9,fr;q=0.8", "fr"),
        ("pt-BR,es;q=0.5", "es"),
        ("de-DE", "en"),
        ("*", "en"),
        ("", "en"),
        ("ar;q=0,fr;q=0.1", "fr"),
    ],
)
def test_accept_language_gets_the_best_of_the_six(header: str, expected: str) -> None:
    assert best_language(parse_accept_header(header, LanguageAccept)) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [("zh-CN", "zh"), ("es-419", "es"), ("ar-EG", "ar"), ("ru", "ru"), ("de", "en")],
)
def test_a_visitor_who_has_not_chosen_is_served_in_the_browsers_language(
    client: FlaskClient, header: str, expected: str
) -> None:
    page = _page(_get(client, "/login", headers={"Accept-Language": header}))
    direction = "rtl" if expected == "ar" else "ltr"
    assert f'<html lang="{expected}" dir="{direction}">' in page


def test_a_chosen_language_wins_over_the_browsers(client: FlaskClient) -> None:
    _choose(client, "ru")
    page = _page(_get(client, "/login", headers={"Accept-Language": "zh-CN"}))
    assert '<html lang="ru" dir="ltr">' in page


# --- direction --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_arabic_pages_run_right_to_left_and_the_others_left_to_right(
    client: FlaskClient, language: str
) -> None:
    _choose(client, language)
    page = _page(_get(client, "/login"))
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page


def test_an_arabic_page_of_a_signed_in_user_is_right_to_left(
    client: FlaskClient,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    focal_point = make_user("GHA", locale="ar")
    review = make_review("GHA")
    member(review, focal_point, "focal_point")
    login(client, focal_point)

    page = _page(_get(client, f"/reviews/{review.id}/"))

    assert '<html lang="ar" dir="rtl">' in page
    assert "غانا" in page  # the State's name in Arabic, from the names on file


# --- the switch and the saved language -------------------------------------------------------


def test_the_switch_offers_the_six_languages_each_in_its_own_name(client: FlaskClient) -> None:
    page = _page(_get(client, "/login"))
    switch = page[
        page.index('class="language-switch"') : page.index(
            "</form>", page.index('class="language-switch"')
        )
    ]
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="(\w+)" dir="(\w+)"\s*'
        r'(?:aria-current="true" class="is-current")?>([^<]+)</button>',
        switch,
    )
    assert [(value, lang, direction, name) for value, lang, direction, name in buttons] == [
        (code, code, "rtl" if code == "ar" else "ltr", LANGUAGE_NAMES[code])
        for code in INTERFACE_LANGUAGES
    ]


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_a_user_saves_any_of_the_six_languages(
    client: FlaskClient, db: Session, make_user: Callable[..., User], language: str
) -> None:
    user = make_user("GHA", locale="fr")
    login(client, user)

    response = client.post("/language", data={"language": language, "next": "/account/"})

    assert response.status_code == 302
    db.refresh(user)
    assert user.locale == language
    page = _page(_get(client, "/account/"))
    assert f'<html lang="{language}"' in page
    assert f'<span lang="{language}">{LANGUAGE_NAMES[language]}</span>' in page


def test_a_language_outside_the_six_is_refused(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("GHA", locale="fr")
    login(client, user)

    assert client.post("/language", data={"language": "de", "next": "/"}).status_code == 400
    db.refresh(user)
    assert user.locale == "fr"


def test_the_language_fields_offer_the_six(app: Flask) -> None:
    with app.test_request_context("/"):
        for form in (LanguageForm(meta={"csrf": False}), RegisterUserForm(meta={"csrf": False})):
            field = form.language if isinstance(form, LanguageForm) else form.locale
            assert [choice.value for choice in field.choices] == list(INTERFACE_LANGUAGES)


def test_a_new_person_is_registered_in_english_unless_another_language_is_chosen(
    app: Flask,
) -> None:
    """The lists start with Arabic (the UN order): the default must not follow the list."""
    with app.test_request_context("/"):
        assert RegisterUserForm(meta={"csrf": False}).locale.data == "en"
        assert NominationForm(meta={"csrf": False}).locale.data == "en"


# --- served translated ------------------------------------------------------------------------


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_the_login_page_is_served_translated(client: FlaskClient, language: str) -> None:
    _choose(client, language)
    page = _page(_get(client, "/login"))
    for msgid in LOGIN_PAGE_MESSAGES:
        assert translation(language, msgid) in page, (language, msgid)
    assert "Skip to main content" not in page


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_the_home_page_of_a_signed_in_user_is_served_translated(
    client: FlaskClient, make_user: Callable[..., User], language: str
) -> None:
    login(client, make_user("GHA", locale=language))
    page = _page(_get(client, "/"))
    for msgid in ("My reviews", "Log out"):
        assert translation(language, msgid) in page, (language, msgid)
    assert "Log out" not in page


# --- e-mails in the recipient's language ------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_an_account_email_is_written_in_the_recipients_language(
    app: Flask, make_user: Callable[..., User], language: str
) -> None:
    user = make_user("GHA", locale=language)
    expires = datetime(2027, 5, 2, 9, 30, tzinfo=UTC)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        subject, body = emails.activation(user, "https://review.example/activate/x", expires)
        with force_locale(language):
            written_date = un_date(expires)

    assert subject == translation(
        language, "Activate your account for the UNTOC review questionnaires"
    )
    assert written_date in body
    assert "https://review.example/activate/x" in body
    assert "Dear" not in body


def test_a_review_email_is_written_in_arabic_for_an_arabic_reader(
    app: Flask, db: Session, make_review: Callable[..., Review]
) -> None:
    review = make_review("GHA")
    notice = ReviewNotice(
        review=review,
        texts=lambda state: ("subject", f"happened to {state}", "expected"),
        url="https://review.example/reviews/1/",
        due_on=date(2027, 5, 2),
    )
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        _subject, body = compose(db, notice, "ar")
        with force_locale("ar"):
            due = un_date(date(2027, 5, 2))

    state_line = translation("ar", "State under review: %(state)s") % {"state": "غانا"}
    assert "happened to غانا" in body
    assert state_line in body
    assert translation("ar", "Due on %(date)s.") % {"date": due} in body
    assert "State under review" not in body


# --- whole sentences --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Ghana, Kenya and Nigeria"),
        ("fr", "Ghana, Kenya et Nigeria"),
        ("es", "Ghana, Kenya y Nigeria"),
        ("ru", "Ghana, Kenya и Nigeria"),
        ("zh", "Ghana、Kenya和Nigeria"),
        ("ar", "Ghana وKenya وNigeria"),
    ],
)
def test_lists_are_joined_as_each_language_joins_them(
    app: Flask, language: str, expected: str
) -> None:
    with app.test_request_context("/"), force_locale(language):
        assert list_of(["Ghana", "Kenya", "Nigeria"]) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "SOM, TIP"),
        ("fr", "SOM, TIP"),
        ("ru", "SOM, TIP"),
        ("zh", "SOM、TIP"),
        ("ar", "SOM، TIP"),
    ],
)
def test_codes_are_enumerated_with_each_language_s_comma(
    app: Flask, language: str, expected: str
) -> None:
    with app.test_request_context("/"), force_locale(language):
        assert codes(["SOM", "TIP"]) == expected
    with app.app_context(), force_locale(language):  # an e-mail written by a job
        assert codes(["SOM", "TIP"]) == expected


def test_codes_outside_any_request_take_english_commas(app: Flask) -> None:
    with app.app_context():  # a command: nobody's language
        assert codes(["SOM", "TIP"]) == "SOM, TIP"


def test_a_count_has_every_plural_form_of_the_language(app: Flask) -> None:
    """Russian and Arabic need more than "one" and "other" (the word counter's forms)."""
    with app.test_request_context("/"):
        with force_locale("ru"):
            russian = plural_texts("%(num)d word", "%(num)d words")
        with force_locale("ar"):
            arabic = plural_texts("%(num)d word", "%(num)d words")
        with force_locale("zh"):
            chinese = plural_texts("%(num)d word", "%(num)d words")
        with force_locale("en"):
            english = plural_texts("%(num)d word", "%(num)d words")
    assert set(russian) == {"one", "few", "many"}
    assert set(arabic) == {"zero", "one", "two", "few", "many", "other"}
    assert set(chinese) == {"other"}
    assert english == {"one": "{n} word", "other": "{n} words"}
    assert all("{n}" in text or "%" not in text for text in [*russian.values(), *arabic.values()])


def test_text_of_the_other_direction_is_isolated_in_arabic_only(app: Flask) -> None:
    with app.test_request_context("/"):
        with force_locale("ar"):
            assert isolated("Use of terms", "en") == "\u2068Use of terms\u2069"
            assert isolated("استخدام المصطلحات", "ar") == "استخدام المصطلحات"
            assert left_to_right("5(1)(a)") == "\u20665(1)(a)\u2069"
        with force_locale("fr"):
            assert isolated("Use of terms", "en") == "Use of terms"
            assert left_to_right("5(1)(a)") == "5(1)(a)"
        with force_locale("zh"):
            assert sentences("第一句。", "第二句。") == "第一句。第二句。"
        with force_locale("en"):
            assert sentences("One.", "", "Two.") == "One. Two."
