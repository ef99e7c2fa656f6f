"""Whether a revision still says what the lists of observations say now.

A revision's content is built again from the request it was made from and the current data,
and compared with the content it was rendered from. Any difference (an element kept
confidential, a paragraph of a summary, an edit, a list sent back to drafting, a change of
reviewing State) makes the revision stale: a stale draft is never published. Nothing is
stored: staleness is computed each time, so no change of the lists can forget to mark it.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _
from sqlmodel import Session

from questionnaire.documents.crp import (
    build_snapshot,
    plain_snapshot,
    request_from_source,
    snapshot_sha256,
)
from questionnaire.documents.models import Publication
from questionnaire.errors import RuleViolation

#: How much of an element's text a message quotes.
EXCERPT = 80


def excerpt(text: str) -> str:
    """The start of an element's text, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1].rstrip() + "…"


def current_snapshot(db: Session, publication: Publication) -> dict[str, Any] | None:
    """The content the revision would have if it were made now; None when it was made before
    its request was kept. Raises RuleViolation when it could not be made now."""
    request = request_from_source(publication.source)
    if request is None:
        return None
    return plain_snapshot(build_snapshot(db, request))


def changes(db: Session, publication: Publication) -> list[LazyString]:
    """What differs between the revision and the current data, translated when shown (in
    the reader's language, in English for the command line); [] when up to date."""
    try:
        current = current_snapshot(db, publication)
    except RuleViolation as exc:
        return [exc.args[0]]
    if current is None:
        return [
            _(
                "This revision was made before documents kept what they were made from: "
                "its content cannot be checked against the lists. Create a new revision."
            )
        ]
    if snapshot_sha256(current) == snapshot_sha256(publication.snapshot):
        return []
    found = [
        message
        for old, new in zip_longest(publication.snapshot["states"], current["states"])
        for message in _block_changes(old, new)
    ]
    return found or [_("The wording of the document has changed since this revision was made.")]


def _texts(block: dict[str, Any] | None) -> list[str]:
    if block is None:
        return []
    articles = [p["text"] for a in block["articles"] for p in a["paragraphs"]]
    return articles + [p["text"] for p in block["summary"]]


def _block_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[LazyString]:
    name = (old or new or {}).get("heading", "")
    before, after = _texts(old), _texts(new)
    found = [
        _(
            "List of observations of %(list)s: the element “%(element)s” is no longer to be "
            "published (kept confidential by the State, changed or withdrawn).",
            list=name,
            element=excerpt(text),
        )
        for text in before
        if text not in after
    ]
    found += [
        _(
            "List of observations of %(list)s: the element “%(element)s” is new or changed.",
            list=name,
            element=excerpt(text),
        )
        for text in after
        if text not in before
    ]
    if not found and old != new:
        found.append(_("List of observations of %(list)s: its details have changed.", list=name))
    return found
