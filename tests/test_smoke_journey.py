"""A respondent's journey through the HTTP surface: task list, article page, save, submit."""

from __future__ import annotations

from sqlmodel import select

from questionnaire.responses.models import Answer, AnswerRevision
from tests.conftest import login


def test_focal_point_answers_and_submits(client, db, make_user, make_review, member):
    review = make_review()
    focal = make_user("GHA")
    member(review, focal, "focal_point")
    login(client, focal)

    page = client.get(f"/reviews/{review.id}/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Article 5. Criminalization" in html
    assert "Not started" in html

    section = client.get(f"/reviews/{review.id}/sections/art-5")
    assert 'name="TIP-5-1"' in section.get_data(as_text=True)

    saved = client.post(
        f"/reviews/{review.id}/sections/art-5",
        data={"TIP-5-1": "yes", "TIP-5-1-cite": "Criminal Code, s. 12", "version__TIP-5-1": "0"},
    )
    assert saved.status_code == 302
    answers = {
        a.question_key: a for a in db.exec(select(Answer).where(Answer.review_id == review.id))
    }
    assert answers["TIP-5-1"].value == "yes"
    assert answers["TIP-5-1-cite"].value == "Criminal Code, s. 12"
    assert db.exec(select(AnswerRevision)).all()
