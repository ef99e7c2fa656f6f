"""Conference room papers: symbols, agreed lists only, the PDF (header, wording, numbering,
A4, tagging, metadata, fonts, running header), revisions, publishing, the stable address,
the render cache, the background queue and the command line (the agreed lists, the papers'
requests and the PDF readers are in tests/factories.py).
"""

from __future__ import annotations

import io
import re
import shutil
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from rq import SimpleWorker
from sqlmodel import Session, col, select

from questionnaire import create_app
from questionnaire import db as database
from questionnaire import pdf as pdf_module
from questionnaire import worker as worker_module
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.documents import crp, jobs
from questionnaire.documents import services as publishing
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import is_crp, is_valid_symbol, slug, unslug
from questionnaire.errors import RuleViolation
from questionnaire.i18n import localize
from questionnaire.reference.bodies import bodies
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.workspace.forms import CATEGORY_LABELS
from tests.conftest import login
from tests.factories import (
    GHANA,
    GHANA_SUMMARY,
    JOB_NUMBER,
    KENYA,
    KENYA_SUMMARY,
    MEETING,
    REDIS_URL,
    SYMBOL,
    Reviewed,
    agree_list,
    compact,
    crp_request,
    form_data,
    fresh,
    in_french,
    make_crp,
    open_phase,
    pdf_pages,
    pdf_text,
    pdffonts,
    pdftotext,
    translate_list,
)

#: Paragraph 1 of every CRP (the msgid in questionnaire/documents/crp.py).
INTRODUCTION = (
    "In accordance with paragraph 38 of the procedures and rules for the functioning "
    "of the Mechanism for the Review of the Implementation of the United Nations "
    "Convention against Transnational Organized Crime and the Protocols thereto, the "
    "lists of observations and the summaries completed before a meeting of a working "
    "group are made available to it as conference room papers. The present paper "
    "contains the lists of observations and summaries made final by %(cutoff)s, as set "
    "out below, without the elements that the States under review have decided to keep "
    "confidential."
)


# --- building reviews with agreed lists ---------------------------------------------------


# --- reading PDFs --------------------------------------------------------------------------


def in_order(haystack: str, needles: Sequence[str]) -> bool:
    """Every needle found in `haystack` (both compacted), each after the one before."""
    text, position = compact(haystack), 0
    for needle in needles:
        found = text.find(compact(needle), position)
        if found < 0:
            return False
        position = found + 1
    return True


# --- fixtures ------------------------------------------------------------------------------

LABELS = {
    "good_practice": "Success or good practice",
    "gap": "Gap or challenge",
    "suggestion": "Suggestion",
    "assistance_need": "Technical assistance need",
}
STATE_HEADINGS = {
    "GHA": "Ghana: Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
    "Especially Women and Children",
    "KEN": "Kenya: Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
    "Especially Women and Children",
}


@pytest.fixture
def two_lists(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> list[Reviewed]:
    """Ghana's agreed list (articles 3 and 5) and Kenya's (article 5 only), with summaries."""
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    return [
        agree_list(db, make_user, ghana, GHANA, summary=GHANA_SUMMARY),
        agree_list(db, make_user, kenya, KENYA, summary=KENYA_SUMMARY),
    ]


@pytest.fixture
def ghana_list(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> Reviewed:
    (ghana,) = open_phase(db, secretariat, ["GHA"])
    return agree_list(db, make_user, ghana, GHANA, summary=GHANA_SUMMARY)


def expected_paragraphs() -> list[str]:
    """The numbered paragraphs of the two-list CRP, in order: the introduction, then per State
    its articles in the bank's order, within an article the categories in their order, then
    its summary."""
    ordered = [
        GHANA[2],  # art-3 good practice
        GHANA[1],  # art-3 gap
        GHANA[0],  # art-5 suggestion
        GHANA[3],  # art-5 assistance need
    ]
    texts = [f"{LABELS[category]}: {text}" for _section, category, text in ordered]
    texts += GHANA_SUMMARY.split("\n\n")
    texts += [f"{LABELS[KENYA[0][1]]}: {KENYA[0][2]}", KENYA_SUMMARY]
    return [f"{number}. {text}" for number, text in enumerate(texts, start=2)]


# --- symbols -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "symbol",
    [
        "CTOC/COP/WG.4/2025/CRP.2",
        "CTOC/COP/WG.7/2024/CRP.1",
        "CTOC/COP/2024/CRP.12",
        "CTOC/COP/WG.4/2024/CRP.4-CTOC/COP/WG.7/2024/CRP.4",
        "CTOC/COP/WG.4/2025/CRP.2/Rev.1",
    ],
)
def test_conference_room_paper_symbols_are_accepted(symbol: str) -> None:
    assert is_valid_symbol(symbol)
    assert is_crp(symbol)
    assert unslug(slug(symbol)) == symbol
    assert "/" not in slug(symbol)


@pytest.mark.parametrize(
    "symbol",
    [
        "",
        "CTOC/COP/WG.4/25/CRP.2",
        "ctoc/cop/WG.4/2025/CRP.2",
        "CTOC/COP/WG.4/2025/CRP.",
        "CTOC/COP/WG.4/2025/CRP.2-",
        "CTOC/COP/WG.4/2025/CRP.2 ",
        "CTOC/COP/WG.4/2025/CRP.2/Add",
        "A/RES/55/25",
        "CTOC/COP/WG.4/2025/CRP.2; DROP TABLE publication",
    ],
)
def test_invalid_symbols_are_refused(symbol: str) -> None:
    assert not is_valid_symbol(symbol)
    assert not is_crp(symbol)


@pytest.mark.parametrize(
    "symbol",
    [
        "CTOC/COP/WG.7/2024/2",
        "CTOC/COP/2024/5",
        "CTOC/COP/WG.7/2024/2/Add.1",
        "CTOC/COP/WG.4/2024/4-CTOC/COP/WG.7/2024/4",
        "CTOC/COP/WG.4/2024/CRP.4-CTOC/COP/WG.7/2024/4",  # one part is not a CRP
    ],
)
def test_symbols_of_other_documents_are_refused_for_a_crp(
    db: Session, ghana_list: Reviewed, secretariat: User, symbol: str
) -> None:
    assert is_valid_symbol(symbol)
    assert not is_crp(symbol)
    with pytest.raises(RuleViolation, match="is not a conference room paper"):
        publishing.create_crp(db, crp_request([ghana_list.review_id], symbol=symbol), secretariat)


def test_the_form_refuses_an_invalid_symbol_with_a_message(
    db: Session, client: FlaskClient, ghana_list: Reviewed, secretariat: User
) -> None:
    login(client, secretariat)
    for symbol in ("CTOC/COP/WG.4/2025/2", "CRP.2", "CTOC/COP/WG.4/2025/CRP.2-"):
        response = client.post("/documents/new", data=form_data([ghana_list.review_id], symbol))
        assert response.status_code == 200, response.headers.get("Location")
        assert (
            "Give a conference room paper symbol, for example CTOC/COP/WG.4/2025/CRP.2"
            in response.get_data(as_text=True)
        )
    assert fresh(db).exec(select(Publication)).all() == []


# --- only final lists ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["drafting", "with_state", "agreed"])
def test_a_list_that_is_not_final_cannot_be_included(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    status: str,
) -> None:
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    agreed = agree_list(db, make_user, ghana, GHANA)
    pending = agree_list(db, make_user, kenya, KENYA, status=status)
    with pytest.raises(RuleViolation, match=f"review {pending.review_id} was not final by"):
        publishing.create_crp(db, crp_request([agreed.review_id, pending.review_id]), secretariat)
    assert db.exec(select(Publication)).all() == []


def test_final_lists_are_included_and_a_review_without_list_or_no_review_is_refused(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> None:
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    final = agree_list(db, make_user, ghana, GHANA, status="final")
    publication = publishing.create_crp(db, crp_request([final.review_id]), secretariat)
    assert publication.revision == 1
    with pytest.raises(RuleViolation, match=f"Review {kenya.id} has no list of observations"):
        publishing.create_crp(db, crp_request([final.review_id, kenya.id]), secretariat)  # type: ignore[list-item]
    with pytest.raises(RuleViolation, match="Choose at least one final list"):
        publishing.create_crp(db, crp_request([]), secretariat)
    with pytest.raises(RuleViolation, match="Documents are produced in ar, zh, en, fr, ru, es"):
        publishing.create_crp(db, crp_request([final.review_id], "de"), secretariat)


def test_the_form_offers_only_final_lists(
    db: Session,
    client: FlaskClient,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> None:
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    agreed = agree_list(db, make_user, ghana, GHANA)
    pending = agree_list(db, make_user, kenya, KENYA, status="agreed")
    login(client, secretariat)
    page = client.get("/documents/new").get_data(as_text=True)
    assert f'value="{agreed.review_id}"' in page
    assert f'value="{pending.review_id}"' not in page
    response = client.post("/documents/new", data=form_data([pending.review_id]))
    assert response.status_code == 200
    assert fresh(db).exec(select(Publication)).all() == []


# --- the PDF -------------------------------------------------------------------------------


def test_the_english_crp_has_the_un_header_and_numbered_paragraphs(
    db: Session, two_lists: list[Reviewed], secretariat: User, tmp_path: Path
) -> None:
    publication = make_crp(db, crp_request([r.review_id for r in two_lists]), secretariat)
    assert publication.pdf is not None and publication.page_count in (1, 2)
    header = [
        "United Nations",
        SYMBOL,
        "Conference of the Parties to the United Nations Convention against Transnational",
        "Working Group on Trafficking in Persons",
        "Vienna, 5 and 6 July 2027",
        "Item 3 of the provisional agenda*",
        "Review of the implementation of the Protocol",
        "Lists of observations and summaries of the reviews",
        "Note by the Secretariat",
        "1. In accordance with paragraph 38 of the procedures and rules",
    ]
    body = [
        STATE_HEADINGS["GHA"],
        "Reviewing States:",
        "Article 3. Use of terms",
        *expected_paragraphs()[:2],
        "Article 5. Criminalization",
        *expected_paragraphs()[2:4],
        "Summary",
        *expected_paragraphs()[4:6],
        STATE_HEADINGS["KEN"],
        "Reviewing States:",
        "Article 5. Criminalization",
        expected_paragraphs()[6],
        "Summary",
        expected_paragraphs()[7],
    ]
    for text in (pdf_text(publication.pdf), pdftotext(publication.pdf, tmp_path)):
        assert in_order(text, header + body), text
        # One section per State and article: Kenya has no observation on article 3.
        assert compact(text).count(compact("Article 3. Use of terms")) == 1
        assert compact(text).count(compact("Article 5. Criminalization")) == 2
        numbers = [int(n) for n in re.findall(r"^(\d+)\.", text, flags=re.MULTILINE)]
        assert numbers == list(range(1, 10))
        assert "July 2, 2027" not in text
        for line in ("2 July 2027", "English only", "Original: English", f"* {MEETING}."):
            assert compact(line) in compact(text), line
    # The reviewing States are joined as the paper's language joins a list.
    for state in publication.snapshot["states"]:
        assert re.fullmatch(r"Reviewing States: [^,]+ and [^,]+", state["reviewers"]), state
        assert JOB_NUMBER in text and "Distr." not in text


def test_a_summary_typed_in_a_browser_keeps_its_paragraphs(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    tmp_path: Path,
) -> None:
    """Browsers send a textarea's line ends as CRLF and the summary is stored as sent: its
    blank lines still separate numbered paragraphs, its single line ends do not."""
    (ghana,) = open_phase(db, secretariat, ["GHA"])
    summary = "The law is comprehensive.\r\n\r\nThe courts apply it;\r\nthe police too.\r\n \r\n"
    reviewed = agree_list(db, make_user, ghana, GHANA[:1], summary=summary)
    publication = make_crp(db, crp_request([reviewed.review_id]), secretariat)
    assert publication.pdf is not None
    paragraphs = publication.snapshot["states"][0]["summary"]
    assert [(p["number"], p["text"]) for p in paragraphs] == [
        (3, "The law is comprehensive."),
        (4, "The courts apply it;\nthe police too."),
    ]
    assert in_order(
        pdftotext(publication.pdf, tmp_path),
        ["Summary", "3. The law is comprehensive.", "4. The courts apply it; the police too."],
    )


def test_the_french_crp_has_the_french_wording(
    db: Session, two_lists: list[Reviewed], secretariat: User, tmp_path: Path
) -> None:
    """Every fixed phrase in the French catalog's words, English where it has none yet, over
    the French translation of the lists."""
    for reviewed in two_lists:
        translate_list(db, reviewed, secretariat)
    request = crp_request([r.review_id for r in two_lists], "fr")
    publication = make_crp(db, request, secretariat)
    assert publication.pdf is not None
    instruments = load_instrument_data()
    with force_locale("fr"):
        articles = [
            f"{gettext('Article %(number)s', number=n)}. "
            f"{localize(instruments.article('TIP', n).title, 'fr')}"  # type: ignore[union-attr]
            for n in (3, 5)
        ]
        phrases = {english: gettext(english) for english in ("Note by the Secretariat", "Summary")}
        phrases["French only"] = gettext("%(language)s only", language="Français")
        # The heading's first line comes from the data of the Conference's bodies.
        phrases["United Nations"] = bodies().united_nations["fr"]
        phrases["Item 3 of the provisional agenda*"] = gettext(
            "Item %(item)s of the provisional agenda*", item="3"
        )
        # The lists were written in English: the French version says so.
        phrases["Original: English"] = gettext("Original: %(language)s", language="anglais")
        phrases["Reviewing States: "] = gettext("Reviewing States: %(states)s", states="")
        phrases.update({label: str(CATEGORY_LABELS[key]) for key, label in LABELS.items()})
        introduction = gettext(INTRODUCTION, cutoff="30 juin 2027")
    title = localize(instruments.instruments["TIP"].title, "fr")
    for text in (pdf_text(publication.pdf), pdftotext(publication.pdf, tmp_path)):
        assert in_order(
            text,
            [
                phrases["United Nations"],
                SYMBOL,
                "Conférence des Parties à la Convention des Nations Unies",
                "Groupe de travail sur la traite des personnes",
                "Vienne, 5 et 6 juillet 2027",
                phrases["Item 3 of the provisional agenda*"],
                "Examen de l'application du Protocole",
                "Listes d'observations et résumés des examens",
                phrases["Note by the Secretariat"],
                f"1. {introduction}",
                f"Ghana: {title}",
                phrases["Reviewing States: "].strip(),
                articles[0],
                f"{phrases['Success or good practice']}: {in_french(GHANA[2][2])}",
                articles[1],
                phrases["Summary"],
                f"Kenya: {title}",
            ],
        ), text
        for label in LABELS.values():
            assert compact(phrases[label]) in compact(text)
        # Where the catalog translates a phrase, its English words are gone.
        for english, french in phrases.items():
            if english != french:
                assert compact(english) not in compact(text), english
        assert "July" not in text and "English only" not in text
        for line in ("2 juillet 2027", phrases["French only"], phrases["Original: English"]):
            assert compact(line) in compact(text), line


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Article 3. Use of terms"),
        ("fr", "Article 3. Terminologie"),
        ("ar", "المادة ٣. \u2066Use of terms\u2069"),
        ("zh", "第3条 Use of terms"),
    ],
)
def test_an_article_heading_is_one_message_with_the_papers_digits(
    app: Flask, language: str, expected: str
) -> None:
    """Number and heading in one message of the language's, the number in the paper's digits;
    a heading on file only in English (Arabic, Chinese) kept left to right in an Arabic paper."""
    with app.test_request_context(), force_locale(language):
        assert crp._article_heading("TIP", 3, language) == expected


def test_the_pdf_is_a4_tagged_with_title_language_and_embedded_fonts(
    db: Session, two_lists: list[Reviewed], secretariat: User, tmp_path: Path
) -> None:
    for reviewed in two_lists:
        translate_list(db, reviewed, secretariat)
    for language in ("en", "fr"):
        publication = make_crp(
            db, crp_request([r.review_id for r in two_lists], language), secretariat
        )
        assert publication.pdf is not None
        reader = PdfReader(io.BytesIO(publication.pdf))
        for page in reader.pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx((595.28, 841.89), abs=0.5)
        catalog = reader.root_object
        mark_info = catalog["/MarkInfo"]
        assert isinstance(mark_info, DictionaryObject)
        assert bool(mark_info["/Marked"])
        assert "/StructTreeRoot" in catalog
        assert catalog["/Lang"] == language
        assert reader.metadata is not None
        assert reader.metadata.title == (
            f"{SYMBOL}: Lists of observations and summaries of the reviews"
            if language == "en"
            else f"{SYMBOL}: Listes d'observations et résumés des examens"
        )
        fonts = pdffonts(publication.pdf, tmp_path)
        assert fonts, "no fonts listed"
        assert all(font["emb"] == "yes" for font in fonts), fonts
        assert {font["type"] for font in fonts} <= {"CID TrueType", "CID Type 0C (OT)"}


def test_pages_after_the_first_repeat_the_symbol_in_a_running_header(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    tmp_path: Path,
) -> None:
    (ghana,) = open_phase(db, secretariat, ["GHA"])
    sentence = "The law covers recruitment, transport, transfer, harbouring and receipt. "
    elements = [
        ("art-3" if i < 20 else "art-5", "gap", f"Observation {i}: " + sentence * 6)
        for i in range(40)
    ]
    reviewed = agree_list(db, make_user, ghana, elements)
    publication = make_crp(db, crp_request([reviewed.review_id]), secretariat)
    assert publication.pdf is not None
    assert publication.page_count is not None and publication.page_count >= 3
    pages = pdf_pages(publication.pdf)
    assert len(pages) == publication.page_count
    assert pages[0].count(SYMBOL) == 1  # the document header; no running header on page 1
    total = publication.page_count
    for number in range(2, total + 1):
        assert SYMBOL in pages[number - 1], number
        lines = pdftotext(publication.pdf, tmp_path, "-f", str(number), "-l", str(number))
        # UN style: the symbol and page/total, on the left of even pages, the right of odd.
        first = lines.lstrip().splitlines()[0].split()
        expected = (
            [SYMBOL, f"{number}/{total}"] if number % 2 == 0 else [f"{number}/{total}", SYMBOL]
        )
        assert first == expected, (number, lines[:200])
        assert lines.rstrip().endswith(JOB_NUMBER), number
    # The numbering runs on across the pages: 1 for the introduction, 2..41 for the elements.
    text = pdftotext(publication.pdf, tmp_path)
    numbers = [int(n) for n in re.findall(r"^(\d+)\.\s", text, flags=re.MULTILINE)]
    assert numbers == list(range(1, 42))


# --- revisions, publishing, addresses ------------------------------------------------------


def test_a_new_crp_is_the_next_revision_and_the_stable_address_serves_the_latest_published(
    db: Session, client: FlaskClient, ghana_list: Reviewed, secretariat: User
) -> None:
    first = make_crp(db, crp_request([ghana_list.review_id]), secretariat)
    translate_list(db, ghana_list, secretariat)
    with pytest.raises(RuleViolation, match="not rendered yet"):
        publishing.publish(
            db,
            publishing.create_crp(db, crp_request([ghana_list.review_id], "fr"), secretariat),
            secretariat,
        )
    db.rollback()
    assert (first.revision, first.status, first.job_status) == (1, "draft", "done")
    login(client, ghana_list.focal_point)
    stable = f"/documents/{slug(SYMBOL)}/en.pdf"
    assert client.get(stable).status_code == 404  # nothing published yet

    publishing.publish(db, first, secretariat)
    db.commit()
    assert first.published_at is not None and first.published_by_id == secretariat.id
    with pytest.raises(RuleViolation, match="already published"):
        publishing.publish(db, first, secretariat)
    response = client.get(stable)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Content-SHA256"] == first.pdf_sha256
    assert response.data == first.pdf

    revised = crp_request([ghana_list.review_id], issued_on=date(2027, 7, 3))
    second = make_crp(db, revised, secretariat)
    assert second.revision == 2 and second.status == "draft"
    assert client.get(stable).headers["X-Content-SHA256"] == first.pdf_sha256  # still rev. 1
    publishing.publish(db, second, secretariat)
    db.commit()
    response = client.get(stable)
    assert response.headers["X-Content-SHA256"] == second.pdf_sha256 != first.pdf_sha256
    assert "3 July 2027" in pdf_text(response.data)
    # The old revision stays on record, published, and at its own address.
    kept = fresh(db).get(Publication, first.id)
    assert kept is not None and (kept.revision, kept.status) == (1, "published")
    assert client.get(f"/documents/{first.id}.pdf").data == first.pdf
    assert client.get(f"/documents/{slug(SYMBOL)}/fr.pdf").status_code == 404
    revisions = db.exec(
        select(Publication.revision)
        .where(Publication.symbol == SYMBOL, Publication.language == "en")
        .order_by(col(Publication.revision))
    ).all()
    assert revisions == [1, 2]


def test_publishing_through_the_page_and_drafts_are_hidden_from_others(
    db: Session, client: FlaskClient, ghana_list: Reviewed, secretariat: User
) -> None:
    draft = make_crp(db, crp_request([ghana_list.review_id]), secretariat)
    urls = [f"/documents/{draft.id}", f"/documents/{draft.id}.pdf", f"/documents/{draft.id}/status"]
    stable = f"/documents/{slug(SYMBOL)}/en.pdf"
    for user in (ghana_list.focal_point, ghana_list.reviewer):
        login(client, user)
        for url in [*urls, stable]:
            assert client.get(url).status_code == 404, url
        assert SYMBOL not in client.get("/documents/").get_data(as_text=True)
        assert client.post(f"/documents/{draft.id}/publish").status_code == 404
        assert client.get("/documents/new").status_code == 404
        client.post("/logout")
    assert fresh(db).get(Publication, draft.id).status == "draft"  # type: ignore[union-attr]

    login(client, secretariat)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(stable).status_code == 404
    assert SYMBOL in client.get("/documents/").get_data(as_text=True)
    # The draft's page is the confirmation: it says what publishing does before the button.
    draft_page = client.get(f"/documents/{draft.id}").get_data(as_text=True)
    assert "It cannot be unpublished: it can only be withdrawn" in draft_page
    response = client.post(f"/documents/{draft.id}/publish", follow_redirects=True)
    assert "The document has been published." in response.get_data(as_text=True)
    client.post("/logout")

    login(client, ghana_list.focal_point)
    for url in [*urls, stable]:
        assert client.get(url).status_code == 200, url
    assert client.get(stable).data == draft.pdf


def test_anonymous_visitors_are_sent_to_log_in(
    db: Session, client: FlaskClient, ghana_list: Reviewed, secretariat: User
) -> None:
    publication = make_crp(db, crp_request([ghana_list.review_id]), secretariat)
    publishing.publish(db, publication, secretariat)
    db.commit()
    for url in (f"/documents/{publication.id}.pdf", f"/documents/{slug(SYMBOL)}/en.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the render cache ----------------------------------------------------------------------


def test_the_same_content_again_takes_the_pdf_from_the_cache(
    db: Session, ghana_list: Reviewed, secretariat: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = crp_request([ghana_list.review_id])
    first = make_crp(db, request, secretariat)

    renders: list[str] = []
    original = pdf_module.render_pdf  # the documents' services call it by this name

    def counting(template: str, **kwargs: object) -> bytes:
        renders.append(template)
        return original(template, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "render_pdf", counting)
    second = publishing.create_crp(db, request, secretariat)
    db.commit()
    assert renders == []  # taken from the cache: nothing rendered
    assert second.revision == 2 and second.job_status == "done"
    assert second.pdf_sha256 == first.pdf_sha256 and second.pdf == first.pdf
    assert second.page_count == first.page_count
    assert second.snapshot_sha256 == first.snapshot_sha256

    translate_list(db, ghana_list, secretariat)
    other = publishing.create_crp(db, crp_request([ghana_list.review_id], "fr"), secretariat)
    assert other.job_status == "queued" and other.pdf is None  # other content: rendered anew
    assert publishing.render(db, other)
    assert renders == ["documents/crp.html"]


def test_a_new_template_stylesheet_or_translation_renders_the_same_content_anew(
    db: Session, ghana_list: Reviewed, secretariat: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = crp_request([ghana_list.review_id])
    first = make_crp(db, request, secretariat)
    assert first.render_key
    monkeypatch.setattr(publishing, "renderer_fingerprint", lambda template: "changed")
    second = publishing.create_crp(db, request, secretariat)
    assert second.snapshot_sha256 == first.snapshot_sha256
    assert second.job_status == "queued" and second.pdf is None
    assert publishing.render(db, second)
    assert second.render_key not in (None, first.render_key)
    third = publishing.create_crp(db, request, secretariat)
    assert third.job_status == "done" and third.pdf == second.pdf


def test_the_renderer_fingerprint_follows_the_stylesheet_and_the_catalogs(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        before = pdf_module.renderer_fingerprint(publishing.CRP_TEMPLATE)
        assert before == pdf_module.renderer_fingerprint(publishing.CRP_TEMPLATE)
        stylesheet = tmp_path / "print.css"
        stylesheet.write_text(pdf_module.PRINT_CSS.read_text(encoding="utf-8") + "\np {}\n")
        monkeypatch.setattr(pdf_module, "PRINT_CSS", stylesheet)
        after_css = pdf_module.renderer_fingerprint(publishing.CRP_TEMPLATE)
        assert after_css != before
        catalogs = tmp_path / "translations"
        shutil.copytree(pdf_module.TRANSLATIONS, catalogs)
        mo = catalogs / "fr" / "LC_MESSAGES" / "messages.mo"
        mo.write_bytes(mo.read_bytes() + b"\0")
        monkeypatch.setattr(pdf_module, "TRANSLATIONS", catalogs)
        assert pdf_module.renderer_fingerprint(publishing.CRP_TEMPLATE) != after_css


def test_the_page_does_not_queue_a_rendering_the_cache_answered(
    db: Session,
    client: FlaskClient,
    ghana_list: Reviewed,
    secretariat: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_crp(db, crp_request([ghana_list.review_id]), secretariat)
    queued: list[int] = []
    monkeypatch.setattr(jobs, "enqueue_render", queued.append)
    login(client, secretariat)
    response = client.post("/documents/new", data=form_data([ghana_list.review_id]))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert queued == []
    latest = fresh(db).exec(select(Publication).where(Publication.revision == 2)).one()
    assert latest.job_status == "done"
    assert client.get(f"/documents/{latest.id}/status").get_json() == {
        "status": "done",
        "pages": 1,
        "error": None,
    }


# --- the background queue ------------------------------------------------------------------


def test_with_redis_the_page_queues_the_rendering_and_a_worker_does_it(
    app: Flask,
    db: Session,
    client: FlaskClient,
    ghana_list: Reviewed,
    secretariat: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    # The worker builds its own application from the environment, on the test database.
    monkeypatch.setenv("DATABASE_URL", str(app.config["DATABASE_URL"]))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    # A queue of this test's own: others may use the same Redis at the same moment.
    monkeypatch.setattr(jobs, "QUEUE_NAME", f"documents-test-{uuid.uuid4().hex}")
    # render_job builds an application (and an engine) per job and leaves its connection
    # pool open; keep them to dispose of after, or their connections are left to the
    # garbage collector (a ResourceWarning on PostgreSQL).
    built: list[Flask] = []

    def create_app_kept(*args: Any, **kwargs: Any) -> Flask:
        built.append(create_app(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(worker_module, "create_app", create_app_kept)
    queue = jobs.queue(REDIS_URL)
    try:
        login(client, secretariat)
        response = client.post(
            "/documents/new",
            data=form_data([ghana_list.review_id], job_number="", languages=["en"]),
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        created = fresh(db).exec(select(Publication).order_by(col(Publication.id))).all()
        assert [(p.language, p.job_status) for p in created] == [("en", "queued")]
        assert response.headers["Location"].endswith(f"/documents/{created[0].id}")
        assert len(queue) == 1
        status = client.get(f"/documents/{created[0].id}/status").get_json()
        assert status == {"status": "queued", "pages": None, "error": None}

        worker = SimpleWorker([queue], connection=queue.connection)
        assert worker.work(burst=True)
        assert len(queue) == 0
        for publication in created:
            status = client.get(f"/documents/{publication.id}/status").get_json()
            assert status == {"status": "done", "pages": 1, "error": None}
            pdf = client.get(f"/documents/{publication.id}.pdf")
            assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
        assert "2 July 2027" in pdf_text(pdf.data)
    finally:
        queue.delete(delete_jobs=True)
        queue.connection.close()
        for worker_app in built:
            database.get_engine(worker_app).dispose()


# --- the command line ----------------------------------------------------------------------


def test_the_command_line_renders_and_publishes_and_prints_the_page_count(
    app: Flask,
    db: Session,
    two_lists: list[Reviewed],
    secretariat: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # FlaskGroup sets it; monkeypatch unsets it
    arguments = [
        "publish", "crp", "--meeting", MEETING, "--item", "3", "--symbol", SYMBOL,
        "--date", "2027-07-02", "--cutoff", "2027-06-30", "--user", secretariat.email,
    ]  # fmt: skip
    for reviewed in two_lists:
        arguments += ["--review", str(reviewed.review_id)]
    result = app.test_cli_runner().invoke(cli, [*arguments, "--publish"])
    assert result.exit_code == 0, result.output
    assert f"{SYMBOL} [en] revision 1: 2 pages, published" in result.output
    published = fresh(db).exec(select(Publication).order_by(col(Publication.id))).all()
    assert [(p.language, p.status, p.page_count) for p in published] == [("en", "published", 2)]
    english = publishing.latest_published(db, SYMBOL, "en")
    assert english is not None and english.pdf is not None
    assert in_order(pdf_text(english.pdf), ["2 July 2027", *expected_paragraphs()])

    result = app.test_cli_runner().invoke(cli, [*arguments, "--draft"])
    assert result.exit_code == 0, result.output
    assert f"{SYMBOL} [en] revision 2: 2 pages, draft" in result.output
    # A French version of lists not translated into French is refused, naming them.
    refused = app.test_cli_runner().invoke(cli, [*arguments, "--language", "fr"])
    assert refused.exit_code != 0
    assert "cannot be issued in French" in refused.output
    assert "not translated into French" in refused.output

    refused = app.test_cli_runner().invoke(
        cli, [*arguments, "--user", two_lists[0].focal_point.email]
    )
    assert refused.exit_code != 0
    assert "is not a secretariat account" in refused.output
    refused = app.test_cli_runner().invoke(
        cli, [*arguments, "--review", "999999", "--symbol", "CTOC/COP/WG.4/2027/2"]
    )
    assert refused.exit_code != 0
    assert "is not a conference room paper in the register" in refused.output
