"""Loading States from the editable reference file."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlmodel import Session, select

from questionnaire.reference.instruments import DATA_DIR
from questionnaire.reference.models import REGIONAL_GROUPS, State
from questionnaire.reference.names import english_name

STATES_FILE = DATA_DIR / "states.yaml"
INSTRUMENT_CODES = ("UNTOC", "TIP", "SOM", "FIR")


class StatesFileError(ValueError):
    """The States file is malformed; nothing was saved."""


def read_states(path: Path = STATES_FILE) -> list[dict]:
    """The entries of the States file, checked field by field."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("states") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise StatesFileError(f"{path}: top-level field `states` must be a list")
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"{path}: states[{index}]"
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or len(code) != 3 or not code.isupper():
            raise StatesFileError(f"{where}.code: expected a three-letter upper-case code")
        if code in seen:
            raise StatesFileError(f"{where}.code: {code} is listed twice")
        seen.add(code)
        iso2 = entry.get("iso2")
        if not isinstance(iso2, str) or len(iso2) != 2:
            raise StatesFileError(f"{where} ({code}).iso2: expected a two-letter code in quotes")
        if entry.get("group") not in REGIONAL_GROUPS:
            raise StatesFileError(
                f"{where} ({code}).group: {entry.get('group')!r} is not one of "
                f"{', '.join(REGIONAL_GROUPS)}"
            )
        parties = entry.get("parties") or []
        if not isinstance(parties, list):
            raise StatesFileError(f"{where} ({code}).parties: expected a list such as [UNTOC, TIP]")
        unknown = set(parties) - set(INSTRUMENT_CODES)
        if unknown:
            raise StatesFileError(f"{where} ({code}).parties: unknown {', '.join(sorted(unknown))}")
    return entries


def load_states(db: Session, path: Path = STATES_FILE) -> int:
    """Insert or update every State of the file; returns how many entries were read."""
    entries = read_states(path)
    existing = {state.code: state for state in db.exec(select(State))}
    for entry in entries:
        state = existing.get(entry["code"]) or State(
            code=entry["code"], iso2=entry["iso2"], regional_group=entry["group"], name_en=""
        )
        state.iso2 = entry["iso2"]
        state.regional_group = entry["group"]
        state.parties = [code for code in INSTRUMENT_CODES if code in (entry.get("parties") or [])]
        state.names = entry.get("names")
        state.name_en = english_name(entry["code"], entry.get("names"))
        db.add(state)
    db.flush()
    return len(entries)
