"""Helpers shared by the test modules: casts of reviews, answers, lists of observations,
conference room papers and readers of pages and PDFs. Fixtures live in conftest.py."""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.config import normalize_database_url
from questionnaire.notifications.models import OutboxMessage
from questionnaire.observations.models import (
    ListOfObservations,
    ListTransition,
    Observation,
)
from questionnaire.responses import services
from questionnaire.responses import services as responses
from questionnaire.responses.forms import states_from_answers
from questionnaire.responses.progress import missing_required
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewPhase,
)

# --- from test_answer_saving ---


def fresh(db: Session) -> Session:
    """The fixture's session, made to read what requests have committed since."""
    db.rollback()  # end the transaction (and its snapshot) if one is open
    db.expire_all()  # after a commit, rollback alone expires nothing
    return db


def bank_of_review(db: Session, review: Review) -> Bank:
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    return bank_of(version)


def sample_value(question: Question) -> Any:
    """A valid answer: the first option, or a line of text, or one link."""
    if question.type == "text":
        return f"Answer to {question.key}"
    if question.type == "links":
        return [f"https://sherloc.unodc.org/cld/{question.key}"]
    if question.type == "multiple_choice":
        return [question.option_keys()[0]]
    return question.option_keys()[0]


def answer_required(
    db: Session, review: Review, user: User, *, sections: Iterable[str] | None = None
) -> None:
    """Answer every required question shown in `sections` (all by default), and commit.

    Follow-ups that the answers reveal are answered in turn.
    """
    bank = bank_of_review(db, review)
    wanted = set(sections) if sections is not None else set(bank.sections_by_key)
    for section in bank.sections:
        if section.key not in wanted:
            continue
        while True:
            answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
            values = {key: answer.value for key, answer in answers.items()}
            missing = missing_required(bank, section, values)
            if not missing:
                break
            changes = [
                AnswerChange(
                    q.key,
                    sample_value(q),
                    False,
                    answers[q.key].version if q.key in answers else 0,
                )
                for q in missing
            ]
            services.save_answers(db, review, bank, user, changes, kind="save", language="en")
    db.commit()


def page_data(db: Session, review: Review, section_key: str, **extra: Any) -> dict[str, Any]:
    """What the article page posts when nothing is changed on it, plus `extra` fields."""
    section = bank_of_review(db, review).sections_by_key[section_key]
    data: dict[str, Any] = {}
    for key, state in states_from_answers(section, services.answers_of(db, review.id)).items():  # type: ignore[arg-type]
        data[f"version__{key}"] = state.version
        if state.confidential:
            data[f"confidential__{key}"] = "y"
        if state.data not in ("", []):
            data[key] = state.data
    return {**data, **extra}


# --- from test_workspace ---


CONFIDENTIAL_KEY = "TIP-5-1-cite"


T = TypeVar("T")


@dataclass(frozen=True)
class Cast:
    """Ghana's review of the TIP cluster I questionnaire (v2) and everyone around it."""

    review_id: int
    phase_id: int
    focal_point: User
    expert: User
    observer: User
    reviewer: User  # Nigeria: the same-region seat, active
    other_reviewer: User  # France: the other-region seat, active
    unassigned: User  # Kenya: a reviewer membership, but its seat was replaced
    outsider: User  # Brazil: no role in the review
    secretariat: User

    def review(self, db: Session) -> Review:
        review = fresh(db).get(Review, self.review_id)
        assert review is not None
        return review


def _named(db: Session, user: User, name: str) -> User:
    user.full_name = name
    db.add(user)
    db.commit()
    return user


def cast_review(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    *,
    submitted: bool = True,
) -> Cast:
    """Ghana's review with its respondents, two reviewing States on active seats, a third whose
    seat was replaced, an outsider and the secretariat; the answers submitted by default (every
    required question answered, the citation of article 5, paragraph 1, confidential)."""
    review = make_review("GHA", ("TIP", "I", 2))
    phase = ReviewPhase(name="Cluster I, group 1", cluster="I", started_on=date.today())
    db.add(phase)
    db.flush()
    review.phase_id = phase.id
    draw = ReviewDraw(phase_id=phase.id, seed="workspace-tests", inputs={}, result=[])  # type: ignore[arg-type]
    db.add_all([review, draw])
    db.flush()
    for state, seat, active in (
        ("NGA", "same_region", True),
        ("FRA", "other_region", True),
        ("KEN", "other_region", False),
    ):
        db.add(
            ReviewAssignment(
                review_id=review.id,  # type: ignore[arg-type]
                reviewing_state=state,
                seat=seat,
                draw_id=draw.id,  # type: ignore[arg-type]
                is_active=active,
                end_reason=None if active else "Kenya declined to review Ghana.",
            )
        )
    db.commit()
    people = {
        "focal_point": _named(db, make_user("GHA"), "Akosua Boateng"),
        "expert": _named(db, make_user("GHA"), "Kwame Mensah"),
        "observer": _named(db, make_user("GHA"), "Ama Owusu"),
        "reviewer": _named(db, make_user("NGA"), "Chidi Okafor"),
        "other_reviewer": _named(db, make_user("FRA"), "Claire Martin"),
        "unassigned": _named(db, make_user("KEN"), "Wanjiru Kamau"),
    }
    for role in ("focal_point", "expert", "observer"):
        member(review, people[role], role)
    for name in ("reviewer", "other_reviewer", "unassigned"):
        member(review, people[name], "reviewer")
    cast = Cast(
        review_id=review.id,  # type: ignore[arg-type]
        phase_id=phase.id,  # type: ignore[arg-type]
        outsider=_named(db, make_user("BRA"), "Joao Silva"),
        secretariat=_named(db, make_user(None, secretariat=True), "Secretariat Officer"),
        **people,
    )
    if submitted:
        submit_answers(db, cast)
    fresh(db)
    for user in vars(cast).values():
        if isinstance(user, User):
            db.refresh(user)
    return settled(db, cast)  # its users detached, read as they are now


def submit_answers(db: Session, cast: Cast) -> None:
    review = cast.review(db)
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    answer_required(db, review, cast.expert)
    cite = responses.answers_of(db, cast.review_id)[CONFIDENTIAL_KEY]
    responses.save_answers(
        db,
        review,
        bank,
        cast.expert,
        [responses.AnswerChange(CONFIDENTIAL_KEY, cite.value, True, cite.version)],
        kind="save",
        language="en",
    )
    responses.submit(db, review, bank, cast.focal_point)
    db.commit()


def workspace_url(review_id: int, path: str = "/") -> str:
    return f"/reviews/{review_id}/workspace{path}"


def page_text(response: TestResponse) -> str:
    """The page's HTML with entities decoded, for plain-text assertions."""
    return html.unescape(response.get_data(as_text=True))


def flashes(response: TestResponse) -> list[str]:
    return [
        html.unescape(m) for m in re.findall(r'role="status">([^<]*)<', response.get_data(True))
    ]


class Workspace:
    """One person's test client on one review's workspace, posting what the pages post."""

    def __init__(self, client: FlaskClient, review_id: int) -> None:
        self.client = client
        self.review_id = review_id

    def url(self, path: str = "/") -> str:
        return workspace_url(self.review_id, path)

    def get(self, path: str = "/") -> TestResponse:
        return self.client.get(self.url(path))

    def post(self, path: str, data: dict[str, Any], follow: bool = False) -> TestResponse:
        return self.client.post(self.url(path), data=data, follow_redirects=follow)

    def add(
        self, section: str, category: str, text: str, cited: list[str], follow: bool = False
    ) -> TestResponse:
        return self.post(
            f"/sections/{section}",
            {"form": "observation", "category": category, "text": text, "cited_keys": cited},
            follow,
        )

    def edit(
        self,
        observation_id: int,
        *,
        version: int,
        category: str,
        text: str,
        cited: list[str],
        follow: bool = False,
    ) -> TestResponse:
        prefix = f"o{observation_id}"
        return self.post(
            f"/observations/{observation_id}",
            {
                "action": "save",
                f"{prefix}-version": str(version),
                f"{prefix}-category": category,
                f"{prefix}-text": text,
                f"{prefix}-cited_keys": cited,
            },
            follow,
        )

    def act(self, observation_id: int, action: str, follow: bool = False) -> TestResponse:
        """withdraw, confidential or public, as the buttons post them."""
        return self.post(
            f"/observations/{observation_id}", {"action": action, "next": "list"}, follow
        )

    def message(self, section: str, kind: str, body: str, follow: bool = False) -> TestResponse:
        return self.post(
            f"/sections/{section}",
            {"form": "message", "message-kind": kind, "message-body": body},
            follow,
        )

    def summary(self, text: str, version: int, follow: bool = False) -> TestResponse:
        return self.post(
            "/list",
            {"form": "summary", "summary-summary": text, "summary-version": str(version)},
            follow,
        )

    def comment(self, body: str, follow: bool = False) -> TestResponse:
        return self.post("/list", {"form": "comment", "comment-body": body}, follow)

    def move(self, to_status: str, follow: bool = False) -> TestResponse:
        return self.post("/list/transition", {"to_status": to_status}, follow)

    def agree(self, follow: bool = False) -> TestResponse:
        """The reviewer's State agrees to the list as it stands (the confirmation's form)."""
        return self.post("/list/agreement", {}, follow)


def settled(db: Session, value: T) -> T:
    """`value`, read, with the read's transaction ended and its rows kept as they were read: no
    transaction of the test stays open while the next requests run (on PostgreSQL it would
    hold its locks across them, and a concurrent DROP SCHEMA would wait on both)."""
    for row in list(db.identity_map.values()):
        # Rows expired by an earlier `fresh` are loaded again first: detached, they could not be.
        if inspect(row).expired_attributes:
            db.refresh(row)
    db.expunge_all()
    db.rollback()
    return value


def the_list(db: Session, review_id: int) -> ListOfObservations:
    query = select(ListOfObservations).where(ListOfObservations.review_id == review_id)
    return settled(db, fresh(db).exec(query).one())


def observations_of(db: Session, review_id: int) -> list[Observation]:
    query = select(Observation).where(Observation.review_id == review_id)
    return settled(db, list(fresh(db).exec(query.order_by(col(Observation.id)))))


def transitions(db: Session, review_id: int) -> list[tuple[str, str, int]]:
    lst = the_list(db, review_id)
    query = select(ListTransition).where(ListTransition.list_id == lst.id)
    return settled(
        db,
        [
            (t.from_status, t.to_status, t.actor_id)
            for t in db.exec(query.order_by(col(ListTransition.id)))
        ],
    )


def outbox(db: Session) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    return settled(db, list(fresh(db).exec(query)))


# --- from test_exports ---


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response: TestResponse, sheet: int = 0) -> list[list[Any]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


# --- from test_review_notifications ---


def awaiting_panel(client: FlaskClient) -> str:
    page = page_text(client.get("/"))
    return page.split('id="awaiting-title"', 1)[1].split("</section>", 1)[0]


# --- from test_concurrency ---


IS_POSTGRES = (
    make_url(
        normalize_database_url(os.environ.get("DATABASE_URL") or "sqlite://")
    ).get_backend_name()
    == "postgresql"
)
