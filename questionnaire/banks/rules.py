"""Rules on a bank's content beyond its shape: question roles and the coverage of its cluster.

Each rule returns (location, message) pairs; `validation` turns them into problems with the
file's line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from questionnaire.banks.schema import (
    CHOICE_TYPES,
    LEGACY_ASSISTANCE_SUFFIX,
    SHARED_ANSWERS,
    Bank,
    BankSpec,
    QuestionSpec,
    SectionSpec,
    declares_roles,
    fits_shared,
)
from questionnaire.reference.instruments import InstrumentData

Location = tuple[str | int, ...]


def walk_questions(section: SectionSpec, base: Location) -> Iterator[tuple[Location, QuestionSpec]]:
    """Every question of the section with its location, follow-ups after their question."""

    def walk(
        questions: Sequence[QuestionSpec], loc: Location, name: str
    ) -> Iterator[tuple[Location, QuestionSpec]]:
        for index, question in enumerate(questions):
            q_loc = (*loc, name, index)
            yield q_loc, question
            yield from walk(question.follow_ups, q_loc, "follow_ups")

    yield from walk(section.questions, base, "questions")


def shared_problems(spec: BankSpec) -> list[tuple[Location, str]]:
    """A question declaring `shared_as` is a general question (in no article's section) with
    the type and options of its kind, and each kind is shared by one question of the bank:
    its answer is carried to and from the State's other questionnaires."""
    problems: list[tuple[Location, str]] = []
    seen: dict[str, str] = {}
    for s_index, section in enumerate(spec.sections):
        for q_loc, question in walk_questions(section, ("sections", s_index)):
            kind = question.shared_as
            if kind is None:
                continue
            loc = (*q_loc, "shared_as")
            kind_type, options = SHARED_ANSWERS[kind]
            if section.article is not None:
                problems.append((loc, f"{question.key}: only a general question is shared"))
            elif not fits_shared(question, kind):
                wanted = f"{kind_type} with options {', '.join(options)}" if options else kind_type
                problems.append((loc, f"{question.key}: {kind} is answered as {wanted}"))
            elif kind in seen:
                problems.append((loc, f"{question.key}: {kind} is already shared by {seen[kind]}"))
            seen.setdefault(kind, question.key)
    return problems


def role_problems(spec: BankSpec) -> list[tuple[Location, str]]:
    """A technical assistance question is an article's own choice question, one per article;
    in a bank declaring roles, a key with the legacy `-TA` suffix must declare the role."""
    problems: list[tuple[Location, str]] = []
    declared = declares_roles(spec)
    for s_index, section in enumerate(spec.sections):
        seen: str | None = None
        for q_loc, question in walk_questions(section, ("sections", s_index)):
            is_top = len(q_loc) == 4  # sections[i].questions[j], not a follow-up
            if question.role == "technical_assistance":
                message = _assistance_problem(section, question, is_top, seen)
                if message:
                    problems.append(((*q_loc, "role"), message))
                seen = seen or question.key
            elif declared and is_top and question.key.endswith(LEGACY_ASSISTANCE_SUFFIX):
                message = (
                    f"{question.key} ends with {LEGACY_ASSISTANCE_SUFFIX}: declare "
                    "role: technical_assistance, or choose another key"
                )
                problems.append(((*q_loc, "role"), message))
    return problems


def _assistance_problem(
    section: SectionSpec, question: QuestionSpec, is_top: bool, seen: str | None
) -> str | None:
    if not is_top:
        return "a follow-up cannot be an article's technical assistance question"
    if section.article is None:
        return "a technical assistance question belongs to an article's section"
    if question.type not in CHOICE_TYPES:
        return f"a technical assistance question is a choice question, not {question.type}"
    if seen is not None:
        return f"the section already has its technical assistance question, {seen}"
    return None


#: How a partial bank's title says so, per required language.
PARTIAL_WORDS = {"en": re.compile(r"\bpartial\b", re.I), "fr": re.compile(r"\bpartiel", re.I)}


def coverage_problems(
    spec: BankSpec, data: InstrumentData, *, is_current: bool
) -> list[tuple[Location, str]]:
    """A published bank that no later version replaces covers every article of its cluster,
    or declares itself `partial` with the reason and says so in its title. Drafts may be
    incomplete; so may versions already replaced (they are no longer opened)."""
    cluster = data.clusters.get(spec.cluster)
    if cluster is None:
        return []
    problems: list[tuple[Location, str]] = []
    if spec.partial is not None:
        for language, word in PARTIAL_WORDS.items():
            if not word.search(spec.title.get(language, "")):  # type: ignore[call-overload]
                problems.append(
                    (("title", language), f"a partial bank says so in its title ({word.pattern})")
                )
        return problems
    if spec.status != "published" or not is_current:
        return problems
    covered = {section.article for section in spec.sections}
    for article in cluster.articles.get(spec.instrument, ()):
        if article not in covered:
            message = (
                f"article {article} of {spec.instrument} is in cluster {spec.cluster} but has no "
                "section: add one, or declare the bank `partial` with the reason"
            )
            problems.append((("sections",), message))
    return problems


def kept_key_problems(spec: BankSpec, previous: Bank) -> list[tuple[Location, str]]:
    """A published key keeps its meaning, since answers are carried forward by key: a question
    that keeps a key of the previous version but asks another provision is refused."""
    problems: list[tuple[Location, str]] = []
    for s_index, section in enumerate(spec.sections):
        for q_loc, question in walk_questions(section, ("sections", s_index)):
            old = previous.questions_by_key.get(question.key)
            if old and old.provision and question.provision and old.provision != question.provision:
                message = (
                    f"{question.key} asked {old.provision} in version {previous.version}: a key "
                    "keeps its meaning, so give this question a new key (with `replaces` where "
                    "it continues another)"
                )
                problems.append(((*q_loc, "key"), message))
    return problems
