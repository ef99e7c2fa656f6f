"""A respondent's whole journey in headless Chromium, against the live application.

Focal point and governmental expert answer the TIP cluster I questionnaire (version 2) of
Ghana: follow-ups appear as answers are chosen, text is autosaved, a concurrent change is
shown as a conflict and resolved, the answers are checked and submitted. Other tests end the
session while the respondent types (nothing typed is lost), keep the autosave status honest
while a save is on its way, and keep an answer's leading line break through a page save.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect
from sqlmodel import Session, select

from questionnaire import db as database
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.responses import services
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.reviews.models import Review
from tests.browser import fill_login_form, log_in, shoot
from tests.factories import answer_required, fresh

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

TIP_I_V2 = ("TIP", "I", 2)
SAVED = re.compile(r"^Saved at ")


def stored(app: Flask, review_id: int, key: str) -> Answer | None:
    """The answer as the database has it now (a fresh session, so no stale snapshot)."""
    with Session(database.get_engine(app)) as session:
        return session.exec(
            select(Answer).where(Answer.review_id == review_id, Answer.question_key == key)
        ).first()


def status_of(app: Flask, review_id: int) -> str:
    with Session(database.get_engine(app)) as session:
        review = session.get(Review, review_id)
        assert review is not None
        return review.status


@contextmanager
def autosaved(page: Page) -> Iterator[None]:
    """Wait for the autosave that the enclosed typing triggers, and for the page to say so."""
    with page.expect_response(lambda r: r.url.endswith("/autosave")) as response:
        yield
    assert response.value.status == 200, response.value.text()
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)


def question(page: Page, key: str) -> Locator:
    """The block of one question: its legend, inputs, flag and history link."""
    return page.locator(f'[data-question="{key}"]')


def test_focal_point_and_expert_answer_resolve_a_conflict_and_submit(
    app: Flask,
    db,
    make_user,
    make_review,
    member,
    shipped_banks,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    review = make_review("GHA", TIP_I_V2)
    focal = make_user("GHA")
    expert = make_user("GHA")
    member(review, focal, "focal_point")
    member(review, expert, "expert")
    focal.full_name, expert.full_name = "Akosua Boateng", "Kwame Mensah"
    db.add_all([focal, expert])
    db.commit()
    review_id = review.id
    base = live_server

    # The focal point logs in and finds the review on the home page, then the task list.
    page = new_context().new_page()
    log_in(page, base, focal)
    shoot(page, "journey", "01-home")
    page.get_by_role("link", name=re.compile("Trafficking in Persons Protocol")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("criminalization")
    expect(page.locator("#status-art-5")).to_have_text("Not started")
    shoot(page, "journey", "02-task-list")

    # Article 5: the follow-up asking for the legislation appears once "Yes" is chosen.
    page.get_by_role("link", name=re.compile(r"^Article 5\.")).click()
    expect(page).to_have_url(f"{base}/reviews/{review_id}/sections/art-5")
    cite = page.locator("#q-TIP-5-1-cite-input")
    expect(question(page, "TIP-5-1-cite")).to_be_hidden()
    with autosaved(page):
        question(page, "TIP-5-1").get_by_label("Yes", exact=True).check()
        expect(question(page, "TIP-5-1-cite")).to_be_visible()
        expect(question(page, "TIP-5-1-explain")).to_be_hidden()
        cite.fill("Criminal Code, section 12")
    shoot(page, "journey", "03-article-5-autosaved")
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None and answer.value == "Criminal Code, section 12"
    assert stored(app, review_id, "TIP-5-1").value == "yes"  # type: ignore[union-attr]

    page.reload()
    expect(cite).to_have_value("Criminal Code, section 12")
    expect(question(page, "TIP-5-1-cite")).to_be_visible()

    with autosaved(page):
        page.locator("#q-TIP-5-1-cite-confidential").check()
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None and answer.is_confidential
    focal_version = answer.version

    # Meanwhile a governmental expert of Ghana changes the same answer and saves it.
    other = new_context().new_page()
    log_in(other, base, expert, f"/reviews/{review_id}/sections/art-5")
    expect(other.locator("#q-TIP-5-1-cite-confidential")).to_be_checked()
    other.locator("#q-TIP-5-1-cite-input").fill("Criminal Code, sections 12 and 13 (amended 2023)")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("status").first).to_have_text("Your answers have been saved.")
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None and answer.version == focal_version + 1
    assert answer.updated_by_id == expert.id

    # The focal point's page still has the older version: saving shows both versions.
    cite.fill("Criminal Code, section 12, and Act 694 of 2005")
    page.get_by_role("button", name="Save", exact=True).click()
    panel = page.locator(".conflict")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Someone else changed this answer while you were editing")
    expect(panel).to_contain_text("Kwame Mensah saved this version")
    expect(panel.locator(".conflict__theirs")).to_contain_text(
        "Criminal Code, sections 12 and 13 (amended 2023)"
    )
    expect(cite).to_have_value("Criminal Code, section 12, and Act 694 of 2005")
    shoot(page, "journey", "04-conflict")
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None
    assert answer.value == "Criminal Code, sections 12 and 13 (amended 2023)"  # not overwritten

    merged = "Criminal Code, sections 12 and 13 (amended 2023), and Act 694 of 2005"
    cite.fill(merged)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text("Your answers have been saved.")
    expect(page.locator(".conflict")).to_have_count(0)
    expect(cite).to_have_value(merged)
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None and answer.value == merged and answer.is_confidential
    assert answer.updated_by_id == focal.id

    # The history lists every revision, the expert's included.
    question(page, "TIP-5-1-cite").get_by_role("link", name="History of this answer").click()
    expect(page).to_have_url(f"{base}/reviews/{review_id}/answers/TIP-5-1-cite/history")
    rows = page.locator("table.table tbody tr")
    with Session(database.get_engine(app)) as session:
        revisions = session.exec(
            select(AnswerRevision).where(AnswerRevision.answer_id == answer.id)
        ).all()
    # The focal point's autosave of the text, then of the flag (a change of confidentiality is
    # never merged into the text's revision); then the expert; then the merge.
    assert sorted(r.version for r in revisions) == [1, 2, 3, 4]
    expect(rows.locator("td:first-child")).to_have_text(["4", "3", "2", "1"])
    expect(rows.nth(2)).to_contain_text("Made confidential")
    expect(rows.first).to_contain_text(merged)
    expect(rows.first).to_contain_text("Akosua Boateng")
    expect(rows.nth(1)).to_contain_text("Kwame Mensah")
    expect(page.locator("table.table")).to_contain_text(
        "Criminal Code, sections 12 and 13 (amended 2023)"
    )
    expect(page.locator("table.table")).to_contain_text("Confidential")
    shoot(page, "journey", "05-history")

    # The other sections are answered through the services; article 5 through the page.
    fresh(db)  # see what the live server wrote
    bank = bank_of(shipped_banks[TIP_I_V2])
    answer_required(db, review, expert, sections=("general", "art-3"))
    for key in ("general", "art-3"):
        services.mark_section(db, review, bank, bank.sections_by_key[key], expert, is_complete=True)
    db.commit()

    page.goto(f"{base}/reviews/{review_id}/sections/art-5")
    question(page, "TIP-5-2").get_by_label("Yes", exact=True).check()
    page.locator("#q-TIP-5-2-cite-input").fill("Criminal Code, section 20 (attempt, complicity)")
    question(page, "TIP-5-TA").get_by_label("No", exact=True).check()
    expect(question(page, "TIP-5-TA-kind")).to_be_hidden()
    page.get_by_role("button", name="Save and mark section complete").click()
    expect(page).to_have_url(f"{base}/reviews/{review_id}/")
    expect(page.get_by_role("status").first).to_have_text("Section saved and marked complete.")
    for key in ("general", "art-3", "art-5"):
        expect(page.locator(f"#status-{key}")).to_have_text("Completed")
    shoot(page, "journey", "06-task-list-complete")

    # Check your answers, then submit as focal point.
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("dl.summary-list").first).to_be_visible()
    expect(page.get_by_text(merged)).to_be_visible()
    shoot(page, "journey", "07-check-answers")
    page.get_by_role("button", name="Submit the answers").click()
    expect(page).to_have_url(f"{base}/reviews/{review_id}/submission/")  # the receipt
    expect(page.get_by_role("status").first).to_contain_text("have been submitted")
    page.goto(f"{base}/reviews/{review_id}/")
    expect(page.locator(".summary-bar .tag")).to_have_text("Submitted")
    expect(page.locator(".task-list .tag")).to_have_text(["Submitted"] * 3)  # every section
    assert status_of(app, review_id) == "submitted"
    shoot(page, "journey", "08-submitted")

    # The article pages are now read-only, for the expert too.
    for viewer in (page, other):
        viewer.goto(f"{base}/reviews/{review_id}/sections/art-5")
        expect(
            viewer.get_by_text("These answers have been submitted and are read-only.")
        ).to_be_visible()
        expect(viewer.get_by_role("button", name="Save", exact=True)).to_have_count(0)
        expect(viewer.locator("#q-TIP-5-1-cite-input")).to_have_attribute("readonly", "")
        expect(viewer.locator("#q-TIP-5-1-input")).to_be_disabled()
        expect(viewer.locator("#q-TIP-5-1-cite-confidential")).to_be_disabled()
    shoot(page, "journey", "09-read-only")


def test_an_ended_session_keeps_the_draft(
    app: Flask, make_user, make_review, member, live_server: str, new_context
) -> None:
    review = make_review("GHA", TIP_I_V2)
    focal = make_user("GHA")
    member(review, focal, "focal_point")
    review_id = review.id
    base = live_server
    context = new_context()
    page = context.new_page()
    log_in(page, base, focal, f"/reviews/{review_id}/sections/art-5")
    cite = page.locator("#q-TIP-5-1-cite-input")
    with autosaved(page):
        question(page, "TIP-5-1").get_by_label("Yes", exact=True).check()
        cite.fill("Criminal Code, section 12")

    # The session ends (cookies gone) while the respondent goes on typing.
    context.clear_cookies()
    typed = "Criminal Code, section 12; penalties in section 14"
    with page.expect_response(lambda r: r.url.endswith("/autosave")) as response:
        cite.press_sequentially("; penalties in section 14")
    assert response.value.status == 401
    banner = page.locator(".session-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Your session has ended")
    shoot(page, "session-ended", "01-banner")
    assert stored(app, review_id, "TIP-5-1-cite").value == "Criminal Code, section 12"  # type: ignore[union-attr]

    # Logging in again in the same tab brings the respondent back, text intact and saved.
    banner.get_by_role("link", name="Log in again").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    fill_login_form(page, focal)
    expect(page).to_have_url(f"{base}/reviews/{review_id}/sections/art-5")
    expect(cite).to_have_value(typed)
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    shoot(page, "session-ended", "02-restored-and-saved")
    answer = stored(app, review_id, "TIP-5-1-cite")
    assert answer is not None and answer.value == typed
    assert answer.updated_by_id == focal.id


def test_the_status_says_unsaved_while_changes_made_during_a_save_wait(
    app: Flask, make_user, make_review, member, live_server: str, new_context
) -> None:
    review = make_review("GHA", TIP_I_V2)
    focal = make_user("GHA")
    member(review, focal, "focal_point")
    review_id = review.id
    page = new_context().new_page()
    log_in(page, live_server, focal, f"/reviews/{review_id}/sections/art-5")
    held: list[Route] = []
    page.route("**/autosave", lambda route: held.append(route) if not held else route.continue_())

    question(page, "TIP-5-1").get_by_label("Yes", exact=True).check()
    for _ in range(100):  # the first autosave is held on its way to the server
        if held:
            break
        page.wait_for_timeout(50)
    assert held
    question(page, "TIP-5-2").get_by_label("No", exact=True).check()
    held[0].continue_()

    # The first save has landed (its version is on the page); the second has not gone yet.
    expect(page.locator('[data-version-for="TIP-5-1"]')).to_have_value("1")
    assert page.locator("[data-autosave-status]").text_content() == "Unsaved changes…"
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    assert stored(app, review_id, "TIP-5-2").value == "no"  # type: ignore[union-attr]


def test_a_text_starting_with_a_line_break_is_shown_and_kept_as_stored(
    app: Flask, db, make_user, make_review, member, live_server: str, new_context
) -> None:
    review = make_review("GHA", TIP_I_V2)
    focal = make_user("GHA")
    member(review, focal, "focal_point")
    text = "\nCriminal Code, section 12\n(as amended in 2023)"
    services.save_answers(
        db,
        review,
        bank_of(db.get(BankVersion, review.bank_version_id)),  # type: ignore[arg-type]
        focal,
        [
            services.AnswerChange("TIP-5-1", "yes", False, 0),
            services.AnswerChange("TIP-5-1-cite", text, False, 0),
        ],
        kind="autosave",
        language="en",
    )
    db.commit()
    page = new_context().new_page()
    log_in(page, live_server, focal, f"/reviews/{review.id}/sections/art-5")

    expect(page.locator("#q-TIP-5-1-cite-input")).to_have_value(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text("Your answers have been saved.")
    answer = stored(app, review.id, "TIP-5-1-cite")  # type: ignore[arg-type]
    assert answer is not None and (answer.value, answer.version) == (text, 1)
