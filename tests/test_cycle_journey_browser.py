"""A whole review cycle in headless Chromium, as the secretariat and the States live it.

The secretariat opens a cluster I phase for Ghana and draws its reviewing States on the phase's
page; it records Ghana's focal point on the form, Ghana's expert from an uploaded file and each
reviewing State's focal point from the seats page. Everyone activates the account from the link
of their e-mail. Ghana answers and its focal point submits; the reviewing States are told, one
asks for clarification and Ghana replies; both reviewing States agree to the list, it goes to
Ghana, Ghana agrees, and it is made final. The reminders of a nomination still missing are sent
once. Screenshots go to test-artifacts/cycle-journey/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, col, select

from questionnaire.accounts import twofactor
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.cli import cli
from questionnaire.demo import answer_required
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewAssignment
from questionnaire.workspace import services as observations
from questionnaire.workspace.models import ListOfObservations
from tests.browser import log_in, shoot

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

FOLDER = "cycle-journey"
PASSWORD = "a long passphrase for the whole cycle"
LINK = re.compile(r"https?://[^/\s]+(/activate/\S+)")
REQUEST = "Which court has applied the trafficking provisions since 2020?"
REPLY = "The High Court of Accra, in three cases."
OBSERVATION = "Attempted trafficking is an offence with the same penalties as the offence itself."


@pytest.fixture
def password_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Focal points log in with a password alone: this journey is not about two-step login."""
    monkeypatch.setattr(twofactor, "is_required", lambda db, user: False)


def notice(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("status").first


def nominate(page: Page, name: str, email: str, reference: str) -> None:
    """Fill in the nomination form the page shows (the role and what for already chosen)."""
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Reference of the note verbale").fill(reference)
    page.get_by_label("Date of the note verbale").fill(date.today().isoformat())
    page.get_by_role("button", name="Record the nomination").click()
    expect(page.locator("main")).to_contain_text(email)


class ServerLog:
    """What the live server printed: without a mail server, every e-mail, links included."""

    def __init__(self, capfd: pytest.CaptureFixture[str]) -> None:
        self.capfd, self.text = capfd, ""

    def link_for(self, email: str) -> str:
        self.text += self.capfd.readouterr().err
        mails = self.text.split("--- mail to ")
        for mail in reversed(mails):
            if mail.startswith(email) and (match := LINK.search(mail)):
                return match.group(1)
        raise AssertionError(f"no activation link for {email} in the server's log")


def activate(log: ServerLog, context: BrowserContext, base: str, email: str) -> Page:
    """Activate the account from the link printed in the server's log, then log in."""
    page = context.new_page()
    page.goto(base + log.link_for(email))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password again").fill(PASSWORD)
    page.get_by_role("button", name="Activate my account").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def mails_to(db: Session, email: str, subject: str) -> list[OutboxMessage]:
    db.rollback()
    return list(
        db.exec(
            select(OutboxMessage).where(
                OutboxMessage.to_email == email, col(OutboxMessage.subject).contains(subject)
            )
        )
    )


@pytest.mark.usefixtures("password_alone")
def test_a_review_cycle_from_the_nominations_to_the_final_list(
    app: Flask,
    db: Session,
    shipped_banks,
    make_user: Callable[..., User],
    live_server: str,
    new_context: Callable[[], BrowserContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    base = live_server
    log = ServerLog(capfd)
    secretariat = make_user(None, secretariat=True)
    started = date.today() - timedelta(days=20)
    phase = reviews.create_phase(
        db, name="Cluster I, group 1", cluster="I", state_codes=["GHA"], started_on=started,
        max_reviews_per_state=3, user=secretariat,
    )  # fmt: skip
    db.commit()

    # The secretariat draws the reviewing States on the phase's page.
    office = new_context().new_page()
    log_in(office, base, secretariat, f"/phases/{phase.id}")
    office.get_by_role("link", name="Draw the reviewing States").click()
    expect(office.get_by_text("Nobody is e-mailed by the draw.")).to_be_visible()
    office.get_by_role("button", name="Draw the reviewing States").click()
    expect(office.get_by_role("status").first).to_contain_text("The lots have been drawn")
    db.rollback()
    tip = db.exec(
        select(Review)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, BankVersion.instrument == "TIP")
    ).one()
    seats = db.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.review_id == tip.id, col(ReviewAssignment.is_active).is_(True)
        )
    ).all()
    reviewing = sorted({seat.reviewing_state for seat in seats})
    assert len(reviewing) >= 2
    shoot(office, FOLDER, "01-phase-drawn")

    # Ghana's focal point on the form, from the review's people page.
    office.goto(f"{base}/nominations/reviews/{tip.id}")
    office.get_by_role("link", name="Name the focal point").click()
    nominate(office, "Kwame Mensah", "kwame@gov-gh.example", "NV/GHA/2026/14")
    # Ghana's expert from a file.
    upload = tmp_path / "nominations.csv"
    upload.write_text(
        "nominating_state,full_name,email,language,role,state_under_review,phase,instruments,"
        "note_reference,note_date\n"
        f'GHA,Ama Owusu,ama@gov-gh.example,en,expert,GHA,"{phase.name}",,NV/GHA/2026/15,'
        f"{date.today().isoformat()}\n"
    )
    office.goto(f"{base}/nominations/import")
    office.set_input_files("#file", str(upload))
    office.get_by_role("button", name="Check the file").click()
    shoot(office, FOLDER, "02a-upload-checked")
    office.get_by_role("button", name="Record 1 nomination").click()
    expect(office.locator("main")).to_contain_text("ama@gov-gh.example")
    # Each reviewing State's focal point, from the seats page.
    names = {code: state_name(db.get(State, code)) for code in reviewing}  # type: ignore[arg-type]
    for code in reviewing:
        office.goto(f"{base}/reviews/{tip.id}/assignments")
        office.get_by_role("link", name=f"Name its people {names[code]}").first.click()
        office.get_by_label("Focal point", exact=True).check()
        nominate(office, f"Focal point of {code}", f"focal@{code.lower()}.example", f"NV/{code}/1")
    shoot(office, FOLDER, "02-people-named")

    # Everyone activates from the link of the e-mail.
    focal = activate(log, new_context(), base, "kwame@gov-gh.example")
    activate(log, new_context(), base, "ama@gov-gh.example")
    reviewers = {
        code: activate(log, new_context(), base, f"focal@{code.lower()}.example")
        for code in reviewing
    }
    expect(focal.locator("main")).to_contain_text("Trafficking in Persons")

    # Ghana answers (the expert's answers, saved through the service) and submits.
    db.rollback()
    expert = db.exec(select(User).where(User.email == "ama@gov-gh.example")).one()
    tip_review, tip_version = db.get(Review, tip.id), db.get(BankVersion, tip.bank_version_id)
    assert tip_review is not None and tip_version is not None
    answer_required(db, tip_review, bank_of(tip_version), expert)
    db.commit()
    focal.goto(f"{base}/reviews/{tip.id}/check")
    focal.get_by_role("button", name="Submit the answers").click()
    expect(focal.locator("main")).to_contain_text("submitted")
    shoot(focal, FOLDER, "03-receipt")
    for code in reviewing:
        assert mails_to(db, f"focal@{code.lower()}.example", "Answers submitted"), code

    # One reviewing State asks for clarification; Ghana replies.
    first, second = reviewing[0], reviewing[1]
    asking = reviewers[first]
    asking.goto(f"{base}/reviews/{tip.id}/workspace/sections/art-5")
    asking.get_by_label("Ask for clarification").fill(REQUEST)
    asking.get_by_role("button", name="Send").click()
    expect(notice(asking)).to_have_text("Your message has been sent.")
    focal.goto(f"{base}/reviews/{tip.id}/workspace/sections/art-5")
    expect(focal.locator(".message--request")).to_contain_text(REQUEST)
    focal.get_by_label("Reply to the reviewing States").fill(REPLY)
    focal.get_by_role("button", name="Send").click()
    expect(notice(focal)).to_have_text("Your message has been sent.")
    assert mails_to(db, f"focal@{first.lower()}.example", "Reply")

    # An observation (written through the service: the workspace's own journey writes them in
    # the browser), then both reviewing States agree; the list goes to Ghana, which agrees; it
    # is made final.
    db.rollback()
    review = db.get(Review, tip.id)
    writer = db.exec(select(User).where(User.email == f"focal@{first.lower()}.example")).one()
    observations.add_observation(
        db, review, bank_of(db.get(BankVersion, tip.bank_version_id)), writer,  # type: ignore[arg-type]
        section_key="art-5", category="good_practice", text=OBSERVATION, cited_keys=[],
    )  # fmt: skip
    db.commit()
    for code in (first, second):
        page = reviewers[code]
        page.goto(f"{base}/reviews/{tip.id}/workspace/list")
        page.get_by_role("link", name="Agree to the list for my State").click()
        page.get_by_role("button", name=f"Agree for {names[code]}").click()
        expect(notice(page)).to_have_text(
            "Your State's agreement to the list of observations is recorded."
        )
    asking.goto(f"{base}/reviews/{tip.id}/workspace/list")
    asking.get_by_role("link", name="Share with the State under review").click()
    asking.get_by_role("button", name="Share with the State under review").click()
    shoot(asking, FOLDER, "04a-shared")
    expect(notice(asking)).to_have_text("The status of the list has changed.")
    focal.goto(f"{base}/reviews/{tip.id}/workspace/list")
    focal.get_by_role("link", name="Agree to the list and summary").click()
    focal.get_by_role("button", name="Agree to the list and summary").click()
    expect(notice(focal)).to_have_text("The status of the list has changed.")
    asking.goto(f"{base}/reviews/{tip.id}/workspace/list")
    asking.get_by_role("link", name="Make final").click()
    asking.get_by_role("button", name="Make final").click()
    expect(notice(asking)).to_have_text("The status of the list has changed.")
    shoot(asking, FOLDER, "04-list-final")
    db.rollback()
    lst = db.exec(select(ListOfObservations).where(ListOfObservations.review_id == tip.id)).one()
    assert lst.status == "final"

    # The reminders of what is still missing (the reviewing States' experts) go once.
    runner = app.test_cli_runner()
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    today = (started + timedelta(days=40)).isoformat()
    first_run = runner.invoke(cli, ["reminders", "send", "--today", today])
    assert first_run.exit_code == 0, first_run.output
    assert re.search(r"nomination:reviewing:\w+:GHA:\S+:focal_point \(overdue\)", first_run.output)
    again = runner.invoke(cli, ["reminders", "send", "--today", today])
    assert "0 reminders sent" in again.output, again.output
