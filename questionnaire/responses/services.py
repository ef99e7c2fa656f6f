"""The responses' services, importable from one place: reading answers (`queries`), saving
them (`saving`), carrying them forward and confirming them (`carry_forward`), marking sections,
submitting and reopening (`submission`)."""

from __future__ import annotations

from questionnaire.responses.carry_forward import carry_forward as carry_forward
from questionnaire.responses.carry_forward import (
    confirm_carried_forward as confirm_carried_forward,
)
from questionnaire.responses.carry_forward import earlier_submission as earlier_submission
from questionnaire.responses.queries import StoredAnswer as StoredAnswer
from questionnaire.responses.queries import answers_of as answers_of
from questionnaire.responses.queries import history_of as history_of
from questionnaire.responses.queries import progress_rows as progress_rows
from questionnaire.responses.queries import stored_answers as stored_answers
from questionnaire.responses.saving import AnswerChange as AnswerChange
from questionnaire.responses.saving import Conflict as Conflict
from questionnaire.responses.saving import SaveOutcome as SaveOutcome
from questionnaire.responses.saving import save_answers as save_answers
from questionnaire.responses.submission import SubmissionBlocker as SubmissionBlocker
from questionnaire.responses.submission import mark_section as mark_section
from questionnaire.responses.submission import reopen as reopen
from questionnaire.responses.submission import submission_blockers as submission_blockers
from questionnaire.responses.submission import submit as submit
