"""Request bodies: refused past MAX_CONTENT_LENGTH with a 413 page (JSON for JSON), and not
read at all before the checks that do not need them (the CSRF token in the session, and the
login for the views that take JSON)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from questionnaire import create_app
from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.config import from_environment
from tests.conftest import PASSWORD

LIMIT = 64 * 1024


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts what the application read of it."""

    def __init__(self, size: int, chunk: bytes = b"a") -> None:
        self.size, self.chunk, self.position, self.read_bytes = size, chunk, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = (self.chunk * count)[:count]
        self.position += count
        self.read_bytes += count
        return count


@pytest.fixture
def deployed_app(test_config: dict[str, object], app: Flask) -> Iterator[Flask]:
    """The application as deployed: CSRF checked, the default body limit."""
    other = create_app({**test_config, "WTF_CSRF_ENABLED": True}, check_schema=False)
    yield other
    database.get_engine(other).dispose()


@pytest.fixture
def limited_app(test_config: dict[str, object], app: Flask) -> Iterator[Flask]:
    """The application as deployed, with a small body limit."""
    other = create_app(
        {**test_config, "WTF_CSRF_ENABLED": True, "MAX_CONTENT_LENGTH": LIMIT},
        check_schema=False,
    )
    yield other
    database.get_engine(other).dispose()


def post_body(
    client: FlaskClient, path: str, size: int, content_type: str, **headers: str
) -> tuple[int, str, CountingStream]:
    stream = CountingStream(size)
    response = client.post(
        path,
        input_stream=stream,
        content_length=size,
        content_type=content_type,
        headers=headers,
    )
    return response.status_code, response.get_data(as_text=True), stream


def test_the_limit_is_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MAX_CONTENT_LENGTH", raising=False)
    assert from_environment(tmp_path)["MAX_CONTENT_LENGTH"] == 4 * 1024 * 1024
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "1048576")
    assert from_environment(tmp_path)["MAX_CONTENT_LENGTH"] == 1048576


def test_a_body_past_the_limit_is_a_413_page_and_is_not_read(limited_app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    client.get("/login")  # a session with a CSRF token: only the size is wrong
    status, page, stream = post_body(
        client, "/login", 28 * 1024 * 1024, "application/x-www-form-urlencoded"
    )
    assert status == 413
    assert "What was sent is too large" in page and "<header" in page
    assert stream.read_bytes == 0


def test_a_json_body_past_the_limit_is_a_json_413(deployed_app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    client = deployed_app.test_client()
    stream = CountingStream(28 * 1024 * 1024)
    response = client.post(
        "/reviews/1/sections/A/autosave",
        input_stream=stream,
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == 413
    assert stream.read_bytes == 0


def test_the_413_page_is_in_the_readers_language(limited_app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    client.get("/login")
    status, page, _stream = post_body(
        client,
        "/login",
        LIMIT + 1,
        "application/x-www-form-urlencoded",
        **{"Accept-Language": "fr"},
    )
    assert status == 413 and 'lang="fr"' in page


def test_a_form_without_a_csrf_session_is_refused_before_its_body_is_read(
    limited_app: Flask, db
) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    status, page, stream = post_body(client, "/login", LIMIT, "application/x-www-form-urlencoded")
    assert status == 400 and "The form had expired" in page
    assert stream.read_bytes == 0


def test_an_anonymous_json_body_is_refused_before_it_is_read(limited_app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    stream = CountingStream(LIMIT, b" ")
    response = client.post(
        "/reviews/1/sections/A/autosave",
        input_stream=stream,
        content_length=LIMIT,
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "session_ended"
    assert stream.read_bytes == 0


def test_a_json_body_without_the_csrf_header_is_refused_before_it_is_read(
    limited_app: Flask, make_user: Callable[..., User], db
) -> None:  # type: ignore[no-untyped-def]
    client = limited_app.test_client()
    user = make_user("GHA")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token[1]}
    )
    assert response.status_code == 302
    stream = CountingStream(LIMIT, b" ")
    response = client.post(
        "/reviews/1/sections/A/autosave",
        input_stream=stream,
        content_length=LIMIT,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert stream.read_bytes == 0
