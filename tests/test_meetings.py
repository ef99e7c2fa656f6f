"""Meetings of the working groups: the meeting file, the symbols of their documents, and the
annotated provisional agenda as a UN document in English and French."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.cli import cli
from questionnaire.dashboard.queries import DashboardFilters, dashboard
from questionnaire.demo import answer_required
from questionnaire.documents.meeting_pdfs import agenda_pdf, status_note_pdf
from questionnaire.errors import RuleViolation
from questionnaire.meetings import services
from questionnaire.meetings.models import Meeting
from questionnaire.meetings.note import status_document
from questionnaire.meetings.status import mechanism_status
from questionnaire.meetings.symbols import (
    SymbolError,
    document_symbol,
    is_valid_job_number,
    is_valid_symbol,
)
from questionnaire.meetings.validation import read_meeting_file, read_meeting_text
from questionnaire.reference.bodies import bodies
from questionnaire.responses import services as responses
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.models import Review
from tests.conftest import PROJECT_ROOT, login

EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "meeting-wg7-2027.yaml"


@pytest.fixture
def meeting(db: Session) -> Meeting:
    read = read_meeting_file(EXAMPLE)
    assert read.spec is not None, read.problems
    recorded = services.record_meeting(db, read.spec, actor=None)
    db.commit()
    return recorded


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, white space folded."""
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_symbols_of_every_kind_of_document() -> None:
    wg4, wg7 = bodies().by_code["WG.4"], bodies().by_code["WG.7"]
    assert document_symbol([wg7], 2027, "agenda", 1) == "CTOC/COP/WG.7/2027/1"
    assert document_symbol([wg7], 2027, "paper", 3) == "CTOC/COP/WG.7/2027/3"
    assert document_symbol([wg7], 2027, "crp", 2) == "CTOC/COP/WG.7/2027/CRP.2"
    assert document_symbol([wg7], 2027, "draft_report", 1) == "CTOC/COP/WG.7/2027/L.1"
    assert document_symbol([wg7], 2027, "participants", 1) == "CTOC/COP/WG.7/2027/INF.1"
    assert document_symbol([wg7], 2027, "paper", 2, revision=1) == "CTOC/COP/WG.7/2027/2/Rev.1"
    assert (
        document_symbol([wg7], 2027, "crp", 1, corrigendum=1) == "CTOC/COP/WG.7/2027/CRP.1/Corr.1"
    )
    joint = "CTOC/COP/WG.4/2024/4-CTOC/COP/WG.7/2024/4"
    assert document_symbol([wg7, wg4], 2024, "paper", 4) == joint
    assert document_symbol([wg4, wg7], 2024, "paper", 4) == joint
    assert is_valid_symbol(joint)
    for wrong in ("CTOC/COP/WG.7/2027/CRP", "UNODC/WG.7/2027/1", "CTOC/COP/WG.7/27/1"):
        assert not is_valid_symbol(wrong)
    with pytest.raises(SymbolError):
        document_symbol([wg7], 2027, "agenda", 2)
    with pytest.raises(SymbolError):
        document_symbol([wg7], 2027, "paper", 1)
    assert is_valid_job_number("V.27-00421") and not is_valid_job_number("V.2027-421")


def test_the_shipped_meeting_file_is_valid_and_lists_its_bodies_instruments() -> None:
    read = read_meeting_file(EXAMPLE)

    assert read.problems == []
    assert bodies().for_instrument("SOM").code == "WG.7"  # type: ignore[union-attr]
    assert bodies().for_instrument("TIP").code == "WG.4"  # type: ignore[union-attr]


def test_every_problem_of_a_meeting_file_is_named_by_line_and_field() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("body: WG.7", "body: WG.9", 1)
    text = text.replace('afternoon: ["4", "5"]', 'afternoon: ["4", "6"]', 1)
    text = text.replace("    - kind: agenda\n", "    - kind: crp\n", 1)

    read = read_meeting_text(text, "meeting.yaml")

    assert read.spec is None
    messages = [str(p) for p in read.problems]
    assert any(m.startswith("meeting.yaml:6: meeting.body: unknown body") for m in messages)
    assert any(
        "organization_of_work[1].afternoon[1]: no item 6 on the agenda" in m for m in messages
    )
    assert any("meeting.documents: list the provisional agenda" in m for m in messages)


def test_a_file_that_is_not_yaml_is_refused_with_its_line() -> None:
    read = read_meeting_text("schema_version: 1\nmeeting: [unclosed\n", "broken.yaml")
    assert read.spec is None and read.problems[0].line >= 2
    assert "not valid YAML" in read.problems[0].message


def test_loading_again_updates_the_meeting_and_keeps_its_documents(
    db: Session, meeting: Meeting
) -> None:
    read = read_meeting_file(EXAMPLE)
    assert read.spec is not None
    again = services.record_meeting(db, read.spec, actor=None)

    assert again.id == meeting.id
    symbols = [d.symbol for d in services.documents_of(db, again)]
    assert symbols == [
        "CTOC/COP/WG.7/2027/1",
        "CTOC/COP/WG.7/2027/2",
        "CTOC/COP/WG.7/2027/3",
        "CTOC/COP/WG.4/2027/4-CTOC/COP/WG.7/2027/4",
        "CTOC/COP/WG.7/2027/CRP.1",
        "CTOC/COP/WG.7/2027/L.1",
    ]


def test_the_annotated_provisional_agenda_in_english(
    app: Flask, db: Session, meeting: Meeting, tmp_path: Path
) -> None:
    with app.app_context():
        text = _pdf_text(agenda_pdf(db, meeting, "en", date(2027, 4, 20)), tmp_path)

    for expected in (
        "United Nations",
        "CTOC/COP/WG.7/2027/1",
        "Conference of the Parties to the United",
        "Distr.: General",
        "20 April 2027",
        "Original: English",
        "Working Group on the Smuggling of Migrants",
        "Vienna, 7 and 8 July 2027",
        "Annotated provisional agenda",
        "Organizational matters:",
        "(a) Opening of the meeting;",
        "The eleventh meeting of the Working Group on the Smuggling of Migrants will be opened on",
        "7 July 2027 at 10 a.m.",
        "approved the dates of the meeting by silence procedure",
        "four plenary meetings over two days",
        "Proposed organization of work",
        "10 a.m.–1 p.m.",
        "(continued)",
        "CTOC/COP/WG.4/2027/4-CTOC/COP/WG.7/2027/4",
        "V.27-00421",
    ):
        assert expected in text, expected
    assert "Français" not in text  # the original carries no version line


def test_the_annotated_provisional_agenda_in_french(
    app: Flask, db: Session, meeting: Meeting, tmp_path: Path
) -> None:
    with app.app_context():
        text = _pdf_text(agenda_pdf(db, meeting, "fr", date(2027, 4, 20)), tmp_path)

    for expected in (
        "Nations Unies",
        "Conférence des Parties à la Convention des",
        "Distr. générale",
        "20 avril 2027",
        "Français",
        "Original : anglais",
        "Groupe de travail sur le trafic illicite de migrants",
        "Vienne, 7 et 8 juillet 2027",
        "Ordre du jour provisoire annoté",
        "Questions d’organisation :",
        "a) Ouverture de la réunion ;",
        "La onzième réunion du Groupe de travail sur le trafic illicite de migrants s’ouvrira",
        "10 heures-13 heures",
        "(suite)",
        "Projet d’organisation des travaux",
        "Annexe",
    ):
        assert expected in text, expected
    assert "United Nations" not in text and "continued" not in text


def test_a_language_without_the_meetings_texts_is_refused(
    app: Flask, db: Session, meeting: Meeting
) -> None:
    with app.app_context(), pytest.raises(RuleViolation) as refused:
        agenda_pdf(db, meeting, "es", date(2027, 4, 20))

    message = str(refused.value)
    assert "CTOC/COP/WG.7/2027/1" in message
    assert "venue" in message and "agenda[1].title" in message


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    # FlaskGroup sets FLASK_RUN_FROM_CLI on every invocation; monkeypatch removes it after.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def test_the_commands_load_list_and_render(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    loaded = runner.invoke(cli, ["meetings", "load", str(EXAMPLE)])
    assert loaded.exit_code == 0, loaded.output
    assert "CTOC/COP/WG.7/2027/1: recorded, with 6 document(s)" in loaded.output

    listed = runner.invoke(cli, ["meetings", "list"])
    assert listed.output.splitlines()[0].startswith(
        "CTOC/COP/WG.7/2027/1\tWorking Group on the Smuggling of Migrants\tmeeting 11"
    )

    output = tmp_path / "agenda-fr.pdf"
    rendered = runner.invoke(
        cli,
        ["publish", "agenda", "--meeting", "CTOC/COP/WG.7/2027/1", "--language", "fr",
         "--output", str(output)],
    )  # fmt: skip
    assert rendered.exit_code == 0, rendered.output
    assert "Ordre du jour provisoire annoté" in _pdf_text(output.read_bytes(), tmp_path)

    unknown = runner.invoke(cli, ["publish", "agenda", "--meeting", "CTOC/COP/WG.7/2031/1"])
    assert unknown.exit_code != 0 and "no meeting has the symbol" in unknown.output


def test_a_broken_file_records_nothing(runner: FlaskCliRunner, db: Session, tmp_path: Path) -> None:
    broken = tmp_path / "meeting.yaml"
    broken.write_text(EXAMPLE.read_text().replace("ordinal: 11", "ordinal: zero"), "utf-8")

    result = runner.invoke(cli, ["meetings", "load", str(broken)])

    assert result.exit_code == 1
    assert "meeting.ordinal" in result.output and "nothing was recorded" in result.output
    assert services.meetings(db) == []


def _upload(client: FlaskClient, content: bytes, name: str = "meeting.yaml") -> TestResponse:
    return client.post(
        "/meetings/load",
        data={"file": (BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_the_secretariat_loads_a_meeting_file_and_downloads_its_agenda(
    client: FlaskClient, db: Session, make_user: Callable[..., User], tmp_path: Path
) -> None:
    login(client, make_user(None, secretariat=True))

    loaded = _upload(client, EXAMPLE.read_bytes())
    assert loaded.status_code == 302
    page = client.get(loaded.headers["Location"]).get_data(as_text=True)
    assert "CTOC/COP/WG.7/2027/1: the meeting is recorded." in page
    assert "Working Group on the Smuggling of Migrants" in page
    assert "CTOC/COP/WG.4/2027/4-CTOC/COP/WG.7/2027/4" in page
    assert "V.27-00421" in page
    assert "agenda-fr.pdf" in page and "agenda-es.pdf" not in page  # no Spanish texts on file
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "meeting.create")).one()
    assert entry.object_type == "meeting"

    meeting = services.meetings(db)[0]
    pdf = client.get(f"/documents/meetings/{meeting.id}/agenda-fr.pdf")
    assert pdf.mimetype == "application/pdf"
    assert "Ordre du jour provisoire annoté" in _pdf_text(pdf.data, tmp_path)
    refused = client.get(f"/documents/meetings/{meeting.id}/agenda-es.pdf", follow_redirects=True)
    assert "has no es text for" in refused.get_data(as_text=True)
    assert "CTOC/COP/WG.7/2027/1" in client.get("/meetings/").get_data(as_text=True)


def test_the_page_offers_the_example_file_to_start_from_and_it_loads(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    login(client, make_user(None, secretariat=True))
    page = client.get("/meetings/").get_data(as_text=True)
    # The secretariat is given a file to start from, not a path in the source repository.
    assert "docs/" not in page and 'href="/meetings/example.yaml"' in page
    example = client.get("/meetings/example.yaml")
    assert example.status_code == 200 and "attachment" in example.headers["Content-Disposition"]
    assert example.data == EXAMPLE.read_bytes()
    assert _upload(client, example.data).status_code == 302  # as downloaded, it loads


def test_a_broken_upload_names_each_problem_and_records_nothing(
    client: FlaskClient, db: Session, make_user: Callable[..., User]
) -> None:
    login(client, make_user(None, secretariat=True))
    broken = EXAMPLE.read_text(encoding="utf-8").replace(
        "plenary_meetings: 4", "plenary_meetings: 0"
    )

    refused = _upload(client, broken.encode(), "wg7.yaml")

    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page
    assert "wg7.yaml:13: meeting.plenary_meetings:" in page
    assert services.meetings(db) == []
    assert "not UTF-8" in _upload(client, b"\xff\xfe\x00", "x.yaml").get_data(as_text=True)


@pytest.fixture
def reviews_under_way(
    db: Session,
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
    member: Callable[[Review, User, str], None],
) -> dict[str, Review]:
    """Ghana's TIP answers submitted (focal point and expert named); France's TIP answers being
    written (an expert named, no focal point); Kenya's SOM review with nobody named."""
    ghana, france = make_review("GHA", ("TIP", "I", 2)), make_review("FRA", ("TIP", "I", 2))
    kenya = make_review("KEN", ("SOM", "I", 1))
    focal_point, expert = make_user("GHA"), make_user("GHA")
    member(ghana, focal_point, "focal_point")
    member(ghana, expert, "expert")
    member(france, make_user("FRA"), "expert")
    bank = bank_of(db.get(BankVersion, ghana.bank_version_id))  # type: ignore[arg-type]
    answer_required(db, ghana, bank, expert)
    responses.submit(db, ghana, bank, focal_point)
    db.commit()
    return {"GHA": ghana, "FRA": france, "KEN": kenya}


def test_the_status_of_the_mechanism_counts_what_the_dashboard_shows(
    db: Session, reviews_under_way: dict[str, Review]
) -> None:
    status = {entry.instrument: entry for entry in mechanism_status(db, date.today())}

    assert list(status) == ["TIP", "SOM"]
    tip = status["TIP"].total
    assert (tip.launched, tip.focal_points, tip.experts, tip.submitted) == (2, 1, 2, 1)
    assert (tip.agreed, tip.final) == (0, 0)
    som = status["SOM"].total
    assert (som.launched, som.focal_points, som.experts, som.submitted) == (1, 0, 0, 0)
    rows = dashboard(db, DashboardFilters(), Deadlines.configured(), date.today())
    assert sum(entry.total.launched for entry in status.values()) == len(rows)
    submitted = sum(row.review.status == "submitted" for row in rows)
    assert sum(entry.total.submitted for entry in status.values()) == submitted


def test_the_status_note_is_a_document_of_the_meeting_in_both_languages(
    app: Flask,
    db: Session,
    meeting: Meeting,
    reviews_under_way: dict[str, Review],
    tmp_path: Path,
) -> None:
    row = status_document(db, meeting)
    assert row is not None and row.symbol == "CTOC/COP/WG.7/2027/3"

    with app.app_context():
        english = _pdf_text(status_note_pdf(db, meeting, row, "en", date(2027, 6, 1)), tmp_path)
        french = _pdf_text(status_note_pdf(db, meeting, row, "fr", date(2027, 6, 1)), tmp_path)

    for expected in (
        "CTOC/COP/WG.7/2027/3",
        "Item 3 (a) of the provisional agenda*",
        "Note by the Secretariat",
        "as at 1 June 2027",
        "3 reviews had been launched",
        "Trafficking in Persons",
        "Total 2 1 2 1 0 0",
        "* CTOC/COP/WG.7/2027/1.",
    ):
        assert expected in english, expected
    for expected in ("Point 3 a) de l’ordre du jour provisoire*", "Note du Secrétariat",
                     "au 1 juin 2027", "Total 2 1 2 1 0 0", "Original : anglais"):  # fmt: skip
        assert expected in french, expected


def test_the_status_page_shows_the_same_figures(
    client: FlaskClient,
    make_user: Callable[..., User],
    reviews_under_way: dict[str, Review],
) -> None:
    login(client, make_user(None, secretariat=True))

    page = client.get("/meetings/status").get_data(as_text=True)

    assert "Status of the review mechanism" in page
    total = page[page.index("table__total") :]
    numbers = re.findall(r'analysis-table__number">(\d+)</td>', total[:800])
    assert numbers == ["2", "1", "2", "1", "0", "0"]
