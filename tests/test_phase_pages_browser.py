"""The secretariat's phase pages in Chromium: the new-phase form chooses States by regional group
(filter box, choose all of a group, deadlines following the start date), and the dashboard, the
page of a phase, the form and the replacement page have no serious axe-core violation at 1280
and 390 px, nor a page wider than the screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.reviews import services
from questionnaire.reviews.models import Review, ReviewPhase
from tests.browser import log_in

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser


def blocking_violations(axe: Axe, page: Page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is shown."""
    response = axe.run(page).response
    assert response["testEngine"]["name"] == "axe-core" and response["passes"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {(v.get('nodes') or [{}])[0].get('target')}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_form_chooses_states_by_group_with_a_filter_and_choose_all(
    db: Session,
    shipped_banks: object,
    secretariat: User,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    page = new_context().new_page()
    log_in(page, live_server, secretariat, "/phases/new")
    expect(page.locator("[data-state-count]")).to_have_text("States chosen: 0")

    page.get_by_label("Filter the States by name").fill("cote")
    african = page.locator("details.state-group", has_text="African States")
    expect(african).to_have_attribute("open", "")
    expect(page.get_by_label("Côte d’Ivoire")).to_be_visible()
    expect(page.get_by_label("Ghana")).to_be_hidden()
    expect(page.locator("details.state-group", has_text="Western European")).to_be_hidden()
    african.get_by_role("button", name="Choose all – African States").click()
    expect(page.locator("[data-state-count]")).to_have_text("States chosen: 1")

    page.get_by_label("Filter the States by name").fill("")
    weog = page.locator("details.state-group", has_text="Western European")
    weog.locator("summary").click()
    weog.get_by_role("button", name="Choose all – Western European and other States").click()
    total = weog.locator("input[type=checkbox]:checked").count()
    assert total > 20
    expect(page.locator("[data-state-count]")).to_have_text(f"States chosen: {total + 1}")
    weog.get_by_role("button", name="Choose none – Western European and other States").click()
    page.get_by_label("France").check()
    expect(weog.locator("[data-group-count]")).to_contain_text("1 of")

    page.get_by_label("Start date").fill("2027-01-31")
    expect(page.locator("output[data-deadline=focal]")).to_have_text("(14 February 2027)")
    expect(page.locator("output[data-deadline=expert]")).to_have_text("(28 February 2027)")
    expect(page.locator("output[data-deadline=answer]")).to_have_text("(31 July 2027)")

    page.get_by_label("Name", exact=True).fill("Cluster I, group 9")
    page.get_by_role("button", name="Open the phase").click()
    expect(page.locator("h1")).to_have_text("Cluster I, group 9")
    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == "Cluster I, group 9")).one()
    states = {r.state_code for r in db.exec(select(Review).where(Review.phase_id == phase.id))}
    assert states == {"CIV", "FRA"}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_phase_pages_are_accessible_and_fit_the_screen(
    width: int,
    db: Session,
    shipped_banks: object,
    secretariat: User,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    phase = services.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA", "NGA", "FRA", "MEX", "CIV", "DEU"],
        started_on=date(2025, 8, 31),
        max_reviews_per_state=3,
        user=secretariat,
    )
    services.draw_phase(db, phase, secretariat, seed="browser")
    db.commit()
    review = db.exec(select(Review).where(Review.phase_id == phase.id)).first()
    assert review is not None
    seat = services.active_assignments(db, [review.id])[0]  # type: ignore[list-item]
    context = new_context()
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, secretariat)
    blocking: list[str] = []
    for path in (
        "/dashboard",
        f"/dashboard?phase={phase.id}&sort=due",
        f"/phases/{phase.id}",
        "/phases/new",
        f"/assignments/{seat.id}/replace",
    ):
        response = page.goto(live_server + path)
        assert response is not None and response.ok, path
        if path == "/phases/new":
            page.locator("details.state-group summary").first.click()
        blocking += blocking_violations(Axe(), page)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (path, overflow)
    assert not blocking, "\n".join(blocking)
