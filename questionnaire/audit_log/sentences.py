"""The audit log in words: one translated sentence per kind of action, with named placeholders
("Expert of Australia shared the list of observations of Ghana (SOM) with Ghana"), and the
fields an entry changed, before and after, as a person reads them. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.i18n import codes
from questionnaire.reference.names import english_name, names_of

#: Placeholders every sentence may use: actor, review, state, object, reviewing_state, action.
SENTENCES: dict[str, LazyString] = {
    "answer.save": _l("%(actor)s saved an answer in %(review)s."),
    "answer.autosave": _l("%(actor)s saved an answer in %(review)s (saved automatically)."),
    "answer.confirm": _l("%(actor)s confirmed a carried-forward answer in %(review)s."),
    "answer.flag": _l("%(actor)s changed whether an answer of %(review)s is confidential."),
    "answer.carry_forward": _l("%(actor)s carried an earlier answer forward into %(review)s."),
    "section.complete": _l("%(actor)s marked a section of %(review)s complete."),
    "section.reopen": _l("%(actor)s reopened a section of %(review)s."),
    "review.submit": _l("%(actor)s submitted the answers of %(review)s."),
    "review.reopen": _l("%(actor)s sent the answers of %(review)s back for changes."),
    "observation.add": _l("%(actor)s added an observation to the list of %(review)s."),
    "observation.edit": _l("%(actor)s changed an observation on the list of %(review)s."),
    "observation.withdraw": _l("%(actor)s withdrew an observation from the list of %(review)s."),
    "observation.confidential": _l(
        "%(actor)s changed whether an observation on the list of %(review)s is confidential."
    ),
    "summary.edit": _l("%(actor)s changed the summary of the list of %(review)s."),
    "summary.confidential": _l(
        "%(actor)s changed whether a paragraph of the summary of %(review)s is confidential."
    ),
    "list.language": _l(
        "%(actor)s corrected the language the list of observations of %(review)s is written in."
    ),
    "observation.translate": _l(
        "%(actor)s recorded the translation of an observation on the list of %(review)s."
    ),
    "summary.translate": _l(
        "%(actor)s recorded the translation of the summary of the list of %(review)s."
    ),
    "dialogue.request": _l("%(actor)s asked %(state)s for clarification in %(review)s."),
    "dialogue.reply": _l("%(actor)s replied to the reviewing States in %(review)s."),
    "dialogue.comment": _l("%(actor)s commented on the list of observations of %(review)s."),
    "list.agree": _l(
        "%(actor)s agreed to the list of observations of %(review)s for %(reviewing_state)s."
    ),
    "list.agreement_withdraw": _l(
        "%(actor)s withdrew the agreement of %(reviewing_state)s to the list of %(review)s."
    ),
    "list.designate": _l(
        "%(actor)s designated an expert to agree to the list of observations of %(review)s."
    ),
    "assignment.replace": _l("%(actor)s replaced %(reviewing_state)s as a reviewer of %(review)s."),
    "phase.create": _l("%(actor)s created a phase of reviews."),
    "phase.draw": _l("%(actor)s drew the reviewing States of a phase by lot."),
    "phase.deadlines": _l("%(actor)s changed the durations of the deadlines of a phase."),
    "groups.draw": _l("%(actor)s drew the groups of States by lot."),
    "nomination.record": _l("%(actor)s recorded a nomination."),
    "nomination.change_role": _l("%(actor)s changed the role of a nominated person."),
    "nomination.end": _l("%(actor)s ended a nomination."),
    "peer_naming.give": _l("%(actor)s named a reviewer for %(review)s."),
    "document.create": _l("%(actor)s prepared a document of %(review)s."),
    "document.publish": _l("%(actor)s published a document of %(review)s."),
    "document.withdraw": _l("%(actor)s withdrew a published document of %(review)s."),
    "attachment.add": _l("%(actor)s attached a file to %(review)s."),
    "attachment.remove": _l("%(actor)s removed a file attached to %(review)s."),
    "meeting.create": _l("%(actor)s recorded a meeting."),
    "meeting.update": _l("%(actor)s changed a meeting."),
    "meeting.document.record": _l("%(actor)s recorded a document of a meeting."),
    "account.create": _l("%(actor)s created an account."),
    "account.activate": _l("%(actor)s activated their account."),
    "account.activation_sent": _l("%(actor)s sent an activation link."),
    "account.password_change": _l("%(actor)s changed their password."),
    "account.password_reset": _l("%(actor)s set a new password with a reset link."),
    "account.password_reset_sent": _l("%(actor)s sent a password reset link."),
    "account.two_factor_setup": _l("%(actor)s set up two-step verification."),
    "api_token.create": _l("%(actor)s created an access key for the API."),
    "api_token.revoke": _l("%(actor)s revoked an access key for the API."),
    "auth.login": _l("%(actor)s logged in."),
    "auth.logout": _l("%(actor)s logged out."),
    "auth.failure": _l("A login as %(actor)s failed."),
    "auth.refused": _l("A login as %(actor)s was refused."),
    "auth.lockout": _l("Logins as %(actor)s were locked after repeated failures."),
    "outbox.retry": _l("%(actor)s sent an undelivered e-mail again."),
    "provisions.load": _l("%(actor)s loaded the texts of the articles."),
    "treaty_status.import": _l("%(actor)s imported the status of the treaties."),
}

#: Documents not tied to one review (a compilation, a meeting's document).
WITHOUT_REVIEW: dict[str, LazyString] = {
    "document.create": _l("%(actor)s prepared a document."),
    "document.publish": _l("%(actor)s published a document."),
    "document.withdraw": _l("%(actor)s withdrew a published document."),
}

#: The list of observations moving to a status, said in words.
TRANSITIONS: dict[str, LazyString] = {
    "with_state": _l("%(actor)s shared the list of observations of %(review)s with %(state)s."),
    "agreed": _l("%(actor)s recorded that the list of observations of %(review)s is agreed."),
    "final": _l("%(actor)s made the list of observations of %(review)s final."),
    "drafting": _l("%(actor)s sent the list of observations of %(review)s back to drafting."),
}

#: Kinds of action to filter on, by the prefix of their action.
KINDS: dict[str, LazyString] = {
    "answer.": _l("Answers"),
    "section.": _l("Sections marked complete or reopened"),
    "review.": _l("Answers submitted or sent back"),
    "observation.": _l("Observations"),
    "summary.": _l("Summaries of lists of observations"),
    "list.": _l("Lists of observations: sharing and agreement"),
    "dialogue.": _l("Dialogue"),
    "assignment.": _l("Reviewing States replaced"),
    "phase.": _l("Phases and draws"),
    "nomination.": _l("Nominations"),
    "document.": _l("Documents"),
    "meeting.": _l("Meetings"),
    "account.": _l("Accounts"),
    "auth.": _l("Logins and logouts"),
    "api_token.": _l("Access keys for the API"),
}

#: The names of the fields shown before and after.
FIELDS: dict[str, LazyString] = {
    "status": _l("Status"),
    "category": _l("Category"),
    "text": _l("Text"),
    "cited_keys": _l("Answers it relies on"),
    "is_confidential": _l("Confidential"),
    "role": _l("Role"),
    "email": _l("E-mail address"),
    "reviewing_state": _l("Reviewing State"),
    "reviewing_states": _l("Reviewing States"),
    "body": _l("Message"),
    "section": _l("Section"),
    "value": _l("Answer"),
    "name": _l("Name"),
    "paragraph": _l("Paragraph"),
    "filename": _l("File"),
}

#: Longest value shown in the page before it is cut (the export has it whole).
VALUE_LENGTH = 400


@dataclass(frozen=True)
class Change:
    """One field an entry changed: its name, and its value before and after, in words."""

    field: str
    before: str
    after: str


def state_label(code: str, language: str) -> str:
    """A State's UN name in `language` (English when none is on file for it)."""
    found = names_of(code)
    if found:
        return found.names.get(language) or found.names["en"]
    return english_name(code)


def review_label(state_code: str, instrument: str, language: str) -> str:
    """A review as the log names it: "Ghana (SOM)"."""
    return _(
        "%(state)s (%(instrument)s)",
        state=state_label(state_code, language),
        instrument=instrument,
    )


def person_label(user: User | None, entry: AuditEntry) -> str:
    """Who acted: their name, else the address given at login, else the system."""
    if user is not None:
        return user.full_name or user.email
    if entry.login_email:
        return entry.login_email
    return _("The system")


def sentence(
    entry: AuditEntry,
    user: User | None,
    reviews: Mapping[int, tuple[str, str]],
    language: str,
) -> str:
    """The entry in words. `reviews`: review id -> (State code, instrument)."""
    state_code, instrument = reviews.get(entry.review_id or 0, ("", ""))
    details = entry.after if isinstance(entry.after, dict) else {}
    before = entry.before if isinstance(entry.before, dict) else {}
    reviewing = details.get("reviewing_state") or before.get("reviewing_state") or ""
    values = {
        "actor": person_label(user, entry),
        "review": review_label(state_code, instrument, language) if state_code else "–",
        "state": state_label(state_code, language) if state_code else "–",
        "reviewing_state": state_label(reviewing, language) if reviewing else "–",
        "object": f"{entry.object_type} {entry.object_id}",
        "action": entry.action,
    }
    template = SENTENCES.get(entry.action)
    if not state_code and entry.action in WITHOUT_REVIEW:
        template = WITHOUT_REVIEW[entry.action]
    if entry.action == "list.transition":
        template = TRANSITIONS.get(str(details.get("status")))
    if template is None:
        return _("%(actor)s: %(action)s on %(object)s.", **values)
    return str(template) % values


def readable(value: Any) -> str:
    """A recorded value as a person reads it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return codes([readable(item) for item in value])
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[:VALUE_LENGTH].rstrip() + "…"


def changes(entry: AuditEntry) -> list[Change]:
    """The fields the entry recorded, with their values before and after; a field that did not
    change is left out when both sides were recorded."""
    before, after = entry.before, entry.after
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [Change("", readable(before), readable(after))]
    before, after = before or {}, after or {}
    fields = list(dict.fromkeys([*before, *after]))
    both = entry.before is not None and entry.after is not None
    return [
        Change(str(FIELDS.get(key, key)), readable(before.get(key)), readable(after.get(key)))
        for key in fields
        if not (both and before.get(key) == after.get(key))
    ]
