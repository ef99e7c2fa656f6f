"""What a State's focal point sees on their home page at each stage of a review, in headless
Chromium at a desktop (1280 px) and a phone (390 px) width: before any review, answering,
ready to submit, submitted (with the receipt), asked for clarification, the list to agree, and
the list agreed. Screenshots go to test-artifacts/home-stages/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from questionnaire.accounts import twofactor
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.responses import services as responses
from questionnaire.workspace import dialogue
from questionnaire.workspace import services as observations
from tests.browser import fill_login_form, shoot
from tests.conftest import reviewing_states_agree
from tests.factories import Cast, answer_required, cast_review

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

FOLDER = "home-stages"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def password_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The focal point logs in with a password alone: this journey is about the home page."""
    monkeypatch.setattr(twofactor, "is_required", lambda db, user: False)


@pytest.fixture
def focal_pages(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> Iterator[dict[str, Page]]:
    """Filled in by `log_in_at_each_width`; the contexts are closed after the test."""
    opened: dict[str, Page] = {}
    yield opened
    for page in opened.values():
        page.context.close()


def log_in_at_each_width(browser: Browser, base: str, user: User, opened: dict[str, Page]) -> None:
    for name, width in WIDTHS.items():
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(base + "/login")
        fill_login_form(page, user)
        opened[name] = page


def see(opened: dict[str, Page], base: str, stage: str, expected: str) -> None:
    """At every width the panel of what awaits shows `expected`; each is photographed."""
    for name, page in opened.items():
        page.goto(base + "/")
        expect(page.locator("section.awaiting")).to_contain_text(expected)
        shoot(page, FOLDER, f"{stage}-{name}")


def share_a_list(db: Session, cast: Cast) -> None:
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    observations.add_observation(
        db, review, bank, cast.reviewer, section_key="art-5", category="gap",
        text="Attempt is not criminalized.", cited_keys=["TIP-5-1"],
    )  # fmt: skip
    reviewing_states_agree(db, review)
    observations.transition(db, review, cast.reviewer, side="reviewer", to_status="with_state")
    db.commit()


@pytest.mark.usefixtures("password_alone")
def test_the_focal_point_sees_what_awaits_them_at_each_stage(
    db, make_user, make_review, member, browser, live_server, focal_pages
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    base = live_server
    log_in_at_each_width(browser, base, cast.focal_point, focal_pages)

    see(focal_pages, base, "1-answering", "required answers are missing")
    review = cast.review(db)
    answer_required(db, review, cast.expert)
    see(focal_pages, base, "2-ready-to-submit", "Check and submit the answers of Ghana (TIP).")

    page = focal_pages["desktop"]
    page.goto(f"{base}/reviews/{cast.review_id}/check")
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    expect(page.locator("dl")).to_contain_text("Akosua Boateng")
    shoot(page, FOLDER, "3-receipt-desktop")
    see(focal_pages, base, "4-submitted", "Nothing awaits you now.")

    dialogue.post_message(
        db, cast.review(db), cast.reviewer, side="reviewer", section_key="art-5",
        kind="request", body="Which court applied section 12?",
    )  # fmt: skip
    db.commit()
    see(focal_pages, base, "5-request", "1 request for clarification on the answers (TIP) awaits")
    dialogue.post_message(
        db, cast.review(db), cast.focal_point, side="state", section_key="art-5",
        kind="reply", body="The High Court of Accra.",
    )  # fmt: skip
    db.commit()

    share_a_list(db, cast)
    see(focal_pages, base, "6-list-to-agree", "Agree to the list of observations (TIP)")
    observations.transition(db, cast.review(db), cast.focal_point, side="state", to_status="agreed")
    db.commit()
    see(focal_pages, base, "7-agreed", "Nothing awaits you now.")
    assert responses.answers_of(db, cast.review_id)


@pytest.mark.usefixtures("password_alone")
def test_a_focal_point_with_no_review_yet_is_told_what_comes_next(
    db, make_user, browser, live_server, focal_pages
) -> None:
    user = make_user("GHA")
    log_in_at_each_width(browser, live_server, user, focal_pages)
    see(focal_pages, live_server, "0-no-review", "Once the secretariat records your nomination")
