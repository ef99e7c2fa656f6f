"""Conference room papers that pass document control: made for a meeting and an agenda item,
under a symbol of the meeting's register (or the next CRP.n allocated there), from the lists
final by a cut-off date on the instruments of the meeting's working group, with the UN
heading, every text in the paper's language, a job number and UN page numbering; checked on
the PDF's text (pdftotext) in English and French, a joint symbol included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlmodel import Session, select

from questionnaire import yamldata
from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.cli import cli
from questionnaire.demo import load_demo
from questionnaire.demo_meeting import ELEMENTS, FRENCH
from questionnaire.documents import services as publishing
from questionnaire.documents.crp import CrpRequest, request_from_source
from questionnaire.documents.models import Publication
from questionnaire.errors import RuleViolation
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.services import record_meeting
from questionnaire.meetings.spec import MeetingFile
from questionnaire.workspace.models import ListOfObservations, ListTransition
from tests.conftest import BANKS_DIR, login
from tests.factories import Reviewed, agree_list, compact, open_phase, pdftotext

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "meeting-wg7-2027.yaml"
MEETING = "CTOC/COP/WG.7/2027/1"
JOINT = "CTOC/COP/WG.4/2027/CRP.2-CTOC/COP/WG.7/2027/CRP.2"
CUTOFF = date(2027, 6, 1)
ISSUED_ON = date(2027, 6, 20)
JOB = "V.27-04242"
SMUGGLING_EN = [
    ("art-3", "good_practice", "Freedonia defines the smuggling of migrants as the Protocol does."),
    ("art-5", "suggestion", "Freedonia could say in its law that migrants are not prosecuted."),
]
SMUGGLING_FR = [
    ("art-3", "good_practice", "L’État définit le trafic illicite de migrants comme le Protocole."),
    (
        "art-5",
        "suggestion",
        "L’État pourrait inscrire dans sa loi que les migrants ne sont pas poursuivis.",
    ),
]


def meeting_file(*extra_documents: dict[str, Any]) -> MeetingFile:
    data = yamldata.load(EXAMPLE.read_text(encoding="utf-8"))
    data["meeting"]["documents"].extend(extra_documents)
    return MeetingFile.model_validate(data)


@pytest.fixture
def meeting(db: Session) -> Meeting:
    """The example meeting of the Working Group on the Smuggling of Migrants, with a joint
    CRP of the working groups on trafficking and on smuggling for item 3 (b)."""
    joint = {
        "kind": "crp",
        "number": 2,
        "item": "3 (b)",
        "joint_with": ["WG.4"],
        "job_number": "V.27-04243",
        "titles": {
            "en": "Lists of observations of the reviews of both Protocols",
            "fr": "Listes d’observations des examens relatifs aux deux Protocoles",
        },
    }
    recorded = record_meeting(db, meeting_file(joint).meeting, actor=None)
    db.commit()
    return recorded


@pytest.fixture
def secretariat(make_user: Callable[..., User]) -> User:
    return make_user(None, secretariat=True)


def final_list(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    state: str,
    instrument: str,
    elements: list[tuple[str, str, str]],
    **options: Any,
) -> Reviewed:
    (review,) = open_phase(db, secretariat, [state], instrument)
    return agree_list(db, make_user, review, elements, status="final", **options)


def request(reviews: list[Reviewed], **changes: Any) -> CrpRequest:
    values: dict[str, Any] = {
        "meeting": MEETING,
        "item": "3 (b)",
        "symbol": "CTOC/COP/WG.7/2027/CRP.1",
        "language": "en",
        "issued_on": ISSUED_ON,
        "cutoff": CUTOFF,
        "review_ids": tuple(r.review_id for r in reviews),
    }
    values.update(changes)
    return CrpRequest(**values)


def render(db: Session, secretariat: User, crp: CrpRequest, job: str = JOB) -> Publication:
    (publication,) = publishing.prepare_crps(
        db, crp, [crp.language], job_number=job, user=secretariat
    )
    if publication.job_status != "done":
        assert publishing.render(db, publication), publication.job_error
    db.commit()
    return publication


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.usefixtures("shipped_banks")
def test_the_english_crp_has_the_un_heading_the_item_with_its_footnote_and_the_job_number(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    publication = render(db, secretariat, request([reviewed]))
    assert publication.pdf is not None
    first = pdftotext(publication.pdf, tmp_path, "-f", "1", "-l", "1")
    text = lines(first)
    assert text[0] == "United Nations"
    assert "CTOC/COP/WG.7/2027/CRP.1" in text
    for line in [
        "Conference of the Parties to the United Nations",
        "Convention against Transnational Organized Crime",
        "Working Group on the Smuggling of Migrants",
        "Vienna, 7 and 8 July 2027",
        "English only",
        "Original: English",
        "20 June 2027",
        "Item 3 (b) of the provisional agenda*",
        "Lists of observations and summaries made available to the Working Group",
        "* CTOC/COP/WG.7/2027/1.",
        JOB,
    ]:
        assert compact(line) in compact(first), line
    assert "Distr." not in first
    # The organ heads the page, the working group below it, not in its place.
    assert compact(first).index(compact("Conference of the Parties")) < compact(first).index(
        compact("Working Group on the Smuggling of Migrants")
    )
    # Paragraph 1: working groups hold meetings; the cut-off date is said.
    assert "completed before a meeting of a working group" in " ".join(first.split())
    assert "made final by 1 June 2027" in " ".join(first.split())
    assert "session" not in first
    assert SMUGGLING_EN[0][2] in " ".join(first.split())


@pytest.mark.usefixtures("shipped_banks")
def test_pages_carry_the_job_number_and_the_symbol_with_page_and_total_from_page_two(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    long = [
        ("art-3", "gap", f"Observation {n}: " + "the law says little. " * 30) for n in range(12)
    ]
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", long)
    publication = render(db, secretariat, request([reviewed]))
    assert publication.pdf is not None and (publication.page_count or 0) >= 3
    total = publication.page_count
    for page in range(1, (total or 0) + 1):
        text = pdftotext(publication.pdf, tmp_path, "-f", str(page), "-l", str(page))
        assert JOB in text, page
        if page == 1:
            assert f"1/{total}" not in text
        else:
            assert f"{page}/{total}" in text, page
            assert "CTOC/COP/WG.7/2027/CRP.1" in text, page


@pytest.mark.usefixtures("shipped_banks")
def test_the_french_crp_of_lists_written_in_french_is_french_throughout(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    reviewed = final_list(
        db,
        make_user,
        secretariat,
        "GHA",
        "SOM",
        SMUGGLING_FR,
        summary="Le Ghana a une loi.",
        language="fr",
    )
    publication = render(db, secretariat, request([reviewed], language="fr"))
    assert publication.pdf is not None
    first = pdftotext(publication.pdf, tmp_path, "-f", "1", "-l", "1")
    assert lines(first)[0] == "Nations Unies"
    assert "United Nations" not in first
    for line in [
        "Conférence des Parties à la Convention des Nations Unies",
        "Groupe de travail sur le trafic illicite de migrants",
        "Vienne, 7 et 8 juillet 2027",
        "Français seulement",
        "Original : français",
        "20 juin 2027",
        "Point 3 b) de l’ordre du jour provisoire*",
        "Listes d’observations et résumés mis à la disposition du Groupe de travail",
        "Listes d’observations et résumés des examens relatifs au Protocole",
        "Note du Secrétariat",
        "* CTOC/COP/WG.7/2027/1.",
        SMUGGLING_FR[0][2],
    ]:
        assert compact(line) in compact(first), line
    for english in ["Working Group", "Lists of observations", "Item 3", "English"]:
        assert english not in first


@pytest.mark.usefixtures("shipped_banks")
def test_a_french_version_of_lists_written_in_english_and_not_translated_is_refused(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User]
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    with pytest.raises(RuleViolation, match="2 elements not translated into French"):
        render(db, secretariat, request([reviewed], language="fr"))


@pytest.mark.usefixtures("shipped_banks")
def test_a_joint_symbol_stays_on_one_line_and_names_both_working_groups(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    smuggling = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    trafficking = final_list(
        db, make_user, secretariat, "KEN", "TIP", [("art-5", "gap", "Kenya could do more.")]
    )
    publication = render(db, secretariat, request([trafficking, smuggling], symbol=JOINT), job="")
    assert publication.pdf is not None
    first = pdftotext(publication.pdf, tmp_path, "-f", "1", "-l", "1")
    text = lines(first)
    assert text[0] == "United Nations"
    assert JOINT in text
    flat = compact(first)
    trafficking_at = flat.index(compact("Working Group on Trafficking in Persons"))
    assert trafficking_at < flat.index(compact("Working Group on the Smuggling of Migrants"))
    assert "V.27-04243" in first
    assert "Kenya could do more." in first


@pytest.mark.usefixtures("shipped_banks")
def test_a_list_on_the_instrument_of_another_working_group_is_refused(
    app: Flask, db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User]
) -> None:
    trafficking = final_list(db, make_user, secretariat, "KEN", "TIP", [("art-5", "gap", "X.")])
    with pytest.raises(RuleViolation) as refused:
        render(db, secretariat, request([trafficking]))
    message = str(refused.value)
    assert f"review {trafficking.review_id}" in message
    assert "Working Group on Trafficking in Persons" in message
    assert "CTOC/COP/WG.7/2027/CRP.1" in message
    assert "Protocol to Prevent, Suppress and Punish Trafficking in Persons" in message
    with app.test_request_context(), force_locale("fr"):  # read in French: French names
        message = str(refused.value)
    assert "Groupe de travail sur la traite des personnes" in message
    assert "Groupe de travail sur le trafic illicite de migrants" in message
    assert "Working Group" not in message


@pytest.mark.usefixtures("shipped_banks")
def test_a_list_not_final_by_the_cut_off_is_refused(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User]
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    made_final = db.exec(select(ListTransition).where(ListTransition.to_status == "final")).one()
    cutoff = made_final.at.date() - timedelta(days=1)
    with pytest.raises(RuleViolation, match="was not final by"):
        render(db, secretariat, request([reviewed], cutoff=cutoff))
    (other,) = open_phase(db, secretariat, ["KEN"], "SOM")
    agreed = agree_list(db, make_user, other, SMUGGLING_EN, status="agreed")
    with pytest.raises(RuleViolation, match=f"review {agreed.review_id} was not final by"):
        render(db, secretariat, request([agreed]))
    with pytest.raises(RuleViolation, match="must fall before the meeting"):
        render(db, secretariat, request([reviewed], cutoff=date(2027, 7, 7)))


@pytest.mark.usefixtures("shipped_banks")
def test_the_next_crp_is_allocated_in_the_register_with_the_decisions_kept(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User]
) -> None:
    kept = [("art-5", "gap", "Freedonia keeps this to itself.")]
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN, confidential=kept)
    publication = render(db, secretariat, request([reviewed], symbol="", item="3(b)"))
    assert publication.symbol == "CTOC/COP/WG.7/2027/CRP.3"
    row = db.exec(select(MeetingDocument).where(MeetingDocument.symbol == publication.symbol)).one()
    assert (row.kind, row.number, row.agenda_item, row.job_number) == ("crp", 3, "3 (b)", JOB)
    assert row.titles["fr"].startswith("Listes d’observations")
    (decision,) = publication.source["decisions"]
    assert decision["review"] == reviewed.review_id
    assert decision["withheld_observations"] == reviewed.confidential_ids
    assert publication.source["cutoff"] == CUTOFF.isoformat()
    assert "keeps this to itself" not in str(publication.snapshot)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "meeting.document.record")).one()
    assert entry.after["symbol"] == publication.symbol
    # The draft is up to date, and publishing (which builds it again) goes through.
    publishing.publish(db, publication, secretariat)
    db.commit()
    assert publication.status == "published"


@pytest.mark.usefixtures("shipped_banks")
def test_a_crp_symbol_outside_the_register_or_for_another_item_is_refused(
    db: Session, meeting: Meeting, secretariat: User, make_user: Callable[..., User]
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    with pytest.raises(RuleViolation, match="not a conference room paper in the register"):
        render(db, secretariat, request([reviewed], symbol="CTOC/COP/WG.7/2027/CRP.9"))
    with pytest.raises(RuleViolation, match="for item 3 \\(b\\), not for item 2"):
        render(db, secretariat, request([reviewed], item="2"))
    with pytest.raises(RuleViolation, match="has no item 7"):
        render(db, secretariat, request([reviewed], item="7"))
    with pytest.raises(RuleViolation, match="has no job number"):
        render(db, secretariat, request([reviewed]), job="")


@pytest.mark.usefixtures("shipped_banks")
def test_the_command_line_makes_the_crp_for_a_meeting_and_an_item(
    app: Flask,
    db: Session,
    meeting: Meeting,
    secretariat: User,
    make_user: Callable[..., User],
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    arguments = [
        "publish", "crp", "--meeting", MEETING, "--item", "3 (b)",
        "--date", "2027-06-20", "--cutoff", "2027-06-01", "--job-number", JOB,
        "--review", str(reviewed.review_id), "--user", secretariat.email, "--publish",
    ]  # fmt: skip
    result = app.test_cli_runner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert "CTOC/COP/WG.7/2027/CRP.3 [en] revision 1" in result.output
    assert "published" in result.output
    refused = app.test_cli_runner().invoke(cli, [*arguments[:-1], "--language", "fr"])
    assert refused.exit_code != 0
    assert "not translated into French" in refused.output


@pytest.mark.usefixtures("shipped_banks")
def test_the_form_makes_the_crp_and_a_refusal_allocates_nothing(
    client: FlaskClient,
    db: Session,
    meeting: Meeting,
    secretariat: User,
    make_user: Callable[..., User],
) -> None:
    reviewed = final_list(db, make_user, secretariat, "GHA", "SOM", SMUGGLING_EN)
    trafficking = final_list(db, make_user, secretariat, "KEN", "TIP", [("art-5", "gap", "X.")])
    login(client, secretariat)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/documents/new?meeting={MEETING}"' in page
    page = client.get("/documents/new", query_string={"meeting": MEETING}).get_data(as_text=True)
    assert f'<option value="{MEETING}" selected>' in page and "Cut-off date" in page
    form = {
        "meeting": MEETING,
        "item": "3 (b)",
        "symbol": "",
        "job_number": JOB,
        "issued_on": "2027-06-20",
        "cutoff": "2027-06-01",
        "languages": ["en"],
        "reviews": [str(trafficking.review_id)],
    }
    refused = client.post("/documents/new", data=form)
    assert refused.status_code == 400
    assert "Working Group on Trafficking in Persons" in refused.get_data(as_text=True)
    assert not db.exec(
        select(MeetingDocument).where(MeetingDocument.symbol == "CTOC/COP/WG.7/2027/CRP.3")
    ).first()
    response = client.post("/documents/new", data={**form, "reviews": [str(reviewed.review_id)]})
    assert response.status_code == 302
    created = db.exec(select(Publication)).one()
    assert created.symbol == "CTOC/COP/WG.7/2027/CRP.3"
    assert created.title == "Lists of observations and summaries of the country reviews"
    page = " ".join(client.get(f"/documents/{created.id}").get_data(as_text=True).split())
    assert (
        f"Made for the meeting {MEETING}, agenda item 3 (b), from the lists of observations "
        "final by 1 June 2027." in page
    )
    assert db.exec(select(ListOfObservations)).all()


def test_the_demo_has_the_coming_meeting_and_a_crp_of_a_final_list(
    db: Session, demo: list[tuple[str, str]], tmp_path: Path
) -> None:
    load_demo(db, BANKS_DIR)  # idempotent: no second paper, no second meeting
    db.commit()
    (meeting,) = db.exec(select(Meeting)).all()
    assert (meeting.body_code, meeting.year) == ("WG.7", 2027)
    (publication,) = db.exec(select(Publication)).all()
    assert (publication.symbol, publication.language, publication.job_status) == (
        "CTOC/COP/WG.7/2027/CRP.1",
        "en",
        "done",
    )
    assert publication.pdf is not None
    text = " ".join(pdftotext(publication.pdf, tmp_path).split())
    assert "Senegal: Protocol against the Smuggling of Migrants" in text
    assert "Item 3 (b) of the provisional agenda*" in text and "V.27-00431" in text
    kept = [element for element in ELEMENTS if element[3]]
    assert kept and all(element[2] not in text for element in kept)
    (decision,) = publication.source["decisions"]
    assert len(decision["withheld_observations"]) == len(kept)


def test_the_demo_translates_senegals_list_so_a_french_crp_can_be_made(
    db: Session, demo: list[tuple[str, str]]
) -> None:
    secretariat = accounts.find_user(db, "secretariat@unodc.example")
    assert secretariat is not None and secretariat.is_secretariat
    (english,) = db.exec(select(Publication)).all()
    request = request_from_source(english.source)
    assert request is not None
    french = publishing.create_crp(db, replace(request, language="fr"), secretariat)
    texts = [p["text"] for a in french.snapshot["states"][0]["articles"] for p in a["paragraphs"]]
    assert texts == list(FRENCH.values())
    assert french.snapshot["header"]["original_line"] == "Original : anglais"
    assert not any(element[2] in str(french.snapshot) for element in ELEMENTS if element[3])
