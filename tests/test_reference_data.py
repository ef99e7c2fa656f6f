"""Reference data: the States file, State names, instrument data and provision texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.models import REGIONAL_GROUPS, State
from questionnaire.reference.names import state_name
from questionnaire.reference.provisions import provision_text
from questionnaire.reference.services import StatesFileError, load_states, read_states

UN_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
STATES = """\
states:
  - {code: DEU, iso2: "DE", group: weog, parties: [UNTOC, TIP]}
  - {code: FRA, iso2: "FR", group: weog, parties: [UNTOC]}
"""


# --- States ---------------------------------------------------------------------------------


def test_the_shipped_states_file_loads(db: Session) -> None:
    count = load_states(db)

    assert count >= 190
    assert count == len(read_states())
    assert db.exec(select(func.count()).select_from(State)).one() == count
    germany = db.get(State, "DEU")
    assert germany is not None
    assert (germany.iso2, germany.regional_group, germany.name_en) == ("DE", "weog", "Germany")
    assert germany.is_party_to("UNTOC")


def test_the_european_union_has_names_in_the_six_languages(db: Session) -> None:
    eu = db.get(State, "EUU")

    assert eu is not None
    assert eu.regional_group == "none"
    assert eu.names is not None
    assert sorted(eu.names) == sorted(UN_LANGUAGES)
    assert all(name.strip() for name in eu.names.values())
    assert (eu.names["en"], eu.names["fr"]) == ("European Union", "Union européenne")
    assert eu.parties == ["UNTOC", "TIP", "SOM", "FIR"]


@pytest.mark.parametrize("group", [group for group in REGIONAL_GROUPS if group != "none"])
@pytest.mark.parametrize("instrument", ["UNTOC", "TIP", "SOM"])
def test_every_regional_group_has_parties_to_each_instrument(
    db: Session, group: str, instrument: str
) -> None:
    members = db.exec(select(State).where(State.regional_group == group)).all()

    assert len(members) >= 20
    assert [state.code for state in members if state.is_party_to(instrument)]


def test_state_names_in_french_and_other_languages(db: Session) -> None:
    germany = db.get(State, "DEU")
    assert germany is not None

    assert state_name(germany, "fr") == "Allemagne"
    assert state_name(germany, "es") == "Alemania"
    assert state_name(germany, "ru") == "Германия"
    assert state_name(germany, "zh") == "德国"
    assert state_name(germany) == "Germany"


def test_state_names_fall_back_to_english(db: Session) -> None:
    eu = db.get(State, "EUU")
    turkiye = db.get(State, "TUR")
    assert eu is not None and turkiye is not None

    assert state_name(eu, "zh") == "欧洲联盟"
    assert state_name(eu, "de") == "European Union"  # not a UN language: English
    assert state_name(turkiye, "fr") == "Türkiye"
    unknown = State(code="ZZZ", iso2="ZZ", regional_group="none", name_en="Atlantis")
    assert state_name(unknown, "fr") == "Atlantis"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("states:\n", "entries:\n", "top-level field `states` must be a list"),
        ("code: FRA", "code: fra", "states[1].code: expected a three-letter upper-case code"),
        ("code: FRA", "code: DEU", "states[1].code: DEU is listed twice"),
        (
            "group: weog, parties: [UNTOC]}",
            "group: nordic, parties: [UNTOC]}",
            "states[1] (FRA).group: 'nordic' is not one of african, asia_pacific, "
            "eastern_european, grulac, weog, none",
        ),
        ("[UNTOC, TIP]", "[UNTOC, ICC, TIP]", "states[0] (DEU).parties: unknown ICC"),
    ],
    ids=["no-states-list", "lower-case-code", "duplicate-code", "unknown-group", "unknown-party"],
)
def test_a_malformed_states_file_names_the_entry_and_field(
    db: Session, tmp_path: Path, old: str, new: str, error: str
) -> None:
    path = tmp_path / "states.yaml"
    assert STATES.count(old) == 1
    path.write_text(STATES.replace(old, new), encoding="utf-8")
    before = db.get(State, "DEU")
    assert before is not None
    parties = list(before.parties)

    with pytest.raises(StatesFileError) as raised:
        load_states(db, path)

    assert str(raised.value) == f"{path}: {error}"
    db.expire_all()
    after = db.get(State, "DEU")
    assert after is not None
    assert after.parties == parties  # nothing of the file was saved


def test_a_small_states_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "states.yaml"
    path.write_text(STATES, encoding="utf-8")

    entries = read_states(path)

    assert [(entry["code"], entry["parties"]) for entry in entries] == [
        ("DEU", ["UNTOC", "TIP"]),
        ("FRA", ["UNTOC"]),
    ]


# --- instruments and provision texts --------------------------------------------------------


def test_instrument_data_has_tip_article_5_in_english_and_french() -> None:
    data = load_instrument_data()

    article = data.article("TIP", 5)

    assert article is not None
    assert article.title == {"en": "Criminalization", "fr": "Incrimination"}
    assert article.unverified == frozenset()
    assert data.article("TIP", 99) is None
    assert data.article("XYZ", 5) is None


def test_unverified_french_headings_are_marked() -> None:
    article = load_instrument_data().article("TIP", 10)

    assert article is not None
    assert article.title["fr"] == "Échange d'informations et formation"
    assert article.unverified == frozenset({"fr"})


def test_cluster_i_lists_the_articles_of_each_instrument() -> None:
    cluster = load_instrument_data().clusters["I"]

    assert cluster.status == "confirmed"
    assert cluster.title["en"] == "Criminalization and jurisdiction"
    assert cluster.articles["TIP"] == (3, 5)


def test_provision_text_of_tip_article_5_in_french_and_english(db: Session) -> None:
    french = provision_text("TIP", 5, "fr")
    english = provision_text("TIP", 5, "en")

    assert french is not None and english is not None
    assert french.language == "fr"
    assert french.text.startswith(
        "1. Chaque État Partie adopte les mesures législatives et autres nécessaires"
    )
    assert french.text.endswith(
        "ou de donner des instructions à d'autres personnes pour qu'elles la commettent."
    )
    assert french.is_complete
    assert english.language == "en"
    assert english.text.startswith(
        "1. Each State Party shall adopt such legislative and other measures"
    )
    assert english.is_complete
    assert english.source.startswith("UNODC Education for Justice, Module 9")


def test_provision_text_falls_back_to_english(db: Session) -> None:
    text = provision_text("TIP", 2, "fr")

    assert text is not None
    assert text.language == "en"
    assert text.text.startswith("(a) To prevent and combat trafficking in persons")
    assert not text.is_complete


def test_provision_text_of_the_convention_is_not_on_file(db: Session) -> None:
    assert provision_text("UNTOC", 5, "en") is None
    assert provision_text("UNTOC", 15, "fr") is None
    assert provision_text("TIP", 99, "en") is None
