"""General answers given once for all of a State's questionnaires: a question declared
`shared_as` (or read so in a version written before the attribute) takes the State's latest
submitted answer to a question shared the same way in another instrument or cluster, carried
forward with its confidential flag and confirmed like any other carried answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.banks.validation import validate_file
from questionnaire.db import utcnow
from questionnaire.responses import services
from questionnaire.responses.services import AnswerChange
from questionnaire.reviews.models import Review
from tests.conftest import login

SOM_I, TIP_I = ("SOM", "I", 1), ("TIP", "I", 1)
MARKER = "R-REUSE-MARKER-5521"


def bank(db: Session, review: Review) -> Any:
    version = db.get(BankVersion, review.bank_version_id)
    assert version is not None
    return bank_of(version)


def submitted(db: Session, review: Review, user: User, values: dict[str, Any]) -> None:
    """Save `values` (a tuple value: (value, confidential)) and mark the review submitted."""
    pairs = {
        key: value if isinstance(value, tuple) else (value, False) for key, value in values.items()
    }
    changes = [AnswerChange(key, value, secret, 0) for key, (value, secret) in pairs.items()]
    services.save_answers(db, review, bank(db, review), user, changes, kind="save", language="en")
    review.status, review.submitted_at = "submitted", utcnow()
    db.add(review)
    db.commit()


def text(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_shipped_versions_read_their_general_questions_as_shared() -> None:
    tip = validate_file(Path("question_banks/TIP/I/v3.yaml")).bank
    untoc = validate_file(Path("question_banks/UNTOC/I/v2.yaml")).bank
    assert tip is not None and untoc is not None
    assert {kind: q.key for kind, q in tip.shared_questions.items()} == {
        "assistance_needed": "TIP-GEN-1",
        "assistance_needed_details": "TIP-GEN-1-specify",
        "origin_transit_destination": "TIP-GEN-2",
        "other_mechanisms_links": "TIP-GEN-5-links",
        "other_mechanisms_named": "TIP-GEN-5-names",
    }
    assert untoc.shared_questions["other_mechanisms_links"].key == "UNTOC-GEN-2"
    assert "origin_transit_destination" not in untoc.shared_questions


def test_a_declared_shared_question_must_fit_its_kind(tmp_path: Path) -> None:
    source = Path("question_banks/TIP/I/v1.yaml").read_text(encoding="utf-8")
    wrong = source.replace(
        "      - key: TIP-GEN-4\n", "      - key: TIP-GEN-4\n        shared_as: assistance_needed\n"
    )
    path = tmp_path / "question_banks" / "TIP" / "I" / "v1.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(wrong, encoding="utf-8")

    result = validate_file(path)

    messages = [str(problem) for problem in result.problems]
    assert any(
        "shared_as: TIP-GEN-4: assistance_needed is answered as single_choice with options "
        "yes, no" in message
        for message in messages
    ), messages
    declared = source.replace(
        "      - key: TIP-GEN-2\n",
        "      - key: TIP-GEN-2\n        shared_as: origin_transit_destination\n",
    )
    path.write_text(declared, encoding="utf-8")
    bank_ = validate_file(path).bank
    assert bank_ is not None
    assert list(bank_.shared_questions) == ["origin_transit_destination"]  # as declared only


def test_general_answers_are_carried_across_instruments_and_confirmed_over_http(
    client: FlaskClient, db: Session, make_user, make_review, member
) -> None:
    user = make_user("GHA")
    som = make_review("GHA", SOM_I)
    submitted(
        db,
        som,
        user,
        {
            "SOM-GEN-2": ["origin", "transit"],
            "SOM-GEN-4": (f"Regional review 2005 {MARKER}", True),
        },
    )
    tip = make_review("GHA", TIP_I)
    member(tip, user, "focal_point")

    carried = services.carry_forward(db, tip, bank(db, tip))
    db.commit()

    answers = services.answers_of(db, tip.id)  # type: ignore[arg-type]
    assert carried == 2
    assert answers["TIP-GEN-2"].value == ["origin", "transit"]
    assert answers["TIP-GEN-2"].is_carried_forward
    assert answers["TIP-GEN-2"].carried_from_review_id == som.id
    assert answers["TIP-GEN-4"].is_confidential  # carried with its flag
    assert answers["TIP-GEN-4"].carried_from == "SOM cluster I v1: SOM-GEN-4"

    login(client, user)
    url = f"/reviews/{tip.id}/sections/general"
    page = text(client.get(url))
    title = str(bank(db, som).title["en"])
    assert f"Carried forward from your answers to “{title}” (version 1), submitted on" in page
    assert MARKER in page  # the State's own answer, shown to the State

    data = {"version__TIP-GEN-2": 1, "TIP-GEN-2": ["origin", "transit"]}
    data |= {"version__TIP-GEN-4": 1, "TIP-GEN-4": f"Regional review 2005 {MARKER}"}
    data |= {"confidential__TIP-GEN-4": "y", "action": "confirm-section"}
    confirmed = client.post(url, data=data)
    assert confirmed.status_code == 302
    db.rollback()
    db.expire_all()
    answers = services.answers_of(db, tip.id)  # type: ignore[arg-type]
    assert not answers["TIP-GEN-2"].is_carried_forward
    assert answers["TIP-GEN-4"].is_confidential


def test_an_answer_of_the_same_questionnaire_comes_first_and_other_states_are_not_read(
    db: Session, make_user, make_review
) -> None:
    ghana, peru = make_user("GHA"), make_user("PER")
    other = make_review("PER", SOM_I)
    submitted(db, other, peru, {"SOM-GEN-2": ["destination"], "SOM-GEN-4": MARKER})
    som = make_review("GHA", SOM_I)
    submitted(db, som, ghana, {"SOM-GEN-2": ["destination"]})
    earlier = make_review("GHA", TIP_I)
    submitted(db, earlier, ghana, {"TIP-GEN-2": ["origin"]})
    tip = make_review("GHA", ("TIP", "I", 2))

    services.carry_forward(db, tip, bank(db, tip))
    db.commit()

    answers = services.answers_of(db, tip.id)  # type: ignore[arg-type]
    assert answers["TIP-GEN-2"].value == ["origin"]  # from TIP itself, not SOM
    assert answers["TIP-GEN-2"].carried_from_review_id == earlier.id
    assert "TIP-GEN-4" not in answers  # Peru's answer is Peru's alone


def test_a_peer_state_never_reads_a_carried_confidential_answer(
    client: FlaskClient, db: Session, make_user, make_review
) -> None:
    ghana, peru = make_user("GHA"), make_user("PER")
    som = make_review("GHA", SOM_I)
    submitted(db, som, ghana, {"SOM-GEN-4": (MARKER, True)})
    tip = make_review("GHA", TIP_I)
    services.carry_forward(db, tip, bank(db, tip))
    db.commit()

    login(client, peru)
    for path in ("sections/general", "check", "answers.pdf", ""):
        response = client.get(f"/reviews/{tip.id}/{path}")
        assert response.status_code in (403, 404), path
        assert MARKER.encode() not in response.get_data(), path
