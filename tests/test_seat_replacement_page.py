"""The page that replaces a reviewing State says which seats are drawn again, on which
instruments, who loses access and who is told, before anything happens; its message names the
States by their UN names, never by their codes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews import services
from questionnaire.reviews.models import Review, ReviewAssignment
from tests.conftest import login


@pytest.fixture
def phase_reviews(db: Session, shipped_banks: object, secretariat: User) -> dict[str, Review]:
    """Ghana under review in a drawn phase: its reviews by instrument."""
    phase = services.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA", "NGA", "FRA", "MEX", "CHN", "PAK"],
        started_on=date(2025, 8, 31),
        max_reviews_per_state=3,
        user=secretariat,
    )
    services.draw_phase(db, phase, secretariat, seed="replacement-page")
    db.commit()
    return {
        instrument: review
        for review, instrument in db.exec(
            select(Review, BankVersion.instrument)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id, Review.state_code == "GHA")
        )
    }


def held_by(db: Session, reviews: dict[str, Review], seat: ReviewAssignment) -> set[str]:
    """The instruments of Ghana on which `seat`'s State holds the same seat, active."""
    return {
        instrument
        for instrument, review in reviews.items()
        for a in services.active_assignments(db, [review.id])  # type: ignore[list-item]
        if a.reviewing_state == seat.reviewing_state and a.seat == seat.seat
    }


def name(db: Session, code: str) -> str:
    state = db.get(State, code)
    assert state is not None
    return state_name(state, "en")


def test_the_page_lists_every_seat_drawn_again_and_who_is_told(
    db: Session,
    phase_reviews: dict[str, Review],
    secretariat: User,
    client: FlaskClient,
    make_user: Callable[..., User],
) -> None:
    # The seat whose State holds the same seat on the most instruments of Ghana.
    seats = [
        a
        for review in phase_reviews.values()
        for a in services.active_assignments(db, [review.id])  # type: ignore[list-item]
    ]
    seat = max(seats, key=lambda a: len(held_by(db, phase_reviews, a)))
    instruments = held_by(db, phase_reviews, seat)
    assert len(instruments) > 1
    expert = make_user(seat.reviewing_state)
    expert.full_name = "Rita Reviewer"
    db.add(expert)
    services.add_member(db, db.get(Review, seat.review_id), expert, "reviewer")  # type: ignore[arg-type]
    db.commit()
    login(client, secretariat)

    page = html.unescape(client.get(f"/assignments/{seat.id}/replace").get_data(as_text=True))
    reviewing, ghana = name(db, seat.reviewing_state), name(db, "GHA")
    assert f"{reviewing} declines to review {ghana}." in page
    assert "Only this seat" not in page
    listed = re.findall(r"<tr>\s*<td>([A-Z]+)</td>", page)
    assert set(listed) == instruments and len(listed) == len(instruments)
    assert f"{len(instruments)} seats are drawn again" in page
    assert "Rita Reviewer" in page
    assert f"The people {reviewing} named for these reviews no longer see them." in page
    assert "Nobody is e-mailed." in page
    assert f"Draw a replacement for {len(instruments)} seats" in page

    response = client.post(
        f"/assignments/{seat.id}/replace", data={"reason": "Declined by note verbale."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reviews/{seat.review_id}/assignments")
    ended = db.exec(
        select(ReviewAssignment).where(col(ReviewAssignment.is_active).is_(False))
    ).all()
    # Exactly the seats the page listed ended, no more, no fewer.
    assert {a.review_id for a in ended} == {phase_reviews[i].id for i in instruments}
    new = sorted(
        {
            a.reviewing_state
            for a in db.exec(select(ReviewAssignment).where(col(ReviewAssignment.is_active)))
            if a.review_id in {phase_reviews[i].id for i in instruments} and a.seat == seat.seat
        }
    )
    followed = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    expected = " and ".join(name(db, code) for code in new) if len(new) <= 2 else None
    assert f"{reviewing} has been replaced by " in followed
    if expected:
        assert f"{reviewing} has been replaced by {expected}." in followed
    assert f"{seat.reviewing_state} has been replaced" not in followed

    again = html.unescape(client.get(f"/assignments/{seat.id}/replace").get_data(as_text=True))
    assert "This seat has already been replaced." in again
    assert "Draw a replacement" not in again


def test_the_message_is_in_the_readers_language(
    db: Session,
    phase_reviews: dict[str, Review],
    make_user: Callable[..., User],
    client: FlaskClient,
) -> None:
    seat = services.active_assignments(db, [phase_reviews["TIP"].id])[0]  # type: ignore[list-item]
    login(client, make_user(None, secretariat=True, locale="fr"))
    page = html.unescape(client.get(f"/assignments/{seat.id}/replace").get_data(as_text=True))
    french = db.get(State, seat.reviewing_state)
    assert french is not None
    assert state_name(french, "fr") in page
    assert "Personne ne reçoit de courriel." in page
    response = client.post(
        f"/assignments/{seat.id}/replace",
        data={"reason": "Désistement."},
        follow_redirects=True,
    )
    message = html.unescape(response.get_data(as_text=True))
    assert re.search(rf"Remplacement effectué : .+ remplace {state_name(french, 'fr')}\.", message)
