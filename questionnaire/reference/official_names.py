"""The official names the application shows, per language, and how far each is established.

Names come from data only: the instruments, their clusters and article headings
(`reference/data/instruments.yaml`), the Conference and its working groups
(`reference/data/bodies.yaml`) and the States (`reference/data/state_names.yaml`). A name is
*unverified* when its file marks it as not yet checked against UN terminology or the authentic
texts, and *missing* in a language with no official form on file: it is then shown in English,
said so, and never made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from questionnaire.reference.bodies import bodies
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.names import UN_LANGUAGES, load_state_names

#: The kinds of name, in the order a reference page lists them.
KINDS = ("instrument", "cluster", "article", "body", "state")


@dataclass(frozen=True)
class NameOnFile:
    """One name: its texts per language and the languages not yet checked."""

    kind: str
    #: what the name is of: "TIP", "I", "TIP 5", "WG.4", "GHA"
    code: str
    texts: dict[str, str]
    unverified: frozenset[str] = frozenset()

    def status(self, language: str) -> str:
        """`checked`, `unverified` or `missing` (shown in English) in `language`."""
        if not self.texts.get(language):
            return "missing"
        return "unverified" if language in self.unverified else "checked"

    def shown(self, language: str) -> tuple[str, str]:
        """(text, its language): in `language`, else in English."""
        if self.texts.get(language):
            return self.texts[language], language
        return self.texts.get("en", self.code), "en"


def names_on_file() -> list[NameOnFile]:
    """Every name the application shows, by kind (instruments, clusters, article headings,
    the Conference and its working groups, States)."""
    data = load_instrument_data()
    found = [
        NameOnFile("instrument", code, instrument.title, instrument.title_unverified)
        for code, instrument in data.instruments.items()
    ]
    found += [
        NameOnFile("cluster", code, c.title, c.title_unverified)
        for code, c in data.clusters.items()
    ]
    found += [
        NameOnFile("article", f"{code} {number}", article.title, article.unverified)
        for code, instrument in data.instruments.items()
        for number, article in sorted(instrument.articles.items())
    ]
    found += [
        NameOnFile("body", body.code, body.names, body.unverified & set(UN_LANGUAGES))
        for body in bodies().by_code.values()
    ]
    found += [
        NameOnFile("state", code, entry.names, entry.unverified)
        for code, entry in sorted(load_state_names().states.items())
    ]
    return found


@dataclass
class NameCoverage:
    """How many names of a kind are on file in a language, and how many of those are checked."""

    kind: str
    language: str
    total: int = 0
    on_file: int = 0
    unverified: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.on_file - self.unverified


def name_coverage(names: list[NameOnFile]) -> dict[tuple[str, str], NameCoverage]:
    """Per (kind, language): names on file, not yet checked, missing."""
    report = {
        (kind, language): NameCoverage(kind, language)
        for kind in KINDS
        for language in UN_LANGUAGES
    }
    for name in names:
        for language in UN_LANGUAGES:
            found = report[(name.kind, language)]
            found.total += 1
            status = name.status(language)
            if status == "missing":
                found.missing.append(name.code)
            else:
                found.on_file += 1
                found.unverified += status == "unverified"
    return report
