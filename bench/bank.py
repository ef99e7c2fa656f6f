"""A bench-only question bank: TIP cluster I v1 with an article 5 section of exactly 20 questions.

The shipped banks' sections have fewer than 20 questions, so the page benchmark writes this file
into a temporary `question_banks` folder (layout `<tmp>/TIP/I/v1.yaml`, docs/bank-format.md).
A short article 3 section comes first so that the article 5 page renders its pager too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SECTION_KEY = "art-5"
#: The top-level text question the autosave benchmark edits (not pre-filled).
AUTOSAVE_KEY = "TIP-5-11"
QUESTION_COUNT = 20

_LOREM_EN = (
    "Please describe the measures your country has adopted, the authorities responsible for "
    "them and any difficulties encountered in their application"
)
_LOREM_FR = (
    "Veuillez décrire les mesures adoptées par votre pays, les autorités qui en sont chargées "
    "et les difficultés éventuellement rencontrées dans leur application"
)


def _text(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


def _yes_no_partial(n: int, provision: str, follow_up_when: list[str]) -> dict[str, Any]:
    return {
        "key": f"TIP-5-{n}",
        "provision": provision,
        "type": "yes_no_partial",
        "required": True,
        "text": _text(
            f"Question {n}: has your country established as a criminal offence the conduct "
            f"set forth in article {provision} of the Protocol, when committed intentionally?",
            f"Question {n} : votre pays a-t-il conféré le caractère d'infraction pénale aux "
            f"actes énoncés à l'article {provision} du Protocole, lorsqu'ils ont été commis "
            "intentionnellement ?",
        ),
        "help": _text(
            "Answer “Yes, in part” when only some of the conduct is covered.",
            "Répondez « Oui, en partie » lorsque seule une partie des actes est couverte.",
        ),
        "follow_ups": [
            {
                "key": f"TIP-5-{n}-cite",
                "when": follow_up_when,
                "type": "text",
                "required": True,
                "text": _text(
                    "Please cite the applicable legislation and provisions.",
                    "Veuillez citer la législation et les dispositions applicables.",
                ),
            }
        ],
    }


def _multiple_choice(n: int, options: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "key": f"TIP-5-{n}",
        "provision": "5(2)",
        "type": "multiple_choice",
        "text": _text(
            f"Question {n}: which of the following forms of participation are criminalized? "
            "Tick all that apply.",
            f"Question {n} : lesquelles des formes de participation suivantes sont incriminées ? "
            "Cochez toutes les cases applicables.",
        ),
        "options": [{"key": key, "label": _text(en, fr)} for key, en, fr in options],
    }


def _free(n: int, kind: str) -> dict[str, Any]:
    question: dict[str, Any] = {
        "key": f"TIP-5-{n}",
        "type": kind,
        "text": _text(f"Question {n}: {_LOREM_EN}.", f"Question {n} : {_LOREM_FR}."),
    }
    if kind == "links":
        question["help"] = _text(
            "Give links to laws and cases in SHERLOC rather than attaching documents.",
            "Fournissez des liens vers les textes et les affaires dans SHERLOC.",
        )
    return question


_PARTICIPATION = [
    ("attempt", "Attempting to commit the offence", "La tentative de commettre l'infraction"),
    ("accomplice", "Participating as an accomplice", "La participation en tant que complice"),
    ("organizing", "Organizing or directing others", "Le fait d'organiser ou de diriger"),
    ("other", "Other", "Autre"),
]
_SANCTIONS = [
    ("imprisonment", "Imprisonment", "Emprisonnement"),
    ("fine", "Fine", "Amende"),
    ("confiscation", "Confiscation", "Confiscation"),
]


def bank_spec() -> dict[str, Any]:
    """The bank as a YAML-ready mapping."""
    questions: list[dict[str, Any]] = [
        _yes_no_partial(1, "5(1)", ["yes", "partial"]),
        _yes_no_partial(2, "5(2)(a)", ["yes", "partial"]),
        _yes_no_partial(3, "5(2)(b)", ["yes", "partial"]),
        _yes_no_partial(4, "5(2)(c)", ["yes", "partial"]),
        _yes_no_partial(5, "5(2)(a)", ["yes", "partial"]),
        _yes_no_partial(6, "5(2)(b)", ["no", "partial"]),
        _multiple_choice(7, _PARTICIPATION),
        _multiple_choice(8, _SANCTIONS),
        _multiple_choice(9, _PARTICIPATION),
        _free(10, "text"),
        _free(11, "text"),
        _free(12, "text"),
        _free(13, "links"),
        _free(14, "links"),
    ]
    count = sum(1 + len(q.get("follow_ups", [])) for q in questions)
    assert count == QUESTION_COUNT, count  # follow-ups count in the 20
    return {
        "schema_version": 1,
        "instrument": "TIP",
        "cluster": "I",
        "version": 1,
        "status": "published",
        "languages": ["en", "fr"],
        "title": _text(
            "Trafficking in Persons Protocol: criminalization and jurisdiction (benchmark)",
            "Protocole relatif à la traite des personnes : incrimination et compétence (banc)",
        ),
        "sections": [
            {
                "key": "art-3",
                "article": 3,
                "questions": [
                    {
                        "key": "TIP-3-1",
                        "provision": "3(a)",
                        "type": "text",
                        "text": _text(
                            f"How does your law define trafficking? {_LOREM_EN}.",
                            f"Comment votre loi définit-elle la traite ? {_LOREM_FR}.",
                        ),
                    }
                ],
            },
            {
                "key": SECTION_KEY,
                "article": 5,
                "intro": _text(
                    "Article 5 asks States parties to criminalize trafficking in persons.",
                    "L'article 5 demande aux États parties d'incriminer la traite des personnes.",
                ),
                "questions": questions,
            },
        ],
    }


def write_bank(root: Path) -> Path:
    """Write the bank under `root` (a question_banks folder); returns the file's path."""
    path = root / "TIP" / "I" / "v1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(bank_spec(), allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8",
    )
    return path


#: Answers pre-filled before measuring: 10 of the 20 questions, so the page shows real values.
PREFILLED: dict[str, Any] = {
    "TIP-5-1": "yes",
    "TIP-5-1-cite": "Criminal Code, sections 12 to 14 (Act 694 of 2005, as amended in 2009).",
    "TIP-5-2": "partial",
    "TIP-5-2-cite": "Human Trafficking Act, section 1; attempt is covered by the Criminal Code.",
    "TIP-5-3": "no",
    "TIP-5-4": "yes",
    "TIP-5-6": "yes",
    "TIP-5-7": ["attempt", "accomplice"],
    "TIP-5-10": "The Human Trafficking Secretariat coordinates the national response.\n" * 3,
    "TIP-5-13": [
        "https://sherloc.unodc.org/cld/legislation/gha/human_trafficking_act.html",
        "https://sherloc.unodc.org/cld/case-law-doc/traffickingpersonscrimetype/gha/2019/x.html",
    ],
}
