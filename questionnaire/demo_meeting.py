"""Demo data, continued: the coming meeting of the Working Group on the Smuggling of Migrants
(the example meeting file, `docs/examples/meeting-wg7-2027.yaml`) and its conference room paper
CRP.1 for item 3 (b), made from a demo list made final: Senegal's review of the Smuggling of
Migrants Protocol, whose focal point keeps one element confidential (para. 38), and whose
list the secretariat has translated into French, so that the French version of CRP.1 can be
made from the form. Idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.db import id_of
from questionnaire.documents import services as publishing
from questionnaire.documents.crp import CrpRequest
from questionnaire.documents.models import Publication
from questionnaire.meetings.models import Meeting
from questionnaire.meetings.services import agenda_symbol, record_meeting
from questionnaire.meetings.validation import read_meeting_file
from questionnaire.nominations import services as nominations
from questionnaire.nominations.scope import Purpose
from questionnaire.reference.models import State
from questionnaire.responses import services as responses
from questionnaire.reviews.models import Review, ReviewPhase
from questionnaire.reviews.people import seated_states
from questionnaire.workspace import services as observations
from questionnaire.workspace import signoff, translation_records, translations

MEETING_FILE = Path(__file__).parent.parent / "docs" / "examples" / "meeting-wg7-2027.yaml"
FINAL_STATE = "SEN"
CRP_SYMBOL = "CTOC/COP/WG.7/2027/CRP.1"
CRP_JOB_NUMBER = "V.27-00431"
#: (section's article, category, text, kept confidential by the State)
ELEMENTS = (
    (6, "good_practice", "Senegal's law makes the smuggling of migrants an offence whatever "
     "the route, by land, sea or air, and punishes attempts and participation.", False),
    (6, "suggestion", "Senegal could state in its law that smuggled migrants are not "
     "prosecuted for having been the object of the conduct set forth in article 6.", False),
    (6, "assistance_need", "Senegal would welcome help in training coastguards to identify "
     "vulnerable migrants on intercepted vessels.", True),
)  # fmt: skip
#: The secretariat's French translation of the elements published (the demo's own words), so
#: that a French version of CRP.1 can be made beside the English one.
FRENCH = {
    ELEMENTS[0][2]: "La loi du Sénégal fait du trafic illicite de migrants une infraction quelle "
    "que soit la voie, terrestre, maritime ou aérienne, et punit la tentative et la participation.",
    ELEMENTS[1][2]: "Le Sénégal pourrait préciser dans sa loi que les migrants objet d’un trafic "
    "illicite ne sont pas poursuivis pour avoir été l’objet des actes énoncés à l’article 6.",
}


#: How the demo names a person (demo._nominate: the nomination, then the activation).
Nominate = Callable[
    [Session, User, State, tuple[str, str, str], nominations.NoteVerbale, Purpose], User
]
#: How the demo answers a questionnaire's required questions (demo.answer_required).
Answer = Callable[[Session, Review, Bank, User], None]


def load_meeting_and_crp(
    db: Session,
    secretariat: User,
    phase: ReviewPhase,
    today: date,
    *,
    nominate: Nominate,
    answer: Answer,
) -> None:
    """Record the example meeting and, while its cut-off date is still to come, CRP.1."""
    read = read_meeting_file(MEETING_FILE)
    assert read.spec is not None, read.problems
    meeting = record_meeting(db, read.spec, actor=secretariat)
    cutoff = meeting.starts_on - timedelta(days=7)
    already = db.exec(select(Publication.id).where(Publication.symbol == CRP_SYMBOL)).first()
    if already is not None or today > cutoff:
        return
    review = _final_list(db, secretariat, phase, nominate, answer)
    if review is not None:
        _translate(db, secretariat, review)
        _crp(db, secretariat, meeting, review, today, cutoff)


def _final_list(
    db: Session, secretariat: User, phase: ReviewPhase, nominate: Nominate, answer: Answer
) -> Review | None:
    """Senegal's SOM list: answers submitted, observations written, agreed by the reviewing
    States, one element kept confidential by Senegal, agreed and made final."""
    found = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.phase_id == phase.id, Review.state_code == FINAL_STATE)
        .where(BankVersion.instrument == "SOM")
    ).first()
    if found is None:
        return None
    review, version = found
    bank = banks.bank_of(version)
    if observations.list_of(db, review).status == "final":
        return review
    purpose = Purpose(FINAL_STATE, phase.id)
    note = nominations.NoteVerbale(f"NV/{FINAL_STATE}/{phase.started_on.year}/40", phase.started_on)
    senegal = db.get(State, FINAL_STATE)
    assert senegal is not None
    focal = nominate(
        db, secretariat, senegal, ("focal.point@sen.example", "Awa Diop", "focal_point"), note,
        purpose,
    )  # fmt: skip
    signatories = []
    for code in seated_states(db, review):
        state = db.get(State, code)
        assert state is not None
        person = (f"reviewer@{code.lower()}.example", f"Reviewer of {state.name_en}", "expert")
        signatories.append(nominate(db, secretariat, state, person, note, purpose))
    answer(db, review, bank, focal)
    responses.submit(db, review, bank, focal)
    _observe(db, review, bank, signatories[0])
    lst = observations.list_of(db, review)
    for signatory in signatories:
        signoff.agree(db, review, lst, signatory)
    observations.transition(db, review, signatories[0], side="reviewer", to_status="with_state")
    return _agreed_and_final(db, review, focal, signatories[0])


def _observe(db: Session, review: Review, bank: Bank, by: User) -> None:
    section = next(s for s in bank.sections if s.article == 6)
    for _article, category, text, _kept in ELEMENTS:
        observations.add_observation(
            db, review, bank, by, section_key=section.key, category=category, text=text,
            cited_keys=[section.questions[0].key],
        )  # fmt: skip


def _agreed_and_final(db: Session, review: Review, focal: User, reviewer: User) -> Review:
    kept = {text for _a, _c, text, is_kept in ELEMENTS if is_kept}
    for observation in observations.observations_of(db, review):
        if observation.text in kept:
            observations.set_confidential(db, review, observation, focal, is_confidential=True)
    observations.transition(db, review, focal, side="state", to_status="agreed")
    observations.transition(db, review, reviewer, side="reviewer", to_status="final")
    return review


def _translate(db: Session, secretariat: User, review: Review) -> None:
    """The secretariat records the French translation of Senegal's list (the element kept
    confidential is neither translated nor published)."""
    lst = observations.list_of(db, review)
    texts = translations.list_in_language(db, review, lst, "fr")
    translation_records.record_translations(
        db, review, secretariat, language="fr", summary=None,
        observations={
            item.observation.id: translation_records.TranslatedText(
                FRENCH[item.observation.text], item.source_sha256
            )
            for item in texts.observations
            if item.observation.id is not None and item.observation.text in FRENCH
        },
    )  # fmt: skip


def _crp(
    db: Session, secretariat: User, meeting: Meeting, review: Review, today: date, cutoff: date
) -> None:
    request = CrpRequest(
        meeting=agenda_symbol(meeting),
        item="3 (b)",
        symbol=CRP_SYMBOL,
        language="en",
        issued_on=today,
        cutoff=cutoff,
        review_ids=(id_of(review),),
    )
    for publication in publishing.prepare_crps(
        db, request, ["en"], job_number=CRP_JOB_NUMBER, user=secretariat
    ):
        if publication.job_status != "done":
            publishing.render(db, publication)
