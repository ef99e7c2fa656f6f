"""Citing answers in observations and reading observations, through HTTP: a reviewer cites
from the answers themselves, among the questions the State was shown and answered, named by
their short text; observations are read, and edited only when asked."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from questionnaire.accounts.models import User
from tests.factories import Cast, Workspace, cast_review, flashes, page_text, workspace_url
from tests.factories import observations_of as stored_observations

Client = Callable[[User | None], FlaskClient]

SHORT_CITE = "Article 5(1): Please cite the applicable legislation and provisions"


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:  # type: ignore[no-untyped-def]
    return cast_review(db, make_user, make_review, member)


def _cited_choices(page: str, prefix: str = "") -> dict[str, str]:
    """The cite checkboxes of a form on the page: key -> label."""
    name = f"{prefix}-cited_keys" if prefix else "cited_keys"
    return dict(
        re.findall(
            rf'name="{name}" value="([^"]+)"[^>]*>\s*'
            r'<label class="checkboxes__label"[^>]*>([^<]*)<',
            page,
        )
    )


def test_the_reviewer_cites_answered_questions_by_their_short_text(db, cast, client_for) -> None:
    space = Workspace(client_for(cast.reviewer), cast.review_id)
    page = page_text(space.get("/sections/art-5"))
    choices = _cited_choices(page)
    assert choices["TIP-5-1-cite"] == SHORT_CITE
    assert choices["TIP-5-1"].startswith("Article 5(1): Has your country established")
    # Never a follow-up the State was not shown ("Please explain" follows a "no"), nor a
    # question it left unanswered (links are optional), nor a key as a label.
    assert "TIP-5-1-explain" not in choices
    assert "TIP-5-1-links" not in choices
    assert not any(re.fullmatch(r"TIP-[\w-]+", label) for label in choices.values())

    # "Cite in an observation" beside each answer opens the form with that answer ticked.
    row = re.search(r'id="answer-TIP-5-1-cite">(.*?)</div>', page, re.S)
    assert row is not None and "Cite in an observation" in row.group(1)
    link = re.search(r'href="([^"]*cite=TIP-5-1-cite[^"]*)"', row.group(1))
    assert link is not None and link.group(1).endswith("#add-observation")
    cited_page = page_text(space.client.get(link.group(1).replace("&amp;", "&")))
    assert re.search(r'value="TIP-5-1-cite" checked', cited_page)
    assert not re.search(r'value="TIP-5-1" checked', cited_page)

    # The form refuses a question the State did not answer or was not shown.
    for key in ("TIP-5-1-explain", "TIP-5-1-links"):
        assert space.add("art-5", "gap", f"Cites {key}.", [key]).status_code == 200
    assert stored_observations(db, cast.review_id) == []
    response = space.add("art-5", "gap", "Relies on the citation.", ["TIP-5-1-cite"], True)
    assert "The observation has been added." in flashes(response)


def test_observations_are_read_and_edited_only_when_asked(cast, client_for) -> None:
    space = Workspace(client_for(cast.reviewer), cast.review_id)
    space.add("art-5", "gap", "No penalty for attempt is set out.", ["TIP-5-1-cite"])
    page = page_text(space.get("/sections/art-5"))
    article = re.search(r'<article class="observation" id="obs-(\d+)">(.*?)</article>', page, re.S)
    assert article is not None
    obs_id, body = article.group(1), article.group(2)
    # Read mode: the text, what it relies on by its short text, Edit and Withdraw links.
    assert "No penalty for attempt is set out." in body and "<textarea" not in body
    assert f'href="#answer-TIP-5-1-cite">{SHORT_CITE}</a>' in body
    assert f"edit={obs_id}#obs-{obs_id}" in body
    assert f"/observations/{obs_id}/withdraw" in body  # the confirmation page, not a button

    # Edit mode only when asked, with a way back.
    edit_page = page_text(space.get(f"/sections/art-5?edit={obs_id}"))
    article = re.search(rf'id="obs-{obs_id}">(.*?)</article>', edit_page, re.S)
    assert article is not None and f'name="o{obs_id}-text"' in article.group(1)
    assert "Cancel" in article.group(1)
    assert _cited_choices(edit_page, f"o{obs_id}")["TIP-5-1-cite"] == SHORT_CITE

    # A refused edit comes back to the open form.
    response = space.edit(int(obs_id), version=1, category="gap", text="", cited=[])
    assert response.headers["Location"].endswith(f"edit={obs_id}#obs-{obs_id}")
    response = space.edit(
        int(obs_id), version=1, category="gap", text="Edited.", cited=["TIP-5-1"], follow=True
    )
    assert "The observation has been saved." in flashes(response)
    assert "Edited." in page_text(response)

    # Withdrawing asks first.
    confirm = page_text(space.get(f"/observations/{obs_id}/withdraw"))
    assert "Withdraw the observation" in confirm and "cannot be brought back" in confirm

    # The State's people read it, with no edit action even when asking for one.
    state_page = page_text(
        client_for(cast.focal_point).get(space.url(f"/sections/art-5?edit={obs_id}"))
    )
    assert 'name="o' not in state_page
    assert "Cite in an observation" not in state_page


def test_question_keys_are_shown_to_the_reviewers_and_the_secretariat_only(
    cast, client_for
) -> None:
    """The State's people read the questions of their answers by their text: the keys
    (TIP-5-1-cite) are for the reviewers, who cite them, and the secretariat."""

    def keys_shown(user: User) -> list[str]:
        page = page_text(client_for(user).get(workspace_url(cast.review_id, "/sections/art-5")))
        return re.findall(r'<span class="key">([^<]+)</span>', page)

    for user in (cast.reviewer, cast.secretariat):
        assert "TIP-5-1-cite" in keys_shown(user)
    for user in (cast.focal_point, cast.expert, cast.observer):
        assert keys_shown(user) == []
