"""crp_pages_per_s, crp_peak_rss_mb and crp_vs_chromium_ratio: rendering a ~40-page CRP.

The conference room paper of the Working Group on Trafficking in Persons' meeting
(`bench/world_lists.py`: CTOC/COP/WG.4/2027/CRP.2, item 3) holds the final lists of
observations of STATES reviews of the Trafficking in Persons cluster I questionnaire (articles 3
and 5), PER_ARTICLE elements of about 70 words on each article (one of them kept confidential by
the State) and a three-paragraph summary per State: about 40 A4 pages. Everything lives in a
temporary folder (never instance/): the SQLite database, migrated with `alembic upgrade head`
and filled through the services as the scale benchmark's world is (`world_lists.final_lists`:
phase and draw, answers submitted, observations and summary, both reviewing States' agreement,
shared, agreed and made final; then the meeting with the paper in its register).

- `crp_pages_per_s`: pages / seconds of `render_pdf` (Jinja + WeasyPrint), median of RUNS
  renderings after one warm-up in the same process (the first builds the font configuration
  and parses the stylesheet, as a worker does once).
  `crp_pages_per_cpu_s` is the same with the process's CPU time: on a busy machine (see the
  load average bench.run prints) the wall-clock figure is inflated, this one much less.
- `crp_peak_rss_mb`: peak resident memory of a fresh child process (`python -m
  bench.bench_crp`) that builds the application, reads the snapshot from the database and
  renders the PDF once: `getrusage(RUSAGE_CHILDREN).ru_maxrss` after it ends (the child's own
  `RUSAGE_SELF` figure if an earlier, bigger child of this process hides it).
- `crp_vs_chromium_ratio`: the median WeasyPrint time divided by the median wall time of
  headless Chromium printing the same HTML (the stylesheet inlined) to PDF, RUNS runs each,
  same run. Chromium's time includes its process start; WeasyPrint's does not.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from alembic import command as alembic_command
from flask import Flask
from pypdf import PdfReader
from sqlmodel import Session, col, select

from bench import world_lists
from bench.stats import median
from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.banks import services as banks
from questionnaire.config import PROJECT_ROOT
from questionnaire.documents.crp import CrpRequest, build_snapshot, plain_snapshot
from questionnaire.documents.services import CRP_TEMPLATE
from questionnaire.pdf import PRINT_CSS, render_pdf, text_direction
from questionnaire.reference import services as reference
from questionnaire.reference.models import State
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewPhase
from questionnaire.wording import numerals, paragraph_number

RUNS = 3
STATES = 15
PER_ARTICLE = 8
CHROMIUM = "/usr/bin/chromium"
BANKS_DIR = PROJECT_ROOT / "question_banks"
PASSWORD = "correct horse battery staple"
SEED = 20260702


@dataclass
class CrpEnv:
    app: Flask
    database_url: str
    request: CrpRequest
    snapshot: dict[str, Any]
    folder: Path


def _app(database_url: str) -> Flask:
    # config.from_environment writes instance/secret_key when SECRET_KEY is unset: avoid that.
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_ENABLED": False,
            # The e-mails of the lists' steps stay in the outbox (nobody reads them).
            "OUTBOX_DELIVER_AFTER_COMMIT": False,
        },
        check_schema=False,
    )


def _phase(session: Session) -> ReviewPhase:
    """A cluster I phase of the first STATES States party to the Protocol, drawn, each review
    with its State's focal point."""
    secretariat = accounts.create_user(
        session,
        email="secretariat@unodc.example",
        full_name="Secretariat",
        state_code=None,
        password=PASSWORD,
        is_secretariat=True,
    )
    codes = [
        s.code
        for s in session.exec(select(State).order_by(col(State.code)))
        if s.is_party_to(world_lists.INSTRUMENT)
    ][:STATES]
    phase = reviews.create_phase(
        session,
        name="Cluster I",
        cluster="I",
        state_codes=codes,
        started_on=date(2026, 1, 5),
        max_reviews_per_state=6,
        user=secretariat,
    )
    reviews.draw_phase(session, phase, secretariat, seed="bench-crp")
    focal = {
        code: accounts.create_user(
            session,
            email=f"focal.point@{code.lower()}.example",
            full_name=f"Focal point of {code}",
            state_code=code,
        )
        for code in codes
    }
    for review in session.exec(select(Review).where(Review.phase_id == phase.id)):
        reviews.add_member(session, review, focal[review.state_code], "focal_point")
    session.commit()
    return phase


@contextmanager
def crp_env() -> Iterator[CrpEnv]:
    """A temporary database with STATES final lists, and the snapshot of their CRP."""
    with tempfile.TemporaryDirectory(prefix="questionnaire-bench-crp-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        app = _app(url)
        try:
            alembic_command.upgrade(database.alembic_config(app), "head")
            with app.app_context(), database.standalone_session(app) as session:
                reference.load_states(session)
                banks.load_banks(session, banks.discover_bank_files(BANKS_DIR))
                phase = _phase(session)
                review_ids = world_lists.final_lists(
                    session, phase, STATES, random.Random(SEED), per_article=PER_ARTICLE
                )
                world_lists.record_meeting_of_papers(session)
                session.commit()
                request = world_lists.crp_request(review_ids)
                snapshot = plain_snapshot(build_snapshot(session, request))
            yield CrpEnv(app, url, request, snapshot, folder)
        finally:
            database.get_engine(app).dispose()


def _title(snapshot: dict[str, Any]) -> str:
    """The PDF's title, as `publishing.render` gives it."""
    return f"{snapshot['symbol']}: {snapshot['title']}"


def _render(env: CrpEnv) -> bytes:
    with env.app.app_context():
        return render_pdf(
            CRP_TEMPLATE,
            title=_title(env.snapshot),
            language="en",
            snapshot=env.snapshot,
        )


def _html(env: CrpEnv) -> Path:
    """The HTML WeasyPrint renders, with the print stylesheet inlined, in a file."""
    with env.app.app_context():
        # The context `render_pdf` gives every document, in English.
        html = env.app.jinja_env.get_template(CRP_TEMPLATE).render(
            title=_title(env.snapshot),
            language="en",
            direction="ltr",
            direction_of=lambda text: text_direction(text, "ltr"),
            numerals=lambda value: numerals(value, "en"),
            paragraph_number=lambda number: paragraph_number(number, "en"),
            snapshot=env.snapshot,
        )
    style = f"<style>\n{PRINT_CSS.read_text(encoding='utf-8')}\n</style>\n</head>"
    path = env.folder / "crp.html"
    path.write_text(html.replace("</head>", style, 1), encoding="utf-8")
    return path


def _chromium_seconds(html: Path, folder: Path) -> float:
    output = folder / "chromium.pdf"
    output.unlink(missing_ok=True)
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-pdf-header-footer",
        f"--user-data-dir={folder / 'chromium-profile'}",
        f"--print-to-pdf={output}",
        html.as_uri(),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    elapsed = time.perf_counter() - started
    assert output.exists() and output.read_bytes().startswith(b"%PDF-"), "Chromium made no PDF"
    return elapsed


def _peak_rss_mb(env: CrpEnv) -> float:
    """Peak RSS of a child process that renders the CRP once from the database."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_crp",
            env.database_url,
            *map(str, env.request.review_ids),
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    reported = json.loads(done.stdout.strip().splitlines()[-1])
    assert reported["pages"] >= 30, reported
    return (after if after > before else reported["maxrss_kb"]) / 1024  # kB on Linux


def run() -> dict[str, float]:
    with crp_env() as env:
        pdf = _render(env)  # warm-up: font configuration and stylesheet, once per process
        pages = len(PdfReader(BytesIO(pdf)).pages)
        assert pages >= 30, f"the CRP has {pages} pages; the benchmark wants about 40"
        weasyprint_s, weasyprint_cpu_s = [], []
        for _ in range(RUNS):
            started, cpu = time.perf_counter(), time.process_time()
            _render(env)
            weasyprint_s.append(time.perf_counter() - started)
            weasyprint_cpu_s.append(time.process_time() - cpu)
        peak_rss_mb = _peak_rss_mb(env)  # before Chromium: its children would count too
        html = _html(env)
        chromium_s = [_chromium_seconds(html, env.folder) for _ in range(RUNS)]
    return {
        "crp_pages": float(pages),
        "crp_render_s": median(weasyprint_s),
        "crp_pages_per_s": pages / median(weasyprint_s),
        "crp_pages_per_cpu_s": pages / median(weasyprint_cpu_s),
        "crp_peak_rss_mb": peak_rss_mb,
        "crp_chromium_s": median(chromium_s),
        "crp_vs_chromium_ratio": median(weasyprint_s) / median(chromium_s),
    }


def _child(database_url: str, review_ids: list[int]) -> None:
    """Render the CRP once, as a worker would, and print pages and peak RSS as JSON."""
    app = _app(database_url)
    try:
        with app.app_context(), database.standalone_session(app) as session:
            request = world_lists.crp_request(review_ids)
            snapshot = plain_snapshot(build_snapshot(session, request))
            pdf = render_pdf(CRP_TEMPLATE, title=_title(snapshot), language="en", snapshot=snapshot)
    finally:
        database.get_engine(app).dispose()
    pages = len(PdfReader(BytesIO(pdf)).pages)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"pages": pages, "maxrss_kb": maxrss_kb}))


if __name__ == "__main__":
    _child(sys.argv[1], [int(value) for value in sys.argv[2:]])
