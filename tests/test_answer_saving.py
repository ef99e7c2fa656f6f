"""Saving answers through the services: conflicts, unchanged saves, the coalescing of autosaves,
carry-forward from an earlier review, and the PDF of the answers."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.errors import RuleViolation
from questionnaire.responses import services
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login
from tests.factories import answer_required, bank_of_review, page_data

TIP_I_V1 = ("TIP", "I", 1)
TIP_I_V2 = ("TIP", "I", 2)


def save(
    db: Session,
    review: Review,
    user: User,
    key: str,
    value: Any,
    base_version: int,
    *,
    kind: str = "save",
    confidential: bool = False,
    coalesce_seconds: int = 300,
) -> services.SaveOutcome:
    outcome = services.save_answers(
        db,
        review,
        bank_of_review(db, review),
        user,
        [AnswerChange(key, value, confidential, base_version)],
        kind=kind,
        language="en",
        coalesce_seconds=coalesce_seconds,
    )
    db.commit()
    return outcome


def answer(db: Session, review: Review, key: str) -> Answer:
    return services.answers_of(db, review.id)[key]  # type: ignore[arg-type]


def revisions(db: Session, review: Review, key: str) -> list[AnswerRevision]:
    return services.history_of(db, answer(db, review, key))


@pytest.fixture
def respondents(make_user, make_review, member) -> tuple[Review, User, User]:
    review = make_review("GHA", TIP_I_V2)
    focal, expert = make_user("GHA"), make_user("GHA")
    member(review, focal, "focal_point")
    member(review, expert, "expert")
    return review, focal, expert


def test_a_save_based_on_an_older_version_is_a_conflict_and_overwrites_nothing(
    db, respondents
) -> None:
    review, focal, expert = respondents
    assert save(db, review, focal, "TIP-5-1-cite", "Criminal Code, s. 12", 0).saved == {
        "TIP-5-1-cite": 1
    }
    assert save(db, review, expert, "TIP-5-1-cite", "Criminal Code, ss. 12-13", 1).saved == {
        "TIP-5-1-cite": 2
    }

    outcome = save(db, review, focal, "TIP-5-1-cite", "Act 694 of 2005", 1)

    assert outcome.saved == {} and outcome.unchanged == []
    conflict = outcome.conflicts["TIP-5-1-cite"]
    assert conflict.yours == "Act 694 of 2005"
    assert conflict.theirs == "Criminal Code, ss. 12-13"
    assert conflict.theirs_version == 2 and conflict.theirs_by_id == expert.id
    stored = answer(db, review, "TIP-5-1-cite")
    assert (stored.value, stored.version, stored.updated_by_id) == (
        "Criminal Code, ss. 12-13",
        2,
        expert.id,
    )
    # Saving again on the version seen in the conflict is a deliberate choice, and succeeds.
    assert save(db, review, focal, "TIP-5-1-cite", "Act 694 of 2005", 2).saved == {
        "TIP-5-1-cite": 3
    }


def test_a_second_creation_of_the_same_answer_is_a_conflict(db, respondents) -> None:
    review, focal, expert = respondents
    save(db, review, expert, "TIP-5-1", "yes", 0)
    outcome = save(db, review, focal, "TIP-5-1", "no", 0)
    assert outcome.conflicts["TIP-5-1"].theirs == "yes"
    assert answer(db, review, "TIP-5-1").value == "yes"


def test_the_same_value_saved_twice_is_unchanged_and_keeps_its_version(db, respondents) -> None:
    review, focal, expert = respondents
    save(db, review, focal, "TIP-5-1-cite", "Criminal Code, s. 12", 0)

    again = save(db, review, focal, "TIP-5-1-cite", "Criminal Code, s. 12", 1)
    stale = save(db, review, expert, "TIP-5-1-cite", "Criminal Code, s. 12", 0)

    assert again.unchanged == ["TIP-5-1-cite"] and again.saved == {}
    assert stale.unchanged == ["TIP-5-1-cite"] and not stale.conflicts
    assert answer(db, review, "TIP-5-1-cite").version == 1
    assert len(revisions(db, review, "TIP-5-1-cite")) == 1
    # An empty answer never saved before is not stored at all.
    assert save(db, review, focal, "TIP-5-1-links", None, 0).unchanged == ["TIP-5-1-links"]
    assert "TIP-5-1-links" not in services.answers_of(db, review.id)  # type: ignore[arg-type]


def test_one_persons_autosaves_make_one_revision_and_another_persons_save_a_new_one(
    db, respondents
) -> None:
    review, focal, expert = respondents
    key = "TIP-5-1-cite"
    for version, text in enumerate(("Crim", "Criminal Co", "Criminal Code, s. 12")):
        save(db, review, focal, key, text, version, kind="autosave")

    history = revisions(db, review, key)
    assert len(history) == 1
    assert (history[0].value, history[0].version, history[0].changed_by_id) == (
        "Criminal Code, s. 12",
        3,
        focal.id,
    )

    save(db, review, expert, key, "Criminal Code, ss. 12-13", 3, kind="autosave")
    save(db, review, focal, key, "Criminal Code, ss. 12-14", 4, kind="autosave")

    history = revisions(db, review, key)
    assert [(r.version, r.changed_by_id, r.value) for r in history] == [
        (5, focal.id, "Criminal Code, ss. 12-14"),
        (4, expert.id, "Criminal Code, ss. 12-13"),
        (3, focal.id, "Criminal Code, s. 12"),
    ]


def test_autosaves_outside_the_coalesce_window_make_new_revisions(db, respondents) -> None:
    review, focal, _expert = respondents
    key = "TIP-5-1-cite"
    save(db, review, focal, key, "Criminal Code", 0, kind="autosave", coalesce_seconds=0)
    save(db, review, focal, key, "Criminal Code, s. 12", 1, kind="autosave", coalesce_seconds=0)
    assert [r.value for r in revisions(db, review, key)] == [
        "Criminal Code, s. 12",
        "Criminal Code",
    ]


def test_submitted_answers_cannot_be_saved(db, respondents) -> None:
    review, focal, _expert = respondents
    answer_required(db, review, focal)
    services.submit(db, review, bank_of_review(db, review), focal)
    db.commit()
    with pytest.raises(RuleViolation):
        save(db, review, focal, "TIP-5-1-cite", "Too late", 1)


def _submitted_v1_review(db, make_review, focal: User) -> Review:
    earlier = make_review("GHA", TIP_I_V1)
    bank = bank_of_review(db, earlier)
    changes = [
        AnswerChange("TIP-3-1", "yes", False, 0),
        AnswerChange("TIP-3-1-cite", "Human Trafficking Act 2005 (Act 694), s. 1", True, 0),
        AnswerChange("TIP-3-1-links", ["https://sherloc.unodc.org/cld/gha/act694"], False, 0),
        AnswerChange("TIP-3-3", "partial", False, 0),
        AnswerChange("TIP-3-3-cite", "Act 694, s. 1(2)", False, 0),
        AnswerChange("TIP-3-3-explain", "Case law only for adults.", False, 0),
    ]
    services.save_answers(db, earlier, bank, focal, changes, kind="save", language="en")
    answer_required(db, earlier, focal)
    services.submit(db, earlier, bank, focal)
    db.commit()
    return earlier


def test_carry_forward_fills_new_questions_from_the_ones_they_replace(
    db, make_user, make_review, member
) -> None:
    focal = make_user("GHA")
    earlier = _submitted_v1_review(db, make_review, focal)
    review = make_review("GHA", TIP_I_V2)
    member(review, focal, "focal_point")
    bank = bank_of_review(db, review)

    carried = services.carry_forward(db, review, bank)
    db.commit()

    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    assert carried == len(answers) > 0
    assert all(a.is_carried_forward for a in answers.values())
    for key in ("TIP-3-6", "TIP-3-7"):  # TIP-3-1 was split in two
        assert answers[key].value == "yes"
        assert answers[key].carried_from == "TIP cluster I v1: TIP-3-1"
    for key in ("TIP-3-6-cite", "TIP-3-7-cite"):
        assert answers[key].value == "Human Trafficking Act 2005 (Act 694), s. 1"
        assert answers[key].is_confidential
    assert answers["TIP-3-6-links"].value == ["https://sherloc.unodc.org/cld/gha/act694"]
    assert answers["TIP-3-3"].value == "partial"  # same key in both versions
    assert answers["TIP-3-3-explain"].value == "Case law only for adults."
    assert answers["TIP-5-1"].value == "yes"
    assert "TIP-3-1" not in answers  # no longer asked
    assert "TIP-3-3-examples" not in answers  # removed in version 2
    first = services.history_of(db, answers["TIP-3-6"])
    assert [(r.kind, r.changed_by_id) for r in first] == [("carry_forward", None)]
    # The earlier review keeps its own answers.
    assert services.answers_of(db, earlier.id)["TIP-3-1"].value == "yes"  # type: ignore[arg-type]
    # Running it again carries nothing twice.
    assert services.carry_forward(db, review, bank) == 0


def test_submission_is_refused_until_carried_answers_are_confirmed(
    db, make_user, make_review, member
) -> None:
    focal = make_user("GHA")
    _submitted_v1_review(db, make_review, focal)
    review = make_review("GHA", TIP_I_V2)
    member(review, focal, "focal_point")
    bank = bank_of_review(db, review)
    services.carry_forward(db, review, bank)
    answer_required(db, review, focal)

    blockers = services.submission_blockers(db, review, bank)
    assert blockers and not any(b.missing for b in blockers)
    to_confirm = [key for b in blockers for key in b.to_confirm]
    assert {"TIP-3-6", "TIP-3-7", "TIP-3-6-cite"} <= set(to_confirm)
    with pytest.raises(RuleViolation):
        services.submit(db, review, bank, focal)
    db.rollback()

    assert services.confirm_carried_forward(db, review, focal, to_confirm[:-1]) == (
        len(to_confirm) - 1
    )
    db.commit()
    with pytest.raises(RuleViolation):
        services.submit(db, review, bank, focal)
    db.rollback()

    services.confirm_carried_forward(db, review, focal, to_confirm[-1:])
    services.submit(db, review, bank, focal)
    db.commit()
    assert review.status == "submitted"
    confirmed = answer(db, review, "TIP-3-6")
    assert not confirmed.is_carried_forward and confirmed.version == 2
    assert [r.kind for r in services.history_of(db, confirmed)] == ["confirm", "carry_forward"]


def test_a_carried_answer_to_a_hidden_follow_up_does_not_block_submission(
    db, make_user, make_review, member
) -> None:
    """TIP-3-3 was "partial" with an explanation; now "yes", the explanation is not asked."""
    focal = make_user("GHA")
    _submitted_v1_review(db, make_review, focal)
    review = make_review("GHA", TIP_I_V2)
    member(review, focal, "focal_point")
    bank = bank_of_review(db, review)
    services.carry_forward(db, review, bank)
    services.confirm_carried_forward(
        db,
        review,
        focal,
        list(services.answers_of(db, review.id)),  # type: ignore[arg-type]
    )
    explain = answer(db, review, "TIP-3-3-explain")
    explain.is_carried_forward = True  # as carried, not yet confirmed
    db.add(explain)
    save(db, review, focal, "TIP-3-3", "yes", answer(db, review, "TIP-3-3").version)
    answer_required(db, review, focal)

    assert services.submission_blockers(db, review, bank) == []
    services.submit(db, review, bank, focal)
    db.commit()
    assert review.status == "submitted"


def test_the_confirm_button_on_the_page_confirms_a_carried_answer(
    client, db, make_user, make_review, member
) -> None:
    focal = make_user("GHA")
    _submitted_v1_review(db, make_review, focal)
    review = make_review("GHA", TIP_I_V2)
    member(review, focal, "focal_point")
    services.carry_forward(db, review, bank_of_review(db, review))
    db.commit()
    login(client, focal)

    page = client.get(f"/reviews/{review.id}/sections/art-3").get_data(as_text=True)
    assert re.search(
        "Carried forward from your answers to “Trafficking in Persons Protocol: "
        r"criminalization and jurisdiction” \(version 1\), submitted on \d{1,2} \w+ \d{4}\.",
        page,
    )
    assert "TIP cluster I v1" not in page

    response = client.post(
        f"/reviews/{review.id}/sections/art-3",
        data=page_data(db, review, "art-3", action="confirm:TIP-3-6"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/reviews/{review.id}/sections/art-3#q-TIP-3-6")
    db.expire_all()
    assert not answer(db, review, "TIP-3-6").is_carried_forward
    assert answer(db, review, "TIP-3-7").is_carried_forward
    page = client.get(f"/reviews/{review.id}/sections/art-3").get_data(as_text=True)
    assert "The answer has been confirmed." in page


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_the_pdf_of_the_answers_marks_confidential_answers(client, db, respondents) -> None:
    review, focal, expert = respondents
    save(db, review, expert, "TIP-5-1", "yes", 0)
    save(db, review, expert, "TIP-5-1-cite", "Criminal Code section 12", 0, confidential=True)
    save(db, review, expert, "TIP-5-1-examples", "Twelve convictions in 2023", 0)
    login(client, focal)

    response = client.get(f"/reviews/{review.id}/answers.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-")
    text = _pdf_text(response.data)
    assert "Republic of Ghana" in text or "Ghana" in text
    after_cite = text.split("Criminal Code section 12", 1)[1]
    # The print stylesheet writes the marker in capitals.
    assert after_cite.lstrip().upper().startswith("CONFIDENTIAL: REVIEWERS AND SECRETARIAT")
    after_examples = text.split("Twelve convictions in 2023", 1)[1]
    assert not after_examples.lstrip().upper().startswith("CONFIDENTIAL")
    assert text.upper().count("CONFIDENTIAL: REVIEWERS") == 1
