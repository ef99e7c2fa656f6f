"""The lists of observations of the generated world (`bench/world.py`), made final through the
services as people would: the State confirms its carried-forward answers, answers what is
missing and submits; the reviewers write the elements and the summary, both reviewing States
agree, the list goes to the State, which keeps one element confidential and agrees; the
reviewers make it final. Then the meeting whose conference room paper the lists go into.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.documents.crp import CrpRequest
from questionnaire.meetings.services import record_meeting
from questionnaire.meetings.spec import MeetingFile
from questionnaire.responses import services as responses
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.responses.progress import missing_required
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from questionnaire.reviews.people import seated_states
from questionnaire.workspace import services as observations
from questionnaire.workspace import signoff
from questionnaire.workspace.models import Observation

#: The instrument whose lists go into the working group's paper (its lists go to WG.4).
INSTRUMENT = "TIP"
PER_ARTICLE = 4
CATEGORIES = ("good_practice", "gap", "suggestion", "assistance_need")
SENTENCES = (
    "The legislation criminalizes the conduct as the article requires, and the courts have "
    "applied it in several recent cases brought by the specialized prosecution unit.",
    "The authorities described the institutional framework, the coordination between the "
    "police, the labour inspectorate and the prosecution service, and the statistics kept.",
    "The reviewing experts noted that the definition of exploitation follows the Protocol, "
    "although the consent of the victim is not expressly declared irrelevant.",
    "Training for judges, prosecutors and police officers is provided regularly, with the "
    "support of regional partners and of the United Nations Office on Drugs and Crime.",
)
#: The meeting the world's paper is made for, and the paper's request.
MEETING = "CTOC/COP/WG.4/2027/1"
SYMBOL = "CTOC/COP/WG.4/2027/CRP.2"


def _text(seed: int, sentences: int) -> str:
    return " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(sentences))


def crp_request(review_ids: list[int]) -> CrpRequest:
    """The English paper of the world's meeting, for item 3, from the lists of `review_ids`."""
    return CrpRequest(
        meeting=MEETING,
        item="3",
        symbol=SYMBOL,
        language="en",
        issued_on=date(2027, 7, 2),
        cutoff=date(2027, 6, 30),
        review_ids=tuple(review_ids),
    )


def _answer_and_submit(db: Session, review: Review, bank: Bank, focal: User) -> None:
    carried = [a.question_key for a in responses.answers_of(db, database.id_of(review)).values()]
    responses.confirm_carried_forward(db, review, focal, carried)
    for section in bank.sections:
        while True:
            answers = responses.answers_of(db, database.id_of(review))
            missing = missing_required(bank, section, {k: a.value for k, a in answers.items()})
            if not missing:
                break
            changes = [
                responses.AnswerChange(
                    q.key,
                    [q.option_keys()[0]]
                    if q.type == "multiple_choice"
                    else q.option_keys()[0]
                    if q.option_keys()
                    else f"Answer of {review.state_code} to {q.key}.",
                    False,
                    answers[q.key].version if q.key in answers else 0,
                )
                for q in missing
            ]
            responses.save_answers(db, review, bank, focal, changes, kind="save", language="en")
    responses.submit(db, review, bank, focal)


def _reviewers(db: Session, review: Review) -> list[User]:
    """A reviewer of each reviewing State seated by the draw, named in the review."""
    named = []
    for state in seated_states(db, review):
        user = accounts.create_user(
            db,
            email=f"reviewer.{review.id}@{state.lower()}.example",
            full_name=f"Reviewer from {state}",
            state_code=state,
        )
        reviews.add_member(db, review, user, "reviewer")
        named.append(user)
    return named


def _final_list(db: Session, review: Review, number: int, per_article: int) -> None:
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    bank = bank_of(version)
    focal = reviews.focal_point_of(db, review)
    assert focal is not None, f"review {review.id} has no focal point"
    focal_user = db.get(User, focal.user_id)
    assert focal_user is not None
    _answer_and_submit(db, review, bank, focal_user)
    reviewers = _reviewers(db, review)
    writer = reviewers[0]
    added = []
    for section in bank.sections:
        if section.article is None:
            continue
        for i in range(per_article):
            added.append(
                observations.add_observation(
                    db,
                    review,
                    bank,
                    writer,
                    section_key=section.key,
                    category=CATEGORIES[(number + i) % len(CATEGORIES)],
                    text=f"{_text(number + i, 3)} ({review.state_code}, article "
                    f"{section.article}, element {i + 1}.)",
                    cited_keys=[section.questions[0].key],
                )
            )
    lst = observations.list_of(db, review)
    summary = "\n\n".join(_text(number + i, 2) for i in range(3))
    observations.save_summary(
        db, review, writer, text=summary, base_version=lst.summary_version, word_limit=500
    )
    for reviewer in reviewers:
        signoff.agree(db, review, lst, reviewer)
    observations.transition(db, review, writer, side="reviewer", to_status="with_state")
    observations.set_confidential(db, review, added[-1], focal_user, is_confidential=True)
    observations.transition(db, review, focal_user, side="state", to_status="agreed")
    observations.transition(db, review, writer, side="reviewer", to_status="final")


def final_lists(
    db: Session,
    phase: object,
    count: int,
    rng: random.Random,
    *,
    per_article: int = PER_ARTICLE,
) -> list[int]:
    """Make final the lists of `count` of the phase's Trafficking in Persons reviews, spread
    over the phase, with `per_article` elements on each article; commits after each. The
    reviews need their focal point. Returns their review ids, in the phase's order."""
    candidates = db.exec(
        select(Review)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == database.id_of(phase), BankVersion.instrument == INSTRUMENT)
        .order_by(col(Review.id))
    ).all()
    if len(candidates) < count:
        raise ValueError(f"the phase has {len(candidates)} {INSTRUMENT} reviews, not {count}")
    chosen = [candidates[(i * len(candidates)) // count] for i in range(count)]
    for number, review in enumerate(chosen):
        _final_list(db, review, number + rng.randrange(len(SENTENCES)), per_article)
        db.commit()
    return [database.id_of(review) for review in chosen]


def record_meeting_of_papers(db: Session) -> None:
    """The 2027 meeting of the Working Group on Trafficking in Persons, with CRP.2 for item 3
    in its register: the paper the world's lists go into."""
    titles = {
        "en": "Lists of observations and summaries of the reviews",
        "fr": "Listes d'observations et résumés des examens",
    }
    spec = MeetingFile.model_validate(
        {
            "schema_version": 1,
            "meeting": {
                "body": "WG.4",
                "year": 2027,
                "ordinal": 16,
                "starts_on": "2027-07-05",
                "ends_on": "2027-07-06",
                "venue": {"en": "Vienna", "fr": "Vienne"},
                "plenary_meetings": 4,
                "agenda": [
                    {"number": n, "title": {"en": f"Item {n}", "fr": f"Point {n}"}} for n in (1, 2)
                ]
                + [
                    {
                        "number": 3,
                        "title": {
                            "en": "Review of the implementation of the Protocol",
                            "fr": "Examen de l'application du Protocole",
                        },
                    }
                ],
                "documents": [
                    {
                        "kind": "crp",
                        "number": 2,
                        "item": "3",
                        "job_number": "V.27-00002",
                        "titles": titles,
                    }
                ],
            },
        }
    )
    record_meeting(db, spec.meeting, actor=None)


def counts(db: Session) -> dict[str, int]:
    """How many rows of each kind the world holds."""

    def count(model: type) -> int:
        return int(db.exec(select(func.count()).select_from(model)).one())

    return {
        "reviews": count(Review),
        "answers": count(Answer),
        "revisions": count(AnswerRevision),
        "observations": count(Observation),
        "audit_entries": count(AuditEntry),
    }
