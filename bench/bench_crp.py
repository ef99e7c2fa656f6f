"""crp_pages_per_s, crp_peak_rss_mb and crp_vs_chromium_ratio: rendering a ~40-page CRP.

The conference room paper holds the agreed lists of observations of STATES reviews of the UNTOC
cluster I questionnaire (eight articles), PER_ARTICLE elements of about 70 words on each
article and a three-paragraph summary per State: about 40 A4 pages. Everything lives in a
temporary folder (never instance/): the SQLite database, migrated with `alembic upgrade head`
and filled through the services as tests/test_publishing.py does (phase, draw, observations,
list shared and agreed).

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

from bench.stats import median
from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.config import PROJECT_ROOT
from questionnaire.observations import services as observations
from questionnaire.publishing.crp import CrpRequest, build_snapshot, plain_snapshot
from questionnaire.publishing.pdf import PRINT_CSS, render_pdf
from questionnaire.publishing.services import CRP_TEMPLATE
from questionnaire.reference import services as reference
from questionnaire.reference.models import State
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewAssignment

RUNS = 3
STATES = 15
PER_ARTICLE = 2
INSTRUMENT = "UNTOC"
SYMBOL = "CTOC/COP/2026/CRP.1"
CHROMIUM = "/usr/bin/chromium"
BANKS_DIR = PROJECT_ROOT / "question_banks"
PASSWORD = "correct horse battery staple"
SENTENCES = (
    "The legislation criminalizes participation in an organized criminal group as the article "
    "requires, and the courts have applied it in several recent cases.",
    "The authorities described the institutional framework, the coordination between the "
    "police and the prosecution service, and the statistics kept on investigations.",
    "The reviewing experts noted that the definition of serious crime follows the four-year "
    "threshold, although some offences of the schedule carry lower penalties.",
    "Training for judges and prosecutors is provided regularly, with the support of regional "
    "partners and of the United Nations Office on Drugs and Crime.",
)


@dataclass
class CrpEnv:
    app: Flask
    database_url: str
    request: CrpRequest
    snapshot: dict[str, Any]
    folder: Path


def _text(seed: int, sentences: int) -> str:
    return " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(sentences))


def _agreed_list(session: Session, review: Review, number: int) -> None:
    """Write, share and agree the review's list: PER_ARTICLE elements per article."""
    version = session.get(BankVersion, review.bank_version_id)
    assignment = session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.review_id == review.id, col(ReviewAssignment.is_active).is_(True)
        )
    ).first()
    assert version is not None and assignment is not None
    bank = banks.bank_of(version)
    reviewer = _user(session, assignment.reviewing_state, f"reviewer{number}")
    focal_point = _user(session, review.state_code, f"focal{number}")
    categories = ("good_practice", "gap", "suggestion", "assistance_need")
    for section in bank.sections:
        if section.article is None:
            continue
        for i in range(PER_ARTICLE):
            observations.add_observation(
                session,
                review,
                bank,
                reviewer,
                section_key=section.key,
                category=categories[(number + i) % len(categories)],
                text=f"{review.state_code}, article {section.article}: {_text(number + i, 3)}",
                cited_keys=[],
            )
    summary = "\n\n".join(_text(number + i, 2) for i in range(3))
    lst = observations.list_of(session, review)
    observations.save_summary(
        session, review, reviewer, text=summary, base_version=lst.summary_version, word_limit=500
    )
    observations.transition(session, review, reviewer, side="reviewer", to_status="with_state")
    observations.transition(session, review, focal_point, side="state", to_status="agreed")


def _user(session: Session, state: str | None, name: str) -> User:
    return accounts.create_user(
        session,
        email=f"{name}@{(state or 'unodc').lower()}.example",
        full_name=name,
        state_code=state,
        password=PASSWORD,
        is_secretariat=state is None,
    )


def _app(database_url: str) -> Flask:
    # config.from_environment writes instance/secret_key when SECRET_KEY is unset: avoid that.
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_ENABLED": False,
        },
        check_schema=False,
    )


def _request(review_ids: list[int]) -> CrpRequest:
    return CrpRequest(
        symbol=SYMBOL,
        language="en",
        issued_on=date(2026, 7, 2),
        session="Vienna, 2 and 3 July 2026",
        agenda_item=3,
        agenda_title="Review of the implementation of the Convention",
        title="Lists of observations and summaries of the reviews",
        review_ids=tuple(review_ids),
    )


@contextmanager
def crp_env() -> Iterator[CrpEnv]:
    """A temporary database with STATES agreed lists, and the snapshot of their CRP."""
    with tempfile.TemporaryDirectory(prefix="questionnaire-bench-crp-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        app = _app(url)
        try:
            alembic_command.upgrade(database.alembic_config(app), "head")
            with app.app_context(), database.standalone_session(app) as session:
                reference.load_states(session)
                banks.load_banks(session, banks.discover_bank_files(BANKS_DIR))
                secretariat = _user(session, None, "secretariat")
                codes = [
                    s.code
                    for s in session.exec(select(State).order_by(col(State.code)))
                    if s.is_party_to(INSTRUMENT)
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
                chosen = session.exec(
                    select(Review)
                    .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
                    .where(Review.phase_id == phase.id, BankVersion.instrument == INSTRUMENT)
                    .order_by(col(Review.id))
                ).all()
                for number, review in enumerate(chosen):
                    _agreed_list(session, review, number)
                request = _request([review.id for review in chosen])  # type: ignore[misc]
                snapshot = plain_snapshot(build_snapshot(session, request))
            yield CrpEnv(app, url, request, snapshot, folder)
        finally:
            database.get_engine(app).dispose()


def _render(env: CrpEnv) -> bytes:
    with env.app.app_context():
        return render_pdf(
            CRP_TEMPLATE,
            title=f"{SYMBOL}: {env.request.title}",
            language="en",
            snapshot=env.snapshot,
        )


def _html(env: CrpEnv) -> Path:
    """The HTML WeasyPrint renders, with the print stylesheet inlined, in a file."""
    with env.app.app_context():
        html = env.app.jinja_env.get_template(CRP_TEMPLATE).render(
            title=f"{SYMBOL}: {env.request.title}", language="en", snapshot=env.snapshot
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
            snapshot = plain_snapshot(build_snapshot(session, _request(review_ids)))
            pdf = render_pdf(CRP_TEMPLATE, title=SYMBOL, language="en", snapshot=snapshot)
    finally:
        database.get_engine(app).dispose()
    pages = len(PdfReader(BytesIO(pdf)).pages)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"pages": pages, "maxrss_kb": maxrss_kb}))


if __name__ == "__main__":
    _child(sys.argv[1], [int(value) for value in sys.argv[2:]])
