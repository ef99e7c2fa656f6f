"""People told and asked at each step of a review, through HTTP and the command line: the
reviewing States' sign-off of the list, confirmation pages and receipts, what awaits each person
on their home page, the messages' contents, and deadline reminders sent once."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.cli import cli
from questionnaire.nominations import services as nominations
from questionnaire.nominations.models import Nomination
from questionnaire.nominations.scope import Purpose
from questionnaire.notifications.models import ReminderSent
from questionnaire.notifications.reminders import threshold
from questionnaire.reviews.models import ReviewMembership
from questionnaire.workspace import services as observations
from tests.factories import (
    Cast,
    Workspace,
    awaiting_panel,
    cast_review,
    flashes,
    fresh,
    outbox,
    page_text,
    submit_answers,
    the_list,
)


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


def audit_count(db: Session) -> int:
    return fresh(db).exec(select(func.count()).select_from(AuditEntry)).one()


def mails_to(db: Session, user: User, subject_part: str = "") -> list[str]:
    """The bodies of the messages to `user` whose subject holds `subject_part`."""
    return [m.body for m in outbox(db) if m.to_email == user.email and subject_part in m.subject]


def add_gap(db: Session, cast: Cast, text: str = "Attempt is not criminalized.") -> int:
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    observation = observations.add_observation(
        db, review, bank, cast.reviewer, section_key="art-5", category="gap", text=text,
        cited_keys=["TIP-5-1"],
    )  # fmt: skip
    db.commit()
    return observation.id  # type: ignore[return-value]


# --- the reviewing States' sign-off ----------------------------------------------------------


def test_the_list_goes_to_the_state_only_once_both_reviewing_states_agree(
    db, cast, client_for
) -> None:
    add_gap(db, cast)
    nigeria = Workspace(client_for(cast.reviewer), cast.review_id)
    france = Workspace(client_for(cast.other_reviewer), cast.review_id)

    page = page_text(nigeria.get("/list"))
    assert "Nigeria: agreement awaited." in page and "France: agreement awaited." in page
    # Sharing is not offered while an agreement is awaited; asked for anyway, it is refused.
    assert "Share with the State under review" not in page
    refused = nigeria.move("with_state", follow=True)
    assert (
        "The list goes to the State under review only once both reviewing States have agreed "
        "to it. Still awaited: France and Nigeria." in flashes(refused)
    )

    assert "Your State's agreement to the list of observations is recorded." in flashes(
        nigeria.agree(follow=True)
    )
    page = page_text(france.get("/list"))
    assert "Nigeria: agreed by Chidi Okafor on" in page
    assert "France: agreement awaited." in page
    told = mails_to(db, cast.other_reviewer, "agreement")
    assert len(told) == 1 and "Still awaited: France." in told[0]
    refused = nigeria.move("with_state", follow=True)
    assert "Still awaited: France." in " ".join(flashes(refused))
    assert the_list(db, cast.review_id).status == "drafting"

    france.agree()
    assert "Share with the State under review" in page_text(nigeria.get("/list"))
    assert nigeria.move("with_state").status_code == 302
    assert the_list(db, cast.review_id).status == "with_state"
    actions = fresh(db).exec(
        select(AuditEntry.action).where(AuditEntry.review_id == cast.review_id)
    )
    assert list(actions).count("list.agree") == 2


def test_an_agreement_lapses_when_the_list_changes_and_can_be_withdrawn_until_shared(
    db, cast, client_for
) -> None:
    gap = add_gap(db, cast)
    nigeria = Workspace(client_for(cast.reviewer), cast.review_id)
    france = Workspace(client_for(cast.other_reviewer), cast.review_id)
    nigeria.agree()
    france.agree()
    response = nigeria.edit(gap, version=1, category="gap", text="Reworded.", cited=["TIP-5-1"])
    assert response.status_code == 302
    page = page_text(france.get("/list"))
    assert page.count("agreed to an earlier version of the list") == 2
    assert nigeria.move("with_state").status_code == 302
    assert the_list(db, cast.review_id).status == "drafting"

    nigeria.agree()
    france.agree()
    assert "Withdraw my State's agreement" in page_text(france.get("/list"))
    assert "withdrawn" in " ".join(flashes(france.post("/list/agreement/withdraw", {}, True)))
    assert "France: agreement awaited." in page_text(nigeria.get("/list"))
    france.agree()
    assert "Share with the State under review" in page_text(nigeria.get("/list"))
    assert nigeria.move("with_state").status_code == 302
    late = france.post("/list/agreement/withdraw", {}, True)
    assert "already been shared" in " ".join(flashes(late))
    assert the_list(db, cast.review_id).status == "with_state"


def _nominate_focal_point(db: Session, cast: Cast, user: User) -> None:
    """France names `user` its focal point for the review (as a nomination records it)."""
    review = cast.review(db)
    nomination = Nomination(
        nominating_state="FRA", user_id=user.id, role="focal_point", side="reviewing",  # type: ignore[arg-type]
        state_under_review="GHA", review_id=review.id, note_reference="NV/FRA/1",
        note_date=date.today(),
    )  # fmt: skip
    db.add(nomination)
    db.commit()
    membership = (
        fresh(db)
        .exec(
            select(ReviewMembership).where(
                ReviewMembership.review_id == review.id, ReviewMembership.user_id == user.id
            )
        )
        .one()
    )
    membership.nomination_id = nomination.id
    db.add(membership)
    db.commit()


def test_once_a_focal_point_is_named_only_they_or_an_expert_they_designate_agree(
    db, cast, client_for, make_user, member
) -> None:
    add_gap(db, cast)
    expert = make_user("FRA")
    member(cast.review(db), expert, "reviewer")
    _nominate_focal_point(db, cast, cast.other_reviewer)

    refused = Workspace(client_for(expert), cast.review_id)
    assert refused.get("/list/agreement").status_code == 403
    assert refused.agree().status_code == 403
    assert "Agree to the list for my State" not in page_text(refused.get("/list"))

    france = Workspace(client_for(cast.other_reviewer), cast.review_id)
    assert f'<option value="{expert.id}">' in page_text(france.get("/list"))
    assert refused.post("/list/signatories", {"expert": str(expert.id)}).status_code == 403
    designated = france.post("/list/signatories", {"expert": str(expert.id)}, follow=True)
    assert f"{expert.full_name} can now agree to the list for your State." in flashes(designated)
    page = page_text(refused.get("/list/agreement"))
    assert "You agree, for France, to the list of observations" in page
    assert "Still awaited after yours: Nigeria." in page
    assert refused.agree().status_code == 302
    assert "France: agreed by" in page_text(refused.get("/list"))


def test_agreeing_is_confirmed_on_a_page_that_writes_nothing(db, cast, client_for) -> None:
    add_gap(db, cast)
    nigeria = Workspace(client_for(cast.reviewer), cast.review_id)
    before = audit_count(db)
    page = page_text(nigeria.get("/list/agreement"))
    assert "You agree, for Nigeria, to the list of observations and its summary" in page
    assert "The other reviewers are told by e-mail." in page
    assert 'action=""' not in page and "Agree for Nigeria" in page
    assert audit_count(db) == before
    # The State's people never agree for a reviewing State.
    focal = Workspace(client_for(cast.focal_point), cast.review_id)
    assert focal.get("/list/agreement").status_code == 403
    assert focal.agree().status_code == 403


# --- confirmations and receipts ------------------------------------------------------------


def test_sharing_agreeing_and_making_final_are_confirmed_first(db, cast, client_for) -> None:
    add_gap(db, cast)
    nigeria = Workspace(client_for(cast.reviewer), cast.review_id)
    page = page_text(nigeria.get("/list"))
    # Not offered while agreements are awaited; reached anyway, the page says whose.
    assert workspace_link(cast, "/list/move/with_state") not in page
    confirm = page_text(nigeria.get("/list/move/with_state"))
    assert "The list of observations and its summary go to Ghana." in confirm
    assert "Who will be told: the focal point, experts and observers of Ghana" in confirm
    assert "still awaited, the agreement of France and Nigeria" in confirm
    assert "disabled" in confirm

    nigeria.agree()
    Workspace(client_for(cast.other_reviewer), cast.review_id).agree()
    assert workspace_link(cast, "/list/move/with_state") in page_text(nigeria.get("/list"))
    assert "disabled" not in page_text(nigeria.get("/list/move/with_state"))
    nigeria.move("with_state")
    focal = Workspace(client_for(cast.focal_point), cast.review_id)
    confirm = page_text(focal.get("/list/move/agreed"))
    assert "Ghana agrees to the list of observations and its summary as they stand" in confirm
    assert "and the secretariat, by e-mail" in confirm
    assert nigeria.get("/list/move/agreed").status_code == 404  # not theirs to do
    assert focal.get("/list/move/drafting").status_code == 404  # not confirmed: undone at once
    focal.move("agreed")
    confirm = page_text(nigeria.get("/list/move/final"))
    assert "The list of observations and its summary become final." in confirm


def workspace_link(cast: Cast, path: str) -> str:
    return f"/reviews/{cast.review_id}/workspace{path}"


def test_withdrawing_an_observation_is_confirmed_first(db, cast, client_for) -> None:
    gap = add_gap(db, cast, "A gap to withdraw.")
    nigeria = Workspace(client_for(cast.reviewer), cast.review_id)
    section = page_text(nigeria.get("/sections/art-5"))
    assert workspace_link(cast, f"/observations/{gap}/withdraw") in section
    before = audit_count(db)
    confirm = page_text(nigeria.get(f"/observations/{gap}/withdraw"))
    assert "A gap to withdraw." in confirm and "cannot be brought back" in confirm
    assert audit_count(db) == before
    assert nigeria.act(gap, "withdraw").status_code == 302
    assert nigeria.get(f"/observations/{gap}/withdraw").status_code == 404
    expert = Workspace(client_for(cast.expert), cast.review_id)
    assert expert.get(f"/observations/{gap}/withdraw").status_code == 404


def test_the_focal_point_gets_a_receipt_of_the_submission(
    db, make_user, make_review, member, client_for
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    focal = client_for(cast.focal_point)
    check = page_text(focal.get(f"/reviews/{cast.review_id}/check"))
    assert "Who will be told: the reviewers of the reviewing States and the secretariat" in check
    assert focal.get(f"/reviews/{cast.review_id}/submission/").status_code == 404

    submit_answers(db, cast)
    receipt = page_text(focal.get(f"/reviews/{cast.review_id}/submission/"))
    assert "Answers submitted" in receipt
    assert 'Submitted by</dt><dd class="summary-list__value">Akosua Boateng' in receipt
    assert f"/reviews/{cast.review_id}/answers.pdf" in receipt
    assert (
        "The reviewers of France and Nigeria (2 people) and the secretariat, by e-mail." in receipt
    )
    assert focal.get(f"/reviews/{cast.review_id}/answers.pdf").status_code == 200


# --- what the messages say -----------------------------------------------------------------


def test_reviewers_and_the_secretariat_are_told_of_the_submission_with_what_is_expected(
    db, make_user, make_review, member, app, monkeypatch
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    french = fresh(db).get(User, cast.other_reviewer.id)
    french.locale = "fr"  # type: ignore[union-attr]
    db.add(french)
    db.commit()
    submit_answers(db, cast)

    (english,) = mails_to(db, cast.reviewer, "Answers submitted")
    assert "Akosua Boateng, focal point of Ghana, has submitted the answers of Ghana." in english
    assert "State under review: Ghana" in english
    assert "Instrument: Protocol to Prevent, Suppress and Punish Trafficking" in english
    assert "Phase: Cluster I, group 1" in english
    assert "Read the answers and send your written feedback" in english
    assert re.search(r"Due on \d{1,2} [A-Z][a-z]+ \d{4}\.", english)  # 2 June 2027: UN style
    assert f"/reviews/{cast.review_id}/workspace/" in english
    (francais,) = [m.body for m in outbox(db) if m.to_email == cast.other_reviewer.email]
    assert "a soumis les réponses" in francais and "État examiné : Ghana" in francais
    (secretariat,) = mails_to(db, cast.secretariat, "Answers submitted")
    assert "The reviewing States now read the answers" in secretariat
    assert not mails_to(db, cast.focal_point) and not mails_to(db, cast.unassigned)


def test_a_request_for_clarification_names_the_article_and_what_is_expected(
    db, cast, client_for
) -> None:
    Workspace(client_for(cast.reviewer), cast.review_id).message(
        "art-5", "request", "Which court applied section 12?"
    )
    (body,) = mails_to(db, cast.focal_point, "Request for clarification")
    assert "> Which court applied section 12?" in body
    assert "Article: Article 5" in body
    assert "The State under review is asked to reply in the dialogue on this article." in body
    assert f"/reviews/{cast.review_id}/workspace/sections/art-5" in body


# --- what awaits each person -----------------------------------------------------------------


def test_the_focal_point_sees_at_each_stage_what_awaits_them(
    db, make_user, make_review, member, client_for
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    focal = client_for(cast.focal_point)
    panel = awaiting_panel(focal)
    assert (
        "Answer the questionnaire of Ghana (TIP):" in panel
        and "required answers are missing" in panel
    )
    assert "Due by" in panel

    expert_panel = awaiting_panel(client_for(cast.expert))
    assert "Check and submit" not in expert_panel  # only the focal point submits

    submit_answers(db, cast)
    panel = awaiting_panel(focal)
    assert "Nothing awaits you now." in panel
    assert "The reviewing States are reading the answers of Ghana (TIP)" in panel

    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    reviewer.message("art-5", "request", "Which court?")
    waiting = "1 request for clarification on the answers (TIP) awaits your reply."
    assert waiting in awaiting_panel(focal)
    Workspace(focal, cast.review_id).message("art-5", "reply", "The High Court.")
    assert "awaits your reply" not in awaiting_panel(focal)

    add_gap(db, cast)
    reviewer.agree()
    Workspace(client_for(cast.other_reviewer), cast.review_id).agree()
    reviewer.move("with_state")
    assert "Agree to the list of observations (TIP), or send it back" in awaiting_panel(focal)


def test_a_reviewer_is_asked_for_feedback_then_for_the_agreement_of_their_state(
    db, cast, client_for
) -> None:
    nigeria = client_for(cast.reviewer)
    panel = awaiting_panel(nigeria)
    assert "Read the answers of Ghana (TIP) and send your written feedback." in panel
    add_gap(db, cast)
    assert "Agree, for your State, to the list of observations on Ghana (TIP)." in awaiting_panel(
        nigeria
    )
    Workspace(nigeria, cast.review_id).agree()
    assert "Nothing awaits you now." in awaiting_panel(nigeria)
    # Kenya's seat was replaced: nothing awaits its reviewer.
    assert "Ghana" not in awaiting_panel(client_for(cast.unassigned))


def test_someone_with_no_review_is_told_what_happens_next(db, client_for, make_user) -> None:
    panel = awaiting_panel(client_for(make_user("GHA")))
    assert "Once the secretariat records your nomination to a review" in panel


def test_the_secretariat_sees_nominations_due_and_lists_to_make_final(
    db, make_user, make_review, member, client_for
) -> None:
    review = make_review("KEN", started_on=date.today() - timedelta(days=30))
    secretariat = make_user(None, secretariat=True)
    panel = awaiting_panel(client_for(secretariat))
    assert "Record the focal point of Kenya for the review of Kenya (TIP)." in panel
    assert "Overdue since" in panel
    member(review, make_user("KEN"), "focal_point")
    member(review, make_user("KEN"), "expert")
    assert "Record the focal point of Kenya" not in awaiting_panel(client_for(secretariat))


def test_the_secretariat_is_told_how_many_nominations_due_are_not_listed(
    db, make_user, make_review, client_for
) -> None:
    started = date.today() - timedelta(days=30)
    for code in ("KEN", "GHA", "FRA", "MEX", "SEN", "NGA"):
        make_review(code, started_on=started)  # a focal point and experts due for each: 12
    panel = awaiting_panel(client_for(make_user(None, secretariat=True)))
    assert panel.count("Record the ") == 10
    assert "2 more nominations are due: the dashboard lists those overdue." in panel


def test_the_nominations_due_of_a_day_come_by_the_states_names(
    db, make_user, make_review, client_for
) -> None:
    started = date.today() - timedelta(days=30)
    for code in ("ESP", "FRA"):  # by code Spain comes first, by name France does
        make_review(code, started_on=started)
    panel = awaiting_panel(client_for(make_user(None, secretariat=True)))
    assert panel.index("focal point of France") < panel.index("focal point of Spain")


# --- deadline reminders ---------------------------------------------------------------------


def test_thresholds_are_reached_in_turn_then_overdue() -> None:
    due = date(2027, 6, 2)
    assert threshold(due, due - timedelta(days=20)) is None
    assert threshold(due, due - timedelta(days=14)) == "14"
    assert threshold(due, due - timedelta(days=8)) == "14"
    assert threshold(due, due - timedelta(days=7)) == "7"
    assert threshold(due, due - timedelta(days=1)) == "1"
    assert threshold(due, due) == "1"
    assert threshold(due, due + timedelta(days=1)) == "overdue"


def send_reminders(app: Flask, today: date) -> str:
    result = app.test_cli_runner().invoke(cli, ["reminders", "send", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_are_sent_once_per_item_and_threshold(
    app, db, make_user, make_review, member
) -> None:
    review = make_review("GHA")
    focal, expert = make_user("GHA"), make_user("GHA")
    member(review, focal, "focal_point")
    member(review, expert, "expert")
    due = review.answers_due_on

    assert "0 reminders sent" in send_reminders(app, due - timedelta(days=30))
    first = send_reminders(app, due - timedelta(days=7))
    assert f"answers:{review.id} (7): 2 recipients" in first
    assert "0 reminders sent" in send_reminders(app, due - timedelta(days=7))  # run twice
    assert "0 reminders sent" in send_reminders(app, due - timedelta(days=3))
    (body,) = mails_to(db, focal, "Reminder: review of Ghana")
    assert "The answers of Ghana have not been submitted yet." in body
    assert f"/reviews/{review.id}/" in body

    assert f"answers:{review.id} (overdue)" in send_reminders(app, due + timedelta(days=1))
    send_reminders(app, due + timedelta(days=2))
    assert len(mails_to(db, expert, "Overdue: review of Ghana")) == 1
    rows = fresh(db).exec(
        select(ReminderSent.threshold).where(ReminderSent.item == f"answers:{review.id}")
    )
    assert sorted(rows) == ["7", "overdue"]


def test_an_overdue_nomination_is_reminded_to_the_secretariat_once(
    app, db, make_user, make_review
) -> None:
    review = make_review("GHA", started_on=date.today() - timedelta(days=20))
    secretariat = make_user(None, secretariat=True)
    output = send_reminders(app, date.today())
    assert "nomination:" in output
    send_reminders(app, date.today())
    bodies = mails_to(db, secretariat, "Overdue: review of Ghana")
    focal_point = [b for b in bodies if "No focal point of Ghana has been named" in b]
    assert len(focal_point) == 1
    assert "Ask Ghana for its nomination by note verbale, and record it." in focal_point[0]
    assert review.id is not None


def test_a_nominee_is_told_what_they_were_named_to_and_what_comes_next(
    db, make_user, make_review
) -> None:
    review = make_review("GHA")
    secretariat = make_user(None, secretariat=True)
    nominations.record_nomination(
        db,
        actor=secretariat,
        nominating_state="GHA",
        nominee=nominations.Nominee("ama@gov-gh.example", "Ama Owusu", "fr"),
        role="expert",
        note=nominations.NoteVerbale("NV/GHA/2026/14", date(2026, 11, 20)),
        purpose=Purpose("GHA", None, review.id),
    )
    db.commit()
    mails = [m for m in outbox(db) if m.to_email == "ama@gov-gh.example"]
    assert sorted(m.carries_link for m in mails) == [False, True]  # the notice, the activation
    (notice,) = [m for m in mails if not m.carries_link]
    assert notice.subject == "Votre désignation : examen de l’État suivant : Ghana"
    assert "vous a désigné(e) Expert gouvernemental" in notice.body
    assert "NV/GHA/2026/14" in notice.body and "Échéance" in notice.body
    assert "Activez d’abord votre compte" in notice.body
