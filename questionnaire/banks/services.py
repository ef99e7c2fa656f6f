"""Loading bank files into the database, where each version is recorded once and for good."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import LANGUAGES, REQUIRED_LANGUAGES, Bank
from questionnaire.banks.validation import Problem, ValidatedBank, validate_file
from questionnaire.db import metadata
from questionnaire.reference.instruments import InstrumentData

_VERSION_FILE = re.compile(r"^v([0-9]+)\.yaml$")


class BankLoadError(ValueError):
    """Some bank files are invalid or would change a recorded version; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class LoadReport:
    """What `load_banks` did, per file."""

    added: list[BankVersion] = field(default_factory=list)
    unchanged: list[BankVersion] = field(default_factory=list)
    #: recorded versions whose translations into other languages were added or re-stamped
    retranslated: list[BankVersion] = field(default_factory=list)


def discover_bank_files(root: Path) -> list[Path]:
    """Every `<INSTRUMENT>/<CLUSTER>/v<N>.yaml` under root, in version order."""

    def order(path: Path) -> tuple[str, str, int]:
        match = _VERSION_FILE.match(path.name)
        return (path.parent.parent.name, path.parent.name, int(match[1]) if match else 0)

    return sorted((p for p in root.glob("*/*/v*.yaml") if _VERSION_FILE.match(p.name)), key=order)


def validate_files(
    paths: list[Path], instrument_data: InstrumentData | None = None
) -> list[ValidatedBank]:
    """Validate each file; the results keep the order of `paths` (versions in order, so a
    bank's previous version is validated once and reused for its `replaces`)."""
    known: dict[Path, ValidatedBank] = {}
    return [validate_file(path, instrument_data, known) for path in paths]


def load_banks(db: Session, paths: list[Path]) -> LoadReport:
    """Validate the files and record new versions; all or nothing.

    A version already recorded with the same content is left alone. A recorded version whose
    file has changed is refused: published questionnaires are immutable, a change is a new
    version. Drafts may change while no review uses them. What may change in any version is
    its translations beyond English and French (added, re-stamped, checked): the questions
    the States answer stay the same.
    """
    results = validate_files(paths)
    problems = [problem for result in results for problem in result.problems]
    if problems:
        raise BankLoadError(problems)
    report = LoadReport()
    for result in results:
        assert result.bank is not None
        bank = result.bank
        existing = db.exec(
            select(BankVersion).where(
                BankVersion.instrument == bank.instrument,
                BankVersion.cluster == bank.cluster,
                BankVersion.version == bank.version,
            )
        ).first()
        if existing is None:
            report.added.append(_record(db, result))
        elif existing.sha256 == result.sha256:
            report.unchanged.append(existing)
        elif existing.status == "draft" and not _is_in_use(db, existing):
            _update_draft(existing, result)
            report.added.append(existing)
        elif existing.status == bank.status and _substance(existing.content) == _substance(
            bank.model_dump(mode="json")
        ):
            _update_draft(existing, result)
            report.retranslated.append(existing)
        else:
            problems.append(_changed_problem(existing, result))
    if problems:
        db.rollback()
        raise BankLoadError(problems)
    db.flush()
    return report


def _changed_problem(existing: BankVersion, result: ValidatedBank) -> Problem:
    why = "it is published" if existing.status == "published" else "reviews already use it"
    return Problem(
        str(result.path),
        0,
        "",
        f"{existing.instrument} cluster {existing.cluster} version {existing.version} was "
        f"recorded on {existing.loaded_at:%Y-%m-%d} with different content "
        f"(SHA-256 {existing.sha256[:12]}…, the file now has {result.sha256[:12]}…) and {why}: "
        f"leave v{existing.version}.yaml as it was and publish the change as "
        f"v{existing.version + 1}.yaml",
    )


def _record(db: Session, result: ValidatedBank) -> BankVersion:
    assert result.bank is not None
    version = BankVersion(
        instrument=result.bank.instrument,
        cluster=result.bank.cluster,
        version=result.bank.version,
        status=result.bank.status,
        sha256=result.sha256,
        content=result.bank.model_dump(mode="json"),
        source_path=_source_name(result.path),
        question_count=len(result.bank.questions),
    )
    db.add(version)
    return version


def _update_draft(existing: BankVersion, result: ValidatedBank) -> None:
    assert result.bank is not None
    existing.status = result.bank.status
    existing.sha256 = result.sha256
    existing.content = result.bank.model_dump(mode="json")
    existing.question_count = len(result.bank.questions)


_TRANSLATION_NOTES = frozenset({"stale_languages", "unreviewed_languages"})
_OTHER_LANGUAGES = frozenset(LANGUAGES) - frozenset(REQUIRED_LANGUAGES)


def _substance(content: object) -> object:
    """A recorded bank without its translations beyond English and French: what must not
    change once States answer it."""
    if isinstance(content, dict):
        is_text = bool(content) and set(content) <= set(LANGUAGES)
        return {
            key: _substance(value)
            for key, value in content.items()
            if key not in _TRANSLATION_NOTES and not (is_text and key in _OTHER_LANGUAGES)
        }
    if isinstance(content, list):
        return [_substance(item) for item in content]
    return content


def _source_name(path: Path) -> str:
    parts = path.resolve().parts
    return "/".join(parts[-3:])


def _is_in_use(db: Session, version: BankVersion) -> bool:
    """Whether any row refers to `version` (a review answers it).

    The features that use a questionnaire sit above the banks, so their rows are found
    through their foreign keys to `bank_version` rather than by name."""
    bank_version = metadata.tables[BankVersion.__tablename__]
    references = [
        (table, key.parent)
        for table in metadata.tables.values()
        for key in table.foreign_keys
        if key.references(bank_version)
    ]
    if not references:
        # The application imports every model; without them nothing would look in use.
        raise RuntimeError("no table refers to bank_version: the models are not loaded")
    return any(
        db.exec(select(func.count()).select_from(table).where(column == version.id)).one()
        for table, column in references
    )


_BANK_CACHE: dict[tuple[int, str], Bank] = {}


def bank_of(version: BankVersion) -> Bank:
    """The run-time bank of a recorded version, parsed once per process."""
    assert version.id is not None
    key = (version.id, version.sha256)
    bank = _BANK_CACHE.get(key)
    if bank is None:
        bank = Bank.model_validate(version.content)
        _BANK_CACHE[key] = bank
    return bank


def previous_version(db: Session, version: BankVersion) -> BankVersion | None:
    """The version recorded just before `version` for the same instrument and cluster."""
    return db.exec(
        select(BankVersion)
        .where(
            BankVersion.instrument == version.instrument,
            BankVersion.cluster == version.cluster,
            BankVersion.version < version.version,
        )
        .order_by(BankVersion.version.desc())  # type: ignore[attr-defined]
    ).first()


def instruments_without_bank(
    published: set[str], party_to: dict[str, frozenset[str]], state_codes: list[str]
) -> dict[str, list[str]]:
    """Per instrument with no published questionnaire in the cluster, the States (of
    `state_codes`) party to it: the reviews a phase would silently leave out."""
    missing: dict[str, list[str]] = {}
    for code in state_codes:
        for instrument in sorted(party_to.get(code, frozenset()) - published):
            missing.setdefault(instrument, []).append(code)
    return missing
