"""Question banks to and from XLSForm: every shipped bank survives the round trip, pyxform (the
converter of ODK) accepts what is exported, and what the bank format cannot express is refused
with the sheet, row and column of the problem, writing nothing."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from questionnaire.banks.schema import Bank
from questionnaire.banks.services import discover_bank_files
from questionnaire.banks.validation import ValidatedBank, validate_file
from questionnaire.banks.xlsform import XlsFormImport, export_xlsform, import_xlsform
from questionnaire.banks.xlsform_format import FormProblem
from questionnaire.cli import cli
from tests.conftest import BANKS_DIR

SHIPPED = discover_bank_files(BANKS_DIR)
SURVEY_HEADER = [
    "type",
    "name",
    "label::English (en)",
    "label::French (fr)",
    "hint::English (en)",
    "hint::French (fr)",
    "required",
    "relevant",
    "follow_up",
]
#: A small valid form: rows 2 to 11 of the survey sheet.
SURVEY = [
    ["start", "start"],
    ["note", "guidance", "How your answers are used", "Utilisation de vos réponses"],
    ["begin_group", "art_5", "Criminalization", "Incrimination"],
    ["note", "art5_intro", "About article 5", "À propos de l'article 5"],
    ["select_one ynp", "q5_1", "Is it an offence?", "Est-ce une infraction ?", "Cite the law",
     "Citez la loi", "yes"],
    ["text", "q5_1_cite", "Cite it", "Citez-la", "", "", "yes",
     "${q5_1} = 'yes' or ${q5_1} = 'partial'", "yes"],
    ["select_multiple forms", "q5_2", "Which forms?", "Quelles formes ?"],
    ["text", "q5_2_other", "Which other?", "Quelles autres ?", "", "", "",
     "selected(${q5_2}, 'other')"],
    ["end_group"],
    ["end", "end"],
]  # fmt: skip
CHOICES = [
    ["ynp", "yes", "Yes", "Oui"],
    ["ynp", "partial", "Partly", "En partie"],
    ["ynp", "no", "No", "Non"],
    ["forms", "sexual", "Sexual exploitation", "Exploitation sexuelle"],
    ["forms", "labour", "Forced labour", "Travail forcé"],
    ["forms", "other", "Other", "Autre"],
]
CHOICES_HEADER = ["list_name", "name", "label::English (en)", "label::French (fr)"]
SETTINGS = [
    ["form_title", "form_id", "bank_title::French (fr)"],
    ["Trafficking: criminalization", "tip_crim", "Traite : incrimination"],
]


def workbook(
    survey: list[list[Any]] | None = None,
    survey_header: list[str] | None = None,
    *,
    choices: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in [survey_header or SURVEY_HEADER, *(SURVEY if survey is None else survey)]:
        sheet.append(row)
    sheet = book.create_sheet("choices")
    for row in [CHOICES_HEADER, *(CHOICES if choices is None else choices)]:
        sheet.append(row)
    sheet = book.create_sheet("settings")
    for row in SETTINGS if settings is None else settings:
        sheet.append(row)
    for cell in (cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # "=1+1" is a label, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read(source: io.BytesIO | Path, **target: Any) -> XlsFormImport:
    where = {"instrument": "TIP", "cluster": "I", "version": 3, "banks_dir": BANKS_DIR}
    return import_xlsform(source, **{**where, **target})


def changed(index: int, row: list[Any]) -> list[list[Any]]:
    """The survey with row `index` (0 = spreadsheet row 2) replaced."""
    return [row if i == index else r for i, r in enumerate(SURVEY)]


def with_columns(index: int, **values: str) -> tuple[list[list[Any]], list[str]]:
    """The survey with more columns, filled in on row `index` (0 = spreadsheet row 2)."""
    header = [*SURVEY_HEADER, *values]
    row = SURVEY[index] + [""] * (len(SURVEY_HEADER) - len(SURVEY[index]))
    return changed(index, [*row, *values.values()]), header


def exported(bank: Bank) -> io.BytesIO:
    buffer = io.BytesIO()
    export_xlsform(bank, buffer)
    buffer.seek(0)
    return buffer


# --- a form read into a bank -----------------------------------------------------------------


def test_a_form_becomes_a_valid_bank_with_keys_sections_conditions_and_follow_ups() -> None:
    result = read(workbook())

    assert result.problems == []
    bank = result.bank
    assert bank is not None
    assert result.skipped == [
        "survey sheet, row 2: start (metadata)",
        "survey sheet, row 11: end (metadata)",
    ]
    assert (bank.instrument, bank.cluster, bank.version, bank.status) == ("TIP", "I", 3, "draft")
    assert bank.title == {"en": "Trafficking: criminalization", "fr": "Traite : incrimination"}
    assert bank.guidance == {"en": "How your answers are used", "fr": "Utilisation de vos réponses"}
    [section] = bank.sections
    assert (section.key, section.article) == ("art-5", 5)
    assert section.title == {"en": "Criminalization", "fr": "Incrimination"}
    assert section.intro == {"en": "About article 5", "fr": "À propos de l'article 5"}
    assert [q.key for q in bank.questions] == [
        "TIP-q5-1",
        "TIP-q5-1-cite",
        "TIP-q5-2",
        "TIP-q5-2-other",
    ]
    first, cite, forms, other = bank.questions
    assert (first.type, first.required, first.help) == (
        "yes_no_partial",
        True,
        {"en": "Cite the law", "fr": "Citez la loi"},
    )
    assert first.option_keys() == ("yes", "partial", "no")
    assert cite.parent == "TIP-q5-1"
    assert cite.show_if is not None and cite.show_if.any_of == ["yes", "partial"]
    assert forms.type == "multiple_choice"
    assert [(o.key, o.label["fr"]) for o in forms.options][1] == ("labour", "Travail forcé")
    assert other.parent is None
    assert other.show_if is not None
    assert (other.show_if.question, other.show_if.any_of) == ("TIP-q5-2", ["other"])
    assert "key: TIP-q5-1-cite\n" in result.yaml_text
    assert "when: ['yes', partial]" in result.yaml_text


def test_names_already_keys_headers_without_codes_and_an_article_column_are_understood() -> None:
    header = ["TYPE", "Name", "label::English", "label::Français", "required", "article"]
    survey = [
        ["begin group", "crim", "Article 5. Criminalization", "Article 5. Incrimination", "", "5"],
        ["select one ynp", "TIP-5-1", "Is it?", "L'est-il ?", "TRUE"],
        ["end group"],
    ]
    result = read(workbook(survey, survey_header=header))

    assert result.problems == []
    assert result.bank is not None
    [section] = result.bank.sections
    # The article's own heading is no title: the application shows it anyway.
    assert (section.key, section.article, section.title) == ("crim", 5, None)
    assert [(q.key, q.required) for q in result.bank.questions] == [("TIP-5-1", True)]


def test_a_yes_partial_no_list_stays_a_single_choice_when_bank_type_says_so() -> None:
    survey, header = with_columns(4, bank_type="single_choice")
    result = read(workbook(survey, survey_header=header))

    assert result.bank is not None
    first = result.bank.questions_by_key["TIP-q5-1"]
    assert first.type == "single_choice"
    assert first.options[1].label == {"en": "Partly", "fr": "En partie"}


# --- what cannot be expressed ----------------------------------------------------------------

MALFORMED: list[tuple[str, Callable[[], io.BytesIO], FormProblem]] = [
    (
        "repeat group",
        lambda: workbook(changed(2, ["begin_repeat", "art_5", "Art. 5", "Art. 5"])),
        FormProblem("survey", 4, "A (type)", "repeat groups cannot be expressed: "
                    "a bank question is answered once"),
    ),
    (
        "calculation",
        lambda: workbook(changed(7, ["calculate", "total", "", "", "", "", "", ""])),
        FormProblem("survey", 9, "A (type)", "calculations cannot be expressed in a question bank"),
    ),
    (
        "unknown type",
        lambda: workbook(changed(6, ["integer", "q5_2", "How many?", "Combien ?"])),
        FormProblem("survey", 8, "A (type)", "the type 'integer' cannot be expressed: use "
                    "select_one, select_multiple, text, note, begin_group and end_group"),
    ),
    (
        "complex relevant",
        lambda: workbook(changed(7, [*SURVEY[7][:7], "${q5_2} != '' and ${q5_1} = 'yes'"])),
        FormProblem("survey", 9, "H (relevant)", "only conditions like ${q} = 'yes' or "
                    "selected(${q}, 'partial'), joined by or and all on one question, can be "
                    "expressed"),
    ),
    (
        "missing French label",
        lambda: workbook(changed(6, ["select_multiple forms", "q5_2", "Which forms?", ""])),
        FormProblem("survey", 8, "D (label::French (fr))", "the French text is missing"),
    ),
    (
        "missing French column",
        lambda: workbook(
            [row[:3] for row in SURVEY[2:3] + SURVEY[6:9]],
            survey_header=["type", "name", "label::English (en)"],
        ),
        FormProblem("survey", 1, "label::French (fr)",
                    "the column is missing: English and French labels are required"),
    ),
    (
        "hint without French",
        lambda: workbook(
            [row[:5] + row[6:] for row in SURVEY],
            [h for h in SURVEY_HEADER if h != "hint::French (fr)"],
        ),
        FormProblem("survey", 6, "hint", "the 'fr' text is missing"),
    ),
    (
        "option key",
        lambda: workbook(choices=[*CHOICES[:4], ["forms", "Forced Labour", "Forced", "Forcé"]]),
        FormProblem("choices", 6, "B (name)", "'Forced Labour' cannot be an option key: write "
                    "lower-case letters, digits, _"),
    ),
    (
        "unknown list",
        lambda: workbook(changed(6, ["select_multiple kinds", "q5_2", "Which?", "Lesquelles ?"])),
        FormProblem("survey", 8, "A (type)", "the choices sheet has no list 'kinds'"),
    ),
    (
        "group in a group",
        lambda: workbook(changed(3, ["begin_group", "inner", "Inner", "Intérieur"])),
        FormProblem("survey", 5, "A (type)", "a group inside a group cannot be expressed: a bank "
                    "has one level of sections"),
    ),
    (
        "note between questions",
        lambda: workbook(changed(6, ["note", "aside", "By the way", "Au fait"])),
        FormProblem("survey", 8, "A (type)", "a note here has no place in a bank: a note before "
                    "the first group is the guidance and a note first in a group the section's "
                    "introduction; put hints in the hint column"),
    ),
    (
        "name that cannot be a key",
        lambda: workbook(changed(6, ["select_multiple forms", "q#2", "Which?", "Lesquelles ?"])),
        FormProblem("survey", 8, "B (name)", "'q#2' cannot become a question key (TIP-q#2): use "
                    "letters, digits, - or _"),
    ),
    (
        "two names, one key",
        lambda: workbook(changed(6, ["select_multiple forms", "q5-1", "Which?", "Lesquelles ?"])),
        FormProblem("survey", 8, "B (name)", "'q5-1' gives the key TIP-q5-1, already used on "
                    "row 6"),
    ),
    (
        "condition on a later question",
        lambda: workbook(changed(5, [*SURVEY[5][:7], "${q5_2} = 'other'"])),
        FormProblem("survey", 7, "H (relevant)", "${q5_2} is not a question earlier in the form"),
    ),
    (
        "constraint",
        lambda: workbook(*with_columns(4, constraint=". != 'no'")),
        FormProblem("survey", 6, "J (constraint)", "a question bank cannot express constraint"),
    ),
    (
        "article outside the cluster",
        lambda: workbook(changed(2, ["begin_group", "art_9", "Art. 9", "Art. 9"])),
        FormProblem("survey", 4, "B (name)", "article 9 of TIP is not in cluster I"),
    ),
    (
        "French title",
        lambda: workbook(settings=[["form_title"], ["Trafficking"]]),
        FormProblem(
            "settings", 2, "form_title::French (fr)",
            "the French title is missing: write it in a form_title::French (fr) column or give "
            "--title fr=TEXT",
        ),
    ),
    (
        "a provision outside the article",
        lambda: workbook(*with_columns(4, provision="6(1)")),
        FormProblem("survey", 6, "J (provision)", "'6(1)' is not in the group's article"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("form", "problem"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_what_a_bank_cannot_express_is_refused_with_sheet_row_and_column(
    form: Callable[[], io.BytesIO], problem: FormProblem
) -> None:
    result = read(form())

    assert problem in result.problems, [str(p) for p in result.problems]
    assert result.bank is None
    assert result.yaml_text == ""


def test_a_replaced_key_missing_from_the_previous_version_is_placed_on_its_row() -> None:
    survey, header = with_columns(4, replaces="TIP-5-1 TIP-9-9")
    result = read(workbook(survey, survey_header=header))

    assert result.bank is None
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        ("survey", 6, "replaces", "TIP-9-9 is not a question of version 2")
    ]
    assert str(result.problems[0]).startswith("survey sheet, row 6, column replaces: ")


# --- the round trip and ODK -------------------------------------------------------------------


def shipped_bank(validated: list[ValidatedBank], path: Path) -> Bank:
    """The bank of a shipped file, from the session's validation of the files (a fresh copy:
    the session's is shared)."""
    (bank,) = [found.bank for found in validated if found.path == path]
    assert bank is not None
    return bank.model_copy(deep=True)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: "/".join(p.parts[-3:]))
def test_every_shipped_bank_survives_the_round_trip_through_xlsform(
    path: Path, validated_shipped_banks: list[ValidatedBank]
) -> None:
    bank = shipped_bank(validated_shipped_banks, path)

    result = read(
        exported(bank),
        instrument=bank.instrument,
        cluster=bank.cluster,
        version=bank.version,
        status=bank.status,
    )

    assert result.problems == []
    assert result.bank is not None
    assert result.bank.model_dump() == bank.model_dump()
    assert [q.key for q in result.bank.questions] == [q.key for q in bank.questions]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: "/".join(p.parts[-3:]))
def test_pyxform_converts_every_exported_bank_to_an_odk_xform(
    path: Path, tmp_path: Path, validated_shipped_banks: list[ValidatedBank]
) -> None:
    bank = shipped_bank(validated_shipped_banks, path)
    form = tmp_path / f"{bank.instrument}-{bank.cluster}-v{bank.version}.xlsx"
    export_xlsform(bank, form)

    converted = convert(xlsform=str(form), validate=False)

    assert converted.warnings == []
    xform = ElementTree.fromstring(converted.xform)
    namespace = {"x": "http://www.w3.org/2002/xforms", "h": "http://www.w3.org/1999/xhtml"}
    binds = {
        bind.get("nodeset", "").rsplit("/", 1)[-1]: bind
        for bind in xform.iterfind(".//x:bind", namespace)
    }
    for question in bank.questions:
        bind = binds[question.key]
        assert (bind.get("required") == "true()") == question.required, question.key
        assert (bind.get("relevant") is not None) == (question.show_if is not None), question.key
    titles = [t.text for t in xform.iterfind(".//h:title", namespace)]
    assert titles == [bank.title["en"]]


def test_text_that_looks_like_a_formula_is_exported_as_text_and_read_back() -> None:
    survey = changed(6, ["select_multiple forms", "q5_2", "=SUM(A1:A9)", "=1+1"])
    bank = read(workbook(survey)).bank
    assert bank is not None

    book = load_workbook(exported(bank))
    cells = [row[2] for row in book["survey"].iter_rows() if row[1].value == "TIP-q5-2"]
    again = read(exported(bank)).bank

    assert [(cell.value, cell.data_type) for cell in cells] == [("=SUM(A1:A9)", "s")]
    assert again is not None
    assert again.questions_by_key["TIP-q5-2"].text == {"en": "=SUM(A1:A9)", "fr": "=1+1"}


def test_the_export_has_the_translated_columns_and_every_option_label() -> None:
    bank = validate_file(BANKS_DIR / "TIP" / "I" / "v2.yaml").bank
    assert bank is not None
    book = load_workbook(exported(bank))

    header = [cell.value for cell in book["survey"][1]]
    # English and French first, then the languages the general questions are translated into.
    assert header[:4] == SURVEY_HEADER[:4]
    assert [name for name in header if name.startswith("label::")][2:] == [
        "label::Arabic (ar)",
        "label::Spanish (es)",
        "label::Russian (ru)",
        "label::Chinese (zh)",
    ]
    choices = {(r[0], r[1]): r[3] for r in book["choices"].iter_rows(min_row=2, values_only=True)}
    assert choices[("yes_no_partial", "partial")] == "Oui, en partie"
    assert choices[("TIP-GEN-2", "transit")] == "Pays de transit"
    texts = [cell for row in book["survey"].iter_rows() for cell in row if cell.value]
    assert all(cell.data_type == "s" for cell in texts if isinstance(cell.value, str))


# --- the commands -----------------------------------------------------------------------------


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def test_the_commands_export_a_bank_and_import_it_as_a_new_version_that_validates(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    form = tmp_path / "untoc.xlsx"
    out = tmp_path / "UNTOC" / "I" / "v2.yaml"

    exported_ = runner.invoke(
        cli, ["banks", "export-xlsform", str(BANKS_DIR / "UNTOC/I/v1.yaml"), str(form)]
    )
    imported = runner.invoke(
        cli,
        ["banks", "import-xlsform", str(form), "--instrument", "UNTOC", "--cluster", "I",
         "--version", "2", "--out", str(out)],
    )  # fmt: skip
    validated = runner.invoke(cli, ["banks", "validate", str(out)])

    assert exported_.exit_code == 0, exported_.output
    assert imported.exit_code == 0, imported.output
    assert re.match(rf"wrote {re.escape(str(out))}: \d+ sections, 117 questions", imported.stdout)
    assert validated.exit_code == 0, validated.output
    assert "status: draft\n" in out.read_text(encoding="utf-8")


def test_the_import_command_writes_nothing_when_the_form_has_problems(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    form = tmp_path / "broken.xlsx"
    form.write_bytes(workbook(changed(7, ["calculate", "total"])).getvalue())
    out = tmp_path / "v3.yaml"

    result = runner.invoke(
        cli,
        ["banks", "import-xlsform", str(form), "--instrument", "TIP", "--cluster", "I",
         "--version", "3", "--out", str(out)],
    )  # fmt: skip

    assert result.exit_code == 1
    assert "survey sheet, row 9, column A (type): calculations cannot be expressed" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


def test_the_import_command_refuses_to_overwrite_a_bank_file(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        cli,
        ["banks", "import-xlsform", str(BANKS_DIR / "TIP/I/v2.yaml"), "--instrument", "TIP",
         "--cluster", "I", "--version", "2"],
    )  # fmt: skip

    assert result.exit_code == 1
    assert "exists: choose another --version or --out" in result.stderr


# --- forms as ODK and Kobo users write them ----------------------------------------------------

#: The settings of a standard XLSForm: one form_title, translated in form_title::<Language> (xx).
STANDARD_SETTINGS = [
    ["form_title", "form_title::French (fr)", "form_id", "default_language"],
    ["Trafficking: criminalization", "Traite : incrimination", "tip_crim", "English (en)"],
]


def declared_dimension(form: io.BytesIO, ref: str) -> io.BytesIO:
    """The workbook with every sheet declaring `ref`, as LibreOffice writes `A1:AMJ1048576`."""
    out = io.BytesIO()
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as to:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            to.writestr(info.filename, content)
    out.seek(0)
    return out


def test_a_standard_form_takes_the_french_title_from_form_title_french() -> None:
    result = read(workbook(settings=STANDARD_SETTINGS))

    assert [str(p) for p in result.problems] == []
    assert result.bank is not None
    assert result.bank.title == {
        "en": "Trafficking: criminalization",
        "fr": "Traite : incrimination",
    }
    assert result.notes == [
        "the French title comes from the settings sheet, column form_title::French (fr)"
    ]


def test_the_default_language_title_is_form_title_and_the_option_gives_the_others() -> None:
    settings = [["form_title", "default_language"], ["Traite : incrimination", "French (fr)"]]
    survey_header = ["label" if h == "label::French (fr)" else h for h in SURVEY_HEADER]

    result = read(
        workbook(survey_header=survey_header, settings=settings),
        titles={"en": "Trafficking: criminalization"},
    )

    assert [str(p) for p in result.problems] == []
    assert result.bank is not None
    assert result.bank.title == {
        "en": "Trafficking: criminalization",
        "fr": "Traite : incrimination",
    }
    assert result.notes == ["the English title comes from --title"]


def test_a_form_saved_by_libreoffice_is_read_whatever_its_declared_dimension() -> None:
    """LibreOffice declares A1:AMJ1048576 on each sheet; a 16 KB form of that kind took
    1 min 47 s to refuse when reading followed the declared dimension."""
    form = declared_dimension(workbook(settings=STANDARD_SETTINGS), "A1:AMJ1048576")
    refused = declared_dimension(
        workbook(settings=[["form_title"], ["Trafficking"]]), "A1:AMJ1048576"
    )

    started = time.monotonic()
    result, refusal = read(form), read(refused)
    elapsed = time.monotonic() - started

    assert elapsed < 2
    assert result.bank is not None and [str(p) for p in result.problems] == []
    assert [p.column for p in refusal.problems] == ["form_title::French (fr)"]


def test_the_import_command_takes_titles_from_its_option_and_says_so(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    form = tmp_path / "kobo.xlsx"
    form.write_bytes(workbook(settings=[["form_title"], ["Trafficking"]]).getvalue())
    out = tmp_path / "v3.yaml"
    command = ["banks", "import-xlsform", str(form), "--instrument", "TIP", "--cluster", "I",
               "--version", "3", "--out", str(out)]  # fmt: skip

    refused = runner.invoke(cli, command)
    bad = runner.invoke(cli, [*command, "--title", "klingon=Traite"])
    done = runner.invoke(cli, [*command, "--title", "fr=Traite des personnes : incrimination"])

    assert refused.exit_code == 1
    assert "or give --title fr=TEXT" in refused.stderr
    assert bad.exit_code == 2
    assert "'klingon=Traite': write LANG=TEXT" in bad.output
    assert done.exit_code == 0, done.output
    assert "the French title comes from --title" in done.stderr
    assert "fr: 'Traite des personnes : incrimination'" in out.read_text(encoding="utf-8") or (
        "fr: Traite des personnes : incrimination" in out.read_text(encoding="utf-8")
    )


PARTIAL_FIR = """\
schema_version: 1
instrument: FIR
cluster: I
version: 1
status: published
languages: [en, fr]
title:
  en: "Firearms Protocol: criminalization (partial)"
  fr: "Protocole relatif aux armes à feu : incrimination (partiel)"
partial:
  en: "Article 3 is asked in a questionnaire of its own."
  fr: "L’article 3 fait l’objet d’un questionnaire distinct."
sections:
  - key: art-5
    article: 5
    questions:
      - key: FIR-5-1
        provision: "5(1)(a)"
        type: yes_no_partial
        text:
          en: "Is illicit manufacturing a criminal offence?"
          fr: "La fabrication illicite est-elle une infraction pénale ?"
"""


def test_a_partial_bank_keeps_its_reason_through_xlsform(tmp_path: Path) -> None:
    path = tmp_path / "FIR" / "I" / "v1.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(PARTIAL_FIR, encoding="utf-8")
    bank = validate_file(path).bank
    assert bank is not None

    result = read(exported(bank), instrument="FIR", version=2, status="published",
                  banks_dir=tmp_path)  # fmt: skip

    assert [str(p) for p in result.problems] == []
    assert result.bank is not None
    assert result.bank.partial == bank.partial
    assert result.bank.title == bank.title
