"""The access matrix: one table, one row per call of the application, one column per actor,
and the scene its URLs are built from and its calls made on; read by
tests/test_access_matrix.py and tests/test_hostile_input.py.

A route added without a row fails `test_every_route_has_a_row`; a row whose route is gone fails
it too. The URLs are built from the rule's arguments, filled from one small scene: Ghana under
review in a drawn phase (its TIP answers submitted, the list of observations with the State;
its SOM answers still being written), a published document and a draft.

Outcomes: "ok" (2xx, or 3xx anywhere but the login page), "login" (3xx to the login page, or
401), else the status: 403 (forbidden), 404 (hidden: the page does not exist for the actor),
405 (method not allowed). Besides the status, a refused call must leave no entry in the
audit log, and no response may carry text that its actor must not read (canary texts planted
in a confidential answer, an unsubmitted answer, an observation and a draft document).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import bindparam, exists, func, inspect, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from questionnaire.accounts.models import User
from questionnaire.attachments import services as attachments
from questionnaire.attachments.models import ReviewAttachment
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.db import READ_ONLY_METHODS, id_of
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import slug
from questionnaire.meetings import services as meetings
from questionnaire.meetings.validation import read_meeting_file
from questionnaire.nominations import services as nominations
from questionnaire.nominations.scope import Purpose
from questionnaire.outbox.models import OutboxMessage
from questionnaire.responses import services as responses
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewAssignment
from questionnaire.workspace import dialogue
from questionnaire.workspace import services as observations
from questionnaire.workspace.models import ListOfObservations
from tests import snapshots
from tests.conftest import KEPT_TABLES, PROJECT_ROOT, UserFactory, reviewing_states_agree
from tests.factories import answer_required, bank_of_review, fresh, page_data

ACTORS = ("anon", "focal", "expert", "observer", "reviewer", "other", "secretariat")

#: Planted texts, and who may read each of them.
CONFIDENTIAL_ANSWER = "Canary-confidential-answer-7f3a"
UNSUBMITTED_ANSWER = "Canary-unsubmitted-answer-1c9e"
OBSERVATION = "Canary-observation-5b2d"
DRAFT_DOCUMENT = "Canary-draft-document-9e41"
ATTACHED_FILE = "Canary-attached-file-3d7c"
ATTACHED_PDF = f"%PDF-1.4 {ATTACHED_FILE}".encode()
READERS = {
    CONFIDENTIAL_ANSWER: {"focal", "expert", "observer", "reviewer", "secretariat"},
    UNSUBMITTED_ANSWER: {"focal", "expert", "observer", "secretariat"},
    OBSERVATION: {"focal", "expert", "observer", "reviewer", "secretariat"},
    DRAFT_DOCUMENT: {"secretariat"},
    ATTACHED_FILE: {"focal", "expert", "observer", "reviewer", "secretariat"},
}

#: The actors, as the columns of the table name them: an anonymous visitor; Ghana's focal point,
#: governmental expert and observer; a user of a State drawn to review Ghana (a reviewer of its
#: TIP review); a user of another State with no role; the secretariat.
COLUMNS = dict(zip(("anon", "focal", "expert", "obs", "rev", "other", "secr"), ACTORS, strict=True))

# A variant names the data a row's URL and form are made of (see `url_values` and FORMS); "-" is
# the default: the submitted TIP review, the published document. "ANY" is every method that the
# route takes. "login" for accounts.logout is where logging out sends everyone.
EXPECTED_TABLE = """
endpoint                   method variant      anon   focal  expert obs    rev    other  secr
banks.index                GET    -            ok     ok     ok     ok     ok     ok     ok
banks.show                 GET    -            ok     ok     ok     ok     ok     ok     ok
banks.names                GET    -            ok     ok     ok     ok     ok     ok     ok
exports.bank_json          GET    -            ok     ok     ok     ok     ok     ok     ok
api.banks                  GET    -            ok     ok     ok     ok     ok     ok     ok
api.bank                   GET    -            ok     ok     ok     ok     ok     ok     ok
api.openapi                GET    -            ok     ok     ok     ok     ok     ok     ok
api.states                 GET    -            ok     ok     ok     ok     ok     ok     ok
api.reviews                GET    -            login  login  login  login  login  login  login
api.unknown                ANY    root         404    404    404    404    404    404    404
api.unknown                ANY    path         404    404    404    404    404    404    404
api.unknown                POST   known        405    405    405    405    405    405    405
accounts.login             GET    -            ok     ok     ok     ok     ok     ok     ok
accounts.login             POST   -            ok     ok     ok     ok     ok     ok     ok
accounts.login_code        GET    -            login  login  login  login  login  login  login
accounts.login_code        POST   -            login  login  login  login  login  login  login
accounts.logout            POST   -            login  login  login  login  login  login  login
accounts.set_language      POST   -            ok     ok     ok     ok     ok     ok     ok
accounts.session_status    GET    -            login  ok     ok     ok     ok     ok     ok
accounts.session_ping      POST   -            login  ok     ok     ok     ok     ok     ok
accounts.activate          GET    -            404    404    404    404    404    404    404
accounts.activate          POST   -            404    404    404    404    404    404    404
accounts.request_reset     GET    -            ok     ok     ok     ok     ok     ok     ok
accounts.request_reset     POST   -            ok     ok     ok     ok     ok     ok     ok
accounts.reset_password    GET    -            404    404    404    404    404    404    404
accounts.reset_password    POST   -            404    404    404    404    404    404    404
account.overview           GET    -            login  ok     ok     ok     ok     ok     ok
account.change_password    GET    -            login  ok     ok     ok     ok     ok     ok
account.change_password    POST   -            login  ok     ok     ok     ok     ok     ok
account.two_factor_setup   GET    -            login  ok     ok     ok     ok     ok     ok
account.two_factor_setup   POST   -            login  ok     ok     ok     ok     ok     ok
account.two_factor_disable POST   -            login  ok     ok     ok     ok     ok     ok
account.recovery_codes     POST   -            login  ok     ok     ok     ok     ok     ok
users.index                GET    -            login  404    404    404    404    404    ok
users.new                  GET    -            login  404    404    404    404    404    ok
users.new                  POST   -            login  404    404    404    404    404    ok
users.resend_activation    POST   -            login  404    404    404    404    404    ok
users.reset_two_factor     POST   -            login  404    404    404    404    404    ok
home.index                 GET    -            login  ok     ok     ok     ok     ok     ok
reviews.new_phase          GET    -            login  404    404    404    404    404    ok
reviews.new_phase          POST   -            login  404    404    404    404    404    ok
dashboard.index            GET    -            login  404    404    404    404    404    ok
dashboard.phase_page       GET    -            login  404    404    404    404    404    ok
reviews.confirm_draw       GET    -            login  404    404    404    404    404    ok
reviews.draw               POST   -            login  404    404    404    404    404    ok
reviews.draw_preview       GET    -            login  404    404    404    404    404    ok
reviews.state_groups       GET    -            login  404    404    404    404    404    ok
reviews.state_groups       POST   -            login  404    404    404    404    404    ok
reviews.replace            GET    -            login  404    404    404    404    404    ok
reviews.replace            POST   -            login  404    404    404    404    404    ok
reviews.assignments        GET    -            login  404    404    404    404    404    ok
deadlines.edit             GET    -            login  404    404    404    404    404    ok
deadlines.edit             POST   -            login  404    404    404    404    404    ok
nominations.index          GET    -            login  404    404    404    404    404    ok
nominations.new            GET    -            login  404    404    404    404    404    ok
nominations.new            POST   -            login  404    404    404    404    404    ok
nominations.review_people  GET    -            login  404    404    404    404    404    ok
nominations.person         GET    -            login  404    404    404    404    404    ok
nominations.change_role    GET    -            login  404    404    404    404    404    ok
nominations.change_role    POST   -            login  404    404    404    404    404    ok
nominations.end            GET    -            login  404    404    404    404    404    ok
nominations.end            POST   -            login  404    404    404    404    404    ok
nominations.replace        GET    -            login  404    404    404    404    404    ok
nominations.replace        POST   -            login  404    404    404    404    404    ok
nominations.upload         GET    -            login  404    404    404    404    404    ok
nominations.upload         POST   -            login  404    404    404    404    404    ok
nominations.confirm_import POST   -            login  404    404    404    404    404    ok
nominations.example        GET    -            login  404    404    404    404    404    ok
responses.overview         GET    answering    login  ok     ok     ok     404    404    ok
responses.overview         GET    submitted    login  ok     ok     ok     404    404    ok
responses.section          GET    answering    login  ok     ok     ok     404    404    ok
responses.section          POST   answering    login  ok     ok     403    404    404    403
responses.section          POST   submitted    login  403    403    403    404    404    403
responses.autosave         POST   answering    login  ok     ok     403    404    404    403
responses.autosave         POST   submitted    login  403    403    403    404    404    403
responses.history          GET    answering    login  ok     ok     ok     404    404    ok
responses.check            GET    answering    login  ok     ok     ok     404    404    ok
responses.pdf              GET    answering    login  ok     ok     ok     404    404    ok
responses.submit           POST   answering    login  ok     403    403    404    404    403
responses.reopen           GET    submitted    login  403    403    403    404    404    ok
responses.reopen           POST   submitted    login  403    403    403    404    404    ok
responses.reopen           POST   answering    login  403    403    403    404    404    403
exports.state_answers      GET    answering    login  ok     ok     ok     404    404    ok
exports.state_answers      GET    submitted    login  ok     ok     ok     404    404    ok
exports.bank_answers       GET    -            login  404    404    404    404    404    ok
exports.observation_list   GET    -            login  ok     ok     ok     ok     404    ok
meetings.index             GET    -            login  404    404    404    404    404    ok
meetings.load              POST   -            login  404    404    404    404    404    400
meetings.example           GET    -            login  404    404    404    404    404    ok
meetings.show              GET    -            login  404    404    404    404    404    ok
documents.meeting_agenda   GET    -            login  404    404    404    404    404    ok
meetings.status            GET    -            login  404    404    404    404    404    ok
documents.meeting_status_note GET    -            login  404    404    404    404    404    ok
analysis.index             GET    -            login  ok     ok     ok     ok     ok     ok
analysis.show              GET    -            login  ok     ok     ok     403    403    ok
analysis.pdf               GET    -            login  ok     ok     ok     403    403    ok
analysis.xlsx              GET    -            login  ok     ok     ok     403    403    ok
analysis.naming            POST   -            login  ok     403    403    403    403    404
audit_log.index            GET    -            login  404    404    404    404    404    ok
audit_log.export           GET    -            login  404    404    404    404    404    ok
documents.index            GET    -            login  ok     ok     ok     ok     ok     ok
documents.show             GET    published    login  ok     ok     ok     ok     ok     ok
documents.show             GET    draft        login  404    404    404    404    404    ok
documents.pdf              GET    published    login  ok     ok     ok     ok     ok     ok
documents.pdf              GET    draft        login  404    404    404    404    404    ok
documents.status           GET    published    login  ok     ok     ok     ok     ok     ok
documents.status           GET    draft        login  404    404    404    404    404    ok
documents.stable           GET    -            login  ok     ok     ok     ok     ok     ok
documents.new              GET    -            login  404    404    404    404    404    ok
documents.new              POST   -            login  404    404    404    404    404    ok
documents.publish          POST   draft        login  404    404    404    404    404    ok
documents.renew            POST   draft        login  404    404    404    404    404    ok
documents.withdraw         GET    published    login  404    404    404    404    404    ok
documents.withdraw         POST   published    login  404    404    404    404    404    ok
workspace.overview         GET    -            login  ok     ok     ok     ok     404    ok
workspace.overview         GET    answering    login  403    403    403    403    404    ok
workspace.section          GET    -            login  ok     ok     ok     ok     404    ok
workspace.section          POST   observation  login  403    403    403    403    404    403
workspace.section          POST   message      login  ok     ok     403    ok     404    403
workspace.edit_observation POST   confidential login  ok     403    403    403    404    403
workspace.edit_observation POST   save         login  403    403    403    403    404    403
workspace.list_page        GET    -            login  ok     ok     ok     ok     404    ok
workspace.list_page        POST   comment      login  ok     ok     403    ok     404    403
workspace.list_page        POST   summary      login  403    403    403    403    404    403
workspace.move_list        POST   -            login  ok     403    403    403    404    403
signoff.agree              GET    -            login  403    403    403    403    404    403
signoff.agree              POST   -            login  403    403    403    403    404    403
signoff.withdraw_agreement POST   -            login  403    403    403    403    404    403
signoff.designate          POST   -            login  403    403    403    403    404    403
signoff.confirm_move       GET    -            login  ok     404    404    404    404    404
signoff.confirm_withdraw   GET    -            login  403    403    403    403    404    403
translations.index         GET    -            login  404    404    404    404    404    ok
translations.index         POST   -            login  404    404    404    404    404    403
translations.translate     GET    -            login  404    404    404    404    404    ok
translations.translate     POST   -            login  404    404    404    404    404    ok
submission.receipt         GET    -            login  ok     ok     ok     404    404    ok
submission.receipt         GET    answering    login  404    404    404    404    404    404
notifications.messages     GET    -            login  ok     ok     ok     ok     ok     ok
notifications.outbox       GET    -            login  404    404    404    404    404    ok
notifications.retry        POST   -            login  404    404    404    404    404    ok
workspace.summary_confidentiality POST - login  ok     403    403    403    404    403
attachments.index          GET    -            login  ok     ok     ok     ok     404    ok
attachments.index          GET    answering    login  ok     ok     ok     404    404    ok
attachments.upload         POST   -            login  ok     ok     403    403    404    403
attachments.download       GET    -            login  ok     ok     ok     ok     404    ok
attachments.remove         POST   -            login  ok     ok     403    403    404    403
"""

ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Row:
    """One call of the table: a route, a method, the data its URL and form come from."""

    endpoint: str
    method: str
    variant: str

    def __str__(self) -> str:
        variant = "" if self.variant == "-" else f" [{self.variant}]"
        return f"{self.method} {self.endpoint}{variant}"


def _parse(table: str) -> dict[Row, dict[str, str]]:
    lines = [line.split() for line in table.strip().splitlines()]
    assert lines[0] == ["endpoint", "method", "variant", *COLUMNS]
    expected: dict[Row, dict[str, str]] = {}
    for endpoint, methods, variant, *outcomes in lines[1:]:
        assert len(outcomes) == len(COLUMNS), endpoint
        for method in ANY_METHOD if methods == "ANY" else (methods,):
            row = Row(endpoint, method, variant)
            assert row not in expected, f"two rows for {row}"
            expected[row] = dict(zip(ACTORS, outcomes, strict=True))
    return expected


EXPECTED = _parse(EXPECTED_TABLE)


@dataclass
class Scene:
    """The data every URL and form is filled from."""

    people: dict[str, User]
    submitted: Review  # Ghana's TIP review: answers submitted, list of observations with_state
    answering: Review  # Ghana's SOM review: answers being written
    other_seat: ReviewAssignment  # a seat of the TIP review that is not the reviewer's
    phase_id: int
    observation_id: int
    published: Publication
    draft: Publication
    nomination_id: int  # a reviewing State's focal point, recorded from its note verbale
    message_id: int  # an e-mail in the outbox (written when the list was shared)
    meeting_id: int  # a meeting of the Working Group on the Smuggling of Migrants
    attachment_id: int  # Ghana's reply to an earlier questionnaire, attached to the TIP review
    # Read from the objects above once, as each of them expires at every `fresh` and reading it
    # again is a query: the ids `restore` reads, and the URLs' arguments that no row changes.
    submitted_id: int = field(init=False)
    answering_id: int = field(init=False)
    published_id: int = field(init=False)
    draft_id: int = field(init=False)
    arguments: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.submitted_id = id_of(self.submitted)
        self.answering_id = id_of(self.answering)
        self.published_id = id_of(self.published)
        self.draft_id = id_of(self.draft)
        self.arguments = {
            "question_key": ANSWERING_TEXT,
            "observation_id": self.observation_id,
            "symbol_slug": slug(self.published.symbol),
            "language": self.published.language,
            "token": "this-link-is-not-valid",
            "instrument": "TIP",
            "cluster": "I",
            "version": 2,
            "bank_version_id": self.submitted.bank_version_id,
            "file_format": "csv",
            "phase_id": self.phase_id,
            "assignment_id": self.other_seat.id,
            "user_id": self.people["other"].id,
            "nomination_id": self.nomination_id,
            "to_status": "agreed",
            "message_id": self.message_id,
            "meeting_id": self.meeting_id,
            "attachment_id": self.attachment_id,
        }


SUBMITTED_SECTION = "art-5"
ANSWERING_SECTION = "general"
ANSWERING_TEXT = "SOM-GEN-4"


def url_values(scene: Scene, row: Row) -> dict[str, Any]:
    """The values of the rule's arguments: the scene's, then the row's variant."""
    answering = row.variant == "answering"
    values: dict[str, Any] = {
        **scene.arguments,
        "review_id": scene.answering_id if answering else scene.submitted_id,
        "section_key": ANSWERING_SECTION if answering else SUBMITTED_SECTION,
        "publication_id": scene.draft_id if row.variant == "draft" else scene.published_id,
    }
    if row.endpoint == "api.unknown":
        values = {"path": {"root": None, "path": "v1/nothing", "known": "v1/banks"}[row.variant]}
    return {key: value for key, value in values.items() if value is not None}


def build_url(app: Flask, scene: Scene, row: Row) -> str:
    rule_arguments = {
        argument for rule in app.url_map.iter_rules(row.endpoint) for argument in rule.arguments
    }
    values = {k: v for k, v in url_values(scene, row).items() if k in rule_arguments}
    with app.test_request_context():
        return url_for(row.endpoint, **values)


FormData = Callable[[Session, Scene, str], dict[str, Any]]
NEW_PASSWORD = "a quite long new passphrase for 2026"


def _answer_page(db: Session, scene: Scene, actor: str) -> dict[str, Any]:
    review = fresh(db).get(Review, scene.answering.id)
    assert review is not None
    return page_data(db, review, ANSWERING_SECTION, **{ANSWERING_TEXT: f"Saved by {actor}."})


def _autosave(db: Session, scene: Scene, actor: str) -> dict[str, Any]:
    answer = responses.answers_of(fresh(db), scene.answering.id).get(ANSWERING_TEXT)  # type: ignore[arg-type]
    item = {"key": ANSWERING_TEXT, "value": f"Autosaved by {actor}.", "base_version": 0}
    if answer is not None:
        item["base_version"] = answer.version
    return {"answers": [item]}


def _autosave_submitted(db: Session, scene: Scene, actor: str) -> dict[str, Any]:
    key = "TIP-5-1-cite"
    answer = responses.answers_of(fresh(db), scene.submitted.id)[key]  # type: ignore[arg-type]
    return {"answers": [{"key": key, "value": f"By {actor}.", "base_version": answer.version}]}


def _submitted_page(db: Session, scene: Scene, actor: str) -> dict[str, Any]:
    review = fresh(db).get(Review, scene.submitted.id)
    assert review is not None
    return page_data(db, review, SUBMITTED_SECTION, **{"TIP-5-1-cite": f"Saved by {actor}."})


FORMS: dict[tuple[str, str], FormData] = {
    ("accounts.login", "-"): lambda db, s, a: {"email": "nobody@x.example", "password": "wrong"},
    ("accounts.login_code", "-"): lambda db, s, a: {"code": "123456"},
    ("accounts.set_language", "-"): lambda db, s, a: {"language": "en", "next": "/"},
    ("accounts.activate", "-"): lambda db, s, a: {"password": NEW_PASSWORD, "confirm": ""},
    ("accounts.request_reset", "-"): lambda db, s, a: {"email": "nobody@x.example"},
    ("accounts.reset_password", "-"): lambda db, s, a: {"password": NEW_PASSWORD, "confirm": ""},
    ("account.change_password", "-"): lambda db, s, a: {
        "current": "not my password",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    },
    ("account.two_factor_setup", "-"): lambda db, s, a: {"code": "000000"},
    ("account.two_factor_disable", "-"): lambda db, s, a: {"disable-password": "not mine"},
    ("account.recovery_codes", "-"): lambda db, s, a: {"codes-password": "not mine"},
    ("users.new", "-"): lambda db, s, a: {
        "email": f"new.person.{a}@bra.example",
        "full_name": "Nominated Person",
        "state_code": "BRA",
        "locale": "en",
    },
    ("reviews.new_phase", "-"): lambda db, s, a: {
        "name": "Cluster I, group 2",
        "cluster": "I",
        "started_on": "2026-06-01",
        "max_reviews_per_state": "3",
        "states": ["BRA"],
    },
    ("reviews.replace", "-"): lambda db, s, a: {"reason": "The State declined to review."},
    ("analysis.naming", "-"): lambda db, s, a: {"named": "no"},
    ("nominations.confirm_import", "-"): lambda db, s, a: {"rows": "[]"},
    ("responses.section", "answering"): _answer_page,
    ("responses.section", "submitted"): _submitted_page,
    ("responses.autosave", "answering"): _autosave,
    ("responses.autosave", "submitted"): _autosave_submitted,
    ("responses.reopen", "submitted"): lambda db, s, a: {"reason": "To correct article 5."},
    ("responses.reopen", "answering"): lambda db, s, a: {"reason": "To correct article 5."},
    ("documents.new", "-"): lambda db, s, a: {
        "meeting": "CTOC/COP/WG.4/2027/1",
        "item": "2",
        "symbol": "CTOC/COP/WG.4/2027/CRP.12",
        "job_number": "V.27-01234",
        "languages": ["en"],
        "issued_on": "2027-06-01",
        "cutoff": "2027-05-31",
        "reviews": [str(s.submitted.id)],
    },
    ("workspace.section", "observation"): lambda db, s, a: {
        "form": "observation",
        "category": "gap",
        "text": f"Written by {a}.",
        "cited_keys": ["TIP-5-1"],
    },
    ("workspace.section", "message"): lambda db, s, a: {
        "form": "message",
        "message-kind": "request" if a == "reviewer" else "reply",
        "message-body": f"A message from {a}.",
    },
    ("workspace.edit_observation", "confidential"): lambda db, s, a: {
        "action": "confidential",
        "next": "list",
    },
    ("workspace.edit_observation", "save"): lambda db, s, a: {
        "action": "save",
        f"o{s.observation_id}-version": "1",
        f"o{s.observation_id}-category": "suggestion",
        f"o{s.observation_id}-text": f"Edited by {a}.",
        f"o{s.observation_id}-cited_keys": ["TIP-5-1"],
    },
    ("workspace.list_page", "comment"): lambda db, s, a: {
        "form": "comment",
        "comment-body": f"A comment by {a}.",
    },
    ("workspace.list_page", "summary"): lambda db, s, a: {
        "form": "summary",
        "summary-summary": f"A summary by {a}.",
        "summary-version": "0",
    },
    ("workspace.move_list", "-"): lambda db, s, a: {"to_status": "agreed"},
    ("workspace.summary_confidentiality", "-"): lambda db, s, a: {
        "action": "confidential",
        "paragraph": "0" * 64,
    },
    ("documents.withdraw", "published"): lambda db, s, a: {"reason": f"Withdrawn by {a}."},
    ("attachments.upload", "-"): lambda db, s, a: {
        "file": (io.BytesIO(ATTACHED_PDF), f"reply-by-{a}.pdf"),
        "description": f"Attached by {a}.",
    },
}
#: Calls made last, as they end the actor's session.
ENDS_SESSION = {"accounts.logout"}


def send(
    client: FlaskClient, db: Session, app: Flask, scene: Scene, row: Row, actor: str
) -> TestResponse:
    """Make the row's call as its page makes it."""
    url = build_url(app, scene, row)
    make_form = FORMS.get((row.endpoint, row.variant))
    data = make_form(db, scene, actor) if make_form else {}
    if row.endpoint == "responses.autosave":
        return client.post(url, json=data)
    return client.open(url, method=row.method, data=data if row.method != "GET" else None)


def outcome(response: TestResponse) -> str:
    status = response.status_code
    if status == 401:
        return "login"
    if 300 <= status < 400:
        return "login" if urlsplit(response.headers["Location"]).path == "/login" else "ok"
    if status < 300:
        return "ok"
    return str(status)


def build_scene(db: Session, make_user: Callable[..., User], member: Callable[..., None]) -> Scene:
    """Ghana's reviews of a drawn phase, everyone around them, answers, an observation, a
    question, the list shared with Ghana, and two documents.

    The first scene of a test module is built through the services; a later test of the module
    that asks for it on the same rows (the shipped banks alone) gets the rows it wrote back from
    their snapshot, and the same objects, read again by id (tests/snapshots.py)."""
    return snapshots.once_per_module(
        db,
        "access matrix scene",
        KEPT_TABLES,
        make_user if isinstance(make_user, UserFactory) else None,
        lambda: _build_scene(db, make_user, member),
        lambda scene: _read_again(db, scene),
    )


def _read_again(db: Session, scene: Scene) -> Scene:
    """The scene a test built, its objects read in this test's session by their ids (which the
    identity of a detached object keeps), the read committed so that no transaction of the test
    stays open, as after building."""

    def get(model: type[Any], row: Any) -> Any:
        found = db.get(model, inspect(row).identity)
        assert found is not None, (model, row)
        return found

    again = replace(
        scene,
        people={name: get(User, user) for name, user in scene.people.items()},
        submitted=get(Review, scene.submitted),
        answering=get(Review, scene.answering),
        other_seat=get(ReviewAssignment, scene.other_seat),
        published=get(Publication, scene.published),
        draft=get(Publication, scene.draft),
    )
    db.commit()
    return again


def _build_scene(db: Session, make_user: Callable[..., User], member: Callable[..., None]) -> Scene:
    """The scene, built through the services."""
    secretariat = make_user(None, secretariat=True)
    phase_id, submitted, answering = _drawn_phase(db, secretariat)
    seats = reviews.active_assignments(db, [submitted.id])  # type: ignore[list-item]
    # The reviewer's State holds a seat on both reviews (the lots may give SOM to another).
    on_both = {a.reviewing_state for a in reviews.active_assignments(db, [answering.id])}  # type: ignore[list-item]
    seats.sort(key=lambda seat: seat.reviewing_state not in on_both)
    people = _people(db, make_user, member, secretariat, submitted, answering, seats[0])
    _answer(db, people, submitted, answering)
    observation_id = _observe(db, people["reviewer"], submitted)
    published, draft = _documents(db, secretariat)
    nomination_id = _nominate(db, secretariat, seats[0])
    return Scene(
        people=people,
        submitted=submitted,
        answering=answering,
        other_seat=next(s for s in seats if s.reviewing_state != seats[0].reviewing_state),
        phase_id=phase_id,
        observation_id=observation_id,
        published=published,
        draft=draft,
        nomination_id=nomination_id,
        message_id=id_of(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).first()),
        meeting_id=_meeting(db),
        attachment_id=_attach(db, people["focal"], submitted),
    )


def _attach(db: Session, focal: User, review: Review) -> int:
    """Ghana's reply to the 2005 questionnaire, attached to its TIP review."""
    attachment = attachments.attach(
        db, review, focal, "reply-2005.pdf", ATTACHED_PDF, f"Reply of 2005 {ATTACHED_FILE}"
    )
    db.commit()
    return id_of(attachment)


def _meeting(db: Session) -> int:
    read = read_meeting_file(PROJECT_ROOT / "docs" / "examples" / "meeting-wg7-2027.yaml")
    assert read.spec is not None
    meeting = meetings.record_meeting(db, read.spec, actor=None)
    db.commit()
    return id_of(meeting)


def _drawn_phase(db: Session, secretariat: User) -> tuple[int, Review, Review]:
    """A phase with Ghana under review, lots drawn: (phase id, TIP review, SOM review)."""
    phase = reviews.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=["GHA"],
        started_on=date.today(),
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, phase, secretariat, seed="access-matrix")
    db.commit()
    by_instrument = {
        version.instrument: review
        for review, version in db.exec(
            select(Review, BankVersion)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id)
        )
    }
    return phase.id, by_instrument["TIP"], by_instrument["SOM"]  # type: ignore[return-value]


def _people(
    db: Session,
    make_user: Callable[..., User],
    member: Callable[..., None],
    secretariat: User,
    submitted: Review,
    answering: Review,
    seat: ReviewAssignment,
) -> dict[str, User]:
    """Ghana's respondents in both reviews; a user of the State of `seat`, reviewer of every
    review where that State holds a seat (as the secretariat registers them); a user of a
    State that reviews neither."""
    reviewing = {
        a.reviewing_state
        for a in reviews.active_assignments(db, [submitted.id, answering.id])  # type: ignore[list-item]
    }
    people = {
        "focal": make_user("GHA"),
        "expert": make_user("GHA"),
        "observer": make_user("GHA"),
        "reviewer": make_user(seat.reviewing_state),
        "other": make_user(next(s for s in ("BRA", "MEX", "DEU", "ITA") if s not in reviewing)),
        "secretariat": secretariat,
    }
    for review in (submitted, answering):
        for role, name in (
            ("focal_point", "focal"),
            ("expert", "expert"),
            ("observer", "observer"),
        ):
            member(review, people[name], role)
        seated = {a.reviewing_state for a in reviews.active_assignments(db, [review.id])}  # type: ignore[list-item]
        if seat.reviewing_state in seated:
            member(review, people["reviewer"], "reviewer")
    return people


def _answer(db: Session, people: dict[str, User], submitted: Review, answering: Review) -> None:
    """The TIP answers submitted, one confidential; one SOM answer, the required ones missing."""
    bank = bank_of_review(db, submitted)
    answer_required(db, submitted, people["expert"])
    cite = responses.answers_of(db, submitted.id)["TIP-5-1-cite"]  # type: ignore[arg-type]
    change = responses.AnswerChange("TIP-5-1-cite", CONFIDENTIAL_ANSWER, True, cite.version)
    responses.save_answers(
        db, submitted, bank, people["expert"], [change], kind="save", language="en"
    )
    responses.submit(db, submitted, bank, people["focal"])
    change = responses.AnswerChange(ANSWERING_TEXT, UNSUBMITTED_ANSWER, False, 0)
    answering_bank = bank_of_review(db, answering)
    responses.save_answers(
        db, answering, answering_bank, people["expert"], [change], kind="save", language="en"
    )
    db.commit()


def _observe(db: Session, reviewer: User, review: Review) -> int:
    """The reviewer's observation and question; the list shared with the State. Returns the
    observation's id."""
    bank = bank_of_review(db, review)
    observation = observations.add_observation(
        db,
        review,
        bank,
        reviewer,
        section_key=SUBMITTED_SECTION,
        category="gap",
        text=OBSERVATION,
        cited_keys=["TIP-5-1"],
    )
    body = f"{OBSERVATION}: which cases?"
    dialogue.post_message(
        db,
        review,
        reviewer,
        side="reviewer",
        section_key=SUBMITTED_SECTION,
        kind="request",
        body=body,
    )
    reviewing_states_agree(db, review)
    observations.transition(db, review, reviewer, side="reviewer", to_status="with_state")
    db.commit()
    return observation.id  # type: ignore[return-value]


def _documents(db: Session, secretariat: User) -> tuple[Publication, Publication]:
    """A published document and a draft, with a stand-in for their PDFs."""
    published, draft = (
        Publication(
            symbol=f"CTOC/COP/WG.4/2026/CRP.{number}",
            language="en",
            revision=1,
            status=status,
            title=title,
            snapshot={},
            snapshot_sha256=f"{number:064d}",
            pdf=b"%PDF-1.7 not rendered in this test",
            job_status="done",
            created_by_id=secretariat.id,
        )
        for number, status, title in (
            (1, "published", "Lists of observations"),
            (2, "draft", DRAFT_DOCUMENT),
        )
    )
    db.add_all([published, draft])
    db.commit()
    return published, draft


def _nominate(db: Session, secretariat: User, seat: ReviewAssignment) -> int:
    """The focal point of the State of `seat`, named by its note verbale (no actor's role)."""
    review = db.get(Review, seat.review_id)
    assert review is not None
    recorded = nominations.record_nomination(
        db,
        actor=secretariat,
        nominating_state=seat.reviewing_state,
        nominee=nominations.Nominee(f"focal@{seat.reviewing_state.lower()}.example", "Focal", "en"),
        role="focal_point",
        note=nominations.NoteVerbale("NV/2026/1", date(2026, 1, 5)),
        purpose=Purpose(review.state_code, review.phase_id),
    )
    db.commit()
    return recorded.nomination.id  # type: ignore[return-value]


def may_write(app: Flask, row: Row) -> bool:
    """Whether the row's call may write. The transaction of a GET is read-only in the database
    unless its view is marked `writes_when_read` (questionnaire/db.py): after a GET of any
    other view, the scene is as it was, and needs no restoring."""
    view = app.view_functions[row.endpoint]
    return row.method not in READ_ONLY_METHODS or getattr(view, "writes_when_read", False)


def _status(model: Any, key: Any, name: str) -> Any:
    """The status of the row of `model` whose `key` is the parameter `name`."""
    return select(model.status).where(key == bindparam(name)).scalar_subquery()


#: What an allowed call may move on, read in one query: the statuses of the two reviews, of the
#: list of observations and of the two documents, and whether the attachment is still there.
SCENE_NOW = core_select(
    _status(Review, Review.id, "submitted"),
    _status(Review, Review.id, "answering"),
    _status(ListOfObservations, ListOfObservations.review_id, "submitted"),
    _status(Publication, Publication.id, "published"),
    _status(Publication, Publication.id, "draft"),
    exists().where(col(ReviewAttachment.id) == bindparam("attachment")),
)


def restore(db: Session, scene: Scene) -> None:
    """Undo what an allowed call may have moved on, so that every call meets the same scene.
    Most calls move nothing: the scene is read first, and only what differs is written."""
    fresh(db)
    ids = {
        "submitted": scene.submitted_id,
        "answering": scene.answering_id,
        "published": scene.published_id,
        "draft": scene.draft_id,
        "attachment": scene.attachment_id,
    }
    submitted, answering, listed, published, draft, attached = (
        db.connection().execute(SCENE_NOW, ids).one()
    )
    assert None not in (submitted, answering, listed, published, draft), "a call deleted a row"
    for review_id, status, built in (
        (scene.submitted_id, submitted, "submitted"),
        (scene.answering_id, answering, "answering"),
    ):
        if status != built:
            db.exec(update(Review).where(col(Review.id) == review_id).values(status=built))
    if listed != "with_state":
        db.exec(
            update(ListOfObservations)
            .where(col(ListOfObservations.review_id) == scene.submitted_id)
            .values(status="with_state")
        )
    for document_id, status, built in (
        (scene.published_id, published, "published"),
        (scene.draft_id, draft, "draft"),
    ):
        if status != built:
            db.exec(
                update(Publication).where(col(Publication.id) == document_id).values(status=built)
            )
    if not attached:  # removed by the last call
        db.add(
            ReviewAttachment(
                id=scene.attachment_id,
                review_id=scene.submitted_id,
                filename="reply-2005.pdf",
                media_type="application/pdf",
                size_bytes=len(ATTACHED_PDF),
                description=f"Reply of 2005 {ATTACHED_FILE}",
                data=ATTACHED_PDF,
            )
        )
    db.commit()


#: Entries recording changes. Authentication events (logins, logouts, failures) are left out:
#: logging out ends on the login page, which the table reads as "login", and writes one.
CHANGES_AUDITED = (
    select(func.count()).select_from(AuditEntry).where(~col(AuditEntry.action).startswith("auth."))
)


def audit_count(db: Session) -> int:
    """The number of entries recording changes (CHANGES_AUDITED)."""
    return fresh(db).exec(CHANGES_AUDITED).one()


def leaks(response: TestResponse, actor: str) -> list[str]:
    """The planted texts in a response that `actor` must not read."""
    if not (response.mimetype or "").startswith(("text/", "application/json")):
        return []  # PDF and XLSX are compressed; their content is tested with their features
    body = response.get_data(as_text=True)
    return [
        canary for canary, readers in READERS.items() if actor not in readers and canary in body
    ]
