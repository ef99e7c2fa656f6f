"""Public pages: the published questionnaires, as a reader sees them before answering."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from sqlmodel import col, select

from questionnaire import db
from questionnaire.banks.models import BankVersion
from questionnaire.banks.services import bank_of
from questionnaire.i18n import LANGUAGE_NAMES, current_language
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.names import UN_LANGUAGES
from questionnaire.reference.official_names import KINDS, name_coverage, names_on_file
from questionnaire.reference.provisions import provision_text

bp = Blueprint("banks", __name__, url_prefix="/questionnaires")


@bp.get("/")
def index() -> ResponseReturnValue:
    versions = (
        db.session()
        .exec(
            select(BankVersion)
            .where(BankVersion.status == "published")
            .order_by(
                col(BankVersion.cluster), col(BankVersion.instrument), col(BankVersion.version)
            )
        )
        .all()
    )
    return render_template(
        "banks/index.html",
        versions=versions,
        instruments=load_instrument_data().instruments,
        clusters=load_instrument_data().clusters,
    )


@bp.get("/<instrument>/<cluster>/v<int:version>")
def show(instrument: str, cluster: str, version: int) -> ResponseReturnValue:
    found = (
        db.session()
        .exec(
            select(BankVersion).where(
                BankVersion.instrument == instrument,
                BankVersion.cluster == cluster,
                BankVersion.version == version,
                BankVersion.status == "published",
            )
        )
        .first()
    )
    if found is None:
        abort(404)
    bank = bank_of(found)
    language = current_language()
    data = load_instrument_data()
    provisions = {
        s.key: provision_text(bank.instrument, s.article, language)
        for s in bank.sections
        if s.article is not None
    }
    return render_template(
        "banks/show.html",
        version=found,
        bank=bank,
        instrument=data.instruments[bank.instrument],
        provisions=provisions,
    )


@bp.get("/names")
def names() -> ResponseReturnValue:
    """The names of the instruments, articles, working groups and States in the reader's
    language, each marked when not yet checked or not on file in that language."""
    found = names_on_file()
    return render_template(
        "banks/names.html",
        names=found,
        kinds=KINDS,
        coverage=name_coverage(found),
        languages=[(code, LANGUAGE_NAMES[code]) for code in UN_LANGUAGES],
        language=current_language(),
    )
