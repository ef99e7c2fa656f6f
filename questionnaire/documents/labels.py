"""Labels of the documents feature, in the reader's language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

#: The status of a document.
PUBLICATION_STATUS_LABELS: dict[str, LazyString] = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}
