"""Demo data: a drawn review phase, a review in progress, one under review. Idempotent.

Ghana answered version 1 of the TIP cluster I questionnaire in an earlier cycle. A new phase of
cluster I reviews then opens for 24 States; lots are drawn with a fixed seed. Ghana's TIP
review (version 3) is in progress with its earlier answers carried forward for confirmation;
its SOM review is submitted, and the reviewing States have started their observations; its
Firearms Protocol review has its required answers saved.

The coming meeting of the Working Group on the Smuggling of Migrants is recorded from the
example meeting file, with CRP.1 for its item 3 (b) made from Senegal's final SOM list
(`demo_meeting`).

Everyone but the secretariat comes in as in a real cycle: each State's note verbale is recorded
as a nomination (`nominations.services.record_nomination`), which creates the account and gives
the role; the account is then activated through its activation link with the demo password.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts import tokens
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.db import id_of
from questionnaire.demo_meeting import load_meeting_and_crp
from questionnaire.nominations import services as nominations
from questionnaire.nominations.scope import Purpose
from questionnaire.reference import services as reference
from questionnaire.reference.models import State
from questionnaire.reference.provisions import load_provisions
from questionnaire.responses import services as responses
from questionnaire.responses.progress import visible_questions
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewPhase
from questionnaire.workspace import dialogue
from questionnaire.workspace import services as observations

DEMO_PASSWORD = "demo-password-2026"
STATE_UNDER_REVIEW = "GHA"
PHASE_NAME = "Cluster I, group 1 (demo)"
PHASE_SEED = "demo-2026"
#: Stored with the demo's draw, so that nobody takes its fixed seed for a random one.
PHASE_SEED_SOURCE = "fixed by the demo loader (for reproducible demo data), not random"
PHASE_STATES = (
    "GHA", "NGA", "KEN", "SEN", "ZAF", "MAR", "MEX", "BRA", "ARG", "COL", "CHL", "PER",
    "FRA", "DEU", "ITA", "ESP", "CAN", "AUT", "POL", "ROU", "UKR", "IND", "IDN", "PHL",
)  # fmt: skip

#: (e-mail, name, role) of Ghana's respondents and the secretariat
DEMO_PEOPLE = (
    ("secretariat@unodc.example", "Sofia Secretariat", "secretariat"),
    ("focal.point@gha.example", "Kwame Mensah", "focal_point"),
    ("expert@gha.example", "Ama Owusu", "expert"),
    ("observer@gha.example", "Kofi Boateng", "observer"),
)


def _user(
    db: Session, email: str, name: str, state: str | None, *, secretariat: bool = False
) -> User:
    user = accounts.find_user(db, email)
    if user is None:
        user = accounts.create_user(
            db,
            email=email,
            full_name=name,
            state_code=state,
            password=DEMO_PASSWORD,
            is_secretariat=secretariat,
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


def answer_required(db: Session, review: Review, bank: Bank, user: User) -> None:
    """Answer every required question shown, repeating as answers reveal follow-ups."""
    while True:
        answers = responses.answers_of(db, id_of(review))
        values = {key: answer.value for key, answer in answers.items()}
        todo = [
            question
            for section in bank.sections
            for question in visible_questions(bank, section, values)
            if question.required
            and (question.key not in answers or answers[question.key].is_carried_forward)
        ]
        if not todo:
            return
        # A carried-forward answer is confirmed as it stands: saving the same value again
        # changes nothing, and it would stay carried forward.
        carried = [q.key for q in todo if q.key in answers]
        if carried:
            responses.confirm_carried_forward(db, review, user, carried)
        changes = [
            responses.AnswerChange(q.key, _sample_value(q), False, 0)
            for q in todo
            if q.key not in answers
        ]
        if changes:
            responses.save_answers(db, review, bank, user, changes, kind="save", language="en")


def _latest(db: Session, instrument: str, cluster: str) -> list[BankVersion]:
    return list(
        db.exec(
            select(BankVersion)
            .where(BankVersion.instrument == instrument, BankVersion.cluster == cluster)
            .where(BankVersion.status == "published")
            .order_by(col(BankVersion.version))
        )
    )


def _activate(db: Session, user: User) -> None:
    """Choose the demo password through the activation link, as a nominee does."""
    if user.activated_at is None and user.password_hash is None:
        token = tokens.make_token(user, "activate")
        accounts.choose_password_with_link(db, token, "activate", DEMO_PASSWORD)


def _nominate(
    db: Session,
    secretariat: User,
    state: State,
    person: tuple[str, str, str],
    note: nominations.NoteVerbale,
    purpose: Purpose,
) -> User:
    """Record the nomination of `person` (e-mail, name, role) by `state`, and activate it."""
    email, name, role = person
    recorded = nominations.record_nomination(
        db,
        actor=secretariat,
        nominating_state=state.code,
        nominee=nominations.Nominee(email, name, "en"),
        role=role,
        note=note,
        purpose=purpose,
    )
    _activate(db, recorded.user)
    return recorded.user


def _name_respondents(
    db: Session, secretariat: User, purpose: Purpose, note: nominations.NoteVerbale
) -> None:
    """Ghana's focal point, governmental expert and observer, named by Ghana's note verbale."""
    ghana = db.get(State, STATE_UNDER_REVIEW)
    assert ghana is not None
    for person in DEMO_PEOPLE:
        if person[2] != "secretariat":
            _nominate(db, secretariat, ghana, person, note, purpose)


def _person(db: Session, email: str) -> User:
    user = accounts.find_user(db, email)
    assert user is not None
    return user


def _earlier_cycle(db: Session, secretariat: User, today: date) -> None:
    """Ghana's submitted answers to TIP cluster I version 1, two years ago."""
    version = _latest(db, "TIP", "I")[0]
    if db.exec(select(Review).where(Review.bank_version_id == version.id)).first():
        return
    started = today - timedelta(days=2 * 365)
    review = reviews.open_review(
        db, state_code=STATE_UNDER_REVIEW, bank_version=version, started_on=started
    )
    note = nominations.NoteVerbale("NV/GHA/031", started + timedelta(days=6))
    _name_respondents(db, secretariat, Purpose(STATE_UNDER_REVIEW, review_id=review.id), note)
    bank = banks.bank_of(version)
    focal = _person(db, "focal.point@gha.example")
    answer_required(db, review, bank, focal)
    responses.submit(db, review, bank, focal)


def _name_reviewing_experts(db: Session, secretariat: User, phase: ReviewPhase) -> None:
    """Each State drawn to review Ghana names an expert, for all its seats, by note verbale."""
    codes = db.exec(
        select(ReviewAssignment.reviewing_state)
        .join(Review, col(Review.id) == ReviewAssignment.review_id)
        .where(Review.phase_id == phase.id, Review.state_code == STATE_UNDER_REVIEW)
        .where(col(ReviewAssignment.is_active).is_(True))
    ).all()
    for code in sorted(set(codes)):
        state = db.get(State, code)
        assert state is not None
        person = (f"expert@{code.lower()}.example", f"Expert of {state.name_en}", "expert")
        note = nominations.NoteVerbale(
            f"NV/{code}/{phase.started_on.year}/27", phase.started_on + timedelta(days=9)
        )
        _nominate(db, secretariat, state, person, note, Purpose(STATE_UNDER_REVIEW, phase.id))


def _phase(db: Session, secretariat: User, today: date) -> ReviewPhase:
    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == PHASE_NAME)).first()
    if phase is not None:
        return phase
    phase = reviews.create_phase(
        db,
        name=PHASE_NAME,
        cluster="I",
        state_codes=list(PHASE_STATES),
        started_on=today - timedelta(days=30),
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed=PHASE_SEED, seed_source=PHASE_SEED_SOURCE)
    note = nominations.NoteVerbale(
        f"NV/GHA/{phase.started_on.year}/112", phase.started_on + timedelta(days=5)
    )
    _name_respondents(db, secretariat, Purpose(STATE_UNDER_REVIEW, phase.id), note)
    _name_reviewing_experts(db, secretariat, phase)
    _review_under_way(db, phase)
    _firearms_in_progress(db, phase)
    return phase


def _firearms_in_progress(db: Session, phase: ReviewPhase) -> None:
    """Ghana's Firearms Protocol review is under way: its required answers are saved."""
    found = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, Review.state_code == STATE_UNDER_REVIEW)
        .where(BankVersion.instrument == "FIR")
    ).first()
    if found is not None:
        review, version = found
        answer_required(db, review, banks.bank_of(version), _person(db, "focal.point@gha.example"))


def _review_under_way(db: Session, phase: ReviewPhase) -> None:
    """Ghana's SOM answers are submitted; a reviewer has started the observations."""
    found = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, Review.state_code == STATE_UNDER_REVIEW)
        .where(BankVersion.instrument == "SOM")
    ).first()
    if found is None:
        return
    review, version = found
    bank = banks.bank_of(version)
    focal = _person(db, "focal.point@gha.example")
    answer_required(db, review, bank, focal)
    responses.submit(db, review, bank, focal)
    assignment = db.exec(
        select(ReviewAssignment).where(ReviewAssignment.review_id == review.id)
    ).first()
    assert assignment is not None
    reviewer = accounts.find_user(db, f"expert@{assignment.reviewing_state.lower()}.example")
    assert reviewer is not None
    section = next(s for s in bank.sections if s.article == 6)
    observations.add_observation(
        db,
        review,
        bank,
        reviewer,
        section_key=section.key,
        category="good_practice",
        text="The offence of smuggling of migrants covers all the conduct of article 6, "
        "paragraph 1, with the financial or other material benefit as an element.",
        cited_keys=[section.questions[0].key],
    )
    dialogue.post_message(
        db,
        review,
        reviewer,
        side="reviewer",
        section_key=section.key,
        kind="request",
        body="Could you give examples of cases prosecuted under these provisions since 2020?",
    )


def load_demo(db: Session, banks_dir: Path, today: date | None = None) -> list[tuple[str, str]]:
    """Load States, banks and the demo; returns (e-mail, role) pairs for every demo login."""
    today = today or date.today()
    reference.load_states(db)
    load_provisions(db)
    banks.load_banks(db, banks.discover_bank_files(banks_dir))
    email, name, _role = DEMO_PEOPLE[0]
    secretariat = _user(db, email, name, None, secretariat=True)
    _earlier_cycle(db, secretariat, today)
    phase = _phase(db, secretariat, today)
    load_meeting_and_crp(db, secretariat, phase, today, nominate=_nominate, answer=answer_required)
    db.flush()
    logins = [
        (email, role.replace("_", " ") + (" of Ghana" if role != "secretariat" else ""))
        for email, _name, role in DEMO_PEOPLE
    ]
    reviewers = db.exec(
        select(User)
        .where(col(User.email).like("expert@%.example"), User.state_code != STATE_UNDER_REVIEW)
        .order_by(col(User.email))
    ).all()
    logins += [(user.email, f"reviewer ({user.state_code}) of Ghana") for user in reviewers]
    return logins
