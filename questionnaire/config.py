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


def _list(name: str, default: str) -> tuple[str, ...]:
    value = os.environ.get(name, default)
    return tuple(item.strip() for item in value.split(",") if item.strip())


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
        # Rate limits on login, reset and activation; only a load test on loopback turns them off.
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("en", "fr", "es", "ru", "ar", "zh"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_IDLE_MINUTES", 30) * 60,
        # Renewed by accounts.login_state.renew, at most once a minute.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the CSRF token lives as long as the session
        "AUTOSAVE_COALESCE_SECONDS": _int("AUTOSAVE_COALESCE_SECONDS", 300),
        # Largest request body, in bytes; a larger one is refused (413) before it is read.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024),
        # Durations of the procedures and rules of the review mechanism.
        "REVIEW_DEADLINES": {
            "focal_point_days": _int("DEADLINE_FOCAL_POINT_DAYS", 14),
            "experts_days": _int("DEADLINE_EXPERTS_DAYS", 28),
            "answers_months": _int("DEADLINE_ANSWERS_MONTHS", 6),
            "feedback_months": _int("DEADLINE_FEEDBACK_MONTHS", 6),
        },
        "MAX_REVIEWS_PER_STATE": _int("MAX_REVIEWS_PER_STATE", 3),
        "SUMMARY_WORD_LIMIT": _int("SUMMARY_WORD_LIMIT", 500),
        # Shares of fewer States than this are not shown in consolidated analyses.
        "ANALYSIS_MIN_STATES": _int("ANALYSIS_MIN_STATES", 3),
        "PUBLISH_WITHHELD_NOTE": _bool("PUBLISH_WITHHELD_NOTE", False),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@localhost"),
        # Accounts. Links in e-mails are built on PUBLIC_BASE_URL (e.g. https://review.example),
        # never on the Host header of the request that asked for them; required with MAIL_SERVER.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        "ACTIVATION_LINK_DAYS": _int("ACTIVATION_LINK_DAYS", 10),
        "PASSWORD_RESET_LINK_MINUTES": _int("PASSWORD_RESET_LINK_MINUTES", 60),
        # Wrong passwords from one client address for one e-mail address in the window before
        # that address is locked out of that account for the window (accounts.lockout).
        "LOGIN_LOCKOUT_ATTEMPTS": _int("LOGIN_LOCKOUT_ATTEMPTS", 10),
        # Past that many failures from all addresses, the longest wait between two tries of an
        # address that already failed (1, 2, 4... seconds); a new address never waits.
        "LOGIN_DELAY_MAX_SECONDS": _int("LOGIN_DELAY_MAX_SECONDS", 60),
        "TWO_FACTOR_LOCKOUT_ATTEMPTS": _int("TWO_FACTOR_LOCKOUT_ATTEMPTS", 5),
        "LOGIN_LOCKOUT_MINUTES": _int("LOGIN_LOCKOUT_MINUTES", 15),
        # Who must use two-step verification: "secretariat" and/or "focal_point" (any review).
        "TWO_FACTOR_REQUIRED_ROLES": _list("TWO_FACTOR_REQUIRED_ROLES", "secretariat,focal_point"),
        # Key from which TOTP secrets are derived (default: SECRET_KEY). Keep it when SECRET_KEY
        # rotates, or every authenticator has to be enrolled again.
        "TWO_FACTOR_KEY": os.environ.get("TWO_FACTOR_KEY") or None,
        "TWO_FACTOR_ISSUER": os.environ.get("TWO_FACTOR_ISSUER", "UNTOC review"),
        "SESSION_WARNING_MINUTES": _int("SESSION_WARNING_MINUTES", 5),
        "SESSION_ABSOLUTE_HOURS": _int("SESSION_ABSOLUTE_HOURS", 12),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
        "TRUSTED_PROXY_COUNT": _int("TRUSTED_PROXY_COUNT", 0),
    }
