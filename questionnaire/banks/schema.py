"""The typed shape of a question bank.

`*Spec` models describe the YAML file as written (follow-ups nested under their question);
`Bank`, `Section` and `Question` are the runtime form, with follow-ups flattened into ordinary
questions carrying a `show_if` on their parent. The runtime form is what the database stores.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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
#: What a question is for, where the application treats it apart: `technical_assistance` is an
#: article's question on the assistance the State needs (tallied by the analysis pages).
QuestionRole = Literal["technical_assistance"]
QUESTION_ROLES = ("technical_assistance",)
#: Banks written before roles were declared mark the technical assistance question of an
#: article by this key suffix; such a bank (one declaring no role) is read accordingly.
LEGACY_ASSISTANCE_SUFFIX = "-TA"
#: General answers a State gives once for all its questionnaires (`shared_as`): each kind with
#: the question type and option keys a question sharing it must have (None: no options).
SHARED_ANSWERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "assistance_needed": ("single_choice", ("yes", "no")),
    "assistance_needed_details": ("text", None),
    "origin_transit_destination": ("multiple_choice", ("origin", "transit", "destination")),
    "other_mechanisms_links": ("links", None),
    "other_mechanisms_named": ("text", None),
}
SharedAs = Literal[
    "assistance_needed",
    "assistance_needed_details",
    "origin_transit_destination",
    "other_mechanisms_links",
    "other_mechanisms_named",
]
#: Versions written before `shared_as` existed (none of their questions declares it): the
#: general questions read as shared, by key after the instrument and by type.
LEGACY_SHARED: dict[tuple[str, str], str] = {
    ("GEN-1", "single_choice"): "assistance_needed",
    ("GEN-1-specify", "text"): "assistance_needed_details",
    ("GEN-2", "multiple_choice"): "origin_transit_destination",
    **{(k, "links"): "other_mechanisms_links" for k in ("GEN-2", "GEN-3", "GEN-3-links")},
    ("GEN-5-links", "links"): "other_mechanisms_links",
    **{(k, "text"): "other_mechanisms_named" for k in ("GEN-3", "GEN-4", "GEN-3-names")},
    ("GEN-5-names", "text"): "other_mechanisms_named",
}

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


class TranslationSource(_Strict):
    """Where one translated text comes from: the English it was made from, and whether a
    translator has checked it (see questionnaire/banks/translations.py)."""

    source_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    reviewed: bool = True


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
    role: QuestionRole | None = None
    shared_as: SharedAs | None = None
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
    #: why the bank leaves out articles of its cluster; a partial bank says so in its title
    partial: TranslatedText | None = None
    guidance: TranslatedText | None = None
    sections: list[SectionSpec] = Field(min_length=1)
    #: per language, per text id: the English each translation was made from (None: a bank
    #: written before the block existed, whose translations are all read as current)
    translations: dict[Language, dict[str, TranslationSource]] | None = None


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
    role: QuestionRole | None = None
    shared_as: SharedAs | None = None
    #: languages whose translation of this question's texts is stale (the English is shown)
    stale_languages: tuple[str, ...] = ()
    #: languages whose translation of this question's texts no translator has checked yet
    unreviewed_languages: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_technical_assistance(self) -> bool:
        return self.role == "technical_assistance"

    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)


class Section(_Strict):
    """A section at run time."""

    key: str
    article: int | None
    title: TranslatedText | None
    intro: TranslatedText | None
    questions: tuple[Question, ...]
    stale_languages: tuple[str, ...] = ()
    unreviewed_languages: tuple[str, ...] = ()


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
    #: why the bank leaves out articles of its cluster (None: it covers them all)
    partial: TranslatedText | None = None
    #: languages whose translation of the title, guidance or reason is stale or unchecked
    stale_languages: tuple[str, ...] = ()
    unreviewed_languages: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _legacy_roles(cls, data: Any) -> Any:
        """Content recorded before roles existed: its `-TA` questions are technical assistance."""
        if not isinstance(data, dict) or not isinstance(data.get("sections"), list | tuple):
            return data
        sections = [s for s in data["sections"] if isinstance(s, dict)]
        if len(sections) != len(data["sections"]) or any(
            isinstance(q, dict) and q.get("role") for s in sections for q in s.get("questions", ())
        ):
            return data

        def with_role(question: Any) -> Any:
            if isinstance(question, dict) and _is_legacy_assistance(
                question.get("key"), question.get("parent")
            ):
                return {**question, "role": "technical_assistance"}
            return question

        return {
            **data,
            "sections": [
                {**s, "questions": [with_role(q) for q in s.get("questions", ())]} for s in sections
            ],
        }

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def questions_by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    @cached_property
    def sections_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    @cached_property
    def shared_questions(self) -> dict[str, Question]:
        """The general questions whose answers the State gives once for all its
        questionnaires, by kind (`SHARED_ANSWERS`): as declared, or for a version declaring
        none, as `LEGACY_SHARED` reads it."""
        declared = {q.shared_as: q for q in self.questions if q.shared_as}
        if declared:
            return declared  # type: ignore[return-value]
        found: dict[str, Question] = {}
        for question in self.questions:
            suffix = question.key.removeprefix(f"{self.instrument}-")
            kind = LEGACY_SHARED.get((suffix, question.type))
            if kind and question.article is None and fits_shared(question, kind):
                found.setdefault(kind, question)
        return found

    @property
    def label(self) -> str:
        return f"{self.instrument} cluster {self.cluster} v{self.version}"


def fits_shared(question: Question | QuestionSpec, kind: str) -> bool:
    """Whether the question has the type and options of the shared kind."""
    kind_type, option_keys = SHARED_ANSWERS[kind]
    keys = tuple(option.key for option in question.options or ())
    return question.type == kind_type and (option_keys is None or keys == option_keys)


def _is_legacy_assistance(key: Any, parent: Any) -> bool:
    return isinstance(key, str) and key.endswith(LEGACY_ASSISTANCE_SUFFIX) and parent is None


def declares_roles(spec: BankSpec) -> bool:
    """Whether the bank file declares question roles (else the legacy suffix applies)."""
    return any(
        question.role or any(f.role for f in question.follow_ups)
        for section in spec.sections
        for question in section.questions
    )


def flatten(spec: BankSpec) -> Bank:
    """Turn a validated bank file into its run-time form."""
    legacy = not declares_roles(spec)
    sections = []
    for section in spec.sections:
        questions: list[Question] = []
        for question in section.questions:
            _flatten_question(question, section, question.show_if, None, questions)
        if legacy:
            questions = [
                q.model_copy(update={"role": "technical_assistance"})
                if _is_legacy_assistance(q.key, q.parent)
                else q
                for q in questions
            ]
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
        partial=spec.partial,
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
            role=spec.role,
            shared_as=spec.shared_as,
        )
    )
    for follow_up in spec.follow_ups:
        condition = Condition(question=spec.key, any_of=follow_up.when)
        _flatten_question(follow_up, section, condition, spec.key, out)
