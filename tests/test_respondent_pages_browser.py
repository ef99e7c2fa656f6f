"""The respondents' pages in Chromium, at 1280 and 390 pixels: the Save bar keeps its height
when its status changes (after an edit conflict the first click on Save used to miss the
button, which had moved), and the pages that changed are shot for review (test-artifacts/
respondent-pages/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.db import utcnow
from questionnaire.responses import services
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.browser import log_in, shoot

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def save(db: Session, review: Review, user: User, values: dict[str, object]) -> None:
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    changes = [
        AnswerChange(key, value, False, answers[key].version if key in answers else 0)
        for key, value in values.items()
    ]
    services.save_answers(db, review, bank_of(version), user, changes, kind="save", language="en")
    db.commit()


@pytest.fixture
def carried(db: Session, make_user, make_review, member) -> tuple[Review, User, User]:
    """A v2 review with answers carried forward from a submitted v1 review; its focal point
    and an expert."""
    focal, expert = make_user("GHA"), make_user("GHA")
    earlier = make_review("GHA", ("TIP", "I", 1))
    save(db, earlier, focal, {"TIP-3-1": "yes", "TIP-3-1-cite": "Act 694 of 2005, s. 1"})
    earlier.status, earlier.submitted_at = "submitted", utcnow()
    db.add(earlier)
    db.commit()
    review = make_review("GHA", ("TIP", "I", 2))
    member(review, focal, "focal_point")
    member(review, expert, "expert")
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    services.carry_forward(db, review, bank_of(version))
    db.commit()
    return review, focal, expert


def bar_height(page: Page) -> float:
    box = page.locator(".form-actions").bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_save_bar_keeps_its_height_after_an_edit_conflict(
    live_server, new_context, db, carried, width
) -> None:
    review, focal, expert = carried
    context = new_context()
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, focal, f"/reviews/{review.id}/sections/art-5")
    before = bar_height(page)
    save(db, review, expert, {"TIP-5-1": "no"})  # after the page was loaded

    with page.expect_response(lambda r: r.url.endswith("/autosave")):
        page.locator('[data-question="TIP-5-1"]').get_by_label("Yes", exact=True).check()

    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text(
        "Someone else has changed this answer. Select Save to see both versions."
    )
    assert bar_height(page) == before
    shoot(page, "respondent-pages", f"conflict-status-{width}")
    # The viewport too: a full-page shot draws the sticky bar where the viewport ended.
    shoot(page, "respondent-pages", f"conflict-bar-{width}", full_page=False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".conflict").first).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pages_respondents_check_and_confirm_on(
    live_server, new_context, db, carried, width
) -> None:
    review, focal, _expert = carried
    page = new_context().new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, focal)
    base = f"{live_server}/reviews/{review.id}"

    page.goto(f"{base}/sections/art-3")
    expect(page.locator("#carried-summary")).to_be_visible()
    shoot(page, "respondent-pages", f"carried-{width}")
    page.get_by_role("button", name="Save and mark section complete").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "carried-forward answers await confirmation"
    )
    shoot(page, "respondent-pages", f"complete-refused-{width}")
    page.get_by_role("button", name="Confirm all unchanged answers in this section").click()
    expect(page.get_by_role("status").first).to_contain_text("carried-forward answers confirmed.")
    shoot(page, "respondent-pages", f"confirmed-{width}")

    page.goto(f"{base}/check")
    expect(page.locator(".summary-list").first).to_be_visible()
    shoot(page, "respondent-pages", f"check-{width}")
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.locator(".error-summary")).to_contain_text("The answers cannot be submitted yet.")
    shoot(page, "respondent-pages", f"check-refused-{width}")

    page.goto(f"{base}/sections/art-5")
    page.locator('[data-question="TIP-5-1"]').get_by_label("Yes", exact=True).check()
    page.locator("#q-TIP-5-1-links-input").fill(
        "https://sherloc.unodc.org/a\nAct 694\nwww.ghalii.org/b"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("“Act 694” is not a web address")
    shoot(page, "respondent-pages", f"links-error-{width}")
