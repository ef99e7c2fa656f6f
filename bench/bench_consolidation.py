"""consolidation_ms: the consolidated analysis of one questionnaire across 190 States.

A fresh SQLite database in a temporary folder (never instance/), migrated with `alembic upgrade
head` as tests/conftest.py does, holds a synthetic bench-only bank of exactly 100 questions (TIP
cluster I, articles 3 and 5, mostly yes/no/partial and multiple choice, with follow-ups and the
technical assistance questions) and 190 States' submitted reviews answering every question:
19,000 answer rows inserted in bulk. Follow-ups are answered whatever their parent says, so some
answers are hidden and must be left out, and about 5 % are confidential. The metric is the
median of 5 runs of `consolidate(..., include_confidential=False)`.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from alembic import command as alembic_command
from flask import Flask
from sqlalchemy import insert
from sqlmodel import Session, col, select

from bench.stats import median, time_ms
from questionnaire import create_app
from questionnaire import db as database
from questionnaire.analysis.services import consolidate
from questionnaire.banks import services as banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.db import utcnow
from questionnaire.reference import services as reference
from questionnaire.reference.models import State
from questionnaire.responses.models import Answer
from questionnaire.reviews.models import Review

RUNS = 5
STATES = 190
QUESTIONS = 100
ARTICLES = (3, 5)
CONFIDENTIAL_SHARE = 0.05
SEED = 20260
_KINDS = ("legislative_drafting", "capacity_building", "model_legislation", "expert_advice")
_FORMS = ("attempt", "accomplice", "organizing", "instigating", "other")


def _text(en: str) -> dict[str, str]:
    return {"en": en, "fr": f"(fr) {en}"}


def _options(keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"key": key, "label": _text(key.replace("_", " ").capitalize())} for key in keys]


def _article_questions(article: int) -> list[dict[str, Any]]:
    """50 questions: 20 yes/no/partial (8 with a text follow-up), 18 multiple choice, 1 links,
    and the technical assistance question with its kinds and text follow-ups."""
    prefix = f"TIP-{article}"
    questions: list[dict[str, Any]] = []
    for n in range(1, 21):
        question: dict[str, Any] = {
            "key": f"{prefix}-{n}",
            "type": "yes_no_partial",
            "required": True,
            "text": _text(f"Does your legislation cover element {n} of article {article}?"),
        }
        if n <= 8:
            question["follow_ups"] = [
                {
                    "key": f"{prefix}-{n}-cite",
                    "when": ["yes", "partial"],
                    "type": "text",
                    "text": _text("Please cite the applicable legislation and provisions."),
                }
            ]
        questions.append(question)
    for n in range(21, 39):
        questions.append(
            {
                "key": f"{prefix}-{n}",
                "type": "multiple_choice",
                "text": _text(f"Which forms of conduct {n} are criminalized? Tick all that apply."),
                "options": _options(_FORMS),
            }
        )
    questions.append({"key": f"{prefix}-39", "type": "links", "text": _text("Links to SHERLOC")})
    questions.append(_assistance_question(prefix))
    return questions


def _assistance_question(prefix: str) -> dict[str, Any]:
    return {
        "key": f"{prefix}-TA",
        "type": "single_choice",
        "required": True,
        "text": _text("Does your country require technical assistance for this article?"),
        "options": _options(("yes", "no")),
        "follow_ups": [
            {
                "key": f"{prefix}-TA-kind",
                "when": ["yes"],
                "type": "multiple_choice",
                "text": _text("What kind of technical assistance? Tick all that apply."),
                "options": _options(_KINDS),
            },
            {
                "key": f"{prefix}-TA-specify",
                "when": ["yes"],
                "type": "text",
                "text": _text("Please specify the assistance required."),
            },
        ],
    }


def bank_spec() -> dict[str, Any]:
    """The synthetic bank as a YAML-ready mapping (docs/bank-format.md)."""
    return {
        "schema_version": 1,
        "instrument": "TIP",
        "cluster": "I",
        "version": 1,
        "status": "published",
        "languages": ["en", "fr"],
        "title": _text("Trafficking in Persons Protocol: consolidation benchmark"),
        "sections": [
            {"key": f"art-{article}", "article": article, "questions": _article_questions(article)}
            for article in ARTICLES
        ],
    }


def write_bank(root: Path) -> Path:
    """Write the bank under `root` (a question_banks folder); returns the file's path."""
    path = root / "TIP" / "I" / "v1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(bank_spec(), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def temporary_app() -> Iterator[tuple[Flask, Path]]:
    """A migrated SQLite database in a temporary folder, with the States loaded."""
    # config.from_environment writes instance/secret_key when SECRET_KEY is unset: avoid that.
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    with tempfile.TemporaryDirectory(prefix="questionnaire-bench-") as tmp_name:
        tmp = Path(tmp_name)
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
                "SECRET_KEY": "bench-secret",
            },
            check_schema=False,
        )
        try:
            alembic_command.upgrade(database.alembic_config(app), "head")
            with database.standalone_session(app) as session:
                reference.load_states(session)
            yield app, tmp
        finally:
            database.get_engine(app).dispose()


def _value(question: Question, rng: random.Random) -> Any:
    keys = question.option_keys()
    if question.type in ("yes_no_partial", "single_choice"):
        return rng.choice(keys)
    if question.type == "multiple_choice":
        chosen = set(rng.sample(keys, rng.randint(1, 3)))
        return [key for key in keys if key in chosen]
    if question.type == "links":
        return ["https://sherloc.unodc.org/cld/en/legislation/example.html"]
    return f"The Criminal Code covers {question.key} (sections 12 to 14)."


def fill(session: Session, version: BankVersion, bank: Bank, rng: random.Random) -> None:
    """190 submitted reviews answering all 100 questions, inserted in bulk."""
    states = session.exec(select(State.code).order_by(col(State.code)).limit(STATES)).all()
    assert len(states) == STATES, len(states)
    now = utcnow()
    started = date.today() - timedelta(days=200)
    session.exec(
        insert(Review),
        params=[
            {
                "state_code": code,
                "bank_version_id": version.id,
                "status": "submitted",
                "started_on": started,
                "answers_due_on": started + timedelta(days=180),
                "created_at": now,
                "submitted_at": now,
            }
            for code in states
        ],
    )
    review_ids = session.exec(select(Review.id).where(Review.bank_version_id == version.id)).all()
    session.exec(
        insert(Answer),
        params=[
            {
                "review_id": review_id,
                "question_key": question.key,
                "value": _value(question, rng),
                "is_confidential": rng.random() < CONFIDENTIAL_SHARE,
                "updated_at": now,
            }
            for review_id in review_ids
            for question in bank.questions
        ],
    )


def run() -> dict[str, float]:
    """Build the database, then time `consolidate` (median of 5 runs)."""
    with temporary_app() as (app, tmp), app.app_context():
        with database.standalone_session(app) as session:
            (version,) = banks.load_banks(session, [write_bank(tmp / "question_banks")]).added
            bank = banks.bank_of(version)
            assert len(bank.questions) == QUESTIONS, len(bank.questions)
            fill(session, version, bank, random.Random(SEED))
        samples = []
        with Session(database.get_engine(app)) as session:
            for _ in range(RUNS):
                elapsed, analysis = time_ms(
                    lambda: consolidate(session, version, include_confidential=False)
                )
                assert analysis.state_count == STATES  # type: ignore[attr-defined]
                samples.append(elapsed)
    return {"consolidation_ms": median(samples)}


if __name__ == "__main__":
    print(run())
