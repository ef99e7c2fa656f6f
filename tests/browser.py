"""Browser test helpers: the application served on a free local port, headless Chromium.

Load with ``pytest_plugins = ("tests.browser",)`` in a test module. The live application is a
second app on the database of the session's `app` fixture, with CSRF protection on, as in
production; data set up through the `db` fixture and the factories is committed and so seen by
both. Chromium is Debian's (never downloaded); screenshots go to test-artifacts/.

The module is imported by the test modules before pytest loads it as a plugin, so it opts out
of assertion rewriting (it has no asserts): PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import make_server

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from tests.conftest import PASSWORD, PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Base URL of the application, CSRF enabled, served by a thread on 127.0.0.1."""
    live_app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "live-test-secret",
            # The journeys log in with a password only; two-factor login has its own tests.
            "TWO_FACTOR_REQUIRED_ROLES": (),
        },
        check_schema=False,
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        database.get_engine(live_app).dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; tests open their own contexts."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Open browser contexts (separate cookie jars) that are closed after the test."""
    contexts: list[BrowserContext] = []

    def open_context() -> BrowserContext:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def log_in(page: Page, base_url: str, user: User) -> None:
    """Log in through the login page."""
    page.goto(base_url + "/login")
    fill_login_form(page, user)


def fill_login_form(page: Page, user: User) -> None:
    """Fill in the login form the page shows and wait to be sent on."""
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def shoot(page: Page, folder: str, name: str) -> Path:
    """A full-page screenshot under test-artifacts/<folder>/<name>.png."""
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
