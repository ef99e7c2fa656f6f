"""Serving the application with gunicorn, started from the `questionnaire serve` command."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from questionnaire import create_app


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # type: ignore[no-untyped-def]
        from questionnaire.wsgi import app  # as `gunicorn questionnaire.wsgi:app` builds it

        return app


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    # Build the app once in the master first so a schema problem stops start-up with its
    # message instead of failing in every worker.
    create_app()
    _Server({"bind": f"{host}:{port}", "workers": workers, "threads": 4, "accesslog": "-"}).run()
