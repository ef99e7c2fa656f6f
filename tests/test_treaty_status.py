"""Party data with dates: the UN Treaty Collection's status tables, and "party" as at a date."""

from __future__ import annotations

import csv
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook
from sqlmodel import Session, col, delete, select

from questionnaire import db as database
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import Participation, State
from questionnaire.reference.services import (
    import_treaty_status,
    instruments_as_at,
    load_states,
    parties_as_at,
)
from questionnaire.reference.treaty_status import (
    TreatyStatusError,
    entry_into_force,
    parse_status_table,
)
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review

SAMPLE = Path(__file__).parents[1] / "questionnaire/reference/data/treaty_status/SOM-sample.csv"
HEADER = [
    "Participant",
    "Signature",
    "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Status as at 1 December 2026"], HEADER, *rows])
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [["Status as at 1 December 2026"], HEADER, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def restore_participation(db: Session) -> Iterator[None]:
    """Commands and factories commit: put the shipped (demo) participation back afterwards."""
    yield
    db.rollback()
    db.exec(delete(Participation))  # type: ignore[call-overload]
    load_states(db)
    db.commit()


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    # FlaskGroup sets FLASK_RUN_FROM_CLI on every invocation; monkeypatch removes it after.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


# --- reading the table ---------------------------------------------------------------------


def test_the_sample_table_reads_names_footnotes_dates_and_kinds() -> None:
    rows = {row.state_code: row for row in parse_status_table(SAMPLE)}

    assert len(rows) == 13  # the notes below the blank line are not participants
    assert rows["AFG"].signed_on is None
    assert (rows["AFG"].consent_kind, rows["AFG"].consent_on) == ("accession", date(2005, 8, 15))
    assert (rows["ALB"].signed_on, rows["ALB"].consent_kind) == (date(2000, 12, 12), "ratification")
    assert rows["EUU"].consent_kind == "approval"  # "European Union 3": footnote stripped
    assert rows["NLD"].consent_kind == "acceptance"
    assert rows["SRB"].consent_kind == "succession"
    assert rows["CIV"].consent_on == date(2017, 10, 25)  # straight apostrophe matches ’
    assert rows["CZE"].consent_kind is None  # "Czech Republic", signed only
    assert rows["DNK"].signed_on == date(2000, 12, 12)  # "Denmark 2"


def test_an_xlsx_table_with_real_dates_reads_the_same(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "status.xlsx",
        [["Dominica", None, "17 May 2013 a"], ["Ghana", date(2000, 12, 14), "21 Aug 2012"]],
    )

    rows = {row.state_code: row for row in parse_status_table(path)}

    assert (rows["DMA"].consent_kind, rows["DMA"].consent_on) == ("accession", date(2013, 5, 17))
    assert rows["GHA"].signed_on == date(2000, 12, 14)


def test_an_xlsx_declaring_a_huge_sheet_is_read_by_its_real_rows(tmp_path: Path) -> None:
    """LibreOffice declares its sheets as A1:AMJ1048576; reading must not walk that range."""
    saved = write_xlsx(tmp_path / "saved.xlsx", [["Dominica", None, "17 May 2013 a"]])
    declared = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(declared, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]+"', b'<dimension ref="A1:AMJ1048576"', content
                )
                assert b"AMJ1048576" in content
            target.writestr(item, content)

    started = time.monotonic()
    rows = parse_status_table(declared)

    assert time.monotonic() - started < 2
    assert [(row.state_code, row.consent_kind) for row in rows] == [("DMA", "accession")]


def test_every_unknown_name_and_bad_date_is_reported_by_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "status.csv",
        [
            ["Ghana", "", "21 Aug 2012 a"],
            ["Narnia", "12 Dec 2000", ""],
            ["Kenya", "31 Feb 2001", "5 Jan 2005 x"],
        ],
    )

    with pytest.raises(TreatyStatusError) as raised:
        parse_status_table(path)

    assert raised.value.problems == [
        "status.csv, row 4, column Participant: 'Narnia' is not a known State",
        "status.csv, row 5, column Signature: '31 Feb 2001' is not a date like 12 Dec 2000",
        "status.csv, row 5, column Ratification: '5 Jan 2005 x' is not a date like 12 Dec 2000",
    ]


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "status.csv"
    path.write_text("Participant,Signature\nGhana,12 Dec 2000\n", encoding="utf-8")

    with pytest.raises(TreatyStatusError, match=r"row 1: no column Ratification in the header"):
        parse_status_table(path)


def test_entry_into_force_follows_the_instruments_rules() -> None:
    in_force = date(2004, 1, 28)  # the SOM Protocol

    assert entry_into_force(date(2013, 5, 17), in_force) == date(2013, 6, 16)  # 30th day after
    assert entry_into_force(date(2002, 8, 21), in_force) == in_force  # among the first forty
    assert entry_into_force(date(2004, 1, 10), in_force) == date(2004, 2, 9)


# --- recording it, and "party" as at a date -------------------------------------------------


def test_importing_records_dates_and_replaces_the_demo_rows(db: Session) -> None:
    assert "AGO" in parties_as_at(db, "SOM", date(2026, 1, 1))  # demo data: Angola listed

    counts = import_treaty_status(db, SAMPLE, "SOM")

    assert counts == {"participants": 13, "parties": 12}
    dominica = db.get(Participation, ("DMA", "SOM"))
    assert dominica is not None
    assert (dominica.consent_kind, dominica.in_force_on) == ("accession", date(2013, 6, 16))
    assert not dominica.is_demo
    assert dominica.source.startswith("UN Treaty Collection status table, file SOM-sample.csv")
    assert db.get(Participation, ("AGO", "SOM")) is None  # not in the table: not party
    czechia = db.get(Participation, ("CZE", "SOM"))
    assert czechia is not None and czechia.signed_on and not czechia.is_party
    state = db.get(State, "DMA")
    assert state is not None and "SOM" in state.parties
    assert db.get(Participation, ("AGO", "TIP")) is not None  # other instruments untouched


def test_party_is_decided_as_at_a_date(db: Session) -> None:
    import_treaty_status(db, SAMPLE, "SOM")

    assert "DMA" not in parties_as_at(db, "SOM", date(2013, 6, 15))
    assert "DMA" in parties_as_at(db, "SOM", date(2013, 6, 16))
    assert "SOM" not in instruments_as_at(db, date(2013, 6, 15))["DMA"]
    assert "CZE" not in parties_as_at(db, "SOM", date(2026, 1, 1))  # signed only


def test_a_phase_opens_only_the_instruments_in_force_at_its_start(
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    restore_participation: None,
) -> None:
    secretariat = make_user(None, secretariat=True)  # commits: made before the import
    import_treaty_status(db, SAMPLE, "SOM")

    def instruments_opened(started_on: date) -> set[str]:
        phase = reviews.create_phase(
            db,
            name=f"Phase {started_on}",
            cluster="I",
            state_codes=["DMA"],
            started_on=started_on,
            max_reviews_per_state=3,
            user=secretariat,
        )
        return {version.instrument for version in _versions_of(db, phase.id)}

    assert "SOM" not in instruments_opened(date(2013, 6, 15))
    assert "SOM" in instruments_opened(date(2013, 6, 16))


def _versions_of(db: Session, phase_id: int | None) -> list[BankVersion]:
    return list(
        db.exec(
            select(BankVersion)
            .join(Review, Review.bank_version_id == BankVersion.id)  # type: ignore[arg-type]
            .where(Review.phase_id == phase_id)
        )
    )


def test_a_state_not_yet_party_cannot_be_put_under_review(
    db: Session,
    make_user: Callable[..., User],
    shipped_banks: dict,
    restore_participation: None,
) -> None:
    secretariat = make_user(None, secretariat=True)  # commits: made before the change
    import_treaty_status(db, SAMPLE, "SOM")
    db.exec(delete(Participation).where(col(Participation.state_code) == "DMA"))  # type: ignore[call-overload]
    db.flush()

    with pytest.raises(RuleViolation):
        reviews.create_phase(
            db,
            name="Phase",
            cluster="I",
            state_codes=["DMA"],
            started_on=date(2026, 1, 5),
            max_reviews_per_state=3,
            user=secretariat,
        )


# --- shipped data --------------------------------------------------------------------------


def test_dominica_is_party_to_the_smuggling_of_migrants_protocol(db: Session) -> None:
    dominica = db.get(State, "DMA")

    assert dominica is not None and "SOM" in dominica.parties
    row = db.get(Participation, ("DMA", "SOM"))
    assert row is not None and row.is_demo and row.consent_kind == "not_recorded"


@pytest.mark.parametrize("code", ["EUU", "COK", "NIU"])
def test_the_eu_cook_islands_and_niue_belong_to_no_regional_group(db: Session, code: str) -> None:
    state = db.get(State, code)

    assert state is not None and state.regional_group == "none"


# --- the command ---------------------------------------------------------------------------


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["states", "import-treaty-status", *args])


def test_the_command_imports_a_table(
    app: Flask, runner: FlaskCliRunner, restore_participation: None
) -> None:
    result = invoke(runner, str(SAMPLE), "--instrument", "SOM")

    assert result.exit_code == 0, result.output
    assert "SOM: 13 participants recorded, 12 of them parties" in result.output
    with database.standalone_session(app) as session:
        row = session.get(Participation, ("DMA", "SOM"))
        assert row is not None and row.consent_on == date(2013, 5, 17)


def test_the_command_imports_nothing_from_a_table_with_errors(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, restore_participation: None
) -> None:
    path = write_csv(tmp_path / "status.csv", [["Ghana", "", "1 Jan 2001"], ["Narnia", "", ""]])

    result = invoke(runner, str(path), "--instrument", "SOM")

    assert result.exit_code == 1
    assert "nothing was imported; 1 problem(s)" in result.output
    assert "row 4, column Participant: 'Narnia' is not a known State" in result.output
    with database.standalone_session(app) as session:
        row = session.get(Participation, ("GHA", "SOM"))
        assert row is not None and row.is_demo  # unchanged


def test_the_command_refuses_an_unknown_instrument(runner: FlaskCliRunner) -> None:
    result = invoke(runner, str(SAMPLE), "--instrument", "ICC")

    assert result.exit_code == 2
    assert "'ICC' is not one of 'UNTOC', 'TIP', 'SOM', 'FIR'" in result.output
