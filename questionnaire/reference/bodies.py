"""The Conference of the Parties and its working groups, as data (`data/bodies.yaml`).

Which instrument's lists of observations go to which working group is data too: the
instrument's `working_group` in `reference/data/instruments.yaml`. The secretariat edits the
files, never the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from questionnaire import yamldata
from questionnaire.reference.instruments import load_instrument_data

BODIES_FILE = Path(__file__).parent / "data" / "bodies.yaml"


@dataclass(frozen=True)
class Body:
    """The Conference or one of its working groups."""

    code: str  # "COP", "WG.7"
    symbol: str  # the series its documents' symbols start with: "CTOC/COP/WG.7"
    names: dict[str, str]  # per language
    unverified: frozenset[str]  # languages (or "symbol") not yet checked

    def name(self, language: str) -> str:
        """The name in `language`, else in English."""
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class Bodies:
    """Every body, and the organ whose name heads the working groups' documents."""

    organ_code: str
    by_code: dict[str, Body]
    #: "United Nations" in each language, the first line of every document.
    united_nations: dict[str, str]

    @property
    def organ(self) -> Body:
        return self.by_code[self.organ_code]

    def for_instrument(self, instrument: str) -> Body | None:
        """The working group that receives the lists of observations on `instrument`."""
        known = load_instrument_data().instruments.get(instrument)
        series = known.working_group if known else None
        return next((b for b in self.by_code.values() if b.symbol == series), None)


@lru_cache(maxsize=1)
def bodies(path: Path = BODIES_FILE) -> Bodies:
    """The bodies of the shipped data file, read once per process."""
    data = yamldata.load(path.read_text(encoding="utf-8"))
    by_code = {
        entry["code"]: Body(
            code=entry["code"],
            symbol=entry["symbol"],
            names=dict(entry["names"]),
            unverified=frozenset(entry.get("unverified") or ()),
        )
        for entry in data["bodies"]
    }
    return Bodies(
        organ_code=data["organ"],
        by_code=by_code,
        united_nations=dict(data["united_nations"]["names"]),
    )
