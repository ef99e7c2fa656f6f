"""Load: gunicorn (2 workers) on PostgreSQL over loopback, 50 simulated respondents for 60 s.

Metrics: load_rps, load_p99_ms, load_errors (failed requests) and load_lost_writes
(acknowledged autosaves whose value or version is not what the database holds afterwards).
Needs PostgreSQL at BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres, used to
create and drop a scratch database). Bounded: the run stops by itself after LOAD_SECONDS.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.fixtures import scratch_database

USERS = int(os.environ.get("LOAD_USERS", "50"))
RAMP_PER_S = 5
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
PASSWORD = "correct horse battery staple"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(url: str) -> list[list[object]]:
    """50 States under review, each with an expert who answers article 5."""
    from alembic import command as alembic_command
    from sqlmodel import col, select

    from questionnaire import create_app
    from questionnaire import db as database
    from questionnaire.accounts import services as accounts
    from questionnaire.banks import services as banks
    from questionnaire.reference import services as reference
    from questionnaire.reference.models import State
    from questionnaire.reviews import services as reviews

    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "PUBLIC_BASE_URL": "http://127.0.0.1"},
        check_schema=False,
    )
    alembic_command.upgrade(database.alembic_config(app), "head")
    accounts_list: list[list[object]] = []
    with app.app_context(), database.standalone_session(app) as session:
        reference.load_states(session)
        report = banks.load_banks(session, banks.discover_bank_files(ROOT / "question_banks"))
        version = next(
            v for v in report.added if (v.instrument, v.cluster, v.version) == ("TIP", "I", 2)
        )
        states = session.exec(
            select(State).where(col(State.regional_group) != "none").order_by(col(State.code))
        ).all()
        for state in [s for s in states if "TIP" in s.parties][:USERS]:
            review = reviews.open_review(
                session, state_code=state.code, bank_version=version, started_on=date.today()
            )
            user = accounts.create_user(
                session,
                email=f"load@{state.code.lower()}.example",
                full_name="Load",
                state_code=state.code,
                password=PASSWORD,
            )
            reviews.add_member(session, review, user, "expert")
            accounts_list.append([user.email, review.id, "art-5", "TIP-5-1-cite"])
    database.get_engine(app).dispose()
    return accounts_list


def _wait_until_serving(port: int) -> None:
    """Until both workers answer: the master listens before its workers have booted."""
    deadline = time.monotonic() + 60
    served = 0
    while served < 4 and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                served += response.status == 200
        except OSError:
            time.sleep(0.2)


def _lost_writes(url: str, acks: list[list[object]]) -> int:
    """Acknowledged saves not reflected: per answer, the last acknowledged version and value
    must be the stored ones (each respondent alone edits its answer)."""
    last: dict[tuple[object, object], tuple[int, object]] = {}
    for review_id, key, version, value in acks:
        if (review_id, key) not in last or int(version) > last[(review_id, key)][0]:  # type: ignore[call-overload]
            last[(review_id, key)] = (int(version), value)  # type: ignore[call-overload]
    engine = create_engine(url)
    lost = 0
    with engine.connect() as connection:
        for (review_id, key), (version, value) in last.items():
            row = connection.execute(
                text(
                    "SELECT version, value FROM answer WHERE review_id = :r AND question_key = :k"
                ),
                {"r": review_id, "k": key},
            ).first()
            if row is None or row[0] != version or row[1] != value:
                lost += 1
    engine.dispose()
    return lost


def run() -> dict[str, float]:
    server_url = os.environ.get(
        "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    with scratch_database(server_url) as url:
        return _run(url)


def _run(url: str) -> dict[str, float]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-load",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "RATELIMIT_ENABLED": "false",
    }
    server = None
    try:
        accounts_list = _prepare(url)
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-w",
                "2",
                "--threads",
                os.environ.get("LOAD_THREADS", "8"),
                "-b",
                f"127.0.0.1:{port}",
                # One connection per request, as behind a proxy such as nginx (which by default
                # does not keep connections to its upstream open): kept-alive connections stay
                # with the worker that accepted them, and 50 of them split unevenly between two
                # workers left one saturated while the other idled.
                "--keep-alive",
                os.environ.get("LOAD_KEEPALIVE", "0"),
                "--log-level",
                "warning",
                "questionnaire.wsgi:app",
            ],
            env=env,
            cwd=ROOT,
        )
        _wait_until_serving(port)
        with tempfile.TemporaryDirectory() as tmp:
            acks_file = Path(tmp) / "acks.json"
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    # Logins (argon2id, deliberately slow) ramp up at 5 a second; the
                    # locustfile starts the statistics afresh once every user has logged in, and
                    # ends the run LOAD_SECONDS later. -t only bounds a run that hangs.
                    "-u",
                    str(USERS),
                    "-r",
                    str(RAMP_PER_S),
                    "-t",
                    f"{LOAD_SECONDS + USERS // RAMP_PER_S + 60}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(Path(tmp) / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "5",
                ],
                env={
                    **env,
                    "BENCH_ACCOUNTS": json.dumps(accounts_list),
                    "BENCH_PASSWORD": PASSWORD,
                    "BENCH_ACKS": str(acks_file),
                    "BENCH_SECONDS": str(LOAD_SECONDS),
                    "BENCH_RATE": os.environ.get("LOAD_RATE", "3.2"),
                },
                check=False,
                timeout=LOAD_SECONDS + USERS // RAMP_PER_S + 120,
            )
            with (Path(tmp) / "load_stats.csv").open(encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            for row in rows:  # per request kind, for the record of the run
                if row["Request Count"] == "0":
                    continue  # the logins, left out of the steady load's statistics
                rate, failures = float(row["Requests/s"]), row["Failure Count"]
                print(
                    f"  {row['Type']:5} {row['Name']:45} {rate:7.1f}/s "
                    f"p50 {row['50%']:>5} ms  p99 {row['99%']:>5} ms  failures {failures}"
                )
            total = next(row for row in rows if row["Name"] == "Aggregated")
            outcome = json.loads(acks_file.read_text(encoding="utf-8"))
            if not outcome["steady"]:
                raise RuntimeError("not every simulated respondent logged in: no steady load")
            acks = outcome["acks"]
        return {
            "load_rps": float(total["Requests/s"]),
            "load_p99_ms": float(total["99%"]),
            "load_errors": float(total["Failure Count"]),
            "load_lost_writes": float(_lost_writes(url, acks)),
            "load_acknowledged_saves": float(len(acks)),
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
