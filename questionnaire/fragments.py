"""Parts of every page that depend only on a few values known in advance (the language, the kind
of account, the application's root), rendered once per combination and kept, with slots for the
few values that change on each request (the CSRF token, the page's own address, the user's
name).

The site header is one: a dozen translated labels and fixed links, built on every page, cost
about a tenth of an article page. Jinja has no fragment cache of its own, and Flask-Caching's
`{% cache %}` tag would keep whole rendered fragments, per-request values included; this keeps
the template's output split at the slots instead, and fills them in on each request.

A slot is rendered as a marker of private-use characters, which no translation or URL holds;
the template must print it as it is (`{{ name }}`, no filter), and `fragment` checks that every
slot came through. A value is escaped as Jinja's autoescaping would have escaped it, so a kept
fragment gives the very bytes of a fresh rendering (tests/test_fragments.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import render_template, request
from markupsafe import Markup, escape

from questionnaire.i18n import current_language

_MARK = "\ue000{}\ue001"
_SLOT = re.compile("\ue000([a-z_]+)\ue001")


class FragmentError(RuntimeError):
    """A fragment's template did not print a slot as it is."""


@lru_cache(maxsize=256)
def _parts(
    template: str,
    root: str,
    language: str,
    fixed: tuple[tuple[str, Any], ...],
    slots: tuple[str, ...],
) -> tuple[str, ...]:
    """The template's output split at its slots: text, slot name, text, slot name, ..., text.
    `root` and `language` are part of the key only (the rendering reads them itself)."""
    markers = {name: Markup(_MARK.format(name)) for name in slots}
    parts = tuple(_SLOT.split(render_template(template, **dict(fixed), **markers)))
    printed = set(parts[1::2])
    if printed != set(slots) or "\ue000" in "".join(parts[0::2]):
        raise FragmentError(
            f"{template}: slots {sorted(slots)} must each be printed as they are; "
            f"found {sorted(printed)}"
        )
    return parts


def fragment(
    template: str, fixed: Mapping[str, Any], slots: Mapping[str, Any] | None = None
) -> Markup:
    """`template` rendered with the values of `fixed` (hashable; part of the key under which
    the rendering is kept, with the language and the application's root) and `slots`."""
    slots = slots or {}
    parts = _parts(
        template,
        request.script_root,
        current_language(),
        tuple(sorted(fixed.items())),
        tuple(sorted(slots)),
    )
    if len(parts) == 1:
        return Markup(parts[0])
    values = {name: str(escape(value)) for name, value in slots.items()}
    filled = list(parts)
    filled[1::2] = [values[name] for name in parts[1::2]]
    return Markup("".join(filled))
