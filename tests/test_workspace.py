"""The review workspace through HTTP: reviewers read the submitted answers, write observations
and ask for clarification; the State under review replies, keeps elements confidential (para. 38
of the procedures and rules) and agrees the list of observations and its summary. The cast of
the review and the `Workspace` client are in tests/factories.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.outbox.models import OutboxMessage
from questionnaire.workspace import services as observations
from questionnaire.workspace.models import DialogueMessage
from tests.conftest import reviewing_states_agree
from tests.factories import (
    Cast,
    Workspace,
    cast_review,
    flashes,
    fresh,
    observations_of,
    outbox,
    page_text,
    settled,
    submit_answers,
    the_list,
    transitions,
    workspace_url,
)


def both_agree(cast: Cast, client_for: Callable[[User | None], FlaskClient]) -> None:
    """Nigeria and France, the two seated reviewing States, agree to the list as it stands."""
    for user in (cast.reviewer, cast.other_reviewer):
        assert Workspace(client_for(user), cast.review_id).agree().status_code == 302


# ---------------------------------------------------------------------------------------------
# Reading the database


def audit(db: Session, review_id: int, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.review_id == review_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return settled(db, list(fresh(db).exec(query.order_by(col(AuditEntry.id)))))


def recipients(messages: list[OutboxMessage], subject: str) -> set[str]:
    return {m.to_email for m in messages if m.subject == subject}


# ---------------------------------------------------------------------------------------------
# The tests


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


def test_nobody_of_the_review_opens_the_workspace_before_the_answers_are_submitted(
    db, make_user, make_review, member, client_for
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    for user in (cast.reviewer, cast.focal_point, cast.observer):
        space = Workspace(client_for(user), cast.review_id)
        for path in ("/", "/sections/art-5", "/list"):
            assert space.get(path).status_code == 403, (user.full_name, path)
    # The reviewer's home page names the review without a link to it.
    home = page_text(client_for(cast.reviewer).get("/"))
    assert "The answers have not been submitted yet." in home
    assert workspace_url(cast.review_id) not in home

    submit_answers(db, cast)
    reviewer = client_for(cast.reviewer)
    assert workspace_url(cast.review_id) in page_text(reviewer.get("/"))
    assert Workspace(reviewer, cast.review_id).get().status_code == 200


def test_the_reviewer_reads_the_answers_with_confidential_ones_tagged(cast, client_for) -> None:
    space = Workspace(client_for(cast.reviewer), cast.review_id)
    overview = page_text(space.get())
    assert "Review of Ghana" in overview
    assert "Nigeria" in overview and "France" in overview
    assert "Kenya" not in overview  # its seat was replaced

    page = page_text(space.get("/sections/art-5"))
    row = re.search(r'id="answer-TIP-5-1-cite">(.*?)</div>', page, re.S)
    assert row is not None
    assert "Answer to TIP-5-1-cite" in row.group(1)
    assert "Confidential" in row.group(1)
    other = re.search(r'id="answer-TIP-5-1">(.*?)</div>', page, re.S)
    assert other is not None and "Confidential" not in other.group(1)
    assert "Add the observation" in page and "Ask for clarification" in page
    # The "general" section has no article: it has no page in the workspace.
    assert space.get("/sections/general").status_code == 404


def test_observations_are_added_edited_with_their_version_and_withdrawn(
    db, cast, client_for
) -> None:
    space = Workspace(client_for(cast.reviewer), cast.review_id)
    added = [
        ("art-5", "gap", "No penalty for attempt is set out.", ["TIP-5-2", "TIP-5-2-cite"]),
        ("art-5", "assistance_need", "Training of prosecutors is requested.", ["TIP-5-TA"]),
        ("art-3", "good_practice", "The definition follows the Protocol.", ["TIP-3-6"]),
        ("art-3", "suggestion", "Consider covering organ removal.", []),
    ]
    for section, category, text, cited in added:
        response = space.add(section, category, text, cited)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/sections/{section}#observations")
    stored = observations_of(db, cast.review_id)
    assert [(o.section_key, o.category, o.text, o.cited_keys) for o in stored] == added
    assert all(o.created_by_id == cast.reviewer.id and o.version == 1 for o in stored)
    assert [e.object_id for e in audit(db, cast.review_id, "observation.add")] == [
        str(o.id) for o in stored
    ]

    # Refused: a key that is not a question of the article, a category that does not exist.
    assert space.add("art-5", "gap", "Cites article 3.", ["TIP-3-6"]).status_code == 200
    assert space.add("art-5", "praise", "Unknown category.", []).status_code == 200
    assert len(observations_of(db, cast.review_id)) == 4

    gap = stored[0]
    response = space.edit(
        gap.id,  # type: ignore[arg-type]
        version=1,
        category="gap",
        text="No penalty for attempt or complicity is set out.",
        cited=["TIP-5-2"],
        follow=True,
    )
    assert "The observation has been saved." in flashes(response)
    gap = observations_of(db, cast.review_id)[0]
    assert (gap.text, gap.cited_keys, gap.version) == (
        "No penalty for attempt or complicity is set out.",
        ["TIP-5-2"],
        2,
    )

    # A colleague's page still holds version 1: the edit is refused, nothing is overwritten.
    colleague = Workspace(client_for(cast.other_reviewer), cast.review_id)
    response = colleague.edit(
        gap.id,  # type: ignore[arg-type]
        version=1,
        category="suggestion",
        text="Overwrite attempt",
        cited=[],
        follow=True,
    )
    assert response.status_code == 200
    [notice] = flashes(response)
    assert notice.startswith("Someone else changed this observation while you were editing it.")
    assert notice.endswith("your text was: Overwrite attempt")
    assert "No penalty for attempt or complicity is set out." in page_text(response)
    gap = observations_of(db, cast.review_id)[0]
    assert (gap.category, gap.version, gap.updated_by_id) == ("gap", 2, cast.reviewer.id)
    [edit] = audit(db, cast.review_id, "observation.edit")
    assert edit.actor_id == cast.reviewer.id
    assert edit.before["text"] == "No penalty for attempt is set out."  # type: ignore[index]

    suggestion = stored[3]
    response = colleague.act(suggestion.id, "withdraw", follow=True)  # type: ignore[arg-type]
    assert "The observation has been withdrawn." in flashes(response)
    assert "Consider covering organ removal." not in page_text(space.get("/sections/art-3"))
    withdrawn = observations_of(db, cast.review_id)[3]
    assert withdrawn.is_deleted and withdrawn.updated_by_id == cast.other_reviewer.id
    assert [e.actor_id for e in audit(db, cast.review_id, "observation.withdraw")] == [
        cast.other_reviewer.id
    ]
    # A withdrawn observation can no longer be changed.
    assert colleague.act(suggestion.id, "withdraw").status_code == 404  # type: ignore[arg-type]


def test_a_request_for_clarification_and_the_reply_reach_the_other_members(
    db, cast, client_for
) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    response = reviewer.message(
        "art-5", "request", "Which court applied section 12 in 2023?", follow=True
    )
    assert "Your message has been sent." in flashes(response)
    request_mail = recipients(outbox(db), "Request for clarification on the review of Ghana")
    # Everyone in the review but the author, and not Kenya, whose seat was replaced.
    assert request_mail == {
        u.email for u in (cast.focal_point, cast.expert, cast.observer, cast.other_reviewer)
    }

    expert = Workspace(client_for(cast.expert), cast.review_id)
    page = page_text(expert.get("/sections/art-5"))
    assert "Which court applied section 12 in 2023?" in page
    assert "Reply to the reviewing States" in page
    assert "Add the observation" not in page
    response = expert.message("art-5", "reply", "The High Court of Accra, in 2023.", follow=True)
    assert "Your message has been sent." in flashes(response)
    # The State cannot ask itself for clarification, nor the observer write at all.
    refused = expert.message("art-5", "request", "A request from the State?", follow=True)
    assert "You cannot post this kind of message." in flashes(refused)
    observer = Workspace(client_for(cast.observer), cast.review_id)
    assert observer.message("art-5", "reply", "An observer's reply").status_code == 403

    messages = (
        fresh(db)
        .exec(
            select(DialogueMessage)
            .where(DialogueMessage.review_id == cast.review_id)
            .order_by(col(DialogueMessage.id))
        )
        .all()
    )
    assert [(m.kind, m.section_key, m.author_id, m.author_state) for m in messages] == [
        ("request", "art-5", cast.reviewer.id, "NGA"),
        ("reply", "art-5", cast.expert.id, "GHA"),
    ]
    reply_mail = recipients(outbox(db), "Reply on the review of Ghana")
    assert reply_mail == {
        u.email for u in (cast.focal_point, cast.observer, cast.reviewer, cast.other_reviewer)
    }
    assert [(e.action, e.actor_id) for e in audit(db, cast.review_id)][-2:] == [
        ("dialogue.request", cast.reviewer.id),
        ("dialogue.reply", cast.expert.id),
    ]
    thread = page_text(reviewer.get("/sections/art-5"))
    assert thread.index("Which court applied") < thread.index("The High Court of Accra")


def test_each_member_is_told_in_their_own_language(db, cast, client_for) -> None:
    observer = fresh(db).get(User, cast.observer.id)
    assert observer is not None
    observer.locale = "fr"
    db.add(observer)
    db.commit()
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.message("art-5", "request", "Which court applied section 12?", follow=True)

    mail = {m.to_email: m for m in outbox(db)}
    french = mail[cast.observer.email]
    assert french.subject == "Demande d'éclaircissements — examen de l'État suivant : Ghana"
    assert "Chidi Okafor a écrit sur la section art-5 :" in french.body
    assert "Which court applied section 12?" in french.body
    assert "module sécurisé" in french.body  # the signature, in French too
    english = mail[cast.expert.email]
    assert english.subject == "Request for clarification on the review of Ghana"
    assert "Chidi Okafor wrote on section art-5:" in english.body


def test_the_dialogue_closes_when_the_list_is_final(db, cast, client_for) -> None:
    _to(db, cast, "final")
    closed = "The list of observations is final: the dialogue on this review is closed."
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    expert = Workspace(client_for(cast.expert), cast.review_id)
    for workspace, kind in ((reviewer, "request"), (expert, "reply")):
        page = page_text(workspace.get("/sections/art-5"))
        assert closed in page and 'name="message-body"' not in page
        refused = workspace.message("art-5", kind, "One more question?", follow=True)
        assert closed in flashes(refused)
        assert closed in flashes(workspace.comment("One more comment.", follow=True))
        assert 'name="comment-body"' not in page_text(workspace.get("/list"))
    stored = fresh(db).exec(
        select(DialogueMessage).where(DialogueMessage.review_id == cast.review_id)
    )
    assert stored.all() == []


def test_the_state_sees_no_drafted_observation_before_the_list_is_shared(
    db, cast, client_for
) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.add("art-5", "gap", "A draft the State must not read yet.", ["TIP-5-1"])
    for user in (cast.focal_point, cast.expert, cast.observer):
        state = Workspace(client_for(user), cast.review_id)
        assert state.get("/list").status_code == 403
        for path in ("/", "/sections/art-5"):
            page = page_text(state.get(path))
            assert "A draft the State must not read yet." not in page
            assert "1 observation" not in page
            assert "The reviewing States are drafting the list of observations" in page

    both_agree(cast, client_for)
    assert reviewer.move("with_state").status_code == 302
    state = Workspace(client_for(cast.observer), cast.review_id)
    assert "A draft the State must not read yet." in page_text(state.get("/sections/art-5"))
    assert "1 observation" in page_text(state.get("/"))


def test_the_list_is_shared_sent_back_agreed_and_made_final(db, cast, client_for) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    focal = Workspace(client_for(cast.focal_point), cast.review_id)
    expert = Workspace(client_for(cast.expert), cast.review_id)
    observer = Workspace(client_for(cast.observer), cast.review_id)
    # Written article 5 first: the list still shows article 3 first.
    reviewer.add("art-5", "gap", "Attempt is not criminalized.", ["TIP-5-2"])
    reviewer.add("art-3", "good_practice", "The definition follows the Protocol.", ["TIP-3-6"])
    reviewer.add("art-5", "suggestion", "Criminalize attempt.", [])
    gap, practice, suggestion = observations_of(db, cast.review_id)

    # Nothing can be shared that the State has not seen yet; the State sees nothing.
    assert focal.get("/list").status_code == 403
    assert reviewer.summary("Ghana criminalizes trafficking in persons.", 1).status_code == 302
    both_agree(cast, client_for)
    response = reviewer.move("with_state", follow=True)
    assert "The status of the list has changed." in flashes(response)
    assert the_list(db, cast.review_id).status == "with_state"

    page = page_text(focal.get("/list"))
    order = [page.index(text) for text in (practice.text, gap.text, suggestion.text)]
    assert order == sorted(order), "observations are listed in article order"
    assert page.index("Article 3") < page.index("Article 5")
    assert "Ghana criminalizes trafficking in persons." in page
    assert "Keep this element confidential" in page
    assert "Agree to the list and summary" in page and "Send back for changes" in page
    # The reviewers cannot change the list while the State has it.
    assert reviewer.add("art-5", "gap", "Late addition", []).status_code == 403
    assert reviewer.summary("Changed while with the State.", 2).status_code == 403

    # The focal point keeps an element confidential; the expert and the observer cannot.
    for other in (expert, observer):
        assert other.act(gap.id, "confidential").status_code == 403  # type: ignore[arg-type]
        assert "Keep this element confidential" not in page_text(other.get("/list"))
    assert not observations_of(db, cast.review_id)[0].is_confidential
    response = focal.act(gap.id, "confidential", follow=True)  # type: ignore[arg-type]
    assert response.request.path == workspace_url(cast.review_id, "/list")
    assert "Allow publication of this element" in page_text(response)
    assert observations_of(db, cast.review_id)[0].is_confidential
    [marked] = audit(db, cast.review_id, "observation.confidential")
    assert (marked.actor_id, marked.object_id) == (cast.focal_point.id, str(gap.id))
    assert (marked.before, marked.after) == ({"is_confidential": False}, {"is_confidential": True})
    tagged = page_text(reviewer.get("/list"))
    assert "Confidential at the request of the State" in tagged

    # The State sends it back; the reviewer changes an observation and shares it again.
    assert focal.comment("Please reconsider the suggestion on attempt.").status_code == 302
    assert focal.move("drafting").status_code == 302
    assert the_list(db, cast.review_id).status == "drafting"
    assert focal.get("/list").status_code == 403
    assert "Please reconsider" in page_text(reviewer.get("/list"))
    response = reviewer.edit(
        suggestion.id,  # type: ignore[arg-type]
        version=1,
        category="suggestion",
        text="Consider criminalizing attempt, as article 5, paragraph 2 (a), requires.",
        cited=["TIP-5-2"],
    )
    assert response.status_code == 302
    assert reviewer.move("with_state").status_code == 302  # refused: the list changed since
    assert the_list(db, cast.review_id).status == "drafting"
    both_agree(cast, client_for)
    assert reviewer.move("with_state").status_code == 302
    assert observations_of(db, cast.review_id)[0].is_confidential  # the State's mark is kept

    # The State agrees, the reviewer makes the list final.
    assert expert.move("agreed").status_code == 403  # only the focal point agrees
    assert focal.move("agreed").status_code == 302
    assert the_list(db, cast.review_id).status == "agreed"
    assert reviewer.move("final").status_code == 302
    final = the_list(db, cast.review_id)
    assert final.status == "final"
    assert final.summary == "Ghana criminalizes trafficking in persons."
    page = page_text(focal.get("/list"))
    assert "Keep this element confidential" not in page
    assert "Allow publication of this element" not in page
    assert "<form" not in page.split("<h1>", 1)[1].split('id="summary"')[0]

    # Every transition is recorded, with who made it, in the history and the audit log.
    path = [
        ("drafting", "with_state", cast.reviewer.id),
        ("with_state", "drafting", cast.focal_point.id),
        ("drafting", "with_state", cast.reviewer.id),
        ("with_state", "agreed", cast.focal_point.id),
        ("agreed", "final", cast.reviewer.id),
    ]
    assert transitions(db, cast.review_id) == path
    logged = audit(db, cast.review_id, "list.transition")
    assert [
        (e.before["status"], e.after["status"], e.actor_id)  # type: ignore[index]
        for e in logged
    ] == path
    assert {e.object_id for e in logged} == {str(final.id)}
    history = page.split("History of the status", 1)[1]
    assert history.count("Akosua Boateng") == 2 and history.count("Chidi Okafor") == 3

    # Each transition told the other members, and never Kenya.
    mail = outbox(db)
    everyone = {
        u.email
        for u in (
            cast.focal_point,
            cast.expert,
            cast.observer,
            cast.reviewer,
            cast.other_reviewer,
        )
    }
    for status, author in (
        ("With the State under review", cast.reviewer),
        ("Drafting", cast.focal_point),
        ("Agreed", cast.focal_point),
        ("Final", cast.reviewer),
    ):
        told = recipients(mail, f"List of observations on the review of Ghana: {status}")
        # The secretariat is told once the list is agreed: it makes it final and publishes it.
        secretariat = {cast.secretariat.email} if status in ("Agreed", "Final") else set()
        assert told == everyone - {author.email} | secretariat, status
    assert cast.unassigned.email not in {m.to_email for m in mail}


def _to(db: Session, cast: Cast, status: str) -> None:
    """Bring the list to `status` through the services, as its people would."""
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    observations.add_observation(
        db,
        review,
        bank,
        cast.reviewer,
        section_key="art-5",
        category="gap",
        text="A gap.",
        cited_keys=["TIP-5-1"],
    )
    steps = {
        "drafting": [],
        "with_state": [("reviewer", "with_state")],
        "agreed": [("reviewer", "with_state"), ("state", "agreed")],
        "final": [("reviewer", "with_state"), ("state", "agreed"), ("reviewer", "final")],
    }[status]
    for side, target in steps:
        user = cast.reviewer if side == "reviewer" else cast.focal_point
        if target == "with_state":
            reviewing_states_agree(db, review)
        observations.transition(db, review, user, side=side, to_status=target)
    db.commit()


ILLEGAL = [
    # (status of the list, who tries, the status they ask for)
    ("drafting", "reviewer", "agreed"),
    ("drafting", "reviewer", "final"),
    ("drafting", "focal_point", "with_state"),
    ("drafting", "secretariat", "with_state"),
    ("with_state", "reviewer", "agreed"),
    ("with_state", "reviewer", "final"),
    ("with_state", "expert", "drafting"),
    ("with_state", "observer", "agreed"),
    ("with_state", "secretariat", "agreed"),
    ("agreed", "focal_point", "final"),
    ("agreed", "focal_point", "drafting"),
    ("agreed", "reviewer", "drafting"),
    ("agreed", "reviewer", "with_state"),
    ("final", "reviewer", "drafting"),
    ("final", "focal_point", "agreed"),
    ("final", "secretariat", "drafting"),
    ("final", "secretariat", "agreed"),
    ("drafting", "reviewer", "published"),
]


@pytest.mark.parametrize(("status", "who", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_and_record_nothing(
    db, cast, client_for, status, who, target
) -> None:
    _to(db, cast, status)
    before = (transitions(db, cast.review_id), len(audit(db, cast.review_id)), len(outbox(db)))
    space = Workspace(client_for(getattr(cast, who)), cast.review_id)
    assert space.move(target).status_code == 403
    assert the_list(db, cast.review_id).status == status
    after = (transitions(db, cast.review_id), len(audit(db, cast.review_id)), len(outbox(db)))
    assert after == before


def test_an_empty_list_cannot_be_shared(db, cast, client_for) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    response = reviewer.move("with_state", follow=True)
    assert "The list of observations has no observation yet." in flashes(response)
    assert the_list(db, cast.review_id).status == "drafting"
    assert transitions(db, cast.review_id) == []


def test_the_secretariat_reopens_an_agreed_list(db, cast, client_for) -> None:
    _to(db, cast, "agreed")
    secretariat = Workspace(client_for(cast.secretariat), cast.review_id)
    assert "Reopen the drafting" in page_text(secretariat.get("/list"))
    assert secretariat.move("drafting").status_code == 302
    assert transitions(db, cast.review_id)[-1] == ("agreed", "drafting", cast.secretariat.id)


def test_the_summary_is_saved_with_its_version_within_the_word_limit(
    app: Flask, db, cast, client_for, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SUMMARY_WORD_LIMIT", 12)
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    colleague = Workspace(client_for(cast.other_reviewer), cast.review_id)
    page = page_text(reviewer.get("/list"))
    assert "At most 12 words." in page and 'data-word-limit="12"' in page
    assert 'name="summary-version" value="1"' in page

    first = "Ghana has criminalized trafficking in persons as the Protocol requires."
    response = reviewer.summary(first, 1, follow=True)
    assert "The summary has been saved." in flashes(response)
    assert "10 words" in page_text(response)
    lst = the_list(db, cast.review_id)
    assert (lst.summary, lst.summary_version, lst.summary_updated_by_id) == (
        first,
        2,
        cast.reviewer.id,
    )

    # Over the limit: refused, the text typed is kept on the page, nothing stored.
    long = " ".join(["word"] * 13)
    response = reviewer.summary(long, 2)
    assert response.status_code == 200
    assert "The summary has 13 words; the limit is 12." in flashes(response)
    assert long in page_text(response)
    assert the_list(db, cast.review_id).summary_version == 2

    # The colleague's page still holds version 1: both texts are shown, nothing overwritten.
    theirs = "Ghana has criminalized trafficking; attempt is not covered."
    response = colleague.summary(theirs, 1)
    assert response.status_code == 200
    page = page_text(response)
    assert "Someone else changed the summary while you were editing" in page
    conflict = page.split('class="conflict__theirs">', 1)[1].split("</blockquote>")[0]
    assert conflict == first
    assert f">{theirs}</textarea>" in page
    assert 'name="summary-version" value="2"' in page  # saving again merges over theirs
    lst = the_list(db, cast.review_id)
    assert (lst.summary, lst.summary_version) == (first, 2)

    merged = "Ghana has criminalized trafficking in persons; attempt is not covered."
    assert colleague.summary(merged, 2).status_code == 302
    lst = the_list(db, cast.review_id)
    assert (lst.summary, lst.summary_version, lst.summary_updated_by_id) == (
        merged,
        3,
        cast.other_reviewer.id,
    )
    edits = audit(db, cast.review_id, "summary.edit")
    assert [(e.actor_id, e.before, e.after) for e in edits] == [
        (cast.reviewer.id, "", first),
        (cast.other_reviewer.id, first, merged),
    ]


def test_the_home_page_leads_reviewers_and_respondents_to_the_workspace(cast, client_for) -> None:
    link = f'href="{workspace_url(cast.review_id)}"'
    for user in (cast.reviewer, cast.focal_point, cast.observer):
        assert link in page_text(client_for(user).get("/")), user.full_name
    # The secretariat, in every review, is led there by the dashboard.
    assert link in page_text(client_for(cast.secretariat).get("/dashboard"))
    # Kenya's seat was replaced: the review is no longer on its reviewer's home page.
    home = page_text(client_for(cast.unassigned).get("/"))
    assert link not in home
    assert "You do not take part in any review yet." in home
