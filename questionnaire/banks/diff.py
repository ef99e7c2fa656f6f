"""What changed between two versions of a bank."""

from __future__ import annotations

from dataclasses import dataclass, field

from questionnaire.banks.schema import Bank


@dataclass
class OptionChange:
    """Options added, removed or relabelled on one question."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)


@dataclass
class BankDiff:
    """The differences between an old and a new bank version, by question key."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reworded: dict[str, list[str]] = field(default_factory=dict)
    retyped: dict[str, tuple[str, str]] = field(default_factory=dict)
    reoptioned: dict[str, OptionChange] = field(default_factory=dict)
    replaces: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.added, self.removed, self.reworded, self.retyped, self.reoptioned, self.replaces)
        )

    def lines(self) -> list[str]:
        """A plain-text report, one change per line."""
        out = [f"added: {key}" for key in self.added]
        replaced_by: dict[str, list[str]] = {}
        for new, olds in self.replaces.items():
            for old in olds:
                replaced_by.setdefault(old, []).append(new)
        for key in self.removed:
            note = f" (replaced by {', '.join(replaced_by[key])})" if key in replaced_by else ""
            out.append(f"removed: {key}{note}")
        out += [f"reworded: {key} [{', '.join(langs)}]" for key, langs in self.reworded.items()]
        out += [f"retyped: {key} {old} -> {new}" for key, (old, new) in self.retyped.items()]
        for key, change in self.reoptioned.items():
            parts = [f"+{k}" for k in change.added] + [f"-{k}" for k in change.removed]
            parts += [f"~{k}" for k in change.relabelled]
            out.append(f"re-optioned: {key} {' '.join(parts)}")
        out += [f"replaces: {new} <- {', '.join(olds)}" for new, olds in self.replaces.items()]
        return out


def diff_banks(old: Bank, new: Bank) -> BankDiff:
    """Compare two bank versions question by question (questions keep their key)."""
    result = BankDiff()
    old_questions, new_questions = old.questions_by_key, new.questions_by_key
    result.added = [key for key in new_questions if key not in old_questions]
    result.removed = [key for key in old_questions if key not in new_questions]
    for key, question in new_questions.items():
        continued = [old_key for old_key in question.replaces if old_key in old_questions]
        if continued:
            result.replaces[key] = continued
        before = old_questions.get(key)
        if before is None:
            continue
        languages: list[str] = sorted(
            set(before.text) | set(question.text),
            key=lambda lang: (lang not in ("en", "fr"), lang),
        )
        # A stale translation is left out of the run-time bank: it is reported as stale, not
        # as reworded.
        changed = [
            lang
            for lang in languages
            if before.text.get(lang) != question.text.get(lang)  # type: ignore[call-overload]
            and lang not in question.stale_languages
        ]
        if changed:
            result.reworded[key] = changed
        if before.type != question.type:
            result.retyped[key] = (before.type, question.type)
        options = _option_change(before.options, question.options)
        if options is not None and before.type == question.type:
            result.reoptioned[key] = options
    return result


def _option_change(before, after) -> OptionChange | None:  # type: ignore[no-untyped-def]
    old = {option.key: option.label for option in before}
    new = {option.key: option.label for option in after}
    change = OptionChange(
        added=[key for key in new if key not in old],
        removed=[key for key in old if key not in new],
        relabelled=[key for key in new if key in old and new[key] != old[key]],
    )
    return change if (change.added or change.removed or change.relabelled) else None
