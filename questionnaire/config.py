"""Configuration from the environment.

Everything a deployment changes is an environment variable; defaults give a working local
instance on SQLite under `instance/`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def normalize_database_url(url: str) -> str:
    """Name the psycopg 3 driver for PostgreSQL URLs given as postgres:// or postgresql://."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(instance_path: Path) -> str:
    """`DATABASE_URL`, normalised for SQLAlchemy; default an SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'questionnaire.sqlite3'}"
    return normalize_database_url(url)


def _secret_key(instance_path: Path) -> str:
    """`SECRET_KEY`, or one generated once and kept in instance/ for local use."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def from_environment(instance_path: Path) -> dict[str, object]:
    """The application's configuration, read from the environment."""
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": database_url(instance_path),
        "QUESTION_BANKS_DIR": Path(
            os.environ.get("QUESTION_BANKS_DIR", PROJECT_ROOT / "question_banks")
        ),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("en", "fr", "es", "ru", "ar", "zh"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_IDLE_MINUTES", 30) * 60,
        "WTF_CSRF_TIME_LIMIT": None,  # the CSRF token lives as long as the session
        "AUTOSAVE_COALESCE_SECONDS": _int("AUTOSAVE_COALESCE_SECONDS", 300),
        # Durations of the procedures and rules of the review mechanism.
        "REVIEW_DEADLINES": {
            "focal_point_days": _int("DEADLINE_FOCAL_POINT_DAYS", 14),
            "experts_days": _int("DEADLINE_EXPERTS_DAYS", 28),
            "answers_months": _int("DEADLINE_ANSWERS_MONTHS", 6),
            "feedback_months": _int("DEADLINE_FEEDBACK_MONTHS", 6),
        },
        "MAX_REVIEWS_PER_STATE": _int("MAX_REVIEWS_PER_STATE", 3),
        "SUMMARY_WORD_LIMIT": _int("SUMMARY_WORD_LIMIT", 500),
        "PUBLISH_WITHHELD_NOTE": _bool("PUBLISH_WITHHELD_NOTE", False),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@localhost"),
    }
