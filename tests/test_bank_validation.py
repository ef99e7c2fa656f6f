"""Bank validation: every problem names the file, the exact line and the field.

Each broken bank is derived from `VALID_BANK` by one edit and written under the required layout
`<tmp>/<INSTRUMENT>/<CLUSTER>/v<N>.yaml`. Expected lines are found by searching the edited text,
so that the cases stay right when the valid bank is extended.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask

from questionnaire.banks.schema import Bank, Condition
from questionnaire.banks.services import discover_bank_files
from questionnaire.banks.validation import Problem, validate_file
from questionnaire.cli import cli
from questionnaire.reference.instruments import load_instrument_data
from tests.conftest import BANKS_DIR

V1 = "TIP/I/v1.yaml"

VALID_BANK = """\
schema_version: 1
instrument: TIP
cluster: I
version: 1
status: published
languages: [en, fr]
title:
  en: "Trafficking in Persons Protocol: criminalization (partial)"
  fr: "Protocole relatif à la traite des personnes : incrimination (partiel)"
  es: "Protocolo contra la trata de personas: penalización (parcial)"
partial:
  en: "Article 3 is reviewed with the Convention's questionnaire."
  fr: "L'article 3 est examiné avec le questionnaire de la Convention."
sections:
  - key: general
    title:
      en: "General information"
      fr: "Informations générales"
    questions:
      - key: TIP-GEN-1
        type: single_choice
        text:
          en: "Does your country need assistance in answering?"
          fr: "Votre pays a-t-il besoin d'une assistance pour répondre ?"
        options:
          - key: "yes"
            label: {en: "Yes", fr: "Oui"}
          - key: "no"
            label: {en: "No", fr: "Non"}
  - key: art-5
    article: 5
    questions:
      - key: TIP-5-1
        provision: "5(1)"
        type: yes_no_partial
        required: true
        text:
          en: "Has your country criminalized the conduct set forth in article 3?"
          fr: "Votre pays a-t-il incriminé les actes énoncés à l'article 3 ?"
        follow_ups:
          - key: TIP-5-1-cite
            when: ["yes", "partial"]
            type: text
            text:
              en: "Please cite the applicable legislation."
              fr: "Veuillez citer la législation applicable."
      - key: TIP-5-2
        provision: "5(2)(a)"
        type: text
        show_if: {question: TIP-5-1, any_of: ["no"]}
        text:
          en: "Please explain why attempt is not a criminal offence."
          fr: "Veuillez expliquer pourquoi la tentative n'est pas une infraction pénale."
"""

# Pieces of VALID_BANK that several cases edit. TIP-5-2 is its last question.
TIP_5_2_TYPE = "        type: text\n        show_if"
TIP_5_2_TEXT = """\
        text:
          en: "Please explain why attempt is not a criminal offence."
          fr: "Veuillez expliquer pourquoi la tentative n'est pas une infraction pénale."
"""
GENERAL_TITLE = """\
    title:
      en: "General information"
      fr: "Informations générales"
"""
NO_OPTION = """\
          - key: "no"
            label: {en: "No", fr: "Non"}
"""


def edited(old: str, new: str, text: str = VALID_BANK) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_no(text: str, marker: str, occurrence: int | None = None) -> int:
    """The 1-based line of `marker`: its only occurrence, or the n-th (from 1).

    Leading newlines anchor the marker at the start of a line; the line is the one after them.
    """
    starts = [match.start() for match in re.finditer(re.escape(marker), text)]
    if occurrence is None:
        assert len(starts) == 1, f"{marker!r} occurs {len(starts)} times"
        occurrence = 1
    anchor = len(marker) - len(marker.lstrip("\n"))
    return text.count("\n", 0, starts[occurrence - 1] + anchor) + 1


def write_bank(root: Path, text: str, where: str = V1) -> Path:
    path = root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def case(
    case_id: str,
    text: str,
    marker: str,
    field: str,
    message: str,
    *,
    where: str = V1,
    occurrence: int | None = None,
) -> object:
    """One broken bank: the single problem expected at the line holding `marker`."""
    line = line_no(text, marker, occurrence)
    return pytest.param(text, where, line, field, message, id=case_id)


Q_5_1 = "sections[art-5].questions[TIP-5-1]"
Q_5_2 = "sections[art-5].questions[TIP-5-2]"
Q_GEN_1 = "sections[general].questions[TIP-GEN-1]"
CITE = f"{Q_5_1}.follow_ups[TIP-5-1-cite]"

CASES = [
    case(
        "not-yaml",
        edited("  - key: art-5\n", " - key: art-5\n"),
        " - key: art-5",
        "",
        "not valid YAML: did not find expected key",
    ),
    case(
        "unclosed-flow-sequence",
        edited("languages: [en, fr]", "languages: [en, fr"),
        "\ntitle:",
        "",
        "not valid YAML: did not find expected ',' or ']'",
    ),
    case(
        "duplicate-yaml-key",
        edited("status: published\n", "status: published\nstatus: draft\n"),
        "status: draft",
        "",
        "not valid YAML: duplicate key 'status'",
    ),
    case(
        "top-level-list",
        "- schema_version: 1\n- instrument: TIP\n",
        "- schema_version: 1",
        "",
        "a bank file must be a mapping of fields",
    ),
    case(
        "schema-version-2",
        edited("schema_version: 1", "schema_version: 2"),
        "schema_version: 2",
        "schema_version",
        "unknown schema_version 2: this application reads schema_version 1",
    ),
    case(
        "unknown-question-field",
        edited(TIP_5_2_TYPE, '        type: text\n        hint: "x"\n        show_if'),
        'hint: "x"',
        f"{Q_5_2}.hint",
        "Extra inputs are not permitted",
    ),
    case(
        "missing-text",
        edited(TIP_5_2_TEXT, ""),
        "key: TIP-5-2",
        f"{Q_5_2}.text",
        "Field required",
    ),
    case(
        "wrong-question-type",
        edited(TIP_5_2_TYPE, "        type: essay\n        show_if"),
        "type: essay",
        f"{Q_5_2}.type",
        "Input should be 'yes_no_partial', 'single_choice', 'multiple_choice', 'text' or 'links'",
    ),
    case(
        "unknown-instrument",
        edited("instrument: TIP", "instrument: XYZ"),
        "instrument: XYZ",
        "instrument",
        "Input should be 'UNTOC', 'TIP', 'SOM' or 'FIR'",
    ),
    case(
        "missing-french-text",
        edited(TIP_5_2_TEXT, TIP_5_2_TEXT.split("          fr:")[0]),
        '        text:\n          en: "Please explain why',
        f"{Q_5_2}.text",
        "the 'fr' text is missing",
    ),
    case(
        "empty-english-text",
        edited('en: "Please explain why attempt is not a criminal offence."', 'en: "  "'),
        'en: "  "',
        f"{Q_5_2}.text.en",
        "the 'en' text is empty",
    ),
    case(
        "languages-without-french",
        edited("languages: [en, fr]", "languages: [en]"),
        "languages: [en]",
        "languages",
        "must include 'fr'",
    ),
    case(
        "duplicate-question-key",
        edited("key: TIP-5-2", "key: TIP-5-1-cite"),
        "key: TIP-5-1-cite",
        "sections[art-5].questions[TIP-5-1-cite].key",
        "question key TIP-5-1-cite is used twice",
        occurrence=2,
    ),
    case(
        "duplicate-section-key",
        edited("key: art-5", "key: general"),
        "key: general",
        "sections[general].key",
        "section key 'general' is used twice",
        occurrence=2,
    ),
    case(
        "key-of-another-instrument",
        edited("key: TIP-5-2", "key: SOM-5-2"),
        "key: SOM-5-2",
        "sections[art-5].questions[SOM-5-2].key",
        "question key SOM-5-2 must start with TIP-",
    ),
    case(
        "article-not-in-instrument",
        edited("  - key: general\n", "  - key: general\n    article: 40\n"),
        "article: 40",
        "sections[general].article",
        "TIP has no article 40 in the instrument data",
    ),
    case(
        "article-not-in-cluster",
        edited("  - key: general\n", "  - key: general\n    article: 9\n"),
        "article: 9",
        "sections[general].article",
        "article 9 of TIP is not in cluster I",
    ),
    case(
        "provision-of-another-article",
        edited('provision: "5(2)(a)"', 'provision: "3(a)"'),
        'provision: "3(a)"',
        f"{Q_5_2}.provision",
        "provision '3(a)' is not in article 5 of this section",
    ),
    case(
        "show-if-on-a-later-question",
        edited(
            'provision: "5(1)"\n',
            'provision: "5(1)"\n        show_if: {question: TIP-5-2, any_of: ["yes"]}\n',
        ),
        "show_if: {question: TIP-5-2",
        f"{Q_5_1}.show_if.question",
        "TIP-5-2 is not a question earlier in this bank "
        "(conditions may only look back, so they can never form a cycle)",
    ),
    case(
        "show-if-on-a-text-question",
        VALID_BANK
        + "      - key: TIP-5-3\n"
        + "        type: text\n"
        + '        show_if: {question: TIP-5-2, any_of: ["yes"]}\n'
        + '        text: {en: "Why?", fr: "Pourquoi ?"}\n',
        "show_if: {question: TIP-5-2",
        "sections[art-5].questions[TIP-5-3].show_if.question",
        "TIP-5-2 is a text question; conditions need a choice question",
    ),
    case(
        "show-if-unknown-option",
        edited('any_of: ["no"]', 'any_of: ["never"]'),
        'any_of: ["never"]',
        f"{Q_5_2}.show_if.any_of[0]",
        "TIP-5-1 has no option 'never' (its options: yes, partial, no)",
    ),
    case(
        "follow-up-when-unknown-option",
        edited('when: ["yes", "partial"]', 'when: ["yes", "maybe"]'),
        'when: ["yes", "maybe"]',
        f"{CITE}.when[1]",
        "TIP-5-1 has no option 'maybe'",
    ),
    case(
        "follow-up-with-show-if",
        edited(
            '            when: ["yes", "partial"]\n',
            '            when: ["yes", "partial"]\n'
            '            show_if: {question: TIP-5-1, any_of: ["no"]}\n',
        ),
        "            show_if:",
        f"{CITE}.show_if",
        "a follow-up uses `when`, not `show_if`",
    ),
    case(
        "follow-up-under-text-question",
        VALID_BANK
        + "        follow_ups:\n"
        + "          - key: TIP-5-2-more\n"
        + '            when: ["yes"]\n'
        + "            type: text\n"
        + '            text: {en: "More?", fr: "Plus ?"}\n',
        'when: ["yes"]',
        f"{Q_5_2}.follow_ups[TIP-5-2-more].when",
        "follow-ups need a choice question; TIP-5-2 is text",
    ),
    case(
        "options-on-yes-no-partial",
        edited(
            "        required: true\n",
            "        required: true\n"
            "        options:\n"
            '          - key: "maybe"\n'
            '            label: {en: "Maybe", fr: "Peut-être"}\n',
        ),
        "        options:",
        f"{Q_5_1}.options",
        "a yes_no_partial question takes no options (its options are fixed: yes, partial, no)",
        occurrence=2,
    ),
    case(
        "single-choice-with-one-option",
        edited(NO_OPTION, ""),
        "        options:",
        f"{Q_GEN_1}.options",
        "a single_choice question needs at least two options",
    ),
    case(
        "duplicate-option-key",
        edited('key: "no"', 'key: "yes"'),
        'key: "yes"',
        f"{Q_GEN_1}.options[yes].key",
        "option key 'yes' is used twice",
        occurrence=2,
    ),
    case(
        "unquoted-yes-in-when",
        edited('when: ["yes", "partial"]', "when: [yes, partial]"),
        "when: [yes, partial]",
        f"{CITE}.when[0]",
        "YAML reads unquoted yes/no/on/off as true/false: "
        'write the option key in quotes, e.g. "yes"',
    ),
    case(
        "version-differs-from-file-name",
        edited("\nversion: 1\n", "\nversion: 2\n"),
        "\nversion: 2",
        "version",
        "version 2 does not match the file name v1.yaml",
    ),
    case(
        "file-not-named-by-version",
        VALID_BANK,
        "\nversion: 1",
        "version",
        "the file must be named v1.yaml",
        where="TIP/I/version1.yaml",
    ),
    case(
        "cluster-folder-mismatch",
        VALID_BANK,
        "cluster: I",
        "cluster",
        "cluster I does not match the folder II/",
        where="TIP/II/v1.yaml",
    ),
    case(
        "instrument-folder-mismatch",
        VALID_BANK,
        "instrument: TIP",
        "instrument",
        "instrument TIP does not match the folder SOM/",
        where="SOM/I/v1.yaml",
    ),
    case(
        "replaces-in-first-version",
        edited(TIP_5_2_TYPE, '        type: text\n        replaces: ["TIP-5-0"]\n        show_if'),
        "replaces:",
        f"{Q_5_2}.replaces",
        "there is no previous version (v0.yaml) for `replaces` to refer to",
    ),
    case(
        "general-section-without-title",
        edited(GENERAL_TITLE, ""),
        "  - key: general",
        "sections[general]",
        "a general section (no article) needs a title",
    ),
    case(
        "assistance-role-on-a-follow-up",
        edited(
            "          - key: TIP-5-1-cite\n",
            "          - key: TIP-5-1-cite\n            role: technical_assistance\n",
        ),
        "            role: technical_assistance",
        f"{Q_5_1}.follow_ups[TIP-5-1-cite].role",
        "a follow-up cannot be an article's technical assistance question",
    ),
    case(
        "assistance-role-outside-an-article",
        edited(
            "      - key: TIP-GEN-1\n",
            "      - key: TIP-GEN-1\n        role: technical_assistance\n",
        ),
        "        role: technical_assistance",
        "sections[general].questions[TIP-GEN-1].role",
        "a technical assistance question belongs to an article's section",
    ),
    case(
        "assistance-role-on-a-text-question",
        edited(TIP_5_2_TYPE, "        role: technical_assistance\n" + TIP_5_2_TYPE),
        "        role: technical_assistance",
        f"{Q_5_2}.role",
        "a technical assistance question is a choice question, not text",
    ),
    case(
        "unknown-role",
        edited(TIP_5_2_TYPE, "        role: assistance\n" + TIP_5_2_TYPE),
        "        role: assistance",
        f"{Q_5_2}.role",
        "Input should be 'technical_assistance'",
    ),
]


@pytest.mark.parametrize(("text", "where", "line", "field", "message"), CASES)
def test_broken_bank_names_line_field_and_message(
    tmp_path: Path, text: str, where: str, line: int, field: str, message: str
) -> None:
    path = write_bank(tmp_path, text, where)

    result = validate_file(path)

    assert result.bank is None
    assert not result.is_valid
    assert [(problem.line, problem.field) for problem in result.problems] == [(line, field)]
    problem = result.problems[0]
    assert problem.path == str(path)
    assert message in problem.message
    where_field = f"{path}:{line}: {field}: " if field else f"{path}:{line}: "
    assert str(problem) == where_field + problem.message


def test_replaces_must_name_a_question_of_the_previous_version(tmp_path: Path) -> None:
    write_bank(tmp_path, VALID_BANK, V1)
    v2_text = edited("\nversion: 1\n", "\nversion: 2\n")
    v2_text = edited(
        TIP_5_2_TYPE,
        '        type: text\n        replaces: ["TIP-5-1", "TIP-9-9"]\n        show_if',
        v2_text,
    )
    v2 = write_bank(tmp_path, v2_text, "TIP/I/v2.yaml")

    result = validate_file(v2)

    assert result.problems == [
        Problem(
            str(v2),
            line_no(v2_text, "replaces:"),
            f"{Q_5_2}.replaces[1]",
            "TIP-9-9 is not a question of version 1",
        )
    ]


def test_replaces_naming_the_previous_version_is_valid(tmp_path: Path) -> None:
    write_bank(tmp_path, VALID_BANK, V1)
    v2_text = edited("\nversion: 1\n", "\nversion: 2\n")
    v2_text = edited(
        TIP_5_2_TYPE, '        type: text\n        replaces: ["TIP-5-2"]\n        show_if', v2_text
    )
    v2 = write_bank(tmp_path, v2_text, "TIP/I/v2.yaml")

    result = validate_file(v2)

    assert result.problems == []
    assert result.bank is not None
    assert result.bank.questions_by_key["TIP-5-2"].replaces == ("TIP-5-2",)


def test_replaces_against_an_invalid_previous_version(tmp_path: Path) -> None:
    write_bank(tmp_path, edited("schema_version: 1", "schema_version: 2"), V1)
    v2_text = edited("\nversion: 1\n", "\nversion: 2\n")
    v2_text = edited(
        TIP_5_2_TYPE, '        type: text\n        replaces: ["TIP-5-2"]\n        show_if', v2_text
    )
    v2 = write_bank(tmp_path, v2_text, "TIP/I/v2.yaml")

    [problem] = validate_file(v2).problems

    assert (problem.line, problem.field) == (line_no(v2_text, "replaces:"), f"{Q_5_2}.replaces")
    assert problem.message == "the previous version v1.yaml is not valid; fix it first"


def test_unreadable_file_is_a_problem_without_line(tmp_path: Path) -> None:
    path = tmp_path / V1
    path.parent.mkdir(parents=True)
    path.write_bytes(b"schema_version: 1\ntitle: \xff\xfe\n")

    [problem] = validate_file(path).problems

    assert (problem.line, problem.field) == (0, "")
    assert problem.message.startswith("cannot read the file: 'utf-8' codec can't decode")
    assert str(problem) == f"{path}: {problem.message}"


def test_valid_bank_passes_with_coverage_of_the_other_languages(tmp_path: Path) -> None:
    path = write_bank(tmp_path, VALID_BANK)

    result = validate_file(path)

    assert result.problems == []
    assert result.is_valid
    assert result.sha256 == hashlib.sha256(VALID_BANK.encode("utf-8")).hexdigest()
    # Nine translated texts (bank title, reason for being partial, section title, three
    # question texts, one follow-up text, two option labels); only the bank title has Spanish.
    assert result.coverage == {"ar": 0.0, "es": 1 / 9, "ru": 0.0, "zh": 0.0}
    assert result.bank is not None
    assert result.bank.label == "TIP cluster I v1"
    assert result.bank.languages == ("en", "fr")
    assert [section.key for section in result.bank.sections] == ["general", "art-5"]


def test_follow_ups_are_flattened_with_a_show_if_on_their_parent(tmp_path: Path) -> None:
    bank = validate_file(write_bank(tmp_path, VALID_BANK)).bank
    assert bank is not None

    assert [q.key for q in bank.questions] == ["TIP-GEN-1", "TIP-5-1", "TIP-5-1-cite", "TIP-5-2"]
    follow_up = bank.questions_by_key["TIP-5-1-cite"]
    assert follow_up.parent == "TIP-5-1"
    assert follow_up.show_if == Condition(question="TIP-5-1", any_of=["yes", "partial"])
    assert (follow_up.section, follow_up.article, follow_up.type) == ("art-5", 5, "text")
    assert follow_up.text["fr"] == "Veuillez citer la législation applicable."

    parent = bank.questions_by_key["TIP-5-1"]
    assert (parent.parent, parent.show_if) == (None, None)
    assert parent.option_keys() == ("yes", "partial", "no")
    assert parent.options[1].label["fr"] == "Oui, en partie"

    conditional = bank.questions_by_key["TIP-5-2"]
    assert conditional.parent is None
    assert conditional.show_if == Condition(question="TIP-5-1", any_of=["no"])
    assert bank.questions_by_key["TIP-GEN-1"].option_keys() == ("yes", "no")


SHIPPED_BANKS = discover_bank_files(BANKS_DIR)


def test_banks_are_shipped() -> None:
    assert len(SHIPPED_BANKS) >= 6
    assert BANKS_DIR / "TIP" / "I" / "v2.yaml" in SHIPPED_BANKS


@pytest.mark.parametrize(
    "path", SHIPPED_BANKS, ids=[str(p.relative_to(BANKS_DIR)) for p in SHIPPED_BANKS]
)
def test_shipped_bank_is_valid(path: Path) -> None:
    result = validate_file(path)

    assert [str(problem) for problem in result.problems] == []
    assert result.bank is not None
    instrument, cluster = path.parent.parent.name, path.parent.name
    assert (result.bank.instrument, result.bank.cluster) == (instrument, cluster)
    assert f"v{result.bank.version}.yaml" == path.name
    assert set(result.coverage) == {"ar", "es", "ru", "zh"}


ASSISTANCE = """\
      - key: TIP-5-TA
        type: single_choice
        text:
          en: "Does your country require technical assistance to implement this article?"
          fr: "Votre pays a-t-il besoin d’une assistance technique pour appliquer l’article ?"
        options:
          - key: "yes"
            label: {en: "Yes", fr: "Oui"}
          - key: "no"
            label: {en: "No", fr: "Non"}
"""


def test_a_bank_declaring_no_role_reads_its_ta_questions_as_technical_assistance(
    tmp_path: Path,
) -> None:
    result = validate_file(write_bank(tmp_path, VALID_BANK + ASSISTANCE))

    assert result.bank is not None, [str(p) for p in result.problems]
    roles = {q.key: q.role for q in result.bank.questions}
    assert roles["TIP-5-TA"] == "technical_assistance"
    assert {key for key, role in roles.items() if role} == {"TIP-5-TA"}


DECLARED_ASSISTANCE = """\
        type: single_choice
        role: technical_assistance
        options:
          - key: "yes"
            label: {en: "Yes", fr: "Oui"}
          - key: "no"
            label: {en: "No", fr: "Non"}
        show_if"""


def test_a_bank_declaring_roles_must_declare_every_ta_question(tmp_path: Path) -> None:
    text = edited(TIP_5_2_TYPE, DECLARED_ASSISTANCE)

    valid = validate_file(write_bank(tmp_path, text))
    undeclared = validate_file(write_bank(tmp_path / "b", text + ASSISTANCE))

    assert valid.bank is not None, [str(p) for p in valid.problems]
    assert valid.bank.questions_by_key["TIP-5-2"].is_technical_assistance
    assert [(p.field, p.message) for p in undeclared.problems] == [
        (
            "sections[art-5].questions[TIP-5-TA].role",
            "TIP-5-TA ends with -TA: declare role: technical_assistance, or choose another key",
        )
    ]


def test_content_recorded_before_roles_reads_its_ta_questions_as_technical_assistance(
    tmp_path: Path,
) -> None:
    bank = validate_file(write_bank(tmp_path, VALID_BANK + ASSISTANCE)).bank
    assert bank is not None
    content = bank.model_dump(mode="json")
    for section in content["sections"]:
        for question in section["questions"]:
            del question["role"]

    recorded = Bank.model_validate(content)

    assert recorded.questions_by_key["TIP-5-TA"].is_technical_assistance
    assert not recorded.questions_by_key["TIP-5-1"].is_technical_assistance
    assert "role" not in content["sections"][1]["questions"][0]


# --- coverage of the cluster's articles ------------------------------------------------------

PARTIAL = """\
partial:
  en: "Article 3 is reviewed with the Convention's questionnaire."
  fr: "L'article 3 est examiné avec le questionnaire de la Convention."
"""
COMPLETE = edited(PARTIAL, "").replace(" (partial)", "").replace(" (partiel)", "")


def test_a_published_bank_missing_an_article_of_its_cluster_names_the_article(
    tmp_path: Path,
) -> None:
    path = write_bank(tmp_path, COMPLETE)

    result = validate_file(path)

    assert [(p.line, p.field, p.message) for p in result.problems] == [
        (
            line_no(COMPLETE, "\nsections:"),
            "sections",
            "article 3 of TIP is in cluster I but has no section: add one, or declare the bank "
            "`partial` with the reason",
        )
    ]


def test_a_partial_bank_says_so_in_its_title(tmp_path: Path) -> None:
    text = VALID_BANK.replace(" (partiel)", "")

    result = validate_file(write_bank(tmp_path, text))

    assert [(p.field, p.message) for p in result.problems] == [
        ("title.fr", "a partial bank says so in its title (\\bpartiel)")
    ]


def test_a_partial_bank_carries_its_reason(tmp_path: Path) -> None:
    result = validate_file(write_bank(tmp_path, VALID_BANK))

    assert result.bank is not None
    assert result.bank.partial == {
        "en": "Article 3 is reviewed with the Convention's questionnaire.",
        "fr": "L'article 3 est examiné avec le questionnaire de la Convention.",
    }


def test_drafts_and_replaced_versions_may_leave_articles_out(tmp_path: Path) -> None:
    draft = COMPLETE.replace("status: published", "status: draft")
    replaced = write_bank(tmp_path / "a", COMPLETE)
    write_bank(tmp_path / "a", COMPLETE.replace("version: 1", "version: 2"), "TIP/I/v2.yaml")

    assert validate_file(write_bank(tmp_path / "b", draft)).problems == []
    assert validate_file(replaced).problems == []


def test_every_shipped_bank_in_use_covers_its_cluster() -> None:
    data = load_instrument_data()
    latest = {(p.parent.parent.name, p.parent.name): p for p in SHIPPED_BANKS}
    for (instrument, cluster), path in latest.items():
        bank = validate_file(path).bank
        assert bank is not None and bank.partial is None
        articles = {section.article for section in bank.sections}
        assert set(data.clusters[cluster].articles[instrument]) <= articles, path


def test_the_validate_command_fails_naming_the_missing_article(app: Flask, tmp_path: Path) -> None:
    path = write_bank(tmp_path, COMPLETE)

    result = app.test_cli_runner().invoke(cli, ["banks", "validate", str(path)])

    assert result.exit_code == 1
    assert f"{path}:" in result.stderr
    assert "article 3 of TIP is in cluster I but has no section" in result.stderr


def test_a_key_kept_from_the_previous_version_keeps_its_provision(tmp_path: Path) -> None:
    write_bank(tmp_path, VALID_BANK)
    text = VALID_BANK.replace("\nversion: 1\n", "\nversion: 2\n").replace(
        'provision: "5(1)"', 'provision: "5(2)(b)"'
    )
    path = write_bank(tmp_path, text, "TIP/I/v2.yaml")

    result = validate_file(path)

    assert [(p.line, p.field, p.message) for p in result.problems] == [
        (
            line_no(text, "      - key: TIP-5-1\n"),
            f"{Q_5_1}.key",
            "TIP-5-1 asked 5(1) in version 1: a key keeps its meaning, so give this question a "
            "new key (with `replaces` where it continues another)",
        )
    ]
