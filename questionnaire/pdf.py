"""The one PDF pipeline: plain context -> autoescaped Jinja template -> WeasyPrint.

WeasyPrint never fetches anything: the url_fetcher refuses every URL (file:, http:, data
from elsewhere), so hostile text in an answer cannot read local files or reach the network.
A refused resource is left out of the document (WeasyPrint logs it); the rendering goes on.
The stylesheet and fonts are handed over explicitly; FontConfiguration and the parsed CSS
are built once per process so memory stays flat across documents.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import weasyprint
from flask import current_app
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from questionnaire.wording import RTL, numerals, paragraph_number

PRINT_CSS = Path(__file__).parent / "static" / "css" / "print.css"
TRANSLATIONS = Path(__file__).parent / "translations"


class FetchRefused(ValueError):
    """A document tried to load a resource; documents may load none."""


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefused(f"documents may not load {url[:80]!r}")


class RefusingFetcher(URLFetcher):
    """WeasyPrint's fetcher interface, every URL refused by `refuse_fetch`.

    WeasyPrint (70) takes a URLFetcher: it calls `fetch` and reads the fetcher's
    `_fail_on_errors`, which a plain function lacks, so a refusal would crash the rendering
    with an AttributeError instead of leaving the resource out.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        refuse_fetch(url)


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    return CSS(
        string=PRINT_CSS.read_text(encoding="utf-8"),
        font_config=_fonts(),
        url_fetcher=RefusingFetcher(),
    )


def text_direction(text: object, default: str = "ltr") -> str:
    """The direction of `text`: that of its first strongly directional character, as a
    browser reads `dir="auto"` (which WeasyPrint does not); `default` when it has none."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def renderer_fingerprint(template: str) -> str:
    """SHA-256 of what, besides the content, decides a document's bytes: the template's source,
    the print stylesheet, the compiled interface translations and WeasyPrint's version."""
    environment = current_app.jinja_env
    assert environment.loader is not None
    source, _filename, _uptodate = environment.loader.get_source(environment, template)
    digest = hashlib.sha256()
    digest.update(source.encode("utf-8"))
    digest.update(PRINT_CSS.read_bytes())
    for catalog in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo")):
        digest.update(catalog.parent.parent.name.encode() + catalog.read_bytes())
    digest.update(weasyprint.__version__.encode())
    return digest.hexdigest()


def render_pdf(template: str, *, title: str, language: str, **context: Any) -> bytes:
    """Render `template` with `context` to PDF bytes (A4, tagged, with title and language).

    Every template also gets the document's `direction` (rtl in Arabic, for the root's `dir`),
    `direction_of(text)` for a text that may be in another language (an English question shown
    in an Arabic document runs left to right), and `numerals(value)` and `paragraph_number(n)`,
    which write numbers as the language does."""
    direction = "rtl" if language in RTL else "ltr"
    # The environment's template directly, without request context processors: documents are
    # also rendered by the command line and by background workers, outside any request.
    html = current_app.jinja_env.get_template(template).render(
        title=title,
        language=language,
        direction=direction,
        direction_of=lambda text: text_direction(text, direction),
        numerals=lambda value: numerals(value, language),
        paragraph_number=lambda number: paragraph_number(number, language),
        **context,
    )
    document = HTML(string=html, url_fetcher=RefusingFetcher(), base_url="about:blank")
    pdf: bytes = document.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_fonts(),
        pdf_variant="pdf/ua-1",
        pdf_identifier=False,
        uncompressed_pdf=False,
    )
    return pdf
