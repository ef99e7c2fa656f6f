"""Document symbols of the Conference and its working groups, allocated and checked.

A meeting's documents form the series of its body and year (`CTOC/COP/WG.7/2027`): the
provisional agenda is always `/1`; background papers and reports `/2`, `/3`…; conference room
papers `/CRP.1`…; the draft report `/L.1`; the list of participants `/INF.1`. A revision adds
`/Rev.1`, a corrigendum `/Corr.1`. A document of two working groups carries both symbols,
joined by a hyphen: `CTOC/COP/WG.4/2024/4-CTOC/COP/WG.7/2024/4`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from questionnaire.reference.bodies import Body

#: The local part of each kind of document after the series.
LOCAL_PARTS = {
    "agenda": "{number}",
    "paper": "{number}",
    "crp": "CRP.{number}",
    "draft_report": "L.{number}",
    "participants": "INF.{number}",
}
#: One symbol of a series (a joint symbol is several, joined by "-").
SYMBOL = re.compile(
    r"CTOC/COP(?:/WG\.\d{1,2})?/\d{4}/(?:\d{1,3}|CRP\.\d{1,3}|L\.\d{1,2}|INF\.\d{1,2})"
    r"(?:/Rev\.\d{1,2})?(?:/Corr\.\d{1,2})?"
)
#: A job number of the United Nations Office at Vienna: V.27-01234.
JOB_NUMBER = re.compile(r"[A-Z]\.\d{2}-\d{5}")


class SymbolError(ValueError):
    """A symbol that cannot be allocated or does not have the form of one."""


def series(body: Body, year: int) -> str:
    return f"{body.symbol}/{year}"


def local_part(kind: str, number: int, revision: int = 0, corrigendum: int = 0) -> str:
    """What follows the series: `4`, `CRP.2`, `L.1/Rev.1`."""
    if kind not in LOCAL_PARTS:
        raise SymbolError(f"unknown kind of document: {kind}")
    if kind == "agenda" and number != 1:
        raise SymbolError("the provisional agenda is always document 1 of its meeting")
    if kind == "paper" and number < 2:
        raise SymbolError("documents other than the agenda are numbered from 2")
    if number < 1 or revision < 0 or corrigendum < 0:
        raise SymbolError("numbers start at 1")
    part = LOCAL_PARTS[kind].format(number=number)
    if revision:
        part += f"/Rev.{revision}"
    if corrigendum:
        part += f"/Corr.{corrigendum}"
    return part


def document_symbol(
    bodies: Iterable[Body],
    year: int,
    kind: str,
    number: int,
    revision: int = 0,
    corrigendum: int = 0,
) -> str:
    """The symbol of a document of `bodies`; a joint document's symbols go in the order of the
    series (WG.4 before WG.7), so that both meetings give it the same symbol."""
    part = local_part(kind, number, revision, corrigendum)
    ordered = sorted(bodies, key=lambda body: _series_key(body.symbol))
    symbols = [f"{series(body, year)}/{part}" for body in ordered]
    if len(set(symbols)) != len(symbols):
        raise SymbolError("a joint symbol names each body once")
    return "-".join(symbols)


def _series_key(symbol: str) -> tuple[int, str]:
    number = re.search(r"WG\.(\d+)$", symbol)
    return (int(number.group(1)) if number else 0, symbol)


def parts(symbol: str) -> list[str]:
    """The single symbols a (possibly joint) symbol is made of."""
    return symbol.split("-")


def is_valid_symbol(symbol: str) -> bool:
    """Whether `symbol` has the form of a symbol of the Conference or its working groups."""
    return all(SYMBOL.fullmatch(part) for part in parts(symbol))


def is_valid_job_number(job_number: str) -> bool:
    return JOB_NUMBER.fullmatch(job_number) is not None
