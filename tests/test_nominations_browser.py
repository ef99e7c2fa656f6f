"""A nomination in headless Chromium: the secretariat records Ghana's focal point from the
review's people page, the focal point activates the account from the e-mailed link and finds
Ghana's reviews on their home page. Screenshots go to test-artifacts/nominations/."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, col, select

from questionnaire.accounts import twofactor
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from tests.browser import log_in, shoot

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

FOLDER = "nominations"
NEW_PASSWORD = "a quite long new passphrase for 2026"
LINK = re.compile(r"https?://[^/\s]+(/activate/\S+)")


@pytest.fixture
def password_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The focal point logs in with a password alone: this journey is about nominations."""
    monkeypatch.setattr(twofactor, "is_required", lambda db, user: False)


@pytest.mark.usefixtures("password_alone")
def test_a_focal_point_is_nominated_activates_and_sees_the_reviews(
    db: Session,
    shipped_banks,
    make_user: Callable[..., User],
    live_server: str,
    new_context: Callable[[], BrowserContext],
    capfd: pytest.CaptureFixture[str],
) -> None:
    secretariat = make_user(None, secretariat=True)
    phase = reviews.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA"],
        started_on=date(2026, 9, 1),
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed="journey")
    db.commit()
    tip = db.exec(
        select(Review)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, BankVersion.instrument == "TIP")
    ).one()

    page = new_context().new_page()
    log_in(page, live_server, secretariat, f"/nominations/reviews/{tip.id}")
    page.get_by_role("link", name="Name the focal point").click()
    expect(page.get_by_label("Nominating State")).to_have_value("GHA")
    expect(page.get_by_label("Focal point")).to_be_checked()
    page.get_by_label("Full name").fill("Kwame Mensah")
    page.get_by_label("E-mail address").fill("kwame.mensah@gov-gh.example")
    page.get_by_label("Reference of the note verbale").fill("NV/GHA/2026/14")
    page.get_by_label("Date of the note verbale").fill("2026-09-03")
    shoot(page, FOLDER, "1-form")
    page.get_by_role("button", name="Record the nomination").click()
    expect(page.get_by_role("alert").or_(page.locator(".notice"))).to_contain_text(
        "Kwame Mensah is named"
    )
    expect(page.locator("main")).to_contain_text("kwame.mensah@gov-gh.example")
    shoot(page, FOLDER, "2-people")

    # Without a mail server, the message is printed to the server's log: the link is there.
    db.rollback()
    mail = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.to_email == "kwame.mensah@gov-gh.example",
            col(OutboxMessage.carries_link).is_(True),  # the activation, beside the notice
        )
    ).one()
    match = LINK.search(mail.body) or LINK.search(capfd.readouterr().err)
    assert match is not None, mail.body
    focal = new_context().new_page()
    focal.goto(live_server + match.group(1))
    focal.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    focal.get_by_label("New password again").fill(NEW_PASSWORD)
    focal.get_by_role("button", name="Activate my account").click()
    expect(focal).to_have_url(re.compile(r"/login"))
    focal.get_by_label("E-mail address").fill("kwame.mensah@gov-gh.example")
    focal.get_by_label("Password").fill(NEW_PASSWORD)
    focal.get_by_role("button", name="Log in").click()
    expect(focal.locator("main")).not_to_contain_text("You do not take part in any review yet")
    # The focal point of the phase takes part in every review of Ghana in it.
    ghana = db.exec(select(Review).where(Review.phase_id == phase.id)).all()
    rows = focal.get_by_role("table", name="Reviews you take part in").locator("tbody tr")
    expect(rows).to_have_count(len(ghana))
    for index in range(len(ghana)):
        expect(rows.nth(index)).to_contain_text("Focal point")
    shoot(focal, FOLDER, "3-home")


def test_the_nomination_pages_have_no_serious_accessibility_problem(
    db: Session,
    shipped_banks,
    make_user: Callable[..., User],
    live_server: str,
    new_context: Callable[[], BrowserContext],
    tmp_path: Path,
) -> None:
    secretariat = make_user(None, secretariat=True)
    phase = reviews.create_phase(
        db,
        name="Group 1",
        cluster="I",
        state_codes=["GHA"],
        started_on=date(2026, 9, 1),
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed="axe")
    db.commit()
    review = db.exec(select(Review).where(Review.phase_id == phase.id)).first()
    assert review is not None
    page = new_context().new_page()
    log_in(page, live_server, secretariat)
    axe = Axe()
    page.goto(f"{live_server}/nominations/new?review={review.id}&role=focal_point")
    page.get_by_role("button", name="Record the nomination").click()  # every field missing
    expect(page.locator(".error-summary")).to_be_visible()
    checked = ["the form with its errors"]
    blocking = _blocking(axe, page)
    upload = tmp_path / "nominations.csv"
    upload.write_text(
        "nominating_state,full_name,email,language,role,state_under_review,phase,instruments,"
        "note_reference,note_date\n"
        "GHA,Ama Owusu,ama@gov-gh.example,en,expert,GHA,Group 1,,NV/1,2026-09-02\n"
    )
    page.goto(f"{live_server}/nominations/import")
    page.set_input_files("#file", str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Record 1 nomination")).to_be_visible()
    checked.append("the preview of a file")
    blocking += _blocking(axe, page)
    for path in (
        f"/nominations/reviews/{review.id}",
        "/nominations/",
        f"/dashboard?phase={phase.id}",
        f"/nominations/people/{secretariat.id}",
    ):
        page.goto(live_server + path)
        checked.append(path)
        blocking += _blocking(axe, page)
    assert not blocking, f"checked {checked}:\n" + "\n".join(blocking)


def _blocking(axe: Axe, page: Page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is shown."""
    response = axe.run(page).response
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {(v.get('nodes') or [{}])[0].get('target')}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
