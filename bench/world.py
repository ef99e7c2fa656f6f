"""A generated world at the scale of the whole mechanism, for the scale benchmarks.

    build_world(app, WorldSize(197))     # every State on file; WorldSize(50) for a smaller one

What it holds, and how each part is made (services where a person's action goes through them,
bulk inserts where the services would take minutes and nothing they check is at stake):

- the States of questionnaire/reference/data/states.yaml (all 197, or N of them evenly spread
  over the regional groups): `reference.load_states`, a service;
- every question bank of question_banks/ (clusters I and II are the only ones on file, for the
  four instruments): `banks.load_banks`, a service;
- an earlier cycle of cluster I: every State's submitted review of each instrument it is party
  to, on the first version of its questionnaire, every question answered with one to four
  revisions, about 5 % confidential, by the State's focal point: BULK INSERTS (reviews,
  memberships, answers, revisions; no audit entries), since saving 45,000 answers through
  `save_answers` would take longer than everything measured;
- a phase of cluster I of 64 States (a third of the world, as in the mechanism), opened by
  `reviews.create_phase` (a service: one review per State and instrument, the earlier answers
  carried forward with their revision and audit entry) and drawn by `reviews.draw_phase`;
- the lists of observations of 20 of the phase's States (their Trafficking in Persons reviews,
  whose lists go to a working group's papers): answers confirmed and submitted, observations,
  summary, agreement of both reviewing States, shared, one element kept confidential, agreed and
  made final, all through the services (`bench/world_lists.py`), and the meeting whose paper
  they go into.

The world is written through the application's engine, so it runs on SQLite (the tiny world
of tests/test_bench_world.py) and on PostgreSQL (the scale benchmark).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from bench import world_lists
from bench.stats import median
from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.config import PROJECT_ROOT
from questionnaire.reference import services as reference
from questionnaire.reference.models import State
from questionnaire.reference.services import instruments_as_at
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewMembership, ReviewPhase
from questionnaire.workspace.models import ListOfObservations

ALL_STATES = 197
BANKS_DIR = PROJECT_ROOT / "question_banks"
CLUSTER = "I"
EARLIER_CYCLE_START = date(2021, 1, 4)
PHASE_START = date(2026, 1, 5)
MAX_REVIEWS_PER_STATE = 3
CONFIDENTIAL_SHARE = 0.05
#: Revisions per answer: drawn from this list (a few saves, some autosaves).
REVISION_COUNTS = (1, 2, 2, 3, 4)
SECRETARIAT_EMAIL = "secretariat@unodc.example"
EARLIER_CYCLE = "Cluster I, earlier cycle"
PHASE_NAME = "Cluster I, group 1"
PASSWORD = "correct horse battery staple"
SEED = 20261202
TEXTS = (
    "The Criminal Code, as amended in 2019, covers the conduct the article describes; the "
    "courts have applied the provisions in a number of cases since.",
    "A draft law before Parliament would extend the offence to attempts and to the "
    "organization of the conduct; the government expects its adoption within the year.",
    "The provisions apply to natural and legal persons alike, and the prosecution service "
    "keeps statistics of the investigations and of the convictions obtained.",
    "Guidelines for prosecutors were issued by the Attorney General, and training on them is "
    "given every year with the support of regional partners.",
)


@dataclass(frozen=True)
class WorldSize:
    """How big a world: `states` States, a phase of a third of them, lists of a tenth."""

    states: int = ALL_STATES

    @property
    def phase_states(self) -> int:
        return max(2, round(self.states * 64 / ALL_STATES))

    @property
    def list_states(self) -> int:
        return max(1, round(self.states * 20 / ALL_STATES))


@dataclass
class World:
    """What the benchmarks need to find in the world, and what building it took."""

    states: list[str]
    phase_id: int
    consolidated_version_id: int  # the earlier cycle's UNTOC questionnaire, answered by all
    consolidated_states: int
    consolidated_questions: int
    list_review_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per step of the build
    draw_ms: list[float] = field(default_factory=list)  # every draw timed, see `_draw`
    draw_cpu_ms: list[float] = field(default_factory=list)  # the same in CPU time


def chosen_states(n: int) -> list[dict[str, Any]]:
    """N entries of the States file, evenly spread over the file ordered by regional group:
    each group keeps its share of the whole."""
    entries = sorted(reference.read_states(), key=lambda e: (e["group"], e["code"]))
    if n >= len(entries):
        return entries
    return [entries[(i * len(entries)) // n] for i in range(n)]


def _load_reference(db: Session, n: int) -> list[str]:
    entries = chosen_states(n)
    with tempfile.TemporaryDirectory(prefix="bench-world-") as folder:
        path = Path(folder) / "states.yaml"
        path.write_text(yaml.safe_dump({"states": entries}), encoding="utf-8")
        reference.load_states(db, path)
    return [entry["code"] for entry in entries]


def answer_value(question: Question, rng: random.Random, round_: int = 0) -> Any:
    """A valid value of the question's type; `round_` varies the text of earlier revisions."""
    keys = question.option_keys()
    if question.type in ("yes_no_partial", "single_choice"):
        return rng.choice(keys)
    if question.type == "multiple_choice":
        chosen = set(rng.sample(keys, rng.randint(1, min(3, len(keys)))))
        return [key for key in keys if key in chosen]
    if question.type == "links":
        return [f"https://sherloc.unodc.org/cld/en/legislation/{question.key.lower()}.html"]
    draft = "" if round_ == 0 else f"(draft {round_}) "
    return f"{draft}{TEXTS[rng.randrange(len(TEXTS))]} ({question.key})"


def _focal_points(db: Session, codes: list[str]) -> dict[str, User]:
    """A focal point per State, without a password (nobody logs in as them)."""
    users = {
        code: User(
            email=f"focal.point@{code.lower()}.example",
            full_name=f"Focal point of {code}",
            state_code=code,
            locale="en",
        )
        for code in codes
    }
    db.add_all(users.values())
    db.flush()
    return users


def _earlier_cycle(
    db: Session,
    versions: dict[str, BankVersion],
    focal: dict[str, User],
    rng: random.Random,
) -> tuple[int, int]:
    """Every State's submitted reviews of the earlier cycle, answered in full with history:
    bulk inserts. Returns (answers, revisions)."""
    party_to = instruments_as_at(db, EARLIER_CYCLE_START)
    phase = ReviewPhase(
        name=EARLIER_CYCLE,
        cluster=CLUSTER,
        started_on=EARLIER_CYCLE_START,
        max_reviews_per_state=MAX_REVIEWS_PER_STATE,
    )
    db.add(phase)
    db.flush()
    submitted = datetime(2021, 6, 30, 12, tzinfo=UTC)
    created = [
        Review(
            state_code=code,
            bank_version_id=database.id_of(version),
            status="submitted",
            started_on=EARLIER_CYCLE_START,
            answers_due_on=EARLIER_CYCLE_START + timedelta(days=180),
            phase_id=phase.id,
            submitted_at=submitted,
            submitted_by_id=user.id,
        )
        for code, user in focal.items()
        for instrument, version in sorted(versions.items())
        if instrument in party_to.get(code, ())
    ]
    db.add_all(created)
    db.flush()
    db.add_all(
        ReviewMembership(
            review_id=database.id_of(review),
            user_id=database.id_of(focal[review.state_code]),
            role="focal_point",
        )
        for review in created
    )
    db.flush()
    bank_by_version = {database.id_of(v): banks.bank_of(v) for v in versions.values()}
    return _answers_with_history(db, created, bank_by_version, focal, submitted, rng)


def _answers_with_history(
    db: Session,
    created: list[Review],
    bank_by_version: dict[int, Bank],
    focal: dict[str, User],
    submitted: datetime,
    rng: random.Random,
) -> tuple[int, int]:
    plans: dict[tuple[int, str], list[tuple[Any, bool]]] = {}
    rows = []
    for review in created:
        bank = bank_by_version[review.bank_version_id]
        for question in bank.questions:
            count = rng.choice(REVISION_COUNTS)
            confidential = rng.random() < CONFIDENTIAL_SHARE
            history = [(answer_value(question, rng, count - n), False) for n in range(1, count)]
            history.append((answer_value(question, rng), confidential))
            plans[(database.id_of(review), question.key)] = history
            rows.append(
                {
                    "review_id": review.id,
                    "question_key": question.key,
                    "value": history[-1][0],
                    "is_confidential": confidential,
                    "version": count,
                    "language": "en",
                    "is_carried_forward": False,
                    "updated_at": submitted,
                    "updated_by_id": focal[review.state_code].id,
                }
            )
    db.exec(insert(Answer), params=rows)  # type: ignore[call-overload]
    by_review = {database.id_of(review): review for review in created}
    stored = db.exec(
        select(Answer.id, Answer.review_id, Answer.question_key).where(
            col(Answer.review_id).in_(list(by_review))
        )
    ).all()
    revisions = []
    for answer_id, review_id, key in stored:
        author = focal[by_review[review_id].state_code].id
        history = plans[(review_id, key)]
        for version, (value, confidential) in enumerate(history, start=1):
            at = submitted - timedelta(days=3 * (len(history) - version))
            revisions.append(
                {
                    "answer_id": answer_id,
                    "version": version,
                    "kind": "save" if version in (1, len(history)) else "autosave",
                    "value": value,
                    "is_confidential": confidential,
                    "language": "en",
                    "changed_by_id": author,
                    "started_at": at,
                    "changed_at": at,
                }
            )
    db.exec(insert(AnswerRevision), params=revisions)  # type: ignore[call-overload]
    return len(rows), len(revisions)


def _cluster_versions(added: list[BankVersion], *, latest: bool) -> dict[str, BankVersion]:
    """The first (or latest) published version of each instrument's cluster I questionnaire."""
    found: dict[str, BankVersion] = {}
    for version in sorted(added, key=lambda v: v.version, reverse=not latest):
        if version.cluster == CLUSTER and version.status == "published":
            found[version.instrument] = version
    return found


def _draw(
    db: Session, phase: ReviewPhase, secretariat: User, rehearsals: int
) -> tuple[list[float], list[float]]:
    """Draw the phase's lots: `rehearsals` draws rolled back, then the one kept (committed).
    Returns the milliseconds of each, in wall-clock and CPU time."""
    wall, cpu_time = [], []
    for number in range(rehearsals + 1):
        kept = number == rehearsals
        savepoint = None if kept else db.begin_nested()
        started, cpu = time.perf_counter(), time.process_time()
        reviews.draw_phase(db, phase, secretariat, seed=f"bench-world-{number}")
        if kept:
            db.commit()
        else:
            db.flush()
        wall.append((time.perf_counter() - started) * 1000)
        cpu_time.append((time.process_time() - cpu) * 1000)
        if savepoint is not None:
            savepoint.rollback()
    return wall, cpu_time


def _phase(db: Session, codes: list[str], size: WorldSize, secretariat: User) -> ReviewPhase:
    """The phase of a third of the States, evenly spread over those party to an instrument,
    with their focal points named."""
    party_to = instruments_as_at(db, PHASE_START)
    parties = [code for code in codes if party_to.get(code)]
    chosen = [parties[(i * len(parties)) // size.phase_states] for i in range(size.phase_states)]
    phase = reviews.create_phase(
        db,
        name=PHASE_NAME,
        cluster=CLUSTER,
        state_codes=chosen,
        started_on=PHASE_START,
        max_reviews_per_state=MAX_REVIEWS_PER_STATE,
        user=secretariat,
    )
    focal = {
        user.state_code: user
        for user in db.exec(select(User).where(col(User.state_code).in_(chosen)))
    }
    db.add_all(
        ReviewMembership(
            review_id=database.id_of(review),
            user_id=database.id_of(focal[review.state_code]),
            role="focal_point",
        )
        for review in db.exec(select(Review).where(Review.phase_id == phase.id))
    )
    db.flush()
    return phase


def build_world(
    app: Flask,
    size: WorldSize = WorldSize(),
    *,
    draw_rehearsals: int = 2,
    progress: Callable[[str], None] = lambda message: None,
) -> World:
    """Fill the migrated, empty database of `app` with a world of `size` (see the module's
    docstring); needs an application context. Returns what the benchmarks look for."""
    rng = random.Random(SEED)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = now - clock
        clock = now
        progress(f"{name}: {seconds[name]:.1f} s")

    with Session(database.get_engine(app), expire_on_commit=False) as db:
        codes = _load_reference(db, size.states)
        added = banks.load_banks(db, banks.discover_bank_files(BANKS_DIR)).added
        secretariat = accounts.create_user(
            db,
            email=SECRETARIAT_EMAIL,
            full_name="Secretariat",
            state_code=None,
            password=PASSWORD,
            is_secretariat=True,
        )
        focal = _focal_points(db, codes)
        db.commit()
        step("reference_and_banks")
        earlier = _cluster_versions(added, latest=False)
        _earlier_cycle(db, earlier, focal, rng)
        db.commit()
        step("earlier_cycle_bulk")
        phase = _phase(db, codes, size, secretariat)
        db.commit()
        step("phase_services")
        draw_ms, draw_cpu_ms = _draw(db, phase, secretariat, draw_rehearsals)
        step("draw")
        world_lists.final_lists(db, phase, size.list_states, rng)
        world_lists.record_meeting_of_papers(db)
        db.commit()
        step("lists_services")
        world = find_world(db)
    world.draw_ms, world.draw_cpu_ms = draw_ms, draw_cpu_ms
    world.seconds = seconds
    progress(f"draws: median {median(world.draw_ms):.0f} ms of {len(world.draw_ms)}")
    return world


def _count(db: Session, query: Any) -> int:
    return int(db.exec(query).one())


def find_world(db: Session) -> World:
    """The world `build_world` left in the database, without its build's times: the scale
    benchmark measures it again without building it (`--reuse`)."""
    earlier = db.exec(select(ReviewPhase).where(ReviewPhase.name == EARLIER_CYCLE)).one()
    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == PHASE_NAME)).one()
    untoc = db.exec(
        select(BankVersion)
        .where(BankVersion.instrument == "UNTOC", BankVersion.cluster == CLUSTER)
        .order_by(col(BankVersion.version))
    ).first()
    assert untoc is not None
    earlier_answers = (
        select(func.count())
        .select_from(Answer)
        .join(Review, col(Review.id) == Answer.review_id)
        .where(Review.phase_id == earlier.id)
    )
    earlier_revisions = earlier_answers.join(
        AnswerRevision, col(AnswerRevision.answer_id) == Answer.id
    )
    return World(
        states=list(db.exec(select(State.code).order_by(col(State.code))).all()),
        phase_id=database.id_of(phase),
        consolidated_version_id=database.id_of(untoc),
        consolidated_states=_count(
            db,
            select(func.count(func.distinct(Review.state_code))).where(
                Review.bank_version_id == untoc.id, Review.status == "submitted"
            ),
        ),
        consolidated_questions=len(banks.bank_of(untoc).questions),
        list_review_ids=list(
            db.exec(
                select(ListOfObservations.review_id)
                .where(ListOfObservations.status == "final")
                .order_by(col(ListOfObservations.review_id))
            ).all()
        ),
        counts=world_lists.counts(db)
        | {
            "earlier_answers": _count(db, earlier_answers),
            "earlier_revisions": _count(db, earlier_revisions),
        },
    )
