"""scale_*: the mechanism at its full size, on PostgreSQL, in the world of `bench/world.py`.

    python -m bench.run scale                 # 197 States (every State on file)
    python -m bench.run scale --states 50     # a smaller world: keys end in _50_states

The database named by BENCH_SCALE_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/h_bench) is DROPPED AND CREATED AGAIN, migrated
with `alembic upgrade head` and filled with the world (its name must contain "bench");
`<name>_import` is made the same way for the import, and dropped afterwards. Metrics:

- `scale_draw_ms`: `reviews.draw_phase` of the 64-State phase (about 220 reviews, two seats
  each), median of three draws in the build: two rolled back, the third kept and committed.
- `scale_dashboard_p95_ms`: GET /dashboard as the secretariat through the test client, every
  review of the world in it (the page shows 25, after reading and counting them all); 40
  requests after 5 warm-up ones, what the process holds by then frozen out of the garbage
  collector's sight first, as `questionnaire/wsgi.py` does in the production workers.
  `scale_dashboard_cpu_p95_ms`: the same in CPU time.
- `scale_consolidation_ms`: `analysis.consolidate` of the earlier cycle's UNTOC questionnaire,
  which every State party answered (192 States x 117 questions at full size), median of 5.
- `scale_crp_s`, `scale_crp_peak_rss_mb`: one conference room paper from the 20 final lists, as
  the background job makes it (`publishing.create_crp` then `publishing.render`: snapshot,
  Jinja, WeasyPrint, stored), in a fresh child process; its wall time for those two calls, and
  its peak resident memory (VmHWM: the whole process, the application and its imports included).
- `scale_export_all_s`, `scale_import_all_s`: `backup.export_all` + `write_archive` of the
  whole database (what `questionnaire export-all` does), and `read_archive` + `import_all`
  into an empty migrated database (`questionnaire import-all`); every answer and revision
  comes back (checked).
- world figures, without target: States, reviews, answers, revisions, archive size, the build
  time of each step (`scale_build_*_s`).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alembic import command as alembic_command
from flask import Flask
from sqlalchemy import create_engine, func, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bench.stats import Samples, median, percentile
from bench.world import PASSWORD, SECRETARIAT_EMAIL, World, WorldSize, build_world, find_world
from bench.world_lists import crp_request
from questionnaire import backup, create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.analysis.services import consolidate
from questionnaire.banks.models import BankVersion
from questionnaire.config import PROJECT_ROOT
from questionnaire.documents import services as publishing
from questionnaire.responses.models import Answer, AnswerRevision

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_bench"
DASHBOARD_WARMUP = 5
DASHBOARD_RUNS = 40
CONSOLIDATION_RUNS = 5


def _log(message: str) -> None:
    print(f"  scale: {message}", file=sys.stderr, flush=True)


def _recreate(url: str) -> None:
    """Drop the database of `url` (closing its connections) and create it empty."""
    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: its name must contain 'bench'")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _drop(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def _app(url: str) -> Flask:
    # config.from_environment writes instance/secret_key when SECRET_KEY is unset: avoid that.
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # The secretariat logs in with a password alone, as in tests/conftest.py.
            "TWO_FACTOR_REQUIRED_ROLES": (),
            # The world's e-mails stay in the outbox (nobody reads them).
            "OUTBOX_DELIVER_AFTER_COMMIT": False,
        },
        check_schema=False,
    )


def _migrated_app(url: str) -> Flask:
    _recreate(url)
    app = _app(url)
    alembic_command.upgrade(database.alembic_config(app), "head")
    return app


def _dashboard(app: Flask) -> dict[str, float]:
    # As a production worker (questionnaire/wsgi.py): what the process holds before its first
    # request is not walked by every full collection, which took 100-200 ms each (two or three
    # of them in 40 requests, the p95 then being one of them).
    gc.collect()
    gc.freeze()
    try:
        return _dashboard_requests(app)
    finally:
        gc.unfreeze()


def _dashboard_requests(app: Flask) -> dict[str, float]:
    client = app.test_client()
    response = client.post("/login", data={"email": SECRETARIAT_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Cluster I, group 1" in page.get_data(as_text=True)
    for _ in range(DASHBOARD_WARMUP):
        client.get("/dashboard")
    samples = Samples()
    for _ in range(DASHBOARD_RUNS):
        samples.time(lambda: client.get("/dashboard"))
    return {
        "scale_dashboard_p50_ms": median(samples.wall),
        "scale_dashboard_p95_ms": percentile(samples.wall, 95),
        "scale_dashboard_cpu_p95_ms": percentile(samples.cpu, 95),
    }


def _consolidation(app: Flask, world: World) -> dict[str, float]:
    samples = Samples()
    with app.app_context(), Session(database.get_engine(app)) as db:
        version = db.get(BankVersion, world.consolidated_version_id)
        assert version is not None
        for _ in range(CONSOLIDATION_RUNS):
            analysis = samples.time(lambda: consolidate(db, version, include_confidential=False))
            assert analysis.state_count == world.consolidated_states  # type: ignore[attr-defined]
    return {
        "scale_consolidation_ms": median(samples.wall),
        "scale_consolidation_cpu_ms": median(samples.cpu),
        "scale_consolidation_states": float(world.consolidated_states),
        "scale_consolidation_questions": float(world.consolidated_questions),
    }


def _crp(url: str, world: World) -> dict[str, float]:
    """One paper made in a fresh child process (`_child`), which reports its time."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_scale", url, *map(str, world.list_review_ids)],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    reported = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "scale_crp_s": reported["seconds"],
        "scale_crp_cpu_s": reported["cpu_seconds"],
        "scale_crp_pages": float(reported["pages"]),
        "scale_crp_peak_rss_mb": reported["peak_rss_kb"] / 1024,
    }


def _peak_rss_kb() -> int:
    """The peak resident memory of this process since it started its program (VmHWM). Not
    getrusage's ru_maxrss: that keeps the peak of the process it was forked from, which is
    the benchmark itself, as big as the world it has just built."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: an upper bound


def _child(url: str, review_ids: list[int]) -> None:
    """Make the paper as the background job does, print its time, pages and peak memory as
    JSON; nothing is kept (rolled back)."""
    app = _app(url)
    try:
        with app.app_context(), Session(database.get_engine(app)) as db:
            user = db.exec(select(User).where(User.email == SECRETARIAT_EMAIL)).one()
            started, cpu = time.perf_counter(), time.process_time()
            publication = publishing.create_crp(db, crp_request(review_ids), user)
            assert publication.job_status == "done" or publishing.render(db, publication)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            pages = publication.page_count
            db.rollback()
    finally:
        database.get_engine(app).dispose()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "pages": pages,
                "peak_rss_kb": _peak_rss_kb(),
            }
        )
    )


def _count(app: Flask, model: type) -> int:
    with database.get_engine(app).connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def _export_import(app: Flask, url: str) -> dict[str, float]:
    revision, _head = database.schema_status(app)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        path = Path(folder) / "archive.json"
        started, cpu = time.perf_counter(), time.process_time()
        backup.write_archive(path, backup.export_all(database.get_engine(app), revision))
        exported, exported_cpu = time.perf_counter() - started, time.process_time() - cpu
        size_mb = path.stat().st_size / 1e6
        target_url = make_url(url).set(database=f"{make_url(url).database}_import")
        target_str = target_url.render_as_string(hide_password=False)
        target = _migrated_app(target_str)
        try:
            started, cpu = time.perf_counter(), time.process_time()
            counts = backup.import_all(
                database.get_engine(target), backup.read_archive(path), revision
            )
            imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
            for model in (Answer, AnswerRevision):
                assert _count(target, model) == _count(app, model), model
        finally:
            database.get_engine(target).dispose()
            _drop(target_str)
    return {
        "scale_export_all_s": exported,
        "scale_import_all_s": imported,
        "scale_export_all_cpu_s": exported_cpu,
        "scale_import_all_cpu_s": imported_cpu,
        "scale_archive_mb": size_mb,
        "scale_archive_rows": float(sum(counts.values())),
    }


def _world_figures(world: World) -> dict[str, float]:
    figures = {"scale_states": float(len(world.states))}
    figures.update({f"scale_{name}": float(n) for name, n in world.counts.items()})
    if world.draw_ms:  # a world built in this run (not one found with --reuse)
        figures["scale_draw_ms"] = median(world.draw_ms)
        figures["scale_draw_cpu_ms"] = median(world.draw_cpu_ms)
        figures["scale_build_s"] = sum(world.seconds.values())
        figures.update({f"scale_build_{name}_s": s for name, s in world.seconds.items()})
    return figures


def _world(url: str, size: WorldSize) -> tuple[Flask, World]:
    """The world built afresh, or with BENCH_SCALE_REUSE the one left by an earlier run."""
    if os.environ.get("BENCH_SCALE_REUSE"):
        _log(f"measuring the world already in {make_url(url).database}")
        app = _app(url)
        with app.app_context(), Session(database.get_engine(app)) as db:
            return app, find_world(db)
    _log(f"building a world of {size.states} States in {make_url(url).database}")
    app = _migrated_app(url)
    with app.app_context():
        return app, build_world(app, size, progress=_log)


def run(states: int | None = None) -> dict[str, float]:
    """Build the world (BENCH_STATES States, all by default), then measure it."""
    size = WorldSize(states or int(os.environ.get("BENCH_STATES", WorldSize().states)))
    url = os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL)
    app, world = _world(url, size)
    try:
        metrics = _world_figures(world)
        for name, measure in (
            ("dashboard", lambda: _dashboard(app)),
            ("consolidation", lambda: _consolidation(app, world)),
            ("crp", lambda: _crp(url, world)),
            ("export and import", lambda: _export_import(app, url)),
        ):
            _log(f"measuring {name}")
            metrics.update(measure())
    finally:
        database.get_engine(app).dispose()
    if len(world.states) == WorldSize().states:
        return metrics
    return {f"{name}_{len(world.states)}_states": value for name, value in metrics.items()}


if __name__ == "__main__":
    _child(sys.argv[1], [int(value) for value in sys.argv[2:]])
