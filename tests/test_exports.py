"""Spreadsheet and JSON downloads through HTTP: a State's answers for its respondents, every
State's answers for the secretariat (confidential ones only on request, and then labelled),
a list of observations for those who see it, and bank versions as JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.responses import services as responses
from questionnaire.reviews.models import Review
from questionnaire.workspace import services as observations
from tests.conftest import reviewing_states_agree
from tests.factories import (
    Cast,
    answer_required,
    cast_review,
    sheet_rows,
)

# These tests log in many times and are not about rate limits.
pytestmark = pytest.mark.usefixtures("no_rate_limits")

LABEL = "Includes confidential answers — secretariat only, never publish"
HEADER_EN = [
    "Question key",
    "Section",
    "Provision",
    "Question",
    "Answer",
    "Option keys",
    "Confidential",
    "Carried forward",
]
Client = Callable[[User | None], FlaskClient]


def csv_rows(response: TestResponse) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def by_key(rows: list[list[Any]], column: int = 0) -> dict[Any, list[Any]]:
    return {row[column]: row for row in rows}


def tip_bank(db: Session) -> Bank:
    """TIP cluster I, version 2: the questionnaire of the reviews here."""
    version = db.exec(
        select(BankVersion).where(
            BankVersion.instrument == "TIP", BankVersion.cluster == "I", BankVersion.version == 2
        )
    ).one()
    return bank_of(version)


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


def save(db: Session, review: Review, user: User, key: str, value: Any, secret: bool) -> None:
    stored = responses.answers_of(db, review.id)  # type: ignore[arg-type]
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    base = stored[key].version if key in stored else 0
    change = responses.AnswerChange(key, value, secret, base)
    outcome = responses.save_answers(db, review, bank, user, [change], kind="save", language="en")
    assert not outcome.conflicts
    db.commit()


# --- a State's answers -------------------------------------------------------------------------


def test_the_answers_of_a_state_as_xlsx_keys_first_with_flags(
    db: Session, cast: Cast, client_for: Client
) -> None:
    response = client_for(cast.focal_point).get(f"/reviews/{cast.review_id}/answers.xlsx")

    rows = sheet_rows(response)
    bank = tip_bank(db)
    assert rows[0] == HEADER_EN
    assert [row[0] for row in rows[1:]] == [q.key for q in bank.questions]
    rows_by_key = by_key(rows[1:])
    assert rows_by_key["TIP-5-1"][1:] == [
        "Article 5. Criminalization",
        "5(1)",
        bank.questions_by_key["TIP-5-1"].text["en"],
        "Yes",
        "yes",
        False,
        False,
    ]
    assert rows_by_key["TIP-5-1-cite"][4:7] == ["Answer to TIP-5-1-cite", None, True]
    # Shown only for "partial" or "no": not part of the answers.
    assert rows_by_key["TIP-5-1-explain"][4] is None
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="answers-GHA-TIP-I-v2.xlsx"'
    )


def test_the_header_and_the_texts_are_in_the_language_of_the_reader(
    db: Session, cast: Cast, client_for: Client, make_user, member
) -> None:
    reader = make_user("GHA", locale="fr")
    member(cast.review(db), reader, "observer")

    rows = sheet_rows(client_for(reader).get(f"/reviews/{cast.review_id}/answers.xlsx"))

    assert rows[0][4] == "Réponse"
    assert rows[0][6] == "Confidentiel"
    assert rows[0][7] == "Reprise d'une réponse antérieure"
    row = by_key(rows[1:])["TIP-5-1"]
    assert row[1] == "Article 5. Incrimination"
    assert row[3] == tip_bank(db).questions_by_key["TIP-5-1"].text["fr"]
    assert (row[4], row[5]) == ("Oui", "yes")


def test_the_answers_as_csv_for_excel_with_formula_like_text_defused(
    db: Session, make_user, make_review, member, client_for: Client
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    save(db, cast.review(db), cast.expert, "TIP-GEN-4", '=HYPERLINK("https://x.example")', False)
    save(db, cast.review(db), cast.expert, "TIP-GEN-2", ["origin", "transit"], True)

    rows = csv_rows(client_for(cast.expert).get(f"/reviews/{cast.review_id}/answers.csv"))

    assert rows[0] == HEADER_EN
    rows_by_key = by_key(rows[1:])
    assert rows_by_key["TIP-GEN-4"][4] == '\'=HYPERLINK("https://x.example")'
    assert rows_by_key["TIP-GEN-2"][4:7] == [
        "Country of origin; Country of transit",
        "origin; transit",
        "TRUE",
    ]
    assert rows_by_key["TIP-GEN-3"][4:8] == ["", "", "FALSE", "FALSE"]


def test_the_xlsx_keeps_formula_like_answers_as_text(
    db: Session, make_user, make_review, member, client_for: Client
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    save(db, cast.review(db), cast.expert, "TIP-GEN-4", "=1+1", False)

    response = client_for(cast.expert).get(f"/reviews/{cast.review_id}/answers.xlsx")

    book = load_workbook(io.BytesIO(response.data))
    [cell] = [row[4] for row in book.active.iter_rows() if row[0].value == "TIP-GEN-4"]  # type: ignore[union-attr]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("focal_point", 200),
        ("expert", 200),
        ("observer", 200),
        ("secretariat", 200),
        ("reviewer", 404),
        ("outsider", 404),
    ],
)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_only_the_states_respondents_and_the_secretariat_download_its_answers(
    cast: Cast, client_for: Client, who: str, status: int, file_format: str
) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(f"/reviews/{cast.review_id}/answers.{file_format}").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(cast: Cast, client_for: Client) -> None:
    for path in (
        f"/reviews/{cast.review_id}/answers.xlsx",
        f"/reviews/{cast.review_id}/workspace/list.csv",
        "/exports/banks/1/answers.xlsx",
    ):
        response = client_for(None).get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path


def test_an_unknown_review_is_404(cast: Cast, client_for: Client) -> None:
    assert client_for(cast.secretariat).get("/reviews/999999/answers.xlsx").status_code == 404


# --- every State's answers to a bank version ------------------------------------------------


@pytest.fixture
def two_states(db: Session, cast: Cast, make_user, make_review, member) -> BankVersion:
    """Ghana's answers (its citation of article 5(1) confidential) and Kenya's, whose "No" to
    article 5(1) is confidential, with the explanation only that answer shows; Brazil is
    still answering."""
    kenya = make_review("KEN", ("TIP", "I", 2))
    focal, expert = make_user("KEN"), make_user("KEN")
    member(kenya, focal, "focal_point")
    member(kenya, expert, "expert")
    save(db, kenya, expert, "TIP-5-1", "no", True)
    answer_required(db, kenya, expert)
    responses.submit(db, kenya, bank_of(db.get(BankVersion, kenya.bank_version_id)), focal)  # type: ignore[arg-type]
    db.commit()
    brazil = make_review("BRA", ("TIP", "I", 2))
    answer_required(db, brazil, make_user("BRA"))
    version = db.get(BankVersion, kenya.bank_version_id)
    assert version is not None
    return version


def test_every_states_answers_leave_confidential_ones_out(
    db: Session, cast: Cast, two_states: BankVersion, client_for: Client
) -> None:
    path = f"/exports/banks/{two_states.id}/answers.xlsx"
    rows = sheet_rows(client_for(cast.secretariat).get(path))

    bank = bank_of(two_states)
    assert rows[0] == [
        "Question key", "State code", "State", "Section", "Question", "Answer", "Option keys",
    ]  # fmt: skip
    assert len(rows) == 1 + 2 * len(bank.questions)
    assert [row[1] for row in rows[1:]] == ["GHA"] * len(bank.questions) + ["KEN"] * len(
        bank.questions
    )
    cells = {(row[1], row[0]): row for row in rows[1:]}
    assert cells[("GHA", "TIP-5-1")][5:7] == ["Yes", "yes"]
    assert cells[("GHA", "TIP-5-1-cite")][5] is None
    assert cells[("KEN", "TIP-5-1")][5:7] == [None, None]
    # The explanation would reveal the confidential "No".
    assert cells[("KEN", "TIP-5-1-explain")][5] is None
    assert cells[("KEN", "TIP-3-6")][5] == "Yes"
    assert LABEL not in {cell for row in rows for cell in row}


def test_every_states_answers_with_confidential_ones_are_labelled(
    db: Session, cast: Cast, two_states: BankVersion, client_for: Client
) -> None:
    client = client_for(cast.secretariat)
    path = f"/exports/banks/{two_states.id}/answers"

    response = client.get(f"{path}.xlsx?confidential=1")
    rows = sheet_rows(response)
    csv_lines = csv_rows(client.get(f"{path}.csv?confidential=1"))

    assert rows[0] == [LABEL, None, None, None, None, None, None, None]
    assert rows[1][-1] == "Confidential"
    cells = {(row[1], row[0]): row for row in rows[2:]}
    assert cells[("KEN", "TIP-5-1")][5:] == ["No", "no", True]
    assert cells[("KEN", "TIP-5-1-explain")][5:] == ["Answer to TIP-5-1-explain", None, False]
    assert cells[("GHA", "TIP-5-1-cite")][5:] == ["Answer to TIP-5-1-cite", None, True]
    assert cells[("GHA", "TIP-5-1")][-1] is False
    assert "confidential" in response.headers["Content-Disposition"]
    assert csv_lines[0] == [LABEL]
    assert csv_lines[1][-1] == "Confidential"
    assert len(csv_lines) == len(rows)


@pytest.mark.parametrize("who", ["focal_point", "reviewer", "outsider"])
def test_only_the_secretariat_downloads_every_states_answers(
    cast: Cast, two_states: BankVersion, client_for: Client, who: str
) -> None:
    client = client_for(getattr(cast, who))
    for query in ("", "?confidential=1"):
        path = f"/exports/banks/{two_states.id}/answers.csv{query}"
        assert client.get(path).status_code == 404


# --- the list of observations -----------------------------------------------------------------


def _list_with_state(db: Session, cast: Cast) -> None:
    """Two observations; the list shared with Ghana, which keeps the gap confidential."""
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    gap = observations.add_observation(
        db, review, bank, cast.reviewer, section_key="art-5", category="gap",
        text="Attempt is not an offence.", cited_keys=["TIP-5-1", "TIP-5-2"],
    )  # fmt: skip
    observations.add_observation(
        db, review, bank, cast.reviewer, section_key="art-3", category="good_practice",
        text="=A national referral mechanism.", cited_keys=[],
    )  # fmt: skip
    reviewing_states_agree(db, review)
    observations.transition(db, review, cast.reviewer, side="reviewer", to_status="with_state")
    observations.set_confidential(db, review, gap, cast.focal_point, is_confidential=True)
    db.commit()


def test_the_list_of_observations_marks_its_confidential_elements(
    db: Session, cast: Cast, client_for: Client
) -> None:
    _list_with_state(db, cast)
    client = client_for(cast.focal_point)
    path = f"/reviews/{cast.review_id}/workspace/list"

    response = client.get(f"{path}.xlsx")
    rows = sheet_rows(response)
    summary = sheet_rows(response, sheet=1)
    lines = csv_rows(client.get(f"{path}.csv"))

    assert rows == [
        ["Section key", "Section", "Category", "Observation", "Answers it relies on",
         "Confidential"],
        ["art-3", "Article 3. Use of terms", "Success or good practice",
         "=A national referral mechanism.", None, False],
        ["art-5", "Article 5. Criminalization", "Gap or challenge", "Attempt is not an offence.",
         "TIP-5-1; TIP-5-2", True],
    ]  # fmt: skip
    assert summary == [
        ["Status", "Summary", "Confidential"],
        ["With the State under review", None, None],
    ]
    assert lines[1][3] == "'=A national referral mechanism."
    assert lines[2][5] == "TRUE"


def test_the_list_is_for_those_who_see_it(db: Session, cast: Cast, client_for: Client) -> None:
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    observations.add_observation(
        db, review, bank, cast.reviewer, section_key="art-5", category="gap", text="A gap.",
        cited_keys=[],
    )  # fmt: skip
    db.commit()
    path = f"/reviews/{cast.review_id}/workspace/list.xlsx"

    # While the reviewers draft it, the State under review does not see it.
    assert client_for(cast.reviewer).get(path).status_code == 200
    assert client_for(cast.secretariat).get(path).status_code == 200
    assert client_for(cast.focal_point).get(path).status_code == 403
    assert client_for(cast.outsider).get(path).status_code == 404
    assert client_for(cast.unassigned).get(path).status_code == 404


# --- bank versions as JSON --------------------------------------------------------------------


def test_a_published_bank_version_is_public_json_and_a_draft_is_not(
    db: Session, shipped_banks: dict[tuple[str, str, int], BankVersion], client_for: Client,
    make_user,
) -> None:  # fmt: skip
    published = shipped_banks[("TIP", "I", 2)]
    draft = BankVersion(
        instrument="TIP", cluster="II", version=9, status="draft", sha256="0" * 64,
        content=published.content, source_path="TIP/II/v9.yaml", question_count=1,
    )  # fmt: skip
    db.add(draft)
    db.commit()

    response = client_for(None).get(f"/exports/banks/{published.id}.json")
    document = response.get_json()

    assert response.status_code == 200
    assert document["bank"] == published.content
    assert Bank.model_validate(document["bank"]).model_dump() == bank_of(published).model_dump()
    assert (document["instrument"], document["version"], document["sha256"]) == (
        "TIP",
        2,
        published.sha256,
    )
    assert client_for(None).get(document["links"]["html"]).status_code == 200
    assert client_for(None).get(f"/exports/banks/{draft.id}.json").status_code == 404
    secretariat = client_for(make_user(None, secretariat=True))
    assert secretariat.get(f"/exports/banks/{draft.id}.json").get_json()["status"] == "draft"
    assert client_for(None).get("/exports/banks/999999.json").status_code == 404
