"""The base of every form: Flask-WTF's, with WTForms' own messages translated from a catalog
loaded once per language.

Flask-WTF loads WTForms' catalog (`wtforms` domain) anew on every request that builds a form,
and keeps it on the request only; for a page that was half a millisecond, on every post. The
catalog is read-only data, so it is kept per language for the life of the process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import support
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=16)
def _wtforms_catalog(language: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class _Translations:
    """WTForms' translations interface, on the catalog of the request's language."""

    def _catalog(self) -> support.NullTranslations | None:
        if not has_request_context() or "babel" not in current_app.extensions:
            return None
        return _wtforms_catalog(str(get_locale() or "en"))

    def gettext(self, string: str) -> str:
        catalog = self._catalog()
        return string if catalog is None else catalog.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalog = self._catalog()
        if catalog is None:
            return singular if n == 1 else plural
        return catalog.ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _TRANSLATIONS
