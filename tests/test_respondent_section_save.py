"""The Save button of a whole section: its writes are batched, so the statements one post runs
do not grow with the number of answers it changes, and every changed answer still gets its
revision and its audit entry. (Its time is measured by `bench/save_section.py`, not here.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, text
from sqlmodel import Session, col, func, select

from bench import bank as bench_bank
from bench.save_section import page_versions, section_values
from questionnaire import db as database
from questionnaire.audit.models import AuditEntry
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.responses import saving, services
from questionnaire.responses.models import AnswerRevision
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from tests.conftest import login

#: The most statements a Save of the page may run, whatever it changes.
MAX_STATEMENTS = 15


@pytest.fixture
def twenty_questions(db: Session, tmp_path: Path, make_user) -> tuple[Review, Any, str]:
    """A review on the benchmark's bank, whose article 5 section has exactly 20 questions."""
    (version,) = banks.load_banks(db, [bench_bank.write_bank(tmp_path)]).added
    review = reviews.open_review(
        db, state_code="GHA", bank_version=version, started_on=date.today()
    )
    user = make_user("GHA")
    reviews.add_member(db, review, user, "focal_point")
    db.commit()
    return review, user, f"/reviews/{review.id}/sections/{bench_bank.SECTION_KEY}"


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run on the application's engine inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = database.get_engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def post_section(client: Any, url: str, values: dict[str, Any], versions: dict[str, int]) -> Any:
    form = {"action": "save", **values, **{f"version__{k}": v for k, v in versions.items()}}
    return client.post(url, data=form)


def counts(db: Session, review: Review) -> tuple[int, int]:
    db.rollback()
    revisions = db.exec(select(func.count()).select_from(AnswerRevision)).one()
    entries = db.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.review_id == review.id, col(AuditEntry.action).like("answer.%"))
    ).one()
    return revisions, entries


def test_saving_a_section_with_all_20_answers_changed_runs_at_most_15_statements(
    app, client, db, twenty_questions
) -> None:
    review, user, url = twenty_questions
    login(client, user)
    versions = page_versions(client.get(url).get_data(as_text=True))
    assert len(versions) == bench_bank.QUESTION_COUNT == 20

    with statements(app) as first:
        response = post_section(client, url, section_values(0), versions)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert counts(db, review) == (20, 20)  # 20 new answers, each with its revision and entry
    versions = page_versions(client.get(url).get_data(as_text=True))
    assert set(versions.values()) == {1}

    with statements(app) as second:
        response = post_section(client, url, section_values(1), versions)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert counts(db, review) == (40, 40)
    assert set(page_versions(client.get(url).get_data(as_text=True)).values()) == {2}

    assert len(first) <= MAX_STATEMENTS, "\n".join(first)
    assert len(second) <= MAX_STATEMENTS, "\n".join(second)


def test_the_statements_of_a_save_do_not_grow_with_the_answers_it_changes(
    app, client, db, twenty_questions
) -> None:
    review, user, url = twenty_questions
    login(client, user)
    post_section(client, url, section_values(0), {})
    versions = page_versions(client.get(url).get_data(as_text=True))
    values = section_values(0)

    with statements(app) as one:
        response = post_section(client, url, {**values, "TIP-5-10": "Changed."}, versions)
    assert response.status_code == 302
    versions["TIP-5-10"] += 1
    with statements(app) as all_twenty:
        response = post_section(client, url, section_values(1), versions)
    assert response.status_code == 302

    assert len(all_twenty) == len(one)
    assert counts(db, review) == (41, 41)


def test_an_answer_changed_between_the_read_and_the_update_is_a_conflict_the_others_save(
    db: Session, twenty_questions, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch UPDATE matched fewer rows than it changes: the answers that another save
    changed since they were read are conflicts, and only the others get revisions."""
    review, user, _url = twenty_questions
    other = make_user("GHA")
    bank = bank_of(db.get(BankVersion, review.bank_version_id))  # type: ignore[arg-type]
    first = [AnswerChange("TIP-5-10", "A", False, 0), AnswerChange("TIP-5-11", "B", False, 0)]
    services.save_answers(db, review, bank, user, first, kind="save", language="en")
    db.commit()
    real = saving.current_answers
    calls: list[int] = []

    def read_then_other_saves(*args: Any) -> Any:
        rows = real(*args)
        if not calls:  # another save lands between this read and the UPDATE
            db.connection().execute(
                text("UPDATE answer SET value = :v, version = 2, updated_by_id = :by "
                     "WHERE question_key = 'TIP-5-10' AND review_id = :review"),
                {"v": '"Theirs"', "by": other.id, "review": review.id},
            )  # fmt: skip
        calls.append(1)
        return rows

    monkeypatch.setattr(saving, "current_answers", read_then_other_saves)
    second = [AnswerChange("TIP-5-10", "A2", False, 1), AnswerChange("TIP-5-11", "B2", False, 1)]
    outcome = services.save_answers(db, review, bank, user, second, kind="save", language="en")
    db.commit()

    assert outcome.saved == {"TIP-5-11": 2}
    conflict = outcome.conflicts["TIP-5-10"]
    assert (conflict.theirs, conflict.theirs_version, conflict.theirs_by_id) == (
        "Theirs",
        2,
        other.id,
    )
    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    assert [r.value for r in services.history_of(db, answers["TIP-5-11"])] == ["B2", "B"]
    assert [r.value for r in services.history_of(db, answers["TIP-5-10"])] == ["A"]
