"""The home page: the reviews a person takes part in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.reviews import queries

bp = Blueprint("reviews", __name__)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    rows = queries.reviews_for(db.session(), current_user)
    return render_template("reviews/home.html", rows=rows)
