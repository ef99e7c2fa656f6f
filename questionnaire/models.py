"""Every table of the application, imported in one place for Alembic and the tests."""

from questionnaire.accounts.models import User
from questionnaire.api.models import ApiToken
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.db import metadata
from questionnaire.nominations.models import Nomination
from questionnaire.notifications.models import OutboxMessage
from questionnaire.observations.models import (
    DialogueMessage,
    ListOfObservations,
    ListTransition,
    Observation,
)
from questionnaire.publishing.models import Publication
from questionnaire.reference.models import State
from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewMembership,
    ReviewPhase,
)

__all__ = [
    "Answer",
    "AnswerRevision",
    "ApiToken",
    "AuditEntry",
    "BankVersion",
    "DialogueMessage",
    "ListOfObservations",
    "ListTransition",
    "Nomination",
    "Observation",
    "OutboxMessage",
    "Publication",
    "Review",
    "ReviewAssignment",
    "ReviewDraw",
    "ReviewMembership",
    "ReviewPhase",
    "SectionProgress",
    "State",
    "User",
    "metadata",
]
