"""HTML → PDF with WeasyPrint, and QR codes with segno.

A document template is rendered by Flask like any page, then laid out by WeasyPrint. The
only resources it may load are files under the app's static folder (and inline data:
URLs): a template that points anywhere else fails to render instead of fetching it.
PDFs are tagged PDF/UA-1, so screen readers can read them.
"""

from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from flask import current_app, render_template
from flask_babel import force_locale, gettext
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from trainhub.core.documents.models import Verification
from trainhub.core.documents.service import issuer_of, verify_url
from trainhub.core.i18n import local_date
from trainhub.core.timeutil import to_local

PDF_VARIANT = "pdf/ua-1"
CERTIFICATE_TEMPLATE = "documents/certificate.html"


class ResourceRefused(ValueError):
    """A document asked for a resource outside the static folder."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under `root` and data: URLs; refuses everything else."""

    def __init__(self, root: str | Path) -> None:
        # fail_on_errors: a refused resource stops the rendering instead of a warning.
        super().__init__(fail_on_errors=True, allowed_protocols={"file", "data"})
        self.root = Path(root).resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ResourceRefused(f"only static files may be used in documents, not {url}")
        path = self.local_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(),
                                  headers={"Content-Type": content_type})

    def local_path(self, url: str) -> Path:
        """The file a file: URL names, if it lies under the root; else ResourceRefused."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"remote file URLs are refused: {url}")
        path = Path(url2pathname(parts.path)).resolve()  # resolves "..", and symlinks
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"{url} is not a file under the static folder")
        return path


def _static_root() -> Path:
    folder = current_app.static_folder
    if folder is None:
        raise RuntimeError("the app has no static folder")
    return Path(folder)


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a template to PDF. Relative URLs in it resolve against the static folder
    (write `href="css/certificate.css"`, not `url_for('static', …)`)."""
    root = _static_root()
    html = render_template(template_name, **context)
    try:
        document = HTML(string=html, base_url=f"{root}/", url_fetcher=StaticOnlyFetcher(root))
        return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))
    except FatalURLFetchingError as error:  # a BaseException: turn it into an error
        raise ResourceRefused(str(error)) from error.__cause__


def qr_code(data: str) -> segno.QRCode:
    """A full-size QR code (never a Micro QR, which phones do not read), error level M."""
    return segno.make_qr(data, error="m")


def qr_svg(data: str, title: str | None = None) -> str:
    """Inline SVG markup of `qr_code(data)` with its quiet zone of 4 modules.

    Sized by CSS (the SVG has a viewBox only). `title` (escaped by segno) becomes the
    figure's alternative text in a tagged PDF. Embed the result with Markup(): it is
    generated here, not user input."""
    return str(qr_code(data).svg_inline(scale=1, border=4, omitsize=True, svgclass="qr",
                                        lineclass=None, title=title))


def chinese_date(day: date) -> str:
    """2024年3月5日, as dates are written on official documents (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_date(day: date | None) -> str:
    """A date on a document, written as the pages write it (core.i18n.local_date: 2024年3月5日
    in Chinese)."""
    return local_date(day)


def certificate_context(verification: Verification, title: str) -> dict[str, Any]:
    """What documents/certificate.html needs; call inside the document's locale."""
    url = verify_url(verification.code)
    return {
        "verification": verification,
        "issuer": issuer_of(verification),
        "title": gettext(title),
        "facts": [(gettext(label), value) for label, value in verification.facts],
        "valid_from": document_date(verification.valid_from),
        "valid_until": document_date(verification.valid_until),
        "issued_on": document_date(to_local(verification.issued_at).date()),
        "verify_url": url,
        "qr": Markup(qr_svg(url, title=gettext(  # noqa: S704 - generated SVG
            "QR code for checking this certificate: %(url)s", url=url))),
    }


def render_certificate(verification: Verification, title: str, *,
                       template: str = CERTIFICATE_TEMPLATE, locale: str | None = None,
                       **extra: Any) -> bytes:
    """A certificate as PDF. `title` is an English msgid; the document is written in the
    federation's language (the default locale, Simplified Chinese) unless `locale` says
    otherwise. Domain templates may extend documents/certificate.html."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = certificate_context(verification, title)
        context.update(extra)
        return render_pdf(template, **context)
