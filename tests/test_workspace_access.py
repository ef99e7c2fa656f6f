"""Who may do what on every route of the review workspace (`workspace`), of the reviews
pages (`reviews`), of the dashboard (`dashboard`) and of the home page (`home`), at every stage
of a review.

EXPECTED is the one table of expectations: a row per call and stage, a column per actor. Every
(endpoint, method) of those blueprints must be called by some row; a route added without a row
fails `test_every_route_is_in_the_table`.

Besides the status, every call is checked for what it left behind: a refused call (4xx, or the
anonymous visitor's redirect to the login page) and every GET change nothing; an allowed POST
writes at least one entry to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewMembership,
    ReviewPhase,
)
from questionnaire.workspace.models import (
    DialogueMessage,
    ListOfObservations,
    ListTransition,
    Observation,
)
from questionnaire.workspace.services import list_of
from questionnaire.workspace.summary import paragraph_key
from tests.conftest import reviewing_states_agree
from tests.factories import (
    Cast,
    cast_review,
    fresh,
    settled,
)

#: The actors, as the columns of the table name them, and who they are in `Cast`.
ACTORS = {
    "anon": None,  # not logged in
    "focal": "focal_point",  # of Ghana, the State under review
    "expert": "expert",  # of Ghana
    "observer": "observer",  # of Ghana
    "reviewer": "reviewer",  # of Nigeria, which holds an active seat
    "unassigned": "unassigned",  # of Kenya: a reviewer membership, but its seat was replaced
    "outsider": "outsider",  # of Brazil, with no role in the review
    "secretariat": "secretariat",
}
#: The summary of the list at every call, and the key its one paragraph is posted with.
SUMMARY = "Ghana has a comprehensive law."
SUMMARY_KEY = paragraph_key(SUMMARY)
#: Status of the list of observations at each stage (the answers are submitted from "drafting").
STAGES = ("answering", "drafting", "with_state", "agreed", "final")
#: The status each stage's "move on" button asks for.
NEXT = {
    "answering": "with_state",
    "drafting": "with_state",
    "with_state": "agreed",
    "agreed": "final",
    "final": "agreed",
}

# 302 from an actor with a role means allowed (and recorded); 302 for "anon" is the
# redirect to the login page. 200 for a post means refused by a rule and the page shown again
# with its message (the dialogue is closed once the list is final). "reviews" rows do not
# depend on the stage: "any".
EXPECTED_TABLE = """
call              stage      anon focal expert observer reviewer unassigned outsider secretariat
overview          answering  302  403   403    403      403      404        404      200
overview          drafting   302  200   200    200      200      404        404      200
overview          with_state 302  200   200    200      200      404        404      200
overview          agreed     302  200   200    200      200      404        404      200
overview          final      302  200   200    200      200      404        404      200
section           answering  302  403   403    403      403      404        404      200
section           drafting   302  200   200    200      200      404        404      200
section           with_state 302  200   200    200      200      404        404      200
section           agreed     302  200   200    200      200      404        404      200
section           final      302  200   200    200      200      404        404      200
add observation   answering  302  403   403    403      403      404        404      403
add observation   drafting   302  403   403    403      302      404        404      403
add observation   with_state 302  403   403    403      403      404        404      403
add observation   agreed     302  403   403    403      403      404        404      403
add observation   final      302  403   403    403      403      404        404      403
message           answering  302  403   403    403      403      404        404      403
message           drafting   302  302   302    403      302      404        404      403
message           with_state 302  302   302    403      302      404        404      403
message           agreed     302  302   302    403      302      404        404      403
message           final      302  200   200    403      200      404        404      403
save observation  answering  302  403   403    403      403      404        404      403
save observation  drafting   302  403   403    403      302      404        404      403
save observation  with_state 302  403   403    403      403      404        404      403
save observation  agreed     302  403   403    403      403      404        404      403
save observation  final      302  403   403    403      403      404        404      403
withdraw          answering  302  403   403    403      403      404        404      403
withdraw          drafting   302  403   403    403      302      404        404      403
withdraw          with_state 302  403   403    403      403      404        404      403
withdraw          agreed     302  403   403    403      403      404        404      403
withdraw          final      302  403   403    403      403      404        404      403
keep confidential answering  302  403   403    403      403      404        404      403
keep confidential drafting   302  403   403    403      403      404        404      403
keep confidential with_state 302  302   403    403      403      404        404      403
keep confidential agreed     302  302   403    403      403      404        404      403
keep confidential final      302  403   403    403      403      404        404      403
keep paragraph    answering  302  403   403    403      403      404        404      403
keep paragraph    drafting   302  403   403    403      403      404        404      403
keep paragraph    with_state 302  302   403    403      403      404        404      403
keep paragraph    agreed     302  302   403    403      403      404        404      403
keep paragraph    final      302  403   403    403      403      404        404      403
list              answering  302  403   403    403      403      404        404      200
list              drafting   302  403   403    403      200      404        404      200
list              with_state 302  200   200    200      200      404        404      200
list              agreed     302  200   200    200      200      404        404      200
list              final      302  200   200    200      200      404        404      200
summary           answering  302  403   403    403      403      404        404      403
summary           drafting   302  403   403    403      302      404        404      403
summary           with_state 302  403   403    403      403      404        404      403
summary           agreed     302  403   403    403      403      404        404      403
summary           final      302  403   403    403      403      404        404      403
comment           answering  302  403   403    403      403      404        404      403
comment           drafting   302  403   403    403      302      404        404      403
comment           with_state 302  302   302    403      302      404        404      403
comment           agreed     302  302   302    403      302      404        404      403
comment           final      302  200   200    403      200      404        404      403
move on           answering  302  403   403    403      403      404        404      403
move on           drafting   302  403   403    403      302      404        404      403
move on           with_state 302  302   403    403      403      404        404      403
move on           agreed     302  403   403    403      302      404        404      302
move on           final      302  403   403    403      403      404        404      403
send back         answering  302  403   403    403      403      404        404      403
send back         drafting   302  403   403    403      403      404        404      403
send back         with_state 302  302   403    403      302      404        404      403
send back         agreed     302  403   403    403      403      404        404      302
send back         final      302  403   403    403      403      404        404      403
home              any        302  200   200    200      200      200        200      200
new phase form    any        302  404   404    404      404      404        404      200
open a phase      any        302  404   404    404      404      404        404      302
dashboard         any        302  404   404    404      404      404        404      200
phase page        any        302  404   404    404      404      404        404      200
confirm draw      any        302  404   404    404      404      404        404      200
draw lots         any        302  404   404    404      404      404        404      302
draw preview      any        302  404   404    404      404      404        404      200
groups page       any        302  404   404    404      404      404        404      200
draw groups       any        302  404   404    404      404      404        404      200
replace form      any        302  404   404    404      404      404        404      200
replace a seat    any        302  404   404    404      404      404        404      302
assignments       any        302  404   404    404      404      404        404      200
"""


def _parse(table: str) -> dict[tuple[str, str], dict[str, int]]:
    lines = [line.split() for line in table.strip().splitlines()]
    assert lines[0] == ["call", "stage", *ACTORS]
    expected: dict[tuple[str, str], dict[str, int]] = {}
    width = len(ACTORS) + 1
    for words in lines[1:]:
        call, stage = " ".join(words[:-width]), words[-width]
        assert (call, stage) not in expected, f"two rows for {call} at {stage}"
        expected[(call, stage)] = dict(zip(ACTORS, map(int, words[-len(ACTORS) :]), strict=True))
    return expected


EXPECTED = _parse(EXPECTED_TABLE)


@dataclass
class Scene:
    """One stage of Ghana's review, and what a call needs to be made as its page makes it."""

    cast: Cast
    stage: str
    draw_phase_id: int  # an empty phase, for the drawing of lots
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def list_status(self) -> str:
        return "drafting" if self.stage == "answering" else self.stage


@dataclass(frozen=True)
class Call:
    """One route of the blueprints, called the way its page calls it."""

    name: str
    endpoint: str
    method: str
    path: str  # formatted with the ids of the scene
    data: Callable[[Scene, str], dict[str, Any]] | None = None  # (scene, actor) -> form

    def __str__(self) -> str:
        return f"{self.name} ({self.method} {self.endpoint})"


WS = "/reviews/{review}/workspace"
OBS = WS + "/observations/{observation}"


def _edit(scene: Scene, actor: str) -> dict[str, Any]:
    prefix = f"o{scene.ids['observation']}"
    return {
        "action": "save",
        f"{prefix}-version": "1",
        f"{prefix}-category": "suggestion",
        f"{prefix}-text": f"Edited by {actor}.",
        f"{prefix}-cited_keys": ["TIP-5-1"],
    }


CALLS = (
    Call("overview", "workspace.overview", "GET", WS + "/"),
    Call("section", "workspace.section", "GET", WS + "/sections/art-5"),
    Call(
        "add observation",
        "workspace.section",
        "POST",
        WS + "/sections/art-5",
        lambda scene, actor: {
            "form": "observation",
            "category": "gap",
            "text": f"Written by {actor}.",
            "cited_keys": ["TIP-5-1", "TIP-5-1-cite"],
        },
    ),
    Call(
        "message",
        "workspace.section",
        "POST",
        WS + "/sections/art-5",
        lambda scene, actor: {
            "form": "message",
            "message-kind": "request" if actor in ("reviewer", "unassigned") else "reply",
            "message-body": f"A message from {actor}.",
        },
    ),
    Call("save observation", "workspace.edit_observation", "POST", OBS, _edit),
    Call(
        "withdraw",
        "workspace.edit_observation",
        "POST",
        OBS,
        lambda scene, actor: {"action": "withdraw"},
    ),
    Call(
        "keep confidential",
        "workspace.edit_observation",
        "POST",
        OBS,
        lambda scene, actor: {"action": "confidential", "next": "list"},
    ),
    Call(
        "keep paragraph",
        "workspace.summary_confidentiality",
        "POST",
        WS + "/list/summary/confidentiality",
        lambda scene, actor: {"action": "confidential", "paragraph": SUMMARY_KEY},
    ),
    Call("list", "workspace.list_page", "GET", WS + "/list"),
    Call(
        "summary",
        "workspace.list_page",
        "POST",
        WS + "/list",
        lambda scene, actor: {
            "form": "summary",
            "summary-summary": f"Summary by {actor}.",
            "summary-version": str(scene.ids["summary_version"]),
        },
    ),
    Call(
        "comment",
        "workspace.list_page",
        "POST",
        WS + "/list",
        lambda scene, actor: {"form": "comment", "comment-body": f"A comment by {actor}."},
    ),
    Call(
        "move on",
        "workspace.move_list",
        "POST",
        WS + "/list/transition",
        lambda scene, actor: {"to_status": NEXT[scene.stage]},
    ),
    Call(
        "send back",
        "workspace.move_list",
        "POST",
        WS + "/list/transition",
        lambda scene, actor: {"to_status": "drafting"},
    ),
    Call("home", "home.index", "GET", "/"),
    Call("new phase form", "reviews.new_phase", "GET", "/phases/new"),
    Call(
        "open a phase",
        "reviews.new_phase",
        "POST",
        "/phases/new",
        lambda scene, actor: {
            "name": "Cluster I, group 2",
            "cluster": "I",
            "started_on": "2026-06-01",
            "max_reviews_per_state": "3",
            "states": ["BRA"],
        },
    ),
    Call("dashboard", "dashboard.index", "GET", "/dashboard"),
    Call("phase page", "dashboard.phase_page", "GET", "/phases/{draw_phase}"),
    Call("confirm draw", "reviews.confirm_draw", "GET", "/phases/{draw_phase}/draw"),
    Call("draw lots", "reviews.draw", "POST", "/phases/{draw_phase}/draw", lambda scene, actor: {}),
    Call("draw preview", "reviews.draw_preview", "GET", "/phases/{draw_phase}/draw/preview"),
    Call("groups page", "reviews.state_groups", "GET", "/phases/groups"),
    Call(
        "draw groups",
        "reviews.state_groups",
        "POST",
        "/phases/groups",
        # Sizes that cannot add up: the form is shown again and nothing is written.
        lambda scene, actor: {"sizes": "1", "first_year": "2021"},
    ),
    Call("replace form", "reviews.replace", "GET", "/assignments/{assignment}/replace"),
    Call(
        "replace a seat",
        "reviews.replace",
        "POST",
        "/assignments/{assignment}/replace",
        lambda scene, actor: {"reason": "Germany declined to review Ghana."},
    ),
    Call("assignments", "reviews.assignments", "GET", "/reviews/{review}/assignments"),
)
WORKSPACE_CALLS = [c for c in CALLS if c.endpoint.startswith("workspace.")]
REVIEWS_CALLS = [c for c in CALLS if c.endpoint.startswith(("reviews.", "dashboard.", "home."))]


def _counts(db: Session, models: tuple[type, ...]) -> tuple[int, ...]:
    """The models' row counts, read in one query."""
    counts = (select(func.count()).select_from(model).scalar_subquery() for model in models)
    return tuple(db.connection().execute(sql_select(*counts)).one())


def footprint(db: Session, review_id: int) -> tuple[object, ...]:
    """What any change leaves behind: row counts, and the list's status and summary version."""
    fresh(db)
    lst = db.exec(select(ListOfObservations).where(ListOfObservations.review_id == review_id)).one()
    models = (
        AuditEntry,
        OutboxMessage,
        Observation,
        DialogueMessage,
        ListTransition,
        ReviewPhase,
        ReviewDraw,
        ReviewAssignment,
        Review,
        ReviewMembership,
    )
    observations = db.exec(
        select(Observation.version, Observation.is_deleted, Observation.is_confidential)
    ).all()
    return settled(
        db,
        (
            *_counts(db, models),
            lst.status,
            lst.summary_version,
            sorted(observations),
        ),
    )


def prepare(db: Session, scene: Scene) -> None:
    """Put the review back at the scene's stage, with a fresh observation and a fresh seat for
    the calls to act on, whatever the calls before changed."""
    fresh(db)
    cast = scene.cast
    lst = db.exec(
        select(ListOfObservations).where(ListOfObservations.review_id == cast.review_id)
    ).one()
    lst.status = scene.list_status
    lst.summary, lst.summary_confidential = SUMMARY, []
    observation = Observation(
        review_id=cast.review_id,
        section_key="art-5",
        category="gap",
        text="Attempt is not criminalized.",
        cited_keys=["TIP-5-2"],
        created_by_id=cast.reviewer.id,
        updated_by_id=cast.reviewer.id,
    )
    draw = db.exec(select(ReviewDraw).where(ReviewDraw.phase_id == cast.phase_id)).first()
    assert draw is not None
    seat = _german_seat(db, cast, draw)
    db.add_all([lst, observation, seat])
    db.commit()
    if lst.status == "drafting":
        # Sharing the list needs every reviewing State's agreement to the list as it stands.
        reviewing_states_agree(db, fresh(db).get(Review, cast.review_id))  # type: ignore[arg-type]
        db.commit()
    scene.ids.update(
        review=cast.review_id,
        observation=observation.id,  # type: ignore[arg-type]
        summary_version=lst.summary_version,
        assignment=seat.id,  # type: ignore[arg-type]
        draw_phase=scene.draw_phase_id,
    )


def _german_seat(db: Session, cast: Cast, draw: ReviewDraw) -> ReviewAssignment:
    """A fresh seat of Germany for the replacement calls, on Ghana's SOM review of the same
    phase: the TIP review keeps its two reviewing States (one active State per review and
    seat), and whatever an earlier call drew on the SOM review is ended first."""
    tip = db.get(Review, cast.review_id)
    assert tip is not None
    som = db.exec(
        select(Review).where(Review.phase_id == cast.phase_id, Review.id != cast.review_id)
    ).first()
    if som is None:
        bank = db.exec(
            select(BankVersion).where(BankVersion.instrument == "SOM", BankVersion.cluster == "I")
        ).first()
        assert bank is not None
        som = Review(
            state_code="GHA",
            bank_version_id=bank.id,  # type: ignore[arg-type]
            started_on=tip.started_on,
            answers_due_on=tip.answers_due_on,
            phase_id=cast.phase_id,
        )
        db.add(som)
        db.flush()
    for old in db.exec(select(ReviewAssignment).where(ReviewAssignment.review_id == som.id)):
        old.is_active = False
        db.add(old)
    db.flush()
    return ReviewAssignment(
        review_id=som.id,  # type: ignore[arg-type]
        reviewing_state="DEU",
        seat="other_region",
        draw_id=draw.id,  # type: ignore[arg-type]
    )


def send(client: FlaskClient, scene: Scene, call: Call, actor: str) -> TestResponse:
    url = call.path.format(**scene.ids)
    if call.method == "GET":
        return client.get(url)
    assert call.data is not None, call
    return client.post(url, data=call.data(scene, actor))


@pytest.fixture
def scene_at(db, make_user, make_review, member) -> Callable[[str], Scene]:
    def make(stage: str) -> Scene:
        cast = cast_review(db, make_user, make_review, member, submitted=stage != "answering")
        review = cast.review(db)
        list_of(db, review)
        empty = ReviewPhase(name="Cluster I, group 3", cluster="I", started_on=review.started_on)
        db.add(empty)
        db.commit()
        return Scene(cast=cast, stage=stage, draw_phase_id=empty.id)  # type: ignore[arg-type]

    return make


def clients(cast: Cast, client_for: Callable[[User | None], FlaskClient]) -> dict[str, FlaskClient]:
    return {
        actor: client_for(getattr(cast, name) if name else None) for actor, name in ACTORS.items()
    }


def check(
    db: Session,
    scene: Scene,
    calls: list[Call],
    table_stage: str,
    client_for: Callable[[User | None], FlaskClient],
) -> None:
    """Make every call as every actor; list every call that does not answer as the table says
    or that leaves the wrong trace. The scene is prepared again after a call that changed
    something; after one that changed nothing it is as prepared."""
    wrong = []
    unchanged: tuple[object, ...] | None = None  # the footprint of the scene as prepared
    for actor, client in clients(scene.cast, client_for).items():
        for call in calls:
            expected = EXPECTED[(call.name, table_stage)][actor]
            if unchanged is None:
                prepare(db, scene)
                unchanged = footprint(db, scene.cast.review_id)
            before = unchanged
            response = send(client, scene, call, actor)
            after = footprint(db, scene.cast.review_id)
            if after != before:
                unchanged = None
            where = f"{actor}: {call}"
            if response.status_code != expected:
                wrong.append(f"{where}: {response.status_code}, expected {expected}")
                continue
            location = response.headers.get("Location", "")
            if (actor == "anon") != location.startswith("/login?next="):
                wrong.append(f"{where}: sent to {location!r}")
            allowed = call.method == "POST" and expected == 302 and actor != "anon"
            if allowed and after[0] <= before[0]:  # type: ignore[operator]
                wrong.append(f"{where}: allowed, but nothing was recorded in the audit log")
            if not allowed and after != before:
                wrong.append(f"{where}: changed something: {before} -> {after}")
    assert not wrong, "\n".join(wrong)


def test_every_route_is_in_the_table(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("workspace.", "reviews.", "dashboard.", "home."))
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    called = {(call.endpoint, call.method) for call in CALLS}
    assert routes - called == set(), "routes that no call of the table makes"
    assert called - routes == set(), "calls of routes that no longer exist"
    rows = {(call.name, stage) for call in WORKSPACE_CALLS for stage in STAGES}
    rows |= {(call.name, "any") for call in REVIEWS_CALLS}
    assert set(EXPECTED) == rows, "the table must have exactly one row per call and stage"


@pytest.mark.parametrize("stage", STAGES)
def test_the_workspace_at_each_stage(db, scene_at, client_for, stage) -> None:
    check(db, scene_at(stage), WORKSPACE_CALLS, stage, client_for)


def test_the_reviews_pages(db, scene_at, client_for) -> None:
    check(db, scene_at("drafting"), REVIEWS_CALLS, "any", client_for)


def test_a_review_that_does_not_exist_is_not_found_by_anyone(db, scene_at, client_for) -> None:
    scene = scene_at("drafting")
    prepare(db, scene)
    scene.ids.update(review=scene.cast.review_id + 1000, assignment=scene.ids["assignment"] + 1000)
    for actor, client in clients(scene.cast, client_for).items():
        for call in CALLS:
            if "{review}" not in call.path and "{assignment}" not in call.path:
                continue
            status = send(client, scene, call, actor).status_code
            assert status == (302 if actor == "anon" else 404), f"{actor}: {call}"
