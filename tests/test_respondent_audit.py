"""Every change of an answer is in its history and in the audit log: changes of the
confidentiality flag, every Save of the page, carried-forward answers and their confirmation.
Text-only autosaves of one person within `AUTOSAVE_COALESCE_SECONDS` make one revision."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.db import utcnow
from questionnaire.responses import services
from questionnaire.responses.forms import states_from_answers
from questionnaire.responses.models import Answer
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login

KEY = "TIP-5-1-cite"
SECTION = "art-5"


@pytest.fixture
def focal(db: Session, make_user, make_review, member) -> tuple[Review, User]:
    review = make_review("GHA", ("TIP", "I", 2))
    user = make_user("GHA")
    member(review, user, "focal_point")
    return review, user


def autosave(
    client: FlaskClient, review: Review, value: Any, version: int, confidential: Any = False
) -> dict[str, Any]:
    body = {"answers": [{"key": KEY, "value": value, "is_confidential": confidential,
                         "base_version": version}]}  # fmt: skip
    response = client.post(f"/reviews/{review.id}/sections/{SECTION}/autosave", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert KEY in data["saved"], data
    return data


def stored(db: Session, review: Review, key: str = KEY) -> Answer:
    db.rollback()
    db.expire_all()
    return services.answers_of(db, review.id)[key]  # type: ignore[arg-type]


def history(db: Session, review: Review, key: str = KEY) -> list[tuple[str, Any, bool]]:
    """(kind, value, flag) of each revision, newest first."""
    return [
        (r.kind, r.value, r.is_confidential)
        for r in services.history_of(db, stored(db, review, key))
    ]


def unchanged_page(db: Session, review: Review, section_key: str, **extra: Any) -> dict[str, Any]:
    """What the article page posts when nothing is changed on it, plus `extra` fields."""
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    section = bank_of(version).sections_by_key[section_key]
    answers = services.answers_of(db, review.id)  # type: ignore[arg-type]
    data: dict[str, Any] = {}
    for key, state in states_from_answers(section, answers).items():
        data[f"version__{key}"] = state.version
        if state.confidential:
            data[f"confidential__{key}"] = "y"
        if state.data not in ("", []):
            data[key] = state.data
    return {**data, **extra}


def audit(db: Session, answer: Answer) -> list[AuditEntry]:
    """The answer's audit entries, oldest first."""
    return list(
        db.exec(
            select(AuditEntry)
            .where(AuditEntry.object_type == "answer", AuditEntry.object_id == str(answer.id))
            .order_by(col(AuditEntry.id))
        )
    )


def test_every_change_of_confidentiality_within_the_window_is_a_revision_and_audited(
    client, db, focal
) -> None:
    review, user = focal
    login(client, user)
    autosave(client, review, "Criminal Code, s. 12", 0)
    autosave(client, review, "Criminal Code, s. 12", 1, confidential=True)
    autosave(client, review, "Criminal Code, s. 12", 2, confidential=False)
    autosave(client, review, "Criminal Code, s. 12", 3, confidential=True)

    assert [flag for _kind, _value, flag in history(db, review)] == [True, False, True, False]
    entries = audit(db, stored(db, review))
    assert [e.after["is_confidential"] for e in entries] == [False, True, False, True]
    assert [e.before and e.before["is_confidential"] for e in entries] == [None, False, True, False]
    assert all(e.actor_id == user.id for e in entries)


def test_text_only_autosaves_are_merged_but_a_flag_change_starts_a_new_revision(
    client, db, focal
) -> None:
    review, user = focal
    login(client, user)
    autosave(client, review, "Crim", 0)
    autosave(client, review, "Criminal Code", 1)
    autosave(client, review, "Criminal Code", 2, confidential=True)
    autosave(client, review, "Criminal Code, s. 12", 3, confidential=True)
    autosave(client, review, "Criminal Code, s. 12-14", 4, confidential=True)

    assert history(db, review) == [
        ("autosave", "Criminal Code, s. 12-14", True),
        ("flag", "Criminal Code", True),
        ("autosave", "Criminal Code", False),
    ]
    assert [e.action for e in audit(db, stored(db, review))] == [
        "answer.autosave",
        "answer.flag",
        "answer.autosave",
    ]


def test_a_save_right_after_an_autosave_is_its_own_revision_and_audited(client, db, focal) -> None:
    review, user = focal
    login(client, user)
    autosave(client, review, "Criminal Code", 0)

    response = client.post(
        f"/reviews/{review.id}/sections/{SECTION}",
        data={"TIP-5-1": "yes", KEY: "Criminal Code, s. 12", f"version__{KEY}": 1},
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    assert history(db, review) == [
        ("save", "Criminal Code, s. 12", False),
        ("autosave", "Criminal Code", False),
    ]
    entries = audit(db, stored(db, review))
    assert [e.action for e in entries] == ["answer.autosave", "answer.save"]
    assert entries[1].before == {"value": "Criminal Code", "is_confidential": False}
    assert entries[1].after == {"value": "Criminal Code, s. 12", "is_confidential": False}


def test_an_autosave_after_a_save_is_not_merged_into_it(client, db, focal) -> None:
    review, user = focal
    login(client, user)
    client.post(
        f"/reviews/{review.id}/sections/{SECTION}",
        data={"TIP-5-1": "yes", KEY: "Criminal Code"},
    )
    autosave(client, review, "Criminal Code, s. 12", 1)
    assert [kind for kind, _value, _flag in history(db, review)] == ["autosave", "save"]


def test_making_an_answer_confidential_on_the_page_is_a_revision_shown_in_its_history(
    client, db, focal
) -> None:
    review, user = focal
    login(client, user)
    autosave(client, review, "Criminal Code", 0)
    page = f"/reviews/{review.id}/sections/{SECTION}"
    data = {"TIP-5-1": "yes", KEY: "Criminal Code", f"version__{KEY}": 1}
    client.post(page, data={**data, f"confidential__{KEY}": "y"})
    client.post(page, data={**data, f"version__{KEY}": 2})

    assert history(db, review) == [
        ("flag", "Criminal Code", False),
        ("flag", "Criminal Code", True),
        ("autosave", "Criminal Code", False),
    ]
    assert len(audit(db, stored(db, review))) == 3
    text = client.get(f"/reviews/{review.id}/answers/{KEY}/history").get_data(as_text=True)
    assert text.count("Made confidential") == 1
    assert text.count("Made public") == 1
    # The language each version was written in is named, not given as a code.
    assert text.count('<span class="muted" lang="en">[English]</span>') == 3
    assert "[en]" not in text


def _carried_answer(db: Session, make_review, user: User) -> Review:
    """A v2 review whose TIP-3-6 was carried forward from a submitted v1 review."""
    earlier = make_review("GHA", ("TIP", "I", 1))
    version = db.get(BankVersion, earlier.bank_version_id)
    assert version is not None
    services.save_answers(
        db,
        earlier,
        bank_of(version),
        user,
        [AnswerChange("TIP-3-1", "yes", False, 0)],
        kind="save",
        language="en",
    )
    earlier.status, earlier.submitted_at = "submitted", utcnow()
    db.add(earlier)
    db.commit()
    review = make_review("GHA", ("TIP", "I", 2))
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    services.carry_forward(db, review, bank_of(version))
    db.commit()
    return review


def test_carried_forward_answers_and_their_confirmation_are_audited(
    client, db, make_user, make_review, member
) -> None:
    user = make_user("GHA")
    review = _carried_answer(db, make_review, user)
    member(review, user, "focal_point")
    carried = stored(db, review, "TIP-3-6")
    entries = audit(db, carried)
    assert [(e.action, e.actor_id) for e in entries] == [("answer.carry_forward", None)]
    assert entries[0].after["value"] == "yes" and not entries[0].after["is_confidential"]
    assert entries[0].review_id == review.id

    login(client, user)
    response = client.post(
        f"/reviews/{review.id}/sections/art-3",
        data=unchanged_page(db, review, "art-3", action="confirm:TIP-3-6"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    entries = audit(db, stored(db, review, "TIP-3-6"))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("answer.carry_forward", None),
        ("answer.confirm", user.id),
    ]
    assert history(db, review, "TIP-3-6")[0][0] == "confirm"


def test_editing_a_carried_forward_answer_is_never_merged_into_its_carried_revision(
    client, db, make_user, make_review, member
) -> None:
    user = make_user("GHA")
    review = _carried_answer(db, make_review, user)
    member(review, user, "focal_point")
    login(client, user)
    body = {"answers": [{"key": "TIP-3-6", "value": "partial", "is_confidential": False,
                         "base_version": 1}]}  # fmt: skip
    response = client.post(f"/reviews/{review.id}/sections/art-3/autosave", json=body)
    assert response.get_json()["saved"] == {"TIP-3-6": 2}
    assert [kind for kind, _v, _f in history(db, review, "TIP-3-6")] == [
        "autosave",
        "carry_forward",
    ]
    assert not stored(db, review, "TIP-3-6").is_carried_forward


@pytest.mark.parametrize("flag", ["false", "true", 0, 1, None, [], {}])
def test_autosave_refuses_a_confidentiality_flag_that_is_not_a_json_boolean(
    client, db, focal, flag
) -> None:
    review, user = focal
    login(client, user)
    body = {"answers": [{"key": KEY, "value": "Criminal Code", "is_confidential": flag,
                         "base_version": 0}]}  # fmt: skip
    response = client.post(f"/reviews/{review.id}/sections/{SECTION}/autosave", json=body)

    assert response.status_code == 400
    assert response.get_json()["message"] == (
        f"The confidentiality of question {KEY} must be true or false."
    )
    db.rollback()
    assert KEY not in services.answers_of(db, review.id)  # type: ignore[arg-type]


def test_autosave_takes_json_booleans_and_a_missing_flag_as_public(client, db, focal) -> None:
    review, user = focal
    login(client, user)
    autosave(client, review, "Criminal Code", 0, confidential=True)
    assert stored(db, review).is_confidential
    body = {"answers": [{"key": KEY, "value": "Criminal Code, s. 12", "base_version": 1}]}
    response = client.post(f"/reviews/{review.id}/sections/{SECTION}/autosave", json=body)
    assert response.get_json()["saved"] == {KEY: 2}
    assert not stored(db, review).is_confidential
