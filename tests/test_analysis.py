"""The consolidated analysis: counts and shares across the States that submitted, confidential
answers, technical assistance needs, good practices, and the page, PDF and XLSX formats."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from flask import current_app
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.analysis.services import consolidate
from questionnaire.audit.models import AuditEntry
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.demo import answer_required
from questionnaire.exports.tables import bank_answers_table
from questionnaire.responses import services as responses
from questionnaire.reviews.models import Review
from questionnaire.workspace import services as observations
from tests.conftest import login, reviewing_states_agree

TIP_I_V2 = ("TIP", "I", 2)
LABEL = "Includes confidential answers — secretariat only, never publish"
SHERLOC = "https://sherloc.unodc.org/cld/en/legislation/gha/human_trafficking_act.html"

#: Per State: the answers given before the remaining required ones are filled in, and the
#: keys answered confidentially. France's TIP-3-6 and TIP-5-TA are confidential.
ANSWERS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "GHA": (
        {
            "TIP-GEN-3": [SHERLOC],
            "TIP-GEN-4": "UNODC questionnaire of 2005.",
            "TIP-3-6": "yes",
            "TIP-3-2": ["prostitution", "forced_labour"],
            "TIP-3-TA": "yes",
            "TIP-3-TA-kind": ["legislative_drafting", "capacity_building"],
            "TIP-5-TA": "no",
        },
        set(),
    ),
    "NGA": (
        {
            "TIP-GEN-4": "African Union questionnaire, 2019.",
            "TIP-3-6": "yes",
            "TIP-3-2": ["forced_labour"],
            "TIP-3-TA": "yes",
            "TIP-3-TA-kind": ["capacity_building"],
            "TIP-5-TA": "no",
        },
        set(),
    ),
    "KEN": (
        {
            "TIP-3-6": "partial",
            "TIP-3-2": ["forced_labour", "organ_removal"],
            "TIP-3-TA": "no",
            "TIP-5-TA": "no",
        },
        set(),
    ),
    "FRA": (
        {
            "TIP-3-6": "no",
            "TIP-3-TA": "no",
            "TIP-5-TA": "yes",
            "TIP-5-TA-kind": ["model_legislation"],
        },
        {"TIP-3-6", "TIP-5-TA"},
    ),
}


@dataclass
class Submitted:
    version: BankVersion
    bank: Bank
    reviews: dict[str, Review]
    secretariat: User


def _save(
    db: Session, review: Review, bank: Bank, user: User, values: dict[str, Any], secret: set[str]
) -> None:
    stored = responses.answers_of(db, review.id)  # type: ignore[arg-type]
    changes = [
        responses.AnswerChange(
            key, value, key in secret, stored[key].version if key in stored else 0
        )
        for key, value in values.items()
    ]
    outcome = responses.save_answers(db, review, bank, user, changes, kind="save", language="en")
    assert not outcome.conflicts


def _answered_review(
    db: Session, make_review: Callable[..., Review], bank: Bank, user: User, state: str
) -> Review:
    review = make_review(state, TIP_I_V2)
    values, secret = ANSWERS.get(state, ({}, set()))
    _save(db, review, bank, user, values, secret)
    return review


def _good_practices(db: Session, reviews: dict[str, Review], bank: Bank, user: User) -> None:
    """Ghana's list is agreed, Kenya's final, Nigeria's still being drafted."""

    def add(state: str, section: str, category: str, text: str) -> Any:
        return observations.add_observation(
            db, reviews[state], bank, user, section_key=section, category=category,
            text=text, cited_keys=[],
        )  # fmt: skip

    add("GHA", "art-3", "good_practice", "A national referral mechanism for victims.")
    kept = add("GHA", "art-5", "good_practice", "Kept confidential by Ghana.")
    withdrawn = add("GHA", "art-3", "good_practice", "Withdrawn by the reviewers.")
    add("GHA", "art-3", "gap", "Not a good practice.")
    add("KEN", "art-5", "good_practice", "=SUM(1;2) specialised prosecutors")
    add("NGA", "art-3", "good_practice", "Still being drafted.")
    observations.withdraw_observation(db, reviews["GHA"], withdrawn, user)
    for state in ("GHA", "KEN"):
        reviewing_states_agree(db, reviews[state])
        observations.transition(db, reviews[state], user, side="reviewer", to_status="with_state")
    observations.set_confidential(db, reviews["GHA"], kept, user, is_confidential=True)
    for state in ("GHA", "KEN"):
        observations.transition(db, reviews[state], user, side="state", to_status="agreed")
    observations.transition(db, reviews["KEN"], user, side="reviewer", to_status="final")


@pytest.fixture
def submitted(
    db: Session,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    make_review: Callable[..., Review],
    make_user: Callable[..., User],
) -> Submitted:
    """Four States submitted TIP cluster I v2; Senegal is still answering.

    Ghana submitted twice: only its latest review counts. Kenya answered TIP-3-TA "yes" and
    the kinds, then changed to "no": the hidden kinds answer stays stored but does not count.
    """
    version = shipped_banks[TIP_I_V2]
    bank = bank_of(version)
    user = make_user("GHA")
    earlier = make_review("GHA", TIP_I_V2)
    _save(db, earlier, bank, user, {"TIP-3-6": "no"}, set())
    answer_required(db, earlier, bank, user)
    responses.submit(db, earlier, bank, user)
    reviews = {state: _answered_review(db, make_review, bank, user, state) for state in ANSWERS}
    _save(db, reviews["KEN"], bank, user, {"TIP-3-TA": "yes"}, set())
    _save(db, reviews["KEN"], bank, user, {"TIP-3-TA-kind": ["expert_advice"]}, set())
    _save(db, reviews["KEN"], bank, user, {"TIP-3-TA": "no"}, set())
    for review in reviews.values():
        answer_required(db, review, bank, user)
        responses.submit(db, review, bank, user)
    answering = make_review("SEN", TIP_I_V2)
    _save(db, answering, bank, user, {"TIP-3-6": "yes", "TIP-3-2": ["slavery"]}, set())
    _good_practices(db, reviews, bank, user)
    db.commit()
    return Submitted(version, bank, reviews, make_user(None, secretariat=True))


def _options(analysis: Any, key: str) -> dict[str, tuple[int, float | None]]:
    return {o.key: (o.count, o.share) for o in analysis.question(key).options}


def test_counts_and_shares_over_the_states_that_answered(db, submitted):
    analysis = consolidate(db, submitted.version, include_confidential=False)

    assert analysis.state_count == 4
    assert not analysis.includes_confidential
    question = analysis.question("TIP-3-6")
    assert question.answered == 3  # France's answer is confidential
    assert _options(analysis, "TIP-3-6") == {
        "yes": (2, pytest.approx(2 / 3)),
        "partial": (1, pytest.approx(1 / 3)),
        "no": (0, 0.0),
    }
    # Each checkbox counts separately; shares are over the States that answered the question.
    assert analysis.question("TIP-3-2").answered == 3
    assert _options(analysis, "TIP-3-2") == {
        "prostitution": (1, pytest.approx(1 / 3)),
        "sexual_exploitation": (0, 0.0),
        "forced_labour": (3, 1.0),
        "slavery": (0, 0.0),  # only Senegal, which has not submitted
        "servitude": (0, 0.0),
        "organ_removal": (1, pytest.approx(1 / 3)),
        "other": (0, 0.0),
    }
    assert analysis.question("TIP-GEN-4").answered == 2
    assert analysis.question("TIP-GEN-4").options == ()
    assert analysis.question("TIP-GEN-3").answered == 1
    # Required follow-ups were filled in for every State whose answer shows them.
    assert analysis.question("TIP-3-6-cite").answered == 3
    assert analysis.question("TIP-3-6-explain").answered == 1


def test_confidential_answers_count_only_in_the_secretariat_version(db, submitted):
    public = consolidate(db, submitted.version, include_confidential=False)
    secretariat = consolidate(db, submitted.version, include_confidential=True)

    assert public.question("TIP-3-6").answered == 3
    assert public.question("TIP-3-6").options[2].count == 0
    assert secretariat.includes_confidential
    assert secretariat.question("TIP-3-6").answered == 4
    assert _options(secretariat, "TIP-3-6") == {
        "yes": (2, 0.5),
        "partial": (1, 0.25),
        "no": (1, 0.25),
    }
    # France's follow-up explains a confidential "No": hidden with it in the public version.
    assert public.question("TIP-3-6-explain").answered == 1
    assert secretariat.question("TIP-3-6-explain").answered == 2


def _exported(db: Session, submitted: Submitted, include_confidential: bool) -> dict[str, Any]:
    """Per question, the States whose answer the export of every State's answers gives, and
    how many of them chose each option."""
    with current_app.test_request_context():  # the headers are in the reader's language
        table = bank_answers_table(
            db, submitted.version, include_confidential=include_confidential, language="en"
        )
    given: dict[str, Any] = {}
    for key, state, _name, _section, _text, summary, keys, *_flag in table.rows:
        if summary is None:
            continue
        states, options = given.setdefault(key, (set(), Counter()))
        states.add(state)
        options.update(keys.split("; ") if keys else [])
    return given


@pytest.mark.parametrize("include_confidential", [False, True])
def test_the_analysis_counts_what_the_export_of_every_states_answers_gives(
    db, submitted, include_confidential
):
    """One rule for both: each State's latest submitted review only (Ghana submitted twice),
    and confidential answers left out with the follow-ups only they show (France's "No" to
    TIP-3-6 and its explanation) unless the secretariat asks for its own version."""
    analysis = consolidate(db, submitted.version, include_confidential=include_confidential)
    exported = _exported(db, submitted, include_confidential)

    for section in analysis.sections:
        for question in section.questions:
            states, options = exported.get(question.key, (set(), Counter()))
            assert question.answered == len(states), question.key
            assert {o.key: o.count for o in question.options if o.count} == dict(options), (
                question.key
            )
    assert exported["TIP-3-6"][1]["no"] == (1 if include_confidential else 0)  # not Ghana's first
    assert ("FRA" in exported.get("TIP-3-6-explain", ({}, None))[0]) is include_confidential
    assert "KEN" not in exported.get("TIP-3-TA-kind", ({}, None))[0]  # hidden by its "no"


def test_technical_assistance_needs_by_article_and_kind(db, submitted):
    public = consolidate(db, submitted.version, include_confidential=False)
    secretariat = consolidate(db, submitted.version, include_confidential=True)

    needs = {need.article: need for need in public.assistance}
    assert sorted(needs) == [3, 5]
    art3 = needs[3]
    assert (art3.question_key, art3.answered, art3.needing, art3.kinds_answered) == (
        "TIP-3-TA", 4, 2, 2,
    )  # fmt: skip
    kinds = {kind.key: (kind.count, kind.share) for kind in art3.kinds}
    assert kinds == {
        "legislative_drafting": (1, 0.5),
        "capacity_building": (2, 1.0),
        "model_legislation": (0, 0.0),
        "expert_advice": (0, 0.0),  # Kenya's answer was hidden when it changed to "No"
        "other": (0, 0.0),
    }
    # France's "Yes" on article 5 is confidential: neither the need nor its kinds are public.
    art5 = needs[5]
    assert (art5.answered, art5.needing, art5.kinds_answered) == (3, 0, 0)
    art5_secret = next(need for need in secretariat.assistance if need.article == 5)
    assert (art5_secret.answered, art5_secret.needing, art5_secret.kinds_answered) == (4, 1, 1)
    assert {k.key: k.count for k in art5_secret.kinds}["model_legislation"] == 1


def test_good_practices_come_from_agreed_and_final_lists_only(db, submitted):
    analysis = consolidate(db, submitted.version, include_confidential=True)

    found = [(p.state_code, p.state_name, p.article, p.text) for p in analysis.good_practices]
    assert found == [
        ("GHA", "Ghana", 3, "A national referral mechanism for victims."),
        ("KEN", "Kenya", 5, "=SUM(1;2) specialised prosecutors"),
    ]
    assert [key for key, _ in analysis.good_practices_by_section()] == ["art-3", "art-5"]


def test_a_version_without_submissions_counts_nothing(db, shipped_banks):
    analysis = consolidate(db, shipped_banks[("SOM", "I", 1)], include_confidential=True)

    assert analysis.state_count == 0
    assert analysis.good_practices == ()
    question = analysis.sections[1].questions[0]
    assert question.answered == 0
    assert {option.share for option in question.options} == {None}


def _get(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def _option_rows(html: str, key: str) -> list[tuple[str, str, str]]:
    """(option, States, share) of one question's table on the page."""
    block = html[html.index(f'id="q-{key}"') :]
    block = block[: block.index("</table>")]
    return re.findall(
        r'<th scope="row">([^<]*)</th>\s*<td class="analysis-table__number">(\d+)</td>\s*'
        r'<td class="analysis-table__number">([^<]*)</td>',
        block,
    )


def test_page_shows_one_table_per_question_with_bars_and_no_codes(client, submitted):
    login(client, submitted.secretariat)
    url = f"/analysis/{submitted.version.id}"

    html = _get(client, url).get_data(as_text=True)
    assert "4 States submitted their answers" in html
    assert LABEL not in html
    assert 'style="' not in html and "<style" not in html
    assert _option_rows(html, "TIP-3-6") == [
        ("Yes", "2", "67%"),
        ("Yes, in part", "1", "33%"),
        ("No", "0", "0%"),
    ]
    assert 'class="bar-chart"' not in html  # a table with bars, not a chart saying it again
    assert '<span class="key">partial</span>' not in html  # no option codes beside labels
    assert "2 of the 4 States that answered need technical assistance." in html
    assert "A national referral mechanism for victims." in html
    assert "Kept confidential by Ghana." not in html

    secret = _get(client, f"{url}?confidential=1").get_data(as_text=True)
    assert secret.count(LABEL) == 2  # above and below the figures
    assert _option_rows(secret, "TIP-3-6") == [
        ("Yes", "2", "50%"),
        ("Yes, in part", "1", "25%"),
        ("No", "1", "25%"),
    ]
    assert f"/analysis/{submitted.version.id}.pdf?confidential=1" in secret


def test_shares_of_too_few_states_are_not_shown(client, submitted):
    login(client, submitted.secretariat)

    html = _get(client, f"/analysis/{submitted.version.id}").get_data(as_text=True)

    # Two States said which kinds of assistance they need on article 3: counts, no shares.
    kinds = _option_rows(html, "TIP-3-TA-kind")
    assert ("Legislative drafting and legal advice", "1", "–") in kinds
    assert all(share == "–" for _, _, share in kinds)
    assert "Shares are not shown where fewer than 3 States answered." in html


def test_questions_nobody_answered_are_folded_away(client, submitted):
    login(client, submitted.secretariat)

    html = _get(client, f"/analysis/{submitted.version.id}").get_data(as_text=True)

    folded = re.findall(r"<summary>(\d+) questions? nobody answered</summary>", html)
    assert folded, "no section folds its unanswered questions"
    nobody = [q.key for s in submitted.bank.sections for q in s.questions][-1]
    assert f'id="q-{nobody}"' not in html or nobody not in html.split("nobody answered")[0]


def _pdf_text(client: FlaskClient, url: str) -> list[str]:
    response = _get(client, url)
    assert response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(BytesIO(response.data)).pages]


def test_pdf_has_the_numbers_and_labels_every_page_of_the_secretariat_version(client, submitted):
    login(client, submitted.secretariat)
    url = f"/analysis/{submitted.version.id}.pdf"

    pages = _pdf_text(client, url)
    text = "\n".join(pages)
    assert "Consolidated analysis" in text
    assert "TIP-3-6" in text and "67%" in text and "33%" in text
    assert "A national referral mechanism for victims." in text
    assert LABEL.upper() not in text.upper()

    secret_pages = _pdf_text(client, f"{url}?confidential=1")
    assert len(secret_pages) > 1
    assert all(LABEL.upper() in page.upper() for page in secret_pages)
    assert "25%" in "\n".join(secret_pages)


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_the_header_row_and_the_figures(client, submitted):
    login(client, submitted.secretariat)
    url = f"/analysis/{submitted.version.id}.xlsx"

    response = _get(client, url)
    assert response.headers["Content-Disposition"].endswith('analysis-TIP-I-v2.xlsx"')
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Answers", "Technical assistance", "Good practices"]
    rows = _rows(book["Answers"])
    assert rows[0][0].startswith("Consolidated analysis")
    header = rows.index(
        (
            *("Question key", "Section", "Question", "Option key", "Option"),
            *("States", "Share", "States that answered"),
        )
    )
    figures = {(row[0], row[3]): (row[5], row[6], row[7]) for row in rows[header + 1 :]}
    assert figures[("TIP-3-6", "yes")] == (2, pytest.approx(2 / 3), 3)
    assert figures[("TIP-3-2", "forced_labour")] == (3, 1.0, 3)
    assert figures[("TIP-GEN-4", None)] == (2, None, 2)
    practices = book["Good practices"]
    assert ("KEN", "Kenya", "Article 5. Criminalization", "=SUM(1;2) specialised prosecutors") in (
        _rows(practices)
    )
    (formula_like,) = [cell for cell in practices["D"] if str(cell.value).startswith("=")]
    assert formula_like.data_type == "s"  # stored as text, never as a formula

    secret = load_workbook(BytesIO(_get(client, f"{url}?confidential=1").data))
    for sheet in secret.worksheets:
        assert sheet["A1"].value == LABEL
    secret_rows = _rows(secret["Answers"])
    figures = {(row[0], row[3]): row[5:8] for row in secret_rows if row and row[0] == "TIP-3-6"}
    assert figures[("TIP-3-6", "no")] == (1, 0.25, 4)


def test_index_lists_versions_with_their_submissions(client, submitted):
    login(client, submitted.secretariat)

    html = _get(client, "/analysis/").get_data(as_text=True)
    row = html[html.index("TIP, cluster I, version 2") :]
    assert re.search(r'analysis-table__number">4</td>', row[:400])
    assert f'href="/analysis/{submitted.version.id}?confidential=1"' in html


@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx", "?confidential=1"])
def test_a_state_that_has_not_submitted_is_told_why_it_cannot_read(
    client, submitted, make_user, suffix
):
    url = f"/analysis/{submitted.version.id}{suffix}"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    login(client, make_user("SEN"))  # Senegal is still answering
    refused = _get(client, url, 403).get_data(as_text=True)
    assert "Consolidated analysis not open to your State yet" in refused
    assert "Your State has not submitted its answers" in refused
    assert "A national referral mechanism" not in refused
    index = _get(client, "/analysis/").get_data(as_text=True)
    assert "Opens to your State once it has submitted its answers" in index
    assert f'href="/analysis/{submitted.version.id}"' not in index


def test_a_person_of_no_state_who_is_not_the_secretariat_gets_404(client, submitted, make_user):
    login(client, make_user(None))
    _get(client, f"/analysis/{submitted.version.id}", 404)
    _get(client, "/analysis/", 404)


#: Planted in Nigeria's confidential answer; Ghana keeps a good practice confidential too.
CANARY = "Canary-peer-analysis-3d7e"
KEPT_PRACTICE = "Kept confidential by Ghana."


@pytest.fixture
def peer_reading(db, submitted):  # type: ignore[no-untyped-def]
    """Nigeria adds a confidential text answer and submits again."""
    user = submitted.secretariat
    nigeria = submitted.reviews["NGA"]
    responses.reopen(db, nigeria, user, reason="A confidential addition.")
    _save(db, nigeria, submitted.bank, user, {"TIP-GEN-4": CANARY}, {"TIP-GEN-4"})
    responses.submit(db, nigeria, submitted.bank, user)
    db.commit()
    return submitted


def test_a_state_that_submitted_reads_its_peers_without_confidential_data(
    client, peer_reading, make_user
):
    login(client, make_user("GHA"))
    url = f"/analysis/{peer_reading.version.id}"

    html = _get(client, url).get_data(as_text=True)
    assert "4 States submitted their answers" in html
    # Confidential answers are not counted, whatever the reader asks for.
    assert _option_rows(html, "TIP-3-6") == [
        ("Yes", "2", "67%"),
        ("Yes, in part", "1", "33%"),
        ("No", "0", "0%"),
    ]
    assert _option_rows(_get(client, f"{url}?confidential=1").get_data(as_text=True), "TIP-3-6")[
        2
    ] == ("No", "0", "0%")
    assert LABEL not in html
    assert "Secretariat version" not in html
    # Too few States said which kinds of assistance: a peer is not shown their answers.
    block = html[html.index('id="q-TIP-3-TA-kind"') :][:2000]
    assert "Fewer than 3 States answered: the answers are not shown" in block
    assert "Legislative drafting" not in block
    # Question keys are for the secretariat.
    assert '<span class="key">' not in html
    assert CANARY not in html and KEPT_PRACTICE not in html
    book = load_workbook(BytesIO(_get(client, f"{url}.xlsx").data))
    cells = [str(c) for sheet in book.worksheets for row in _rows(sheet) for c in row if c]
    assert not [c for c in cells if CANARY in c or KEPT_PRACTICE in c]
    pdf_text = "\n".join(_pdf_text(client, f"{url}.pdf"))
    assert CANARY not in pdf_text and KEPT_PRACTICE not in pdf_text and "67%" in pdf_text


def test_other_states_are_named_only_if_they_agreed(client, db, peer_reading, make_user, member):
    kenya_focal = make_user("KEN")
    member(peer_reading.reviews["KEN"], kenya_focal, "focal_point")
    kenya_good_practice = "=SUM(1;2) specialised prosecutors"
    url = f"/analysis/{peer_reading.version.id}"

    login(client, make_user("GHA"))
    html = _get(client, url).get_data(as_text=True)
    practice = html[: html.index(kenya_good_practice)]
    assert "A State that is not named" in practice[-300:]
    assert "Kenya" not in html
    assert "Ghana" in html  # the reader's own State is named
    book = load_workbook(BytesIO(_get(client, f"{url}.xlsx").data))
    practices = _rows(book["Good practices"])
    assert (None, "A State that is not named") in [row[:2] for row in practices]
    assert not [row for row in practices if "KEN" in row or "Kenya" in row]

    kenya = client.application.test_client()
    login(kenya, kenya_focal)
    page = _get(kenya, url).get_data(as_text=True)
    assert "Is Kenya named to the other States beside its good practices?" in page
    agreed = kenya.post(f"{url}/naming", data={"named": "yes"})
    assert agreed.status_code == 302
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "peer_naming.give")).one()
    assert entry.actor_id == kenya_focal.id

    login(client, make_user("GHA"))
    assert "Kenya" in _get(client, url).get_data(as_text=True)


def test_only_the_focal_point_decides_whether_the_state_is_named(
    client, peer_reading, make_user, member
):
    expert = make_user("KEN")
    member(peer_reading.reviews["KEN"], expert, "expert")
    login(client, expert)
    url = f"/analysis/{peer_reading.version.id}"

    assert "named to the other States" not in _get(client, url).get_data(as_text=True)
    assert client.post(f"{url}/naming", data={"named": "yes"}).status_code == 403


def test_unknown_version_is_404(client, submitted):
    login(client, submitted.secretariat)
    _get(client, "/analysis/999999", 404)


def test_french_reader_gets_bank_texts_and_shares_in_french(client, submitted, make_user):
    login(client, make_user(None, secretariat=True, locale="fr"))
    url = f"/analysis/{submitted.version.id}"

    html = _get(client, url).get_data(as_text=True)
    assert ("Oui, en partie", "1", "33\u00a0%") in _option_rows(html, "TIP-3-6")  # French format

    book = load_workbook(BytesIO(_get(client, f"{url}.xlsx").data))
    rows = [row for row in _rows(book.worksheets[0]) if row[0] == "TIP-3-6"]
    assert rows[0][2].startswith("L'infraction de traite des personnes")
    assert [row[4] for row in rows] == ["Oui", "Oui, en partie", "Non"]


def test_an_arabic_reader_gets_english_titles_and_references_kept_whole(
    client, submitted, make_user
):
    """The questionnaire's title, shown in English, and the instrument's and cluster's codes
    are isolated inside the Arabic title; an article's reference stays "3(a)" beside an
    English question, on the page as in the PDF it shares the template with."""
    login(client, make_user(None, secretariat=True, locale="ar"))
    html = _get(client, f"/analysis/{submitted.version.id}").get_data(as_text=True)

    assert "\u2068Trafficking in Persons Protocol" in html
    assert "\u2066TIP\u2069" in html and "\u2066I\u2069" in html
    assert "(المادة \u20663(a)\u2069)" in html
