"""Browser test helpers: the application served on a free local port, headless Chromium.

Load with ``pytest_plugins = ("tests.browser",)`` in a test module. The live application is a
second app on the database of the session's `app` fixture, with CSRF protection on, as in
production; data set up through the `db` fixture and the factories is committed and so seen by
both. Chromium is Debian's headless shell (never downloaded). Screenshots of the pages a test
passes through go to test-artifacts/ when SCREENSHOTS=1 (see the README): a
full-page screenshot costs about as much CPU as a page load, and no assertion reads them.

Browser contexts are the costly part of a test's set-up (about 0.2 s of CPU each on a two-core
machine, against 0.06 s for a page load): `new_context` hands out contexts kept from earlier
tests of the worker, emptied first (pages closed, cookies and local storage cleared).

The module is imported by the test modules before pytest loads it as a plugin, so it opts out
of assertion rewriting (it has no asserts): PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from tests.conftest import PASSWORD, PROJECT_ROOT

#: Debian's headless shell of Chromium (package chromium-headless-shell): the same Blink as the
#: browser, without its windowing; a page load takes half the CPU time and a new context a
#: third of what the whole browser, in its headless mode, takes on a two-core machine.
CHROMIUM = "/usr/bin/chromium-headless-shell"
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


def _open(browser: Browser) -> BrowserContext:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context


def _emptied(context: BrowserContext, base_url: str) -> bool:
    """Whether `context` could be emptied for another test: its local storage cleared (from one
    of its pages still on the application), its pages closed (their session storage and routes
    go with them) and its cookies cleared. A context without a page on the application keeps
    what it stored, and is not reused; nor is one that fails to be emptied (a test that failed
    may leave a page that no longer answers)."""
    on_the_application = [page for page in context.pages if page.url.startswith(base_url)]
    if not on_the_application:
        return False
    try:
        on_the_application[0].evaluate("window.localStorage.clear()")
        for page in context.pages:
            page.close()
        context.clear_cookies()
        context.clear_permissions()
    except PlaywrightError:
        return False
    context.set_default_timeout(10_000)
    return True


@pytest.fixture(scope="session")
def idle_contexts(browser: Browser) -> list[BrowserContext]:
    """Contexts emptied after a test, for the next ones of the worker (`new_context`)."""
    return []


@pytest.fixture
def new_context(
    browser: Browser, live_server: str, idle_contexts: list[BrowserContext]
) -> Iterator[Callable[[], BrowserContext]]:
    """Open browser contexts (separate cookie jars), English at 1280 px, with no page, no
    cookie and nothing stored: one kept from an earlier test when there is one. After the
    test each is emptied and kept, or closed."""
    contexts: list[BrowserContext] = []

    def open_context() -> BrowserContext:
        context = idle_contexts.pop() if idle_contexts else _open(browser)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        if _emptied(context, live_server):
            idle_contexts.append(context)
        else:
            context.close()


def log_in(page: Page, base_url: str, user: User, path: str = "/") -> None:
    """Log in as `user`, then open `path` (the home page unless said). The login form is sent
    by the page's context (which shares its cookies) rather than filled in on the page: the
    tests of the login page fill it with `fill_login_form`."""
    request = page.context.request
    form = request.get(base_url + "/login")
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', form.text())
    token = re.search(r'value="([^"]*)"', field.group(0)) if field else None
    if token is None:
        raise AssertionError("the login page has no CSRF token")
    response = request.post(
        base_url + "/login",
        form={"csrf_token": token.group(1), "email": user.email, "password": PASSWORD},
        max_redirects=0,
    )
    location = response.headers.get("location", "")
    if response.status != 302 or "/login" in location:
        raise AssertionError(f"{user.email} was not logged in: {response.status} {location}")
    page.goto(base_url + path)


def fill_login_form(page: Page, user: User) -> None:
    """Fill in the login form the page shows and wait to be sent on."""
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def shoot(page: Page, folder: str, name: str, *, full_page: bool = True) -> None:
    """A screenshot under test-artifacts/<folder>/<name>.png (of the whole page unless said),
    when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
