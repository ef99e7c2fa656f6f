"""A State's replies to earlier questionnaires attached to its review: uploaded by its focal
point or experts, type-checked by content and size-limited, listed on the overview, read by
the State, the review's reviewers once the answers are submitted and the secretariat, never
published, and audited."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlmodel import Session, select

from questionnaire import backup
from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.attachments import services as attachment_services
from questionnaire.attachments.models import ReviewAttachment
from questionnaire.audit.models import AuditEntry
from questionnaire.audit_log.sentences import sentence
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewPhase
from tests import test_backup
from tests.conftest import login

MARKER = "R-ATTACHED-MARKER-8804"
#: A second, migrated, empty database (the fixture of tests/test_backup.py).
empty_database = test_backup.empty_database


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = f"Reply to the 2005 questionnaire {MARKER}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return f"%PDF-1.4\n% Reply of 2004 {MARKER}\n%%EOF\n".encode()


def upload(client: FlaskClient, review: Review, name: str, raw: bytes, description: str = ""):
    return client.post(
        f"/reviews/{review.id}/attachments/",
        data={"file": (io.BytesIO(raw), name), "description": description},
        content_type="multipart/form-data",
    )


@pytest.fixture
def cast(db: Session, make_user, make_review, member) -> dict[str, object]:
    """Ghana's TIP review with its focal point and observer, a Nigerian reviewer on an active
    seat, and a Brazilian with no part in it."""
    review = make_review("GHA", ("TIP", "I", 2))
    phase = ReviewPhase(name="Cluster I, group 1", cluster="I", started_on=date.today())
    db.add(phase)
    db.flush()
    draw = ReviewDraw(phase_id=phase.id, seed="attachments", inputs={}, result=[])  # type: ignore[arg-type]
    review.phase_id = phase.id
    db.add_all([review, draw])
    db.flush()
    db.add(
        ReviewAssignment(
            review_id=review.id,  # type: ignore[arg-type]
            reviewing_state="NGA",
            seat="same_region",
            draw_id=draw.id,  # type: ignore[arg-type]
        )
    )
    db.commit()
    people = {
        "focal": make_user("GHA"),
        "observer": make_user("GHA"),
        "reviewer": make_user("NGA"),
        "outsider": make_user("BRA"),
    }
    member(review, people["focal"], "focal_point")
    member(review, people["observer"], "observer")
    member(review, people["reviewer"], "reviewer")
    return {"review": review, **people}


def test_the_focal_point_attaches_replies_listed_and_downloaded_as_sent(
    app: Flask, client: FlaskClient, db: Session, cast
) -> None:
    review, focal = cast["review"], cast["focal"]
    login(client, focal)  # type: ignore[arg-type]
    workbook = xlsx_bytes()

    sent = upload(client, review, "reply-2005.xlsx", workbook, "Questionnaire of 2005")  # type: ignore[arg-type]
    assert sent.status_code == 302
    upload(client, review, "scans/2004/reply-2004.pdf", pdf_bytes())  # type: ignore[arg-type]

    overview = client.get(f"/reviews/{review.id}/").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Replies to earlier questionnaires" in overview
    assert "reply-2005.xlsx" in overview and "Questionnaire of 2005" in overview
    assert "reply-2004.pdf" in overview  # the name without its path
    rows = db.exec(select(ReviewAttachment).order_by(ReviewAttachment.id)).all()  # type: ignore[arg-type]
    assert [(r.filename, r.media_type) for r in rows] == [
        ("reply-2005.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("reply-2004.pdf", "application/pdf"),
    ]
    got = client.get(f"/reviews/{review.id}/attachments/{rows[0].id}")  # type: ignore[attr-defined]
    assert got.status_code == 200
    assert got.data == workbook
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["Cache-Control"] == "private, no-store"
    actions = db.exec(select(AuditEntry.action).where(AuditEntry.review_id == review.id)).all()  # type: ignore[attr-defined]
    assert actions.count("attachment.add") == 2

    pdf_id, pdf_review_id = rows[1].id, rows[1].review_id
    removed = client.post(f"/reviews/{review.id}/attachments/{pdf_id}/remove")  # type: ignore[attr-defined]
    assert removed.status_code == 302
    db.rollback()
    db.expunge_all()
    assert db.get(ReviewAttachment, pdf_id) is None
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "attachment.remove")).one()
    assert entry.before == {"filename": "reply-2004.pdf", "size_bytes": len(pdf_bytes())}
    with app.test_request_context():
        said = sentence(entry, None, {pdf_review_id: ("GHA", "TIP")}, "en")
    assert "removed a file attached to" in said


def _fake_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("reply.pdf", b"MZ\x90\x00 a program", "reply.pdf: attach a PDF, Excel, Word or"),
        ("reply.xlsx", _fake_xlsx(), "reply.xlsx: attach a PDF, Excel, Word or"),
        ("reply.xlsx", b"%PDF-1.4 a PDF named as a workbook", "reply.xlsx: attach a PDF"),
        ("reply.html", b"<html><script>alert(1)</script>", "reply.html: attach a PDF"),
        ("reply.pdf", b"", "reply.pdf: the file is empty."),
        ("big.pdf", b"%PDF-1.4" + b"0" * 2000, "big.pdf: an attached file has at most 3 MB."),
    ],
)
def test_a_file_of_another_type_or_too_large_is_refused_with_its_name(
    client: FlaskClient,
    db: Session,
    cast,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    raw: bytes,
    message: str,
) -> None:
    # The limit, lowered to keep the test's request small: 2 KB stand for 3 MB.
    monkeypatch.setattr(attachment_services, "MAX_BYTES", 2000)
    login(client, cast["focal"])  # type: ignore[arg-type]

    refused = upload(client, cast["review"], name, raw)  # type: ignore[arg-type]

    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert db.exec(select(ReviewAttachment)).first() is None


def _attached(db: Session, review: Review, focal: User) -> ReviewAttachment:
    attachment = ReviewAttachment(
        review_id=review.id,  # type: ignore[arg-type]
        filename="reply-2004.pdf",
        media_type="application/pdf",
        size_bytes=len(pdf_bytes()),
        description=f"Reply of 2004 {MARKER}",
        data=pdf_bytes(),
        uploaded_by_id=focal.id,
    )
    db.add(attachment)
    db.commit()
    return attachment


def test_reviewers_read_once_submitted_and_no_one_else_reads_or_attaches(
    client: FlaskClient, db: Session, cast
) -> None:
    review = cast["review"]
    attachment = _attached(db, review, cast["focal"])  # type: ignore[arg-type]
    url = f"/reviews/{review.id}/attachments/{attachment.id}"  # type: ignore[attr-defined]

    login(client, cast["reviewer"])  # type: ignore[arg-type]
    assert client.get(url).status_code == 404  # the answers are not submitted yet
    review.status = "submitted"  # type: ignore[attr-defined]
    db.add(review)
    db.commit()
    assert client.get(url).data == pdf_bytes()
    assert MARKER in client.get(f"/reviews/{review.id}/attachments/").get_data(as_text=True)  # type: ignore[attr-defined]
    assert upload(client, review, "r.pdf", pdf_bytes()).status_code == 403  # type: ignore[arg-type]

    client.post("/logout")
    login(client, cast["outsider"])  # type: ignore[arg-type]
    for path in (url, f"/reviews/{review.id}/attachments/", f"/reviews/{review.id}/"):  # type: ignore[attr-defined]
        response = client.get(path)
        assert response.status_code == 404, path
        assert MARKER.encode() not in response.data, path
    assert upload(client, review, "r.pdf", pdf_bytes()).status_code == 404  # type: ignore[arg-type]

    client.post("/logout")
    login(client, cast["observer"])  # type: ignore[arg-type]
    assert client.get(url).status_code == 200
    assert client.post(f"{url}/remove").status_code == 403
    assert db.get(ReviewAttachment, attachment.id) is not None


def test_an_attached_file_is_in_no_export_of_the_answers(
    client: FlaskClient, db: Session, cast
) -> None:
    review = cast["review"]
    _attached(db, review, cast["focal"])  # type: ignore[arg-type]
    login(client, cast["focal"])  # type: ignore[arg-type]

    csv = client.get(f"/reviews/{review.id}/answers.csv")  # type: ignore[attr-defined]
    assert csv.status_code == 200, csv.status_code
    assert MARKER.encode() not in csv.data


def test_an_archive_keeps_the_attached_files(
    app: Flask, db: Session, cast, empty_database: Flask
) -> None:
    attachment = _attached(db, cast["review"], cast["focal"])  # type: ignore[arg-type]
    archive = backup.export_all(database.get_engine(app), test_backup._revision(app))

    backup.import_all(
        database.get_engine(empty_database), archive, test_backup._revision(empty_database)
    )

    with Session(database.get_engine(empty_database)) as restored:
        kept = restored.get(ReviewAttachment, attachment.id)
        assert kept is not None
        assert kept.data == pdf_bytes()
