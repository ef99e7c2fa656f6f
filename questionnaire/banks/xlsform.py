"""Question banks to and from XLSForm, the spreadsheet form format of ODK and KoboToolbox.

The conventions (reading and writing follow the same ones):

* survey sheet, `type`: `select_one LIST` is a `single_choice` question, or `yes_no_partial`
  when the choices of LIST are exactly yes, partial and no; `select_multiple LIST` a
  `multiple_choice`; `text` a `text` question (`links` when the `bank_type` column says so);
  `begin_group`/`end_group` a section. A `note` before the first group is the bank's guidance
  and a note first in a group the section's introduction; a note anywhere else has no place in
  a bank and is refused (hints go in the `hint` column and become the question's help).
  Metadata rows (`start`, `end`, `deviceid`...) are skipped and reported.
* `name` is the question key, prefixed with the instrument when it does not start with it
  (`_` and `.` become `-`); a group's `name` is the section key (`art_5` becomes `art-5`) and
  gives the article when it reads like `art_5` (an `article` column takes precedence). An
  article's group labelled with the article's heading ("Article 5. Criminalization") gets no
  title of its own, as in the bank files.
* `label::English (en)`, `label::French (fr)`, `hint::...`: texts per language, English and
  French required. `required`: yes or no. `relevant`: `${KEY} = 'opt'` or
  `selected(${KEY}, 'opt')`, several joined with `or`, all on one earlier choice question:
  a `show_if`, or the `when` of a follow-up when the `follow_up` column says yes.
* Columns that ODK ignores carry what XLSForm has no place for: `provision`, `replaces` (keys
  separated by spaces), `follow_up`, `bank_type` (`links`; or `single_choice`, which keeps a
  yes/partial/no list from becoming `yes_no_partial`), `role` (`technical_assistance`) and
  `article`.
* settings sheet: `form_title` is the title in the default language (`default_language`,
  English when absent); the titles in other languages come from `form_title::French (fr)`
  columns (or `bank_title::French (fr)`, which the export writes), or from the command's
  `--title fr=TEXT`, which takes precedence. The import says where each one came from.
  `partial::English (en)`, `partial::French (fr)`: why a partial bank leaves articles out.

Whatever the bank format cannot express is an error naming the sheet, the row and the column,
and nothing is produced. The bank file produced is then checked by the bank validator, as
`questionnaire banks validate` would, beside the earlier versions of its bank.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click
import yaml
from pydantic import ValidationError

from questionnaire import yamldata
from questionnaire.banks.schema import Bank, BankSpec
from questionnaire.banks.services import discover_bank_files
from questionnaire.banks.translations import TARGET_LANGUAGES, confirm, render_block, with_block
from questionnaire.banks.validation import Problem, ValidatedBank, validate_file
from questionnaire.banks.xlsform_format import (
    LANGUAGE_NAMES,
    FormProblem,
    language_code,
    read_sheets,
)
from questionnaire.banks.xlsform_reader import FormContent, FormReader
from questionnaire.banks.xlsform_writer import xlsform_workbook
from questionnaire.banks.xlsx import WorkbookError
from questionnaire.reference.instruments import InstrumentData, load_instrument_data

#: The survey column that holds what a field of the bank file says.
_FIELD_COLUMNS = {
    "key": "name",
    "text": "label",
    "title": "label",
    "intro": "label",
    "help": "hint",
    "options": "type",
    "type": "type",
    "show_if": "relevant",
    "when": "relevant",
    "provision": "provision",
    "replaces": "replaces",
    "article": "article",
    "required": "required",
    "role": "role",
}


class _BankDumper(yaml.SafeDumper):
    """Lays bank files out as people write them: nested lists indented, lists of keys inline."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    inline = all(isinstance(item, str | int) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


_BankDumper.add_representer(list, _represent_list)


@dataclass
class XlsFormImport:
    """An XLSForm read into a bank file: its text and bank when valid, else the problems."""

    yaml_text: str = ""
    bank: Bank | None = None
    problems: list[FormProblem] = field(default_factory=list)
    #: rows left out on purpose (metadata), to tell the user
    skipped: list[str] = field(default_factory=list)
    #: where the titles in other languages were taken from, to tell the user
    notes: list[str] = field(default_factory=list)


def import_xlsform(
    source: Path | IO[bytes],
    *,
    instrument: str,
    cluster: str,
    version: int,
    status: str = "draft",
    banks_dir: Path | None = None,
    data: InstrumentData | None = None,
    titles: dict[str, str] | None = None,
) -> XlsFormImport:
    """Read an XLSForm into the text of a bank file; `banks_dir` holds the earlier versions
    that `replaces` may refer to, `titles` the bank's title per language where the form's
    settings do not give it (or to override them)."""
    data = data or load_instrument_data()
    try:
        sheets = read_sheets(source)
    except WorkbookError as exc:
        sheet = exc.place.removesuffix(" sheet")
        return XlsFormImport(problems=[FormProblem(sheet, 0, "", exc.message)])
    target: dict[str, Any] = {
        "instrument": instrument,
        "cluster": cluster,
        "version": version,
        "status": status,
    }
    content = FormReader(sheets, target, data, titles).read()
    result = XlsFormImport(problems=content.problems, skipped=content.skipped, notes=content.notes)
    if content.spec is None:
        return result
    name = source.name if isinstance(source, Path) else "an XLSForm"
    text = stamped(bank_yaml(content.spec, source_name=name), content.unreviewed)
    validated = _validate(text, target, banks_dir, data)
    result.problems = [_form_problem(problem, content) for problem in validated.problems]
    if validated.is_valid:
        result.yaml_text, result.bank = text, validated.bank
    return result


def parse_titles(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`("fr=Traite", ...)` -> `{"fr": "Traite"}`; raises click's BadParameter on a bad one."""
    titles = {}
    for option in options:
        language, separator, text = option.partition("=")
        language = language_code(language)
        if not separator or not text.strip() or language not in LANGUAGE_NAMES:
            message = f"{option!r}: write LANG=TEXT with LANG one of {', '.join(LANGUAGE_NAMES)}"
            raise click.BadParameter(message, param_hint="--title")
        titles[language] = text.strip()
    return titles


def export_xlsform(
    bank: Bank, destination: Path | IO[bytes], data: InstrumentData | None = None
) -> None:
    """Write the bank as an XLSForm workbook (see the conventions above)."""
    xlsform_workbook(bank, data or load_instrument_data()).save(destination)


def bank_yaml(spec: dict[str, Any], *, source_name: str) -> str:
    """The text of a bank file with `spec` as its content."""
    header = (
        f"# Converted from {source_name} by `questionnaire banks import-xlsform`.\n"
        "# Format: docs/bank-format.md. A published bank is immutable: change it through a new "
        "version.\n\n"
    )
    body = yaml.dump(
        spec,
        Dumper=_BankDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return header + body


def stamped(text: str, unreviewed: list[str]) -> str:
    """The bank file with its translations recorded as made from the English of the form
    (checked by a translator, but for the languages the form says are not)."""
    try:
        spec = BankSpec.model_validate(yamldata.load(text)).model_copy(update={"translations": {}})
    except (yaml.YAMLError, ValidationError):
        return text  # the validator names what is wrong
    sources: dict[str, Any] = {}
    for language in TARGET_LANGUAGES:
        current = spec.model_copy(update={"translations": sources})
        sources, _ = confirm(current, language, None, reviewed=language not in unreviewed)
    return with_block(text, render_block(spec, sources))


def _validate(
    text: str, target: dict[str, Any], banks_dir: Path | None, data: InstrumentData
) -> ValidatedBank:
    """Validate the text as the file it would be, beside copies of the other versions (the
    earlier ones for `replaces`, the later ones to tell whether it is the current version)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / target["instrument"] / target["cluster"]
        folder.mkdir(parents=True)
        if banks_dir is not None and (banks_dir / target["instrument"]).is_dir():
            for earlier in discover_bank_files(banks_dir):
                same_bank = earlier.parent == banks_dir / target["instrument"] / target["cluster"]
                if same_bank and int(earlier.stem[1:]) != target["version"]:
                    shutil.copy(earlier, folder / earlier.name)
        path = folder / f"v{target['version']}.yaml"
        path.write_text(text, encoding="utf-8")
        return validate_file(path, data)


def _form_problem(problem: Problem, content: FormContent) -> FormProblem:
    """A problem of the bank file, placed on the row and column of the form it came from."""
    labels = re.findall(r"\[([^\]]+)\]", problem.field)
    row = next((content.rows[label] for label in reversed(labels) if label in content.rows), 0)
    names = [re.sub(r"\[.*$", "", part) for part in problem.field.split(".")]
    column = next((_FIELD_COLUMNS[name] for name in reversed(names) if name in _FIELD_COLUMNS), "")
    sheet = "survey" if row or "sections" in names else "settings"
    return FormProblem(sheet, row, column, problem.message)
