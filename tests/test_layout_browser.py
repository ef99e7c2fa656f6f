"""The layout on a phone and on paper: a header that folds, tables that scroll in their own
box, the footer at the foot of short pages, a favicon on every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.reviews import services
from questionnaire.reviews.models import Review
from tests.browser import log_in

pytest_plugins = ("tests.browser",)

PHONE: ViewportSize = {"width": 390, "height": 800}


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_every_page_links_the_favicon_and_the_print_stylesheet(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)

    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert 'href="/static/css/page-print.css" media="print"' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()


@pytest.mark.browser
def test_the_secretariat_header_folds_on_a_phone_and_tables_scroll_within_the_page(
    make_user: Callable[..., User],
    make_review: Callable[..., object],
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    for state in ("GHA", "FRA", "ARG", "JPN"):
        make_review(state)
    secretariat = make_user(None, secretariat=True)
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, secretariat, "/dashboard")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Audit log")).to_be_hidden()
    assert _page_width(page) <= PHONE["width"], "the page is wider than the phone"

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    assert _page_width(page) <= PHONE["width"]

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_hidden()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()


@pytest.mark.browser
def test_the_footer_stands_at_the_foot_of_a_short_page(
    live_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live_server + "/no/such/page")

    footer_bottom = page.evaluate(
        "document.querySelector('.site-footer').getBoundingClientRect().bottom"
    )
    assert footer_bottom == pytest.approx(page.viewport_size["height"], abs=1)  # type: ignore[index]


@pytest.mark.browser
def test_the_rows_of_a_summary_list_line_up_with_and_without_an_action(
    db: Session,
    shipped_banks: object,
    secretariat: User,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    """The deadlines of a phase: one row has a Change link, the others none; their values start
    at the same place, as in a GOV.UK summary list."""
    phase = services.create_phase(
        db, name="Cluster I, group 1", cluster="I", state_codes=["GHA"],
        started_on=date(2025, 8, 31), max_reviews_per_state=3, user=secretariat,
    )  # fmt: skip
    db.commit()
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, secretariat, f"/phases/{phase.id}")
    deadlines = page.locator('dl[aria-labelledby="deadlines-title"]')
    expect(deadlines.get_by_role("link", name="Change")).to_be_visible()
    starts = deadlines.locator(".summary-list__value").evaluate_all(
        "els => els.map(el => Math.round(el.getBoundingClientRect().left))"
    )
    assert len(starts) == 5 and len(set(starts)) == 1, starts


@pytest.fixture
def ghana_focal_point(
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> Callable[..., tuple[Page, Review]]:
    """A browser's page logged in as the focal point of a review of Ghana, reading `locale`."""

    def logged_in(locale: str = "en") -> tuple[Page, Review]:
        review = make_review("GHA")
        focal = make_user("GHA", locale=locale)
        member(review, focal, "focal_point")
        page = new_context().new_page()
        log_in(page, live_server, focal)
        return page, review

    return logged_in


@pytest.mark.browser
def test_an_article_page_and_check_your_answers_print_without_the_screen_s_controls(
    ghana_focal_point: Callable[..., tuple[Page, Review]], live_server: str
) -> None:
    page, review = ghana_focal_point()
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(f"{live_server}/reviews/{review.id}/sections/art-3")
    text = page.locator(".provision__text")
    assert text.evaluate("el => el.scrollHeight > el.clientHeight")  # a box on the screen

    page.set_viewport_size({"width": 700, "height": 300})
    page.emulate_media(media="print")
    assert text.evaluate("el => el.scrollHeight <= el.clientHeight")  # whole on paper
    for hidden in (".site-header", ".back-link", ".button", ".site-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    page.goto(f"{live_server}/reviews/{review.id}/check")
    expect(page.locator(".summary-list").first).to_be_visible()
    expect(page.locator(".summary-list__actions").first).to_be_hidden()


@pytest.mark.browser
def test_a_notice_starts_with_its_heading(
    ghana_focal_point: Callable[..., tuple[Page, Review]], live_server: str
) -> None:
    """The list of what is left before submitting starts at the top of its box, as the heading of a
    GOV.UK notice, not under a blank band."""
    page, review = ghana_focal_point()
    page.goto(f"{live_server}/reviews/{review.id}/check")
    gap = page.locator("#left-title").evaluate(
        "el => el.getBoundingClientRect().top - el.parentElement.getBoundingClientRect().top"
    )
    assert gap <= 16, gap


@pytest.mark.browser
def test_an_english_heading_in_an_arabic_page_stands_at_the_page_s_start(
    ghana_focal_point: Callable[..., tuple[Page, Review]], live_server: str
) -> None:
    """The questionnaire's title has no Arabic text: it reads left to right, yet stands at the
    right of an Arabic page, as the English questions below it do."""
    page, review = ghana_focal_point("ar")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/reviews/{review.id}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = page.locator("h1")
    expect(heading).to_have_attribute("lang", "en")
    assert heading.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert heading.evaluate("el => getComputedStyle(el).textAlign") == "right"
