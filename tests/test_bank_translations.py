"""Bank texts in six languages: coverage, declared languages, stale translations and what a
reader of each language is shown (docs/bank-format.md, "Translations")."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import load_banks
from questionnaire.banks.translations import confirm_file, source_sha256
from questionnaire.banks.validation import validate_file
from questionnaire.cli import cli
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from tests.conftest import BANKS_DIR, login

GEN_2_EN = (
    "Is your country a country of origin, transit and/or destination of trafficking in "
    "persons? Tick all that apply."
)
REWORDED = "Is trafficking in persons in your country one of origin, transit or destination?"
#: The markers, found by their class: the words are those of the reader's language.
FALLBACK = '<span class="tag tag--fallback">'
HIDDEN = '<span class="visually-hidden">'
UNREVIEWED = '<span class="tag tag--unreviewed">'

SMALL_BANK = """\
schema_version: 1
instrument: TIP
cluster: I
version: 1
status: {status}
languages: [en, fr, ar]
title:
  en: "Trafficking in Persons Protocol: criminalization (partial)"
  fr: "Protocole relatif à la traite des personnes : incrimination (partiel)"
  ar: "بروتوكول الاتجار بالأشخاص"
partial:
  en: "Article 3 is reviewed elsewhere."
  fr: "L'article 3 est examiné ailleurs."
  ar: "تُستعرض المادة 3 في موضع آخر."
sections:
  - key: art-5
    article: 5
    questions:
      - key: TIP-5-1
        provision: "5(1)"
        type: text
        text:
          en: "Please cite the legislation."
          fr: "Veuillez citer la législation."
          ar: "يرجى ذكر التشريعات."
      - key: TIP-5-2
        provision: "5(2)"
        type: text
        text:
          en: "Please explain."
          fr: "Veuillez expliquer."
"""


def small_bank(tmp_path: Path, status: str = "published") -> Path:
    path = tmp_path / "TIP" / "I" / "v1.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(SMALL_BANK.format(status=status), encoding="utf-8")
    return path


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


# --- coverage and declared languages ------------------------------------------------------------


def test_validate_reports_the_coverage_of_each_language(runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["banks", "validate", str(BANKS_DIR / "TIP" / "I" / "v3.yaml")])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("questions, languages en, fr")
    total = int(re.search(r"fr (\d+)/(\d+) texts", result.output)[2])  # type: ignore[index]
    assert f"  fr {total}/{total} texts (100 %)" in lines
    # The general section's fifteen texts, in each new language, not yet checked.
    for language in ("ar", "es", "ru", "zh"):
        share = f"{15 / total:.0%}".replace("%", " %")
        assert f"  {language} 15/{total} texts ({share}), 15 unreviewed" in lines


def test_a_published_bank_incomplete_in_a_declared_language_is_refused(tmp_path: Path) -> None:
    path = small_bank(tmp_path)

    result = validate_file(path)

    assert result.bank is None
    [problem] = result.problems
    assert problem.path.endswith("TIP/I/v1.yaml")
    assert problem.field == "sections[art-5].questions[TIP-5-2].text"
    assert problem.line == SMALL_BANK.splitlines().index('          en: "Please explain."')
    assert problem.message.startswith("the 'ar' text is missing: the bank declares ar")


def test_a_draft_may_be_incomplete_in_a_declared_language(tmp_path: Path) -> None:
    result = validate_file(small_bank(tmp_path, status="draft"))

    assert result.problems == []
    arabic = result.languages["ar"]
    assert (arabic.current, arabic.total, arabic.stale) == (3, 4, [])
    assert arabic.line() == "ar 3/4 texts (75 %)"
    assert result.coverage["ar"] == 0.75


def test_a_bank_without_sources_reads_its_translations_as_current(tmp_path: Path) -> None:
    path = small_bank(tmp_path, status="draft")
    bank = validate_file(path).bank
    assert bank is not None
    assert bank.questions_by_key["TIP-5-1"].text["ar"] == "يرجى ذكر التشريعات."

    done = confirm_file(path, "ar", None)

    assert done.confirmed == ["title", "partial", "TIP-5-1.text"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SMALL_BANK.format(status="draft"))  # only the block is added
    sha = source_sha256("Please cite the legislation.")
    assert f"    TIP-5-1.text: {{source_sha256: {sha}}}\n" in text
    assert validate_file(path).languages["fr"].line() == "fr 4/4 texts (100 %)"


# --- a reworded bank ----------------------------------------------------------------------------


@pytest.fixture
def reworded(tmp_path: Path) -> Path:
    """TIP cluster I as shipped, with the English of TIP-GEN-2 reworded in v3: its
    translations, made from the earlier English, are stale."""
    folder = tmp_path / "TIP" / "I"
    shutil.copytree(BANKS_DIR / "TIP" / "I", folder)
    v3 = folder / "v3.yaml"
    text = v3.read_text(encoding="utf-8")
    assert text.count(GEN_2_EN) == 1
    v3.write_text(text.replace(GEN_2_EN, REWORDED), encoding="utf-8")
    return v3


def test_validate_and_diff_report_the_stale_translations(
    runner: FlaskCliRunner, reworded: Path
) -> None:
    refused = runner.invoke(cli, ["banks", "validate", str(reworded)])
    assert refused.exit_code == 1
    assert "TIP-GEN-2.text is stale (it was made from an earlier English text)" in refused.output
    assert "--language fr --key TIP-GEN-2.text" in refused.output

    confirmed = runner.invoke(
        cli,
        [
            "banks",
            "confirm-translations",
            str(reworded),
            "--language",
            "fr",
            "--key",
            "TIP-GEN-2",
        ],
    )
    assert confirmed.output.strip().endswith("fr: 4 texts confirmed (1 were stale), 0 dropped")

    valid = runner.invoke(cli, ["banks", "validate", str(reworded)])
    assert valid.exit_code == 0, valid.output
    assert "    stale: TIP-GEN-2.text" in valid.output.splitlines()
    assert re.search(r"  ar 14/\d+ texts \(\d+ %\), 1 stale, 14 unreviewed", valid.output)
    diff = runner.invoke(
        cli, ["banks", "diff", str(BANKS_DIR / "TIP" / "I" / "v3.yaml"), str(reworded)]
    )
    assert diff.output.splitlines() == [
        "reworded: TIP-GEN-2 [en]",
        *(f"stale: TIP-GEN-2.text [{language}]" for language in ("ar", "es", "ru", "zh")),
    ]


def test_the_page_shows_a_stale_question_in_english_marked(
    app: Flask,
    db: Session,
    reworded: Path,
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    confirm_file(reworded, "fr", {"TIP-GEN-2"})
    [version] = load_banks(db, [reworded]).added
    review = reviews.open_review(
        db, state_code="GHA", bank_version=version, started_on=date.today()
    )
    db.commit()
    html = general_page(app, review, make_user, member, "ar")

    block = question_block(html, "TIP-GEN-2")
    assert f'<span lang="en">{REWORDED}</span>' in block
    assert block.count(FALLBACK) == block.count(HIDDEN) == 1
    assert UNREVIEWED not in block
    # Its options were not reworded: they stay in Arabic.
    assert "بلد عبور" in block
    # The other general questions keep their (unreviewed) Arabic.
    assert "هل يحتاج بلدكم إلى مساعدة" in question_block(html, "TIP-GEN-1")
    assert FALLBACK not in question_block(html, "TIP-GEN-1")


# --- what each reader is shown ------------------------------------------------------------------


def general_page(
    app: Flask,
    review: Review,
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
    language: str,
    section: str = "general",
) -> str:
    user = make_user("GHA", locale=language)
    member(review, user, "focal_point")
    client = app.test_client()
    login(client, user)
    response = client.get(f"/reviews/{review.id}/sections/{section}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def question_block(html: str, key: str) -> str:
    match = re.search(
        rf'<div class="question[^"]*"\s+id="q-{re.escape(key)}".*?</fieldset>', html, re.S
    )
    assert match, f"no block for {key}"
    return match[0]


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("ar", "هل يحتاج بلدكم إلى مساعدة في تقديم المعلومات المطلوبة في هذا الاستبيان؟"),
        ("zh", "贵国在提供本调查表所要求的资料方面是否需要援助？"),
    ],
)
def test_general_sections_are_served_in_arabic_and_chinese_marked_unreviewed(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
    language: str,
    question: str,
) -> None:
    review = make_review("GHA", ("TIP", "I", 3))
    html = general_page(app, review, make_user, member, language)

    block = question_block(html, "TIP-GEN-1")
    assert f"<span>{question}</span>" in block
    assert UNREVIEWED in block
    assert FALLBACK not in html
    assert "Does your country need assistance" not in html


def test_article_questions_fall_back_to_english_one_by_one(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    review = make_review("GHA", ("TIP", "I", 3))
    html = general_page(app, review, make_user, member, "zh", section="art-5")

    keys = re.findall(r'<div class="question[^"]*"\s+id="q-([A-Z0-9-]+)"', html)
    assert keys
    for key in keys:
        block = question_block(html, key)
        assert re.search(r'<legend class="fieldset__legend">\s*<span lang="en">', block), key
        assert FALLBACK in block and HIDDEN in block, key
    # The fixed answer scale is in every language.
    assert "部分是" in html


def test_article_headings_shown_in_english_are_said_to_be_so_once_per_page(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    # No Chinese heading is on file (none is invented): the article page and the task list say
    # once that the headings are in English; a French reader, whose headings are on file, is
    # told nothing.
    said = {
        "zh": "条款标题以英文显示：没有这些标题的本语文正式文本。",
        "fr": "Les titres des articles sont donnés en anglais",
    }
    review = make_review("GHA", ("TIP", "I", 3))
    for language, count in (("zh", 1), ("fr", 0)):
        user = make_user("GHA", locale=language)
        member(review, user, "expert")
        client = app.test_client()
        login(client, user)
        for url in (f"/reviews/{review.id}/", f"/reviews/{review.id}/sections/art-5"):
            page = client.get(url).get_data(as_text=True)
            assert page.count(said[language]) == count, (language, url)


def test_french_readers_see_no_marker(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    review = make_review("GHA", ("TIP", "I", 3))
    html = general_page(app, review, make_user, member, "fr")

    assert "pour fournir les informations demandées" in html
    assert "tag--fallback" not in html and "tag--unreviewed" not in html


# --- loading --------------------------------------------------------------------------------------


def test_a_recorded_bank_takes_new_translations_in_place(db: Session, tmp_path: Path) -> None:
    folder = tmp_path / "TIP" / "I"
    folder.mkdir(parents=True)
    path = folder / "v1.yaml"
    shutil.copy(BANKS_DIR / "TIP" / "I" / "v1.yaml", path)
    [version] = load_banks(db, [path]).added
    db.commit()
    text = path.read_text(encoding="utf-8")
    arabic = '      ar: "معلومات عامة"\n'
    path.write_text(text.replace(arabic, '      ar: "معلومات عامة للدولة"\n', 1), encoding="utf-8")
    confirm_file(path, "ar", {"general.title"})

    report = load_banks(db, [path])

    assert report.retranslated == [version] and report.added == []
    recorded = db.get(BankVersion, version.id)
    assert recorded is not None
    assert recorded.content["sections"][0]["title"]["ar"] == "معلومات عامة للدولة"
    # Arabic checked; the other languages of the section title are not yet.
    assert recorded.content["sections"][0]["unreviewed_languages"] == ["es", "ru", "zh"]


def test_english_shown_to_an_arabic_reader_is_marked_as_english(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    """The questionnaire's title and guidance, which have no Arabic text, carry lang="en", so
    that a screen reader reads them as English and they keep their own direction."""
    review = make_review("GHA", ("TIP", "I", 3))
    user = make_user("GHA", locale="ar")
    member(review, user, "focal_point")
    client = app.test_client()
    login(client, user)
    html = client.get(f"/reviews/{review.id}/").get_data(as_text=True)
    assert '<h1 lang="en">Trafficking in Persons Protocol' in html
    assert '<p lang="en">Your answers are official statements' in html


def test_a_question_without_an_article_has_no_separator_before_its_marker(
    app: Flask,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> None:
    """The general questions cite no article: with the keys hidden, the marker of their
    translation stands alone, without a "·" before it."""
    review = make_review("GHA", ("TIP", "I", 3))
    html = general_page(app, review, make_user, member, "ar")

    meta = re.search(
        r'<p class="question__meta muted">(.*?)</p>', question_block(html, "TIP-GEN-1"), re.S
    )
    assert meta and UNREVIEWED in meta[1]
    # What is left once the keys, hidden from the State's people, are taken out.
    shown = re.sub(r'<span class="key">[^<]*</span>', "", meta[1])
    shown = re.sub(r'<span class="question__key">[^<]*</span>', "", shown)
    assert "·" not in shown, meta[1]
