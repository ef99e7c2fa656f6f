"""Names of the instruments, articles, working groups and States in six languages: read from
data only, marked where not yet checked, shown in English (marked) where none is on file."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from questionnaire.accounts.models import User
from questionnaire.reference.bodies import bodies
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.names import UN_LANGUAGES, load_state_names
from questionnaire.reference.official_names import KINDS, name_coverage, names_on_file
from tests.conftest import login

FALLBACK = '<span class="tag tag--fallback">'
UNVERIFIED = '<span class="tag tag--unverified">'


def row(html: str, kind: str, code: str) -> str:
    match = re.search(rf'<tr id="name-{kind}-{re.escape(code)}">.*?</tr>', html, re.S)
    assert match, f"no row for {kind} {code}"
    return match[0]


def names_page(client: FlaskClient) -> str:
    response = client.get("/questionnaires/names")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_name_comes_from_the_data_files() -> None:
    names = names_on_file()

    by_kind = {kind: [n for n in names if n.kind == kind] for kind in KINDS}
    data = load_instrument_data()
    assert [n.code for n in by_kind["instrument"]] == list(data.instruments)
    assert len(by_kind["article"]) == sum(len(i.articles) for i in data.instruments.values())
    assert {n.code for n in by_kind["body"]} == set(bodies().by_code)
    assert len(by_kind["state"]) == len(load_state_names().states)
    tip_5 = next(n for n in by_kind["article"] if n.code == "TIP 5")
    assert tip_5.texts == data.instruments["TIP"].articles[5].title


def test_coverage_counts_names_on_file_unverified_and_missing() -> None:
    coverage = name_coverage(names_on_file())

    # No official source on file gives the instruments' names beyond English and French.
    for language in UN_LANGUAGES:
        instruments = coverage[("instrument", language)]
        assert instruments.total == 4
        assert instruments.on_file == (4 if language in ("en", "fr") else 0)
    assert coverage[("instrument", "zh")].missing == ["UNTOC", "TIP", "SOM", "FIR"]
    states = load_state_names().states
    arabic = coverage[("state", "ar")]
    assert arabic.unverified == sum("ar" in s.unverified for s in states.values())
    assert coverage[("state", "en")].unverified == 0
    french_headings = coverage[("article", "fr")]
    assert 0 < french_headings.unverified < french_headings.on_file


def test_the_names_page_marks_what_is_unverified_or_missing(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user("GHA", locale="zh")
    client = app.test_client()
    login(client, user)
    html = names_page(client)

    untoc = row(html, "instrument", "UNTOC")
    assert (
        '<span lang="en">United Nations Convention against Transnational Organized Crime' in untoc
    )
    assert FALLBACK in untoc
    turkiye = row(html, "state", "TUR")
    assert "<span>土耳其</span>" in turkiye and UNVERIFIED in turkiye
    china = row(html, "state", "CHN")
    assert "<span>中国</span>" in china
    assert UNVERIFIED not in china and FALLBACK not in china
    assert UNVERIFIED in row(html, "body", "WG.4")


def test_french_readers_see_unchecked_article_headings_marked(client: FlaskClient) -> None:
    response = client.get("/questionnaires/names", headers={"Accept-Language": "fr"})
    html = response.get_data(as_text=True)

    article_7 = row(html, "article", "UNTOC-7")
    assert "Mesures de lutte contre le blanchiment d&#39;argent" in article_7
    assert UNVERIFIED in article_7
    article_5 = row(html, "article", "UNTOC-5")
    assert UNVERIFIED not in article_5 and FALLBACK not in article_5
    assert "Noms dans les langues officielles" in html


def test_the_questionnaires_page_links_to_the_names(client: FlaskClient) -> None:
    html = client.get("/questionnaires/").get_data(as_text=True)

    assert 'href="/questionnaires/names"' in html
