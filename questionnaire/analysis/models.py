"""A State's consent to be named to its peers in the consolidated analysis of a questionnaire."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


class PeerSharingConsent(SQLModel, table=True):
    """The State under review lets the other submitting States see its name beside its good
    practices in the analysis of the questionnaire it answered; no row, no name."""

    __tablename__ = "peer_sharing_consent"

    review_id: int = Field(
        primary_key=True, foreign_key="review.id", description="the review whose answers are shared"
    )
    given_by_id: int = Field(
        foreign_key="user_account.id", description="the focal point who gave the consent"
    )
    given_at: datetime = Field(default_factory=utcnow, description="UTC")
