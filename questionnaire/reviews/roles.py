"""The roles a review grants to people, as the accounts ask about them: the second factor
that TWO_FACTOR_REQUIRED_ROLES requires of focal points, for instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Exists, exists
from sqlmodel import col

from questionnaire.accounts.twofactor import GrantedRoles
from questionnaire.reviews.models import ROLES, ReviewMembership


def holds_review_role(user_id: Any, roles: frozenset[str]) -> Exists:
    """Whether the user holds one of `roles` in any review (SQL EXISTS); `user_id` is a
    column or a bound value."""
    return exists().where(
        col(ReviewMembership.user_id) == user_id,
        col(ReviewMembership.role).in_(sorted(roles)),
    )


REVIEW_ROLES = GrantedRoles(names=frozenset(ROLES), held_by=holds_review_role)
