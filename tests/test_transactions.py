"""The request edge: a GET, HEAD or OPTIONS only reads and ends without a COMMIT, its
transaction read-only in the database so that a write fails rather than being lost; other
requests commit, and so does a view marked as writing when read."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.responses import services
from questionnaire.reviews.models import Review
from questionnaire.workspace.models import ListOfObservations
from tests.conftest import login
from tests.factories import answer_required, bank_of_review, fresh


@pytest.fixture
def commits(app: Flask) -> Iterator[list[str]]:
    """The COMMITs the application's engine makes while the test runs."""
    seen: list[str] = []
    engine = database.get_engine(app)

    def on_commit(_connection: object) -> None:
        seen.append("commit")

    event.listen(engine, "commit", on_commit)
    yield seen
    event.remove(engine, "commit", on_commit)


@pytest.fixture
def ghana(
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
) -> tuple[Review, dict[str, User]]:
    """Ghana's review, with its focal point and an expert."""
    review = make_review("GHA")
    people = {role: make_user("GHA") for role in ("focal_point", "expert")}
    for role, user in people.items():
        member(review, user, role)
    return review, people


def logged_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    login(client, user)
    return client


def test_reading_commits_nothing_and_writing_commits(
    app: Flask, db: Session, ghana: tuple[Review, dict[str, User]], commits: list[str]
) -> None:
    review, people = ghana
    client = logged_in(app, people["expert"])
    page = f"/reviews/{review.id}/sections/art-5"

    commits.clear()
    assert client.get(page).status_code == 200
    assert client.get(f"/reviews/{review.id}/").status_code == 200
    assert commits == []

    item = {"key": "TIP-5-1", "value": "yes", "base_version": 0}
    saved = client.post(f"{page}/autosave", json={"answers": [item]})
    assert saved.status_code == 200 and saved.get_json()["saved"] == {"TIP-5-1": 1}
    assert commits == ["commit"]
    assert services.answers_of(fresh(db), database.id_of(review))["TIP-5-1"].value == "yes"


def test_opening_the_workspace_writes_and_commits_nothing(
    app: Flask, db: Session, ghana: tuple[Review, dict[str, User]], commits: list[str]
) -> None:
    """The workspace no longer creates the review's list of observations when it is read."""
    review, people = ghana
    focal = people["focal_point"]
    answer_required(db, review, focal)
    services.submit(db, review, bank_of_review(db, review), focal)
    db.commit()
    client = logged_in(app, focal)
    commits.clear()
    assert client.get(f"/reviews/{review.id}/workspace/").status_code == 200
    assert commits == []
    lists = fresh(db).exec(
        select(ListOfObservations).where(ListOfObservations.review_id == review.id)
    )
    assert lists.all() == []


def test_a_request_that_only_reads_cannot_write(app: Flask, db: Session, ghana: tuple) -> None:
    """Were a GET to write, the rollback that ends it would lose the write without a word:
    the database refuses it instead, at once."""
    _review, people = ghana
    user_id = people["expert"].id
    with app.test_request_context("/", method="GET"):
        session = database.session()
        assert database.is_read_only(session)
        user = session.get(User, user_id)
        assert user is not None
        user.full_name = "Changed while reading"
        with pytest.raises(DBAPIError):
            session.flush()
    with app.test_request_context("/", method="POST"):
        assert not database.is_read_only(database.session())
    assert fresh(db).get(User, user_id).full_name != "Changed while reading"  # type: ignore[union-attr]


def test_a_connection_a_reader_used_writes_again_for_the_next_request(
    app: Flask, db: Session, ghana: tuple[Review, dict[str, User]], commits: list[str]
) -> None:
    """The read-only mark goes with the request, not with the pooled connection."""
    review, people = ghana
    client = logged_in(app, people["expert"])
    page = f"/reviews/{review.id}/sections/art-5"
    for value in ("yes", "no"):
        assert client.get(page).status_code == 200
        answer = services.answers_of(fresh(db), database.id_of(review)).get("TIP-5-1")
        item = {"key": "TIP-5-1", "value": value, "base_version": answer.version if answer else 0}
        saved = client.post(f"{page}/autosave", json={"answers": [item]})
        assert saved.status_code == 200 and saved.get_json()["saved"], saved.get_json()
    assert services.answers_of(fresh(db), database.id_of(review))["TIP-5-1"].value == "no"


def test_a_view_marked_as_writing_when_read_commits_its_get(app: Flask, db: Session) -> None:
    """Showing the two-step verification setup stores a new secret: its GET commits."""
    view = app.view_functions["account.two_factor_setup"]
    assert getattr(view, "writes_when_read", False)
    with app.test_request_context("/account/two-factor/setup", method="GET"):
        assert not database.is_read_only(database.session())
