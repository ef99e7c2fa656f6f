"""Every table of the application, imported in one place for Alembic and the tests."""

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.db import metadata
from questionnaire.reference.models import State
from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress
from questionnaire.reviews.models import Review, ReviewMembership

__all__ = [
    "Answer",
    "AnswerRevision",
    "AuditEntry",
    "BankVersion",
    "Review",
    "ReviewMembership",
    "SectionProgress",
    "State",
    "User",
    "metadata",
]
