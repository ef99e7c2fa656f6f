"""Provision texts loaded by the secretariat, their coverage, and articles not on file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from flask import Flask, render_template, session
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, delete, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.reference.instruments import article_heading
from questionnaire.reference.models import ProvisionParagraph
from questionnaire.reference.provisions import (
    AUTHENTIC_TEXTS_URL,
    PROVISIONS_FILE,
    ProvisionsFileError,
    load_provisions,
    provision_coverage,
    provision_text,
    read_provisions,
)
from tests.conftest import login

#: TIP article 2 in English as on file (shared reference, protocol_texts_en.md), in two parts.
TIP_2_A = (
    "(a) To prevent and combat trafficking in persons, paying particular attention to women "
    "and children;"
)
TIP_2_B = (
    "(b) To protect and assist the victims of such trafficking, with full respect for their "
    "human rights; and"
)


def entry(**changes: object) -> dict[str, object]:
    value: dict[str, object] = {
        "instrument": "TIP",
        "article": 2,
        "language": "en",
        "complete": False,
        "source": "humanrights.ch, human trafficking page",
        "paragraphs": [{"text": TIP_2_A}, {"text": TIP_2_B}],
    }
    value.update(changes)
    return value


def write(path: Path, *entries: dict[str, object]) -> Path:
    path.write_text(
        yaml.safe_dump({"schema_version": 1, "texts": list(entries)}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def restore_provisions(db: Session) -> Iterator[None]:
    """Loading commits: put the shipped texts back afterwards."""
    yield
    db.rollback()
    db.exec(delete(ProvisionParagraph))  # type: ignore[call-overload]
    load_provisions(db)
    db.commit()


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["provisions", *args])


# --- the shipped texts ---------------------------------------------------------------------


def test_the_shipped_texts_load_by_paragraph(db: Session) -> None:
    entries = read_provisions(PROVISIONS_FILE)

    assert {e.instrument for e in entries} == {"TIP", "SOM"}  # nothing for UNTOC or FIR
    tip_5 = db.exec(
        select(ProvisionParagraph).where(
            ProvisionParagraph.instrument == "TIP",
            ProvisionParagraph.article == 5,
            ProvisionParagraph.language == "en",
        )
    ).all()
    assert [row.paragraph for row in tip_5] == ["1", "2"]
    assert tip_5[0].text.startswith("1. Each State Party shall adopt")


def test_a_paragraph_on_file_alone_is_shown_with_its_number(db: Session) -> None:
    text = provision_text("TIP", 1, "en")

    assert text is not None and not text.is_complete
    assert text.text.startswith("3. The offences established in accordance with article 5")


def test_incomplete_texts_stay_marked_incomplete(db: Session) -> None:
    french_tip_3 = provision_text("TIP", 3, "fr")
    som_6 = provision_text("SOM", 6, "en")

    assert french_tip_3 is not None and french_tip_3.language == "fr"
    assert not french_tip_3.is_complete
    assert som_6 is not None and not som_6.is_complete


def test_coverage_per_instrument_and_language(db: Session) -> None:
    coverage = {(c.instrument, c.language): c for c in provision_coverage(db)}

    untoc = coverage[("UNTOC", "en")]
    assert (untoc.articles, untoc.complete, untoc.partial, untoc.missing) == (41, 0, 0, 41)
    tip_en, tip_fr = coverage[("TIP", "en")], coverage[("TIP", "fr")]
    assert tip_en.articles == 20
    assert tip_en.complete + tip_en.partial == 11  # TIP articles 1 to 11
    assert tip_fr.partial >= 1  # article 3 in French
    assert coverage[("TIP", "ar")].missing == 20


# --- loading -------------------------------------------------------------------------------


def test_loading_an_entry_replaces_that_article_in_that_language(
    db: Session, tmp_path: Path
) -> None:
    path = write(tmp_path / "texts.yaml", entry(paragraphs=[{"text": TIP_2_A}]))

    assert load_provisions(db, path) == 1

    text = provision_text("TIP", 2, "en", db)
    assert text is not None and text.text == TIP_2_A
    assert provision_text("TIP", 5, "en", db) is not None  # other articles are kept


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"instrument": "ICC"}, "texts[0].instrument: 'ICC' is not one of UNTOC, TIP, SOM, FIR"),
        ({"article": 21}, "texts[0].article: 21 is not an article of TIP (1 to 20)"),
        ({"language": "de"}, "texts[0].language: 'de' is not one of ar, zh, en, fr, ru, es"),
        ({"source": ""}, "texts[0].source: name the authentic text the entry comes from"),
        ({"complete": "yes"}, "texts[0].complete: expected true or false"),
        (
            {"paragraphs": [{"number": "1", "text": "a"}, {"number": "1", "text": "b"}]},
            "texts[0] (TIP 2 en).paragraphs[1].number: paragraph '1' is given twice",
        ),
        (
            {"paragraphs": [{"text": " "}]},
            "texts[0] (TIP 2 en).paragraphs[0].text: the text is empty",
        ),
    ],
)
def test_a_malformed_file_names_the_entry_and_field(
    db: Session, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    path = write(tmp_path / "texts.yaml", entry(**changes))

    with pytest.raises(ProvisionsFileError) as raised:
        load_provisions(db, path)

    assert str(raised.value) == f"texts.yaml: {message}"


def test_the_command_loads_all_or_nothing(
    runner: FlaskCliRunner, db: Session, tmp_path: Path, restore_provisions: None
) -> None:
    bad = write(tmp_path / "bad.yaml", entry(paragraphs=[{"text": TIP_2_A}]), entry(article=99))
    good = write(tmp_path / "good.yaml", entry(paragraphs=[{"text": TIP_2_A}]))

    refused = invoke(runner, "load", str(bad))
    loaded = invoke(runner, "load", str(good))

    assert refused.exit_code == 1
    assert "nothing was loaded: bad.yaml: texts[1].article: 99 is not an article" in refused.output
    assert loaded.exit_code == 0 and "1 article texts loaded" in loaded.output
    db.expire_all()
    text = provision_text("TIP", 2, "en", db)
    assert text is not None and text.text == TIP_2_A


def test_the_command_reports_coverage_per_language(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "coverage")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["instrument", "language", "whole", "in", "part", "missing"]
    assert "UNTOC      en             0        0       41" in lines


# --- where a text is not on file -----------------------------------------------------------


def test_an_article_not_on_file_shows_its_heading_and_the_authentic_text(
    client: FlaskClient,
    make_user: Callable[..., User],
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> None:
    login(client, make_user(None, secretariat=True))

    page = client.get("/questionnaires/UNTOC/I/v1").get_data(as_text=True)

    assert "Article 5. Criminalization of participation in an organized criminal group" in page
    assert "The text of this article is not on file." in page
    assert f'href="{AUTHENTIC_TEXTS_URL}"' in page
    assert page.count("Read the authentic text of the Convention and its Protocols") == 8


def test_an_unverified_heading_is_shown_as_such(app: Flask) -> None:
    assert article_heading("FIR", 5, "fr").is_unverified
    assert not article_heading("FIR", 5, "en").is_unverified

    with app.test_request_context("/"):
        session["locale"] = "fr"
        html = render_template(
            "reference/_provision_missing.html", provision_instrument="FIR", provision_article=5
        )

    assert "Article 5. Incrimination" in html
    assert "(titre pas encore vérifié sur le texte authentique)" in html
    assert "Le texte de cet article n'est pas disponible." in html
