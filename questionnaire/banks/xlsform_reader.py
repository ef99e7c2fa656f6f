"""The rows of an XLSForm read into the content of a bank file (conventions: `xlsform`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from questionnaire.banks.xlsform_format import (
    ARTICLE_NAME,
    CHOICE_TYPES,
    FALSE_VALUES,
    KEY_PATTERN,
    LANGUAGE_NAMES,
    METADATA_TYPES,
    OPTION_KEY_PATTERN,
    PROVISION_PATTERN,
    SECTION_KEY_PATTERN,
    UNSUPPORTED_COLUMNS,
    UNSUPPORTED_TYPES,
    YES_NO_PARTIAL,
    FormProblem,
    Row,
    default_heading,
    language_code,
    parse_relevant,
    parse_type,
)
from questionnaire.banks.xlsform_format import language_column as column_of
from questionnaire.banks.xlsform_rows import QuestionRow, RowReader
from questionnaire.banks.xlsform_settings import read_settings


@dataclass
class FormContent:
    """What the reader found: the content of a bank file, or the problems."""

    spec: dict[str, Any] | None
    problems: list[FormProblem]
    #: metadata rows left out (they describe the collection of data, not the questionnaire)
    skipped: list[str] = field(default_factory=list)
    #: question and section keys -> their survey row, to place later problems
    rows: dict[str, int] = field(default_factory=dict)
    #: where texts that standard XLSForm has no fixed place for were taken from (titles)
    notes: list[str] = field(default_factory=list)
    #: languages whose texts no translator has checked yet (settings, `unreviewed`)
    unreviewed: list[str] = field(default_factory=list)


class FormReader(RowReader):
    """Walks the rows of an XLSForm in order, building the content of a bank file."""

    # -- the whole form --------------------------------------------------------------------

    def read(self) -> FormContent:
        if "survey" not in self.sheets:
            self.problems.append(FormProblem("survey", 0, "", "the workbook has no survey sheet"))
            return FormContent(None, self.problems)
        self._read_languages()
        self._read_choices()
        for row in self.sheets["survey"].rows:
            self._read_row(row)
        if self.section is not None:
            self.problem(self.group_row, "type", "this group has no end_group")
        if not self.sections and not self.problems:
            self.problem(None, "type", "the form has no group: each section is a begin_group")
        settings = read_settings(self.sheets, self.default_language, self.titles)
        self.notes.extend(settings.notes)
        for column, message in settings.missing:
            self.problem(settings.row, column, message, "settings")
        if self.problems:
            return FormContent(None, self.problems, self.skipped, self.rows, self.notes)
        # Other languages are optional texts unless the form declares them (`languages`).
        declared = settings.languages or [lang for lang in ("en", "fr") if lang in self.languages]
        spec: dict[str, Any] = {"schema_version": 1, **self.target, "languages": declared}
        spec["title"] = settings.title
        if settings.partial:
            spec["partial"] = settings.partial
        if self.guidance:
            spec["guidance"] = self.guidance
        spec["sections"] = self.sections
        content = FormContent(spec, self.problems, self.skipped, self.rows, self.notes)
        content.unreviewed = settings.unreviewed
        return content

    def _read_languages(self) -> None:
        survey = self.sheets["survey"]
        settings = self.sheets.get("settings")
        if settings and settings.rows and (default := settings.rows[0].get("default_language")):
            self.default_language = language_code(default)
        if "label" in survey.index:
            self.languages.append(self.default_language)
        for base in ("label", "hint"):
            for language, header in survey.translations.get(base, {}).items():
                if language not in LANGUAGE_NAMES:
                    message = "not a language of question banks: use ar, en, es, fr, ru or zh"
                    self.problem(None, header, message)
                elif language not in self.languages:
                    self.languages.append(language)
        for language in ("en", "fr"):
            if language not in self.languages:
                message = "the column is missing: English and French labels are required"
                self.problem(None, column_of("label", language), message)

    def _read_choices(self) -> None:
        sheet = self.sheets.get("choices")
        for row in sheet.rows if sheet else []:
            list_name, key = row.get("list_name"), row.get("name")
            if not list_name:
                self.problem(row, "list_name", "the choice is in no list", "choices")
                continue
            options = self.lists.setdefault(list_name, [])
            if not OPTION_KEY_PATTERN.match(key):
                message = f"{key!r} cannot be an option key: write lower-case letters, digits, _"
                self.problem(row, "name", message, "choices")
            elif any(option["key"] == key for option in options):
                self.problem(row, "name", f"{key!r} is twice in the list {list_name}", "choices")
            options.append({"key": key, "label": self.texts(row, "label", required=True)})

    def _read_row(self, row: Row) -> None:
        kind, args = parse_type(row.get("type"))
        if kind in METADATA_TYPES:
            self.skipped.append(f"survey sheet, row {row.number}: {kind} (metadata)")
            return
        handlers = {
            "begin_group": self._begin_group,
            "end_group": self._end_group,
            "note": self._note,
            "select_one": self._question,
            "select_multiple": self._question,
            "text": self._question,
        }
        if kind not in handlers:
            message = UNSUPPORTED_TYPES.get(kind) or (
                f"the type {kind!r} cannot be expressed: use select_one, select_multiple, text, "
                "note, begin_group and end_group"
                if kind
                else "the row has no type"
            )
            self.problem(row, "type", message)
            return
        for column in UNSUPPORTED_COLUMNS:
            if row.get(column):
                self.problem(row, column, f"a question bank cannot express {column}")
        if row.get("read_only").lower() not in FALSE_VALUES:
            self.problem(row, "read_only", "a question bank cannot express read_only")
        handlers[kind](row, kind, args)

    # -- sections --------------------------------------------------------------------------

    def _begin_group(self, row: Row, kind: str, args: list[str]) -> None:
        if self.section is not None:
            message = "a group inside a group cannot be expressed: a bank has one level of sections"
            self.problem(row, "type", message)
            return
        name = row.get("name")
        key = name.lower().replace("_", "-")
        if not SECTION_KEY_PATTERN.match(key):
            self.problem(row, "name", f"{name!r} cannot be a section key")
        elif key in self.rows:
            self.problem(row, "name", f"there are two sections {key}")
        self.rows[key] = row.number
        self.chain = []
        self.group_row = row
        self.section = {"key": key}
        article = self._article(row)
        if article is not None:
            self.section["article"] = article
        title = self.texts(row, "label", required=article is None)
        if title and (article is None or title != self._default(article, title)):
            self.section["title"] = title
        self.section["questions"] = []

    def _default(self, article: int, title: dict[str, str]) -> dict[str, str]:
        heading = default_heading(self.data, self.instrument, article)
        return {language: heading[language] for language in title if language in heading}

    def _article(self, row: Row) -> int | None:
        text = row.get("article")
        match = ARTICLE_NAME.match(row.get("name"))
        if not text and not match:
            return None
        column = "article" if text else "name"
        if text and not text.isdigit():
            self.problem(row, "article", f"{text!r} is not an article number")
            return None
        article = int(text or (match[1] if match else 0))
        instrument = self.data.instruments.get(self.instrument)
        cluster = self.data.clusters.get(self.target["cluster"])
        if instrument is None or article not in instrument.articles:
            self.problem(row, column, f"{self.instrument} has no article {article}")
        elif cluster and article not in cluster.articles.get(self.instrument, ()):
            message = f"article {article} of {self.instrument} is not in cluster {cluster.id}"
            self.problem(row, column, message)
        return article

    def _end_group(self, row: Row, kind: str, args: list[str]) -> None:
        if self.section is None:
            self.problem(row, "type", "end_group without a begin_group")
            return
        if not self.section["questions"]:
            self.problem(self.group_row, "type", "the group has no question")
        self.sections.append(self.section)
        self.section = None

    def _note(self, row: Row, kind: str, args: list[str]) -> None:
        text = self.texts(row, "label", required=True)
        if self.section is None and not self.sections and self.guidance is None:
            self.guidance = text
        elif self.section is not None and not self.section["questions"]:
            if "intro" in self.section:
                self.problem(row, "type", "the group already has an introduction (a note)")
            self.section["intro"] = text
        else:
            message = (
                "a note here has no place in a bank: a note before the first group is the "
                "guidance and a note first in a group the section's introduction; put hints "
                "in the hint column"
            )
            self.problem(row, "type", message)

    # -- questions -------------------------------------------------------------------------

    def _question(self, row: Row, kind: str, args: list[str]) -> None:
        key = self._key(row)
        kind_name, options = self._kind(row, kind, args)
        condition = self._condition(row)
        is_follow_up = self.flag(row, "follow_up")
        spec: dict[str, Any] = {"key": key}
        if role := row.get("role"):
            spec["role"] = role
        if is_follow_up and condition:
            spec["when"] = condition[1]
        if provision := row.get("provision"):
            self._check_provision(row, provision)
            spec["provision"] = provision
        spec["type"] = kind_name
        if self.flag(row, "required"):
            spec["required"] = True
        spec["text"] = self.texts(row, "label", required=True)
        if help_text := self.texts(row, "hint", required=False):
            spec["help"] = help_text
        if kind_name in ("single_choice", "multiple_choice"):
            spec["options"] = options
        if condition and not is_follow_up:
            spec["show_if"] = {"question": condition[0], "any_of": condition[1]}
        if replaces := row.get("replaces").replace(",", " ").split():
            spec["replaces"] = replaces
        self._place(row, spec, condition if is_follow_up else None, is_follow_up)
        option_keys = tuple(o["key"] for o in options) if kind_name != "yes_no_partial" else ()
        self.questions[key] = QuestionRow(spec, kind_name, option_keys or YES_NO_PARTIAL)
        self.keys[row.get("name")] = key
        self.rows[key] = row.number

    def _key(self, row: Row) -> str:
        name = row.get("name")
        key = re.sub(r"[_.]", "-", name)
        if not key.startswith(f"{self.instrument}-"):
            key = f"{self.instrument}-{key}"
        if not name:
            self.problem(row, "name", "the question has no name")
        elif not KEY_PATTERN.match(key):
            message = f"{name!r} cannot become a question key ({key}): use letters, digits, - or _"
            self.problem(row, "name", message)
        elif key in self.questions:
            message = f"{name!r} gives the key {key}, already used on row {self.rows[key]}"
            self.problem(row, "name", message)
        return key

    def _kind(self, row: Row, kind: str, args: list[str]) -> tuple[str, list[dict[str, Any]]]:
        bank_type = row.get("bank_type").lower()
        if kind == "text":
            if bank_type not in ("", "text", "links"):
                self.problem(row, "bank_type", f"a text question cannot be {bank_type!r}")
            return ("links" if bank_type == "links" else "text"), []
        if len(args) != 1:
            message = f"write {kind} and the name of one choice list (or_other is not kept)"
            self.problem(row, "type", message)
            return "single_choice", []
        if args[0] not in self.lists:
            self.problem(row, "type", f"the choices sheet has no list {args[0]!r}")
            return "single_choice", []
        options = self.lists[args[0]]
        if len(options) < 2:
            self.problem(row, "type", f"the list {args[0]} needs at least two choices")
        if kind == "select_multiple":
            return "multiple_choice", options
        keys = {option["key"] for option in options}
        if keys == set(YES_NO_PARTIAL) and bank_type != "single_choice":
            return "yes_no_partial", []
        return "single_choice", options

    def _check_provision(self, row: Row, provision: str) -> None:
        article = self.section.get("article") if self.section else None
        if not PROVISION_PATTERN.match(provision):
            self.problem(row, "provision", f"{provision!r} is not a provision such as 5(1)(a)")
        elif article is None or not re.match(rf"^{article}(\(|$)", provision):
            self.problem(row, "provision", f"{provision!r} is not in the group's article")

    def _place(
        self,
        row: Row,
        spec: dict[str, Any],
        condition: tuple[str, list[str]] | None,
        is_follow_up: bool,
    ) -> None:
        """Add the question to its section, or under the question it follows up."""
        if self.section is None:
            self.problem(row, "type", "the question is in no group: every section is a group")
            return
        if not is_follow_up:
            self.section["questions"].append(spec)
            self.chain = [spec["key"]]
            return
        if condition is None:
            if row.get("relevant") == "":
                self.problem(row, "relevant", "a follow-up needs the condition that reveals it")
            return
        parent = condition[0]
        if parent not in self.chain:
            message = f"a follow-up must come right after {parent} and its other follow-ups"
            self.problem(row, "follow_up", message)
            return
        del self.chain[self.chain.index(parent) + 1 :]
        self.questions[parent].spec.setdefault("follow_ups", []).append(spec)
        self.chain.append(spec["key"])

    def _condition(self, row: Row) -> tuple[str, list[str]] | None:
        expression = row.get("relevant")
        if not expression:
            return None
        parsed = parse_relevant(expression)
        if parsed is None:
            message = (
                "only conditions like ${q} = 'yes' or selected(${q}, 'partial'), joined by or "
                "and all on one question, can be expressed"
            )
            self.problem(row, "relevant", message)
            return None
        name, options = parsed
        key = self.keys.get(name)
        target = self.questions.get(key or "")
        if target is None:
            self.problem(row, "relevant", f"${{{name}}} is not a question earlier in the form")
            return None
        if target.type not in CHOICE_TYPES:
            self.problem(row, "relevant", f"${{{name}}} is a {target.type} question, not a choice")
            return None
        for option in options:
            if option not in target.options:
                self.problem(row, "relevant", f"${{{name}}} has no choice {option!r}")
        return key, options  # type: ignore[return-value]
