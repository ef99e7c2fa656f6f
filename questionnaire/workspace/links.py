"""Links in the messages of the dialogue: the text escaped, its web addresses clickable."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: An http or https address in a message, up to the first space, quote or angle bracket.
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
#: Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?)]}'\""


def linkify(text: str | None) -> Markup:
    """The text escaped, with its http and https addresses as links that open no window
    reference and pass no ranking."""
    if not text:
        return Markup("")
    parts: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(address)
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<a href="{0}" rel="noopener nofollow">{0}</a>').format(address))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
