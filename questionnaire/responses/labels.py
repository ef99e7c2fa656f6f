"""Labels of the respondents' pages, and how a question is named where its full text would be
too long: the check page, error summaries. A question's short text is its first sentence, cut
at a word; a follow-up is named with the provision (or the question) it belongs to, so that two
"Please cite the applicable legislation" can be told apart."""

from __future__ import annotations

import re

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaire.banks.schema import Bank, Question
from questionnaire.i18n import isolated, left_to_right, localize

#: The progress of a section on the task list.
SECTION_STATUS_LABELS: dict[str, LazyString] = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
}
#: How a revision of an answer was made, in its history.
REVISION_KIND_LABELS: dict[str, LazyString] = {
    "save": _l("Saved"),
    "autosave": _l("Saved while typing"),
    "carry_forward": _l("Carried forward"),
    "confirm": _l("Confirmed"),
    "flag": _l("Confidentiality changed"),
}
#: The kinds of question of the registry (`question_types.py`).
QUESTION_TYPE_LABELS: dict[str, LazyString] = {
    "yes_no_partial": _l("Yes / Yes, in part / No"),
    "single_choice": _l("One choice"),
    "multiple_choice": _l("Several choices"),
    "text": _l("Text"),
    "links": _l("Links"),
}

#: Longest short text, in characters, before it is cut at a word and ends with "…".
SHORT_TEXT_LENGTH = 90
_SENTENCE_END = re.compile(r"(?<=[?.!])\s")


def short_text(question: Question, length: int = SHORT_TEXT_LENGTH) -> str:
    """The question's first sentence in the current language, at most about `length`
    characters, without its closing full stop."""
    localized = localize(question.text)
    language = localized.language if localized else "en"
    text = " ".join(str(localized or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    if len(first) <= length:
        return isolated(first, language)
    cut = first[:length].rsplit(" ", 1)[0].rstrip(",;:")
    return isolated(f"{cut}…", language)


def question_label(bank: Bank, question: Question) -> str:
    """The question as a list or an error summary names it: "Article 5(1)(a): Please cite the
    applicable legislation and provisions"."""
    parent = bank.questions_by_key.get(question.parent) if question.parent else None
    provision = question.provision or (parent.provision if parent else None)
    text = short_text(question)
    if provision:
        return _("Article %(provision)s: %(text)s", provision=left_to_right(provision), text=text)
    if parent is not None:
        return _("%(question)s – %(text)s", question=short_text(parent, 60), text=text)
    return text
