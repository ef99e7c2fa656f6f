"""Reading never writes: opening a review's workspace, its articles, its list of observations,
the list's exports and the documents leaves every table as it was, whoever reads them. (A
workspace used to create an empty list of observations, in drafting, for a review whose
answers were still being written, as soon as the secretariat opened it.) The list is created
by its first change."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session, col

from questionnaire.accounts.models import User
from questionnaire.db import metadata
from questionnaire.workspace.models import ListOfObservations
from tests.factories import Cast, Workspace, cast_review, fresh, settled

Client = Callable[[User | None], FlaskClient]


def row_counts(db: Session) -> dict[str, int]:
    """The number of rows of every table."""
    session = fresh(db)
    counts = {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in metadata.sorted_tables
    }
    return settled(db, counts)


def pages(review_id: int) -> list[str]:
    base = f"/reviews/{review_id}/workspace"
    return [
        f"{base}/",
        f"{base}/sections/art-3",
        f"{base}/sections/art-5",
        f"{base}/list",
        f"{base}/list.xlsx",
        f"{base}/list.csv",
        "/documents/",
    ]


def lists_of(db: Session, review_id: int) -> list[ListOfObservations]:
    query = select(ListOfObservations).where(col(ListOfObservations.review_id) == review_id)
    return settled(db, list(fresh(db).execute(query).scalars()))


def test_the_secretariat_opening_a_review_still_answering_creates_nothing(
    db: Session, make_user, make_review, member, client_for: Client
) -> None:
    cast = cast_review(db, make_user, make_review, member, submitted=False)
    client = client_for(cast.secretariat)
    before = row_counts(db)
    for url in pages(cast.review_id):
        response = client.get(url)
        assert response.status_code == 200, url
    assert row_counts(db) == before
    assert lists_of(db, cast.review_id) == []


def test_no_one_reading_a_submitted_review_writes_anything(
    db: Session, make_user, make_review, member, client_for: Client
) -> None:
    cast: Cast = cast_review(db, make_user, make_review, member)
    readers = [cast.secretariat, cast.reviewer, cast.other_reviewer, cast.focal_point]
    readers += [cast.expert, cast.observer, cast.outsider]
    clients = [client_for(user) for user in readers]  # logging in writes; reading must not
    before = row_counts(db)
    for client in clients:
        for url in pages(cast.review_id):
            assert client.get(url).status_code in (200, 403, 404), url
    assert row_counts(db) == before
    assert lists_of(db, cast.review_id) == []

    # The first change creates the list, in drafting.
    reviewer = Workspace(clients[1], cast.review_id)
    assert reviewer.add("art-5", "gap", "Attempt is not an offence.", []).status_code == 302
    (created,) = lists_of(db, cast.review_id)
    assert created.status == "drafting"
