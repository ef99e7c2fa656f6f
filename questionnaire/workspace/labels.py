"""Labels of the lists of observations and of the dialogue about them, in the reader's
language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

#: The status of a list of observations (`models.LIST_STATUSES`).
LIST_STATUS_LABELS: dict[str, LazyString] = {
    "drafting": _l("Drafting"),
    "with_state": _l("With the State under review"),
    "agreed": _l("Agreed"),
    "final": _l("Final"),
}
#: The buttons that move a list from one status to another (`models.LIST_FLOW`).
TRANSITION_LABELS: dict[tuple[str, str], LazyString] = {
    ("drafting", "with_state"): _l("Share with the State under review"),
    ("with_state", "drafting"): _l("Send back for changes"),
    ("with_state", "agreed"): _l("Agree to the list and summary"),
    ("agreed", "final"): _l("Make final"),
    ("agreed", "drafting"): _l("Reopen the drafting"),
}
#: The kind of a message of the dialogue on a section.
MESSAGE_KIND_LABELS: dict[str, LazyString] = {
    "request": _l("Request for clarification"),
    "reply": _l("Reply"),
    "comment": _l("Comment"),
}
