"""WSGI entry point for production servers: `gunicorn questionnaire.wsgi:app`."""

from questionnaire import create_app

app = create_app()
