"""The typed shape of a question bank.

`*Spec` models describe the YAML file as written (follow-ups nested under their question);
`Bank`, `Section` and `Question` are the runtime form, with follow-ups flattened into ordinary
questions carrying a `show_if` on their parent. The runtime form is what the database stores.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1
LANGUAGES = ("en", "fr", "ar", "es", "ru", "zh")
REQUIRED_LANGUAGES = ("en", "fr")
INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")
CLUSTERS = ("I", "II", "III", "IV")
QUESTION_TYPES = ("yes_no_partial", "single_choice", "multiple_choice", "text", "links")
CHOICE_TYPES = ("yes_no_partial", "single_choice", "multiple_choice")

Language = Literal["en", "fr", "ar", "es", "ru", "zh"]
TranslatedText = dict[Language, str]
QuestionKey = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,6}(-[A-Za-z0-9]+)+$")]
OptionKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SectionKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
Provision = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\([a-z0-9]+\))*$")]
QuestionType = Literal["yes_no_partial", "single_choice", "multiple_choice", "text", "links"]

# The fixed answer scale of the adopted guidance: Yes / Yes, in part / No.
YES_NO_PARTIAL_LABELS: dict[str, TranslatedText] = {
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí", "ru": "Да", "ar": "نعم", "zh": "是"},
    "partial": {
        "en": "Yes, in part",
        "fr": "Oui, en partie",
        "es": "Sí, en parte",
        "ru": "Да, частично",
        "ar": "نعم، جزئياً",
        "zh": "部分是",
    },
    "no": {"en": "No", "fr": "Non", "es": "No", "ru": "Нет", "ar": "لا", "zh": "否"},
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer option of a choice question."""

    key: OptionKey
    label: TranslatedText


class Condition(_Strict):
    """Show a question only when another question has one of the given options."""

    question: QuestionKey
    any_of: list[OptionKey] = Field(min_length=1)


class QuestionSpec(_Strict):
    """A question as written in the bank file."""

    key: QuestionKey
    provision: Provision | None = None
    type: QuestionType
    text: TranslatedText
    help: TranslatedText | None = None
    required: bool = False
    options: list[Option] | None = None
    show_if: Condition | None = None
    replaces: list[QuestionKey] = []
    follow_ups: list[FollowUpSpec] = []


class FollowUpSpec(QuestionSpec):
    """A question revealed by an answer to the question it is nested under."""

    when: list[OptionKey] = Field(min_length=1)


class SectionSpec(_Strict):
    """A section as written in the bank file: one article, or general questions."""

    key: SectionKey
    article: int | None = Field(default=None, ge=1)
    title: TranslatedText | None = None
    intro: TranslatedText | None = None
    questions: list[QuestionSpec] = Field(min_length=1)


class BankSpec(_Strict):
    """A bank file as written."""

    schema_version: Literal[1]
    instrument: Literal["UNTOC", "TIP", "SOM", "FIR"]
    cluster: Literal["I", "II", "III", "IV"]
    version: int = Field(ge=1)
    status: Literal["draft", "published"]
    languages: list[Language] = Field(min_length=1)
    title: TranslatedText
    guidance: TranslatedText | None = None
    sections: list[SectionSpec] = Field(min_length=1)


class Question(_Strict):
    """A question at run time; follow-ups are ordinary questions with a parent."""

    key: str
    section: str
    article: int | None
    provision: str | None
    type: QuestionType
    text: TranslatedText
    help: TranslatedText | None
    required: bool
    options: tuple[Option, ...]
    show_if: Condition | None
    replaces: tuple[str, ...]
    parent: str | None

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)


class Section(_Strict):
    """A section at run time."""

    key: str
    article: int | None
    title: TranslatedText | None
    intro: TranslatedText | None
    questions: tuple[Question, ...]


class Bank(BaseModel):
    """A validated bank version at run time."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    instrument: str
    cluster: str
    version: int
    status: str
    languages: tuple[str, ...]
    title: TranslatedText
    guidance: TranslatedText | None
    sections: tuple[Section, ...]

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def questions_by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    @cached_property
    def sections_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    @property
    def label(self) -> str:
        return f"{self.instrument} cluster {self.cluster} v{self.version}"


def flatten(spec: BankSpec) -> Bank:
    """Turn a validated bank file into its run-time form."""
    sections = []
    for section in spec.sections:
        questions: list[Question] = []
        for question in section.questions:
            _flatten_question(question, section, question.show_if, None, questions)
        sections.append(
            Section(
                key=section.key,
                article=section.article,
                title=section.title,
                intro=section.intro,
                questions=tuple(questions),
            )
        )
    return Bank(
        instrument=spec.instrument,
        cluster=spec.cluster,
        version=spec.version,
        status=spec.status,
        languages=tuple(spec.languages),
        title=spec.title,
        guidance=spec.guidance,
        sections=tuple(sections),
    )


def _flatten_question(
    spec: QuestionSpec,
    section: SectionSpec,
    show_if: Condition | None,
    parent: str | None,
    out: list[Question],
) -> None:
    options: tuple[Option, ...]
    if spec.type == "yes_no_partial":
        options = tuple(Option(key=k, label=v) for k, v in YES_NO_PARTIAL_LABELS.items())
    else:
        options = tuple(spec.options or ())
    out.append(
        Question(
            key=spec.key,
            section=section.key,
            article=section.article,
            provision=spec.provision,
            type=spec.type,
            text=spec.text,
            help=spec.help,
            required=spec.required,
            options=options,
            show_if=show_if,
            replaces=tuple(spec.replaces),
            parent=parent,
        )
    )
    for follow_up in spec.follow_ups:
        condition = Condition(question=spec.key, any_of=follow_up.when)
        _flatten_question(follow_up, section, condition, spec.key, out)
