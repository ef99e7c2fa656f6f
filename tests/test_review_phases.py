"""Review phases through the services: opening them, drawing lots, replacing a reviewing State,
the secretariat's dashboard, and the demo data."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import Session, col, func, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.dashboard.queries import DashboardFilters, DashboardRow, dashboard
from questionnaire.demo import PHASE_NAME, PHASE_SEED_SOURCE, PHASE_STATES, load_demo
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State
from questionnaire.responses.models import Answer
from questionnaire.reviews import services
from questionnaire.reviews.deadlines import Deadlines, add_months
from questionnaire.reviews.draw import NO_GROUP, PROCEDURE_VERSION, DrawImpossible
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewMembership,
    ReviewPhase,
)
from questionnaire.workspace.models import DialogueMessage, ListOfObservations
from tests.conftest import BANKS_DIR, login

CLUSTER_I = ("FIR", "SOM", "TIP", "UNTOC")  # the instruments with a shipped cluster I questionnaire
#: Party to all three, to two (CHN: UNTOC and TIP; PAK: UNTOC and SOM), to UNTOC only, no group.
STATES = ["GHA", "NGA", "FRA", "MEX", "CHN", "PAK", "BTN", "EUU"]
START = date(2025, 8, 31)

Banks = dict[tuple[str, str, int], BankVersion]


def count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def open_phase(
    db: Session,
    user: User,
    states: list[str] | None = None,
    *,
    started_on: date = START,
    cap: int = 3,
    name: str = "Cluster I, group 1",
) -> ReviewPhase:
    phase = services.create_phase(
        db,
        name=name,
        cluster="I",
        state_codes=list(states or STATES),
        started_on=started_on,
        max_reviews_per_state=cap,
        user=user,
    )
    db.commit()
    return phase


def reviews_of(db: Session, phase: ReviewPhase) -> list[tuple[Review, str]]:
    return list(
        db.exec(
            select(Review, BankVersion.instrument)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id)
            .order_by(col(Review.state_code), col(BankVersion.instrument))
        )
    )


def active(db: Session, phase: ReviewPhase) -> list[ReviewAssignment]:
    return services.active_assignments(db, [r.id for r, _ in reviews_of(db, phase)])  # type: ignore[misc]


# --- Opening a phase ------------------------------------------------------------------------------


def test_a_phase_opens_a_review_per_state_and_instrument_it_is_party_to(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat)

    expected = {
        (code, instrument)
        for code in STATES
        for instrument in CLUSTER_I
        if instrument in db.get(State, code).parties  # type: ignore[union-attr]
    }
    found = reviews_of(db, phase)
    assert {(review.state_code, instrument) for review, instrument in found} == expected
    assert len(found) == len(expected) == 4 + 4 + 4 + 4 + 2 + 2 + 1 + 4
    for review, instrument in found:
        version = db.get(BankVersion, review.bank_version_id)
        assert version is not None
        assert (version.cluster, version.status) == ("I", "published")
        assert version.version == max(v for i, c, v in shipped_banks if (i, c) == (instrument, "I"))
        assert review.status == "answering"
        assert review.started_on == START
        assert review.answers_due_on == date(2026, 2, 28)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "phase.create")).one()
    assert entry.object_id == str(phase.id)
    assert entry.after["states"] == STATES


@pytest.mark.parametrize(
    ("started_on", "due_on"),
    [
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2025, 1, 15), date(2025, 7, 15)),
        (date(2025, 12, 31), date(2026, 6, 30)),
        (date(2025, 7, 31), date(2026, 1, 31)),
    ],
)
def test_answers_are_due_six_months_after_the_start(
    db: Session, shipped_banks: Banks, secretariat: User, started_on: date, due_on: date
) -> None:
    phase = open_phase(db, secretariat, ["GHA"], started_on=started_on)
    assert {review.answers_due_on for review, _ in reviews_of(db, phase)} == {due_on}
    assert add_months(started_on, 6) == due_on


def test_the_configured_durations_decide_the_deadlines(
    db: Session,
    shipped_banks: Banks,
    secretariat: User,
    service_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(service_app.config, "REVIEW_DEADLINES", {"answers_months": 3})
    assert Deadlines.configured() == Deadlines(answers_months=3)
    phase = open_phase(db, secretariat, ["GHA"])
    assert {review.answers_due_on for review, _ in reviews_of(db, phase)} == {date(2025, 11, 30)}

    explicit = services.create_phase(
        db,
        name="Given durations",
        cluster="I",
        state_codes=["NGA"],
        started_on=START,
        max_reviews_per_state=3,
        user=secretariat,
        deadlines=Deadlines(answers_months=9),
    )
    assert {review.answers_due_on for review, _ in reviews_of(db, explicit)} == {date(2026, 5, 31)}


@pytest.mark.parametrize(
    ("states", "cluster", "message"),
    [
        ([], "I", "Choose the States under review"),
        (["GHA", "XXX"], "I", "XXX is not a known State"),
        (["GHA", "IRN"], "I", "party to no instrument with a cluster I questionnaire"),
        (["GHA"], "III", "No questionnaire of cluster III is published"),
    ],
)
def test_a_phase_that_cannot_open_saves_nothing(
    db: Session,
    shipped_banks: Banks,
    secretariat: User,
    states: list[str],
    cluster: str,
    message: str,
) -> None:
    with pytest.raises(RuleViolation, match=message):
        services.create_phase(
            db,
            name="Refused",
            cluster=cluster,
            state_codes=states,
            started_on=START,
            max_reviews_per_state=3,
            user=secretariat,
        )
    assert count(db, ReviewPhase) == count(db, Review) == 0
    assert not db.exec(select(AuditEntry).where(AuditEntry.action == "phase.create")).all()


# --- Drawing lots ---------------------------------------------------------------------------------


def test_a_draw_stores_seed_inputs_and_result_and_seats_every_review(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat)
    draw = services.draw_phase(db, phase, secretariat, seed="seed-1")
    db.commit()

    stored = db.exec(select(ReviewDraw)).one()
    assert (stored.id, stored.kind, stored.seed, stored.phase_id) == (
        draw.id,
        "draw",
        "seed-1",
        phase.id,
    )
    assert stored.inputs["max_reviews"] == 3
    assert stored.inputs["under_review"]["CHN"] == ["TIP", "UNTOC"]
    assert stored.inputs["under_review"]["BTN"] == ["UNTOC"]
    assert len(stored.inputs["parties"]) == count(db, State)
    groups = {code: group for code, group, _ in stored.inputs["parties"]}
    parties = {code: set(instruments) for code, _, instruments in stored.inputs["parties"]}

    assignments = active(db, phase)
    assert len(assignments) == len(stored.result)
    assert {a.draw_id for a in assignments} == {draw.id}
    by_review: dict[int, list[ReviewAssignment]] = {}
    for assignment in assignments:
        by_review.setdefault(assignment.review_id, []).append(assignment)
    load: dict[str, set[str]] = {}
    for review, instrument in reviews_of(db, phase):
        seats = by_review[review.id]  # type: ignore[index]
        assert sorted(a.seat for a in seats) == ["other_region", "same_region"]
        own = groups[review.state_code]
        for seat in seats:
            assert seat.reviewing_state != review.state_code
            assert instrument in parties[seat.reviewing_state]
            if own != NO_GROUP:
                assert (groups[seat.reviewing_state] == own) == (seat.seat == "same_region")
            load.setdefault(seat.reviewing_state, set()).add(review.state_code)
    assert max(len(states) for states in load.values()) <= 3
    assert stored.seed_source == "fixed by the caller, not random"
    assert stored.procedure_version == PROCEDURE_VERSION
    assert stored.used_mutual_fallback is False
    assert stored.inputs["no_group_rule"] == "any_group"
    assert stored.inputs["eligible_states"] == sorted(c for c, p in parties.items() if p)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "phase.draw")).one()
    assert entry.after == {
        "seed": "seed-1",
        "seed_source": "fixed by the caller, not random",
        "procedure_version": PROCEDURE_VERSION,
        "used_mutual_fallback": False,
        "no_group_rule": "any_group",
        "seats": len(stored.result),
    }


def test_the_same_seed_on_the_same_phase_draws_the_same_lots(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    first = open_phase(db, secretariat, name="First")
    second = open_phase(db, secretariat, name="Second")
    one = services.draw_phase(db, first, secretariat, seed="same")
    other = services.draw_phase(db, second, secretariat, seed="same")
    assert one.inputs == other.inputs
    assert one.result == other.result

    def seats(phase: ReviewPhase) -> list[tuple[str, str, str, str, bool]]:
        instruments = {r.id: i for r, i in reviews_of(db, phase)}
        states = {r.id: r.state_code for r, _ in reviews_of(db, phase)}
        return sorted(
            (
                states[a.review_id],
                instruments[a.review_id],
                a.seat,
                a.reviewing_state,
                a.is_additional,
            )
            for a in active(db, phase)
        )

    assert seats(first) == seats(second)


def test_the_lots_of_a_phase_are_drawn_once(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    services.draw_phase(db, phase, secretariat, seed="once")
    db.commit()
    with pytest.raises(RuleViolation, match="have been drawn"):
        services.draw_phase(db, phase, secretariat, seed="twice")
    assert count(db, ReviewDraw) == 1


def test_an_impossible_draw_names_the_state_and_saves_nothing(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    # The service takes the cap as given (the form asks for 1 to 20): with 0, no State can
    # review any other one.
    phase = open_phase(db, secretariat, ["GHA", "FRA"], cap=0)
    with pytest.raises(DrawImpossible) as raised:
        services.draw_phase(db, phase, secretariat, seed="never")
    assert raised.value.state in ("GHA", "FRA")
    assert str(raised.value).startswith(raised.value.state)
    assert "cap" in raised.value.reason
    assert count(db, ReviewDraw) == count(db, ReviewAssignment) == 0
    assert not db.exec(select(AuditEntry).where(AuditEntry.action == "phase.draw")).all()


def test_an_impossible_draw_is_explained_in_the_readers_language(
    app: Flask, db: Session, shipped_banks: Banks, make_user: Callable[..., User]
) -> None:
    french = make_user(None, secretariat=True, locale="fr")
    phase = open_phase(db, french, ["GHA", "FRA"], cap=0)
    client = app.test_client()
    login(client, french)
    response = client.post(
        f"/phases/{phase.id}/draw", data={"seed": "never"}, follow_redirects=True
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Nothing was saved" not in page
    assert re.search(
        r"(GHA|FRA), siège (de la même région|d'une autre région) pour [A-Z]+ : chaque État", page
    ), page
    assert "(le plafond de la phase)" in page
    assert count(db, ReviewDraw) == 0


# --- Replacing a reviewing State ------------------------------------------------------------------


def test_a_replacement_redraws_one_seat_of_one_state_under_review(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, [*STATES, "KEN"], cap=2)
    services.draw_phase(db, phase, secretariat, seed="replace")
    db.commit()
    reviews = reviews_of(db, phase)
    state_of = {r.id: r.state_code for r, _ in reviews}
    instrument_of = {r.id: i for r, i in reviews}
    ghana = [a for a in active(db, phase) if state_of[a.review_id] == "GHA"]
    declining = next(a for a in ghana if a.seat == "same_region" and not a.is_additional)
    who = declining.reviewing_state
    # The declining State also reviews Nigeria or Kenya, on the same kind of seat: that stays.
    elsewhere = next(code for code in ("NGA", "KEN") if code != who)
    for assignment in active(db, phase):
        if state_of[assignment.review_id] == elsewhere and assignment.seat == "same_region":
            assignment.reviewing_state = who
            db.add(assignment)
    db.commit()
    before = {a.id for a in active(db, phase)}
    declined = {a.id for a in ghana if (a.reviewing_state, a.seat) == (who, "same_region")}

    draw = services.replace_reviewer(db, declining, secretariat, "  Declined by note verbale.  ")
    db.commit()

    assert (draw.kind, draw.reason) == ("replacement", "Declined by note verbale.")
    assert draw.inputs["replaced"] == who
    assert draw.inputs["state_under_review"] == "GHA"
    after = active(db, phase)
    new = [a for a in after if a.id not in before]
    assert {a.id for a in after} - {a.id for a in new} == before - declined
    for old_id in declined:
        old = db.get(ReviewAssignment, old_id)
        assert old is not None and not old.is_active
        assert old.ended_at is not None
        assert old.end_reason == "Declined by note verbale."
    assert {a.draw_id for a in new} == {draw.id}
    assert len(new) == len(draw.result)
    assert {(state_of[a.review_id], a.seat) for a in new} == {("GHA", "same_region")}
    assert sorted(instrument_of[a.review_id] for a in new) == sorted(
        instrument_of[db.get(ReviewAssignment, i).review_id]  # type: ignore[union-attr]
        for i in declined
    )
    other_seat = {
        a.reviewing_state
        for a in after
        if state_of[a.review_id] == "GHA" and a.seat == "other_region"
    }
    for assignment in new:
        reviewing = db.get(State, assignment.reviewing_state)
        assert reviewing is not None
        assert assignment.reviewing_state not in {who, "GHA", *other_seat}
        assert reviewing.regional_group == "african"
        assert instrument_of[assignment.review_id] in reviewing.parties
    load = Counter(code for code, _ in {(a.reviewing_state, state_of[a.review_id]) for a in after})
    assert max(load.values()) <= 2
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "assignment.replace")).one()
    assert entry.reason == "Declined by note verbale."
    assert entry.object_id == str(declining.id)
    assert entry.before == {"reviewing_state": who}

    with pytest.raises(RuleViolation, match="already been replaced"):
        services.replace_reviewer(db, declining, secretariat, "Again")


def test_a_replacement_needs_a_reason(db: Session, shipped_banks: Banks, secretariat: User) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    services.draw_phase(db, phase, secretariat, seed="reason")
    db.commit()
    assignment = active(db, phase)[0]
    with pytest.raises(RuleViolation, match="reason"):
        services.replace_reviewer(db, assignment, secretariat, "   ")
    assert assignment.is_active
    assert count(db, ReviewDraw) == 1
    assert not db.exec(select(AuditEntry).where(AuditEntry.action == "assignment.replace")).all()


def test_a_state_that_declined_is_not_drawn_again_for_the_same_state(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    """Poland's same-region seat is declined by one Eastern European State after another:
    each is drawn at most once, and once every State of the group party to all of Poland's
    instruments and not holding another of its seats has declined, the seat is impossible."""
    phase = open_phase(db, secretariat, ["POL"], cap=1)
    services.draw_phase(db, phase, secretariat, seed="decline")
    db.commit()
    untoc = next(r.id for r, instrument in reviews_of(db, phase) if instrument == "UNTOC")
    eastern = {
        s.code: s.parties
        for s in db.exec(select(State).where(State.regional_group == "eastern_european"))
        if s.code != "POL"
    }
    party_to_all = {code for code, parties in eastern.items() if set(CLUSTER_I) <= set(parties)}
    declined: list[str] = []
    with pytest.raises(DrawImpossible) as raised:
        for turn in range(len(eastern)):
            seat = next(
                a for a in active(db, phase) if a.seat == "same_region" and a.review_id == untoc
            )
            assert seat.reviewing_state not in declined
            declined.append(seat.reviewing_state)
            draw = services.replace_reviewer(db, seat, secretariat, "Declined", seed=str(turn))
            assert set(draw.inputs["excluded"]) == set(declined)
            db.commit()
    # An additional reviewer drawn for one instrument holds its seat: it is drawn already.
    holding = {a.reviewing_state for a in active(db, phase) if a.seat == "same_region"}
    assert party_to_all - holding <= set(declined) <= set(eastern)
    assert (raised.value.state, raised.value.seat) == ("POL", "same_region")
    assert "drawn already" in raised.value.reason
    assert count(db, ReviewDraw) == len(declined)


def test_the_replacement_of_an_additional_reviewer_is_an_additional_reviewer(
    db: Session, shipped_banks: Banks, secretariat: User
) -> None:
    phase = open_phase(db, secretariat, ["GHA"])
    services.draw_phase(db, phase, secretariat, seed="additional")
    db.commit()
    instrument_of = {r.id: i for r, i in reviews_of(db, phase)}
    same = [a for a in active(db, phase) if a.seat == "same_region"]
    # Make the SOM seat an additional reviewer's, as if the primary were not party to SOM.
    extra = next(a for a in same if instrument_of[a.review_id] == "SOM")
    substitute = next(
        s.code
        for s in db.exec(select(State).where(State.regional_group == "african"))
        if "SOM" in s.parties
        and s.code not in {"GHA", *(a.reviewing_state for a in active(db, phase))}
    )
    extra.reviewing_state, extra.is_additional = substitute, True
    db.add(extra)
    db.commit()

    draw = services.replace_reviewer(db, extra, secretariat, "Declined")
    db.commit()
    (new,) = [a for a in active(db, phase) if a.draw_id == draw.id]
    assert (instrument_of[new.review_id], new.seat, new.is_additional) == (
        "SOM",
        "same_region",
        True,
    )
    assert [seat["is_additional"] for seat in draw.result] == [True]
    primaries = {a.reviewing_state for a in same if a.id != extra.id}
    assert new.reviewing_state not in primaries | {substitute}


# --- The dashboard --------------------------------------------------------------------------------


def rows(
    db: Session, today: date, deadlines: Deadlines | None = None, **filters: object
) -> list[DashboardRow]:
    return dashboard(db, DashboardFilters(**filters), deadlines or Deadlines(), today)  # type: ignore[arg-type]


def keys(found: list[DashboardRow]) -> set[tuple[str, str]]:
    return {(row.state.code, row.instrument) for row in found}


def test_the_dashboard_filters_by_phase_instrument_region_and_status(
    db: Session, shipped_banks: Banks, secretariat: User, make_user: Callable[..., User]
) -> None:
    first = open_phase(db, secretariat, ["GHA", "FRA", "BTN"], started_on=date(2025, 1, 10))
    second = open_phase(db, secretariat, ["MEX"], started_on=date(2025, 3, 25), name="Second")
    services.draw_phase(db, first, secretariat, seed="dash")
    db.commit()
    reviews = {(r.state_code, i): r for r, i in reviews_of(db, first) + reviews_of(db, second)}
    submitted = reviews[("FRA", "TIP")]
    submitted.status, submitted.submitted_at = "submitted", datetime(2025, 6, 1, 12, tzinfo=UTC)
    db.add(submitted)
    agreed = reviews[("FRA", "SOM")]
    agreed.status, agreed.submitted_at = "submitted", datetime(2025, 6, 2, 12, tzinfo=UTC)
    db.add(agreed)
    db.add(ListOfObservations(review_id=agreed.id, status="agreed"))  # type: ignore[arg-type]
    db.commit()
    today = date(2025, 4, 1)

    everything = rows(db, today)
    assert keys(everything) == set(reviews)
    assert [(r.state.name_en, r.instrument) for r in everything] == sorted(
        (r.state.name_en, r.instrument) for r in everything
    )
    assert keys(rows(db, today, phase_id=second.id)) == {("MEX", i) for i in CLUSTER_I}
    assert keys(rows(db, today, instrument="TIP")) == {
        ("GHA", "TIP"),
        ("FRA", "TIP"),
        ("MEX", "TIP"),
    }
    assert keys(rows(db, today, region="weog")) == {("FRA", i) for i in CLUSTER_I}
    assert keys(rows(db, today, region="weog", instrument="SOM", phase_id=first.id)) == {
        ("FRA", "SOM")
    }
    assert keys(rows(db, today, status="submitted")) == {("FRA", "TIP"), ("FRA", "SOM")}
    assert keys(rows(db, today, status="answering")) == set(reviews) - {
        ("FRA", "TIP"),
        ("FRA", "SOM"),
    }
    assert keys(rows(db, today, status="drafting")) == {("FRA", "TIP")}
    assert keys(rows(db, today, status="agreed")) == {("FRA", "SOM")}
    assert keys(rows(db, today, status="final")) == set()

    by_key = {(r.state.code, r.instrument): r for r in everything}
    assert by_key[("FRA", "SOM")].list_status == "agreed"
    assert by_key[("FRA", "TIP")].list_status == "drafting"
    assert by_key[("GHA", "UNTOC")].list_status == ""
    assert by_key[("GHA", "UNTOC")].phase_name == first.name
    assert len(by_key[("GHA", "UNTOC")].reviewers) == 2
    assert by_key[("MEX", "UNTOC")].reviewers == ()
    # The first phase started 81 days ago and nobody is named yet; the second one 7 days ago.
    assert keys(rows(db, today, status="overdue")) == {k for k in reviews if k[0] != "MEX"}
    assert by_key[("GHA", "TIP")].overdue == ("focal_point", "experts")
    assert by_key[("MEX", "TIP")].overdue == ()
    assert keys(rows(db, date(2025, 4, 9), status="overdue", region="grulac")) == {
        ("MEX", i) for i in CLUSTER_I
    }
    ghana = reviews[("GHA", "TIP")]
    services.add_member(db, ghana, make_user("GHA"), "focal_point")
    db.commit()
    assert rows(db, today, phase_id=first.id, instrument="TIP", region="african")[0].overdue == (
        "experts",
    )


def test_overdue_items_follow_the_deadlines(
    db: Session, shipped_banks: Banks, secretariat: User, make_user: Callable[..., User]
) -> None:
    start = date(2025, 1, 31)
    phase = open_phase(db, secretariat, ["GHA"], started_on=start)
    review = next(r for r, i in reviews_of(db, phase) if i == "TIP")

    def overdue(today: date, deadlines: Deadlines | None = None) -> tuple[str, ...]:
        found = rows(db, today, deadlines, phase_id=phase.id, instrument="TIP")
        assert len(found) == 1
        return found[0].overdue

    assert overdue(start + timedelta(days=14)) == ()
    assert overdue(start + timedelta(days=15)) == ("focal_point",)
    assert overdue(start + timedelta(days=28)) == ("focal_point",)
    assert overdue(start + timedelta(days=29)) == ("focal_point", "experts")
    assert overdue(start + timedelta(days=15), Deadlines(focal_point_days=20)) == ()
    services.add_member(db, review, make_user("GHA"), "focal_point")
    services.add_member(db, review, make_user("GHA"), "expert")
    db.commit()
    assert overdue(start + timedelta(days=29)) == ()
    assert review.answers_due_on == date(2025, 7, 31)
    assert overdue(date(2025, 7, 31)) == ()
    assert overdue(date(2025, 8, 1)) == ("answers",)

    review.status, review.submitted_at = "submitted", datetime(2025, 7, 20, 9, tzinfo=UTC)
    db.add(review)
    db.commit()
    assert overdue(date(2025, 8, 1)) == ()
    assert overdue(date(2026, 1, 20)) == ()
    assert overdue(date(2026, 1, 21)) == ("feedback",)
    reviewer = make_user("NGA")
    db.add(
        DialogueMessage(
            review_id=review.id,  # type: ignore[arg-type]
            section_key="art5",
            kind="request",
            body="Examples of cases, please.",
            author_id=reviewer.id,  # type: ignore[arg-type]
            author_state="NGA",
        )
    )
    db.commit()
    assert overdue(date(2026, 1, 21)) == ()


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_loads_twice_to_the_same_data(db: Session, demo: list[tuple[str, str]]) -> None:
    counts = {
        model: count(db, model)
        for model in (
            Review,
            User,
            ReviewAssignment,
            ReviewMembership,
            ReviewDraw,
            ReviewPhase,
            Answer,
        )
    }
    assert counts[ReviewPhase] == counts[ReviewDraw] == 1
    demo_draw = db.exec(select(ReviewDraw)).one()
    assert demo_draw.seed_source == PHASE_SEED_SOURCE
    assert "fixed by the demo loader" in demo_draw.seed_source
    load_demo(db, BANKS_DIR)
    db.commit()
    assert {model: count(db, model) for model in counts} == counts

    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == PHASE_NAME)).one()
    assert {r.state_code for r, _ in reviews_of(db, phase)} == set(PHASE_STATES)
    ghana_tip = next(r for r, i in reviews_of(db, phase) if (r.state_code, i) == ("GHA", "TIP"))
    carried = db.exec(
        select(Answer).where(Answer.review_id == ghana_tip.id, col(Answer.is_carried_forward))
    ).all()
    assert carried
    version = db.get(BankVersion, ghana_tip.bank_version_id)
    assert version is not None and version.version == 3
