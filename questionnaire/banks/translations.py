"""Where each translated text of a bank comes from, and whether it is still current.

A bank file records, in its `translations` block, the SHA-256 of the English text each
translation was made from (docs/bank-format.md, "Translations"). A translation whose English
has been reworded since is *stale*: it is reported, and readers are shown the English until a
translator checks the translation and re-stamps it (`questionnaire banks confirm-translations`).
A bank without a `translations` block (written before the block existed) is read as if each of
its translations were made from the English beside it.

Every translated text has an id that stays the same across versions: `title`, `guidance`,
`partial`, `<section>.title`, `<section>.intro`, `<QUESTION>.text`, `<QUESTION>.help` and
`<QUESTION>.options.<option>`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from questionnaire.banks import yamlsource
from questionnaire.banks.rules import Location, walk_questions
from questionnaire.banks.schema import LANGUAGES, Bank, BankSpec, TranslationSource, flatten

Status = Literal["current", "stale", "missing"]
#: The languages a translation is recorded for (English is the source of them all).
TARGET_LANGUAGES = tuple(language for language in LANGUAGES if language != "en")


def source_sha256(english: str) -> str:
    """The SHA-256 (hex) of an English text as read from the bank file, in UTF-8."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TextEntry:
    """One translated text of a bank file: its id, where it is, and the question it belongs
    to (None for the bank's and the sections' own texts)."""

    id: str
    loc: Location
    texts: Mapping[Any, str]
    section: str | None
    question: str | None


def text_entries(spec: BankSpec) -> Iterator[TextEntry]:
    """Every translated text of the bank, in the order of the file."""
    for name in ("title", "guidance", "partial"):
        texts = getattr(spec, name)
        if texts:
            yield TextEntry(name, (name,), texts, None, None)
    for s_index, section in enumerate(spec.sections):
        base: Location = ("sections", s_index)
        for name in ("title", "intro"):
            texts = getattr(section, name)
            if texts:
                yield TextEntry(f"{section.key}.{name}", (*base, name), texts, section.key, None)
        for q_loc, question in walk_questions(section, base):
            key = question.key
            yield TextEntry(f"{key}.text", (*q_loc, "text"), question.text, section.key, key)
            if question.help:
                yield TextEntry(f"{key}.help", (*q_loc, "help"), question.help, section.key, key)
            for o_index, option in enumerate(question.options or []):
                yield TextEntry(
                    f"{key}.options.{option.key}",
                    (*q_loc, "options", o_index, "label"),
                    option.label,
                    section.key,
                    key,
                )


def status_of(spec: BankSpec, entry: TextEntry, language: str) -> Status:
    """Whether the text in `language` is there and made from the English beside it."""
    if not (entry.texts.get(language) or "").strip():
        return "missing"
    if language == "en" or spec.translations is None:
        return "current"
    source = spec.translations.get(language, {}).get(entry.id)  # type: ignore[call-overload]
    if source is None or source.source_sha256 != source_sha256(entry.texts.get("en") or ""):
        return "stale"
    return "current"


def is_unreviewed(spec: BankSpec, entry: TextEntry, language: str) -> bool:
    """Whether the translation is recorded as not yet checked by a translator."""
    if spec.translations is None or language == "en":
        return False
    source = spec.translations.get(language, {}).get(entry.id)  # type: ignore[call-overload]
    return source is not None and not source.reviewed


@dataclass
class LanguageCoverage:
    """How much of a bank one language covers."""

    language: str
    total: int
    current: int = 0
    stale: list[str] = field(default_factory=list)
    unreviewed: int = 0

    @property
    def share(self) -> float:
        return self.current / self.total if self.total else 1.0

    def line(self) -> str:
        """`ar 34/120 texts (28 %), 3 stale, 34 unreviewed`: current texts of the whole."""
        line = f"{self.language} {self.current}/{self.total} texts ({self.share:.0%})"
        if self.stale:
            line += f", {len(self.stale)} stale"
        if self.unreviewed:
            line += f", {self.unreviewed} unreviewed"
        return line.replace("%)", " %)")


def coverage(spec: BankSpec) -> dict[str, LanguageCoverage]:
    """Per language other than English: texts present and current, stale, unreviewed."""
    entries = list(text_entries(spec))
    report = {lang: LanguageCoverage(lang, len(entries)) for lang in TARGET_LANGUAGES}
    for entry in entries:
        for language, found in report.items():
            status = status_of(spec, entry, language)
            if status == "stale":
                found.stale.append(entry.id)
            elif status == "current":
                found.current += 1
                found.unreviewed += is_unreviewed(spec, entry, language)
    return report


def orphan_sources(spec: BankSpec) -> Iterator[tuple[str, str]]:
    """(language, id) of recorded sources with no text in that language to go with them."""
    texts = {entry.id: entry.texts for entry in text_entries(spec)}
    for language, sources in (spec.translations or {}).items():
        for text_id in sources:
            if not (texts.get(text_id, {}).get(language) or "").strip():
                yield language, text_id


def runtime_bank(spec: BankSpec) -> Bank:
    """The run-time bank: stale translations left out (readers get the English, marked),
    and each question, section and the bank itself noting its stale and unchecked languages."""
    tree = spec.model_dump(exclude={"translations"})
    stale: dict[str | None, set[str]] = {}
    unreviewed: dict[str | None, set[str]] = {}
    for entry in text_entries(spec):
        owner = entry.question or (f"section:{entry.section}" if entry.section else None)
        for language in TARGET_LANGUAGES:
            status = status_of(spec, entry, language)
            if status == "stale":
                _texts_at(tree, entry.loc).pop(language, None)
                stale.setdefault(owner, set()).add(language)
            elif status == "current" and is_unreviewed(spec, entry, language):
                unreviewed.setdefault(owner, set()).add(language)
    bank = flatten(BankSpec.model_validate(tree))

    def notes(owner: str | None) -> dict[str, tuple[str, ...]]:
        return {
            "stale_languages": _ordered(stale.get(owner, ())),
            "unreviewed_languages": _ordered(unreviewed.get(owner, ())),
        }

    sections = tuple(
        section.model_copy(
            update={
                **notes(f"section:{section.key}"),
                "questions": tuple(q.model_copy(update=notes(q.key)) for q in section.questions),
            }
        )
        for section in bank.sections
    )
    return bank.model_copy(update={**notes(None), "sections": sections})


def _texts_at(tree: Any, loc: Location) -> dict[str, str]:
    node = tree
    for step in loc:
        node = node[step]
    return node  # type: ignore[no-any-return]


def _ordered(languages: Any) -> tuple[str, ...]:
    return tuple(language for language in LANGUAGES if language in languages)


def translation_state(item: Any, texts: Mapping[Any, str] | None, language: str) -> str | None:
    """What a reader of `language` is told about a question's (or section's) texts:
    `missing` or `stale` (shown in English), `unreviewed`, or None."""
    if language == "en" or not texts:
        return None
    if language in item.stale_languages:
        return "stale"
    if not texts.get(language):
        return "missing"
    if language in item.unreviewed_languages:
        return "unreviewed"
    return None


# --- re-stamping ------------------------------------------------------------------------------


@dataclass
class Confirmation:
    """What `confirm` did to one language of one file."""

    confirmed: list[str] = field(default_factory=list)
    #: of the confirmed texts, those that were stale
    were_stale: list[str] = field(default_factory=list)
    #: sources dropped because their text is gone
    dropped: list[str] = field(default_factory=list)


def confirm(
    spec: BankSpec,
    language: str,
    selected: set[str] | None,
    *,
    reviewed: bool = True,
) -> tuple[dict[str, dict[str, TranslationSource]], Confirmation]:
    """The bank's translation sources with the texts of `language` stamped as made from the
    English beside them: the texts whose id or question key is in `selected`, or all of them
    when `selected` is None. Sources of texts that no longer exist are dropped."""
    sources: dict[str, dict[str, TranslationSource]] = {
        str(lang): dict(found) for lang, found in (spec.translations or {}).items()
    }
    if spec.translations is None:
        # A bank without the block reads every translation as current: keep it so.
        for entry in text_entries(spec):
            for lang in TARGET_LANGUAGES:
                if (entry.texts.get(lang) or "").strip():
                    stamp = TranslationSource(source_sha256=source_sha256(entry.texts["en"]))
                    sources.setdefault(lang, {})[entry.id] = stamp
    done = Confirmation()
    for orphan_language, text_id in list(orphan_sources(spec)):
        sources.get(orphan_language, {}).pop(text_id, None)
        if orphan_language == language:
            done.dropped.append(text_id)
    for entry in text_entries(spec):
        if not (entry.texts.get(language) or "").strip():
            continue
        if selected is not None and entry.id not in selected and entry.question not in selected:
            continue
        if status_of(spec, entry, language) == "stale":
            done.were_stale.append(entry.id)
        sources.setdefault(language, {})[entry.id] = TranslationSource(
            source_sha256=source_sha256(entry.texts.get("en") or ""), reviewed=reviewed
        )
        done.confirmed.append(entry.id)
    return sources, done


def render_block(spec: BankSpec, sources: Mapping[str, Mapping[str, TranslationSource]]) -> str:
    """The `translations` block as the file holds it: languages in the UN order of this
    application, texts in the order of the bank, one line each."""
    order = {entry.id: index for index, entry in enumerate(text_entries(spec))}
    lines = ["translations:"]
    for language in TARGET_LANGUAGES:
        found = sources.get(language)
        if not found:
            continue
        lines.append(f"  {language}:")
        for text_id in sorted(found, key=lambda key: order.get(key, len(order))):
            source = found[text_id]
            extra = "" if source.reviewed else ", reviewed: false"
            lines.append(f"    {text_id}: {{source_sha256: {source.source_sha256}{extra}}}")
    if len(lines) == 1:
        return "translations: {}\n"  # an empty block still says every text is stamped
    return "\n".join(lines) + "\n"


def with_block(text: str, block: str) -> str:
    """The file's text with its `translations` block replaced by `block` (or added at the end).

    Only the block's own lines change, so the rest of the file (comments, layout) is kept.
    """
    tree = yamlsource.parse(text)
    lines = text.splitlines(keepends=True)
    if isinstance(tree, yamlsource.LineDict) and "translations" in tree:
        start = tree.key_lines["translations"] - 1
        later = [line for line in tree.key_lines.values() if line - 1 > start]
        end = min(later) - 1 if later else len(lines)
        # Keep blank lines and comments that introduce the next field.
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        return "".join([*lines[:start], block, *lines[end:]])
    body = "".join(lines)
    if body and not body.endswith("\n"):
        body += "\n"
    return f"{body}\n{block}"


class ConfirmError(ValueError):
    """The file cannot be re-stamped; the message says why."""


def confirm_file(
    path: Path, language: str, selected: set[str] | None, *, reviewed: bool = True
) -> Confirmation:
    """Re-stamp the `language` texts of a bank file (see `confirm`) and write it back; only
    the `translations` block changes."""
    text = path.read_text(encoding="utf-8")
    try:
        spec = BankSpec.model_validate(yamlsource.parse(text))
    except (yamlsource.YamlSyntaxError, ValidationError) as exc:
        raise ConfirmError(
            f"{path}: not a valid bank file; `questionnaire banks validate {path}` says why"
        ) from exc
    if selected is not None:
        ids = {entry.id for entry in text_entries(spec)}
        keys = {entry.question for entry in text_entries(spec)}
        unknown = sorted(selected - ids - keys)
        if unknown:
            raise ConfirmError(f"{path}: no text or question {', '.join(unknown)} in this bank")
    sources, done = confirm(spec, language, selected, reviewed=reviewed)
    path.write_text(with_block(text, render_block(spec, sources)), encoding="utf-8")
    return done
