"""Background jobs, run by an RQ worker: `rq worker documents --url $REDIS_URL`."""

from __future__ import annotations

from questionnaire import create_app, db
from questionnaire.publishing import services
from questionnaire.publishing.models import Publication


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
