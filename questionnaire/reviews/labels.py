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

#: A person's role in a review.
ROLE_LABELS: dict[str, LazyString] = {
    "focal_point": _l("Focal point"),
    "expert": _l("Governmental expert"),
    "observer": _l("Observer"),
    "reviewer": _l("Reviewer"),
    "secretariat": _l("Secretariat"),
}
#: The status of a review's answers.
REVIEW_STATUS_LABELS: dict[str, LazyString] = {
    "answering": _l("Answering"),
    "submitted": _l("Submitted"),
}
#: The seats of a State's reviewers (`draw.py`).
SEAT_LABELS: dict[str, LazyString] = {
    "same_region": _l("same regional group"),
    "other_region": _l("another regional group"),
}
#: The regional groups of States, as the draw and the dashboard's filter name them.
REGION_LABELS: dict[str, LazyString] = {
    "african": _l("African States"),
    "asia_pacific": _l("Asia-Pacific States"),
    "eastern_european": _l("Eastern European States"),
    "grulac": _l("Latin American and Caribbean States"),
    "weog": _l("Western European and other States"),
    "none": _l("No regional group"),
}
#: The status of a review on the dashboard: its answers, then its list of observations.
DASHBOARD_STATUS_LABELS: dict[str, LazyString] = {
    "answering": _l("Answering"),
    "submitted": _l("Submitted"),
    "overdue": _l("Overdue"),
    "drafting": _l("List: drafting"),
    "with_state": _l("List: with the State"),
    "agreed": _l("List: agreed"),
    "final": _l("List: final"),
}
#: The steps of a review that can be overdue.
OVERDUE_LABELS: dict[str, LazyString] = {
    "focal_point": _l("focal point not named"),
    "experts": _l("experts not named"),
    "answers": _l("answers"),
    "feedback": _l("written feedback"),
}
