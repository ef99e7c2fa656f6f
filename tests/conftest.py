"""Shared fixtures: one migrated database per test session (SQLite by default, PostgreSQL when
DATABASE_URL says so), emptied after every test; small factories for States, users, reviews."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from alembic import command as alembic_command
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.accounts.limits import limiter
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import WITHOUT_CONTENT, BankVersion
from questionnaire.banks.validation import ValidatedBank
from questionnaire.config import normalize_database_url
from questionnaire.demo import load_demo
from questionnaire.models import metadata
from questionnaire.reference import services as reference
from questionnaire.reference.provisions import load_provisions
from questionnaire.reviews import people
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review
from questionnaire.reviews.people import seated_states
from questionnaire.workspace import services as observations
from questionnaire.workspace import signoff
from tests import snapshots

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BANKS_DIR = PROJECT_ROOT / "question_banks"
# The rate limiter is one object per process: an app built in a test without this would switch
# it on for every later test. Tests of the limits turn it on for their own app and off again.
os.environ.setdefault("RATELIMIT_ENABLED", "false")
# Links in e-mails are built on it; an application outside debug and testing mode (some tests
# build one) does not start without it.
os.environ.setdefault("PUBLIC_BASE_URL", "http://localhost")

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE (or pytest's --hypothesis-profile): `quick`,
# the default, generates a fifth of the examples each property test asks for (at least one,
# besides its explicit examples, which always run); `thorough` generates them all.
settings.register_profile("quick", max_examples=20)
settings.register_profile("thorough", max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def examples(thorough: int) -> int:
    """How many examples a property test generates under the profile loaded, for one that
    generates `thorough` in the thorough profile (scaled as the profiles' default is)."""
    return max(1, thorough * settings().max_examples // 100)


PASSWORD = "correct horse battery staple"
#: Tables filled once per session and kept between tests.
KEPT_TABLES = {"state", "state_participation", "provision_text", "alembic_version"}


#: argon2id at the lowest cost: a hash takes well under a millisecond instead of ~270 ms.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
CHEAP_DUMMY_HASH = CHEAP_HASHER.hash("dummy")


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test hashes passwords at the lowest argon2id cost, the unknown-account dummy hash
    included; the stored hashes are still argon2id. A test about how passwords are stored asks
    for the production cost with `@pytest.mark.production_hashing`."""
    if request.node.get_closest_marker("production_hashing"):
        return
    monkeypatch.setattr(accounts, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: CHEAP_DUMMY_HASH)


def _database_of_this_worker() -> None:
    """Under pytest-xdist (`-n`), each worker on PostgreSQL gets a database of its own, named
    after `DATABASE_URL`'s and the worker (`test_gw0`, `test_gw1`...), created when missing;
    `DATABASE_URL` is pointed at it, for the tests that read it too. SQLite needs nothing: each
    worker has its own temporary directory, and so its own file."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("DATABASE_URL")
    if not worker or not url:
        return
    given = make_url(normalize_database_url(url))
    if given.get_backend_name() != "postgresql":
        return
    own = given.set(database=f"{given.database}_{worker}")
    server = given.set(drivername="postgresql", database="postgres")
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as pg:
        found = pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own.database,))
        if found.fetchone() is None:
            pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(own.database))))
    os.environ["DATABASE_URL"] = own.render_as_string(hide_password=False)


_database_of_this_worker()


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _reset_postgres(app: Flask) -> None:
    engine = database.get_engine(app)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def test_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE_URL": normalize_database_url(_database_url(tmp_path_factory)),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "localhost",
        # Users of the factories log in with their password alone; tests/test_accounts.py
        # turns the two-step verification requirement on where it tests it.
        "TWO_FACTOR_REQUIRED_ROLES": (),
        # Messages stay in the outbox after the commit, where tests read them (activation
        # links); tests/test_notifications.py turns delivery after the commit on where it tests it.
        "OUTBOX_DELIVER_AFTER_COMMIT": False,
    }


@pytest.fixture(scope="session")
def app(test_config: dict[str, object]) -> Iterator[Flask]:
    """The application under test, as the test client and the CLI runner see it."""
    app = create_app(test_config, check_schema=False)
    _reset_postgres(app)
    alembic_command.upgrade(database.alembic_config(app), "head")
    with database.standalone_session(app) as session:
        reference.load_states(session)
        load_provisions(session)
    _empty_tables(app)  # the loads' audit entries: every test starts from the same tables
    yield app
    database.get_engine(app).dispose()


def _empty_tables(app: Flask) -> None:
    engine = database.get_engine(app)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                connection.execute(table.delete())


@pytest.fixture(scope="session")
def service_app(app: Flask, test_config: dict[str, object]) -> Iterator[Flask]:
    """A second instance on the same database, whose context the `db` fixture holds.

    Were it the app under test, every test-client request would reuse the fixture's
    application context and `flask.g` with it (the logged-in user, the chosen language).
    """
    other = create_app(test_config, check_schema=False)
    yield other
    database.get_engine(other).dispose()


@pytest.fixture
def db(app: Flask, service_app: Flask) -> Iterator[Session]:
    """A session in an application context; every table but the States is emptied after."""
    with service_app.app_context():
        session = database.session()
        try:
            yield session
        finally:
            session.rollback()
            session.close()
    _empty_tables(app)


_demo_of_this_worker: dict[str, object] = {}


@pytest.fixture
def demo(app: Flask, db: Session) -> list[tuple[str, str]]:
    """The demo (`questionnaire demo`), in tables that were empty; returns its logins, as
    `load_demo` does. The first test of a worker (and of a day) that asks for it builds it with
    `load_demo` and keeps a snapshot of its rows; the others get the snapshot written back, in
    a fraction of the time (tests/snapshots.py). The States and the provisions, which the demo
    loads again as the session did, are kept as they are. Tests of `load_demo` on data already
    there call it themselves after this."""
    engine = database.get_engine(app)
    with engine.connect() as connection:
        filled = {n: c for n, c in snapshots.row_counts(connection, KEPT_TABLES).items() if c}
    assert not filled, f"the demo is loaded into empty tables, not beside {filled}"
    if _demo_of_this_worker.get("day") != date.today():
        logins = load_demo(db, BANKS_DIR)
        db.commit()
        _demo_of_this_worker.update(
            day=date.today(), logins=logins, rows=snapshots.take(engine, KEPT_TABLES)
        )
    else:
        snapshots.restore(engine, _demo_of_this_worker["rows"])  # type: ignore[arg-type]
    return list(_demo_of_this_worker["logins"])  # type: ignore[call-overload]


@pytest.fixture
def client(app: Flask, db: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def validated_shipped_banks() -> list[ValidatedBank]:
    """The shipped bank files, read and validated once per session (about a second each
    time): tests that record them start from these results."""
    return banks.validate_files(banks.discover_bank_files(BANKS_DIR))


_banks_of_this_worker: dict[str, snapshots.Snapshot] = {}


@pytest.fixture
def shipped_banks(
    app: Flask,
    db: Session,
    validated_shipped_banks: list[ValidatedBank],
    monkeypatch: pytest.MonkeyPatch,
) -> dict[tuple[str, str, int], BankVersion]:
    """Every shipped bank, recorded through the loading service, from the session's
    validation of the files (the tests of loading and validation read the files themselves).
    Into empty tables, the rows the service recorded there the first time in the worker are
    written back from their snapshot instead (tests/snapshots.py)."""
    engine = database.get_engine(app)
    with engine.connect() as connection:
        empty = not any(snapshots.row_counts(connection, KEPT_TABLES).values())
    if empty and "rows" in _banks_of_this_worker:
        snapshots.restore(engine, _banks_of_this_worker["rows"])
        # The contents (JSON, about 6 MB in all) are read from those a test uses, when it does.
        versions = db.exec(select(BankVersion).options(WITHOUT_CONTENT)).all()
    else:
        paths = banks.discover_bank_files(BANKS_DIR)
        with monkeypatch.context() as patch:
            patch.setattr(banks, "validate_files", lambda _paths: validated_shipped_banks)
            report = banks.load_banks(db, paths)
        db.commit()
        versions = report.added + report.unchanged
        if empty:
            _banks_of_this_worker["rows"] = snapshots.take(engine, KEPT_TABLES)
    return {(v.instrument, v.cluster, v.version): v for v in versions}


class UserFactory:
    """The `make_user` fixture: a user of a State (or of the secretariat), committed, with an
    e-mail numbered in the order of the test's calls unless one is given. `made` counts the
    users made; `skip(n)` passes over the numbers of n users made otherwise (a cast written
    back from its snapshot: tests/factories.py)."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.made = 0
        self.numbers = iter(range(1, 10_000))

    def __call__(
        self,
        state: str | None = "GHA",
        *,
        secretariat: bool = False,
        email: str | None = None,
        locale: str = "en",
    ) -> User:
        self.made += 1
        user = accounts.create_user(
            self.db,
            email=email or f"user{next(self.numbers)}@{(state or 'unodc').lower()}.example",
            full_name=f"Person {state or 'UNODC'}",
            state_code=state,
            password=PASSWORD,
            is_secretariat=secretariat,
            locale=locale,
        )
        self.db.commit()
        return user

    def skip(self, count: int) -> None:
        self.made += count
        for _ in range(count):
            next(self.numbers)


@pytest.fixture
def make_user(db: Session) -> Callable[..., User]:
    return UserFactory(db)


@pytest.fixture
def make_review(
    db: Session, shipped_banks: dict[tuple[str, str, int], BankVersion]
) -> Callable[..., Review]:
    def make(
        state: str = "GHA",
        bank: tuple[str, str, int] = ("TIP", "I", 2),
        started_on: date | None = None,
    ) -> Review:
        review = reviews.open_review(
            db,
            state_code=state,
            bank_version=shipped_banks[bank],
            started_on=started_on or date.today(),
        )
        db.commit()
        return review

    return make


@pytest.fixture
def member(db: Session) -> Callable[[Review, User, str], None]:
    def add(review: Review, user: User, role: str) -> None:
        reviews.add_member(db, review, user, role)
        db.commit()

    return add


@pytest.fixture
def secretariat(make_user: Callable[..., User]) -> User:
    """A member of the secretariat."""
    return make_user(None, secretariat=True, email="secretariat@unodc.example")


@pytest.fixture
def no_rate_limits() -> Iterator[None]:
    """The limiter is one object shared by every application of the process, and a test that
    builds an application with the default configuration switches it on for all that follow;
    modules whose tests log in many times and are not about rate limits use this fixture."""
    was_enabled = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = was_enabled


@pytest.fixture
def client_for(app: Flask) -> Callable[[User | None], FlaskClient]:
    """A test client of its own, logged in as `user` (anonymous for None)."""

    def make(user: User | None) -> FlaskClient:
        client = app.test_client()
        if user is not None:
            login(client, user)
        return client

    return make


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def reviewing_states_agree(db: Session, review: Review) -> None:
    """Each reviewing State seated on `review` agrees to its list of observations as it stands,
    through one of its reviewers (one is named where the State has none): the list can then be
    shared with the State under review. Flushed, not committed."""
    lst = observations.list_of(db, review)
    for state in seated_states(db, review):
        signatory = next(iter(people.reviewers(db, review, state)), None)
        if signatory is None:
            signatory = accounts.create_user(
                db,
                email=f"signatory@{state.lower()}.example",
                full_name=f"Signatory {state}",
                state_code=state,
                password=PASSWORD,
                is_secretariat=False,
                locale="en",
            )
            reviews.add_member(db, review, signatory, "reviewer")
        signoff.agree(db, review, lst, signatory)
