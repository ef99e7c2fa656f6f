"""A phase opens a review for every instrument its States are party to: with the Firearms
Protocol's questionnaire published, cluster I covers FIR; an instrument with no published
questionnaire is refused by name, unless the secretariat confirms that it is left out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.demo import PHASE_NAME
from questionnaire.errors import RuleViolation
from questionnaire.reference.services import instruments_as_at
from questionnaire.responses.models import Answer
from questionnaire.reviews import services
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewPhase

START = date(2025, 8, 31)
STATES = ["GHA", "FRA", "MEX"]


def open_phase(db: Session, user: User, **options: Any) -> ReviewPhase:
    return services.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=STATES,
        started_on=START,
        max_reviews_per_state=3,
        user=user,
        **options,
    )


def instruments_reviewed(db: Session, phase: ReviewPhase) -> set[tuple[str, str]]:
    rows = db.exec(
        select(Review.state_code, BankVersion.instrument)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id)
    )
    return set(rows)


def firearms_parties(db: Session) -> list[str]:
    party_to = instruments_as_at(db, START)
    return [code for code in STATES if "FIR" in party_to[code]]


def test_a_cluster_i_phase_reviews_the_firearms_protocol_of_its_parties(
    db: Session, shipped_banks: dict[tuple[str, str, int], BankVersion], secretariat: User
) -> None:
    parties = firearms_parties(db)

    phase = open_phase(db, secretariat)

    assert parties, "the test needs States party to the Firearms Protocol"
    fir = {code for code, instrument in instruments_reviewed(db, phase) if instrument == "FIR"}
    assert fir == set(parties)
    version = shipped_banks[("FIR", "I", 1)]
    assert version.status == "published" and version.question_count == 56


def test_an_instrument_without_a_published_questionnaire_is_refused_by_name(
    db: Session, shipped_banks: dict[tuple[str, str, int], BankVersion], secretariat: User
) -> None:
    shipped_banks[("FIR", "I", 1)].status = "draft"
    db.flush()

    with pytest.raises(RuleViolation) as refused:
        open_phase(db, secretariat)

    message = str(refused.value)
    assert "No questionnaire of cluster I is published for instruments" in message
    assert "FIR (Ghana, France and Mexico)" in message
    assert "confirm that these reviews are left out" in message
    assert db.exec(select(ReviewPhase)).first() is None


def test_the_secretariat_may_confirm_that_the_instrument_is_left_out(
    db: Session, shipped_banks: dict[tuple[str, str, int], BankVersion], secretariat: User
) -> None:
    shipped_banks[("FIR", "I", 1)].status = "draft"
    db.flush()

    phase = open_phase(db, secretariat, leave_out_unpublished=True)

    assert {instrument for _, instrument in instruments_reviewed(db, phase)} == {
        "UNTOC",
        "TIP",
        "SOM",
    }
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "phase.create")).one()
    assert entry.after is not None
    assert entry.after["left_out"] == {"FIR": firearms_parties(db)}


def test_the_demo_draws_and_answers_the_firearms_protocol(
    db: Session, demo: list[tuple[str, str]]
) -> None:

    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == PHASE_NAME)).one()
    fir = {code: review for review, code, instrument in _reviews(db, phase) if instrument == "FIR"}
    assert "GHA" in fir and len(fir) > 10
    seats = db.exec(
        select(ReviewAssignment).where(ReviewAssignment.review_id == fir["GHA"].id)
    ).all()
    assert {seat.seat for seat in seats if seat.is_active} >= {"same_region", "other_region"}
    answers = db.exec(select(Answer).where(Answer.review_id == fir["GHA"].id)).all()
    assert {"FIR-GEN-1", "FIR-3-1", "FIR-5-1", "FIR-5-TA"} <= {a.question_key for a in answers}


def _reviews(db: Session, phase: ReviewPhase) -> list[tuple[Review, str, str]]:
    return list(
        db.exec(
            select(Review, Review.state_code, BankVersion.instrument)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id)
        )
    )
