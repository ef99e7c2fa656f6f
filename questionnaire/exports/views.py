"""Downloads: a State's answers, every State's answers to a bank version, a list of
observations (XLSX or CSV), and a bank version as JSON.

Each download has the access of the page it comes from: a State's answers are for its
respondents and the secretariat (`load_review`), the list for those who see it
(`load_workspace`), the answers of every State for the secretariat only. `?confidential=1`
adds the confidential answers to the secretariat's download, labelled on its first row.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.banks.models import BankVersion
from questionnaire.downloads import download
from questionnaire.exports import tables
from questionnaire.exports.documents import bank_version_document
from questionnaire.exports.formats import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Table,
    csv_bytes,
    xlsx_bytes,
)
from questionnaire.i18n import current_language
from questionnaire.responses.access import load_review
from questionnaire.responses.queries import answers_of
from questionnaire.workspace.access import load_workspace
from questionnaire.workspace.services import observations_of

bp = Blueprint("exports", __name__)

FORMAT = "<any(xlsx, csv):file_format>"


def _download(tables_: list[Table], file_format: str, stem: str) -> Response:
    """The first table as CSV, or every table as the sheets of one workbook."""
    if file_format == "csv":
        content, mimetype = csv_bytes(tables_[0]), CSV_MIMETYPE
    else:
        content, mimetype = xlsx_bytes(tables_), XLSX_MIMETYPE
    return download(content, mimetype, f"{stem}.{file_format}")


@bp.get(f"/reviews/<int:review_id>/answers.{FORMAT}")
@login_required
def state_answers(review_id: int, file_format: str) -> ResponseReturnValue:
    access = load_review(review_id)
    table = tables.state_answers_table(access.bank, answers_of(db.session(), review_id))
    bank = access.bank
    stem = f"answers-{access.review.state_code}-{bank.instrument}-{bank.cluster}-v{bank.version}"
    return _download([table], file_format, stem)


@bp.get(f"/exports/banks/<int:bank_version_id>/answers.{FORMAT}")
@secretariat_required
def bank_answers(bank_version_id: int, file_format: str) -> ResponseReturnValue:
    version = db.session().get(BankVersion, bank_version_id)
    if version is None:
        abort(404)
    include_confidential = request.args.get("confidential") == "1"
    table = tables.bank_answers_table(
        db.session(),
        version,
        include_confidential=include_confidential,
        language=current_language(),
    )
    stem = f"answers-{version.instrument}-{version.cluster}-v{version.version}"
    return _download([table], file_format, f"{stem}-confidential" if include_confidential else stem)


@bp.get(f"/reviews/<int:review_id>/workspace/list.{FORMAT}")
@login_required
def observation_list(review_id: int, file_format: str) -> ResponseReturnValue:
    access = load_workspace(review_id)
    if not access.sees_list:
        abort(
            403, description=_("The list of observations has not been shared with your State yet.")
        )
    elements, summary = tables.observations_tables(
        access.bank, observations_of(db.session(), access.review), access.list
    )
    bank = access.bank
    stem = f"observations-{access.review.state_code}-{bank.instrument}-{bank.cluster}"
    return _download([elements, summary], file_format, stem)


@bp.get("/exports/banks/<int:bank_version_id>.json")
def bank_json(bank_version_id: int) -> ResponseReturnValue:
    """Published versions for anyone; drafts for the secretariat only."""
    version = db.session().get(BankVersion, bank_version_id)
    is_secretariat = current_user.is_authenticated and current_user.is_secretariat
    if version is None or (version.status != "published" and not is_secretariat):
        abort(404)
    response = jsonify(bank_version_document(version))
    filename = f"{version.instrument}-{version.cluster}-v{version.version}.json"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
