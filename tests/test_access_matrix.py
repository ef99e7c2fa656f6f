"""Who may reach every route of the application: one table, one row per call, one column per
actor, for the whole URL map (the table and its scene are in tests/access_matrix.py).

A route added without a row fails `test_every_route_has_a_row`; a row whose route is gone fails
it too. The URLs are built from the rule's arguments, filled from one small scene: Ghana under
review in a drawn phase (its TIP answers submitted, the list of observations with the State;
its SOM answers still being written), a published document and a draft.

Outcomes: "ok" (2xx, or 3xx anywhere but the login page), "login" (3xx to the login page, or
401), else the status: 403 (forbidden), 404 (hidden: the page does not exist for the actor),
405 (method not allowed). Besides the status, a refused call must leave no entry in the
audit log, and no response may carry text that its actor must not read (canary texts planted
in a confidential answer, an unsubmitted answer, an observation and a draft document).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlmodel import Session

from tests.access_matrix import (
    ACTORS,
    ENDS_SESSION,
    EXPECTED,
    audit_count,
    build_scene,
    build_url,
    leaks,
    may_write,
    outcome,
    restore,
    send,
)
from tests.conftest import login


def test_every_route_has_a_row(app: Flask, db: Session, shipped_banks, make_user, member) -> None:
    scene = build_scene(db, make_user, member)
    adapter = app.url_map.bind("localhost")
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    called = set()
    for row in EXPECTED:
        url = build_url(app, scene, row)
        rule, _args = adapter.match(urlsplit(url).path, method=row.method, return_rule=True)
        assert rule.endpoint == row.endpoint, f"{row} reaches {rule.endpoint}"
        called.add((rule.rule, row.method))
    assert sorted(routes - called) == [], "routes without a row in EXPECTED_TABLE"
    assert sorted(called - routes) == [], "rows of routes that no longer exist"


@pytest.mark.parametrize("actor", ACTORS)
def test_the_access_matrix(
    app: Flask, db: Session, shipped_banks, make_user, member, actor: str
) -> None:
    scene = build_scene(db, make_user, member)
    client = app.test_client()
    if actor != "anon":
        login(client, scene.people[actor])
    rows = sorted(EXPECTED, key=lambda row: row.endpoint in ENDS_SESSION)
    wrong = []
    moved = True  # logging in wrote
    for row in rows:
        expected = EXPECTED[row][actor]
        if moved:  # the last call may have moved the scene on; a GET that only reads did not
            restore(db, scene)
        refused = expected != "ok"
        before = audit_count(db) if refused else None  # compared with the count after a refusal
        response = send(client, db, app, scene, row, actor)
        moved = may_write(app, row)
        got = outcome(response)
        if found := leaks(response, actor):
            wrong.append(f"{row}: shows {', '.join(found)}")
        if got != expected:
            wrong.append(f"{row}: {got} ({response.status_code}), expected {expected}")
        elif refused and audit_count(db) != before:
            wrong.append(f"{row}: refused, but an audit entry was written")
    assert not wrong, f"{actor}:\n" + "\n".join(wrong)
