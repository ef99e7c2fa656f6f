"""Conference room papers as records: created from a snapshot, rendered, published, withdrawn.

Publishing builds the content again from the current data and refuses a revision whose
content differs (see `freshness`), holding the lists' rows locked meanwhile, so a change of
confidentiality either comes before (and is seen) or waits until after the publication.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from io import BytesIO

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from sqlalchemy import func
from sqlalchemy.orm import undefer
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import utcnow
from questionnaire.documents.crp import (
    CrpRequest,
    build_snapshot,
    decisions,
    plain_snapshot,
    request_from_source,
    request_source,
    snapshot_sha256,
)
from questionnaire.documents.freshness import changes
from questionnaire.documents.languages import originals_of
from questionnaire.documents.models import Publication
from questionnaire.errors import RuleViolation
from questionnaire.meetings.register import agenda_item, take_crp
from questionnaire.meetings.services import agenda_symbol, meeting_by_symbol
from questionnaire.pdf import render_pdf, renderer_fingerprint
from questionnaire.workspace.models import ListOfObservations

CRP_TEMPLATE = "documents/crp.html"


def render_key(snapshot_sha256: str) -> str:
    """The render cache's key: the same content rendered by the same template, stylesheet,
    translations and WeasyPrint gives the same PDF; a change to any of them renders anew."""
    fingerprint = renderer_fingerprint(CRP_TEMPLATE)
    return hashlib.sha256(f"{snapshot_sha256}:{fingerprint}".encode()).hexdigest()


def prepare_crps(
    db: Session, request: CrpRequest, languages: list[str], *, job_number: str, user: User
) -> list[Publication]:
    """A draft of the meeting's paper in each of `languages`, under the register's symbol
    `request.symbol`, or under the next CRP.n allocated and recorded in the register when it
    is empty (with `job_number` recorded when the register has none)."""
    meeting = meeting_by_symbol(db, request.meeting)
    if meeting is None:
        raise RuleViolation(_l("No meeting has the symbol %(symbol)s.", symbol=request.meeting))
    item = agenda_item(meeting, request.item)
    lists = db.exec(
        select(ListOfObservations).where(col(ListOfObservations.review_id).in_(request.review_ids))
    ).all()
    row = take_crp(
        db,
        meeting,
        item,
        symbol=request.symbol.strip(),
        job_number=job_number,
        original_language=originals_of(list(lists))[0] if lists else "en",
        actor=user,
    )
    if not languages:
        raise RuleViolation(_l("Choose at least one language."))
    return [
        create_crp(
            db,
            replace(
                request,
                meeting=agenda_symbol(meeting),
                symbol=row.symbol,
                item=item,
                language=language,
            ),
            user,
        )
        for language in languages
    ]


def create_crp(db: Session, request: CrpRequest, user: User) -> Publication:
    """A new draft revision of the CRP; its PDF is taken from the cache when the same
    content was rendered before by the same renderer, else rendered by `render` (a
    background job). The States' para. 38 decisions it applies are kept with it."""
    snapshot = plain_snapshot(build_snapshot(db, request))
    sha = snapshot_sha256(snapshot)
    latest = db.exec(
        select(func.max(Publication.revision)).where(
            Publication.symbol == request.symbol, Publication.language == request.language
        )
    ).one()
    publication = Publication(
        symbol=request.symbol,
        language=request.language,
        revision=(latest or 0) + 1,
        title=snapshot["title"],
        snapshot=snapshot,
        source={**request_source(request), "decisions": decisions(db, request)},
        snapshot_sha256=sha,
        created_by_id=user.id,
    )
    key = render_key(sha)
    cached = db.exec(
        select(Publication)
        .options(undefer(Publication.pdf))  # type: ignore[arg-type]
        .where(Publication.render_key == key, Publication.job_status == "done")
        .limit(1)
    ).first()
    if cached is not None and cached.pdf:
        publication.render_key = key
        publication.pdf = cached.pdf
        publication.pdf_sha256 = cached.pdf_sha256
        publication.page_count = cached.page_count
        publication.job_status = "done"
    db.add(publication)
    db.flush()
    record(
        db,
        actor=user,
        action="document.create",
        object_type="publication",
        object_id=publication.id,
        after={
            "symbol": request.symbol,
            "meeting": request.meeting,
            "item": request.item,
            "language": request.language,
            "revision": publication.revision,
            "cutoff": request.cutoff.isoformat(),
            "snapshot_sha256": sha,
        },
    )
    return publication


def render(db: Session, publication: Publication) -> bool:
    """Render the publication's PDF from its stored snapshot (needs an app context).

    A failure is recorded on the publication (job_status "failed", job_error) rather than
    raised, so the draft and the reason stay on record for the secretariat.
    """
    publication.job_status = "rendering"
    db.add(publication)
    db.flush()
    key = render_key(publication.snapshot_sha256)
    try:
        content = render_pdf(
            CRP_TEMPLATE,
            title=f"{publication.symbol}: {publication.title}",
            language=publication.language,
            snapshot=publication.snapshot,
        )
    except Exception as exc:  # any rendering failure is recorded, see the docstring
        publication.job_status = "failed"
        publication.job_error = f"{type(exc).__name__}: {exc}"[:2000]
        db.add(publication)
        db.flush()
        return False
    publication.pdf = content
    publication.render_key = key
    publication.pdf_sha256 = hashlib.sha256(content).hexdigest()
    publication.page_count = len(PdfReader(BytesIO(content)).pages)
    publication.job_status = "done"
    db.add(publication)
    db.flush()
    return True


def publish(db: Session, publication: Publication, user: User) -> None:
    """Make a rendered draft the published revision; earlier revisions stay on record.

    Refused when the draft's content is no longer what the lists say (an element kept
    confidential since, an edit, a list no longer agreed): the message names the list and
    the element, and a new revision is made from the current data."""
    if publication.status == "published":
        raise RuleViolation(_l("This revision is already published."))
    if publication.status != "draft":
        raise RuleViolation(_l("Only a draft can be published."))
    if publication.job_status != "done":
        raise RuleViolation(_l("The document is not rendered yet."))
    _lock_lists(db, publication)
    found = changes(db, publication)
    if found:
        raise RuleViolation(
            _l(
                "This revision cannot be published: its content is no longer what the lists "
                "of observations say. %(changes)s Create a new revision from the current data.",
                changes=LazyString(lambda: " ".join(str(change) for change in found)),
            )
        )
    publication.status = "published"
    publication.published_at = utcnow()
    publication.published_by_id = user.id
    db.add(publication)
    record(
        db,
        actor=user,
        action="document.publish",
        object_type="publication",
        object_id=publication.id,
        after={
            "symbol": publication.symbol,
            "revision": publication.revision,
            "pdf_sha256": publication.pdf_sha256,
        },
    )
    db.flush()


def _lock_lists(db: Session, publication: Publication) -> None:
    """Lock the rows of the revision's lists until the commit (the lock that changes of
    confidentiality take), so the content checked is the content published."""
    request = request_from_source(publication.source)
    if request is None:
        return
    db.exec(
        select(ListOfObservations.id)
        .where(col(ListOfObservations.review_id).in_(request.review_ids))
        .with_for_update()
    ).all()


def renew(db: Session, publication: Publication, user: User) -> Publication:
    """A new draft revision made from the same request and the current data."""
    request = request_from_source(publication.source)
    if request is None:
        raise RuleViolation(
            _l("This revision does not say what it was made from: prepare the document again.")
        )
    return create_crp(db, request, user)


def withdraw(db: Session, publication: Publication, user: User, *, reason: str) -> None:
    """Withdraw a published revision: it stays on record, is served nowhere any more, and
    its addresses show a notice saying when it was withdrawn."""
    if publication.status != "published":
        raise RuleViolation(_l("Only a published revision can be withdrawn."))
    if not reason.strip():
        raise RuleViolation(_l("Say why the revision is withdrawn."))
    publication.status = "withdrawn"
    publication.withdrawn_at = utcnow()
    publication.withdrawn_by_id = user.id
    publication.withdrawal_reason = reason.strip()
    db.add(publication)
    record(
        db,
        actor=user,
        action="document.withdraw",
        object_type="publication",
        object_id=publication.id,
        before={"status": "published"},
        after={
            "status": "withdrawn",
            "symbol": publication.symbol,
            "language": publication.language,
            "revision": publication.revision,
            "reason": publication.withdrawal_reason,
        },
    )
    db.flush()


def latest_published(db: Session, symbol: str, language: str) -> Publication | None:
    """What the stable address of a document stands for: its latest revision that was
    published, withdrawn or not (a withdrawn one is answered with its notice, never with an
    earlier revision in its place)."""
    return db.exec(
        select(Publication)
        .options(undefer(Publication.pdf))  # type: ignore[arg-type]
        .where(
            Publication.symbol == symbol,
            Publication.language == language,
            col(Publication.status).in_(("published", "withdrawn")),
        )
        .order_by(col(Publication.revision).desc())
    ).first()
