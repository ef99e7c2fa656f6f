"""The baseline of page_vs_bare_ratio: a tiny separate Flask app, no database, no forms library.

One view renders the same 20 questions as the article page (fieldset, legend, radios, checkboxes
or textarea, the hidden version and the confidential flag) from plain dicts prepared once, with a
hand-written Jinja template compiled once (a DictLoader template, cached like any Flask template).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from jinja2 import DictLoader

from questionnaire.banks.schema import YES_NO_PARTIAL_LABELS, Section

TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<form method="post">
{% for q in questions %}
<div class="question" id="q-{{ q.key }}"{% if q.hidden %} hidden{% endif %}>
  <fieldset class="fieldset">
    <legend class="fieldset__legend">{{ q.text }}</legend>
    {% if q.help %}<div class="hint">{{ q.help }}</div>{% endif %}
    {% if q.kind == "radios" %}
    <div class="radios">
    {% for key, label in q.options %}
      <div class="radios__item">
        <input class="radios__input" type="radio" name="{{ q.key }}" value="{{ key }}"
               id="q-{{ q.key }}-{{ key }}"{% if q.value == key %} checked{% endif %}>
        <label class="radios__label" for="q-{{ q.key }}-{{ key }}">{{ label }}</label>
      </div>
    {% endfor %}
    </div>
    {% elif q.kind == "checkboxes" %}
    <div class="checkboxes">
    {% for key, label in q.options %}
      <div class="checkboxes__item">
        <input class="checkboxes__input" type="checkbox" name="{{ q.key }}" value="{{ key }}"
               id="q-{{ q.key }}-{{ key }}"{% if key in q.value %} checked{% endif %}>
        <label class="checkboxes__label" for="q-{{ q.key }}-{{ key }}">{{ label }}</label>
      </div>
    {% endfor %}
    </div>
    {% else %}
    <textarea class="textarea" name="{{ q.key }}" id="q-{{ q.key }}-input"
              rows="5">{{ q.value }}</textarea>
    {% endif %}
    <input type="hidden" name="version__{{ q.key }}" value="{{ q.version }}">
    <input type="checkbox" name="confidential__{{ q.key }}" value="y"
           id="q-{{ q.key }}-confidential">
    <label for="q-{{ q.key }}-confidential">Confidential</label>
  </fieldset>
</div>
{% endfor %}
<button type="submit">Save</button>
</form>
</main>
</body>
</html>
"""


def question_dicts(section: Section, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Plain dicts for the template, in English, with the values shown."""
    rows = []
    for q in section.questions:
        value = values.get(q.key)
        hidden = False
        if q.show_if is not None:
            hidden = values.get(q.show_if.question) not in q.show_if.any_of
        if q.type == "yes_no_partial":
            options = [(key, label["en"]) for key, label in YES_NO_PARTIAL_LABELS.items()]
        else:
            options = [(o.key, o.label["en"]) for o in q.options]
        kind = {"yes_no_partial": "radios", "single_choice": "radios"}.get(q.type, "textarea")
        if q.type == "multiple_choice":
            kind = "checkboxes"
            value = value or []
        elif q.type == "links":
            value = "\n".join(value or [])
        rows.append(
            {
                "key": q.key,
                "text": q.text["en"],
                "help": q.help["en"] if q.help else None,
                "kind": kind,
                "options": options,
                "value": value if value is not None else "",
                "version": 1 if q.key in values else 0,
                "hidden": hidden,
            }
        )
    return rows


def make_app(title: str, questions: list[dict[str, Any]]) -> Flask:
    app = Flask("bench_bare")
    app.jinja_loader = DictLoader({"page.html": TEMPLATE})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.get("/page")
    def page() -> str:
        return render_template("page.html", title=title, questions=questions)

    return app
