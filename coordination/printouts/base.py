"""Rendering a printout: a Django template to a PDF with WeasyPrint, in the language asked for (Danish unless
told otherwise), with the bundled font.

The language on paper: the citizen's copies (USR for the citizen, aftalekort) in the language chosen for the
citizen when printing (`Citizen.paper_language`), whatever the nurse's screen is in; the staff printouts (USR
for the municipality, PFP, downtime board) in the requesting user's language.

The printouts fetch nothing but their own font files: the URL fetcher refuses every other URL, so no text
in a citizen's record can make the renderer read a file or call out to the network.

Speed (issue 15): a template's stylesheet (its one `<style>` element: print.css, the template's own rules and
the translated page numbers) is the same text for every admission, so it is parsed once per process and thread
and kept as a WeasyPrint `CSS` object with the font configuration it loaded the bundled fonts into; each
render reuses both instead of parsing the stylesheet and loading the fonts again (a third of a short
printout's time). The cascade is the same: the stylesheet is the only one besides the browser defaults.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
BASE_URL = FONTS.parent.as_uri() + "/"


class BundledFilesOnly(URLFetcher):
    """Fetch only the files under static/fonts; everything else is refused (WeasyPrint logs and skips it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or not Path(url2pathname(parts.path)).resolve().is_relative_to(FONTS):
            raise ValueError(f"printouts fetch only their bundled fonts, not {url}")
        self.fetched.append(url)
        return super().fetch(url, headers)


PAPER_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def paper_language(value: str | None, default: str = "da") -> str:
    """`value` if it is a language the printouts are written in, else `default`."""
    return value if value in PAPER_LANGUAGES else default


def render_pdf(
    template: str, context: dict, *, language: str = "da", url_fetcher: URLFetcher | None = None
) -> bytes:
    """The template rendered in `language` (an unknown code gives Danish), as PDF bytes. With its own
    `url_fetcher` (a test's, to see what is fetched) the stylesheet is parsed afresh, not from the cache."""
    with translation.override(paper_language(language)):
        html = render_to_string(template, {**context, "paper_language": paper_language(language)})
    if url_fetcher is not None:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf()
    html, stylesheet = _split_stylesheet(html)
    fonts, css = _stylesheet(stylesheet)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=BundledFilesOnly())
    return document.write_pdf(stylesheets=[css], font_config=fonts)


def _split_stylesheet(html: str) -> tuple[str, str]:
    """The document without its `<style>` element (in the head, written by base.html), and the element's
    text. The body cannot hold another: everything in it is escaped."""
    head, start, rest = html.partition("<style>")
    stylesheet, end, tail = rest.partition("</style>")
    if not start or not end:
        return html, ""
    return head + tail, stylesheet


_parsed = threading.local()  # per thread: fontconfig and Pango objects are not shared between threads
MAX_STYLESHEETS = 32  # a few templates in two languages; a bound in case a stylesheet ever varies


def _stylesheet(text: str) -> tuple[FontConfiguration, CSS]:
    """The parsed stylesheet and the font configuration holding its fonts, made once per thread."""
    cache = getattr(_parsed, "stylesheets", None)
    if cache is None or len(cache) >= MAX_STYLESHEETS and text not in cache:
        cache = _parsed.stylesheets = {}
        _parsed.fonts = FontConfiguration()
    if text not in cache:
        cache[text] = CSS(
            string=text, base_url=BASE_URL, url_fetcher=BundledFilesOnly(), font_config=_parsed.fonts
        )
    return _parsed.fonts, cache[text]


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser. `filename` names the document and the admission, never the citizen."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Health data: not kept in shared caches or the browser's cache.
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
