"""Background jobs, run by an RQ worker: `rq worker documents mail --url $REDIS_URL`.

`rq cron questionnaire.schedule --url $REDIS_URL` queues the periodic ones
(delivery retries, daily reminders).
"""

from __future__ import annotations

from datetime import date

from questionnaire import create_app, db
from questionnaire.documents import services
from questionnaire.documents.models import Publication
from questionnaire.notifications.cli import run_reminders
from questionnaire.outbox import services as outbox


def render_job(publication_id: int) -> None:
    """Render one publication's PDF in the worker's own application."""
    app = create_app()
    try:
        with app.app_context(), db.standalone_session(app) as session:
            publication = session.get(Publication, publication_id)
            if publication is not None and publication.job_status != "done":
                services.render(session, publication)
    finally:
        db.get_engine(app).dispose()


def deliver_job(ids: list[int] | None = None) -> int:
    """Send messages from the outbox (those of `ids`, or every one that is due)."""
    app = create_app()
    try:
        with app.app_context(), db.standalone_session(app) as session:
            return outbox.deliver(session, app, 500, ids=ids).sent
    finally:
        db.get_engine(app).dispose()


def reminders_job() -> int:
    """Queue today's deadline reminders (idempotent: run it as often as wanted)."""
    app = create_app()
    try:
        with app.app_context():
            return len(run_reminders(app, date.today()))
    finally:
        db.get_engine(app).dispose()
