"""Recording bank versions in the database (all or nothing), and comparing two versions."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from questionnaire import yamldata
from questionnaire.banks.diff import diff_banks
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import BankLoadError, discover_bank_files, load_banks
from questionnaire.banks.translations import confirm_file
from questionnaire.banks.validation import validate_file
from questionnaire.db import id_of
from tests.conftest import BANKS_DIR

TIP_I_V1 = BANKS_DIR / "TIP" / "I" / "v1.yaml"
TIP_I_V2 = BANKS_DIR / "TIP" / "I" / "v2.yaml"
TIP_5_1_EN = (
    "Has your country established as a criminal offence the conduct set forth in article 3 "
    "of the Protocol, when committed intentionally?"
)


def count_questions(questions: list[dict]) -> int:
    """Questions and their follow-ups, counted from the raw YAML."""
    return sum(1 + count_questions(q.get("follow_ups", [])) for q in questions)


def expected_rows(paths: list[Path]) -> dict[tuple[str, str, int], tuple[str, int]]:
    """(instrument, cluster, version) -> (SHA-256 of the file, number of questions)."""
    rows = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        raw = yamldata.load(text)
        questions = sum(count_questions(section["questions"]) for section in raw["sections"])
        key = (raw["instrument"], raw["cluster"], raw["version"])
        rows[key] = (hashlib.sha256(text.encode("utf-8")).hexdigest(), questions)
    return rows


def recorded(db: Session) -> dict[tuple[str, str, int], BankVersion]:
    return {(v.instrument, v.cluster, v.version): v for v in db.exec(select(BankVersion))}


def row_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(BankVersion)).one()


def copy_bank(source: Path, root: Path) -> Path:
    """A copy of a shipped bank at the same `<INSTRUMENT>/<CLUSTER>/v<N>.yaml` under root."""
    target = root / source.relative_to(BANKS_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def test_load_records_every_shipped_bank_with_its_hash_and_question_count(db: Session) -> None:
    paths = discover_bank_files(BANKS_DIR)

    report = load_banks(db, paths)
    db.commit()

    assert report.unchanged == []
    expected = expected_rows(paths)
    assert sorted((v.instrument, v.cluster, v.version) for v in report.added) == sorted(expected)
    rows = recorded(db)
    assert {key: (row.sha256, row.question_count) for key, row in rows.items()} == expected
    tip = rows[("TIP", "I", 1)]
    assert tip.status == "published"
    assert tip.source_path == "TIP/I/v1.yaml"
    assert tip.content["instrument"] == "TIP"
    assert [s["key"] for s in tip.content["sections"]] == ["general", "art-3", "art-5"]
    assert len([q for s in tip.content["sections"] for q in s["questions"]]) == tip.question_count


def test_loading_again_reports_every_bank_unchanged(db: Session) -> None:
    paths = discover_bank_files(BANKS_DIR)
    first = load_banks(db, paths)
    db.commit()
    ids = sorted(id_of(v) for v in first.added)

    again = load_banks(db, paths)
    db.commit()

    assert again.added == []
    assert sorted(id_of(v) for v in again.unchanged) == ids
    assert row_count(db) == len(paths)


def test_a_published_bank_changed_under_the_same_version_is_refused(
    db: Session, tmp_path: Path
) -> None:
    bank = copy_bank(TIP_I_V1, tmp_path)
    load_banks(db, [bank])
    db.commit()
    before = recorded(db)[("TIP", "I", 1)]
    sha, content = before.sha256, before.content
    bank.write_text(
        bank.read_text(encoding="utf-8").replace(TIP_5_1_EN, "Has your country done it?"),
        encoding="utf-8",
    )
    confirm_file(bank, "fr", {"TIP-5-1"})  # the French re-stamped: the file itself is valid
    # A new bank earlier in the same batch must not be saved either.
    other = copy_bank(BANKS_DIR / "FIR" / "I" / "v1.yaml", tmp_path)

    with pytest.raises(BankLoadError) as raised:
        load_banks(db, [other, bank])

    [problem] = raised.value.problems
    assert problem.path == str(bank)
    assert problem.message.startswith(
        "TIP cluster I version 1 was recorded on " + f"{before.loaded_at:%Y-%m-%d}"
    )
    assert f"SHA-256 {sha[:12]}…" in problem.message
    assert "and it is published: leave v1.yaml as it was and publish the change as v2.yaml" in (
        problem.message
    )
    assert str(raised.value) == str(problem)
    db.expire_all()
    rows = recorded(db)
    assert list(rows) == [("TIP", "I", 1)]
    assert (rows[("TIP", "I", 1)].sha256, rows[("TIP", "I", 1)].content) == (sha, content)


def test_a_draft_may_change_while_no_review_uses_it(db: Session, tmp_path: Path) -> None:
    bank = copy_bank(TIP_I_V1, tmp_path)
    draft = bank.read_text(encoding="utf-8").replace("status: published", "status: draft")
    bank.write_text(draft, encoding="utf-8")
    [first] = load_banks(db, [bank]).added
    db.commit()
    bank.write_text(draft.replace(TIP_5_1_EN, "Has your country done it?"), encoding="utf-8")

    report = load_banks(db, [bank])
    db.commit()

    assert [v.id for v in report.added] == [first.id]
    db.expire_all()
    [row] = recorded(db).values()
    assert row.sha256 == hashlib.sha256(bank.read_bytes()).hexdigest()
    texts = {q["key"]: q["text"]["en"] for s in row.content["sections"] for q in s["questions"]}
    assert texts["TIP-5-1"] == "Has your country done it?"


def test_an_invalid_file_in_a_batch_means_none_is_saved(db: Session, tmp_path: Path) -> None:
    broken = copy_bank(BANKS_DIR / "TIP" / "II" / "v1.yaml", tmp_path)
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2"),
        encoding="utf-8",
    )

    with pytest.raises(BankLoadError) as raised:
        load_banks(db, [TIP_I_V1, TIP_I_V2, broken])

    [problem] = raised.value.problems
    assert (problem.path, problem.field) == (str(broken), "schema_version")
    assert problem.message.startswith("unknown schema_version 2")
    assert row_count(db) == 0


def test_diff_of_tip_cluster_i_v1_to_v2() -> None:
    old, new = validate_file(TIP_I_V1).bank, validate_file(TIP_I_V2).bank
    assert old is not None and new is not None

    diff = diff_banks(old, new)

    follow_ups = ("", "-cite", "-links", "-explain")
    assert diff.added == [f"TIP-3-{n}{suffix}" for n in (6, 7) for suffix in follow_ups]
    assert diff.removed == [f"TIP-3-1{suffix}" for suffix in follow_ups] + ["TIP-3-3-examples"]
    assert diff.reworded == {"TIP-3-5": ["en", "fr"]}
    assert diff.retyped == {}
    assert diff.reoptioned == {}
    assert diff.replaces == {
        f"TIP-3-{n}{suffix}": [f"TIP-3-1{suffix}"] for n in (6, 7) for suffix in follow_ups
    }
    assert not diff.is_empty
    assert diff.lines() == [
        "added: TIP-3-6",
        "added: TIP-3-6-cite",
        "added: TIP-3-6-links",
        "added: TIP-3-6-explain",
        "added: TIP-3-7",
        "added: TIP-3-7-cite",
        "added: TIP-3-7-links",
        "added: TIP-3-7-explain",
        "removed: TIP-3-1 (replaced by TIP-3-6, TIP-3-7)",
        "removed: TIP-3-1-cite (replaced by TIP-3-6-cite, TIP-3-7-cite)",
        "removed: TIP-3-1-links (replaced by TIP-3-6-links, TIP-3-7-links)",
        "removed: TIP-3-1-explain (replaced by TIP-3-6-explain, TIP-3-7-explain)",
        "removed: TIP-3-3-examples",
        "reworded: TIP-3-5 [en, fr]",
        "replaces: TIP-3-6 <- TIP-3-1",
        "replaces: TIP-3-6-cite <- TIP-3-1-cite",
        "replaces: TIP-3-6-links <- TIP-3-1-links",
        "replaces: TIP-3-6-explain <- TIP-3-1-explain",
        "replaces: TIP-3-7 <- TIP-3-1",
        "replaces: TIP-3-7-cite <- TIP-3-1-cite",
        "replaces: TIP-3-7-links <- TIP-3-1-links",
        "replaces: TIP-3-7-explain <- TIP-3-1-explain",
    ]


def test_diff_of_a_version_with_itself_is_empty() -> None:
    bank = validate_file(TIP_I_V1).bank
    assert bank is not None

    diff = diff_banks(bank, bank)

    assert diff.is_empty
    assert diff.lines() == []
