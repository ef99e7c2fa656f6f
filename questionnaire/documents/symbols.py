"""UN document symbols of the Conference and its working groups."""

from __future__ import annotations

import re

# CTOC/COP/2024/5, CTOC/COP/WG.4/2025/CRP.2, CTOC/COP/WG.7/2024/2/Add.1, and joint symbols
# such as CTOC/COP/WG.4/2024/4-CTOC/COP/WG.7/2024/4.
_ONE = (
    r"CTOC/COP(?:/WG\.[0-9]{1,2})?/[0-9]{4}/(?:CRP\.[0-9]{1,3}|[0-9]{1,3})"
    r"(?:/(?:Add|Rev|Corr)\.[0-9]{1,2})*"
)
SYMBOL = re.compile(rf"^{_ONE}(?:-{_ONE})*$")
CRP = re.compile(r"/CRP\.[0-9]{1,3}")


def is_valid_symbol(symbol: str) -> bool:
    return bool(SYMBOL.match(symbol))


def is_crp(symbol: str) -> bool:
    """Every part of a (joint) symbol is a conference room paper."""
    return is_valid_symbol(symbol) and all(CRP.search(part) for part in symbol.split("-"))


def slug(symbol: str) -> str:
    """A URL-safe form: CTOC/COP/WG.4/2025/CRP.2 -> CTOC_COP_WG.4_2025_CRP.2."""
    return symbol.replace("/", "_")


def unslug(value: str) -> str:
    return value.replace("_", "/")
