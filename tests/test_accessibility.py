"""Accessibility in headless Chromium: axe-core on every kind of page, keyboard-only answering.

Government users include people using screen readers and keyboards only. Every kind of page is
scanned with axe-core (through axe-playwright-python) and must show no violation of impact
"serious" or "critical". An article page is answered with the keyboard alone; the error summary
takes focus after a failed "mark complete"; `<html lang>` follows the chosen language.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from questionnaire.accounts import twofactor
from questionnaire.responses import services as responses
from tests.browser import log_in
from tests.factories import (
    CONFIDENTIAL_KEY,
    Cast,
    cast_review,
    fresh,
)

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
FOLLOW_UP_TEXT = "Training of prosecutors on the 2023 amendments."


@pytest.fixture(autouse=True)
def password_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Focal points log in with their password alone: these tests are not about logging in."""
    monkeypatch.setattr(twofactor, "is_required", lambda db, user: False)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes") or [{}]
        target = nodes[0].get("target")
        lines.append(f"  {violation['id']} ({violation['impact']}): {target}")
    return "\n".join(lines)


def assert_accessible(axe: Axe, page: Page, name: str) -> None:
    """No serious or critical axe-core violation on the page as it is shown."""
    response = axe.run(page).response
    assert response["testEngine"]["name"] == "axe-core" and response["passes"], name
    violations = response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, (
        f"{name} ({page.url}) has serious or critical violations:\n{describe(blocking)}\n"
        f"All violations:\n{describe(violations)}"
    )


def active_element(page: Page, expression: str = "el => el.id") -> str:
    return page.evaluate(f"({expression})(document.activeElement)")


def tab_to(page: Page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate."""
    check = f"(el => !!el && ({predicate}))(document.activeElement)"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


@pytest.fixture
def cast_unsubmitted(db, make_user, make_review, member) -> Cast:  # type: ignore[no-untyped-def]
    return cast_review(db, make_user, make_review, member, submitted=False)


@pytest.fixture
def cast_submitted(db, make_user, make_review, member) -> Cast:  # type: ignore[no-untyped-def]
    return cast_review(db, make_user, make_review, member)


def test_login_pages_are_accessible(
    db, axe: Axe, live_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live_server + "/login")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert_accessible(axe, page, "Login")

    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error-summary, .error-message").first).to_be_visible()
    assert_accessible(axe, page, "Login with errors")


def test_respondent_pages_are_accessible(
    cast_unsubmitted: Cast,
    axe: Axe,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    cast = cast_unsubmitted
    base = f"{live_server}/reviews/{cast.review_id}"
    page = new_context().new_page()
    log_in(page, live_server, cast.focal_point, f"/reviews/{cast.review_id}/")
    assert_accessible(axe, page, "Task list")

    page.goto(base + "/sections/general")
    assert_accessible(axe, page, "Article page")
    page.get_by_role("button", name="Save and mark section complete").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert "error-summary" in active_element(page, "el => el.className")
    assert_accessible(axe, page, "Article page with the error summary")

    page.goto(base + "/check")
    assert_accessible(axe, page, "Check your answers")


def test_arabic_respondent_pages_are_accessible(
    db,
    cast_unsubmitted: Cast,
    axe: Axe,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    """The same pages right to left, in Arabic, with the English of questions not yet translated
    marked as English: at a desktop width and at a phone's, the menu open."""
    cast = cast_unsubmitted
    cast.focal_point.locale = "ar"
    db.add(cast.focal_point)
    db.commit()
    base = f"{live_server}/reviews/{cast.review_id}"
    page = new_context().new_page()
    log_in(page, live_server, cast.focal_point)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (
            ("Task list", "/"),
            ("Article page", "/sections/general"),
            ("Check your answers", "/check"),
        ):
            page.goto(base + path)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            expect(page.locator("html")).to_have_attribute("lang", "ar")
            assert_accessible(axe, page, f"{name} in Arabic at {width} px")
    page.locator(".site-header__menu-button").click()
    expect(page.locator(".language-switch")).to_be_visible()
    assert_accessible(axe, page, "Header with its menu open, in Arabic at 390 px")


def test_workspace_pages_are_accessible(
    cast_submitted: Cast,
    axe: Axe,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    base = f"{live_server}/reviews/{cast_submitted.review_id}/workspace"
    page = new_context().new_page()
    log_in(
        page,
        live_server,
        cast_submitted.reviewer,
        f"/reviews/{cast_submitted.review_id}/workspace/",
    )
    assert_accessible(axe, page, "Workspace overview")
    page.goto(base + "/sections/art-5")
    expect(page.locator(f"#answer-{CONFIDENTIAL_KEY}")).to_be_attached()
    assert_accessible(axe, page, "Workspace article page")
    page.locator(f"#answer-{CONFIDENTIAL_KEY}").get_by_role("link").click()
    page.get_by_label("Gap or challenge").check()
    page.locator("#text").fill("The citation names no penalty.")
    page.get_by_role("button", name="Add the observation").click()
    expect(page.get_by_text("The citation names no penalty.")).to_be_visible()
    assert_accessible(axe, page, "Workspace article page with an observation read")
    page.get_by_role("link", name="Edit").first.click()
    expect(page.locator("textarea.textarea").first).to_be_visible()
    assert_accessible(axe, page, "Workspace article page with an observation edited")
    page.get_by_label("Ask for clarification").fill("Which case? See https://sherloc.unodc.org/")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("link", name="https://sherloc.unodc.org/")).to_be_visible()
    assert_accessible(axe, page, "Workspace article page with an open request")
    page.goto(base + "/list")
    assert_accessible(axe, page, "List of observations")
    state_page = new_context().new_page()
    log_in(
        state_page,
        live_server,
        cast_submitted.focal_point,
        f"/reviews/{cast_submitted.review_id}/workspace/",
    )
    expect(state_page.locator("#open-requests")).to_contain_text("1 request awaits your reply")
    assert_accessible(axe, state_page, "Workspace overview with a request awaiting a reply")
    state_page.goto(base + "/sections/art-5")
    expect(state_page.get_by_label("Reply to the reviewing States")).to_be_visible()
    assert_accessible(axe, state_page, "Workspace article page with a reply form")


def test_secretariat_pages_are_accessible(
    cast_submitted: Cast,
    axe: Axe,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    page = new_context().new_page()
    log_in(page, live_server, cast_submitted.secretariat)
    for name, path in (
        ("Dashboard", "/dashboard"),
        ("Documents", "/documents/"),
        ("Account", "/account/"),
        ("Audit log", "/audit-log/"),
        ("Audit log of a review", f"/audit-log/?review={cast_submitted.review_id}"),
    ):
        response = page.goto(live_server + path)
        assert response is not None and response.ok, (path, response and response.status)
        assert_accessible(axe, page, name)


def test_boxes_that_scroll_can_be_scrolled_with_the_keyboard(
    cast_submitted: Cast,
    axe: Axe,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    """The text of an article scrolls in its own box beside the questions, and a table wider
    than a phone scrolls within its own: both take the keyboard's focus, so axe-core finds no
    scrollable region out of the keyboard's reach."""
    cast = cast_submitted
    base = f"{live_server}/reviews/{cast.review_id}"
    page = new_context().new_page()
    log_in(page, live_server, cast.focal_point)
    state_page = new_context().new_page()
    log_in(state_page, live_server, cast.reviewer)
    for width in (1280, 390):
        for browser_page in (page, state_page):
            browser_page.set_viewport_size({"width": width, "height": 800})
        page.goto(base + "/sections/art-3")
        text = page.locator(".provision__text")
        assert text.evaluate("el => el.scrollHeight > el.clientHeight")
        assert_accessible(axe, page, f"Article page at {width} px")
        state_page.goto(base + "/workspace/sections/art-3")
        assert_accessible(axe, state_page, f"Workspace article page at {width} px")
        page.goto(base + "/answers/TIP-5-1/history")
        assert_accessible(axe, page, f"History of an answer at {width} px")
    # At 390 px the history's table is wider than the screen: it is reached with the keyboard.
    table = page.locator("table.table")
    assert table.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(table).to_have_attribute("tabindex", "0")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(table).not_to_have_attribute("tabindex", "0")


def test_an_article_is_answered_with_the_keyboard_alone(
    db,
    cast_unsubmitted: Cast,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    cast = cast_unsubmitted
    page = new_context().new_page()
    log_in(page, live_server, cast.expert, f"/reviews/{cast.review_id}/sections/general")
    follow_up = page.locator("#q-TIP-GEN-1-specify")
    expect(follow_up).to_be_hidden()

    tab_to(page, "el.id === 'q-TIP-GEN-1-input'")
    page.keyboard.press("Space")
    expect(page.locator("#q-TIP-GEN-1-input")).to_be_checked()
    expect(follow_up).to_be_visible()

    tab_to(page, "el.id === 'q-TIP-GEN-1-specify-input'")
    page.keyboard.type(FOLLOW_UP_TEXT)
    tab_to(page, "el.name === 'action' && el.value === 'save'")
    page.keyboard.press("Enter")
    expect(page.locator(".notice[role=status]")).to_be_visible()

    fresh(db)
    answers = responses.answers_of(db, cast.review_id)
    assert answers["TIP-GEN-1"].value == "yes"
    assert answers["TIP-GEN-1-specify"].value == FOLLOW_UP_TEXT


def test_html_lang_follows_the_chosen_language(
    db, live_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live_server + "/login")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator('.language-switch button[value="fr"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.reload()
    assert page.evaluate("document.documentElement.lang") == "fr"
