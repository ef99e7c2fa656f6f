"""Labels of the reviews feature's settings, in the reader's language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from questionnaire.reviews.draw import NO_GROUP_ANY, NO_GROUP_EXCLUDED, NO_GROUP_OTHER_ONLY

#: How the seats of an entity in no regional group are drawn (a setting of each phase).
NO_GROUP_RULE_LABELS: dict[str, LazyString] = {
    NO_GROUP_ANY: _l(
        "Both of its seats are drawn from every regional group; it may be drawn for the "
        "other-region seat of any State"
    ),
    NO_GROUP_OTHER_ONLY: _l(
        "Only its other-region seat is drawn, from every regional group; it may be drawn for "
        "the other-region seat of any State"
    ),
    NO_GROUP_EXCLUDED: _l(
        "Both of its seats are drawn from every regional group; it is never drawn to review "
        "another State"
    ),
}

#: The totals at the top of the dashboard and of a phase's page, after their number.
TOTAL_LABELS: dict[str, LazyString] = {
    "answering": _l("answering"),
    "submitted": _l("submitted"),
    "drafting": _l("lists being drafted"),
    "with_state": _l("lists with the State"),
    "agreed": _l("lists agreed"),
    "final": _l("lists final"),
    "overdue": _l("with a step overdue"),
}
