"""Who may do what on every route of the respondents' blueprint.

Every (endpoint, method) of `responses` is listed in CALLS; a route added without being
listed here fails `test_every_route_is_covered`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from questionnaire.audit.models import AuditEntry
from questionnaire.responses import services
from questionnaire.reviews.models import Review
from tests.factories import answer_required, fresh, page_data

SECTION = "art-5"
KEY = "TIP-5-1-cite"


@dataclass(frozen=True)
class Call:
    """One route of the blueprint, called the way its page calls it."""

    endpoint: str
    method: str
    path: str  # after /reviews/<id>
    kind: str  # read, edit, submit or reopen

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint}"


CALLS = (
    Call("responses.overview", "GET", "/", "read"),
    Call("responses.section", "GET", f"/sections/{SECTION}", "read"),
    Call("responses.history", "GET", "/answers/TIP-5-1/history", "read"),
    Call("responses.check", "GET", "/check", "read"),
    Call("responses.pdf", "GET", "/answers.pdf", "read"),
    Call("responses.section", "POST", f"/sections/{SECTION}", "edit"),
    Call("responses.autosave", "POST", f"/sections/{SECTION}/autosave", "edit"),
    Call("responses.submit", "POST", "/submit", "submit"),
    Call("responses.reopen", "GET", "/reopen", "reopen"),
    Call("responses.reopen", "POST", "/reopen", "reopen"),
)


def route(endpoint: str, method: str) -> Call:
    return next(c for c in CALLS if (c.endpoint, c.method) == (endpoint, method))


AUTOSAVE = route("responses.autosave", "POST")
SUBMIT = route("responses.submit", "POST")
REOPEN = route("responses.reopen", "POST")


def _current_version(db: Session, review_id: int) -> int:
    answer = services.answers_of(db, review_id).get(KEY)
    return answer.version if answer else 0


def send(client: FlaskClient, db: Session, review_id: int, call: Call) -> TestResponse:
    """Make `call` as its page would, with a new text for the answer edited."""
    fresh(db)
    url = f"/reviews/{review_id}{call.path}"
    text = f"Criminal Code, s. 12 ({uuid.uuid4().hex[:8]})"
    if call.method == "GET":
        return client.get(url)
    if call.endpoint == "responses.autosave":
        item = {"key": KEY, "value": text, "base_version": _current_version(db, review_id)}
        return client.post(url, json={"answers": [item]})
    if call.endpoint == "responses.section":
        review = db.get(Review, review_id)
        assert review is not None
        return client.post(
            url, data=page_data(db, review, SECTION, **{"TIP-5-1": "yes", KEY: text})
        )
    if call.endpoint == "responses.reopen":
        return client.post(url, data={"reason": "The focal point asked to correct article 5."})
    return client.post(url)


def stored_text(db: Session, review_id: int) -> object:
    answer = services.answers_of(fresh(db), review_id).get(KEY)
    return answer.value if answer else None


def status_of(db: Session, review_id: int) -> str:
    review = fresh(db).get(Review, review_id)
    assert review is not None
    return review.status


@pytest.fixture
def ghana(db, make_user, make_review, member) -> dict[str, object]:
    """Ghana's review with its respondents, and the secretariat."""
    review = make_review("GHA")
    people = {
        "focal_point": make_user("GHA"),
        "expert": make_user("GHA"),
        "observer": make_user("GHA"),
    }
    for role, user in people.items():
        member(review, user, role)
    people["secretariat"] = make_user(None, secretariat=True)
    return {"review_id": review.id, "review": review, **people}


def expect_statuses(
    client: FlaskClient, db: Session, review_id: int, expected: Callable[[Call], int]
) -> None:
    """Make every call; list every one that does not answer as expected."""
    wrong = []
    for call in CALLS:
        status = send(client, db, review_id, call).status_code
        if status != expected(call):
            wrong.append(f"{call}: {status}, expected {expected(call)}")
    assert not wrong, "\n".join(wrong)


def test_every_route_is_covered(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("responses.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    covered = {(call.endpoint, call.method) for call in CALLS}
    assert routes - covered == set(), "routes of `responses` not covered by CALLS"
    assert covered - routes == set(), "CALLS lists routes that no longer exist"


@pytest.mark.parametrize("who", ["other_state", "reviewer", "same_state_without_role"])
def test_people_outside_the_states_respondents_get_404_everywhere(
    db, ghana, make_user, make_review, member, client_for, who
) -> None:
    if who == "other_state":  # a respondent of Nigeria, in Nigeria's own review
        outsider = make_user("NGA")
        member(make_review("NGA"), outsider, "focal_point")
    elif who == "reviewer":  # Nigeria reviews Ghana: not a respondent of Ghana's answers
        outsider = make_user("NGA")
        member(ghana["review"], outsider, "reviewer")
    else:
        outsider = make_user("GHA")
    client = client_for(outsider)

    expect_statuses(client, db, ghana["review_id"], lambda call: 404)
    assert stored_text(db, ghana["review_id"]) is None
    # A review that does not exist looks the same.
    assert client.get(f"/reviews/{ghana['review_id'] + 1000}/").status_code == 404


def test_autosave_checks_the_csrf_token_once_the_user_is_known(
    app: Flask, db, ghana, client_for, monkeypatch
) -> None:
    review_id = ghana["review_id"]
    expert, anonymous = client_for(ghana["expert"]), client_for(None)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert send(anonymous, db, review_id, AUTOSAVE).status_code == 401  # the session, first
    assert send(expert, db, review_id, AUTOSAVE).status_code == 400  # no token
    assert stored_text(db, review_id) is None

    page = expert.get(f"/reviews/{review_id}/sections/{SECTION}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    item = {"key": KEY, "value": "Criminal Code, s. 12", "base_version": 0}
    response = expert.post(
        f"/reviews/{review_id}{AUTOSAVE.path}",
        json={"answers": [item]},
        headers={"X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 200 and response.get_json()["saved"] == {KEY: 1}


def test_anonymous_users_are_sent_to_log_in(db, ghana, client_for) -> None:
    client = client_for(None)
    review_id = ghana["review_id"]
    for call in CALLS:
        response = send(client, db, review_id, call)
        if call.endpoint == "responses.autosave":
            assert response.status_code == 401, call
            assert response.get_json()["error"] == "session_ended"
        else:
            assert response.status_code == 302, call
            assert response.headers["Location"].startswith("/login?next="), call
    assert stored_text(db, review_id) is None


def test_an_observer_reads_but_changes_nothing(db, ghana, client_for) -> None:
    review_id = ghana["review_id"]
    client = client_for(ghana["observer"])
    expect_statuses(client, db, review_id, lambda call: 200 if call.kind == "read" else 403)
    assert stored_text(db, review_id) is None
    autosave = send(client, db, review_id, AUTOSAVE)
    assert autosave.get_json()["error"] == "read_only"
    page = client.get(f"/reviews/{review_id}/sections/{SECTION}").get_data(as_text=True)
    assert "You can read these answers but not change them." in page
    assert "data-read-only" in page


def test_an_expert_saves_but_cannot_submit(db, ghana, client_for) -> None:
    review_id = ghana["review_id"]
    client = client_for(ghana["expert"])
    saved = []

    def expected(call: Call) -> int:
        if call.kind == "edit":
            return 200 if call is AUTOSAVE else 302  # the page save redirects to the page
        return 200 if call.kind == "read" else 403

    for call in CALLS:
        assert send(client, db, review_id, call).status_code == expected(call), call
        if call.kind == "edit":
            saved.append(stored_text(db, review_id))

    assert len(saved) == 2 and all(str(text).startswith("Criminal Code") for text in saved)
    assert saved[0] != saved[1]  # both the page save and the autosave were stored
    check = client.get(f"/reviews/{review_id}/check").get_data(as_text=True)
    assert "Only the focal point of your State can submit the answers." in check
    assert status_of(db, review_id) == "answering"


def test_the_focal_point_submits_and_then_nobody_can_change_the_answers(
    db, ghana, client_for
) -> None:
    review_id = ghana["review_id"]
    focal = client_for(ghana["focal_point"])
    expert = client_for(ghana["expert"])
    # Not yet: required answers are missing, and the focal point is sent to see which.
    refused = send(focal, db, review_id, SUBMIT)
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith("/check?attempted=1")
    assert status_of(db, review_id) == "answering"

    answer_required(db, db.get(Review, review_id), ghana["expert"])  # type: ignore[arg-type]
    submitted = send(focal, db, review_id, SUBMIT)
    assert submitted.status_code == 302
    # The focal point lands on the receipt of the submission.
    assert submitted.headers["Location"].endswith(f"/reviews/{review_id}/submission/")
    assert status_of(db, review_id) == "submitted"

    for client in (focal, expert):
        expect_statuses(client, db, review_id, lambda call: 200 if call.kind == "read" else 403)
        page = client.get(f"/reviews/{review_id}/sections/{SECTION}").get_data(as_text=True)
        assert "These answers have been submitted and are read-only." in page
    assert send(expert, db, review_id, AUTOSAVE).get_json()["error"] == "read_only"


def test_the_secretariat_reads_and_reopens_but_does_not_edit(db, ghana, client_for) -> None:
    review_id = ghana["review_id"]
    secretariat = client_for(ghana["secretariat"])

    # While the State answers: everything can be read, nothing changed, nothing reopened.
    expect_statuses(secretariat, db, review_id, lambda call: 200 if call.kind == "read" else 403)
    assert stored_text(db, review_id) is None

    answer_required(db, db.get(Review, review_id), ghana["expert"])  # type: ignore[arg-type]
    assert send(client_for(ghana["focal_point"]), db, review_id, SUBMIT).status_code == 302
    assert status_of(db, review_id) == "submitted"

    # Once submitted: the answers still cannot be edited, but they can be reopened.
    for call in CALLS:
        if call.kind in ("edit", "submit"):
            assert send(secretariat, db, review_id, call).status_code == 403, call
    assert secretariat.get(f"/reviews/{review_id}/").status_code == 200
    assert "Reopen for changes" in secretariat.get(f"/reviews/{review_id}/").get_data(as_text=True)
    assert secretariat.get(f"/reviews/{review_id}/reopen").status_code == 200

    no_reason = secretariat.post(f"/reviews/{review_id}/reopen", data={"reason": "  "})
    assert no_reason.status_code == 200
    assert "Give the reason for reopening" in no_reason.get_data(as_text=True)
    assert status_of(db, review_id) == "submitted"

    reopened = send(secretariat, db, review_id, REOPEN)
    assert reopened.status_code == 302
    assert status_of(db, review_id) == "answering"
    entry = db.exec(
        select(AuditEntry).where(
            AuditEntry.review_id == review_id, AuditEntry.action == "review.reopen"
        )
    ).one()
    assert entry.reason == "The focal point asked to correct article 5."
    assert entry.actor_id == ghana["secretariat"].id  # type: ignore[attr-defined]
    assert (entry.before, entry.after) == ({"status": "submitted"}, {"status": "answering"})
    # The respondents can change their answers again.
    assert send(client_for(ghana["expert"]), db, review_id, AUTOSAVE).status_code == 200
