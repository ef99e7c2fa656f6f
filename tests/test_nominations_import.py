"""Nominations from a file, by the command line and the upload page: all or nothing, every
problem named by row and column, a preview before saving, and the shipped example."""

from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import Workbook
from sqlmodel import Session, col, func, select

from questionnaire.accounts import services as accounts
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.demo import PHASE_NAME
from questionnaire.nominations.models import Nomination
from questionnaire.reviews import services as reviews
from questionnaire.reviews.models import Review, ReviewMembership, ReviewPhase
from tests.conftest import PROJECT_ROOT, login

EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "nominations.csv"
HEADER = (
    "nominating_state,full_name,email,language,role,state_under_review,phase,instruments,"
    "note_reference,note_date"
)


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


def invoke(runner: FlaskCliRunner, *args: str | Path) -> Result:
    return runner.invoke(cli, [str(arg) for arg in args])


def count(db: Session, model: type) -> int:
    db.rollback()
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def phase(db: Session, shipped_banks, secretariat: User) -> ReviewPhase:
    """Ghana under review, lots drawn; the phase is named "Group 1"."""
    opened = reviews.create_phase(
        db,
        name="Group 1",
        cluster="I",
        state_codes=["GHA"],
        started_on=date(2026, 9, 1),
        max_reviews_per_state=3,
        user=secretariat,
    )
    reviews.draw_phase(db, opened, secretariat, seed="import")
    db.commit()
    return opened


def reviewing_states(db: Session, phase: ReviewPhase) -> list[str]:
    ids = [r.id for r in db.exec(select(Review).where(Review.phase_id == phase.id))]
    return sorted({a.reviewing_state for a in reviews.active_assignments(db, ids)})  # type: ignore[arg-type]


def good_rows(db: Session, phase: ReviewPhase) -> list[str]:
    reviewer = reviewing_states(db, phase)[0]
    return [
        "GHA,Kwame Mensah,kwame@gov-gh.example,fr,focal_point,GHA,Group 1,,NV/GHA/1,2026-09-03",
        "GHA,Ama Owusu,ama@gov-gh.example,en,expert,GHA,Group 1,TIP,NV/GHA/1,2026-09-03",
        f"{reviewer},Rev One,rev@x.example,en,expert,GHA,{phase.id},,NV/{reviewer}/4,2026-09-10",
    ]


def write(tmp_path: Path, rows: list[str], name: str = "nominations.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_command_records_a_file(
    db: Session, runner: FlaskCliRunner, phase: ReviewPhase, tmp_path: Path
) -> None:
    path = write(tmp_path, good_rows(db, phase))
    checked = invoke(
        runner, "nominations", "import", path, "--by", "secretariat@unodc.example", "--dry-run"
    )
    assert checked.exit_code == 0, checked.output
    assert "3 nominations checked; nothing recorded" in checked.output
    assert count(db, Nomination) == 0 and accounts.find_user(db, "kwame@gov-gh.example") is None

    result = invoke(runner, "nominations", "import", path, "--by", "secretariat@unodc.example")
    assert result.exit_code == 0, result.output
    assert "row 2: Kwame Mensah <kwame@gov-gh.example>, focal_point of GHA" in result.output
    assert "3 nominations recorded" in result.output
    kwame = accounts.find_user(fresh := db, "kwame@gov-gh.example")
    assert kwame is not None and kwame.locale == "fr" and kwame.state_code == "GHA"
    roles = fresh.exec(
        select(ReviewMembership.role).where(ReviewMembership.user_id == kwame.id)
    ).all()
    assert roles and set(roles) == {"focal_point"}


def test_a_file_with_problems_records_nothing_and_names_each_row_and_column(
    db: Session,
    runner: FlaskCliRunner,
    phase: ReviewPhase,
    tmp_path: Path,
    make_user: Callable[..., User],
) -> None:
    make_user("BRA", email="someone@gov-br.example")
    seated = set(reviewing_states(db, phase))
    outsider = next(c for c in ("BRA", "MEX", "DEU", "ITA", "CAN") if c not in seated)
    rows = [
        *good_rows(db, phase),
        "GHA,Second Focal,second@gov-gh.example,en,focal_point,GHA,Group 1,,NV/GHA/2,2026-09-04",
        "GHA,Someone,someone@gov-br.example,en,expert,GHA,Group 1,,NV/GHA/2,2026-09-04",
        f"{outsider},Out Side,out@x.example,en,expert,GHA,Group 1,,NV/X/1,2026-09-04",
        "GHA,Bad Cells,not-an-address,xx,chief,GHA,Group 9,TIP ABC,,03/09/2026",
    ]
    path = write(tmp_path, rows)
    result = invoke(runner, "nominations", "import", path, "--by", "secretariat@unodc.example")
    assert result.exit_code == 1
    lines = [line.split(": ", 1)[1] for line in result.output.splitlines() if ": row " in line]
    assert lines[:3] == [
        "row 5, column role: Ghana already has a focal point for this: Kwame Mensah "
        "(kwame@gov-gh.example). Replace the focal point instead.",
        "row 6, column email: someone@gov-br.example acts for Brazil: Ghana can only nominate "
        "its own people.",
        f"row 7, column nominating_state: {outsider} holds no seat on the reviews of GHA.",
    ]
    columns = {line.split(", column ")[1].split(":")[0] for line in lines[3:]}
    assert all(line.startswith("row 8, ") for line in lines[3:])
    assert columns == {
        "email",
        "language",
        "role",
        "phase",
        "instruments",
        "note_reference",
        "note_date",
    }
    assert "nothing was recorded" in result.output
    assert count(db, Nomination) == 0
    assert accounts.find_user(db, "kwame@gov-gh.example") is None


def test_bad_files_are_refused_with_the_reason(
    db: Session, runner: FlaskCliRunner, phase: ReviewPhase, tmp_path: Path
) -> None:
    wrong = tmp_path / "nominations.txt"
    wrong.write_text(HEADER)
    result = invoke(runner, "nominations", "import", wrong, "--by", "secretariat@unodc.example")
    assert result.exit_code == 1 and "Upload a CSV or XLSX file." in result.output
    header_only = tmp_path / "columns.csv"
    header_only.write_text("nominating_state,email,colour\nGHA,a@b.example,red\n")
    result = invoke(
        runner, "nominations", "import", header_only, "--by", "secretariat@unodc.example"
    )
    assert "row 1, column colour: Unknown column: colour." in result.output
    assert "row 1, column role: The column role is missing." in result.output
    nobody = invoke(runner, "nominations", "import", EXAMPLE, "--by", "nobody@x.example")
    assert nobody.exit_code == 1 and "not a secretariat account" in nobody.output


def xlsx(rows: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in rows:
        cells: list[object] = [*row.split(",")]
        cells[-1] = date.fromisoformat(str(cells[-1]))  # a date cell, as Excel stores it
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_upload_page_previews_then_records_all_the_rows(
    db: Session, client: FlaskClient, phase: ReviewPhase, secretariat: User
) -> None:
    login(client, secretariat)
    upload_page = html.unescape(client.get("/nominations/import").get_data(as_text=True))
    assert "nominating_state, full_name, email" in upload_page and "docs/" not in upload_page
    example = client.get("/nominations/import/example.csv")
    assert example.status_code == 200 and example.mimetype == "text/csv"
    assert example.data.decode().startswith("nominating_state,full_name,email")
    data = {"file": (io.BytesIO(xlsx(good_rows(db, phase))), "nominations.xlsx")}
    preview = client.post("/nominations/import", data=data, content_type="multipart/form-data")
    page = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200
    assert "Preview: 3 nominations" in page and "Kwame Mensah" in page
    assert page.count("New: an activation link will be sent") == 3
    assert count(db, Nomination) == 0 and accounts.find_user(db, "ama@gov-gh.example") is None

    raw = preview.get_data(as_text=True)
    rows = html.unescape(raw.split('name="rows" value="')[1].split('"')[0])
    saved = client.post("/nominations/import/confirm", data={"rows": rows})
    assert saved.status_code == 302
    assert "3 nominations have been recorded." in html.unescape(
        client.get(saved.headers["Location"]).get_data(as_text=True)
    )
    assert count(db, Nomination) == 3
    assert accounts.find_user(db, "ama@gov-gh.example") is not None


def test_the_upload_page_lists_every_problem(
    db: Session, client: FlaskClient, phase: ReviewPhase, secretariat: User
) -> None:
    login(client, secretariat)
    rows = [*good_rows(db, phase), "GHA,,x@gov-gh.example,en,boss,GHA,Group 1,,NV/1,2026-13-01"]
    data = {"file": (io.BytesIO("\n".join([HEADER, *rows]).encode()), "n.csv")}
    response = client.post("/nominations/import", data=data, content_type="multipart/form-data")
    page = html.unescape(response.get_data(as_text=True))
    assert "The file has 2 problems: nothing was recorded" in page
    assert (
        "<td>5</td><td><code>role</code></td><td>Write one of: focal_point, expert, observer.</td>"
        in page
    )
    assert "<td>5</td><td><code>note_date</code></td><td>Write the date as YYYY-MM-DD.</td>" in page
    assert 'name="rows"' not in page
    assert count(db, Nomination) == 0
    # Rows tampered with between the preview and the saving are checked again in full.
    tampered = client.post("/nominations/import/confirm", data={"rows": '[[2, {"role": "x"}]]'})
    assert "nothing was recorded" in html.unescape(tampered.get_data(as_text=True))
    assert client.post("/nominations/import/confirm", data={"rows": "{"}).status_code == 400
    assert count(db, Nomination) == 0


def test_the_shipped_example_records_against_the_demo(
    db: Session, runner: FlaskCliRunner, demo: list[tuple[str, str]]
) -> None:
    assert PHASE_NAME in EXAMPLE.read_text()
    result = invoke(runner, "nominations", "import", EXAMPLE, "--by", "secretariat@unodc.example")
    assert result.exit_code == 0, result.output
    assert "4 nominations recorded" in result.output
    focal = accounts.find_user(db, "chiamaka.obi@nga.example")
    assert focal is not None
    nigeria = db.exec(
        select(Review.id)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .join(ReviewPhase, col(ReviewPhase.id) == Review.phase_id)
        .where(Review.state_code == "NGA", ReviewPhase.name == PHASE_NAME)
    ).all()
    held = db.exec(
        select(ReviewMembership.review_id).where(
            ReviewMembership.user_id == focal.id, ReviewMembership.role == "focal_point"
        )
    ).all()
    assert Counter(held) == Counter(nigeria)
