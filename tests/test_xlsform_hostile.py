"""Hostile and malformed workbooks given to `banks import-xlsform`: each ends in a problem that
names the workbook or the sheet and exit status 1, never a traceback, and reading stays within
bounds of memory and time whatever the workbook declares."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook

from questionnaire.banks import xlsx
from questionnaire.banks.xlsform import import_xlsform
from questionnaire.cli import cli
from tests.conftest import BANKS_DIR

SHEET = "xl/worksheets/sheet1.xml"
SURVEY = [
    ["type", "name", "label::English (en)", "label::French (fr)"],
    ["begin_group", "art_5", "Criminalization", "Incrimination"],
    ["select_one ynp", "q5_1", "Is it an offence?", "Est-ce une infraction ?"],
    ["end_group"],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::French (fr)"],
    ["ynp", "yes", "Yes", "Oui"],
    ["ynp", "partial", "In part", "En partie"],
    ["ynp", "no", "No", "Non"],
]
SETTINGS = [["form_title", "bank_title::French (fr)"], ["Trafficking", "Traite"]]


def form_bytes(survey: list[list[str]] | None = None) -> bytes:
    """A small valid form: survey (sheet1), choices and settings."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey or SURVEY:
        sheet.append(row)
    for name, rows in (("choices", CHOICES), ("settings", SETTINGS)):
        other = book.create_sheet(name)
        for row in rows:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one part rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content = change(content)
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """Every sheet declaring `ref` as its dimension, as LibreOffice or a hostile file does."""
    for number in (1, 2, 3):

        def declare(xml: bytes) -> bytes:
            return re.sub(
                rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml
            )

        data = patched(data, f"xl/worksheets/sheet{number}.xml", declare)
    return data


def in_sheet_data(extra: str) -> Callable[[bytes], bytes]:
    """Rows added at the end of a sheet's data."""
    return lambda xml: xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>")


def doctype_bomb(xml: bytes) -> bytes:
    """A billion laughs: nine levels of ten entities each, used in a cell."""
    entities = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    cell = '<row r="20"><c r="A20" t="inlineStr"><is><t>&i;</t></is></c></row>'
    return f"{entities}]>".encode() + in_sheet_data(cell)(xml)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(SHEET, b" " * (xlsx.MAX_PART_BYTES + 1))
    return out.getvalue()


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("not a zip", lambda: b"type,name\nnote,hello\n", "workbook: it is not an XLSX workbook"),
    ("a zip bomb", zip_bomb, f"workbook: its part {SHEET} unpacks to 32 MB, more than the 32 MB"),
    (
        "a DOCTYPE with entities",
        lambda: patched(form_bytes(), SHEET, doctype_bomb),
        f"survey sheet: the part {SHEET} declares a document type or entities: refused",
    ),
    (
        "a huge dimension and too many rows",
        lambda: patched(
            with_dimension(form_bytes(), "A1:XFD1048576"),
            SHEET,
            in_sheet_data("".join(f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is>'
                                  "</c></row>" for n in range(10, 30_000))),
        ),
        "survey sheet: row 10 has text in column 16384, beyond the 200 a form may use",
    ),
    (
        "too many rows",
        lambda: patched(form_bytes(), SHEET, in_sheet_data("".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>note</t></is></c></row>'
            for n in range(10, 5_020)))),
        "survey sheet: more than 5000 rows hold text: too many for a form",
    ),
    (
        "no survey sheet",
        lambda: patched(form_bytes(), "xl/workbook.xml", lambda x: x.replace(b'"survey"', b'"s"')),
        "survey sheet: the workbook has no survey sheet",
    ),
    (
        "a sheet part missing",
        lambda: patched(form_bytes(), "xl/_rels/workbook.xml.rels",
                        lambda x: x.replace(b"sheet1.xml", b"sheet9.xml")),
        "survey sheet: the part xl/worksheets/sheet9.xml is missing from the workbook",
    ),
    (
        "a string the workbook does not have",
        lambda: patched(form_bytes(), SHEET,
                        in_sheet_data('<row r="20"><c r="A20" t="s"><v>99999</v></c></row>')),
        "survey sheet: row 20, column 1 refers to a string the workbook does not have",
    ),
    (
        "a cell that is no cell",
        lambda: patched(form_bytes(), SHEET,
                        in_sheet_data('<row r="20"><c r="20A"><v>1</v></c></row>')),
        "survey sheet: '20A' is not a cell reference",
    ),
    (
        "a number that is none",
        lambda: patched(form_bytes(), SHEET,
                        in_sheet_data('<row r="20"><c r="B20"><v>1e9999x</v></c></row>')),
        "survey sheet: row 20, column 2 holds '1e9999x', not a number",
    ),
    (
        "rows out of order",
        lambda: patched(form_bytes(), SHEET, in_sheet_data(
            '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>')),
        "survey sheet: a row is numbered '2', after row 4",
    ),
    (
        "XML that is not well-formed",
        lambda: patched(form_bytes(), SHEET, lambda x: x.replace(b"</sheetData>", b"<row>")),
        f"survey sheet: the part {SHEET} is not well-formed XML",
    ),
    (
        "a corrupted part",
        lambda: form_bytes().replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/sheet1.xmX", 1),
        f"survey sheet: the part {SHEET} cannot be unpacked",
    ),
]  # fmt: skip


@pytest.fixture
def runner(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    return app.test_cli_runner()


@pytest.mark.parametrize(("make", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_workbook_ends_in_a_problem_and_exit_1(
    make: Callable[[], bytes], message: str, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(make())
    out = tmp_path / "v3.yaml"

    result = runner.invoke(
        cli,
        ["banks", "import-xlsform", str(form), "--instrument", "TIP", "--cluster", "I",
         "--version", "3", "--out", str(out)],
    )  # fmt: skip

    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_declared_dimension_is_not_read(tmp_path: Path) -> None:
    """LibreOffice declares A1:AMJ1048576 on every sheet; reading does not depend on it."""
    form = with_dimension(form_bytes(), "A1:AMJ1048576")

    started = time.monotonic()
    result = import_xlsform(
        io.BytesIO(form), instrument="TIP", cluster="I", version=3, banks_dir=BANKS_DIR
    )

    assert time.monotonic() - started < 2
    assert [str(p) for p in result.problems] == []
    assert result.bank is not None
    assert [q.key for q in result.bank.questions] == ["TIP-q5-1"]


_CAPPED_IMPORT = """
import resource, sys
from questionnaire.cli import cli
size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (size + {headroom}, size + {headroom}))
cli.main(sys.argv[1:], prog_name="questionnaire")
"""


def test_the_import_stays_within_a_memory_cap_on_a_huge_declared_dimension(
    tmp_path: Path,
) -> None:
    """30,000 rows with a cell in the last column under a dimension of A1:XFD1048576: the
    reader that trusted the dimension padded every row to 16,384 columns (gigabytes)."""
    form = tmp_path / "bomb.xlsx"
    rows = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(10, 30_000)
    )
    form.write_bytes(
        patched(with_dimension(form_bytes(), "A1:XFD1048576"), SHEET, in_sheet_data(rows))
    )
    code = _CAPPED_IMPORT.format(headroom=256 * 1024 * 1024)
    args = ["banks", "import-xlsform", str(form), "--instrument", "TIP", "--cluster", "I",
            "--version", "3", "--out", str(tmp_path / "v3.yaml")]  # fmt: skip
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SECRET_KEY": "x" * 32,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    }

    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=Path(__file__).parent.parent,
    )

    assert done.returncode == 1, done.stderr
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    assert "survey sheet: row 10 has text in column 16384" in done.stderr
    assert not (tmp_path / "v3.yaml").exists()
