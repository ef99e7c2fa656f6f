"""Documents in the six official languages: the annotated provisional agenda, the note on the
status of the review mechanism, a State's answers and the consolidated analysis, read back from
the PDF (pdftotext) with the fonts it embeds (pdffonts). Arabic and Chinese in detail; every
language rendered once."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlmodel import Session

from questionnaire import pdf as pdf_module
from questionnaire import yamldata
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.dates import ARABIC_MONTHS
from questionnaire.demo import answer_required
from questionnaire.documents.meeting_pdfs import agenda_pdf, status_note_pdf
from questionnaire.errors import RuleViolation
from questionnaire.meetings import heading, services
from questionnaire.meetings.models import Meeting
from questionnaire.meetings.note import status_document
from questionnaire.meetings.register import take_crp
from questionnaire.meetings.validation import read_meeting_text
from questionnaire.reference.bodies import bodies
from questionnaire.reference.names import UN_LANGUAGES
from questionnaire.responses import services as responses
from questionnaire.reviews.models import Review
from tests.conftest import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "meeting-wg7-2027.yaml"
AGENDA = "CTOC/COP/WG.7/2027/1"
JOINT = "CTOC/COP/WG.4/2027/4-CTOC/COP/WG.7/2027/4"
ISSUED_ON = date(2027, 4, 20)
#: The marks pdftotext puts around runs of another direction, and the isolates of the text.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, direction marks dropped, white space folded."""
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def pdf_fonts(content: bytes, tmp_path: Path) -> str:
    """The names of the fonts the PDF embeds, as pdffonts lists them."""
    source = tmp_path / "fonts.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(source)], capture_output=True, text=True, check=True
    ).stdout


def pdf_language(content: bytes) -> str:
    """The document's language, as the PDF's catalog declares it."""
    root = PdfReader(BytesIO(content)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    return str(root["/Lang"])


def _record(db: Session, data: dict[str, Any]) -> Meeting:
    read = read_meeting_text(yaml.safe_dump(data, allow_unicode=True), "meeting.yaml")
    assert read.spec is not None, read.problems
    meeting = services.record_meeting(db, read.spec, actor=None)
    db.commit()
    return meeting


def _with_every_language(node: Any) -> Any:
    """The meeting file's data with each text missing in a language given as the English
    text marked with the language's code (test data: the shipped file has no Spanish or
    Russian texts)."""
    if isinstance(node, dict):
        if "en" in node and set(node) <= set(UN_LANGUAGES):
            return {lang: node.get(lang) or _marked(node["en"], lang) for lang in UN_LANGUAGES}
        return {key: _with_every_language(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_every_language(value) for value in node]
    return node


def _marked(english: Any, language: str) -> Any:
    if isinstance(english, list):
        return [f"{text} [{language}]" for text in english]
    return f"{english} [{language}]"


@pytest.fixture
def meeting(db: Session) -> Meeting:
    """The shipped example meeting: English, French, Arabic and Chinese texts."""
    return _record(db, yamldata.load(EXAMPLE.read_text(encoding="utf-8")))


def test_the_arabic_agenda_is_arabic_right_to_left_with_its_symbols_intact(
    app: Flask, db: Session, meeting: Meeting, tmp_path: Path
) -> None:
    with app.app_context():
        content = agenda_pdf(db, meeting, "ar", ISSUED_ON)
    text = pdf_text(content, tmp_path)

    for expected in (
        "الأمم المتحدة",  # "United Nations", from bodies.yaml
        "مؤتمر الأطراف في اتفاقية الأمم المتحدة",  # the organ
        "الفريق العامل المعني بتهريب المهاجرين",  # the working group
        "جدول الأعمال المؤقت المشروح",  # the title, from the meeting file
        "تموز/يوليه",  # July, as UN documents in Arabic name it
        "٢٠٢٧",  # Arabic-Indic digits
        "(أ)",  # sub-items lettered in Arabic
        AGENDA,
        JOINT,  # a joint symbol in the documentation, left to right and whole
        # The block beside the organ is in English on the Arabic version.
        "Distr.: General",
        "20 April 2027",
        "Original: English",
    ):
        assert expected in text, expected
    assert "Noto-Naskh-Arabic" in pdf_fonts(content, tmp_path)
    assert pdf_language(content) == "ar"


def test_the_chinese_agenda_is_chinese_with_its_fonts(
    app: Flask, db: Session, meeting: Meeting, tmp_path: Path
) -> None:
    with app.app_context():
        content = agenda_pdf(db, meeting, "zh", ISSUED_ON)
    text = pdf_text(content, tmp_path)

    for expected in (
        "联合国",
        "联合国打击跨国有组织犯罪公约缔约方会议",
        "偷运移民问题工作组",
        "附说明的临时议程",
        "2027年7月7日星期三",  # the weekday after the date
        "2027年7月7日",
        "第11次",  # "11th" is the number in the sentence, not "11."
        AGENDA,
        "Chinese",
        "Original: English",
    ):
        assert expected in text, expected
    assert "11." not in text
    fonts = pdf_fonts(content, tmp_path)
    assert "Noto-Sans-CJK-SC" in fonts and "Noto-Serif-CJK-SC" in fonts


def test_the_status_note_numbers_paragraphs_and_figures_in_arabic(
    app: Flask, db: Session, meeting: Meeting, tmp_path: Path
) -> None:
    row = status_document(db, meeting)
    assert row is not None
    with app.app_context():
        text = pdf_text(status_note_pdf(db, meeting, row, "ar", date(2027, 6, 1)), tmp_path)

    # (pdftotext sets some vowel marks apart: the texts compared carry none)
    assert "مذكرة من الأمانة بشأن حالة الاستعراضات" in text
    # Paragraphs numbered "١ -" (which pdftotext reads in either order), figures in Arabic digits.
    assert re.search("١ ?-|- ?١", text) and "٠" in text
    assert "حزيران/يونيه" in text
    assert "CTOC/COP/WG.7/2027/3" in text and AGENDA in text


def test_a_version_missing_a_text_of_the_meeting_is_refused_naming_it(
    db: Session, app: Flask
) -> None:
    data = yamldata.load(EXAMPLE.read_text(encoding="utf-8"))
    del data["meeting"]["venue"]["zh"]
    del data["meeting"]["agenda"][1]["title"]["ar"]
    meeting = _record(db, data)

    with app.app_context():
        for language, missing in (("zh", "venue"), ("ar", "agenda[2].title")):
            with pytest.raises(RuleViolation) as refused:
                agenda_pdf(db, meeting, language, ISSUED_ON)
            assert AGENDA in str(refused.value) and missing in str(refused.value)
        for language in ("es", "ru"):  # the shipped file has no Spanish or Russian texts
            with pytest.raises(RuleViolation, match=re.escape("agenda[1].title")):
                agenda_pdf(db, meeting, language, ISSUED_ON)


def test_an_official_name_missing_in_the_data_refuses_the_document(
    db: Session, app: Flask, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = bodies()
    organ = shipped.organ
    without = {code: names for code, names in organ.names.items() if code != "ar"}
    changed = replace(
        shipped,
        by_code={**shipped.by_code, organ.code: replace(organ, names=without)},
        united_nations={k: v for k, v in shipped.united_nations.items() if k != "zh"},
    )
    monkeypatch.setattr(heading, "bodies", lambda: changed)

    with app.app_context():
        with pytest.raises(RuleViolation, match=re.escape("bodies.yaml: COP")):
            agenda_pdf(db, meeting, "ar", ISSUED_ON)
        with pytest.raises(RuleViolation, match=re.escape("bodies.yaml: united_nations")):
            agenda_pdf(db, meeting, "zh", ISSUED_ON)


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_agenda_renders_in_each_language(
    app: Flask, db: Session, language: str, tmp_path: Path
) -> None:
    data = _with_every_language(yamldata.load(EXAMPLE.read_text(encoding="utf-8")))
    meeting = _record(db, data)

    with app.app_context():
        text = pdf_text(agenda_pdf(db, meeting, language, ISSUED_ON), tmp_path)

    organ = bodies().organ.names[language]
    assert bodies().united_nations[language] in text
    assert " ".join(organ.split()[:3]) in text
    assert AGENDA in text and "V.27-00421" in text
    if language in heading.BLOCK_LANGUAGE:  # the block beside the organ is in English
        assert "Distr.: General" in text and "20 April 2027" in text


@pytest.fixture
def submitted_review(
    db: Session,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> Review:
    """Ghana's TIP answers, submitted."""
    review = make_review("GHA", ("TIP", "I", 2))
    focal_point, expert = make_user("GHA"), make_user("GHA")
    member(review, focal_point, "focal_point")
    member(review, expert, "expert")
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    answer_required(db, review, bank, expert)
    responses.submit(db, review, bank, focal_point)
    db.commit()
    return review


def _printed_on(language: str) -> str:
    """Today's date as the answers and the analysis print it ("Printed on …")."""
    today = datetime.now(UTC).date()
    if language == "ar":
        # The month's second name: pdftotext reads "تموز/يوليه" in either order.
        return ARABIC_MONTHS[today.month - 1].split("/")[1]
    if language == "zh":
        return f"{today.year}年{today.month}月{today.day}日"
    return str(today.year)


#: Ghana in each language, from the State names on file.
GHANA = {"ar": "غانا", "zh": "加纳", "en": "Ghana", "fr": "Ghana", "ru": "Гана", "es": "Ghana"}


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_answers_and_the_analysis_print_in_the_readers_language(
    client_for: Callable[[User | None], FlaskClient],
    make_user: Callable[..., User],
    submitted_review: Review,
    language: str,
    tmp_path: Path,
) -> None:
    secretariat = client_for(make_user(None, secretariat=True, locale=language))

    answers = secretariat.get(f"/reviews/{submitted_review.id}/answers.pdf")
    analysis = secretariat.get(f"/analysis/{submitted_review.bank_version_id}.pdf")

    assert answers.status_code == 200 and analysis.status_code == 200
    answers_text = pdf_text(answers.data, tmp_path)
    analysis_text = pdf_text(analysis.data, tmp_path)
    assert GHANA[language] in answers_text
    assert "TIP-5-1" in answers_text  # question keys stay whole, left to right
    for text in (answers_text, analysis_text):
        assert _printed_on(language) in text
    for content in (answers.data, analysis.data):
        fonts = pdf_fonts(content, tmp_path)
        if language == "ar":
            assert "Noto-Naskh-Arabic" in fonts
        elif language == "zh":
            assert "Noto-Sans-CJK-SC" in fonts
        assert pdf_language(content) == language


def test_an_article_reference_stays_whole_in_an_arabic_answers_document(
    client_for: Callable[[User | None], FlaskClient],
    make_user: Callable[..., User],
    submitted_review: Review,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beside a question shown in English, "المادة 5(1)" keeps 5(1) in one piece, left to
    right (isolated), rather than split around the Arabic word; other languages need nothing."""
    rendered: list[str] = []
    real = pdf_module.HTML  # type: ignore[attr-defined]

    def capture(*args: Any, **kwargs: Any) -> Any:
        rendered.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "HTML", capture)
    for language in ("ar", "en"):
        client = client_for(make_user(None, secretariat=True, locale=language))
        assert client.get(f"/reviews/{submitted_review.id}/answers.pdf").status_code == 200
    arabic, english = rendered
    assert "(المادة \u20665(1)\u2069)" in arabic
    assert "(art. 5(1))" in english and "\u2066" not in english


def test_an_allocated_crp_is_titled_in_each_language_its_catalog_translates(
    app: Flask, db: Session, meeting: Meeting, make_user: Callable[..., User]
) -> None:
    english = "Lists of observations and summaries of the country reviews"
    with app.test_request_context():
        row = take_crp(
            db,
            meeting,
            "3 (b)",
            symbol="",
            job_number="V.27-01234",
            original_language="en",
            actor=make_user(None, secretariat=True),
        )
        translated = {}
        for language in UN_LANGUAGES:
            with force_locale(language):
                translated[language] = gettext(english)

    assert row.titles["en"] == english and "fr" in row.titles
    # A language whose catalog lacks the title gets none (the paper is then refused in it,
    # naming the title), never the English one.
    expected = {lang for lang, title in translated.items() if lang == "en" or title != english}
    assert set(row.titles) == expected
    assert all(row.titles[lang] == translated[lang] for lang in expected)
