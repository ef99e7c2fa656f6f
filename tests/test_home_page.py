"""The home page says, for each review, its phase and how far the answers are."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask.testing import FlaskClient
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from tests.conftest import login

MAY_2 = date(2027, 5, 2)


def test_the_home_page_shows_each_reviews_phase_and_progress(
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: object,
    member: Callable[[Review, User, str], None],
) -> None:
    secretariat = make_user(None, secretariat=True)
    phase = reviews.create_phase(
        db, name="Cluster I, group 2", cluster="I", state_codes=["GHA"], started_on=MAY_2,
        max_reviews_per_state=3, user=secretariat,
    )  # fmt: skip
    db.commit()
    review = db.exec(select(Review).where(Review.phase_id == phase.id)).first()
    assert review is not None
    expert = make_user("GHA")
    member(review, expert, "expert")
    login(client, expert)

    page = client.get("/").get_data(as_text=True)

    assert "Phase: Cluster I, group 2" in page
    assert re.search(r"0 of \d+ required answers", page)
