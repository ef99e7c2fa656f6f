"""The durations of a phase's deadlines: set on the phase form, kept with the phase, followed
wherever a deadline is computed (answers, nominations, feedback, the dashboard's flags), and
changed on the phase's page after a confirmation that says whose answers deadline moves and
who is told."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.dashboard import queries as board
from questionnaire.dashboard.nominations_due import nominations_due
from questionnaire.notifications.reminders import due_items
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reviews import services
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.models import Review, ReviewPhase

START = date(2027, 1, 31)
FORM = {
    "name": "Cluster I, group 7",
    "cluster": "I",
    "started_on": START.isoformat(),
    "max_reviews_per_state": "3",
    "states": ["GHA", "FRA"],
    "no_group_rule": "any_group",
}


@pytest.fixture
def secretariat(make_user: Callable[..., User]) -> User:
    return make_user(None, secretariat=True)


@pytest.fixture
def signed_in(client_for: Callable[[User | None], FlaskClient], secretariat: User) -> FlaskClient:
    return client_for(secretariat)


def text_of(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def open_phase(db: Session, user: User, deadlines: Deadlines | None = None) -> ReviewPhase:
    phase = services.create_phase(
        db,
        name="Cluster I, group 7",
        cluster="I",
        state_codes=["GHA", "FRA"],
        started_on=START,
        max_reviews_per_state=3,
        user=user,
        deadlines=deadlines,
    )
    db.commit()
    return phase


def reviews_of(db: Session, phase: ReviewPhase) -> list[Review]:
    return list(db.exec(select(Review).where(Review.phase_id == phase.id)))


def test_the_form_offers_the_durations_and_the_phase_keeps_those_chosen(
    db: Session, shipped_banks: object, signed_in: FlaskClient
) -> None:
    form = text_of(signed_in.get("/phases/new"))
    for name, value in (
        ("focal_point_days", 14),
        ("experts_days", 28),
        ("answers_months", 6),
        ("feedback_months", 6),
    ):
        assert re.search(rf'name="{name}" value="{value}"', form), name

    response = signed_in.post(
        "/phases/new",
        data={**FORM, "focal_point_days": "21", "experts_days": "35", "answers_months": "4",
              "feedback_months": "3"},
    )  # fmt: skip
    assert response.status_code == 302, text_of(response)
    phase = db.exec(select(ReviewPhase)).one()
    assert (phase.focal_point_days, phase.experts_days) == (21, 35)
    assert (phase.answers_months, phase.feedback_months) == (4, 3)
    assert {r.answers_due_on for r in reviews_of(db, phase)} == {date(2027, 5, 31)}

    page = text_of(signed_in.get(f"/phases/{phase.id}"))
    assert "by 21 February 2027 (21 days after the start)" in page
    assert "by 31 May 2027 (4 months after the start)" in page
    assert "within 3 months of the submission of the answers" in page
    assert f'href="/phases/{phase.id}/deadlines/"' in page


def test_a_duration_out_of_range_is_an_error_naming_the_field(
    db: Session, shipped_banks: object, signed_in: FlaskClient
) -> None:
    response = signed_in.post("/phases/new", data={**FORM, "answers_months": "0"})
    assert response.status_code == 200
    text = text_of(response)
    assert 'href="#answers_months"' in text
    assert 'id="answers_months" name="answers_months" value="0"' in text
    assert db.exec(select(ReviewPhase)).first() is None


def test_the_dates_follow_the_durations_without_javascript(
    db: Session, shipped_banks: object, signed_in: FlaskClient
) -> None:
    response = signed_in.post(
        "/phases/new", data={**FORM, "name": "", "focal_point_days": "10", "answers_months": "2"}
    )
    text = text_of(response)
    assert "(10 February 2027)" in text  # 10 days after 31 January
    assert "(31 March 2027)" in text  # two months after 31 January
    assert "(28 February 2027)" in text  # the experts' 28 days, left as they were


def test_every_deadline_follows_the_phase_s_durations(
    db: Session, shipped_banks: object, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, Deadlines(7, 10, 2, 1))
    configured = Deadlines.configured()
    assert configured.focal_point_days == 14  # the application's durations differ

    due = nominations_due(db, START)
    named_by = {(i.state_code, i.role): i.due_on for i in due if i.side == "under_review"}
    assert named_by[("GHA", "focal_point")] == date(2027, 2, 7)
    assert named_by[("GHA", "experts")] == date(2027, 2, 10)

    # Eight days in, the focal points are overdue on the dashboard, not yet the experts.
    rows = board.dashboard(db, board.DashboardFilters(phase.id), configured, date(2027, 2, 8))
    assert {row.overdue for row in rows} == {("focal_point",)}

    review = reviews_of(db, phase)[0]
    review.status, review.submitted_at = "submitted", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    db.add(review)
    db.commit()
    items = {i.key: i.due_on for i in due_items(db, START, configured)}
    assert items[f"feedback:{review.id}"] == date(2027, 4, 1)  # one month, not six


def test_a_phase_opened_before_the_form_had_durations_follows_the_application(
    db: Session, shipped_banks: object, secretariat: User
) -> None:
    phase = open_phase(db, secretariat)
    assert phase.focal_point_days is None
    assert Deadlines.configured().of_phase(phase) == Deadlines.configured()
    assert {r.answers_due_on for r in reviews_of(db, phase)} == {date(2027, 7, 31)}


def test_changing_the_durations_asks_first_then_moves_the_answers_and_tells_the_state(
    db: Session,
    shipped_banks: object,
    secretariat: User,
    signed_in: FlaskClient,
    make_user: Callable[..., User],
) -> None:
    phase = open_phase(db, secretariat, Deadlines(14, 28, 6, 6))
    ghana = [r for r in reviews_of(db, phase) if r.state_code == "GHA"]
    france = [r for r in reviews_of(db, phase) if r.state_code == "FRA"]
    focal = make_user("GHA")
    services.add_member(db, ghana[0], focal, "focal_point")
    for review in france:
        review.status, review.submitted_at = "submitted", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
        db.add(review)
    db.commit()
    data = {"focal_point_days": "14", "experts_days": "28", "answers_months": "9",
            "feedback_months": "6"}  # fmt: skip

    page = text_of(signed_in.get(f"/phases/{phase.id}/deadlines/"))
    assert 'name="answers_months" value="6"' in page

    check = signed_in.post(f"/phases/{phase.id}/deadlines/", data=data)
    assert check.status_code == 200
    text = text_of(check)
    assert "Check the new deadlines" in text
    assert "Ghana" in text and "31 July 2027" in text and "31 October 2027" in text
    assert "France" not in text.split("What will happen")[1].split("Who will be told")[0]
    assert "e-mailed their new answers deadline" in text
    db.expire_all()
    assert db.get(ReviewPhase, phase.id).answers_months == 6  # type: ignore[union-attr]
    assert db.get(Review, ghana[0].id).answers_due_on == date(2027, 7, 31)  # type: ignore[union-attr]
    assert not db.exec(select(OutboxMessage)).all()

    done = signed_in.post(
        f"/phases/{phase.id}/deadlines/", data={**data, "confirmed": "yes"}, follow_redirects=True
    )
    told = f"The focal points and experts of {len(ghana)} reviews have been told"
    assert told in text_of(done)
    db.expire_all()
    assert db.get(ReviewPhase, phase.id).answers_months == 9  # type: ignore[union-attr]
    assert {db.get(Review, r.id).answers_due_on for r in ghana} == {date(2027, 10, 31)}  # type: ignore[union-attr]
    assert {db.get(Review, r.id).answers_due_on for r in france} == {date(2027, 7, 31)}  # type: ignore[union-attr]
    messages = db.exec(select(OutboxMessage)).all()
    assert [m.to_email for m in messages] == [focal.email]
    assert "31 October 2027" in messages[0].body and "31 July 2027" in messages[0].body
    entry = db.exec(
        select(AuditEntry)
        .where(AuditEntry.action == "phase.deadlines")
        .order_by(col(AuditEntry.id))
    ).one()
    assert entry.before["answers_months"] == 6 and entry.after["answers_months"] == 9


def test_a_change_that_moves_no_answers_deadline_is_made_at_once(
    db: Session, shipped_banks: object, secretariat: User, signed_in: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, Deadlines(14, 28, 6, 6))
    response = signed_in.post(
        f"/phases/{phase.id}/deadlines/",
        data={"focal_point_days": "20", "experts_days": "28", "answers_months": "6",
              "feedback_months": "6"},
    )  # fmt: skip
    assert response.status_code == 302
    db.expire_all()
    assert db.get(ReviewPhase, phase.id).focal_point_days == 20  # type: ignore[union-attr]
    assert not db.exec(select(OutboxMessage)).all()


def test_reading_the_deadlines_page_writes_nothing(
    db: Session, shipped_banks: object, secretariat: User, signed_in: FlaskClient
) -> None:
    phase = open_phase(db, secretariat)
    before = len(db.exec(select(AuditEntry)).all())
    assert signed_in.get(f"/phases/{phase.id}/deadlines/").status_code == 200
    db.expire_all()
    assert db.get(ReviewPhase, phase.id).focal_point_days is None  # type: ignore[union-attr]
    assert len(db.exec(select(AuditEntry)).all()) == before
