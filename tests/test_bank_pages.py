"""The page of a published bank: a partial bank says so, with its reason."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.banks.services import load_banks

PARTIAL_BANK = """\
schema_version: 1
instrument: FIR
cluster: I
version: 9
status: published
languages: [en, fr]
title:
  en: "Firearms Protocol: criminalization (partial)"
  fr: "Protocole relatif aux armes à feu : incrimination (partiel)"
partial:
  en: "Article 3 is asked in a questionnaire of its own."
  fr: "L’article 3 fait l’objet d’un questionnaire distinct."
sections:
  - key: art-5
    article: 5
    questions:
      - key: FIR-5-1
        provision: "5(1)(a)"
        type: yes_no_partial
        text:
          en: "Is illicit manufacturing a criminal offence?"
          fr: "La fabrication illicite est-elle une infraction pénale ?"
"""


def test_a_partial_bank_says_so_in_its_title_and_on_its_page(
    client: FlaskClient, db: Session, tmp_path: Path
) -> None:
    path = tmp_path / "FIR" / "I" / "v9.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(PARTIAL_BANK, encoding="utf-8")
    load_banks(db, [path])
    db.commit()

    page = client.get("/questionnaires/FIR/I/v9").get_data(as_text=True)

    assert "<h1>Firearms Protocol: criminalization (partial)</h1>" in page
    assert (
        "This questionnaire does not cover every article of its cluster: "
        "Article 3 is asked in a questionnaire of its own."
    ) in page
