"""The interface catalogs (French, Arabic, Chinese, Russian, Spanish): each complete for what
the code and templates ask for today, nothing fuzzy, placeholders intact, compiled; French
served over HTTP here, the others in tests/test_languages.py."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po
from flask.testing import FlaskClient
from flask_babel import refresh
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.i18n import INTERFACE_LANGUAGES
from questionnaire.reviews.models import Review
from tests.conftest import PROJECT_ROOT, login

TRANSLATIONS = PROJECT_ROOT / "questionnaire" / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
#: Every catalog translated from the English of the code: all interface languages but English.
TRANSLATED = [language for language in INTERFACE_LANGUAGES if language != "en"]
#: How many plural forms each catalog has (gettext's Plural-Forms, as `pybabel init` writes it).
PLURAL_FORMS = {"ar": 6, "zh": 1, "fr": 2, "ru": 3, "es": 3}
#: The same keywords as `pybabel extract -k _l -k lazy_gettext` (the defaults plus those two).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
#: A %-placeholder as Python formats it: %(name)s, %d, %% …
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])"
)


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What the code and templates ask for now, extracted with babel.cfg into a fresh .pot."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(cfg.name))
    template = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with pot.open("wb") as fileobj:
        write_po(fileobj, template)
    catalog = _read_po(pot)
    assert len([m for m in catalog if m.id]) > 0, "the extraction found no message"
    return catalog


def _po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module", params=TRANSLATED)
def translated(request: pytest.FixtureRequest) -> Catalog:
    """Each translated catalog in turn (its `locale` says which)."""
    return _read_po(_po_path(request.param))


def test_every_interface_language_but_english_has_a_catalog() -> None:
    assert set(TRANSLATED) == set(PLURAL_FORMS)
    for language in TRANSLATED:
        assert _po_path(language).is_file(), language


def _texts(value: object) -> list[str]:
    """A msgid or msgstr as a list: one text, or one per plural form."""
    if isinstance(value, tuple | list):
        return [str(text or "") for text in value]
    return [str(value or "")]


def _forms(message: Message) -> list[str]:
    return _texts(message.string)


def _label(message: Message) -> str:
    ident = _texts(message.id)[0]
    return f"{message.context}|{ident}" if message.context else ident


def _placeholders(text: str) -> list[tuple[str | None, str]]:
    return sorted(
        (match["name"], match["type"])
        for match in PLACEHOLDER.finditer(text)
        if match["type"] != "%"
    )


def test_every_extracted_message_has_a_translation(extracted: Catalog, translated: Catalog) -> None:
    language = str(translated.locale)
    problems = []
    for wanted in extracted:
        if not wanted.id:
            continue
        found = translated.get(wanted.id, context=wanted.context)
        if found is None:
            problems.append(f"missing from {language}/messages.po: {_label(wanted)!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {_label(wanted)!r}")
        elif wanted.pluralizable and (not found.pluralizable or found.id != wanted.id):
            problems.append(f"plural forms out of date: {_label(wanted)!r}")
        elif not all(form.strip() for form in _forms(found)):
            problems.append(f"not translated: {_label(wanted)!r}")
    assert not problems, (
        f"Re-extract and update the catalogs, translate into {language}, then compile:\n"
        "  pybabel extract -F babel.cfg -k _l -k lazy_gettext"
        " -o questionnaire/translations/messages.pot .\n"
        "  pybabel update -i questionnaire/translations/messages.pot"
        " -d questionnaire/translations --no-fuzzy-matching\n" + "\n".join(problems)
    )


def test_catalog_is_complete_and_has_nothing_fuzzy(translated: Catalog) -> None:
    language = str(translated.locale)
    assert translated.num_plurals == PLURAL_FORMS[language], translated.plural_forms
    untranslated = [_label(m) for m in translated if m.id and not all(f.strip() for f in _forms(m))]
    fuzzy = [_label(m) for m in translated if m.id and m.fuzzy]
    wrong_forms = [
        _label(m)
        for m in translated
        if m.id and m.pluralizable and len(_forms(m)) != translated.num_plurals
    ]
    assert not untranslated, (language, untranslated)
    assert not fuzzy, (language, fuzzy)
    assert not wrong_forms, (language, wrong_forms)


def test_french_plural_rule() -> None:
    assert _read_po(_po_path("fr")).plural_forms == "nplurals=2; plural=(n > 1);"


def test_arabic_joins_no_preposition_to_a_name() -> None:
    """A State's or a body's name often begins with the article (السنغال, الفريق العامل):
    "لـ" written before it gives "لـالسنغال", which Arabic writes "للسنغال". The sentence is
    turned so that the name stands alone."""
    joined = re.compile(r"لـ ?%\((?:state|states|body|name|nominating|other)\)s")
    found = [
        _label(m) for m in _read_po(_po_path("ar")) if m.id and joined.search(" ".join(_forms(m)))
    ]
    assert not found, found


def test_english_catalog_has_no_fuzzy_entries() -> None:
    fuzzy = [_label(m) for m in _read_po(ENGLISH_PO) if m.id and m.fuzzy]
    assert not fuzzy, fuzzy


def test_english_catalog_is_complete_each_message_its_own_translation(extracted: Catalog) -> None:
    """So that `msgfmt --statistics` counts every catalog complete, English included."""
    english = _read_po(ENGLISH_PO)
    wanted = {m.id for m in extracted if m.id}
    missing = [_label(m) for m in extracted if m.id and english.get(m.id) is None]
    assert not missing, missing
    differing = [
        _label(m)
        for m in english
        if m.id in wanted
        and (m.string != m.id if isinstance(m.id, str) else tuple(m.string or ()) != m.id)
    ]
    assert not differing, differing


def test_placeholders_match_the_source(translated: Catalog) -> None:
    """What `msgfmt -c` checks of a python-format catalog, and what Jinja's formatting needs.

    A translation has exactly the placeholders of its msgid. A plural form has those of
    msgid_plural, except that it may leave out the number `%(num)d`: Arabic writes "كلمة
    واحدة" (one word) and "كلمتان" (two words) without a figure, as msgfmt allows."""
    problems = []
    for message in translated:
        if not message.id:
            continue
        expected = _placeholders(_texts(message.id)[-1])
        for form in _forms(message):
            found = _placeholders(form)
            if message.pluralizable:
                found = [p for p in found if p[0] != "num"]
                wanted = [p for p in expected if p[0] != "num"]
                unknown = [p for p in _placeholders(form) if p not in expected]
                if found != wanted or unknown:
                    problems.append(f"{_label(message)!r}: {form!r}")
            elif found != expected:
                problems.append(f"{_label(message)!r}: {form!r}")
            # Jinja's new-style gettext always %-formats: a stray % would break the page.
            stray = PLACEHOLDER.sub("", form)
            if "%" in stray:
                problems.append(f"stray % in {_label(message)!r}: {form!r}")
    assert not problems, f"{translated.locale}:\n" + "\n".join(problems)


def test_babels_format_checks_pass(translated: Catalog) -> None:
    """Babel's own checkers (python-format placeholders, as `pybabel compile --statistics`
    would report them) find nothing."""
    problems = [
        f"{_label(message)!r}: {error}"
        for message, errors in translated.check()
        for error in errors
    ]
    assert not problems, f"{translated.locale}:\n" + "\n".join(problems)


def test_compiled_catalog_matches_the_po(translated: Catalog) -> None:
    """The app reads the .mo: it must have been compiled after the last edit of the .po."""
    path = _po_path(str(translated.locale)).with_suffix(".mo")
    assert path.is_file(), "run `pybabel compile -d questionnaire/translations`"
    with path.open("rb") as fileobj:
        compiled = read_mo(fileobj)
    stale = []
    for message in translated:
        if not message.id:
            continue
        served = compiled.get(message.id, context=message.context)
        if served is None or _forms(served) != _forms(message):
            stale.append(_label(message))
    assert not stale, "run `pybabel compile -d questionnaire/translations`: " + ", ".join(stale)


def _page(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def _get(client: FlaskClient, path: str, **kwargs: Any) -> TestResponse:
    """GET as a new request would. The `db` fixture keeps an application context open, so the
    test client's requests share `flask.g`, where Flask-Babel caches the locale it chose:
    forget it, as a real request (with its own context) would."""
    refresh()
    return client.get(path, **kwargs)


def test_user_with_french_locale_sees_french_home_page(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user("FRA", locale="fr")
    login(client, user)

    response = _get(client, "/")

    assert response.status_code == 200
    page = _page(response)
    assert '<html lang="fr"' in page
    assert "Mes examens" in page
    assert "Se déconnecter" in page
    assert "My reviews" not in page
    assert "Log out" not in page


def test_anonymous_visitor_switches_the_login_page_to_french(client: FlaskClient) -> None:
    before = _page(_get(client, "/login"))
    assert "Log in" in before
    assert "Se connecter" not in before

    switched = client.post("/language", data={"language": "fr", "next": "/"})
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/"

    after = _get(client, "/login")
    assert after.status_code == 200
    page = _page(after)
    assert '<html lang="fr"' in page
    assert "Se connecter" in page
    assert "Adresse électronique" in page
    assert "Mot de passe" in page
    assert "Log in" not in page

    # Following the redirect: the home page sends the visitor to the login page, in French.
    followed = _get(client, "/", follow_redirects=True)
    assert "Veuillez vous connecter pour continuer." in _page(followed)


def test_french_labels_keep_their_colon_in_the_translation(
    client: FlaskClient,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> None:
    """French puts a space before a colon, so the colon belongs to the msgid."""
    focal_point = make_user("GHA", locale="fr")
    review = make_review("GHA")
    member(review, focal_point, "focal_point")
    login(client, focal_point)

    page = _page(_get(client, f"/reviews/{review.id}/"))

    assert "Statut :" in page
    assert "Date limite de réponse :" in page
    assert "Réponses obligatoires :" in page
    assert "Statut:" not in page
    assert re.search(r"0 sur \d+ réponses obligatoires", page)


def test_wtforms_own_messages_follow_the_readers_language(app: Any) -> None:
    from wtforms import IntegerField
    from wtforms.validators import InputRequired

    from questionnaire.forms import Form

    class Sample(Form):
        count = IntegerField(validators=[InputRequired()])

    for language, expected in (("fr", "Ce champ est requis."), ("en", "This field is required.")):
        with app.test_request_context(
            "/", method="POST", data={}, headers={"Accept-Language": language}
        ):
            form = Sample(meta={"csrf": False})
            assert not form.validate()
            assert form.count.errors == [expected]
    with app.test_request_context(
        "/", method="POST", data={"count": "many"}, headers={"Accept-Language": "fr"}
    ):
        form = Sample(meta={"csrf": False})
        assert not form.validate()
        assert "N'est pas un entier valide." in form.count.errors
