"""The form that opens a phase, without JavaScript: the States as checkboxes in one fieldset per
regional group, the deadlines that follow from the start date, and the States kept ticked when
the form comes back with an error."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.reference.models import State
from questionnaire.reviews.models import Review, ReviewPhase
from tests.conftest import login


def groups_of(text: str) -> dict[str, list[str]]:
    """Regional group (its legend) -> the codes of its checkboxes, in order."""
    found = {}
    for legend, body in re.findall(
        r'<legend class="visually-hidden">([^<]+)</legend>(.*?)</fieldset>', text, re.S
    ):
        found[legend] = re.findall(r'name="states" value="([A-Z]{3})"', body)
    return found


def test_every_state_is_a_checkbox_in_its_regional_group(
    db: Session, secretariat: User, client: FlaskClient
) -> None:
    login(client, secretariat)
    text = html.unescape(client.get("/phases/new").get_data(as_text=True))
    groups = groups_of(text)
    assert list(groups)[:5] == [
        "African States",
        "Asia-Pacific States",
        "Eastern European States",
        "Latin American and Caribbean States",
        "Western European and other States",
    ]
    states = db.exec(select(State)).all()
    assert sorted(code for codes in groups.values() for code in codes) == sorted(
        s.code for s in states
    )
    assert (
        "GHA" in groups["African States"] and "FRA" in groups["Western European and other States"]
    )
    assert "<select" not in text.split('id="states"')[1].split("</details>\n  </div>")[0]
    assert "Hold Ctrl" not in text
    assert 'src="/static/js/phase-form.js"' in text
    assert 'name="focal_point_days" value="14"' in text
    assert 'name="answers_months" value="6"' in text


def test_a_form_sent_back_keeps_the_ticks_and_shows_the_dates(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    login(client, secretariat)
    response = client.post(
        "/phases/new",
        data={
            "name": "",
            "cluster": "I",
            "started_on": "2027-01-31",
            "max_reviews_per_state": "3",
            "states": ["GHA", "FRA"],
            "no_group_rule": "any_group",
        },
    )
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    assert "Name the phase" in text
    ticked = re.findall(r'name="states" value="([A-Z]{3})" checked>', text)
    assert sorted(ticked) == ["FRA", "GHA"]
    assert "States chosen: 2" in text
    assert "(14 February 2027)" in text and "(28 February 2027)" in text
    assert "(31 July 2027)" in text
    # The groups holding a ticked State are open; the others stay folded.
    assert text.count("<details") == text.count("data-state-group")
    assert len(re.findall(r"<details[^>]* open>", text)) == 2

    response = client.post(
        "/phases/new",
        data={
            "name": "Cluster I, group 5",
            "cluster": "I",
            "started_on": "2027-01-31",
            "max_reviews_per_state": "3",
            "states": ["GHA", "FRA"],
            "no_group_rule": "any_group",
        },
    )
    assert response.status_code == 302
    phase = db.exec(select(ReviewPhase).where(ReviewPhase.name == "Cluster I, group 5")).one()
    assert response.headers["Location"].endswith(f"/phases/{phase.id}")
    opened = {r.state_code for r in db.exec(select(Review).where(Review.phase_id == phase.id))}
    assert opened == {"GHA", "FRA"}


def test_no_state_chosen_is_an_error_that_opens_every_group(
    db: Session, shipped_banks: object, secretariat: User, client: FlaskClient
) -> None:
    login(client, secretariat)
    response = client.post(
        "/phases/new",
        data={"name": "X", "cluster": "I", "started_on": "2027-01-31",
              "max_reviews_per_state": "3", "no_group_rule": "any_group"},
    )  # fmt: skip
    text = html.unescape(response.get_data(as_text=True))
    assert 'href="#states"' in text and "Choose the States under review" in text
    assert len(re.findall(r"<details[^>]* open>", text)) == text.count("data-state-group")
    assert db.exec(select(ReviewPhase)).first() is None
