"""Every table of the application, imported in one place for Alembic and the tests."""

from questionnaire.accounts.models import User
from questionnaire.analysis.models import PeerSharingConsent
from questionnaire.api.models import ApiToken
from questionnaire.attachments.models import ReviewAttachment
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.db import metadata
from questionnaire.documents.models import Publication
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.nominations.models import Nomination
from questionnaire.notifications.models import ReminderSent
from questionnaire.outbox.models import OutboxMessage
from questionnaire.reference.models import State
from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewMembership,
    ReviewPhase,
    StateGroupDraw,
)
from questionnaire.workspace.models import (
    DialogueMessage,
    ListAgreement,
    ListOfObservations,
    ListSignatory,
    ListTransition,
    Observation,
)

__all__ = [
    "Answer",
    "AnswerRevision",
    "ApiToken",
    "AuditEntry",
    "BankVersion",
    "DialogueMessage",
    "ListAgreement",
    "ListOfObservations",
    "ListSignatory",
    "ListTransition",
    "Meeting",
    "MeetingDocument",
    "Nomination",
    "Observation",
    "OutboxMessage",
    "PeerSharingConsent",
    "Publication",
    "ReminderSent",
    "Review",
    "ReviewAssignment",
    "ReviewAttachment",
    "ReviewDraw",
    "ReviewMembership",
    "ReviewPhase",
    "SectionProgress",
    "State",
    "StateGroupDraw",
    "User",
    "metadata",
]
