"""Loading States from the editable reference file, and who is party to what as at a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from questionnaire import yamldata
from questionnaire.audit.services import record
from questionnaire.reference.instruments import DATA_DIR, load_instrument_data
from questionnaire.reference.models import REGIONAL_GROUPS, Participation, State, party_as_at
from questionnaire.reference.names import english_name, names_of
from questionnaire.reference.treaty_status import (
    StatusRow,
    TreatyStatusError,
    entry_into_force,
    parse_status_table,
)

STATES_FILE = DATA_DIR / "states.yaml"
INSTRUMENT_CODES = ("UNTOC", "TIP", "SOM", "FIR")
DEMO_SOURCE = "demo data (states.yaml), not from the UN Treaty Collection"


class StatesFileError(ValueError):
    """The States file is malformed; nothing was saved."""


def states_by_code(db: Session, codes: Iterable[str | None]) -> dict[str, State]:
    """The States with these codes, in one query (codes that are None or unknown are left
    out)."""
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    return {
        state.code: state for state in db.exec(select(State).where(col(State.code).in_(wanted)))
    }


def read_states(path: Path = STATES_FILE) -> list[dict[str, Any]]:
    """The entries of the States file, checked field by field."""
    raw = yamldata.load(path.read_text(encoding="utf-8")) or {}
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
        found = names_of(entry["code"])
        state.names = dict(found.names) if found else entry.get("names")
        state.name_en = english_name(entry["code"], entry.get("names"))
        db.add(state)
    db.flush()
    _demo_participation(db, entries)
    return len(entries)


def _demo_participation(db: Session, entries: list[dict[str, Any]]) -> None:
    """Undated demo rows for the file's party lists; rows from the Treaty Collection are kept."""
    rows = {(p.state_code, p.instrument): p for p in db.exec(select(Participation))}
    for entry in entries:
        for instrument in INSTRUMENT_CODES:
            row = rows.get((entry["code"], instrument))
            listed = instrument in (entry.get("parties") or [])
            if row is not None and not row.is_demo:
                continue
            if listed and row is None:
                db.add(
                    Participation(
                        state_code=entry["code"],
                        instrument=instrument,
                        consent_kind="not_recorded",
                        source=DEMO_SOURCE,
                        is_demo=True,
                    )
                )
            elif not listed and row is not None:
                db.delete(row)
    db.flush()
    sync_party_lists(db)


def sync_party_lists(db: Session) -> None:
    """Set each State's `parties` to the instruments it has consented to, whatever the date."""
    consented: dict[str, set[str]] = {}
    for row in db.exec(select(Participation).where(col(Participation.consent_kind).is_not(None))):
        consented.setdefault(row.state_code, set()).add(row.instrument)
    for state in db.exec(select(State)):
        parties = [code for code in INSTRUMENT_CODES if code in consented.get(state.code, set())]
        if parties != state.parties:
            state.parties = parties
            db.add(state)
    db.flush()


def parties_as_at(db: Session, instrument: str, on: date) -> set[str]:
    """The codes of the States party to `instrument` as at `on` (in force for them by then)."""
    rows = db.exec(select(Participation).where(Participation.instrument == instrument))
    return {row.state_code for row in rows if row.is_party_on(on)}


def instruments_as_at(db: Session, on: date) -> dict[str, frozenset[str]]:
    """Per State code, the instruments it is party to as at `on` (every State is a key)."""
    found: dict[str, set[str]] = {code: set() for code in db.exec(select(State.code))}
    facts = select(
        Participation.state_code,
        Participation.instrument,
        col(Participation.consent_kind),
        col(Participation.in_force_on),
    )  # the columns alone: rows of the whole table as objects took twice as long
    for state_code, instrument, consent_kind, in_force_on in db.exec(facts):
        if party_as_at(consent_kind, in_force_on, on):
            found.setdefault(state_code, set()).add(instrument)
    return {code: frozenset(instruments) for code, instruments in found.items()}


def participation_of(db: Session, state_code: str) -> list[Participation]:
    """The State's participation rows, in the order of the instruments."""
    rows = db.exec(select(Participation).where(Participation.state_code == state_code)).all()
    return sorted(rows, key=lambda row: INSTRUMENT_CODES.index(row.instrument))


def import_treaty_status(db: Session, path: Path, instrument: str) -> dict[str, int]:
    """Replace the participation in `instrument` by the Treaty Collection table in `path`.

    All or nothing: a TreatyStatusError lists every unknown name and bad date before anything
    changes. States absent from the table are neither signatories nor parties. Returns counts
    of signatories and parties.
    """
    rows = _status_rows(db, path, instrument)
    in_force = load_instrument_data().instruments[instrument].in_force
    existing = {
        row.state_code: row
        for row in db.exec(select(Participation).where(Participation.instrument == instrument))
    }
    before = {code: _facts(row) for code, row in existing.items()}
    source = f"UN Treaty Collection status table, file {path.name}, imported {date.today()}"
    listed = {row.state_code for row in rows}
    for code in set(existing) - listed:
        db.delete(existing[code])
    for row in rows:
        db.add(_participation(existing.get(row.state_code), row, instrument, source, in_force))
    db.flush()
    sync_party_lists(db)
    after = {row.state_code: _facts(existing.get(row.state_code) or row) for row in rows}
    record(
        db,
        actor=None,
        action="treaty_status.import",
        object_type="instrument",
        object_id=instrument,
        before=before,
        after={"source": source, "participants": after},
    )
    return {
        "participants": len(rows),
        "parties": sum(1 for row in rows if row.consent_kind),
    }


def _status_rows(db: Session, path: Path, instrument: str) -> list[StatusRow]:
    """The rows of the table in `path`, once the instrument is known and every State the
    table names is loaded; TreatyStatusError otherwise."""
    if instrument not in INSTRUMENT_CODES:
        raise TreatyStatusError(
            [f"--instrument: {instrument!r} is not one of {', '.join(INSTRUMENT_CODES)}"]
        )
    rows = parse_status_table(path)
    known = set(db.exec(select(State.code)))
    missing = sorted({row.state_code for row in rows} - known)
    if missing:
        raise TreatyStatusError(
            [f"{path.name}: not loaded with `states load`: {', '.join(missing)}"]
        )
    return rows


def _participation(
    stored: Participation | None,
    row: StatusRow,
    instrument: str,
    source: str,
    in_force: date | None,
) -> Participation:
    """The State's participation as the table gives it: the stored row updated, or a new one;
    its entry into force follows from its consent and the instrument's own."""
    participation = stored or Participation(
        state_code=row.state_code, instrument=instrument, source=source
    )
    participation.signed_on = row.signed_on
    participation.consent_kind = row.consent_kind
    participation.consent_on = row.consent_on
    participation.in_force_on = (
        entry_into_force(row.consent_on, in_force) if row.consent_on else None
    )
    participation.source = source
    participation.is_demo = False
    return participation


def _facts(row: Participation | StatusRow) -> list[str | None]:
    return [
        row.signed_on.isoformat() if row.signed_on else None,
        row.consent_kind,
        row.consent_on.isoformat() if row.consent_on else None,
    ]
