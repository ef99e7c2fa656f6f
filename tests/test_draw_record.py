"""The record of a drawing of lots: a seed nobody chooses, one draw per phase whatever the
requests do at once, a preview and a dry run that store nothing, the setting for entities in
no regional group, and the groups of States drawn by lot."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.reviews import services
from questionnaire.reviews.draw import (
    NO_GROUP_EXCLUDED,
    NO_GROUP_OTHER_ONLY,
    PROCEDURE_VERSION,
    SERVER_SEED_SOURCE,
    Party,
    draw_lots,
)
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewPhase,
    StateGroupDraw,
)
from tests.conftest import login

STATES = ["GHA", "NGA", "FRA", "MEX", "CHN", "PAK", "BTN", "EUU"]
Banks = dict[tuple[str, str, int], BankVersion]


@pytest.fixture
def signed_in(client: FlaskClient, secretariat: User) -> FlaskClient:
    login(client, secretariat)
    return client


def open_phase(
    db: Session, user: User, states: list[str] | None = None, **options: object
) -> ReviewPhase:
    phase = services.create_phase(
        db,
        name="Cluster I, group 1",
        cluster="I",
        state_codes=list(states or STATES),
        started_on=date(2025, 8, 31),
        max_reviews_per_state=3,
        user=user,
        **options,  # type: ignore[arg-type]
    )
    db.commit()
    return phase


def count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def active_seats(db: Session, phase: ReviewPhase) -> list[ReviewAssignment]:
    return list(
        db.exec(
            select(ReviewAssignment)
            .join(Review, col(Review.id) == ReviewAssignment.review_id)
            .where(Review.phase_id == phase.id, col(ReviewAssignment.is_active))
        )
    )


def page_text(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


# --- The seed -------------------------------------------------------------------------------------


def test_the_page_draws_with_a_server_seed_and_ignores_a_typed_one(
    db: Session, shipped_banks: Banks, secretariat: User, signed_in: FlaskClient
) -> None:
    phase = open_phase(db, secretariat)
    response = signed_in.post(
        f"/phases/{phase.id}/draw", data={"seed": "chosen-by-a-person"}, follow_redirects=True
    )
    draw = db.exec(select(ReviewDraw)).one()
    assert draw.seed != "chosen-by-a-person"
    assert re.fullmatch(r"[0-9a-f]{32}", draw.seed)
    assert draw.seed_source == SERVER_SEED_SOURCE
    assert draw.procedure_version == PROCEDURE_VERSION
    page = page_text(response)
    assert f"The lots have been drawn (seed {draw.seed})." in page
    assert f"Seed: {SERVER_SEED_SOURCE}." in page
    assert f"Procedure: {PROCEDURE_VERSION}." in page
    assert 'name="seed"' not in page  # the form no longer offers one
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "phase.draw")).one()
    assert entry.after["seed"] == draw.seed
    assert entry.after["seed_source"] == SERVER_SEED_SOURCE


def test_two_draws_of_the_same_inputs_get_different_server_seeds(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    first = services.draw_phase(db, open_phase(db, secretariat), secretariat)
    second = services.draw_phase(db, open_phase(db, secretariat), secretariat)
    assert first.seed != second.seed
    assert first.seed_source == second.seed_source == SERVER_SEED_SOURCE


# --- One draw per phase ---------------------------------------------------------------------------


def test_a_second_draw_through_the_page_is_refused_and_changes_nothing(
    db: Session, shipped_banks: Banks, secretariat: User, signed_in: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA", "MEX", "NGA"])
    signed_in.post(f"/phases/{phase.id}/draw")
    seats = sorted((a.id, a.reviewing_state) for a in active_seats(db, phase))
    response = signed_in.post(f"/phases/{phase.id}/draw", follow_redirects=True)
    assert response.status_code == 200
    assert "The lots of this phase have been drawn: replace single seats instead." in page_text(
        response
    )
    assert count(db, ReviewDraw) == 1
    assert sorted((a.id, a.reviewing_state) for a in active_seats(db, phase)) == seats
    per_review: dict[int, list[str]] = {}
    for assignment in active_seats(db, phase):
        per_review.setdefault(assignment.review_id, []).append(assignment.seat)
    assert all(sorted(s) == ["other_region", "same_region"] for s in per_review.values())


def test_the_database_keeps_one_active_state_per_review_and_seat(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    draw = services.draw_phase(db, phase, secretariat)
    db.commit()
    seat = active_seats(db, phase)[0]
    db.add(
        ReviewAssignment(
            review_id=seat.review_id,
            reviewing_state="MEX",
            seat=seat.seat,
            draw_id=draw.id,  # type: ignore[arg-type]
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    # An ended seat does not count: the replacement takes the same review and seat.
    assert services.replace_reviewer(db, seat, secretariat, "Declined").kind == "replacement"
    db.commit()


# --- Preview and dry run --------------------------------------------------------------------------


def test_the_preview_shows_the_seats_and_stores_nothing(
    db: Session, shipped_banks: Banks, secretariat: User, signed_in: FlaskClient
) -> None:
    phase = open_phase(db, secretariat)
    audit = count(db, AuditEntry)
    dashboard = page_text(signed_in.get(f"/dashboard?phase={phase.id}"))
    assert f'href="/phases/{phase.id}/draw/preview"' in dashboard
    response = signed_in.get(f"/phases/{phase.id}/draw/preview?seed=look")
    assert response.status_code == 200
    page = page_text(response)
    assert "Nothing has been stored." in page
    expected = services.draw_lots_of_phase(db, phase, "look").outcome.seats
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>([A-Z]+)</td>", page)
    assert len(rows) == len(expected) > 0
    assert "<code>look</code> (given for this preview (nothing stored))" in page
    assert count(db, ReviewDraw) == count(db, ReviewAssignment) == 0
    assert count(db, AuditEntry) == audit
    random_page = page_text(signed_in.get(f"/phases/{phase.id}/draw/preview"))
    assert re.search(r"<code>[0-9a-f]{32}</code>", random_page)
    assert count(db, ReviewDraw) == 0


def test_the_dry_run_prints_json_and_stores_nothing(
    app: Flask, db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat)
    result = app.test_cli_runner().invoke(
        cli, ["reviews", "draw", str(phase.id), "--dry-run", "--seed", "s1", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["stored"] is False
    assert (document["seed"], document["seed_source"]) == ("s1", "given on the command line")
    assert document["procedure_version"] == PROCEDURE_VERSION
    assert document["used_mutual_fallback"] is False
    assert document["inputs"]["max_reviews"] == 3
    assert document["inputs"]["no_group_rule"] == "any_group"
    assert document["inputs"]["under_review"]["BTN"] == ["UNTOC"]
    assert set(document["seats"][0]) == {
        "state_under_review",
        "instrument",
        "seat",
        "reviewing_state",
        "is_additional",
    }
    assert count(db, ReviewDraw) == count(db, ReviewAssignment) == 0
    # The same seed draws the same seats; the real draw stores what the dry run showed.
    stored = services.draw_phase(db, phase, secretariat, seed="s1", seed_source="test")
    assert stored.result == document["seats"]


def test_the_command_line_draw_needs_a_secretariat_user_and_takes_no_seed(
    app: Flask, db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    runner = app.test_cli_runner()
    refused = runner.invoke(cli, ["reviews", "draw", str(phase.id), "--seed", "x"])
    assert refused.exit_code == 2 and "a real draw takes no seed" in refused.output
    missing = runner.invoke(cli, ["reviews", "draw", "2147483647", "--dry-run"])
    assert missing.exit_code == 1 and "there is no phase 2147483647" in missing.output
    done = runner.invoke(
        cli, ["reviews", "draw", str(phase.id), "--user", secretariat.email, "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    document = json.loads(done.output)
    assert document["stored"] is True and document["seed_source"] == SERVER_SEED_SOURCE
    db.expire_all()
    assert count(db, ReviewDraw) == 1
    again = runner.invoke(cli, ["reviews", "draw", str(phase.id), "--user", secretariat.email])
    assert again.exit_code == 1 and "have been drawn" in again.output


# --- Entities in no regional group ----------------------------------------------------------------


def test_the_setting_for_entities_in_no_group_is_stored_shown_and_followed(
    db: Session, shipped_banks: Banks, secretariat: User, signed_in: FlaskClient
) -> None:
    response = signed_in.post(
        "/phases/new",
        data={
            "name": "With the European Union",
            "cluster": "I",
            "started_on": "2025-08-31",
            "max_reviews_per_state": "3",
            "states": ["EUU", "FRA", "GHA"],
            "no_group_rule": NO_GROUP_OTHER_ONLY,
        },
    )
    assert response.status_code == 302, page_text(response)
    phase = db.exec(select(ReviewPhase)).one()
    assert phase.no_group_rule == NO_GROUP_OTHER_ONLY
    page = page_text(signed_in.post(f"/phases/{phase.id}/draw", follow_redirects=True))
    assert "Entities in no regional group: Only its other-region seat is drawn" in page
    draw = db.exec(select(ReviewDraw)).one()
    assert draw.inputs["no_group_rule"] == NO_GROUP_OTHER_ONLY
    eu_seats = {s["seat"] for s in draw.result if s["state_under_review"] == "EUU"}
    assert eu_seats == {"other_region"}


def test_an_excluded_entity_is_never_drawn_to_review(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, no_group_rule=NO_GROUP_EXCLUDED)
    reviewers = set()
    for seed in map(str, range(15)):
        lots = services.draw_lots_of_phase(db, phase, seed, "test")
        reviewers |= {seat.reviewing_state for seat in lots.outcome.seats}
        assert {s.seat for s in lots.outcome.seats if s.state_under_review == "EUU"} == {
            "same_region",
            "other_region",
        }
    assert "EUU" not in reviewers
    with pytest.raises(Exception, match="entities in no regional group"):
        open_phase(db, secretariat, no_group_rule="anything")


# --- Groups drawn by lot --------------------------------------------------------------------------


def test_the_groups_are_drawn_recorded_shown_and_open_a_phase(
    db: Session, shipped_banks: Banks, secretariat: User, signed_in: FlaskClient
) -> None:
    page = page_text(signed_in.get("/phases/groups"))
    total = int(re.search(r"(\d+) States are parties to the Convention", page).group(1))  # type: ignore[union-attr]
    wrong = page_text(
        signed_in.post("/phases/groups", data={"sizes": "1, 2", "first_year": "2021"})
    )
    assert f"The sizes add up to 3 States, but {total} States are parties to" in wrong
    bad = page_text(signed_in.post("/phases/groups", data={"sizes": "1, x", "first_year": "2021"}))
    assert "Give the sizes as whole numbers from 1 to 999 separated by commas." in bad
    assert count(db, StateGroupDraw) == 0

    sizes = [total // 3, total // 3, total - 2 * (total // 3)]
    response = signed_in.post(
        "/phases/groups",
        data={"sizes": ", ".join(map(str, sizes)), "first_year": "2021"},
        follow_redirects=True,
    )
    draw = db.exec(select(StateGroupDraw)).one()
    assert draw.seed_source == SERVER_SEED_SOURCE
    assert [len(g["states"]) for g in draw.result] == sizes
    assert [g["starts_in"] for g in draw.result] == [2021, 2022, 2023]
    every = [code for g in draw.result for code in g["states"]]
    assert sorted(every) == sorted(set(every)) == draw.inputs["states"]
    page = page_text(response)
    assert f"The groups have been drawn (seed {draw.seed})." in page
    assert f'href="/phases/new?groups={draw.id}&amp;group=2"' in response.get_data(as_text=True)
    form = page_text(signed_in.get(f"/phases/new?groups={draw.id}&group=2"))
    chosen = set(re.findall(r'name="states" value="([A-Z]{3})" checked>', form))
    assert chosen == set(draw.result[1]["states"])
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "groups.draw")).one()
    assert entry.after["sizes"] == sizes


def test_a_stored_draw_is_drawn_again_from_its_record_as_the_documentation_says(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    """The check given in docs/drawing-of-lots.md, on a real draw with a server seed."""
    review_draw = services.draw_phase(db, open_phase(db, secretariat), secretariat)
    inputs = review_draw.inputs
    parties = [Party(code, group, frozenset(i)) for code, group, i in inputs["parties"]]
    outcome = draw_lots(
        parties,
        inputs["under_review"],
        max_reviews=inputs["max_reviews"],
        seed=review_draw.seed,
        no_group_rule=inputs["no_group_rule"],
    )
    assert [vars(seat) for seat in outcome.seats] == review_draw.result
    assert outcome.used_mutual_fallback == review_draw.used_mutual_fallback
