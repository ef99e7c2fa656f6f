"""Rendering off the request path: an RQ queue on Redis, or at once when no Redis is set."""

from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue

from questionnaire import db
from questionnaire.documents import services
from questionnaire.documents.models import Publication

QUEUE_NAME = "documents"
#: The worker's entry point, named by path: it builds its own application.
RENDER_JOB = "questionnaire.worker.render_job"


def enqueue_render(publication_id: int) -> None:
    """Queue the rendering after the request commits; without REDIS_URL, render now."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        publication = db.session().get(Publication, publication_id)
        assert publication is not None
        services.render(db.session(), publication)
        return

    def enqueue() -> None:
        queue(url).enqueue(RENDER_JOB, publication_id, job_timeout=600)

    db.after_commit(enqueue)


def queue(url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=Redis.from_url(url))
