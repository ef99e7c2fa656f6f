"""Publishing checks the content against the current data, drafts go stale, and a published
revision can be withdrawn.

A paper contains final lists only, which the application no longer changes; the tests
correct a final list after the secretariat made a draft (`corrected`: reopened and made final
again in the database, as a data correction would), the State keeping an element
confidential meanwhile: publishing builds the content again and refuses a draft that
differs, whatever the path (the page, a rendering done by the worker, the command line); the
document page says a draft is out of date and why; a withdrawn revision is served nowhere
and its addresses show a notice. Each test plants a marker in the element and looks for it
in the text of every PDF served.
"""

from __future__ import annotations

import html
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from questionnaire import create_app
from questionnaire import db as database
from questionnaire import worker as worker_module
from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.cli import cli
from questionnaire.documents import jobs
from questionnaire.documents import services as publishing
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import slug
from questionnaire.reviews.models import Review
from questionnaire.workspace import services as observations
from questionnaire.workspace.models import ListOfObservations, Observation
from tests.factories import (
    IS_POSTGRES,
    MEETING,
    REDIS_URL,
    SYMBOL,
    Cast,
    Workspace,
    cast_review,
    compact,
    crp_request,
    flashes,
    form_data,
    fresh,
    observations_of,
    page_text,
    pdf_text,
    pdftotext,
    record_test_meeting,
    set_status,
    settled,
)

MARKER = "CONFIDENTIAL-LATE-MARKER-5d2e8"
SECRET = f"Ghana asked to keep {MARKER} to itself."
PUBLIC = "Ghana could train more prosecutors PUBLIC-MARKER-a90c4."
STABLE = f"/documents/{slug(SYMBOL)}/en.pdf"
Client = Callable[[User | None], FlaskClient]


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


@contextmanager
def corrected(db: Session, review_id: int) -> Iterator[None]:
    """A final list reopened for a correction and made final again (in the database: the
    application never reopens a final list)."""
    set_status(db, review_id, "agreed")
    yield
    set_status(db, review_id, "final")


def agreed_list(db: Session, cast: Cast, client_for: Client) -> list[int]:
    """Through the pages, the reviewer writes a public and a (still public) secret element;
    the list is then agreed and made final, and the meeting the papers are for recorded. The
    ids of the public and the secret element."""
    record_test_meeting(db)
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    assert reviewer.add("art-3", "gap", SECRET, []).status_code == 302
    assert reviewer.add("art-5", "suggestion", PUBLIC, []).status_code == 302
    set_status(db, cast.review_id, "final", actor_id=cast.reviewer.id)
    found = {o.text: o.id for o in observations_of(db, cast.review_id)}
    return [found[PUBLIC], found[SECRET]]  # type: ignore[list-item]


def create_draft(client: FlaskClient, cast: Cast) -> int:
    """The secretariat prepares the CRP through its form; rendered at once (no Redis)."""
    response = client.post("/documents/new", data=form_data([cast.review_id]))
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def texts_of(content: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text as pypdf and pdftotext extract it, each also without white space."""
    texts = [pdf_text(content), pdftotext(content, tmp_path)]
    return texts + [compact(text) for text in texts]


def assert_served_without_marker(client: FlaskClient, url: str, tmp_path: Path) -> bytes:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", url
    for text in texts_of(response.data, tmp_path):
        assert MARKER not in text
    assert any("PUBLIC-MARKER-a90c4" in text for text in texts_of(response.data, tmp_path))
    return response.data


def publications(db: Session) -> list[Publication]:
    query = select(Publication).order_by(col(Publication.id))
    return settled(db, list(fresh(db).exec(query)))


def audit_of(db: Session, action: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action)
    return settled(db, list(fresh(db).exec(query.order_by(col(AuditEntry.id)))))


def text(response: TestResponse) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


# --- the finding: an element kept confidential after the draft ---------------------------


def test_the_reproduction_of_the_finding_serves_the_element_nowhere(
    db: Session, cast: Cast, client_for: Client, tmp_path: Path
) -> None:
    """The outside review's steps: draft, then the State keeps the element confidential,
    then the secretariat publishes. Whatever a peer State can fetch lacks the element."""
    _public_id, secret_id = agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    draft = create_draft(secretariat, cast)
    with corrected(db, cast.review_id):
        Workspace(client_for(cast.focal_point), cast.review_id).act(secret_id, "confidential")
    secretariat.post(f"/documents/{draft}/publish")
    peer = client_for(cast.outsider)
    for url in (STABLE, f"/documents/{draft}.pdf"):
        response = peer.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            for extracted in texts_of(response.data, tmp_path):
                assert MARKER not in extracted, url


def test_an_element_kept_confidential_after_the_draft_is_never_published(
    db: Session, cast: Cast, client_for: Client, tmp_path: Path
) -> None:
    _public_id, secret_id = agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    draft = create_draft(secretariat, cast)
    assert publications(db)[0].job_status == "done"
    state = Workspace(client_for(cast.focal_point), cast.review_id)
    with corrected(db, cast.review_id):
        assert state.act(secret_id, "confidential").status_code == 302

    # The document page says the draft is out of date, naming the list and the element.
    page = text(secretariat.get(f"/documents/{draft}"))
    assert "This draft is out of date: it can no longer be published." in page
    assert "List of observations of Ghana" in page and MARKER in page
    assert "Publish this revision" not in page

    response = secretariat.post(f"/documents/{draft}/publish", follow_redirects=True)
    (message,) = [m for m in flashes(response) if "cannot be published" in m]
    assert "List of observations of Ghana" in message and MARKER in message
    assert "kept confidential by the State" in message
    assert [p.status for p in publications(db)] == ["draft"]
    peer = client_for(cast.outsider)
    assert peer.get(STABLE).status_code == 404
    assert peer.get(f"/documents/{draft}.pdf").status_code == 404
    assert audit_of(db, "document.publish") == []

    # A new revision made from the current data leaves the element out, and is published.
    renewed = secretariat.post(f"/documents/{draft}/renew")
    assert renewed.status_code == 302
    second = int(renewed.headers["Location"].rsplit("/", 1)[1])
    assert second != draft
    assert "out of date" not in text(secretariat.get(f"/documents/{second}"))
    response = secretariat.post(f"/documents/{second}/publish", follow_redirects=True)
    assert "The document has been published." in flashes(response)
    for client in (peer, client_for(cast.reviewer), client_for(cast.focal_point)):
        assert_served_without_marker(client, STABLE, tmp_path)
        assert_served_without_marker(client, f"/documents/{second}.pdf", tmp_path)
        assert client.get(f"/documents/{draft}.pdf").status_code == 404  # the stale draft


def test_every_change_to_an_included_list_makes_the_draft_stale(
    db: Session, cast: Cast, client_for: Client
) -> None:
    public_id, secret_id = agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    draft = create_draft(secretariat, cast)
    assert "out of date" not in text(secretariat.get(f"/documents/{draft}"))

    # Reopened and sent back to drafting: the list is no longer final.
    set_status(db, cast.review_id, "agreed")
    staff = Workspace(secretariat, cast.review_id)
    assert staff.move("drafting").status_code == 302
    page = text(secretariat.get(f"/documents/{draft}"))
    assert "This draft is out of date" in page
    assert f"The list of observations of review {cast.review_id} was not final by" in page

    # An element edited and agreed again: the old wording is gone, the new one is new.
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    version = next(o.version for o in observations_of(db, cast.review_id) if o.id == public_id)
    edited = "Ghana could train more judges EDITED-MARKER-31c7e."
    response = reviewer.edit(
        public_id, version=version, category="suggestion", text=edited, cited=[], follow=True
    )
    assert "The observation has been saved." in flashes(response)
    set_status(db, cast.review_id, "final")
    page = text(secretariat.get(f"/documents/{draft}"))
    assert "the element “Ghana could train more prosecutors PUBLIC-MARKER-a90c4.” is no" in page
    assert "the element “Ghana could train more judges EDITED-MARKER-31c7e.” is new" in page
    response = secretariat.post(f"/documents/{draft}/publish", follow_redirects=True)
    assert any("cannot be published" in m for m in flashes(response))
    assert [p.status for p in publications(db)] == ["draft"]
    assert secret_id


def test_a_rendering_done_by_the_worker_after_a_change_is_not_published(
    app: Flask,
    db: Session,
    cast: Cast,
    client_for: Client,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _public_id, secret_id = agreed_list(db, cast, client_for)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setenv("DATABASE_URL", str(app.config["DATABASE_URL"]))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setattr(jobs, "QUEUE_NAME", f"documents-test-{uuid.uuid4().hex}")
    built: list[Flask] = []

    def create_app_kept(*args: Any, **kwargs: Any) -> Flask:
        built.append(create_app(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(worker_module, "create_app", create_app_kept)
    queue = jobs.queue(REDIS_URL)
    try:
        secretariat = client_for(cast.secretariat)
        draft = create_draft(secretariat, cast)
        assert [p.job_status for p in publications(db)] == ["queued"]
        # The State keeps the element confidential while the rendering waits in the queue.
        with corrected(db, cast.review_id):
            Workspace(client_for(cast.focal_point), cast.review_id).act(secret_id, "confidential")
        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert [p.job_status for p in publications(db)] == ["done"]
        response = secretariat.post(f"/documents/{draft}/publish", follow_redirects=True)
        assert any(MARKER in m and "cannot be published" in m for m in flashes(response))
        assert client_for(cast.outsider).get(STABLE).status_code == 404
    finally:
        queue.delete(delete_jobs=True)
        queue.connection.close()
        for worker_app in built:
            database.get_engine(worker_app).dispose()


def test_the_command_line_refuses_content_that_changed_while_it_rendered(
    app: Flask,
    db: Session,
    cast: Cast,
    client_for: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _public_id, secret_id = agreed_list(db, cast, client_for)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    render = publishing.render

    def render_then_marked(session: Session, publication: Publication) -> bool:
        # The State's choice lands while the document is being rendered.
        done = render(session, publication)
        observation = session.get(Observation, secret_id)
        assert observation is not None
        observation.is_confidential = True
        session.flush()
        return done

    monkeypatch.setattr(publishing, "render", render_then_marked)
    arguments = ["publish", "crp", "--meeting", MEETING, "--item", "3", "--symbol", SYMBOL]
    arguments += ["--date", "2027-07-02", "--cutoff", "2027-06-30"]
    arguments += ["--review", str(cast.review_id), "--user", cast.secretariat.email, "--publish"]
    result = app.test_cli_runner().invoke(cli, arguments)
    assert result.exit_code == 1, result.output
    assert "cannot be published" in result.output and MARKER in result.output
    assert [p.status for p in publications(db)] == []  # rolled back: nothing kept
    assert client_for(cast.outsider).get(STABLE).status_code == 404


def test_a_revision_made_before_its_request_was_kept_is_not_published(
    db: Session, cast: Cast, client_for: Client
) -> None:
    agreed_list(db, cast, client_for)
    publication = publishing.create_crp(db, crp_request([cast.review_id]), cast.secretariat)
    publishing.render(db, publication)
    publication.source = None
    db.commit()
    response = client_for(cast.secretariat).post(
        f"/documents/{publication.id}/publish", follow_redirects=True
    )
    assert any("its content cannot be checked" in m for m in flashes(response))
    assert [p.status for p in publications(db)] == ["draft"]


# --- withdrawal ----------------------------------------------------------------------------


def test_a_withdrawn_revision_is_served_nowhere_and_its_addresses_show_a_notice(
    db: Session, cast: Cast, client_for: Client, tmp_path: Path
) -> None:
    _public_id, secret_id = agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    first = create_draft(secretariat, cast)
    secretariat.post(f"/documents/{first}/publish")
    peer = client_for(cast.outsider)
    assert MARKER in pdf_text(peer.get(STABLE).data)  # public when it was published
    # The State keeps the element confidential after the publication.
    with corrected(db, cast.review_id):
        Workspace(client_for(cast.focal_point), cast.review_id).act(secret_id, "confidential")

    # The page says so; withdrawing is asked first, saying what will happen; asking writes
    # nothing.
    page = text(secretariat.get(f"/documents/{first}"))
    assert "The lists of observations have changed since this revision was published." in page
    assert "Withdraw this revision" in page
    confirm = text(secretariat.get(f"/documents/{first}/withdraw"))
    assert "Withdraw this revision?" in confirm
    assert "neither at its own address nor at the stable address" in confirm
    assert "This cannot be undone." in confirm
    assert [p.status for p in publications(db)] == ["published"]
    refused = secretariat.post(f"/documents/{first}/withdraw", data={"reason": "  "})
    assert refused.status_code == 200
    assert "Say why the revision is withdrawn" in text(refused)
    assert [p.status for p in publications(db)] == ["published"]

    reason = "The State under review kept an element confidential."
    response = secretariat.post(
        f"/documents/{first}/withdraw", data={"reason": reason}, follow_redirects=True
    )
    assert "The revision has been withdrawn." in flashes(response)
    (kept,) = publications(db)
    assert kept.status == "withdrawn" and kept.pdf_sha256  # still on record
    assert kept.withdrawn_at is not None and kept.withdrawn_by_id == cast.secretariat.id
    (entry,) = audit_of(db, "document.withdraw")
    assert entry.actor_id == cast.secretariat.id
    assert entry.after["reason"] == reason and entry.after["revision"] == 1

    for client in (peer, client_for(cast.focal_point), secretariat):
        for url in (STABLE, f"/documents/{first}.pdf"):
            notice = client.get(url)
            assert notice.status_code == 410 and notice.mimetype == "text/html", url
            assert "This document has been withdrawn" in text(notice)
            assert "was withdrawn by the secretariat on" in text(notice)
            assert b"%PDF" not in notice.data
    shown = text(peer.get(f"/documents/{first}"))
    assert "was withdrawn by the secretariat on" in shown and "Open the PDF" not in shown
    assert reason not in shown  # the reason is for the record
    assert reason in text(secretariat.get(f"/documents/{first}"))
    assert "Withdrawn" in text(peer.get("/documents/"))

    # A new revision published takes the stable address again.
    renewed = secretariat.post(f"/documents/{first}/renew")
    assert renewed.status_code == 302
    again = int(renewed.headers["Location"].rsplit("/", 1)[1])
    secretariat.post(f"/documents/{again}/publish")
    assert_served_without_marker(peer, STABLE, tmp_path)
    assert peer.get(f"/documents/{first}.pdf").status_code == 410


def test_only_the_secretariat_withdraws_and_only_a_published_revision(
    db: Session, cast: Cast, client_for: Client
) -> None:
    agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    draft = create_draft(secretariat, cast)
    response = secretariat.post(
        f"/documents/{draft}/withdraw", data={"reason": "Early."}, follow_redirects=True
    )
    assert "Only a published revision can be withdrawn." in flashes(response)
    secretariat.post(f"/documents/{draft}/publish")
    for user in (cast.focal_point, cast.reviewer, cast.outsider):
        client = client_for(user)
        assert client.get(f"/documents/{draft}/withdraw").status_code == 404
        assert client.post(f"/documents/{draft}/withdraw", data={"reason": "x"}).status_code == 404
    assert [p.status for p in publications(db)] == ["published"]
    assert audit_of(db, "document.withdraw") == []


@pytest.mark.skipif(not IS_POSTGRES, reason="only PostgreSQL runs the two transactions at once")
def test_publishing_waits_for_a_change_of_confidentiality_under_way_and_then_refuses(
    app: Flask, service_app: Flask, db: Session, cast: Cast, client_for: Client
) -> None:
    _public_id, secret_id = agreed_list(db, cast, client_for)
    secretariat = client_for(cast.secretariat)
    draft = create_draft(secretariat, cast)
    outcome: list[TestResponse] = []
    with database.standalone_session(service_app) as session:
        # The State's change, under way: the list's row is locked, nothing committed yet.
        review = session.get(Review, cast.review_id)
        observation = session.get(Observation, secret_id)
        focal_point = session.get(User, cast.focal_point.id)
        assert review and observation and focal_point
        # A correction of the final list (see `corrected`), in this one transaction.
        lst = session.exec(
            select(ListOfObservations).where(ListOfObservations.review_id == review.id)
        ).one()
        lst.status = "agreed"
        session.flush()
        observations.set_confidential(
            session, review, observation, focal_point, is_confidential=True
        )
        lst.status = "final"
        session.add(lst)
        session.flush()
        publishing_request = threading.Thread(
            target=lambda: outcome.append(
                secretariat.post(f"/documents/{draft}/publish", follow_redirects=True)
            )
        )
        publishing_request.start()
        publishing_request.join(timeout=1.5)
        assert publishing_request.is_alive(), "publishing did not wait for the list's lock"
    publishing_request.join(timeout=30)
    (response,) = outcome
    assert any("cannot be published" in m and MARKER in m for m in flashes(response))
    assert client_for(cast.outsider).get(STABLE).status_code == 404
