"""Drawing the lots of a phase from several requests at once: one draw, two seats per review,
and every other request told that the draw is done (never a 500).

Only PostgreSQL runs requests truly in parallel (SQLite serialises writers), so the file is
skipped on SQLite; tests/test_draw_record.py checks the second draw in turn on both.
"""

from __future__ import annotations

import html
import threading
from collections import Counter
from datetime import date

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.db import id_of
from questionnaire.reviews import services
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewPhase
from tests.conftest import login
from tests.factories import IS_POSTGRES

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES, reason="only PostgreSQL runs concurrent transactions; SQLite serialises them"
)
REQUESTS = 5
DONE = "The lots of this phase have been drawn: replace single seats instead."


def run_at_once(app: Flask, user: User, url: str, data: dict[str, str] | None = None) -> list[str]:
    """POST `url` from REQUESTS logged-in clients released together; the pages they end on."""
    clients = []
    for _ in range(REQUESTS):
        client = app.test_client()
        login(client, user)
        clients.append(client)
    start = threading.Barrier(REQUESTS, timeout=60)
    pages: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        try:
            start.wait()
            response = clients[index].post(url, data=data or {}, follow_redirects=True)
            with lock:
                pages.append(
                    f"{response.status_code} {html.unescape(response.get_data(as_text=True))}"
                )
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return pages


def active_seats(db: Session, phase_id: int) -> list[ReviewAssignment]:
    db.expire_all()
    return list(
        db.exec(
            select(ReviewAssignment)
            .join(Review, col(Review.id) == ReviewAssignment.review_id)
            .where(Review.phase_id == phase_id, col(ReviewAssignment.is_active))
        )
    )


@pytest.fixture
def phase(db: Session, shipped_banks: object, secretariat: User) -> ReviewPhase:
    opened = services.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA", "NGA", "FRA", "MEX", "CHN", "PAK", "BTN"],
        started_on=date(2025, 8, 31),
        max_reviews_per_state=3,
        user=secretariat,
    )
    db.commit()
    return opened


def test_draws_at_once_record_one_draw_and_two_seats_per_review(
    app: Flask, db: Session, phase: ReviewPhase, secretariat: User
) -> None:
    pages = run_at_once(app, secretariat, f"/phases/{phase.id}/draw")
    assert all(page.startswith("200 ") for page in pages), [p[:200] for p in pages]
    assert sum("The lots have been drawn (seed" in page for page in pages) == 1
    assert sum(DONE in page for page in pages) == REQUESTS - 1
    db.expire_all()
    assert len(db.exec(select(ReviewDraw).where(ReviewDraw.phase_id == phase.id)).all()) == 1
    per_review = Counter((a.review_id, a.seat) for a in active_seats(db, id_of(phase)))
    assert set(per_review.values()) == {1}
    assert len(per_review) == 2 * len(
        db.exec(select(Review).where(Review.phase_id == phase.id)).all()
    )


def test_replacements_of_one_seat_at_once_replace_it_once(
    app: Flask, db: Session, phase: ReviewPhase, secretariat: User
) -> None:
    services.draw_phase(db, phase, secretariat)
    db.commit()
    seat = active_seats(db, id_of(phase))[0]
    pages = run_at_once(
        app, secretariat, f"/assignments/{seat.id}/replace", {"reason": "Declined by note verbale."}
    )
    assert all(page.startswith("200 ") for page in pages), [p[:200] for p in pages]
    assert sum("has been replaced by" in page for page in pages) == 1
    assert sum("This seat has already been replaced." in page for page in pages) == REQUESTS - 1
    db.expire_all()
    replacements = db.exec(select(ReviewDraw).where(ReviewDraw.kind == "replacement")).all()
    assert len(replacements) == 1
    per_review = Counter((a.review_id, a.seat) for a in active_seats(db, id_of(phase)))
    assert set(per_review.values()) == {1}
