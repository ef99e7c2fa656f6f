"""Demo data: a review in progress with its respondents and reviewers. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.reference import services as reference
from questionnaire.responses import services as responses
from questionnaire.responses.progress import visible_questions
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review

DEMO_PASSWORD = "demo-password-2026"
STATE_UNDER_REVIEW = "GHA"
DEMO_BANK = ("TIP", "I")

#: (e-mail, name, State, role in the demo review or "secretariat")
DEMO_PEOPLE = (
    ("secretariat@unodc.example", "Sofia Secretariat", None, "secretariat"),
    ("focal.point@gha.example", "Kwame Mensah", "GHA", "focal_point"),
    ("expert@gha.example", "Ama Owusu", "GHA", "expert"),
    ("observer@gha.example", "Kofi Boateng", "GHA", "observer"),
    ("expert@nga.example", "Ngozi Adeyemi", "NGA", "reviewer"),
    ("expert@mex.example", "Lucía Hernández", "MEX", "reviewer"),
)


def _user(db: Session, email: str, name: str, state: str | None, role: str) -> User:
    user = accounts.find_user(db, email)
    if user is None:
        user = accounts.create_user(
            db,
            email=email,
            full_name=name,
            state_code=state,
            password=DEMO_PASSWORD,
            is_secretariat=role == "secretariat",
        )
    return user


def _sample_value(question: Question) -> object:
    if question.type in ("yes_no_partial", "single_choice"):
        return question.option_keys()[0]
    if question.type == "multiple_choice":
        return [question.option_keys()[0]]
    if question.type == "links":
        return ["https://sherloc.unodc.org/cld/en/legislation/gha/example.html"]
    return f"Demo answer to {question.key}: see the Criminal Offences Act, 1960 (Act 29)."


def _answer_required(db: Session, review: Review, bank: Bank, user: User) -> None:
    """Answer every required question shown, repeating as answers reveal follow-ups."""
    while True:
        answers = responses.answers_of(db, review.id)  # type: ignore[arg-type]
        values = {key: answer.value for key, answer in answers.items()}
        todo = [
            question
            for section in bank.sections
            for question in visible_questions(bank, section, values)
            if question.required and question.key not in answers
        ]
        if not todo:
            return
        changes = [responses.AnswerChange(q.key, _sample_value(q), False, 0) for q in todo]
        responses.save_answers(db, review, bank, user, changes, kind="save", language="en")


def _review(db: Session, version: BankVersion, started_on: date) -> tuple[Review, bool]:
    review = db.exec(
        select(Review).where(
            Review.state_code == STATE_UNDER_REVIEW, Review.bank_version_id == version.id
        )
    ).first()
    if review is not None:
        return review, False
    review = reviews.open_review(
        db, state_code=STATE_UNDER_REVIEW, bank_version=version, started_on=started_on
    )
    return review, True


def load_demo(db: Session, banks_dir: Path, today: date | None = None) -> list[tuple[str, str]]:
    """Load States and banks, then the demo people and reviews; returns (e-mail, role) pairs.

    Ghana answered version 1 of the TIP cluster I questionnaire in an earlier cycle; its
    review on version 2 is in progress, with those answers carried forward to confirm.
    """
    today = today or date.today()
    reference.load_states(db)
    banks.load_banks(db, banks.discover_bank_files(banks_dir))
    versions = db.exec(
        select(BankVersion)
        .where(BankVersion.instrument == DEMO_BANK[0], BankVersion.cluster == DEMO_BANK[1])
        .where(BankVersion.status == "published")
        .order_by(BankVersion.version)  # type: ignore[arg-type]
    ).all()
    assert len(versions) >= 2, "the demo needs two published TIP cluster I versions"
    people = {
        email: (_user(db, email, name, state, role), role)
        for email, name, state, role in DEMO_PEOPLE
    }
    earlier, earlier_created = _review(db, versions[-2], today - timedelta(days=2 * 365))
    current, current_created = _review(db, versions[-1], today - timedelta(days=30))
    for review in (earlier, current):
        for user, role in people.values():
            if role != "secretariat":
                reviews.add_member(db, review, user, role)
    focal = people["focal.point@gha.example"][0]
    if earlier_created:
        earlier_bank = banks.bank_of(versions[-2])
        _answer_required(db, earlier, earlier_bank, focal)
        responses.submit(db, earlier, earlier_bank, focal)
    if current_created:
        responses.carry_forward(db, current, banks.bank_of(versions[-1]))
    db.flush()
    return [(email, role.replace("_", " ")) for email, (_user_, role) in people.items()]
