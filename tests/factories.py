"""Helpers shared by the test modules: casts of reviews, answers, lists of observations,
conference room papers and readers of pages and PDFs. Fixtures live in conftest.py."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from bench.world_lists import record_meeting_of_papers
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.config import normalize_database_url
from questionnaire.db import id_of
from questionnaire.documents import services as publishing
from questionnaire.documents.crp import CrpRequest
from questionnaire.documents.models import Publication
from questionnaire.meetings.models import Meeting
from questionnaire.outbox.models import OutboxMessage
from questionnaire.responses import services
from questionnaire.responses import services as responses
from questionnaire.responses.forms import states_from_answers
from questionnaire.responses.progress import missing_required
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewPhase,
)
from questionnaire.workspace import services as observations
from questionnaire.workspace import translation_records
from questionnaire.workspace.models import ListOfObservations, ListTransition, Observation
from questionnaire.workspace.translation_records import TranslatedSummary, TranslatedText
from questionnaire.workspace.translations import list_in_language
from tests import snapshots
from tests.conftest import KEPT_TABLES, UserFactory, reviewing_states_agree

# --- answers ---


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


# --- a cast review and its workspace ---


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
    required question answered, the citation of article 5, paragraph 1, confidential).

    The first cast of a test module is made through the services; a later test of the module
    that asks for it on the same rows (the shipped banks alone, as a rule) gets the rows it
    wrote back from their snapshot, and the same users, read again (tests/snapshots.py)."""

    def read_again(cast: Cast) -> Cast:
        users: dict[str, Any] = {
            name: db.get(User, user.id)
            for name, user in vars(cast).items()
            if isinstance(user, User)
        }
        return settled(db, replace(cast, **users))

    return snapshots.once_per_module(
        db,
        f"cast, submitted={submitted}",
        KEPT_TABLES,
        make_user if isinstance(make_user, UserFactory) else None,
        lambda: _make_cast(db, make_user, make_review, member, submitted=submitted),
        read_again,
    )


def _make_cast(
    db: Session,
    make_user: Callable[..., User],
    make_review: Callable[..., Review],
    member: Callable[[Review, User, str], None],
    *,
    submitted: bool,
) -> Cast:
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


# --- spreadsheets ---


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response: TestResponse, sheet: int = 0) -> list[list[Any]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


# --- the home page ---


def awaiting_panel(client: FlaskClient) -> str:
    page = page_text(client.get("/"))
    return page.split('id="awaiting-title"', 1)[1].split("</section>", 1)[0]


# --- the database ---


IS_POSTGRES = (
    make_url(
        normalize_database_url(os.environ.get("DATABASE_URL") or "sqlite://")
    ).get_backend_name()
    == "postgresql"
)


# --- agreed lists and conference room papers ---


SYMBOL = "CTOC/COP/WG.4/2027/CRP.2"


#: The meeting the papers are made for (see `record_test_meeting`), by its agenda's symbol.
MEETING = "CTOC/COP/WG.4/2027/1"


JOB_NUMBER = "V.27-00002"


ISSUED_ON = date(2027, 7, 2)


CUTOFF = date(2027, 6, 30)


PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


PDFFONTS = shutil.which("pdffonts") or "/usr/bin/pdffonts"


#: A real Redis; the queue test uses a queue of its own on it.
REDIS_URL = "redis://127.0.0.1:6379/0"


#: An observation on a TIP cluster I article: (section key, category, text).
Element = tuple[str, str, str]


@dataclass
class Reviewed:
    """A review whose list of observations has been drafted, shared and (usually) agreed."""

    review_id: int
    state: str
    bank: Bank
    focal_point: User
    reviewer: User
    confidential_ids: list[int] = field(default_factory=list)


def open_phase(
    db: Session, secretariat: User, states: Sequence[str], instrument: str = "TIP"
) -> list[Review]:
    """A cluster I phase for `states`, lots drawn; the `instrument` review of each State."""
    phase = reviews.create_phase(
        db,
        name="Cluster I",
        cluster="I",
        state_codes=list(states),
        started_on=date(2026, 1, 5),
        max_reviews_per_state=5,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed="crp-tests")
    db.commit()
    found = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, BankVersion.instrument == instrument)
    ).all()
    by_state = {review.state_code: review for review, _version in found}
    return [by_state[state] for state in states]


def agree_list(
    db: Session,
    make_user: Callable[..., User],
    review: Review,
    elements: Iterable[Element],
    *,
    confidential: Iterable[Element] = (),
    withdrawn: Iterable[Element] = (),
    summary: str = "",
    confidential_answer: str | None = None,
    status: str = "final",
    language: str = "en",
) -> Reviewed:
    """Submit the review's answers (one of them confidential when `confidential_answer` is
    given), write the list (adding and withdrawing `withdrawn` elements) in `language` (the
    reviewer's interface language), share it, let the State keep `confidential` elements to
    itself, agree it and make it final (or stop at `status`); the meeting the papers are made
    for is recorded too."""
    record_test_meeting(db)
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    bank = bank_of(version)
    assignment = db.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.review_id == review.id, col(ReviewAssignment.is_active).is_(True)
        )
    ).first()
    assert assignment is not None, "the draw gave the review no reviewing State"
    focal_point = make_user(review.state_code)
    expert = make_user(review.state_code)
    reviewer = make_user(assignment.reviewing_state)
    reviewer.locale = language
    reviews.add_member(db, review, focal_point, "focal_point")
    reviews.add_member(db, review, expert, "expert")
    reviews.add_member(db, review, reviewer, "reviewer")
    db.commit()
    answer_required(db, review, expert)
    if confidential_answer is not None:
        cite = responses.answers_of(db, review.id)["TIP-5-1-cite"]  # type: ignore[arg-type]
        responses.save_answers(
            db,
            review,
            bank,
            expert,
            [responses.AnswerChange("TIP-5-1-cite", confidential_answer, True, cite.version)],
            kind="save",
            language="en",
        )
    responses.submit(db, review, bank, focal_point)
    kept = list(confidential)
    added = {
        element: observations.add_observation(
            db,
            review,
            bank,
            reviewer,
            section_key=element[0],
            category=element[1],
            text=element[2],
            cited_keys=[],
        )
        for element in [*elements, *kept]
    }
    for section_key, category, text in withdrawn:
        gone = observations.add_observation(
            db,
            review,
            bank,
            reviewer,
            section_key=section_key,
            category=category,
            text=text,
            cited_keys=[],
        )
        observations.withdraw_observation(db, review, gone, reviewer)
    if summary:
        lst = observations.list_of(db, review)
        observations.save_summary(
            db, review, reviewer, text=summary, base_version=lst.summary_version, word_limit=500
        )
    result = Reviewed(review.id, review.state_code, bank, focal_point, reviewer)  # type: ignore[arg-type]
    if status != "drafting":
        reviewing_states_agree(db, review)
        observations.transition(db, review, reviewer, side="reviewer", to_status="with_state")
        for element in kept:
            observations.set_confidential(
                db, review, added[element], focal_point, is_confidential=True
            )
            result.confidential_ids.append(added[element].id)  # type: ignore[arg-type]
    if status in ("agreed", "final"):
        observations.transition(db, review, focal_point, side="state", to_status="agreed")
    if status == "final":
        observations.transition(db, review, reviewer, side="reviewer", to_status="final")
    db.commit()
    return result


def record_test_meeting(db: Session) -> None:
    """The meeting of the Working Group on Trafficking in Persons that the papers are made for
    (Vienna, 5 and 6 July 2027), with CRP.2 for item 3 in its register; recorded once. The
    benchmarks make their paper for the same meeting, so both record it the same way."""
    if db.exec(select(Meeting).where(Meeting.body_code == "WG.4", Meeting.year == 2027)).first():
        return
    record_meeting_of_papers(db)
    db.commit()


def crp_request(review_ids: Sequence[int], language: str = "en", **changes: object) -> CrpRequest:
    """A paper of the test meeting for item 3 under SYMBOL, in `language`."""
    values: dict[str, object] = {
        "meeting": MEETING,
        "item": "3",
        "symbol": SYMBOL,
        "language": language,
        "issued_on": ISSUED_ON,
        "cutoff": CUTOFF,
        "review_ids": tuple(review_ids),
    }
    values.update(changes)
    return CrpRequest(**values)  # type: ignore[arg-type]


def make_crp(db: Session, request: CrpRequest, user: User) -> Publication:
    """Create the CRP and render it at once (the path without Redis)."""
    publication = publishing.create_crp(db, request, user)
    if publication.job_status != "done":
        assert publishing.render(db, publication), publication.job_error
    db.commit()
    return publication


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def pdftotext(content: bytes, tmp_path: Path, *options: str) -> str:
    """The text as poppler's pdftotext extracts it (UTF-8)."""
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    done = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", *options, str(source), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def pdffonts(content: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """pdffonts' table: one row per font, with its name, type and 'emb' column."""
    source = tmp_path / "fonts.pdf"
    source.write_bytes(content)
    lines = subprocess.run(
        [PDFFONTS, str(source)], capture_output=True, check=True, text=True, timeout=60
    ).stdout.splitlines()
    header, rule, *rows = lines
    # Columns are fixed-width; the dashes of the rule line give their extents.
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    names = [header[a:b].strip() or header[a:].split()[0] for a, b in spans]
    return [{n: row[a:b].strip() for n, (a, b) in zip(names, spans, strict=True)} for row in rows]


#: What a line break or the layout adds to text: whitespace, hyphens inserted by hyphenation
#: (U+2010 before a line break, soft hyphens) and the bidi marks pdftotext puts around
#: right-to-left runs.
_LAYOUT = re.compile(r"\u2010\s+|[\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]|\s+")


def compact(text: str) -> str:
    """`text` without what the layout adds (see _LAYOUT), to compare across line breaks."""
    return _LAYOUT.sub("", text)


def form_data(
    review_ids: Sequence[int], symbol: str = SYMBOL, **extra: object
) -> dict[str, object]:
    """What the secretariat's form posts for an English CRP of the test meeting."""
    return {
        "meeting": MEETING,
        "item": "3",
        "symbol": symbol,
        "job_number": "",
        "languages": ["en"],
        "issued_on": ISSUED_ON.isoformat(),
        "cutoff": CUTOFF.isoformat(),
        "reviews": [str(i) for i in review_ids],
        **extra,
    }


# --- a list's status ---


def set_status(db: Session, review_id: int, status: str, actor_id: int | None = None) -> None:
    """The list at `status`: the way there (both reviewing States, then the State under
    review) is tested with the workspace; here only where the list stands matters. A list
    made final gets the transition that dates it, the first time."""
    lst = (
        fresh(db)
        .exec(select(ListOfObservations).where(ListOfObservations.review_id == review_id))
        .one()
    )
    before, lst.status = lst.status, status
    db.add(lst)
    if status == "final" and actor_id is not None:
        db.add(
            ListTransition(
                list_id=id_of(lst), from_status=before, to_status="final", actor_id=actor_id
            )
        )
    db.commit()
    settled(db, None)


# --- lists of observations in the papers' languages ---


def in_french(text: str) -> str:
    """The stand-in translation of a list's text into French that the tests record."""
    return f"(fr) {text}"


def translate_list(
    db: Session,
    reviewed: Reviewed | Review,
    user: User,
    language: str = "fr",
    render: Callable[[str], str] = in_french,
) -> None:
    """Record, as the secretariat's `user`, the translation into `language` of every
    observation and summary paragraph of the review's list that needs one (`render` of its
    text), tied to the text it renders."""
    review_id = reviewed.review_id if isinstance(reviewed, Reviewed) else reviewed.id
    review = db.get(Review, review_id)
    assert review is not None
    lst = observations.list_of(db, review)
    found = list_in_language(db, review, lst, language)
    translation_records.record_translations(
        db,
        review,
        user,
        language=language,
        observations={
            item.observation.id: TranslatedText(render(item.observation.text), item.source_sha256)  # type: ignore[misc]
            for item in found.observations
            if item.status in ("missing", "stale")
        },
        summary=TranslatedSummary(
            [render(p.text) for p in found.summary.paragraphs], found.summary.source_sha256
        )
        if found.summary.status in ("missing", "stale")
        else None,
    )
    db.commit()


GHANA: list[Element] = [
    ("art-5", "suggestion", "Ghana could train labour inspectors on indicators of exploitation."),
    ("art-3", "gap", "Ghana does not yet define the abuse of a position of vulnerability."),
    ("art-3", "good_practice", "Ghana criminalizes every form of exploitation named in article 3."),
    ("art-5", "assistance_need", "Ghana asks for help with a case management database."),
]


GHANA_SUMMARY = "Ghana has a comprehensive law.\n\nIts courts apply it in practice."


KENYA: list[Element] = [("art-5", "gap", "Kenya could extend attempt to every offence.")]


KENYA_SUMMARY = "Kenya criminalizes trafficking in persons."
