"""Saving answers at the same moment: no acknowledged save is ever lost, none is applied twice,
and a refused save is always reported as a conflict.

Twenty people (several experts of Ghana, each in more than one browser tab) save the same
answer at once, through the autosave endpoint as app.js does, round after round; some also save
an answer that nobody else touches in the same request. Only PostgreSQL runs requests truly in
parallel (SQLite serialises writers), so the file is skipped on SQLite.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import current_user, login_user
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.responses import services
from questionnaire.responses.access import load_review
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.factories import IS_POSTGRES, answer_required, bank_of_review, fresh

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES, reason="only PostgreSQL runs concurrent transactions; SQLite serialises them"
)

SECTION = "art-5"
SHARED = "TIP-5-1-cite"
#: Text answers of the section that one thread each saves, besides the shared one.
OWN = ("TIP-5-1-explain", "TIP-5-1-examples", "TIP-5-2-cite", "TIP-5-2-explain", "TIP-5-TA-specify")
THREADS = 20
EXPERTS = 5
ROUNDS = 6


@dataclass(frozen=True)
class Attempt:
    """One value sent for one answer, and what the app answered about it."""

    thread: int
    user_id: int
    key: str
    value: str
    base_version: int
    saved_version: int | None  # the new version, when the save was acknowledged
    conflict_version: int | None  # the version reported, when it was refused


def _versions(page: str) -> dict[str, int]:
    found = re.findall(r'name="version__([^"]+)" value="(\d+)"', page)
    return {key: int(version) for key, version in found}


def _outcomes(
    thread: int, user_id: int, items: list[dict[str, Any]], status: int, body: Any
) -> list[Attempt]:
    assert status == 200, (status, body)
    attempts = []
    for item in items:
        key = item["key"]
        saved = body["saved"].get(key)
        conflict = body["conflicts"].get(key)
        # Every item is either saved or refused as a conflict: never dropped without a word.
        assert (saved is None) != (conflict is None), (item, body)
        assert key not in body["unchanged"] and key not in body["invalid"], (item, body)
        attempts.append(
            Attempt(
                thread,
                user_id,
                key,
                item["value"],
                item["base_version"],
                saved,
                conflict and conflict["version"],
            )
        )
    return attempts


class Round:
    """Every thread reads the page, then (after the others have read it too, in lockstep
    rounds) saves from the versions it read."""

    def __init__(self, threads: int) -> None:
        self.read = threading.Barrier(threads, timeout=60)
        self.done = threading.Barrier(threads, timeout=60)


def _expert_thread(
    thread: int,
    client: FlaskClient,
    user: User,
    review_id: int,
    rounds: list[tuple[Round, bool]],
    record: Callable[[list[Attempt]], None],
) -> None:
    section_url = f"/reviews/{review_id}/sections/{SECTION}"
    for number, (sync, lockstep) in enumerate(rounds):
        page = client.get(section_url)
        assert page.status_code == 200
        versions = _versions(page.get_data(as_text=True))
        if lockstep:
            sync.read.wait()
        keys = [SHARED] + ([OWN[thread]] if thread < len(OWN) else [])
        items = [
            {
                "key": key,
                "value": f"Text of thread {thread}, round {number}, for {key}.",
                "is_confidential": False,
                "base_version": versions[key],
            }
            for key in keys
        ]
        response = client.post(f"{section_url}/autosave", json={"answers": items})
        record(_outcomes(thread, user.id, items, response.status_code, response.get_json()))  # type: ignore[arg-type]
        sync.done.wait()


def run_threads(target: Callable[[int], None], count: int) -> None:
    """Run `target(i)` in `count` threads; re-raise the first failure of any of them."""
    errors: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running"
    if errors:
        raise errors[0]


def check_history(db: Session, review_id: int, key: str, attempts: list[Attempt]) -> None:
    """What was acknowledged is what is stored, in order, with nothing lost or added."""
    acknowledged = sorted(
        (a for a in attempts if a.key == key and a.saved_version),
        key=lambda a: a.saved_version or 0,
    )
    versions = [a.saved_version for a in acknowledged]
    assert versions == list(range(1, len(versions) + 1)), "versions must run 1, 2, 3… once each"
    for refused in (a for a in attempts if a.key == key and a.conflict_version):
        assert refused.conflict_version > refused.base_version, refused  # type: ignore[operator]

    answer = services.answers_of(fresh(db), review_id)[key]
    last = acknowledged[-1]
    assert (answer.version, answer.value, answer.updated_by_id) == (
        last.saved_version,
        last.value,
        last.user_id,
    )
    revisions = {r.version: r for r in services.history_of(db, answer)}
    by_version = {a.saved_version: a for a in acknowledged}
    for version, revision in revisions.items():
        ack = by_version.get(version)
        assert ack is not None, f"version {version} in the history was never acknowledged"
        assert (revision.value, revision.changed_by_id) == (ack.value, ack.user_id), version
    for ack in acknowledged:
        # One person's autosaves in a row are coalesced into one revision: a version missing
        # from the history must have been followed at once by the same person's next save.
        if ack.saved_version not in revisions:
            following = by_version.get(ack.saved_version + 1)  # type: ignore[operator]
            assert following is not None and following.user_id == ack.user_id, (
                f"acknowledged save {ack} is not in the history"
            )
    refused_values = {a.value for a in attempts if a.key == key and a.conflict_version}
    assert not refused_values & {r.value for r in revisions.values()}, "a refused save was kept"


@pytest.fixture
def ghana(db, make_user, make_review, member) -> tuple[Review, list[User]]:
    """Ghana's review, the follow-ups of article 5 shown, with five experts."""
    review = make_review("GHA")
    experts = [make_user("GHA") for _ in range(EXPERTS)]
    for expert in experts:
        member(review, expert, "expert")
    bank = bank_of_review(db, review)
    services.save_answers(
        db,
        review,
        bank,
        experts[0],
        [
            services.AnswerChange("TIP-5-1", "partial", False, 0),
            services.AnswerChange("TIP-5-2", "partial", False, 0),
            services.AnswerChange("TIP-5-TA", "yes", False, 0),
        ],
        kind="save",
        language="en",
    )
    db.commit()
    return review, experts


def test_twenty_tabs_autosave_the_same_answer_and_nothing_is_lost(
    app: Flask, db: Session, ghana: tuple[Review, list[User]]
) -> None:
    review, experts = ghana
    clients = []
    for index in range(THREADS):  # four tabs for each expert, each with its own session
        client = app.test_client()
        login(client, experts[index % EXPERTS])
        clients.append(client)
    # Lockstep rounds (everyone saves from the same version) alternate with free ones.
    rounds = [(Round(THREADS), number % 2 == 0) for number in range(ROUNDS)]
    attempts: list[Attempt] = []
    lock = threading.Lock()

    def record(outcomes: list[Attempt]) -> None:
        with lock:
            attempts.extend(outcomes)

    run_threads(
        lambda i: _expert_thread(
            i,
            clients[i],
            experts[i % EXPERTS],
            id_of(review),
            rounds,
            record,  # type: ignore[arg-type]
        ),
        THREADS,
    )

    assert len(attempts) == THREADS * ROUNDS + len(OWN) * ROUNDS
    shared = [a for a in attempts if a.key == SHARED]
    assert sum(1 for a in shared if a.conflict_version) > 0, "the saves did not overlap"
    # Everyone of a lockstep round started from the same version: exactly one of them wins.
    for number in range(0, ROUNDS, 2):
        won = [a for a in shared if a.saved_version and f"round {number}," in a.value]
        assert len(won) == 1, f"round {number}: {len(won)} saves from one version succeeded"
    for key in (SHARED, *OWN):
        check_history(db, review.id, key, attempts)  # type: ignore[arg-type]
    # Nobody else saves an expert's own answer: none of those saves may have been refused.
    assert all(a.saved_version for a in attempts if a.key in OWN)
    assert len({a.value for a in attempts}) == len(attempts)


def test_concurrent_saves_through_the_services_each_leave_one_revision(
    app: Flask, db: Session, make_user, make_review, member
) -> None:
    """One session per thread, a distinct person per thread, kind "save": every acknowledged
    save is a revision of its own, with its audit entry."""
    review = make_review("GHA")
    people = [make_user("GHA") for _ in range(THREADS)]
    for person in people:
        member(review, person, "expert")
    engine = database.get_engine(app)
    attempts: list[Attempt] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS, timeout=60)

    def work(index: int) -> None:
        for number in range(4):
            with Session(engine, expire_on_commit=False) as session:
                loaded = session.get(Review, review.id)
                assert loaded is not None
                stored = services.answers_of(session, review.id).get(SHARED)  # type: ignore[arg-type]
                base = stored.version if stored else 0
                session.rollback()  # the page was read; the save is a request of its own
                barrier.wait()
                value = f"Saved by person {index} in round {number}."
                outcome = services.save_answers(
                    session,
                    session.get(Review, review.id),  # type: ignore[arg-type]
                    bank_of_review(session, loaded),
                    session.get(User, people[index].id),  # type: ignore[arg-type]
                    [services.AnswerChange(SHARED, value, False, base)],
                    kind="save",
                    language="en",
                )
                session.commit()
            conflict = outcome.conflicts.get(SHARED)
            assert (SHARED in outcome.saved) != (conflict is not None)
            with lock:
                attempts.append(
                    Attempt(
                        index,
                        people[index].id,  # type: ignore[arg-type]
                        SHARED,
                        value,
                        base,
                        outcome.saved.get(SHARED),
                        conflict.theirs_version if conflict else None,
                    )
                )

    run_threads(work, THREADS)

    check_history(db, review.id, SHARED, attempts)  # type: ignore[arg-type]
    acknowledged = [a for a in attempts if a.saved_version]
    assert len(acknowledged) == 4  # one per round: everyone started from the same version
    answer = services.answers_of(fresh(db), review.id)[SHARED]  # type: ignore[arg-type]
    assert len(services.history_of(db, answer)) == len(acknowledged)
    entries = db.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.object_type == "answer", AuditEntry.object_id == str(answer.id))
    ).one()
    assert entries == len(acknowledged)


def submitting(
    engine: Engine, review: Review, focal: User, outcome: list[BaseException | str]
) -> None:
    """The focal point submits in a session of its own (run in a thread): "submitted", or the
    exception that refused it, goes in `outcome`."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            other = session.get(Review, review.id)
            assert other is not None
            services.submit(
                session,
                other,
                bank_of_review(session, other),
                session.get(User, focal.id),  # type: ignore[arg-type]
            )
            session.commit()
            outcome.append("submitted")
        except BaseException as exc:
            session.rollback()
            outcome.append(exc)


def assert_submission_refused_after_the_save(
    db: Session,
    review: Review,
    key: str,
    thread: threading.Thread,
    submission: list[BaseException | str],
) -> None:
    """The submission waited for the save that emptied `key`, saw the emptied answer and was
    refused: the review is still being answered, the answer still empty."""
    thread.join(timeout=60)
    assert not thread.is_alive()

    assert len(submission) == 1
    assert isinstance(submission[0], RuleViolation), submission
    assert fresh(db).get(Review, review.id).status == "answering"  # type: ignore[union-attr]
    assert services.answers_of(db, review.id)[key].value is None  # type: ignore[arg-type]


@pytest.fixture
def ready_to_submit(db, make_user, make_review, member) -> Iterator[tuple[Review, User, User]]:
    """Ghana's review with every required answer given, its focal point and an expert."""
    review = make_review("GHA")
    focal, expert = make_user("GHA"), make_user("GHA")
    member(review, focal, "focal_point")
    member(review, expert, "expert")
    answer_required(db, review, expert)
    yield review, focal, expert


def test_a_save_under_way_holds_back_the_submission_until_it_is_committed(
    app: Flask, db: Session, ready_to_submit: tuple[Review, User, User]
) -> None:
    """An expert empties a required answer while the focal point submits: the submission
    must either come first (and the save be refused) or see the emptied answer (and be
    refused). Never both: submitted answers with a required one missing, or changed after."""
    review, focal, expert = ready_to_submit
    engine = database.get_engine(app)
    key = "TIP-5-1-cite"
    with Session(engine, expire_on_commit=False) as saving:
        loaded = saving.get(Review, review.id)
        assert loaded is not None
        stored = services.answers_of(saving, review.id)[key]  # type: ignore[arg-type]
        outcome = services.save_answers(
            saving,
            loaded,
            bank_of_review(saving, loaded),
            saving.get(User, expert.id),  # type: ignore[arg-type]
            [services.AnswerChange(key, None, False, stored.version)],
            kind="autosave",
            language="en",
        )
        assert key in outcome.saved
        submission: list[BaseException | str] = []
        thread = threading.Thread(target=submitting, args=(engine, review, focal, submission))
        thread.start()
        time.sleep(1.0)  # the submission reaches the database while the save is open
        saving.commit()
    assert_submission_refused_after_the_save(db, review, key, thread, submission)


def test_a_save_that_loaded_the_review_before_the_submission_is_refused(
    app: Flask, db: Session, ready_to_submit: tuple[Review, User, User]
) -> None:
    """The request loaded the review (answering) just before the focal point's submission was
    committed: its save must not change the submitted answers."""
    review, focal, expert = ready_to_submit
    engine = database.get_engine(app)
    key = "TIP-5-1-cite"
    with Session(engine, expire_on_commit=False) as request_session:
        loaded = request_session.get(Review, review.id)
        assert loaded is not None and loaded.status == "answering"
        bank = bank_of_review(request_session, loaded)
        stored = services.answers_of(request_session, review.id)[key]  # type: ignore[arg-type]
        before = (stored.value, stored.version)

        submitted = fresh(db).get(Review, review.id)
        assert submitted is not None
        services.submit(db, submitted, bank, db.get(User, focal.id))  # type: ignore[arg-type]
        db.commit()

        with pytest.raises(RuleViolation):
            services.save_answers(
                request_session,
                loaded,
                bank,
                request_session.get(User, expert.id),  # type: ignore[arg-type]
                [services.AnswerChange(key, "Changed after submission.", False, before[1])],
                kind="autosave",
                language="en",
            )
        request_session.rollback()
    after = services.answers_of(fresh(db), review.id)[key]  # type: ignore[arg-type]
    assert (after.value, after.version) == before


def test_the_access_check_of_a_save_holds_back_the_submission_until_it_is_committed(
    app: Flask, db: Session, ready_to_submit: tuple[Review, User, User]
) -> None:
    """As the first test above, with the review's lock taken by the autosave's own access
    check (`load_review(..., for_change=True)`) rather than by the save: the submission that
    starts after the check waits for the save, and then sees the emptied answer."""
    review, focal, expert = ready_to_submit
    key = "TIP-5-1-cite"
    version = services.answers_of(db, review.id)[key].version  # type: ignore[arg-type]
    submission: list[BaseException | str] = []
    engine = database.get_engine(app)

    with app.test_request_context(method="POST"):  # an autosave: a request that writes
        request_db = database.session()
        login_user(request_db.get(User, expert.id))  # type: ignore[arg-type]
        access = load_review(review.id, for_change=True)  # type: ignore[arg-type]
        assert access.locked and access.can_edit
        thread = threading.Thread(target=submitting, args=(engine, review, focal, submission))
        thread.start()
        time.sleep(1.0)  # the submission reaches the database while the request is open
        outcome = services.save_answers(
            request_db,
            access.review,
            access.bank,
            current_user,  # type: ignore[arg-type]
            [services.AnswerChange(key, None, False, version)],
            kind="autosave",
            language="en",
            review_locked=access.locked,
        )
        assert key in outcome.saved
        request_db.commit()
    assert_submission_refused_after_the_save(db, review, key, thread, submission)
