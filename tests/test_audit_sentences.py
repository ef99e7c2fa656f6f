"""The audit log in words, through HTTP: a sentence per kind of action with UN names, the
fields changed before and after, filters chosen from lists, pagination."""

from __future__ import annotations

import html
import re

from questionnaire.audit.services import record
from questionnaire.audit_log.views import PAGE_SIZE
from tests.conftest import login


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def _named(db, user, name):  # type: ignore[no-untyped-def]
    user.full_name = name
    db.add(user)
    db.commit()
    return user


def _log(db, make_user, make_review):  # type: ignore[no-untyped-def]
    ghana = make_review("GHA", ("SOM", "II", 1))
    senegal = make_review("SEN")
    expert = _named(db, make_user("AUS"), "Expert of Australia")
    focal = _named(db, make_user("SEN"), "Awa Diop")
    record(
        db,
        actor=expert,
        action="list.transition",
        object_type="list_of_observations",
        object_id=1,
        review_id=ghana.id,
        before={"status": "drafting"},
        after={"status": "with_state"},
    )
    record(
        db,
        actor=expert,
        action="observation.edit",
        object_type="observation",
        object_id=7,
        review_id=ghana.id,
        before={"category": "gap", "text": "Old text.", "cited_keys": ["SOM-6-1"]},
        after={"category": "gap", "text": "New text.", "cited_keys": []},
    )
    record(
        db,
        actor=focal,
        action="review.submit",
        object_type="review",
        object_id=senegal.id,
        review_id=senegal.id,
        before={"status": "answering"},
        after={"status": "submitted"},
    )
    db.commit()
    return ghana, senegal, expert, focal


def test_the_log_says_each_action_in_a_sentence_with_what_changed(
    client, db, make_user, make_review
) -> None:
    _log(db, make_user, make_review)
    login(client, make_user(None, secretariat=True))
    page = _text(client.get("/audit-log/"))
    # The logins are one click away, not a prefix to type.
    assert "starting with auth." not in page
    assert 'href="/audit-log/?action=auth."' in client.get("/audit-log/").get_data(as_text=True)
    assert "Expert of Australia shared the list of observations of Ghana (SOM) with Ghana." in page
    assert "Expert of Australia changed an observation on the list of Ghana (SOM)." in page
    assert "Awa Diop submitted the answers of Senegal (TIP)." in page
    # Field-level before and after, the unchanged category left out.
    changed = re.search(r"observation\.edit.*?</details>", page, re.S)
    assert changed is not None
    rows = re.findall(
        r'<th scope="row">([^<]*)</th><td class="pre">([^<]*)</td><td class="pre">([^<]*)</td>',
        changed.group(0),
    )
    assert rows == [("Text", "Old text.", "New text."), ("Answers it relies on", "SOM-6-1", "–")]


def test_the_log_is_said_in_french(client, db, make_user, make_review) -> None:
    _log(db, make_user, make_review)
    login(client, make_user(None, secretariat=True, locale="fr"))
    client.post("/language", data={"language": "fr", "next": "/audit-log/"})
    page = _text(client.get("/audit-log/"))
    assert (
        "Expert of Australia a communiqué la liste d’observations de l’examen Ghana (SOM) "
        "à l’État examiné (Ghana)." in page
    )
    assert "Awa Diop a soumis les réponses de l’examen Sénégal (TIP)." in page
    assert "Ce qui a changé" in page and "Type d’action" in page


def test_filters_are_chosen_from_lists_and_the_old_ones_still_work(
    client, db, make_user, make_review
) -> None:
    _ghana, senegal, expert, focal = _log(db, make_user, make_review)
    login(client, make_user(None, secretariat=True))
    page = _text(client.get("/audit-log/"))
    assert f'<option value="{expert.id}">Expert of Australia</option>' in page
    assert '<option value="GHA">Ghana</option>' in page
    assert f'<option value="{senegal.id}">Senegal (TIP)</option>' in page
    assert '<option value="list.">Lists of observations: sharing and agreement</option>' in page

    by_person = _text(client.get(f"/audit-log/?person={focal.id}"))
    assert (
        "Awa Diop submitted" in by_person and "Expert of Australia" not in by_person.split("<ol")[1]
    )
    by_state = _text(client.get("/audit-log/?state=GHA")).split("<ol")[1]
    assert "Expert of Australia shared" in by_state and "Awa Diop" not in by_state
    by_review = _text(client.get(f"/audit-log/?review={senegal.id}")).split("<ol")[1]
    assert "Awa Diop submitted" in by_review and "shared" not in by_review
    by_kind = _text(client.get("/audit-log/?action=list.")).split("<ol")[1]
    assert "shared" in by_kind and "changed an observation" not in by_kind
    by_email = _text(client.get(f"/audit-log/?actor={focal.email}")).split("<ol")[1]
    assert "Awa Diop submitted" in by_email and "Expert of Australia" not in by_email
    # Unknown values match nothing rather than fail.
    assert client.get("/audit-log/?person=abc&state=ZZZ&page=x").status_code == 200


def test_the_log_is_paginated(client, db, make_user) -> None:
    secretariat = _named(db, make_user(None, secretariat=True), "Sofia Secretariat")
    for number in range(PAGE_SIZE + 5):
        record(
            db,
            actor=secretariat,
            action="outbox.retry",
            object_type="outbox_message",
            object_id=number,
        )
    db.commit()
    login(client, secretariat)
    first = _text(client.get("/audit-log/?action=outbox."))
    assert first.count("Sofia Secretariat sent an undelivered e-mail again.") == PAGE_SIZE
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = _text(client.get("/audit-log/?action=outbox.&page=2"))
    assert second.count("Sofia Secretariat sent an undelivered e-mail again.") == 5
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "action=outbox." in second.split('rel="prev"')[0].rsplit("href=", 1)[1]
    # The export is not paginated.
    export = client.get("/audit-log/export.csv?action=outbox.").get_data(as_text=True)
    assert len(export.strip().splitlines()) == PAGE_SIZE + 5 + 1
