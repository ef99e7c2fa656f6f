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
from tests.factories import cast_review, page_text

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


def test_the_version_stands_beside_the_title_and_the_secretariat_goes_to_the_dashboard(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    client_for: Callable[[User | None], FlaskClient],
) -> None:
    cast = cast_review(db, make_user, make_review, member)
    title = "Trafficking in Persons Protocol: criminalization and jurisdiction"
    version = '<span class="muted">(version 2)</span>'

    # The version follows the questionnaire's title, not the link to the dialogue under it.
    focal = page_text(client_for(cast.focal_point).get("/"))
    assert re.search(rf"{title}</a> {re.escape(version)}\s*<br><a [^>]*>Dialogue", focal)
    reviewer = page_text(client_for(cast.reviewer).get("/"))
    assert re.search(rf"{title}</a> {re.escape(version)}", reviewer)

    # The secretariat takes part in every review: its home page says what awaits it and leads
    # to the dashboard, whose pages list the reviews, instead of listing them all here.
    secretariat = page_text(client_for(cast.secretariat).get("/"))
    assert "What awaits you" in secretariat
    assert '<a class="button" href="/dashboard">Reviews dashboard</a>' in secretariat
    assert "<table" not in secretariat and title not in secretariat
