"""Parts of pages that depend only on a few values known in advance (the language, the kind of
account, the application's root, a bank version's section), rendered once per combination and
kept, with slots for the values that change on each request (the CSRF token, the page's own
address, the user's name, the flashed messages, the answers).

The site header is one: a dozen translated labels and fixed links, built on every page, cost
about a tenth of an article page. The article page is another, the header included: its
questions are kept already (`responses/prepared.py`), and the translated labels, links and
conditions around them cost as much again as the rest of the request. Jinja has no fragment
cache of its own, and Flask-Caching's `{% cache %}` tag keeps whole rendered fragments,
per-request values included; this keeps the template's output split at the slots instead, and
fills them in on each request.

A slot is rendered as a marker: private-use characters around a random token of the process
and the slot's name, which no translation, bank text or URL holds; the template must print it
as it is (`{{ name }}`, no filter), and every slot must come through. A value is escaped as
Jinja's autoescaping would have escaped it, so a kept fragment gives the very bytes of a fresh
rendering (tests/test_fragments.py, tests/test_article_page.py).

A fragment rendered while another is being prepared (the header inside the article page) keeps
its slots as markers, which become slots of the enclosing fragment; its fixed values must be
among the enclosing fragment's, or the enclosing one would keep them for everybody: both are
checked when the enclosing fragment is prepared.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from flask import render_template, request
from markupsafe import Markup, escape

from questionnaire.i18n import current_language

_TOKEN = secrets.token_hex(8)
_MARK = "\ue000" + _TOKEN + ":{}\ue001"
_SLOT = re.compile("\ue000" + _TOKEN + ":([a-z_]+)\ue001")

Fixed = tuple[tuple[str, Any], ...]

#: While a fragment is prepared: the (fixed values, slot names) of the fragments inside it.
_preparing: ContextVar[list[tuple[Fixed, tuple[str, ...]]] | None] = ContextVar(
    "fragment_preparing", default=None
)
#: The values a fragment is prepared with besides its key (see `fragment`).
_derived: ContextVar[Mapping[str, Any]] = ContextVar("fragment_derived")


class FragmentError(RuntimeError):
    """A fragment's template did not print a slot as it is, or a fragment inside it depends on
    a value the enclosing one is not kept by."""


def marker(name: str) -> Markup:
    """What a slot's value is while a fragment is prepared."""
    return Markup(_MARK.format(name))


def preparing() -> bool:
    """Whether a fragment is being prepared: per-request values must then be slots."""
    return _preparing.get() is not None


#: Kept renderings per process: a bank version's sections x languages x rights, and the
#: headers; an article page without its questions is some 5-15 kB.
FRAGMENT_CACHE_SIZE = 1024


@lru_cache(maxsize=FRAGMENT_CACHE_SIZE)
def _parts(
    template: str, root: str, language: str, fixed: Fixed, slots: tuple[str, ...]
) -> tuple[str, ...]:
    """The template's output split at its slots: text, slot name, text, slot name, ..., text.
    `root` and `language` are part of the key only (the rendering reads them itself)."""
    inner: list[tuple[Fixed, tuple[str, ...]]] = []
    token = _preparing.set(inner)
    try:
        context = {**_derived.get(), **dict(fixed), **{name: marker(name) for name in slots}}
        parts = tuple(_SLOT.split(render_template(template, **context)))
    finally:
        _preparing.reset(token)
    printed = set(parts[1::2])
    if printed != set(slots) or _TOKEN in "".join(parts[0::2]):
        raise FragmentError(
            f"{template}: slots {sorted(slots)} must each be printed as they are; "
            f"found {sorted(printed)}"
        )
    for inner_fixed, inner_slots in inner:
        if not set(inner_fixed) <= set(fixed) or not set(inner_slots) <= set(slots):
            raise FragmentError(
                f"{template}: a fragment inside it is kept by {dict(inner_fixed)} with slots "
                f"{sorted(inner_slots)}; these must be among its own fixed values and slots"
            )
    return parts


def fragment(
    template: str,
    fixed: Mapping[str, Any],
    slots: Mapping[str, Any] | None = None,
    derived: Mapping[str, Any] | None = None,
) -> Markup:
    """`template` rendered with `fixed`, `derived` and `slots`.

    `fixed`: hashable values, the key under which the rendering is kept, with the language and
    the application's root. `derived`: values the template reads that follow from that key
    (a bank version's prepared section, say), given for the first rendering and not compared.
    `slots`: the values of this request, printed as they are.
    """
    slots = slots or {}
    fixed_items = tuple(sorted(fixed.items()))
    names = tuple(sorted(slots))
    token = _derived.set(derived or {})
    try:
        parts = _parts(template, request.script_root, current_language(), fixed_items, names)
    finally:
        _derived.reset(token)
    inner = _preparing.get()
    if inner is not None:  # inside an enclosing fragment being prepared: slots stay slots
        inner.append((fixed_items, names))
        values = {name: str(marker(name)) for name in names}
    else:
        values = {name: str(escape(value)) for name, value in slots.items()}
    if len(parts) == 1:
        return Markup(parts[0])
    filled = list(parts)
    filled[1::2] = [values[name] for name in parts[1::2]]
    return Markup("".join(filled))
