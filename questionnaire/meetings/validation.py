"""Reading a meeting file: every problem named by file, line and field, nothing half-read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from questionnaire.banks import yamlsource
from questionnaire.banks.validation import Problem
from questionnaire.meetings.spec import ITEM_REFERENCE, MeetingFile, MeetingSpec
from questionnaire.meetings.symbols import SymbolError, local_part
from questionnaire.reference.bodies import bodies


@dataclass
class ReadMeeting:
    """The meeting read from a file, or the problems that stop it from being read."""

    spec: MeetingSpec | None = None
    problems: list[Problem] = field(default_factory=list)


class _Reporter:
    def __init__(self, name: str, tree: Any) -> None:
        self.name, self.tree = name, tree
        self.problems: list[Problem] = []

    def add(self, loc: Sequence[str | int], message: str) -> None:
        line = yamlsource.line_of(self.tree, loc) if self.tree is not None else 0
        name = ".".join(f"[{s}]" if isinstance(s, int) else s for s in loc).replace(".[", "[")
        self.problems.append(Problem(self.name, line, name, message))


def read_meeting_text(text: str, name: str) -> ReadMeeting:
    """Validate the text of a meeting file called `name` (for the messages)."""
    try:
        tree = yamlsource.parse(text)
    except yamlsource.YamlSyntaxError as exc:
        return ReadMeeting(problems=[Problem(name, exc.line, "", f"not valid YAML: {exc}")])
    report = _Reporter(name, tree)
    try:
        spec = MeetingFile.model_validate(tree).meeting
    except ValidationError as exc:
        for error in exc.errors():
            report.add(tuple(error["loc"]), error["msg"])
        return ReadMeeting(problems=report.problems)
    _check(spec, report)
    return ReadMeeting(spec=None if report.problems else spec, problems=report.problems)


def read_meeting_file(path: Path) -> ReadMeeting:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ReadMeeting(problems=[Problem(str(path), 0, "", f"cannot read the file: {exc}")])
    return read_meeting_text(text, str(path))


def item_references(spec: MeetingSpec) -> set[str]:
    """Every item and sub-item of the agenda as written: "2", "1 (a)"."""
    references = set()
    for item in spec.agenda:
        references.add(str(item.number))
        references.update(f"{item.number} ({sub.letter})" for sub in item.items)
    return references


def normalized(reference: str) -> str:
    match = ITEM_REFERENCE.fullmatch(reference)
    assert match is not None
    letter = match["letter"]
    return f"{match['number']} ({letter})" if letter else match["number"]


def _check(spec: MeetingSpec, report: _Reporter) -> None:
    known = bodies().by_code
    at = ("meeting",)
    if spec.body not in known:
        report.add((*at, "body"), f"unknown body; one of {', '.join(sorted(known))}")
    if spec.ends_on < spec.starts_on:
        report.add((*at, "ends_on"), "the meeting ends before it starts")
    if spec.year not in (spec.starts_on.year, spec.starts_on.year - 1):
        report.add((*at, "year"), "the symbols' year is the meeting's year (or the year before)")
    if "en" not in spec.venue:
        report.add((*at, "venue"), "give the venue in English at least")
    _check_agenda(spec, report)
    _check_days(spec, report)
    _check_documents(spec, report, set(known))


def _check_agenda(spec: MeetingSpec, report: _Reporter) -> None:
    for index, item in enumerate(spec.agenda):
        at = ("meeting", "agenda", index)
        if item.number != index + 1:
            report.add((*at, "number"), f"items are numbered 1, 2, 3…; expected {index + 1}")
        if spec.original_language not in item.title:
            report.add((*at, "title"), "give the title in the meeting's original language")
        for sub_index, sub in enumerate(item.items):
            expected = chr(ord("a") + sub_index)
            if sub.letter != expected:
                report.add((*at, "items", sub_index, "letter"), f"expected ({expected})")


def _check_days(spec: MeetingSpec, report: _Reporter) -> None:
    days = {
        spec.starts_on + timedelta(days=n) for n in range((spec.ends_on - spec.starts_on).days + 1)
    }
    references = item_references(spec)
    for index, day in enumerate(spec.organization_of_work):
        at = ("meeting", "organization_of_work", index)
        if day.date not in days:
            report.add((*at, "date"), "not a day of the meeting")
        for slot in ("morning", "afternoon"):
            for position, reference in enumerate(getattr(day, slot)):
                if normalized(reference) not in references:
                    report.add((*at, slot, position), f"no item {reference} on the agenda")


def _check_documents(spec: MeetingSpec, report: _Reporter, known: set[str]) -> None:
    references = item_references(spec)
    seen: set[tuple[str, int, int, int]] = set()
    agendas = 0
    for index, document in enumerate(spec.documents):
        at = ("meeting", "documents", index)
        agendas += document.kind == "agenda"
        if document.item is not None and normalized(document.item) not in references:
            report.add((*at, "item"), f"no item {document.item} on the agenda")
        for position, code in enumerate(document.joint_with):
            if code not in known or code == spec.body:
                report.add((*at, "joint_with", position), "another body of data/bodies.yaml")
        if document.joint_with and document.kind != "paper":
            report.add((*at, "joint_with"), "only documents numbered /2, /3… are issued jointly")
        if document.kind != "agenda" and document.number is None:
            report.add((*at, "number"), "give the document's number in its series")
        else:
            try:
                local_part(
                    document.kind, document.number or 1, document.revision, document.corrigendum
                )
            except SymbolError as exc:
                report.add((*at, "number"), str(exc))
        key = (document.kind, document.number or 1, document.revision, document.corrigendum)
        if key in seen:
            report.add((*at, "number"), "another document of the file has this number")
        seen.add(key)
        if document.content and (document.kind != "paper" or document.item is None):
            report.add((*at, "content"), "a status note is a document /2, /3… for an agenda item")
        if (spec.original_language not in document.titles) and "en" not in document.titles:
            report.add((*at, "titles"), "give the title in the meeting's original language")
    if agendas != 1:
        report.add(("meeting", "documents"), "list the provisional agenda (kind: agenda) once")
