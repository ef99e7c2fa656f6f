"""The checks of a bank's sections and questions, part of `questionnaire.banks.validation`:
each problem is reported at its place in the file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from questionnaire.banks.rules import walk_questions
from questionnaire.banks.schema import CHOICE_TYPES, BankSpec, QuestionSpec
from questionnaire.reference.instruments import InstrumentData


class Report(Protocol):
    """Where the problems go: `add` takes the field's place in the file and the message."""

    def add(self, loc: Sequence[str | int], message: str) -> None: ...


def check_sections(spec: BankSpec, report: Report, data: InstrumentData) -> None:
    """Section keys once each, articles of the instrument and the cluster, provisions of
    their section's article."""
    instrument = data.instruments.get(spec.instrument)
    cluster = data.clusters.get(spec.cluster)
    seen: set[str] = set()
    for index, section in enumerate(spec.sections):
        loc: tuple[str | int, ...] = ("sections", index)
        if section.key in seen:
            report.add((*loc, "key"), f"section key {section.key!r} is used twice")
        seen.add(section.key)
        if section.article is None:
            if section.title is None:
                report.add(loc, "a general section (no article) needs a title")
            continue
        if instrument is None or section.article not in instrument.articles:
            report.add(
                (*loc, "article"),
                f"{spec.instrument} has no article {section.article} in the instrument data",
            )
        elif cluster is not None and section.article not in cluster.articles.get(
            spec.instrument, ()
        ):
            report.add(
                (*loc, "article"),
                f"article {section.article} of {spec.instrument} is not in cluster {spec.cluster} "
                "(see questionnaire/reference/data/instruments.yaml)",
            )
        for q_loc, question in walk_questions(section, loc):
            provision = question.provision
            if provision and not re.match(rf"^{section.article}(\(|$)", provision):
                report.add(
                    (*q_loc, "provision"),
                    f"provision {provision!r} is not in article {section.article} of this section",
                )


def check_questions(spec: BankSpec, report: Report) -> None:
    """Question keys once each and of the instrument, options, conditions that look back at a
    choice question, follow-ups of choice questions."""
    earlier: dict[str, QuestionSpec] = {}
    for s_index, section in enumerate(spec.sections):
        for q_loc, question in walk_questions(section, ("sections", s_index)):
            _check_question(spec, question, q_loc, earlier, report)
            earlier.setdefault(question.key, question)
            for f_index, follow_up in enumerate(question.follow_ups):
                f_loc = (*q_loc, "follow_ups", f_index)
                if follow_up.show_if is not None:
                    report.add((*f_loc, "show_if"), "a follow-up uses `when`, not `show_if`")
                if question.type not in CHOICE_TYPES:
                    report.add(
                        (*f_loc, "when"),
                        f"follow-ups need a choice question; {question.key} is {question.type}",
                    )
                    continue
                _check_option_refs(question, follow_up.when, (*f_loc, "when"), report)


def _check_question(
    spec: BankSpec,
    question: QuestionSpec,
    loc: tuple[str | int, ...],
    earlier: dict[str, QuestionSpec],
    report: Report,
) -> None:
    if question.key in earlier:
        report.add((*loc, "key"), f"question key {question.key} is used twice")
    if not question.key.startswith(f"{spec.instrument}-"):
        report.add((*loc, "key"), f"question key {question.key} must start with {spec.instrument}-")
    if question.type in ("single_choice", "multiple_choice"):
        if not question.options or len(question.options) < 2:
            report.add((*loc, "options"), f"a {question.type} question needs at least two options")
        else:
            keys = [option.key for option in question.options]
            for o_index, key in enumerate(keys):
                if key in keys[:o_index]:
                    report.add(
                        (*loc, "options", o_index, "key"), f"option key {key!r} is used twice"
                    )
    elif question.options is not None:
        hint = (
            " (its options are fixed: yes, partial, no)"
            if question.type == "yes_no_partial"
            else ""
        )
        report.add((*loc, "options"), f"a {question.type} question takes no options{hint}")
    if question.show_if is not None:
        target = earlier.get(question.show_if.question)
        if target is None:
            report.add(
                (*loc, "show_if", "question"),
                f"{question.show_if.question} is not a question earlier in this bank "
                "(conditions may only look back, so they can never form a cycle)",
            )
        elif target.type not in CHOICE_TYPES:
            report.add(
                (*loc, "show_if", "question"),
                f"{target.key} is a {target.type} question; conditions need a choice question",
            )
        else:
            _check_option_refs(target, question.show_if.any_of, (*loc, "show_if", "any_of"), report)


def _option_keys(question: QuestionSpec) -> list[str]:
    if question.type == "yes_no_partial":
        return ["yes", "partial", "no"]
    return [option.key for option in question.options or []]


def _check_option_refs(
    target: QuestionSpec, keys: list[str], loc: tuple[str | int, ...], report: Report
) -> None:
    valid = _option_keys(target)
    for index, key in enumerate(keys):
        if key not in valid:
            report.add(
                (*loc, index),
                f"{target.key} has no option {key!r} (its options: {', '.join(valid)})",
            )
