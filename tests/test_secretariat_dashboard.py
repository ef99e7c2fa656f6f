"""The secretariat's dashboard and the page of a phase, through HTTP: totals per status, search
by State in the reader's language, sorting, pages, flags only where something is overdue, the
deadlines, the record of the draw and who is named in each review."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.dashboard.nominations_due import DueNomination, by_names
from questionnaire.dashboard.pages import page_links
from questionnaire.reference.models import State
from questionnaire.reviews import services
from questionnaire.reviews.models import Review, ReviewDraw, ReviewPhase
from questionnaire.workspace.models import ListOfObservations
from tests.conftest import login

STATES = ["GHA", "NGA", "FRA", "MEX", "CIV", "DEU", "BTN", "PAK"]
START = date(2025, 8, 31)


def open_phase(
    db: Session,
    user: User,
    states: list[str],
    *,
    started_on: date = START,
    name: str = "Cluster I, group 1",
    draw: bool = True,
) -> ReviewPhase:
    phase = services.create_phase(
        db,
        name=name,
        cluster="I",
        state_codes=states,
        started_on=started_on,
        max_reviews_per_state=3,
        user=user,
    )
    if draw:
        services.draw_phase(db, phase, user, seed="dashboard")
    db.commit()
    return phase


def reviews_of(db: Session, phase: ReviewPhase) -> dict[tuple[str, str], Review]:
    return {
        (review.state_code, instrument): review
        for review, instrument in db.exec(
            select(Review, BankVersion.instrument)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id)
        )
    }


def submit(db: Session, review: Review, list_status: str | None = None) -> None:
    review.status, review.submitted_at = "submitted", datetime(2025, 10, 1, 9, tzinfo=UTC)
    db.add(review)
    if list_status:
        db.add(ListOfObservations(review_id=review.id, status=list_status))  # type: ignore[arg-type]
    db.commit()


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def totals(text: str) -> dict[str, int]:
    """The totals at the top of the page: label -> number."""
    found = re.findall(
        r'class="totals__number">(\d+)</span> <span class="totals__label">([^<]+)</span>', text
    )
    return {label: int(number) for number, label in found}


def listed_states(text: str) -> list[str]:
    """The States under review listed in the table, in order."""
    return re.findall(r'<th scope="rowgroup"[^>]*><strong>([^<]+)</strong>', text)


def instruments_listed(text: str) -> list[str]:
    return re.findall(r'<td><a href="/reviews/\d+/">([A-Z]+)<span', text)


def test_totals_per_status_count_what_the_filters_keep(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA", "MEX"])
    reviews = reviews_of(db, phase)
    submit(db, reviews[("FRA", "TIP")])
    submit(db, reviews[("FRA", "SOM")], "agreed")
    submit(db, reviews[("GHA", "TIP")], "with_state")
    login(client, secretariat)

    text = page(client, "/dashboard")
    assert totals(text) == {
        "answering": len(reviews) - 3,
        "submitted": 3,
        "lists being drafted": 1,
        "lists with the State": 1,
        "lists agreed": 1,
        "lists final": 0,
        # The phase started long ago and nobody is named: every review has a step overdue.
        "with a step overdue": len(reviews),
    }
    # Each total links to the dashboard filtered on it, keeping the other filters.
    assert f'href="/dashboard?phase={phase.id}&amp;status=agreed"' in client.get(
        f"/dashboard?phase={phase.id}"
    ).get_data(as_text=True)
    agreed = page(client, "/dashboard?status=agreed")
    assert listed_states(agreed) == ["France"] and instruments_listed(agreed) == ["SOM"]
    # A filter by region narrows the totals too; the status filter does not.
    weog = totals(page(client, "/dashboard?region=weog&status=answering"))
    assert weog["submitted"] == 2 and weog["lists agreed"] == 1
    assert weog["answering"] == len([k for k in reviews if k[0] == "FRA"]) - 2


def test_search_by_state_in_the_readers_language_ignores_accents_and_case(
    db: Session, shipped_banks: object, make_user: Callable[..., User], client: FlaskClient
) -> None:
    secretariat = make_user(None, secretariat=True)
    open_phase(db, secretariat, ["CIV", "DEU", "GHA"], draw=False)
    login(client, secretariat)
    assert set(listed_states(page(client, "/dashboard?q=COTE"))) == {"Côte d’Ivoire"}
    assert listed_states(page(client, "/dashboard?q=germ")) == ["Germany"]
    assert listed_states(page(client, "/dashboard?q=allemagne")) == []
    empty = page(client, "/dashboard?q=atlantis")
    assert "No review matches these filters." in empty
    assert 'value="atlantis"' in empty

    client.post("/logout")
    login(client, make_user(None, secretariat=True, locale="fr"))
    assert listed_states(page(client, "/dashboard?q=allemagne")) == ["Allemagne"]
    assert listed_states(page(client, "/dashboard?q=germany")) == []


def test_sorting_by_state_instrument_status_and_due_date(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    first = open_phase(db, secretariat, ["GHA", "FRA"], draw=False)
    later = open_phase(
        db, secretariat, ["MEX"], started_on=date(2025, 10, 1), name="Second", draw=False
    )
    submit(db, reviews_of(db, first)[("GHA", "TIP")])
    login(client, secretariat)

    by_state = page(client, "/dashboard")
    assert listed_states(by_state) == ["France", "Ghana", "Mexico"]
    by_instrument = instruments_listed(page(client, "/dashboard?sort=instrument"))
    assert by_instrument == sorted(by_instrument)
    by_status = page(client, "/dashboard?sort=status")
    assert listed_states(by_status)[-1] == "Ghana"  # answering first, then submitted
    assert instruments_listed(by_status)[-1] == "TIP"
    by_due = page(client, "/dashboard?sort=due")
    assert listed_states(by_due)[-1] == "Mexico"
    assert len(reviews_of(db, later)) == by_due.count("1 April 2026")
    # An unknown sort falls back to the State's name.
    assert listed_states(page(client, "/dashboard?sort=nonsense")) == listed_states(by_state)


def test_the_reviews_come_in_pages_of_at_most_25_never_splitting_a_state(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, STATES, draw=False)
    count = len(reviews_of(db, phase))
    assert count > 25
    login(client, secretariat)
    first = page(client, "/dashboard")
    assert f"{count} reviews" in first and "page 1 of 2" in first
    assert 'href="/dashboard?page=2"' in first and 'rel="next"' in first
    second = page(client, "/dashboard?page=2&sort=state")
    on_first, on_second = instruments_listed(first), instruments_listed(second)
    assert 20 < len(on_first) <= 25 and len(on_first) + len(on_second) == count
    assert not set(listed_states(first)) & set(listed_states(second))
    assert listed_states(first) + listed_states(second) == sorted(
        listed_states(first) + listed_states(second)
    )
    assert 'href="/dashboard?page=1&amp;sort=state"' in client.get(
        "/dashboard?page=2&sort=state"
    ).get_data(as_text=True)
    # Out of range and nonsense pages show the nearest page, not an error.
    assert "page 2 of 2" in page(client, "/dashboard?page=99")
    assert "page 1 of 2" in page(client, "/dashboard?page=-3")
    assert "page 1 of 2" in page(client, "/dashboard?page=abc")


def test_many_pages_link_the_first_the_last_and_those_beside_the_current_one() -> None:
    # The GOV.UK pattern: 36 pages of the mechanism's reviews do not make 36 links.
    assert page_links(1, 1) == [1]
    assert page_links(1, 36) == [1, 2, None, 36]
    assert page_links(5, 36) == [1, None, 4, 5, 6, None, 36]
    assert page_links(36, 36) == [1, None, 35, 36]
    # A gap of a single page shows that page rather than an ellipsis standing for it.
    assert page_links(4, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert page_links(3, 36) == [1, 2, 3, 4, None, 36]


def test_overdue_nominations_of_a_day_come_by_the_names_of_the_states_in_the_readers_language() -> (
    None
):
    def due(under_review: str) -> DueNomination:
        return DueNomination(
            under_review,
            "under_review",
            "experts",
            under_review,
            1,
            (1,),
            ("TIP",),
            date(2026, 1, 1),
        )

    states = {
        code: State(code=code, iso2=code[:2], regional_group="WEOG", name_en=name)
        for code, name in (("ESP", "Spain"), ("FRA", "France"), ("DEU", "Germany"))
    }
    items = [due("DEU"), due("ESP"), due("FRA")]  # by code
    assert [i.state_code for i in by_names(items, states, "en")] == ["FRA", "DEU", "ESP"]
    # Espagne, France, Allemagne: in French, Allemagne comes first and Espagne before France.
    assert [i.state_code for i in by_names(items, states, "fr")] == ["DEU", "ESP", "FRA"]
    # An earlier deadline still comes first, whatever the name.
    late = DueNomination(
        "DEU", "under_review", "focal_point", "DEU", 1, (1,), ("TIP",), date(2025, 1, 1)
    )
    assert by_names([*items, late], states, "en")[0] is late


def test_flags_appear_once_per_state_and_only_where_a_step_is_overdue(
    db: Session,
    shipped_banks: object,
    secretariat: User,
    client: FlaskClient,
    make_user: Callable[..., User],
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    reviews = reviews_of(db, phase)
    for (code, _instrument), review in reviews.items():
        if code == "FRA":
            services.add_member(db, review, make_user("FRA"), "focal_point")
            services.add_member(db, review, make_user("FRA"), "expert")
    db.commit()
    login(client, secretariat)
    text = page(client, f"/dashboard?phase={phase.id}")
    assert text.count("focal point not named") == 1
    assert text.count("experts not named") == 1
    france = text[text.index("<strong>France</strong>") : text.index("<strong>Ghana</strong>")]
    assert "not named" not in france
    # A phase that has not started long ago has nothing overdue.
    fresh = open_phase(db, secretariat, ["MEX"], started_on=date.today(), name="Fresh")
    assert "not named" not in page(client, f"/dashboard?phase={fresh.id}")


def test_each_submitted_review_links_to_its_list_of_observations(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, ["GHA"])
    reviews = reviews_of(db, phase)
    submit(db, reviews[("GHA", "TIP")], "with_state")
    login(client, secretariat)
    raw = client.get("/dashboard").get_data(as_text=True)
    assert raw.count("/workspace") == 1
    assert f'href="/reviews/{reviews[("GHA", "TIP")].id}/workspace/"' in raw
    assert "List: with the State" in html.unescape(raw)


def test_the_page_of_a_phase_shows_deadlines_draw_and_who_is_named(
    db: Session,
    shipped_banks: object,
    secretariat: User,
    client: FlaskClient,
    make_user: Callable[..., User],
) -> None:
    phase = open_phase(db, secretariat, ["GHA", "FRA"])
    reviews = reviews_of(db, phase)
    tip = reviews[("GHA", "TIP")]
    focal, seat = make_user("GHA"), services.active_assignments(db, [tip.id])[0]  # type: ignore[list-item]
    reviewer = make_user(seat.reviewing_state)
    focal.full_name, reviewer.full_name = "Ama Owusu", "Rui Reviewer"
    db.add_all([focal, reviewer])
    services.add_member(db, tip, focal, "focal_point")
    services.add_member(db, tip, reviewer, "reviewer")
    db.commit()
    login(client, secretariat)
    audit = db.exec(select(AuditEntry)).all()

    text = page(client, f"/phases/{phase.id}")
    assert "<h1>Cluster I, group 1</h1>" in text
    assert "Cluster I, started on 31 August 2025." in text
    assert "by 14 September 2025 (14 days after the start)" in text
    assert "by 28 September 2025 (28 days after the start)" in text
    assert "by 28 February 2026 (6 months after the start)" in text
    assert "within 6 months of the submission of the answers" in text
    assert "<code>dashboard</code>" in text
    assert "Procedure: equal-chances-1." in text
    assert "No mutual pair was allowed." in text or "Mutual pairs had to be allowed" in text
    assert "Draw the reviewing States" not in text
    assert "Ama Owusu" in text and "Rui Reviewer" in text
    # Ghana has a focal point on its TIP review only: one nomination names it for all.
    assert text.count("focal point not named") == 2  # Ghana and France, once each
    assert f'href="/nominations/reviews/{tip.id}"' in text
    assert f'href="/reviews/{tip.id}/assignments"' in text
    assert db.exec(select(AuditEntry)).all() == audit  # reading writes nothing
    assert client.get("/phases/999999").status_code == 404


def test_a_phase_not_drawn_offers_the_draw_on_its_page_and_the_dashboard(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    phase = open_phase(db, secretariat, ["GHA"], draw=False)
    login(client, secretariat)
    for url in (f"/phases/{phase.id}", f"/dashboard?phase={phase.id}"):
        text = page(client, url)
        assert "The reviewing States of this phase have not been drawn yet." in text
        assert f'href="/phases/{phase.id}/draw"' in text  # to the page that asks first
    confirm = page(client, f"/phases/{phase.id}/draw")
    assert "Who will be told" in confirm and "Nobody is e-mailed by the draw." in confirm
    assert f'action="/phases/{phase.id}/draw"' in confirm
    assert db.exec(select(ReviewDraw)).all() == []  # asking writes nothing
    dashboard = page(client, f"/dashboard?phase={phase.id}")
    assert f'href="/phases/{phase.id}"' in dashboard
    response = client.post(f"/phases/{phase.id}/draw", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/phases/{phase.id}")
