"""The browser contexts that `new_context` hands from one test to the next carry nothing over:
emptied, a context is logged out and holds no local storage (tests/browser.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from questionnaire.accounts.models import User
from tests.browser import _emptied, log_in

pytest_plugins = ("tests.browser",)
pytestmark = pytest.mark.browser


def test_an_emptied_context_is_logged_out_and_stores_nothing(
    make_user: Callable[..., User], live_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    context = new_context()
    page = context.new_page()
    log_in(page, live_server, make_user("GHA"))
    page.evaluate("window.localStorage.setItem('left-by-a-test', '1')")
    assert context.cookies()

    assert _emptied(context, live_server)

    assert context.pages == [] and context.cookies() == []
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert page.evaluate("window.localStorage.length") == 0


def test_a_context_with_no_page_on_the_application_is_not_kept(
    live_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    context = new_context()
    context.new_page()  # about:blank: its local storage could not be cleared from there

    assert not _emptied(context, live_server)
