"""Lists of observations and summaries in languages: each has an original language (the
writer's, corrected by the secretariat while drafted), the secretariat records translations
tied to the text they render, and a conference room paper in a language is made from current
translations only, says « Original : anglais », and never shows a confidential element in any
language. PDFs are read back with pdftotext, Arabic and Chinese included."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.cli import cli
from questionnaire.db import id_of
from questionnaire.documents import services as publishing
from questionnaire.documents.crp import DOCUMENT_LANGUAGES
from questionnaire.documents.languages import original_line, originals_of
from questionnaire.errors import RuleViolation
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.reviews.models import Review
from questionnaire.workspace import services as observations
from questionnaire.workspace import translation_records, translations
from questionnaire.workspace.models import (
    ListOfObservations,
    Observation,
    ObservationTranslation,
    SummaryTranslation,
)
from questionnaire.workspace.summary import paragraphs_of, set_paragraph_confidential
from questionnaire.workspace.translations import list_in_language
from tests.conftest import login, reviewing_states_agree
from tests.factories import (
    GHANA,
    GHANA_SUMMARY,
    KENYA,
    KENYA_SUMMARY,
    MEETING,
    SYMBOL,
    Reviewed,
    agree_list,
    compact,
    crp_request,
    in_french,
    make_crp,
    open_phase,
    pdftotext,
    translate_list,
)

pytestmark = pytest.mark.usefixtures("shipped_banks")

#: The test meeting's texts in the four languages it lacks (the tests' own words).
MEETING_TEXTS = {
    "venue": {"es": "Viena", "ru": "Вена", "ar": "فيينا", "zh": "维也纳"},
    "item": {
        "es": "Examen de la aplicación del Protocolo",
        "ru": "Обзор осуществления Протокола",
        "ar": "استعراض تنفيذ البروتوكول",
        "zh": "审议议定书的执行情况",
    },
    "title": {
        "es": "Listas de observaciones y resúmenes de los exámenes",
        "ru": "Перечни замечаний и резюме обзоров",
        "ar": "قوائم الملاحظات وملخصات الاستعراضات",
        "zh": "审议的意见清单和摘要",
    },
}
#: A stand-in translation of each text of the lists into each language: a marker and the
#: English text, so a test can find each element in each version.
MARKERS = {"fr": "(fr)", "es": "(es)", "ru": "(ru)", "ar": "(ar)", "zh": "(zh)"}
#: Real sentences, read back from the Arabic and Chinese papers.
ARABIC = "تجرّم غانا كل أشكال الاستغلال المذكورة في المادة 3."
CHINESE = "加纳将第3条所列的一切形式的剥削定为刑事犯罪。"
ORIGINAL_LINES = {
    "en": "Original: English",
    "fr": "Original : anglais",
    "es": "Original: inglés",
    "ru": "Подлинный текст: английский",
    "ar": "الأصل: بالإنكليزية",
    "zh": "原件：英文",
}


def in_(language: str) -> Callable[[str], str]:
    return lambda text: f"{MARKERS[language]} {text}"


def in_six_languages(db: Session) -> None:
    """Give the test meeting (recorded in English and French) its texts in the other four."""
    meeting = db.exec(select(Meeting)).one()
    meeting.venue = {**meeting.venue, **MEETING_TEXTS["venue"]}
    meeting.agenda = [
        {**entry, "title": {**entry["title"], **MEETING_TEXTS["item"]}}
        if entry["number"] == 3
        else entry
        for entry in meeting.agenda
    ]
    row = db.exec(select(MeetingDocument).where(MeetingDocument.symbol == SYMBOL)).one()
    row.titles = {**row.titles, **MEETING_TEXTS["title"]}
    db.add_all([meeting, row])
    db.commit()


def plain(text: str) -> str:
    """PDF text compared without layout, Arabic presentation forms read as letters."""
    return compact(unicodedata.normalize("NFKC", text))


def letters(text: str) -> str:
    """Only the letters of a text: pdftotext gives right-to-left lines in the order they are
    laid out, so the punctuation, digits and vowel marks of an Arabic sentence move."""
    return "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] == "L"
    )


@pytest.fixture
def ghana(db: Session, make_user: Callable[..., User], secretariat: User) -> Reviewed:
    """Ghana's final list, written in English, with an element and a summary paragraph kept
    confidential by the State."""
    (review,) = open_phase(db, secretariat, ["GHA"])
    summary = GHANA_SUMMARY + "\n\nGhana keeps this paragraph to itself."
    reviewed = agree_list(
        db,
        make_user,
        review,
        GHANA[:3],
        confidential=[("art-5", "gap", "Ghana keeps this element to itself.")],
        summary=summary,
        status="with_state",
    )
    lst = observations.list_of(db, review)
    keep = next(p for p in paragraphs_of(lst) if "to itself" in p.text)
    set_paragraph_confidential(db, review, reviewed.focal_point, key=keep.key, is_confidential=True)
    observations.transition(db, review, reviewed.focal_point, side="state", to_status="agreed")
    observations.transition(db, review, reviewed.reviewer, side="reviewer", to_status="final")
    db.commit()
    return reviewed


# --- the original language -----------------------------------------------------------------


def test_the_original_language_is_the_writers_and_the_secretariat_corrects_it_while_drafted(
    db: Session, make_user: Callable[..., User], secretariat: User
) -> None:
    (review,) = open_phase(db, secretariat, ["GHA"])
    reviewed = agree_list(
        db, make_user, review, GHANA[:1], summary="Le Ghana a une loi.", status="drafting",
        language="fr",
    )  # fmt: skip
    lst = db.exec(select(ListOfObservations)).one()
    assert (lst.original_language, lst.summary_language) == ("fr", "fr")
    translation_records.set_original_languages(
        db, review, secretariat, observations="en", summary="fr"
    )
    db.commit()
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "list.language")).one()
    assert entry.before == {"observations": "fr", "summary": "fr"}
    assert entry.after == {"observations": "en", "summary": "fr"}
    with pytest.raises(RuleViolation, match="six official languages"):
        translation_records.set_original_languages(
            db, review, secretariat, observations="de", summary="fr"
        )
    agree_list_rest(db, review, reviewed)
    with pytest.raises(RuleViolation, match="only while the list is drafted"):
        translation_records.set_original_languages(
            db, review, secretariat, observations="fr", summary="fr"
        )


def agree_list_rest(db: Session, review: Review, reviewed: Reviewed) -> None:
    """Share, agree and make final a list left in drafting."""
    reviewing_states_agree(db, review)
    observations.transition(db, review, reviewed.reviewer, side="reviewer", to_status="with_state")
    observations.transition(db, review, reviewed.focal_point, side="state", to_status="agreed")
    observations.transition(db, review, reviewed.reviewer, side="reviewer", to_status="final")
    db.commit()


# --- papers in languages -------------------------------------------------------------------


def test_a_recorded_translation_makes_the_french_paper_and_its_original_line(
    db: Session, ghana: Reviewed, secretariat: User, tmp_path: Path
) -> None:
    translate_list(db, ghana, secretariat)
    publication = make_crp(db, crp_request([ghana.review_id], "fr"), secretariat)
    assert publication.pdf is not None
    text = pdftotext(publication.pdf, tmp_path)
    for element in [*GHANA[:3], ("", "", "Ghana has a comprehensive law.")]:
        assert compact(in_french(element[2])) in compact(text), element
    assert compact("Original : anglais") in compact(text)
    assert "Original : français" not in text
    (decision,) = publication.source["decisions"]
    assert (decision["original_language"], decision["summary_language"]) == ("en", "en")
    # Published as made: the translations are what the paper says.
    publishing.publish(db, publication, secretariat)
    db.commit()
    assert publication.status == "published"


@pytest.mark.parametrize(
    ("language", "translated"), [("ar", ARABIC), ("zh", CHINESE)], ids=["arabic", "chinese"]
)
def test_the_arabic_and_chinese_papers_read_back_in_their_language(
    db: Session,
    ghana: Reviewed,
    secretariat: User,
    tmp_path: Path,
    language: str,
    translated: str,
) -> None:
    in_six_languages(db)
    sentences = {GHANA[2][2]: translated}
    translate_list(
        db, ghana, secretariat, language, lambda text: sentences.get(text, in_(language)(text))
    )
    publication = make_crp(db, crp_request([ghana.review_id], language), secretariat)
    assert publication.pdf is not None
    first = pdftotext(publication.pdf, tmp_path, "-f", "1", "-l", "1")
    text = pdftotext(publication.pdf, tmp_path)
    # The block beside the organ is in English on the Arabic and Chinese versions, as the UN
    # prints them: "Arabic only", "Original: English".
    name = {"ar": "Arabic", "zh": "Chinese"}[language]
    assert f"{name} only" in first and "Original: English" in first
    assert plain(MEETING_TEXTS["title"][language]) in plain(first)
    assert letters(translated) in letters(text)
    assert plain(in_(language)(GHANA[0][2])) in plain(text)
    assert plain(ORIGINAL_LINES[language]) not in plain(text)
    assert publication.snapshot["header"]["original_line"] == "Original: English"


def test_no_confidential_element_reaches_a_paper_in_any_language(
    db: Session, ghana: Reviewed, secretariat: User, tmp_path: Path
) -> None:
    in_six_languages(db)
    review = db.get(Review, ghana.review_id)
    assert review is not None
    kept = db.get(Observation, ghana.confidential_ids[0])
    assert kept is not None
    for language in MARKERS:
        translate_list(db, ghana, secretariat, language, in_(language))
        # The confidential element is never offered a translation, nor takes one.
        with pytest.raises(RuleViolation, match="kept confidential, is not translated"):
            translation_records.record_translations(
                db,
                review,
                secretariat,
                language=language,
                observations={
                    kept.id: translation_records.TranslatedText(  # type: ignore[dict-item]
                        f"{MARKERS[language]} secret", translations.text_sha256(kept.text)
                    )
                },
                summary=None,
            )
        db.rollback()
    stored = db.exec(select(SummaryTranslation)).all()
    assert {t.language for t in stored} == set(MARKERS)
    assert all(t.paragraphs[-1] == "" for t in stored)  # the kept paragraph: not recorded
    assert not db.exec(
        select(ObservationTranslation).where(ObservationTranslation.observation_id == kept.id)
    ).all()
    for language in DOCUMENT_LANGUAGES:
        publication = make_crp(db, crp_request([ghana.review_id], language), secretariat)
        assert publication.pdf is not None
        text = pdftotext(publication.pdf, tmp_path)
        for where in (text, str(publication.snapshot)):
            assert "to itself" not in where, language
            assert "secret" not in where, language
        block = "en" if language in ("ar", "zh", "ru") else language  # as the UN prints them
        assert plain(ORIGINAL_LINES[block]) in plain(text), language
        if language != "en":
            assert plain(in_(language)(GHANA[0][2])) in plain(text), language
            assert plain(in_(language)("Its courts apply it in practice.")) in plain(text)


def test_a_missing_translation_refuses_the_paper_naming_the_list_and_the_language(
    app: Flask,
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
) -> None:
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    ghana_list = agree_list(db, make_user, ghana, GHANA, summary=GHANA_SUMMARY)
    kenya_list = agree_list(db, make_user, kenya, KENYA, summary=KENYA_SUMMARY)
    translate_list(db, ghana_list, secretariat)
    request = crp_request([ghana_list.review_id, kenya_list.review_id], "fr")
    with pytest.raises(RuleViolation) as refused:
        publishing.create_crp(db, request, secretariat)
    message = str(refused.value)
    assert f"{SYMBOL} cannot be issued in French" in message
    assert (
        f"The list of observations of Kenya (review {kenya_list.review_id}) has 2 elements "
        "not translated into French." in message
    )
    assert "Ghana" not in message
    db.rollback()
    # The command line and the form follow.
    arguments = [
        "publish", "crp", "--meeting", MEETING, "--item", "3", "--symbol", SYMBOL,
        "--date", "2027-07-02", "--cutoff", "2027-06-30", "--language", "zh",
        "--review", str(ghana_list.review_id), "--user", secretariat.email,
    ]  # fmt: skip
    result = app.test_cli_runner().invoke(cli, arguments)
    assert result.exit_code != 0
    assert "cannot be issued in Chinese" in result.output
    assert f"Ghana (review {ghana_list.review_id}) has 5 elements" in result.output
    translate_list(db, kenya_list, secretariat)
    assert make_crp(db, request, secretariat).job_status == "done"


def test_a_translation_made_stale_by_a_change_of_the_original_refuses_publishing(
    db: Session, ghana: Reviewed, secretariat: User
) -> None:
    translate_list(db, ghana, secretariat)
    draft = make_crp(db, crp_request([ghana.review_id], "fr"), secretariat)
    # A correction of the data changes the original after the translation was made.
    changed = db.exec(select(Observation).where(Observation.text == GHANA[0][2])).one()
    changed.text = "Ghana could train labour inspectors and prosecutors."
    db.add(changed)
    db.commit()
    review = db.get(Review, ghana.review_id)
    assert review is not None
    db.expire_all()
    found = list_in_language(db, review, observations.list_of(db, review), "fr")
    assert (found.status, found.stale, found.missing) == ("stale", 1, 0)
    with pytest.raises(RuleViolation) as refused:
        publishing.publish(db, draft, secretariat)
    message = str(refused.value)
    assert "cannot be published" in message
    assert "has 1 element whose translation into French is out of date" in message
    db.rollback()
    with pytest.raises(RuleViolation, match="out of date"):
        publishing.create_crp(db, crp_request([ghana.review_id], "fr"), secretariat)
    db.rollback()
    # The English version, written in the original, is not held back.
    assert make_crp(db, crp_request([ghana.review_id]), secretariat).job_status == "done"


# --- the translation pages -----------------------------------------------------------------


def test_the_translation_page_records_each_translation_and_shows_it_stale_after_an_edit(
    db: Session,
    client: FlaskClient,
    make_user: Callable[..., User],
    secretariat: User,
) -> None:
    (review,) = open_phase(db, secretariat, ["GHA"])
    reviewed = agree_list(
        db, make_user, review, GHANA[:2], summary=GHANA_SUMMARY, status="drafting"
    )
    first, second = observations.observations_of(db, review)
    login(client, secretariat)
    base = f"/reviews/{review.id}/workspace/translations"
    counts = _counts(db)
    page = client.get(base).get_data(as_text=True)
    assert 'id="language-fr"' in page and "Not translated" in page
    page = client.get(f"{base}/fr").get_data(as_text=True)
    assert first.text in page and 'lang="fr"' in page
    arabic = client.get(f"{base}/ar").get_data(as_text=True)
    assert arabic.count('rows="4" lang="ar" dir="rtl"') == 4  # each box, right to left
    assert client.get(f"{base}/en").status_code == 302  # the original needs no translation
    assert client.get(f"{base}/de").status_code == 404
    assert _counts(db) == counts  # reading pages writes nothing
    form = {
        f"o-{first.id}-text": "Le Ghana pourrait former les inspecteurs du travail.",
        f"o-{first.id}-source": translations.text_sha256(first.text),
        f"o-{second.id}-text": "",
        f"o-{second.id}-source": translations.text_sha256(second.text),
        "summary-source": translations.summary_sha256(GHANA_SUMMARY),
        "summary-0": "Le Ghana a une loi complète.",
        "summary-1": "Ses tribunaux l’appliquent.",
    }
    response = client.post(f"{base}/fr", data=form)
    assert response.status_code == 302
    stored = db.exec(select(ObservationTranslation)).one()
    assert (stored.observation_id, stored.language) == (first.id, "fr")
    assert stored.source_sha256 == translations.text_sha256(first.text)
    summary = db.exec(select(SummaryTranslation)).one()
    assert summary.paragraphs == ["Le Ghana a une loi complète.", "Ses tribunaux l’appliquent."]
    actions = db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id).desc())).all()[:2]
    assert sorted(actions) == ["observation.translate", "summary.translate"]
    db.expire_all()
    found = list_in_language(db, review, observations.list_of(db, review), "fr")
    assert [i.status for i in found.observations] == ["current", "missing"]
    assert (found.summary.status, found.status) == ("current", "missing")
    # The reviewer rewords the observation: its translation is out of date, and shown so.
    bank = reviewed.bank
    observations.edit_observation(
        db, review, bank, first, reviewed.reviewer, category=first.category,
        text="Ghana could train labour inspectors and judges.", cited_keys=[],
        base_version=first.version,
    )  # fmt: skip
    db.commit()
    page = client.get(f"{base}/fr").get_data(as_text=True)
    assert "Out of date" in page and f'name="o-{first.id}-confirm"' in page
    # Saving the page again without touching it confirms nothing.
    client.post(f"{base}/fr", data={**form, f"o-{first.id}-source": _sha(db, id_of(first))})
    db.expire_all()
    found = list_in_language(db, review, observations.list_of(db, review), "fr")
    assert found.observations[0].status == "stale"
    # Confirmed as still rendering the new text: up to date again.
    client.post(
        f"{base}/fr",
        data={**form, f"o-{first.id}-source": _sha(db, id_of(first)), f"o-{first.id}-confirm": "y"},
    )
    db.expire_all()
    found = list_in_language(db, review, observations.list_of(db, review), "fr")
    assert found.observations[0].status == "current"


def _sha(db: Session, observation_id: int) -> str:
    observation = db.get(Observation, observation_id)
    assert observation is not None
    db.refresh(observation)
    return translations.text_sha256(observation.text)


def _counts(db: Session) -> tuple[int, ...]:
    return tuple(
        db.exec(select(func.count()).select_from(model)).one()
        for model in (AuditEntry, ObservationTranslation, SummaryTranslation, ListOfObservations)
    )


def test_only_the_secretariat_reaches_the_translation_pages(
    db: Session, client: FlaskClient, ghana: Reviewed
) -> None:
    login(client, ghana.reviewer)
    base = f"/reviews/{ghana.review_id}/workspace/translations"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/fr", data={}).status_code == 404
    assert not db.exec(select(ObservationTranslation)).all()


def test_the_list_page_says_the_languages_and_the_form_offers_six(
    db: Session, client: FlaskClient, ghana: Reviewed, secretariat: User
) -> None:
    login(client, secretariat)
    page = client.get(f"/reviews/{ghana.review_id}/workspace/list").get_data(as_text=True)
    assert "Observations written in English." in page
    assert f'href="/reviews/{ghana.review_id}/workspace/translations"' in page
    page = client.get("/documents/new").get_data(as_text=True)
    for code in DOCUMENT_LANGUAGES:
        assert f'name="languages" value="{code}"' in page, code
    assert "text_language" not in page


def test_the_original_line_in_each_language_and_with_several_originals() -> None:
    for language, line in ORIGINAL_LINES.items():
        assert original_line(["en"], language) == line
    assert original_line(["fr", "en"], "en") == "Original: English/French"
    assert original_line(["fr", "en"], "fr") == "Original : anglais/français"
    assert original_line(["ar", "es"], "zh") == "原件：阿拉伯文/西班牙文"
    english = ListOfObservations(review_id=1, original_language="en", summary_language="fr")
    assert originals_of([english]) == ["en"]  # an empty summary has no language to say
    english.summary = "Le Ghana a une loi."
    assert originals_of([english]) == ["en", "fr"]
