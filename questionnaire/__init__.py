"""Self-assessment questionnaires for the review mechanism of the United Nations Convention
against Transnational Organized Crime and its Protocols."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from questionnaire import config, db, error_pages, i18n, security, templating
from questionnaire.accounts import twofactor
from questionnaire.accounts import views as accounts_views
from questionnaire.analysis import views as analysis_views
from questionnaire.api import views as api_views
from questionnaire.attachments import views as attachments_views
from questionnaire.audit_log import views as audit_views
from questionnaire.banks import views as banks_views
from questionnaire.dashboard import views as dashboard_views
from questionnaire.documents import views as documents_views
from questionnaire.exports import views as exports_views
from questionnaire.home import views as home_views
from questionnaire.meetings import views as meetings_views
from questionnaire.nominations import views as nominations_views
from questionnaire.notifications import views as notifications_views
from questionnaire.responses import services as responses_services
from questionnaire.responses import submission_views
from questionnaire.responses import views as responses_views
from questionnaire.reviews import contributions, deadline_views, roles
from questionnaire.reviews import views as reviews_views
from questionnaire.workspace import signoff_views, translation_views
from questionnaire.workspace import views as workspace_views

TEMPLATES_DIR = config.PROJECT_ROOT / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def create_app(overrides: dict[str, Any] | None = None, *, check_schema: bool = True) -> Flask:
    """Build the application; refuses to start on a database that is not migrated."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(config.PROJECT_ROOT / "instance"),
    )
    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    app.config.update(overrides or {})
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    error_pages.init_app(app)
    accounts_views.init_app(app)
    twofactor.use_granted_roles(app, roles.REVIEW_ROLES)
    _build_on_reviews(app)
    app.register_blueprint(analysis_views.bp)
    app.register_blueprint(banks_views.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(home_views.bp)
    app.register_blueprint(reviews_views.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(deadline_views.bp)
    app.register_blueprint(responses_views.bp)
    app.register_blueprint(submission_views.bp)
    app.register_blueprint(workspace_views.bp)
    app.register_blueprint(signoff_views.bp)
    app.register_blueprint(translation_views.bp)
    app.register_blueprint(documents_views.bp)
    app.register_blueprint(exports_views.bp)
    app.register_blueprint(api_views.bp)
    app.register_blueprint(attachments_views.bp)
    app.register_blueprint(notifications_views.bp)
    app.register_blueprint(nominations_views.bp)
    app.register_blueprint(meetings_views.bp)

    if check_schema:
        db.check_schema(app)
    return app


def _build_on_reviews(app: Flask) -> None:
    """What the features built on the reviews add to the reviews' pages and new reviews."""
    parts = contributions.of(app)
    parts.review_opened.append(responses_services.carry_forward)
