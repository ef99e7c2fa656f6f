"""A throw-away application for the HTTP benchmarks, set up as tests/conftest.py does.

Everything lives in a temporary folder (never instance/): the SQLite database, migrated with
`alembic upgrade head`, and a question_banks folder holding the bench-only bank of bench/bank.py.
With BENCH_DATABASE_URL set to a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1/
postgres), the paths run on a scratch database created there and dropped afterwards instead:
`BENCH_DATABASE_URL=... python -m bench.profile save` shows what an autosave costs on PostgreSQL.
The figures of `make bench` are SQLite's, as the targets of the article page and autosave are.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alembic import command as alembic_command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import bank as bench_bank

PASSWORD = "correct horse battery staple"
EMAIL = "focal.point@gha.example"
STATE = "GHA"


@dataclass
class BenchEnv:
    app: Flask
    client: FlaskClient  # logged in as the review's focal point
    review_id: int
    section_key: str
    page_url: str
    autosave_url: str
    bank_file: Path

    def csrf_token(self) -> str:
        """The session's CSRF token, read from the article page as the page's script does."""
        html = self.client.get(self.page_url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match, "no csrf_token on the article page"
        return match[1]


def _prefill(session, review, bank, user) -> None:  # type: ignore[no-untyped-def]
    from questionnaire.responses import services as responses

    changes = [
        responses.AnswerChange(key=key, value=value, is_confidential=False, base_version=0)
        for key, value in bench_bank.PREFILLED.items()
    ]
    outcome = responses.save_answers(
        session, review, bank, user, changes, kind="save", language="en"
    )
    assert sorted(outcome.saved) == sorted(bench_bank.PREFILLED), outcome


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server at `server_url`, dropped
    (with any connection still open to it) when the block ends."""
    admin_url = make_url(server_url)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _database_url(tmp: Path) -> Iterator[str]:
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    with scratch_database(server) as url:
        yield url


@contextmanager
def bench_env() -> Iterator[BenchEnv]:
    """A migrated temporary database with one review, its focal point logged in."""
    # config.from_environment writes instance/secret_key when SECRET_KEY is unset: avoid that.
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    from questionnaire import create_app
    from questionnaire import db as database
    from questionnaire.accounts import services as accounts
    from questionnaire.banks import services as banks
    from questionnaire.reference import services as reference
    from questionnaire.reviews import services as reviews

    with (
        tempfile.TemporaryDirectory(prefix="questionnaire-bench-") as tmp_name,
        _database_url(Path(tmp_name)) as database_url,
    ):
        tmp = Path(tmp_name)
        banks_dir = tmp / "question_banks"
        bank_file = bench_bank.write_bank(banks_dir)
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": database_url,
                "QUESTION_BANKS_DIR": banks_dir,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": "bench-secret",
                # As in tests/conftest.py: the focal point logs in with a password alone. The
                # per-request cost is that of an enrolled focal point in production: the
                # enrolment check returns without a query in both cases.
                "TWO_FACTOR_REQUIRED_ROLES": (),
            },
            check_schema=False,
        )
        try:
            alembic_command.upgrade(database.alembic_config(app), "head")
            with app.app_context(), database.standalone_session(app) as session:
                reference.load_states(session)
                report = banks.load_banks(session, [bank_file])
                (version,) = report.added
                review = reviews.open_review(
                    session, state_code=STATE, bank_version=version, started_on=date.today()
                )
                user = accounts.create_user(
                    session,
                    email=EMAIL,
                    full_name="Focal Point",
                    state_code=STATE,
                    password=PASSWORD,
                )
                reviews.add_member(session, review, user, "focal_point")
                _prefill(session, review, banks.bank_of(version), user)
                review_id = review.id
            assert review_id is not None
            client = app.test_client()
            response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            base = f"/reviews/{review_id}/sections/{bench_bank.SECTION_KEY}"
            yield BenchEnv(
                app=app,
                client=client,
                review_id=review_id,
                section_key=bench_bank.SECTION_KEY,
                page_url=base,
                autosave_url=f"{base}/autosave",
                bank_file=bank_file,
            )
        finally:
            database.get_engine(app).dispose()
