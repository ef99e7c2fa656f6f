"""Validation of question bank files.

Every problem names the file, the line and the field, so that whoever edits a bank can go
straight to the mistake. `validate_file` never raises for a bad bank: it returns problems.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from questionnaire.banks import translations, yamlsource
from questionnaire.banks.question_checks import check_questions, check_sections
from questionnaire.banks.rules import (
    coverage_problems,
    kept_key_problems,
    role_problems,
    shared_problems,
    walk_questions,
)
from questionnaire.banks.schema import (
    REQUIRED_LANGUAGES,
    SCHEMA_VERSION,
    Bank,
    BankSpec,
)
from questionnaire.banks.translations import LanguageCoverage
from questionnaire.reference.instruments import InstrumentData, load_instrument_data

FILE_NAME = re.compile(r"^v(?P<version>[0-9]+)\.yaml$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class ValidatedBank:
    """The outcome of validating one file: the bank when valid, the problems otherwise."""

    path: Path
    text: str = ""
    bank: Bank | None = None
    problems: list[Problem] = field(default_factory=list)
    #: share of translatable texts present and current per optional language, 0..1
    coverage: dict[str, float] = field(default_factory=dict)
    #: per language other than English: texts current, stale and unreviewed
    languages: dict[str, LanguageCoverage] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def is_valid(self) -> bool:
        return self.bank is not None and not self.problems


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field_name(tree: Any, loc: Sequence[str | int]) -> str:
    """A readable field path: list items are named by their `key` where they have one."""
    parts: list[str] = []
    node = tree
    for step in loc:
        if isinstance(step, int):
            # Items of a list of scalars (`when`, `any_of`, `replaces`) are named by index.
            node = node[step] if isinstance(node, list) and step < len(node) else None
            key = node.get("key") if isinstance(node, dict) else None
            label = key if isinstance(key, str) else str(step)
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label}]"]
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


class _Reporter:
    def __init__(self, path: Path, tree: Any) -> None:
        self.path = _display_path(path)
        self.tree = tree
        self.problems: list[Problem] = []

    def add(self, loc: Sequence[str | int], message: str) -> None:
        line = yamlsource.line_of(self.tree, loc) if self.tree is not None else 0
        self.problems.append(Problem(self.path, line, _field_name(self.tree, loc), message))


def validate_file(
    path: Path,
    instrument_data: InstrumentData | None = None,
    known: dict[Path, ValidatedBank] | None = None,
) -> ValidatedBank:
    """Validate one bank file; checks `replaces` against the previous version beside it.

    `known` holds files already validated in the same batch (by resolved path), so that the
    previous version of a bank is not read and validated a second time for its `replaces`.
    """
    known = {} if known is None else known
    data = instrument_data or load_instrument_data()
    result = ValidatedBank(path=path)
    report = _Reporter(path, None)
    try:
        result.text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.add((), f"cannot read the file: {exc}")
        result.problems = report.problems
        return result
    spec = _parse_spec(result.text, report)
    if spec is not None:
        _check_bank(spec, path, report, data, known)
        if not report.problems:
            result.bank = translations.runtime_bank(spec)
            result.languages = translations.coverage(spec)
            result.coverage = {
                language: found.share
                for language, found in result.languages.items()
                if language not in REQUIRED_LANGUAGES
            }
    result.problems = report.problems
    known[path.resolve()] = result
    return result


def _parse_spec(text: str, report: _Reporter) -> BankSpec | None:
    try:
        tree = yamlsource.parse(text)
    except yamlsource.YamlSyntaxError as exc:
        report.problems.append(Problem(report.path, exc.line, "", f"not valid YAML: {exc}"))
        return None
    report.tree = tree
    if not isinstance(tree, dict):
        report.add((), "a bank file must be a mapping of fields (schema_version, instrument, ...)")
        return None
    if tree.get("schema_version") != SCHEMA_VERSION:
        found = tree.get("schema_version", "missing")
        report.add(
            ("schema_version",),
            f"unknown schema_version {found!r}: this application reads schema_version "
            f"{SCHEMA_VERSION} (see docs/bank-format.md)",
        )
        return None
    try:
        return BankSpec.model_validate(tree)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            message = error["msg"]
            if isinstance(error.get("input"), bool):
                message += (
                    " (YAML reads unquoted yes/no/on/off as true/false: "
                    'write the option key in quotes, e.g. "yes")'
                )
            report.add(loc, message)
        return None


def _check_bank(
    spec: BankSpec,
    path: Path,
    report: _Reporter,
    data: InstrumentData,
    known: dict[Path, ValidatedBank],
) -> None:
    _check_path(spec, path, report)
    _check_languages(spec, report)
    check_sections(spec, report, data)
    check_questions(spec, report)
    is_current = not path.with_name(f"v{spec.version + 1}.yaml").exists()
    for loc, message in [
        *role_problems(spec),
        *shared_problems(spec),
        *coverage_problems(spec, data, is_current=is_current),
    ]:
        report.add(loc, message)
    _check_replaces(spec, path, report, data, known)


def _check_path(spec: BankSpec, path: Path, report: _Reporter) -> None:
    match = FILE_NAME.match(path.name)
    if not match:
        report.add(("version",), f"the file must be named v{spec.version}.yaml")
    elif int(match["version"]) != spec.version:
        report.add(("version",), f"version {spec.version} does not match the file name {path.name}")
    if path.parent.name != spec.cluster:
        report.add(
            ("cluster",), f"cluster {spec.cluster} does not match the folder {path.parent.name}/"
        )
    if path.parent.parent.name != spec.instrument:
        report.add(
            ("instrument",),
            f"instrument {spec.instrument} does not match the folder {path.parent.parent.name}/",
        )


def _check_languages(spec: BankSpec, report: _Reporter) -> None:
    for language in REQUIRED_LANGUAGES:
        if language not in spec.languages:
            report.add(("languages",), f"must include {language!r}")
    # Beyond English and French, a language a published bank declares is one it is offered
    # in: every text must be there and current. Drafts are being translated.
    declared = [lang for lang in spec.languages if lang != "en"]
    complete = declared if spec.status == "published" else list(REQUIRED_LANGUAGES[1:])
    for entry in translations.text_entries(spec):
        for language in REQUIRED_LANGUAGES:
            value = entry.texts.get(language)
            if value is None:
                report.add(entry.loc, f"the {language!r} text is missing")
            elif not value.strip():
                report.add((*entry.loc, language), f"the {language!r} text is empty")
        for language in complete:
            status = translations.status_of(spec, entry, language)
            if status == "missing" and language not in REQUIRED_LANGUAGES:
                report.add(
                    entry.loc,
                    f"the {language!r} text is missing: the bank declares {language} in "
                    "`languages`, so a published bank needs every text in it",
                )
            elif status == "stale" and spec.status == "published":
                report.add((*entry.loc, language), _stale_message(spec, entry.id, language))
    _check_sources(spec, report)


def _stale_message(spec: BankSpec, text_id: str, language: str) -> str:
    recorded = (spec.translations or {}).get(language, {}).get(text_id)  # type: ignore[call-overload]
    why = (
        "no source_sha256 is recorded for it"
        if recorded is None
        else "it was made from an earlier English text"
    )
    return (
        f"the {language!r} translation of {text_id} is stale ({why}): have it checked, then "
        f"run `questionnaire banks confirm-translations --language {language} --key {text_id}`"
    )


def _check_sources(spec: BankSpec, report: _Reporter) -> None:
    if spec.translations and "en" in spec.translations:
        report.add(("translations", "en"), "English is the source of the translations")
    for language, text_id in translations.orphan_sources(spec):
        if language != "en":
            report.add(
                ("translations", language, text_id),
                f"the bank has no {language!r} text {text_id}: remove this line "
                "(`questionnaire banks confirm-translations` drops it)",
            )


def _check_replaces(
    spec: BankSpec,
    path: Path,
    report: _Reporter,
    data: InstrumentData,
    known: dict[Path, ValidatedBank],
) -> None:
    replacing = [
        (q_loc, question)
        for index, section in enumerate(spec.sections)
        for q_loc, question in walk_questions(section, ("sections", index))
        if question.replaces
    ]
    previous_path = path.with_name(f"v{spec.version - 1}.yaml")
    # A file whose name disagrees with its version (reported apart) is not its own previous.
    has_previous = spec.version > 1 and previous_path.exists() and previous_path.name != path.name
    if not has_previous:
        for q_loc, _question in replacing:
            report.add(
                (*q_loc, "replaces"),
                f"there is no previous version ({previous_path.name}) for `replaces` to refer to",
            )
        return
    previous = known.get(previous_path.resolve()) or validate_file(previous_path, data, known)
    if previous.bank is None:
        for q_loc, _question in replacing:
            report.add(
                (*q_loc, "replaces"),
                f"the previous version {previous_path.name} is not valid; fix it first",
            )
        return
    for loc, message in kept_key_problems(spec, previous.bank):
        report.add(loc, message)
    previous_keys = set(previous.bank.questions_by_key)
    for q_loc, question in replacing:
        for r_index, key in enumerate(question.replaces):
            if key not in previous_keys:
                report.add(
                    (*q_loc, "replaces", r_index),
                    f"{key} is not a question of version {spec.version - 1}",
                )
