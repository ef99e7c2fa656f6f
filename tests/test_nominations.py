"""Nominations through the secretariat's pages: naming people to a State's own review and to
the seats of reviewing States, the refusals, changing, replacing and ending memberships, the
deadlines, and the links that lead to the form."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.dashboard.nominations_due import nominations_due
from questionnaire.db import id_of
from questionnaire.demo import DEMO_PASSWORD, DEMO_PEOPLE
from questionnaire.errors import RuleViolation
from questionnaire.nominations import services
from questionnaire.nominations.models import Nomination
from questionnaire.nominations.scope import Purpose
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reviews import services as reviews
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewMembership
from tests.conftest import PASSWORD, login

START = date(2026, 9, 1)
NEW_PASSWORD = "a quite long new passphrase for 2026"
LINK = re.compile(r"https?://[^/\s]+(/activate/\S+)")
ERROR = re.compile(r'<p class="error-message"[^>]*>.*?</span>\s*(.*?)</p>', re.S)


def fresh(db: Session) -> Session:
    db.rollback()
    db.expire_all()
    return db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [html.unescape(m).strip() for m in ERROR.findall(response.get_data(as_text=True))]


@pytest.fixture
def phase(db: Session, shipped_banks, secretariat: User) -> dict[str, Review]:
    """Ghana under review in a drawn phase: its reviews by instrument."""
    opened = reviews.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA"],
        started_on=START,
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, opened, secretariat, seed="nominations")
    db.commit()
    return {
        version.instrument: review
        for review, version in db.exec(
            select(Review, BankVersion)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == opened.id)
        )
    }


def seats(db: Session, review: Review) -> list[ReviewAssignment]:
    return reviews.active_assignments(db, [review.id])  # type: ignore[list-item]


def form(review: Review, **values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "nominating_state": "GHA",
        "role": "expert",
        "state_under_review": review.state_code,
        "phase": str(review.phase_id),
        "origin": str(review.id),
        "full_name": "Ama Owusu",
        "email": "ama.owusu@gov-gh.example",
        "locale": "en",
        "note_reference": "NV/GHA/2026/14",
        "note_date": "2026-09-03",
    }
    data.update(values)
    return data


def roles_of(db: Session, email: str) -> dict[int, str]:
    user = accounts.find_user(fresh(db), email)
    assert user is not None
    return dict(
        db.exec(
            select(ReviewMembership.review_id, ReviewMembership.role).where(
                ReviewMembership.user_id == user.id
            )
        ).all()
    )


def record(
    db: Session, actor: User, review: Review, **kwargs: object
) -> services.RecordedNomination:
    values: dict[str, object] = {
        "nominating_state": "GHA",
        "role": "expert",
        "email": "expert@gov-gh.example",
        "instruments": (),
    }
    values.update(kwargs)
    recorded = services.record_nomination(
        db,
        actor=actor,
        nominating_state=str(values["nominating_state"]),
        nominee=services.Nominee(str(values["email"]), "Named Person", "en"),
        role=str(values["role"]),
        note=services.NoteVerbale("NV/1", date(2026, 9, 2)),
        purpose=Purpose(review.state_code, review.phase_id, None, tuple(values["instruments"])),  # type: ignore[arg-type]
    )
    db.commit()
    return recorded


def test_the_focal_point_named_through_the_form_activates_and_sees_the_reviews(
    db: Session, client: FlaskClient, phase: dict[str, Review], secretariat: User
) -> None:
    login(client, secretariat)
    tip = phase["TIP"]
    page = text(client.get(f"/nominations/new?review={tip.id}&role=focal_point"))
    assert '<option value="GHA" selected>' in page
    assert f'<option value="{tip.phase_id}" selected>' in page
    assert 'value="focal_point" checked' in page

    response = client.post(
        "/nominations/new", data=form(tip, role="focal_point", email="Kwame@gov-gh.example")
    )
    assert response.status_code == 302, errors(response)
    assert response.headers["Location"].endswith(f"/nominations/reviews/{tip.id}")
    # The focal point covers all of Ghana's reviews of the phase.
    assert roles_of(db, "kwame@gov-gh.example") == {r.id: "focal_point" for r in phase.values()}
    people = text(client.get(f"/nominations/reviews/{tip.id}"))
    assert "Ama Owusu" in people and "Note verbale NV/GHA/2026/14 of" in people
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "nomination.record")).one()
    assert entry.actor_id == secretariat.id
    assert entry.after["role"] == "focal_point" and entry.after["note_verbale"].startswith("NV/GHA")

    [mail] = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.to_email == "kwame@gov-gh.example",
            col(OutboxMessage.carries_link).is_(True),  # the activation, beside the notice
        )
    ).all()
    path = LINK.search(mail.body).group(1)  # type: ignore[union-attr]
    visitor = client.application.test_client()
    done = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    user = accounts.find_user(fresh(db), "kwame@gov-gh.example")
    assert user is not None
    login(visitor, user, NEW_PASSWORD)
    home = text(visitor.get("/"))
    assert "You do not take part in any review yet" not in home
    assert home.count("Focal point") == len(phase)


def test_refusals_are_named_on_the_form(
    db: Session,
    client: FlaskClient,
    phase: dict[str, Review],
    secretariat: User,
    make_user: Callable[..., User],
) -> None:
    tip = phase["TIP"]
    record(db, secretariat, tip, role="focal_point", email="first@gov-gh.example")
    make_user("BRA", email="someone@gov-br.example")
    login(client, secretariat)

    second = client.post("/nominations/new", data=form(tip, role="focal_point"))
    assert second.status_code == 200
    assert errors(second) == [
        "Ghana already has a focal point for this: Named Person (first@gov-gh.example). "
        "Replace the focal point instead."
    ]
    foreign = client.post("/nominations/new", data=form(tip, email="someone@gov-br.example"))
    assert errors(foreign) == [
        "someone@gov-br.example acts for Brazil: Ghana can only nominate its own people."
    ]
    seated = {s.reviewing_state for s in seats(db, tip)}
    outsider = next(c for c in ("BRA", "MEX", "DEU", "ITA", "CAN") if c not in seated)
    no_seat = client.post(
        "/nominations/new",
        data=form(tip, nominating_state=outsider, email=f"x@{outsider.lower()}.example"),
    )
    assert errors(no_seat) == [f"{outsider} holds no seat on the reviews of GHA."]
    observer = client.post(
        "/nominations/new",
        data=form(tip, nominating_state=sorted(seated)[0], role="observer", email="o@x.example"),
    )
    assert errors(observer) == ["A reviewing State names a focal point and experts, not observers."]
    # Nothing of the refused nominations was kept: no account, no membership.
    assert accounts.find_user(fresh(db), "o@x.example") is None
    assert accounts.find_user(db, f"x@{outsider.lower()}.example") is None
    assert len(db.exec(select(Nomination)).all()) == 1


def test_reviewing_experts_get_the_reviewer_access_of_their_seats(
    db: Session,
    client: FlaskClient,
    phase: dict[str, Review],
    secretariat: User,
    make_user: Callable[..., User],
) -> None:
    tip = phase["TIP"]
    seat = seats(db, tip)[0]
    login(client, secretariat)
    page = text(client.get(f"/nominations/new?seat={seat.id}"))
    assert f'<option value="{seat.reviewing_state}" selected>' in page
    assert 'value="TIP" checked' in page
    email = f"reviewer@{seat.reviewing_state.lower()}.example"
    response = client.post(
        "/nominations/new",
        data=form(tip, nominating_state=seat.reviewing_state, email=email, instruments=["TIP"]),
    )
    assert response.status_code == 302, errors(response)
    assert roles_of(db, email) == {tip.id: "reviewer"}

    # The answers submitted: the reviewer reads them in the workspace, a stranger does not.
    fresh(db).exec(select(Review)).all()
    submitted = db.get(Review, tip.id)
    assert submitted is not None
    submitted.status = "submitted"
    db.add(submitted)
    reviewer = accounts.find_user(db, email)
    assert reviewer is not None
    accounts.set_password(reviewer, PASSWORD)
    db.add(reviewer)
    db.commit()
    other = client.application.test_client()
    login(other, reviewer)
    assert other.get(f"/reviews/{tip.id}/workspace/").status_code == 200
    assert other.get(f"/reviews/{phase['SOM'].id}/workspace/").status_code == 404


def test_one_person_is_an_expert_of_their_state_and_a_reviewer_of_another(
    db: Session, make_review: Callable[..., Review], phase: dict[str, Review], secretariat: User
) -> None:
    tip = phase["TIP"]
    reviewing = seats(db, tip)[0].reviewing_state
    own = make_review(state=reviewing)  # the reviewing State's own review, outside the phase
    email = f"both@{reviewing.lower()}.example"
    first = services.record_nomination(
        db,
        actor=secretariat,
        nominating_state=reviewing,
        nominee=services.Nominee(email, "Both Sides", "fr"),
        role="expert",
        note=services.NoteVerbale("NV/7", date(2026, 9, 2)),
        purpose=Purpose(reviewing, None, own.id),
    )
    second = record(db, secretariat, tip, nominating_state=reviewing, email=email)
    assert first.is_new_account and not second.is_new_account
    assert roles_of(db, email) == {own.id: "expert", **{r.id: "reviewer" for r in second.reviews}}
    # One activation e-mail only, in the person's language; each nomination told what it is for.
    mails = db.exec(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()
    assert len([m for m in mails if m.carries_link]) == 1
    assert len([m for m in mails if not m.carries_link]) == 2


def test_change_replace_and_end_are_audited_and_access_ends_at_once(
    db: Session,
    client: FlaskClient,
    phase: dict[str, Review],
    secretariat: User,
) -> None:
    tip = phase["TIP"]
    expert = record(db, secretariat, tip, email="expert@gov-gh.example")
    focal = record(db, secretariat, tip, role="focal_point", email="focal@gov-gh.example")
    for recorded in (expert, focal):
        accounts.set_password(recorded.user, PASSWORD)
        db.add(recorded.user)
    db.commit()
    login(client, secretariat)
    person = text(client.get(f"/nominations/people/{expert.user.id}"))
    assert "Governmental expert" in person and "Note verbale NV/1 of" in person
    assert "Cluster I, group 1" in person

    refused = client.post(
        f"/nominations/{expert.nomination.id}/role", data={"role": "focal_point", "reason": "x"}
    )
    assert "Ghana already has a focal point for this" in errors(refused)[0]
    changed = client.post(
        f"/nominations/{expert.nomination.id}/role",
        data={"role": "observer", "reason": "Note verbale NV/2 of 10 September"},
    )
    assert changed.status_code == 302
    assert set(roles_of(db, "expert@gov-gh.example").values()) == {"observer"}

    expert_client = client.application.test_client()
    login(expert_client, expert.user)
    assert expert_client.get(f"/reviews/{tip.id}/").status_code == 200
    ended = client.post(f"/nominations/{expert.nomination.id}/end", data={"reason": "Left."})
    assert ended.status_code == 302
    assert roles_of(db, "expert@gov-gh.example") == {}
    assert expert_client.get(f"/reviews/{tip.id}/").status_code == 404
    history = text(client.get(f"/nominations/people/{expert.user.id}"))
    assert "Ended" in history and "Left." in history

    replaced = client.post(
        f"/nominations/{focal.nomination.id}/replace",
        data={
            "full_name": "Abena Ofori",
            "email": "abena@gov-gh.example",
            "locale": "en",
            "note_reference": "NV/GHA/2026/30",
            "note_date": "2026-10-01",
            "reason": "Ghana named a new focal point.",
        },
    )
    assert replaced.status_code == 302, errors(replaced)
    assert roles_of(db, "focal@gov-gh.example") == {}
    assert set(roles_of(db, "abena@gov-gh.example").values()) == {"focal_point"}
    actions = [
        (e.action, e.reason, e.actor_id)
        for e in fresh(db).exec(
            select(AuditEntry)
            .where(AuditEntry.object_type == "nomination")
            .order_by(col(AuditEntry.id))
        )
    ]
    assert [a for a, _, _ in actions] == [
        "nomination.record",
        "nomination.record",
        "nomination.change_role",
        "nomination.end",
        "nomination.end",
        "nomination.record",
    ]
    assert actions[2][1] == "Note verbale NV/2 of 10 September"
    assert actions[4][1] == "Ghana named a new focal point."
    assert {actor for _, _, actor in actions} == {secretariat.id}
    # A reason is required; an ended membership cannot be ended again.
    assert errors(client.post(f"/nominations/{focal.nomination.id}/end", data={"reason": ""}))
    again = client.post(f"/nominations/{focal.nomination.id}/end", data={"reason": "Again."})
    assert errors(again) == ["This membership has already ended."]


def test_deadlines_on_both_sides_and_overdue_items_on_the_dashboard(
    db: Session, client: FlaskClient, phase: dict[str, Review], secretariat: User
) -> None:
    tip = phase["TIP"]
    deadlines = Deadlines()
    reviewing = sorted({s.reviewing_state for r in phase.values() for s in seats(db, r)})
    due = nominations_due(db, START, deadlines)
    keys = {(i.side, i.state_code, i.role) for i in due}
    assert ("under_review", "GHA", "focal_point") in keys
    assert ("under_review", "GHA", "experts") in keys
    for code in reviewing:
        assert ("reviewing", code, "focal_point") in keys and ("reviewing", code, "experts") in keys
    ghana_focal = next(i for i in due if i.side == "under_review" and i.role == "focal_point")
    assert ghana_focal.due_on == START + timedelta(days=14)
    assert sorted(ghana_focal.review_ids) == sorted(id_of(r) for r in phase.values())
    assert not ghana_focal.is_overdue(START + timedelta(days=14))
    assert ghana_focal.is_overdue(START + timedelta(days=15))
    experts = next(i for i in due if i.side == "under_review" and i.role == "experts")
    assert experts.due_on == START + timedelta(days=28)

    record(db, secretariat, tip, role="focal_point", email="focal@gov-gh.example")
    seat = seats(db, tip)[0]
    record(
        db, secretariat, tip, nominating_state=seat.reviewing_state, email="r@x.example",
        instruments=("TIP",),
    )  # fmt: skip
    still_due = {
        (i.side, i.state_code, i.role, i.instruments) for i in nominations_due(db, START, deadlines)
    }
    assert not any(k[:3] == ("under_review", "GHA", "focal_point") for k in still_due)
    left = [k for k in still_due if k[:3] == ("reviewing", seat.reviewing_state, "experts")]
    assert all("TIP" not in k[3] for k in left)

    login(client, secretariat)
    page = text(client.get(f"/dashboard?phase={tip.phase_id}"))
    # The phase started on START, long before today: what is missing is overdue, with a link.
    assert "Nominations overdue" in page
    # One flag per State under review (one nomination names its experts for every review of
    # the phase), linking to the form for one of its reviews.
    links = re.findall(
        r"/nominations/new\?review=(\d+)&amp;role=expert",
        client.get(f"/dashboard?phase={tip.phase_id}").get_data(as_text=True),
    )
    assert len(links) == 1 and int(links[0]) in {r.id for r in phase.values()}


def test_the_form_is_one_click_away_from_the_pages_that_show_who_is_missing(
    db: Session,
    client: FlaskClient,
    phase: dict[str, Review],
    secretariat: User,
    make_user: Callable[..., User],
) -> None:
    tip = phase["TIP"]
    seat = seats(db, tip)[0]
    person = make_user("GHA", email="kofi@gov-gh.example")
    login(client, secretariat)
    overview = client.get(f"/reviews/{tip.id}/").get_data(as_text=True)
    assert f'href="/nominations/new?review={tip.id}"' in overview
    assert f'href="/nominations/reviews/{tip.id}"' in overview
    assert f'href="/nominations/new?seat={seat.id}"' in client.get(
        f"/reviews/{tip.id}/assignments"
    ).get_data(as_text=True)
    users = client.get("/users/").get_data(as_text=True)
    assert f'href="/nominations/new?user={person.id}"' in users
    assert f'href="/nominations/people/{person.id}"' in users
    register = client.get("/users/new").get_data(as_text=True)
    assert 'href="/nominations/new"' in register
    prefilled = text(client.get(f"/nominations/new?user={person.id}"))
    assert 'value="kofi@gov-gh.example"' in prefilled
    people = client.get(f"/nominations/reviews/{tip.id}").get_data(as_text=True)
    assert f"/nominations/new?review={tip.id}&amp;role=focal_point" in people
    assert f"/nominations/new?seat={seat.id}&amp;role=expert" in people
    reviewing_state = text(
        client.get(f"/nominations/new?review={tip.id}&state={seat.reviewing_state}")
    )
    assert f'<option value="{seat.reviewing_state}" selected>' in reviewing_state


def test_only_the_secretariat_reaches_the_nomination_pages(
    db: Session, client: FlaskClient, phase: dict[str, Review], make_user: Callable[..., User]
) -> None:
    login(client, make_user("GHA"))
    for path in ("/nominations/", "/nominations/new", f"/nominations/reviews/{phase['TIP'].id}"):
        assert client.get(path).status_code == 404
    assert client.post("/nominations/new", data=form(phase["TIP"])).status_code == 404
    assert db.exec(select(Nomination)).all() == []


def test_the_demo_names_everyone_by_note_verbale_and_activates_the_accounts(
    db: Session, client: FlaskClient, demo: list[tuple[str, str]]
) -> None:
    logins = demo
    emails = [email for email, _role in logins]
    assert emails[:4] == [email for email, _name, _role in DEMO_PEOPLE]
    reviewers = [email for email, role in logins if role.startswith("reviewer")]
    assert len(reviewers) >= 2
    nominated = {
        user.email: nomination
        for nomination, user in db.exec(
            select(Nomination, User).join(User, col(User.id) == Nomination.user_id)
        )
    }
    assert set(emails) - set(nominated) == {"secretariat@unodc.example"}
    assert all(n.note_reference.startswith("NV/") for n in nominated.values())
    assert {nominated[e].side for e in reviewers} == {"reviewing"}
    activated = set(
        db.exec(select(AuditEntry.object_id).where(AuditEntry.action == "account.activate"))
    )
    assert {str(accounts.find_user(db, e).id) for e in emails[1:]} <= activated  # type: ignore[union-attr]
    focal = accounts.find_user(db, "focal.point@gha.example")
    assert focal is not None
    login(client, focal, DEMO_PASSWORD)
    assert "You do not take part in any review yet" not in text(client.get("/"))
    reviewer = accounts.find_user(db, reviewers[0])
    other = client.application.test_client()
    login(other, reviewer, DEMO_PASSWORD)  # type: ignore[arg-type]
    assert "Reviewer" in text(other.get("/"))


def test_the_database_keeps_one_focal_point_per_review_when_two_requests_race(
    db: Session,
    phase: dict[str, Review],
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tip = phase["TIP"]
    reviews.add_member(db, tip, make_user("GHA"), "focal_point")
    db.commit()
    # The other request checked before this focal point was saved: it saw none.
    monkeypatch.setattr(reviews, "focal_point_of", lambda db, review: None)
    with pytest.raises(RuleViolation, match=r"The review already has a focal point\."):
        reviews.add_member(db, tip, make_user("GHA"), "focal_point")
    db.rollback()
    focal_points = db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == tip.id, ReviewMembership.role == "focal_point"
        )
    ).all()
    assert len(focal_points) == 1
