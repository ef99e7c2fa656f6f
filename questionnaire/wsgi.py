"""WSGI entry point for production servers: `gunicorn questionnaire.wsgi:app`."""

import gc

from questionnaire import create_app

app = create_app()

# What is built by now (modules, templates, the URL map, the question banks) lives as long as
# the process. Frozen out of the collector's sight, it is no longer walked by every full
# collection, each of which held up all the requests of the process for 100-200 ms
# (see gc.freeze in the Python documentation).
gc.collect()
gc.freeze()
