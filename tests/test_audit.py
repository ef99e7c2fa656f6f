"""The audit log: every change recorded once, readable and exportable by the secretariat only."""

from __future__ import annotations

import csv
import io

from questionnaire.audit.services import record
from questionnaire.banks.services import bank_of
from questionnaire.responses import services as responses
from tests.conftest import login


def _saved_answer(db, make_user, make_review, member, shipped_banks):
    review = make_review()
    expert = make_user("GHA")
    member(review, expert, "expert")
    bank = bank_of(shipped_banks[("TIP", "I", 2)])
    responses.save_answers(
        db,
        review,
        bank,
        expert,
        [responses.AnswerChange("TIP-5-1", "yes", False, 0)],
        kind="save",
        language="en",
    )
    db.commit()
    return review, expert


def test_the_secretariat_filters_and_exports_the_log(
    client, db, make_user, make_review, member, shipped_banks
):
    review, expert = _saved_answer(db, make_user, make_review, member, shipped_banks)
    login(client, make_user(None, secretariat=True))

    page = client.get(f"/audit-log/?action=answer.&review={review.id}").get_data(as_text=True)
    assert "answer.save" in page and expert.email in page

    empty = client.get("/audit-log/?action=document.").get_data(as_text=True)
    assert "No entry matches these filters." in empty

    export = client.get(f"/audit-log/export.csv?review={review.id}")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["id", "at", "actor", "action"]
    assert [row[3] for row in rows[1:]] == ["answer.save"]
    assert '"yes"' in rows[1][8]


def test_nobody_else_sees_the_log_and_nothing_can_change_it(
    app, client, db, make_user, make_review, member, shipped_banks
):
    _saved_answer(db, make_user, make_review, member, shipped_banks)
    login(client, make_user("GHA"))
    assert client.get("/audit-log/").status_code == 404
    assert client.get("/audit-log/export.csv").status_code == 404
    rules = app.url_map.iter_rules()
    audit_rules = [rule for rule in rules if rule.endpoint.startswith("audit_log.")]
    assert audit_rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


def test_the_export_escapes_text_a_spreadsheet_would_run_as_a_formula(client, db, make_user):
    secretariat = make_user(None, secretariat=True)
    record(
        db,
        actor=secretariat,
        action="review.reopen",
        object_type="review",
        object_id="-2+3",
        reason='=HYPERLINK("https://attacker.example","Open")',
    )
    db.commit()
    login(client, secretariat)

    export = client.get("/audit-log/export.csv?action=review.reopen")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert row[header.index("reason")] == '\'=HYPERLINK("https://attacker.example","Open")'
    assert row[header.index("object_id")] == "'-2+3"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
