"""One review carried in headless Chromium, from the State's submitted answers to an agreed
list of observations.

Nigeria's reviewer reads Ghana's answers, writes an observation citing one of them, asks for
clarification and writes the summary while the page counts its words; Nigeria and France each
agree to the list on a confirmation page, and Nigeria shares it. Ghana's
focal point, in a second browser, replies, keeps the observation confidential (para. 38) and
agrees to the list. Screenshots go to test-artifacts/review-journey/.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import col, select

from questionnaire.accounts import twofactor
from questionnaire.audit.models import AuditEntry
from questionnaire.workspace.models import DialogueMessage, Observation
from tests.browser import log_in, shoot
from tests.factories import (
    CONFIDENTIAL_KEY,
    cast_review,
    observations_of,
    the_list,
    transitions,
)

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser

FOLDER = "review-journey"
OBSERVATION = (
    "The Criminal Code covers trafficking, but no penalty is set out for the attempt "
    "(article 5, paragraph 2 (a))."
)
REQUEST = "Has a court applied section 12 of the Criminal Code since 2020?"
REPLY = "Yes: the High Court of Accra, in The Republic v. Mensah (2023)."
SUMMARY_START = "Ghana criminalizes "
SUMMARY_END = "trafficking in persons as the Protocol defines it; attempt is not covered."
SUMMARY = SUMMARY_START + SUMMARY_END


def status_tag(page: Page):  # type: ignore[no-untyped-def]
    return page.locator(".summary-bar .tag")


def notice(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("status").first


@pytest.fixture
def password_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Focal points log in with their password alone, as in the test app (tests/conftest.py):
    the live server is configured as in production, where their role requires two-step
    verification, and this journey is about the review, not about logging in."""
    monkeypatch.setattr(twofactor, "is_required", lambda db, user: False)


@pytest.mark.usefixtures("password_alone")
def test_a_list_of_observations_is_written_shared_and_agreed(
    db,
    make_user,
    make_review,
    member,
    live_server: str,
    new_context: Callable[[], BrowserContext],
) -> None:
    cast = cast_review(db, make_user, make_review, member)
    review_id = cast.review_id
    base = live_server

    # The reviewer of Nigeria finds the review on the home page and opens the workspace.
    reviewer = new_context().new_page()
    log_in(reviewer, base, cast.reviewer)
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("My reviews")
    shoot(reviewer, FOLDER, "01-reviewer-home")
    reviewer.get_by_role("link", name=re.compile("Trafficking in Persons Protocol")).click()
    expect(reviewer).to_have_url(f"{base}/reviews/{review_id}/workspace/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Review of Ghana")
    expect(status_tag(reviewer)).to_have_text("Drafting")

    # Article 5: the answers, the confidential one tagged; an observation citing it.
    reviewer.get_by_role("link", name=re.compile(r"^Article 5\.")).click()
    expect(reviewer).to_have_url(f"{base}/reviews/{review_id}/workspace/sections/art-5")
    cited = reviewer.locator(f"#answer-{CONFIDENTIAL_KEY}")
    expect(cited).to_contain_text(f"Answer to {CONFIDENTIAL_KEY}")
    expect(cited.locator(".tag--confidential")).to_have_text("Confidential")
    cited_text = "Article 5(1): Please cite the applicable legislation and provisions"
    cited.get_by_role("link", name=re.compile("Cite in an observation")).click()
    expect(reviewer.get_by_label(cited_text, exact=True)).to_be_checked()
    reviewer.get_by_label("Gap or challenge").check()
    reviewer.get_by_label("Observation", exact=True).fill(OBSERVATION)
    reviewer.get_by_role("button", name="Add the observation").click()
    expect(notice(reviewer)).to_have_text("The observation has been added.")
    observation = reviewer.locator("article.observation")
    expect(observation).to_have_count(1)
    expect(observation.locator(".tag--gap")).to_have_text("Gap or challenge")
    expect(observation).to_contain_text(OBSERVATION)
    expect(observation.locator("textarea")).to_have_count(0)  # read, until Edit is chosen
    expect(observation.get_by_role("link", name=cited_text)).to_be_visible()

    reviewer.get_by_label("Ask for clarification").fill(REQUEST)
    reviewer.get_by_role("button", name="Send").click()
    expect(notice(reviewer)).to_have_text("Your message has been sent.")
    expect(reviewer.locator(".message--request")).to_contain_text(REQUEST)
    shoot(reviewer, FOLDER, "02-reviewer-article-5")

    # The summary: the counter follows the typing, against the limit.
    reviewer.get_by_role("link", name="Back to the review").click()
    reviewer.get_by_role("link", name="List of observations and summary").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("List of observations")
    counter = reviewer.locator('[data-word-count-for="summary-summary"]')
    expect(counter).to_have_text("0 words / 500")
    summary = reviewer.get_by_label("Summary of the review")
    summary.press_sequentially("Ghana")
    expect(counter).to_have_text("1 word / 500")  # the singular, by the language's rule
    summary.fill("")
    expect(counter).to_have_text("0 words / 500")
    summary.press_sequentially(SUMMARY_START)
    expect(counter).to_have_text("2 words / 500")
    expect(counter).not_to_have_class(re.compile("is-over"))
    summary.press_sequentially(SUMMARY_END)
    expect(counter).to_have_text("14 words / 500")
    shoot(reviewer, FOLDER, "03-reviewer-summary-typed")
    reviewer.get_by_role("button", name="Save the summary").click()
    expect(notice(reviewer)).to_have_text("The summary has been saved.")
    expect(summary).to_have_value(SUMMARY)
    expect(counter).to_have_text("14 words / 500")

    # Both reviewing States agree to the list, each confirming on a page of its own.
    france = new_context().new_page()
    log_in(france, base, cast.other_reviewer)
    for page, state in ((reviewer, "Nigeria"), (france, "France")):
        page.goto(f"{base}/reviews/{review_id}/workspace/list")
        page.get_by_role("link", name="Agree to the list for my State").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Agree to the list of observations"
        )
        page.get_by_role("button", name=f"Agree for {state}").click()
        expect(notice(page)).to_have_text(
            "Your State's agreement to the list of observations is recorded."
        )
    expect(france.locator("#agreement")).to_contain_text("France: agreed by Claire Martin")
    reviewer.reload()
    shoot(reviewer, FOLDER, "04a-both-reviewing-states-agreed")

    reviewer.get_by_role("link", name="Share with the State under review").click()
    expect(
        reviewer.get_by_text("Who will be told: the focal point, experts and observers of Ghana")
    ).to_be_visible()
    reviewer.get_by_role("button", name="Share with the State under review").click()
    expect(notice(reviewer)).to_have_text("The status of the list has changed.")
    expect(status_tag(reviewer)).to_have_text("With the State under review")
    expect(reviewer.get_by_role("button", name="Save the summary")).to_have_count(0)
    shoot(reviewer, FOLDER, "04-reviewer-list-shared")

    # Ghana's focal point, in a browser of their own: reply, keep confidential, agree.
    focal = new_context().new_page()
    log_in(focal, base, cast.focal_point)
    focal.get_by_role("link", name="Dialogue and list of observations").click()
    expect(focal).to_have_url(f"{base}/reviews/{review_id}/workspace/")
    expect(focal.locator(".task-list__item").nth(1)).to_contain_text("1 observation · 1 message")
    focal.get_by_role("link", name=re.compile(r"^Article 5\.")).click()
    expect(focal.locator(".message--request")).to_contain_text(REQUEST)
    expect(focal.locator("article.observation")).to_contain_text(OBSERVATION)
    focal.get_by_label("Reply to the reviewing States").fill(REPLY)
    focal.get_by_role("button", name="Send").click()
    expect(notice(focal)).to_have_text("Your message has been sent.")
    expect(focal.locator(".message--reply")).to_contain_text(REPLY)
    shoot(focal, FOLDER, "05-state-reply")

    focal.get_by_role("link", name="Back to the review").click()
    focal.get_by_role("link", name="List of observations and summary").click()
    expect(focal.get_by_text(SUMMARY)).to_be_visible()
    element = focal.locator(".observation").filter(has_text=OBSERVATION)
    element.get_by_role("button", name="Keep this element confidential").click()
    expect(focal).to_have_url(f"{base}/reviews/{review_id}/workspace/list")
    expect(element.locator(".tag--confidential")).to_have_text(
        "Confidential at the request of the State"
    )
    expect(element.get_by_role("button", name="Allow publication of this element")).to_be_visible()
    focal.get_by_role("link", name="Agree to the list and summary").click()
    focal.get_by_role("button", name="Agree to the list and summary").click()
    expect(notice(focal)).to_have_text("The status of the list has changed.")
    expect(status_tag(focal)).to_have_text("Agreed")
    history = focal.locator("h2:has-text('History of the status') + ul li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Drafting → With the State under review (Chidi Okafor)")
    expect(history.nth(1)).to_contain_text("With the State under review → Agreed (Akosua Boateng)")
    shoot(focal, FOLDER, "06-state-agreed")

    # The reviewer's page, reloaded, shows the agreement and offers to make the list final.
    reviewer.reload()
    expect(status_tag(reviewer)).to_have_text("Agreed")
    expect(reviewer.locator(".tag--confidential")).to_have_count(1)
    expect(reviewer.get_by_role("link", name="Make final")).to_be_visible()
    shoot(reviewer, FOLDER, "07-reviewer-sees-agreed")

    # What the database holds.
    lst = the_list(db, review_id)
    assert (lst.status, lst.summary, lst.summary_version, lst.summary_updated_by_id) == (
        "agreed",
        SUMMARY,
        2,
        cast.reviewer.id,
    )
    [stored] = observations_of(db, review_id)
    assert isinstance(stored, Observation)
    assert (stored.section_key, stored.category, stored.text, stored.cited_keys) == (
        "art-5",
        "gap",
        OBSERVATION,
        [CONFIDENTIAL_KEY],
    )
    assert stored.is_confidential and not stored.is_deleted
    assert stored.created_by_id == cast.reviewer.id
    messages = db.exec(
        select(DialogueMessage)
        .where(DialogueMessage.review_id == review_id)
        .order_by(col(DialogueMessage.id))
    ).all()
    assert [(m.kind, m.body, m.author_id) for m in messages] == [
        ("request", REQUEST, cast.reviewer.id),
        ("reply", REPLY, cast.focal_point.id),
    ]
    assert transitions(db, review_id) == [
        ("drafting", "with_state", cast.reviewer.id),
        ("with_state", "agreed", cast.focal_point.id),
    ]
    actions = db.exec(
        select(AuditEntry.action, AuditEntry.actor_id)
        .where(AuditEntry.review_id == review_id, col(AuditEntry.action).not_like("answer.%"))
        .order_by(col(AuditEntry.id))
    ).all()
    assert list(actions) == [
        ("review.submit", cast.focal_point.id),
        ("observation.add", cast.reviewer.id),
        ("dialogue.request", cast.reviewer.id),
        ("summary.edit", cast.reviewer.id),
        ("list.agree", cast.reviewer.id),
        ("list.agree", cast.other_reviewer.id),
        ("list.transition", cast.reviewer.id),
        ("dialogue.reply", cast.focal_point.id),
        ("observation.confidential", cast.focal_point.id),
        ("list.transition", cast.focal_point.id),
    ]
