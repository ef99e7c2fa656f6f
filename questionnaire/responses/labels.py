"""How a question is named where its full text would be too long: the check page, error
summaries. A question's short text is its first sentence, cut at a word; a follow-up is named
with the provision (or the question) it belongs to, so that two "Please cite the applicable
legislation" can be told apart."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from questionnaire.banks.schema import Bank, Question
from questionnaire.i18n import isolated, left_to_right, localize

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
