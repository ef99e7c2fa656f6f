"""The dialogue as threads, through HTTP: a reply belongs to the request it answers, requests
are open or answered, the requests awaiting a reply are counted on the home page and in the
workspace."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import col, select

from questionnaire.accounts.models import User
from questionnaire.workspace.models import DialogueMessage
from tests.factories import Cast, Workspace, awaiting_panel, cast_review, flashes, fresh, page_text

Client = Callable[[User | None], FlaskClient]


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:  # type: ignore[no-untyped-def]
    return cast_review(db, make_user, make_review, member)


def _requests(db, review_id: int) -> list[DialogueMessage]:  # type: ignore[no-untyped-def]
    return list(
        fresh(db).exec(
            select(DialogueMessage)
            .where(DialogueMessage.review_id == review_id)
            .order_by(col(DialogueMessage.id))
        )
    )


def _reply(space: Workspace, request_id: int, body: str, section: str = "art-5"):  # type: ignore[no-untyped-def]
    return space.post(
        f"/sections/{section}",
        {
            "form": "message",
            "message-kind": "reply",
            "message-reply_to": str(request_id),
            "message-body": body,
        },
        follow=True,
    )


def test_a_reply_belongs_to_the_request_it_answers(db, cast, client_for) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.message("art-5", "request", "Which court applied section 12?")
    reviewer.message("art-5", "request", "How many convictions in 2024?")
    first, second = _requests(db, cast.review_id)

    focal = Workspace(client_for(cast.focal_point), cast.review_id)
    page = page_text(focal.get("/sections/art-5"))
    assert "2 requests await your reply." in page
    assert page.count('name="message-reply_to"') == 2
    assert page.count(">Open<") == 2
    assert "2 requests for clarification on the answers (TIP) await your reply." in (
        awaiting_panel(focal.client)
    )
    overview = page_text(focal.get())
    assert "2 requests await your reply" in overview
    assert f"/sections/art-5#message-{second.id}" in overview

    # The second request is answered first: the reply is stored against it.
    response = _reply(focal, second.id, "Twelve.")  # type: ignore[arg-type]
    assert "Your message has been sent." in flashes(response)
    reply = _requests(db, cast.review_id)[-1]
    assert (reply.kind, reply.reply_to_id) == ("reply", second.id)
    page = page_text(focal.get("/sections/art-5"))
    assert "1 request awaits your reply." in page
    thread = re.search(r'<div class="thread">(?:(?!<div class="thread">).)*Twelve\.', page, re.S)
    assert thread is not None
    assert "How many convictions in 2024?" in thread.group(0) and ">Answered<" in thread.group(0)
    assert "Which court" not in thread.group(0)
    assert "1 request for clarification on the answers (TIP) awaits your reply." in (
        awaiting_panel(focal.client)
    )
    reviewer_page = page_text(reviewer.get("/sections/art-5"))
    assert "1 request awaits a reply from the State." in reviewer_page
    assert "1 request awaits a reply from the State" in page_text(reviewer.get())

    _reply(focal, first.id, "The High Court.")  # type: ignore[arg-type]
    assert "awaits your reply" not in page_text(focal.get("/sections/art-5"))
    assert "awaits your reply" not in awaiting_panel(focal.client)


def test_a_reply_to_a_request_of_another_article_or_review_is_refused(db, cast, client_for) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.message("art-3", "request", "On article 3?")
    (request,) = _requests(db, cast.review_id)
    focal = Workspace(client_for(cast.focal_point), cast.review_id)
    response = _reply(focal, request.id, "Replied on article 5.")  # type: ignore[arg-type]
    assert "The request you replied to is not on this article." in flashes(response)
    response = _reply(focal, 999_999, "Replied to nothing.")
    assert "The request you replied to is not on this article." in flashes(response)
    assert len(_requests(db, cast.review_id)) == 1
    # Reviewers ask; they have no reply form.
    assert 'name="message-reply_to"' not in page_text(reviewer.get("/sections/art-3"))


def test_messages_name_the_state_of_their_author(db, cast, client_for) -> None:
    """The author of a request, a reply or a comment on the list is followed by the name of their
    State, not its code."""
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.message("art-5", "request", "Which court applied section 12?")
    first = _requests(db, cast.review_id)[0]
    _reply(Workspace(client_for(cast.focal_point), cast.review_id), first.id, "The High Court.")  # type: ignore[arg-type]
    reviewer.comment("The list follows the articles.")

    section = page_text(reviewer.get("/sections/art-5"))
    assert "Chidi Okafor</strong> (Nigeria)" in section
    assert "Akosua Boateng</strong> (Ghana)" in section
    listed = page_text(reviewer.get("/list"))
    assert "Chidi Okafor</strong> (Nigeria)" in listed
    assert "(NGA)" not in section + listed and "(GHA)" not in section
