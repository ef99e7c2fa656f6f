"""State names as in UN documents on every page, export and document; lists in reader's order."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date

import pycountry
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlmodel import Session, col, select

from questionnaire import yamldata
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.demo import answer_required
from questionnaire.documents import services as publishing
from questionnaire.reference.models import State
from questionnaire.reference.names import (
    UN_LANGUAGES,
    StateNamesError,
    collation_key,
    load_state_names,
    parse_state_names,
    sort_states,
    state_name,
)
from questionnaire.responses import services as responses
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewAssignment
from questionnaire.workspace import services as observations
from tests.conftest import login, reviewing_states_agree
from tests.factories import crp_request, record_test_meeting, translate_list

#: States whose ISO 3166 names differ from the UN's, reviewed in the phase the test opens.
UNDER_REVIEW = ["BOL", "COD", "PRK", "KOR", "VEN", "TZA", "MDA", "CIV", "GBR", "USA"]
#: Strings of ISO-style names the issue names, in English and French.
ISO_STRINGS = [
    ", The",
    "Congo, The",
    "North Korea",
    "South Korea",
    "Iran,",
    "Bolivia,",
    "Venezuela,",
    "Korea, Republic",
    "Tanzania,",
    "Moldova,",
    "Corée du Sud",
    "Corée du Nord",
    "Vénézuela",
    "Moldavie",
    ", République",
    ", l’État",
    ", l'État",
]


def _iso_catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def iso_names(language: str) -> set[str]:
    """Every ISO 3166 name of the listed States in `language` that no UN name contains."""
    un_names = [entry.names[language] for entry in load_state_names().states.values()]
    catalog = _iso_catalog(language)
    found: set[str] = set()
    for code in load_state_names().states:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            continue
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                found.add(catalog.gettext(english) if language != "en" else english)
    return {name for name in found if not any(name in un for un in un_names)}


def assert_un_names_only(text: str, language: str, where: str) -> None:
    leftovers = sorted(s for s in ISO_STRINGS if s in text)
    leftovers += sorted(name for name in iso_names(language) if name in text)
    assert not leftovers, f"{where} ({language}) shows ISO-style names: {leftovers}"


# --- the data file -------------------------------------------------------------------------


def test_every_state_has_un_names_in_the_six_languages(db: Session) -> None:
    data = load_state_names()
    codes = set(db.exec(select(State.code)))

    assert set(data.states) == codes
    assert len(codes) == 197
    assert data.source.startswith("UNTERM short names")
    for entry in data.states.values():
        assert set(entry.names) == set(UN_LANGUAGES)
        assert not {"en", "fr"} & entry.unverified, entry.code  # English and French are right


@pytest.mark.parametrize(
    ("code", "english", "french"),
    [
        ("COD", "Democratic Republic of the Congo", "République démocratique du Congo"),
        (
            "PRK",
            "Democratic People’s Republic of Korea",
            "République populaire démocratique de Corée",
        ),
        ("KOR", "Republic of Korea", "République de Corée"),
        ("IRN", "Iran (Islamic Republic of)", "Iran (République islamique d’)"),
        ("VEN", "Venezuela (Bolivarian Republic of)", "Venezuela (République bolivarienne du)"),
        ("BOL", "Bolivia (Plurinational State of)", "Bolivie (État plurinational de)"),
        ("PSE", "State of Palestine", "État de Palestine"),
        ("COK", "Cook Islands", "Îles Cook"),
        ("NIU", "Niue", "Nioué"),
        ("EUU", "European Union", "Union européenne"),
    ],
)
def test_names_are_the_un_short_names(db: Session, code: str, english: str, french: str) -> None:
    state = db.get(State, code)
    assert state is not None

    assert (state_name(state, "en"), state_name(state, "fr")) == (english, french)
    assert state.name_en == english
    assert state.names is not None and state.names["fr"] == french


def test_unverified_names_are_marked_in_the_data() -> None:
    data = load_state_names().states

    assert data["DEU"].unverified == frozenset({"ar"})
    assert {"es", "ru", "zh"} <= data["TUR"].unverified


def test_a_names_file_missing_a_language_is_refused() -> None:
    raw = yamldata.load(
        "names:\n  DEU: {en: Germany, fr: Allemagne, es: Alemania, ru: Германия, ar: ألمانيا}\n"
    )

    with pytest.raises(StateNamesError, match=r"names\.DEU\.zh: the name is missing"):
        parse_state_names(raw)


# --- sorting in the reader's language ------------------------------------------------------


def test_lists_sort_by_the_readers_language_ignoring_accents(db: Session) -> None:
    states = [db.get(State, code) for code in ("CIV", "CUB", "CMR", "COK", "ISL", "ECU", "EGY")]
    assert all(states)
    found = [state for state in states if state is not None]

    english = [state_name(s, "en") for s in sort_states(found, "en")]
    french = [state_name(s, "fr") for s in sort_states(found, "fr")]

    assert english == [
        "Cameroon",
        "Cook Islands",
        "Côte d’Ivoire",
        "Cuba",
        "Ecuador",
        "Egypt",
        "Iceland",
    ]
    assert french == [
        "Cameroun",
        "Côte d’Ivoire",
        "Cuba",
        "Égypte",
        "Équateur",
        "Îles Cook",
        "Islande",
    ]
    assert collation_key("Ёлка") < collation_key("Жук")


def test_the_registration_form_lists_states_in_the_readers_order(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    login(client, make_user(None, secretariat=True, locale="fr"))

    page = client.get("/users/new").get_data(as_text=True)

    assert page.index("Comores (COM)") < page.index("Côte d’Ivoire (CIV)") < page.index("Cuba")
    assert page.index("Égypte (EGY)") < page.index("El Salvador (SLV)")
    assert_un_names_only(page, "fr", "/users/new")


def test_the_dashboard_lists_states_in_the_readers_order(
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> None:
    secretariat = make_user(None, secretariat=True, locale="fr")
    reviews.create_phase(
        db,
        name="Cluster I",
        cluster="I",
        state_codes=["ISL", "ECU", "EGY", "CUB", "CIV"],
        started_on=date(2026, 1, 5),
        max_reviews_per_state=5,
        user=secretariat,
    )
    db.commit()
    login(client, secretariat)

    page = client.get("/dashboard").get_data(as_text=True)

    names = ["Côte d’Ivoire", "Cuba", "Égypte", "Équateur", "Islande"]
    positions = [page.index(f">{name}</strong>") for name in names]
    assert positions == sorted(positions)


# --- every page, export and document -------------------------------------------------------


def _phase(db: Session, secretariat: User) -> list[Review]:
    phase = reviews.create_phase(
        db,
        name="Cluster I",
        cluster="I",
        state_codes=UNDER_REVIEW,
        started_on=date(2026, 1, 5),
        max_reviews_per_state=5,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed="un-names")
    db.commit()
    return list(db.exec(select(Review).where(Review.phase_id == phase.id)))


def _agreed_list(db: Session, make_user: Callable[..., User], review: Review) -> None:
    """Answers submitted, one observation, the list agreed."""
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    bank = bank_of(version)
    assignment = db.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.review_id == review.id, col(ReviewAssignment.is_active).is_(True)
        )
    ).first()
    assert assignment is not None
    focal_point, reviewer = make_user(review.state_code), make_user(assignment.reviewing_state)
    reviews.add_member(db, review, focal_point, "focal_point")
    reviews.add_member(db, review, reviewer, "reviewer")
    answer_required(db, review, bank, focal_point)
    responses.submit(db, review, bank, focal_point)
    section = next(s for s in bank.sections if s.article)
    observations.add_observation(
        db,
        review,
        bank,
        reviewer,
        section_key=section.key,
        category="good_practice",
        text="A specialized unit prosecutes these offences.",
        cited_keys=[],
    )
    reviewing_states_agree(db, review)
    observations.transition(db, review, reviewer, side="reviewer", to_status="with_state")
    observations.transition(db, review, focal_point, side="state", to_status="agreed")
    observations.transition(db, review, reviewer, side="reviewer", to_status="final")
    db.commit()


def _crp_text(db: Session, review: Review, secretariat: User, language: str) -> str:
    record_test_meeting(db)
    if language != "en":  # the list is written in English: its version takes a translation
        translate_list(db, review, secretariat, language)
    request = crp_request([review.id], language)  # type: ignore[list-item]
    publication = publishing.create_crp(db, request, secretariat)
    if publication.job_status != "done":
        assert publishing.render(db, publication), publication.job_error
    db.commit()
    content = publication.pdf
    assert content is not None
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_iso_style_name_on_pages_exports_and_the_crp(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    language: str,
) -> None:
    secretariat = make_user(None, secretariat=True, locale=language)
    under_review = _phase(db, secretariat)
    venezuela = next(  # its trafficking review, whose list goes to the test meeting's WG.4
        r
        for r in under_review
        if r.state_code == "VEN"
        and bank_of(db.get(BankVersion, r.bank_version_id)).instrument == "TIP"  # type: ignore[arg-type]
    )
    with app.test_request_context():  # messages to the State are worded in a language
        _agreed_list(db, make_user, venezuela)
    login(client, secretariat)
    pages = [
        "/dashboard",
        "/phases/new",
        "/users/new",
        "/users/",
        f"/reviews/{venezuela.id}/",
        f"/reviews/{venezuela.id}/assignments",
        f"/reviews/{venezuela.id}/workspace/",
        f"/reviews/{venezuela.id}/answers.csv",
        f"/reviews/{venezuela.id}/workspace/list.csv",
        f"/exports/banks/{venezuela.bank_version_id}/answers.csv",
        f"/analysis/{venezuela.bank_version_id}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_un_names_only(response.get_data(as_text=True), language, url)

    dashboard = client.get("/dashboard").get_data(as_text=True)
    expected = {
        "en": ["Venezuela (Bolivarian Republic of)", "Democratic Republic of the Congo"],
        "fr": ["Venezuela (République bolivarienne du)", "République de Corée"],
    }[language]
    assert all(name in dashboard for name in expected)
    exported = client.get(f"/exports/banks/{venezuela.bank_version_id}/answers.csv")
    assert expected[0] in exported.get_data(as_text=True)

    crp = " ".join(_crp_text(db, venezuela, secretariat, language).split())
    assert_un_names_only(crp, language, "CRP")
    assert expected[0] in crp
