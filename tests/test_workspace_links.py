"""Links in the dialogue's messages, through HTTP: clickable when they are http or https
addresses, everything else escaped."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from questionnaire.accounts.models import User
from questionnaire.workspace.links import linkify
from tests.factories import Cast, Workspace, cast_review

Client = Callable[[User | None], FlaskClient]


@pytest.fixture
def cast(db, make_user, make_review, member) -> Cast:  # type: ignore[no-untyped-def]
    return cast_review(db, make_user, make_review, member)


def test_links_in_messages_are_clickable_and_safe(db, cast, client_for) -> None:
    reviewer = Workspace(client_for(cast.reviewer), cast.review_id)
    body = (
        "See https://sherloc.unodc.org/cld/case-law?id=1&x=2. "
        'Not javascript:alert(1) nor <a href="https://evil.example">this</a> '
        "nor ftp://files.example"
    )
    reviewer.message("art-5", "request", body)
    page = reviewer.get("/sections/art-5").get_data(as_text=True)
    assert (
        '<a href="https://sherloc.unodc.org/cld/case-law?id=1&amp;x=2" rel="noopener nofollow">'
        "https://sherloc.unodc.org/cld/case-law?id=1&amp;x=2</a>." in page
    )
    assert "&lt;a href=&#34;" in page or "&lt;a href=&quot;" in page
    assert 'href="javascript' not in page and 'href="ftp' not in page


def test_linkify_escapes_everything_but_the_links() -> None:
    assert str(linkify("a < b https://x.example/p?q=1&r=2), end")) == (
        'a &lt; b <a href="https://x.example/p?q=1&amp;r=2" rel="noopener nofollow">'
        "https://x.example/p?q=1&amp;r=2</a>), end"
    )
    assert str(linkify('https://x.example/"onmouseover="x')) == (
        '<a href="https://x.example/" rel="noopener nofollow">https://x.example/</a>'
        "&#34;onmouseover=&#34;x"
    )
    assert str(linkify(None)) == ""
