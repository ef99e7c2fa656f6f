"""Demo data: a review in progress with its respondents and reviewers. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.reference import services as reference
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


def load_demo(db: Session, banks_dir: Path, today: date | None = None) -> list[tuple[str, str]]:
    """Load States and banks, then the demo people and review; returns (e-mail, role) pairs."""
    today = today or date.today()
    reference.load_states(db)
    banks.load_banks(db, banks.discover_bank_files(banks_dir))
    version = db.exec(
        select(BankVersion)
        .where(BankVersion.instrument == DEMO_BANK[0], BankVersion.cluster == DEMO_BANK[1])
        .where(BankVersion.status == "published")
        .order_by(BankVersion.version.desc())  # type: ignore[attr-defined]
    ).first()
    assert version is not None, "the demo needs a published TIP cluster I bank"
    review = db.exec(
        select(Review).where(
            Review.state_code == STATE_UNDER_REVIEW, Review.bank_version_id == version.id
        )
    ).first()
    if review is None:
        review = reviews.open_review(
            db,
            state_code=STATE_UNDER_REVIEW,
            bank_version=version,
            started_on=today - timedelta(days=30),
        )
    logins = []
    for email, name, state, role in DEMO_PEOPLE:
        user = _user(db, email, name, state, role)
        if role != "secretariat":
            reviews.add_member(db, review, user, role)
        logins.append((email, role.replace("_", " ")))
    db.flush()
    return logins
