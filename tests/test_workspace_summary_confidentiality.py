"""Para. 38 for the summary too: the State under review's focal point keeps paragraphs of the
summary confidential, on the list page, like observations; a confidential paragraph never
reaches a conference room paper (nor a peer State reading it), the exports mark it, and a
draft made before the choice goes stale and is not published. Through HTTP, with planted
markers looked for in the PDF's text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.documents.models import Publication
from questionnaire.documents.symbols import slug
from questionnaire.workspace.models import ListOfObservations
from tests.factories import (
    SYMBOL,
    Cast,
    Workspace,
    cast_review,
    compact,
    flashes,
    form_data,
    fresh,
    page_text,
    pdf_text,
    pdftotext,
    record_test_meeting,
    set_status,
    settled,
    sheet_rows,
)

MARKER = "SUMMARY-CONFIDENTIAL-MARKER-e4b07"
FIRST = "Ghana has a comprehensive law on trafficking in persons FIRST-PARAGRAPH-11aa."
SECRET = f"Ghana prefers to keep {MARKER} to itself."
LAST = "Ghana trains its prosecutors LAST-PARAGRAPH-77cc."
SUMMARY = f"{FIRST}\r\n\r\n{SECRET}\r\n\r\n{LAST}"
STABLE = f"/documents/{slug(SYMBOL)}/en.pdf"
Client = Callable[[User | None], FlaskClient]


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:
    return cast_review(db, make_user, make_review, member)


def shared_summary(db: Session, cast: Cast, client_for: Client) -> None:
    """The reviewer writes an observation and the three-paragraph summary (as a browser
    sends it, CRLF); the list is then with the State, and the meeting the papers are for is
    recorded."""
    record_test_meeting(db)
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    assert reviewer.add("art-5", "suggestion", "Ghana could train judges.", []).status_code == 302
    response = reviewer.summary(SUMMARY, 1, follow=True)
    assert "The summary has been saved." in flashes(response)
    set_status(db, cast.review_id, "with_state")


def paragraph_keys(client: FlaskClient, review_id: int) -> list[str]:
    """The paragraph keys the focal point's list page posts, in the summary's order."""
    page = client.get(f"/reviews/{review_id}/workspace/list").get_data(as_text=True)
    return re.findall(r'name="paragraph" value="([0-9a-f]{64})"', page)


def mark(client: FlaskClient, review_id: int, key: str, action: str = "confidential"):
    return client.post(
        f"/reviews/{review_id}/workspace/list/summary/confidentiality",
        data={"paragraph": key, "action": action},
        follow_redirects=True,
    )


def pdf_texts(content: bytes, tmp_path: Path) -> list[str]:
    texts = [pdf_text(content), pdftotext(content, tmp_path)]
    return texts + [compact(text) for text in texts]


def publish_crp(client: FlaskClient, review_id: int) -> int:
    response = client.post("/documents/new", data=form_data([review_id]))
    assert response.status_code == 302, page_text(response)
    publication_id = int(response.headers["Location"].rsplit("/", 1)[1])
    published = client.post(f"/documents/{publication_id}/publish", follow_redirects=True)
    assert "The document has been published." in flashes(published)
    return publication_id


def test_a_paragraph_kept_confidential_never_reaches_the_crp_nor_a_peer_state(
    db: Session, cast: Cast, client_for: Client, tmp_path: Path
) -> None:
    shared_summary(db, cast, client_for)
    state = client_for(cast.focal_point)
    keys = paragraph_keys(state, cast.review_id)
    assert len(keys) == 3
    response = mark(state, cast.review_id, keys[1])
    assert "The paragraph will be kept confidential." in flashes(response)
    page = page_text(state.get(f"/reviews/{cast.review_id}/workspace/list"))
    assert page.count("Allow publication of this paragraph") == 1
    assert page.count("Keep this paragraph confidential") == 2
    (entry,) = settled(
        db,
        list(fresh(db).exec(select(AuditEntry).where(AuditEntry.action == "summary.confidential"))),
    )
    assert entry.actor_id == cast.focal_point.id
    assert entry.after == {"paragraph": SECRET, "is_confidential": True}

    # The people of the review still read it, marked, in the list and in its export.
    reviewer = client_for(cast.reviewer)
    shown = page_text(reviewer.get(f"/reviews/{cast.review_id}/workspace/list"))
    assert SECRET in shown and "Confidential at the request of the State" in shown
    export = reviewer.get(f"/reviews/{cast.review_id}/workspace/list.xlsx")
    assert sheet_rows(export, sheet=1) == [
        ["Status", "Summary", "Confidential"],
        ["With the State under review", FIRST, False],
        ["With the State under review", SECRET, True],
        ["With the State under review", LAST, False],
    ]

    set_status(db, cast.review_id, "final", actor_id=cast.reviewer.id)
    publication_id = publish_crp(client_for(cast.secretariat), cast.review_id)
    (publication,) = settled(db, list(fresh(db).exec(select(Publication))))
    assert MARKER not in str(publication.snapshot)
    peer = client_for(cast.outsider)
    for url in (STABLE, f"/documents/{publication_id}.pdf"):
        response = peer.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        texts = pdf_texts(response.data, tmp_path)
        assert all(MARKER not in text for text in texts), url
        assert any("FIRST-PARAGRAPH-11aa" in t for t in texts)
        assert any("LAST-PARAGRAPH-77cc" in t for t in texts)
    assert peer.get(f"/reviews/{cast.review_id}/workspace/list").status_code == 404
    assert peer.get(f"/reviews/{cast.review_id}/workspace/list.xlsx").status_code == 404


def test_a_draft_made_before_the_choice_goes_stale_and_is_not_published(
    db: Session, cast: Cast, client_for: Client, tmp_path: Path
) -> None:
    shared_summary(db, cast, client_for)
    set_status(db, cast.review_id, "final", actor_id=cast.reviewer.id)
    secretariat = client_for(cast.secretariat)
    response = secretariat.post("/documents/new", data=form_data([cast.review_id]))
    draft = int(response.headers["Location"].rsplit("/", 1)[1])
    state = client_for(cast.focal_point)
    # A correction of the final list: reopened in the database (the application never
    # reopens a final list), the State's choice, final again.
    set_status(db, cast.review_id, "agreed")
    mark(state, cast.review_id, paragraph_keys(state, cast.review_id)[1])
    set_status(db, cast.review_id, "final")

    page = page_text(secretariat.get(f"/documents/{draft}"))
    assert "This draft is out of date: it can no longer be published." in page
    assert f"the element “Ghana prefers to keep {MARKER} to itself.” is no longer" in page
    refused = secretariat.post(f"/documents/{draft}/publish", follow_redirects=True)
    assert any("cannot be published" in m and MARKER in m for m in flashes(refused))
    assert client_for(cast.outsider).get(STABLE).status_code == 404

    # Released again, the paragraph may be published: the draft is current once more.
    set_status(db, cast.review_id, "agreed")
    response = mark(state, cast.review_id, paragraph_keys(state, cast.review_id)[1], "public")
    assert "The paragraph may be published." in flashes(response)
    set_status(db, cast.review_id, "final")
    assert "out of date" not in page_text(secretariat.get(f"/documents/{draft}"))
    secretariat.post(f"/documents/{draft}/publish")
    served = client_for(cast.outsider).get(STABLE)
    assert any(MARKER in text for text in pdf_texts(served.data, tmp_path))


def test_only_the_focal_point_chooses_and_only_for_paragraphs_it_was_shown(
    db: Session, cast: Cast, client_for: Client
) -> None:
    shared_summary(db, cast, client_for)
    keys = paragraph_keys(client_for(cast.focal_point), cast.review_id)
    for user in (cast.expert, cast.observer, cast.reviewer, cast.secretariat):
        client = client_for(user)
        assert paragraph_keys(client, cast.review_id) == []  # no button for them
        assert mark(client, cast.review_id, keys[1]).status_code == 403
    assert mark(client_for(cast.outsider), cast.review_id, keys[1]).status_code == 404
    state = client_for(cast.focal_point)
    response = mark(state, cast.review_id, "f" * 64)
    assert (
        "This paragraph is no longer in the summary: read the summary again and choose."
        in flashes(response)
    )
    assert mark(state, cast.review_id, keys[1], "reveal").status_code == 403
    set_status(db, cast.review_id, "drafting")
    assert mark(state, cast.review_id, keys[1]).status_code == 403
    lst = settled(
        db,
        fresh(db)
        .exec(select(ListOfObservations).where(col(ListOfObservations.review_id) == cast.review_id))
        .one(),
    )
    assert lst.summary_confidential == []
