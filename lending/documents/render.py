"""Agreement documents: Jinja templates -> HTML -> PDF/A-3b, hashes, signed PDF.

Every PDF is tagged (a structure tree, for screen readers) as well as PDF/A-3b: WeasyPrint
combines its `pdf_tags` option with the PDF/A-3b variant. French punctuation gets its
no-break spaces in every document's text (formatting.typography).

WeasyPrint reads local files and fetches URLs by default. Every rendering here goes through
`DataUrlsOnly`, which serves `data:` URLs and refuses everything else (file://, http(s)://,
relative paths), with no base URL: a document can never pull in anything from the server's
disk or the network, whatever its text holds. Templates keep autoescaping on, so agreement
fields are text, never markup.
"""

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from io import BytesIO
from urllib.parse import urlsplit

from flask import render_template
from flask_babel import force_locale
from pypdf import PdfReader
from weasyprint import CSS, HTML, Attachment
from weasyprint.css import ColorProfile
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from lending.documents import cse_note
from lending.documents.context import (
    EVIDENCE_TEMPLATE,
    TEMPLATES,
    document_context,
    evidence_context,
    frozen_attachment_name,
)
from lending.documents.formatting import typography
from lending.models import Party
from lending.models._time import local_date
from lending.models.agreement import Agreement, AgreementDocument, DocumentKind, Signature

PDF_VARIANT = "pdf/a-3b"
OUTPUT_INTENT = "pdfa-srgb"


class ForbiddenResourceError(ValueError):
    """A document asked for a resource other than a data: URL."""


class DataUrlsOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves data: URLs only and raises for any other.

    WeasyPrint catches the error, logs it and renders the document without the resource.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url, headers=None):
        if urlsplit(url.strip()).scheme.lower() != "data":
            raise ForbiddenResourceError(f"only data: URLs are allowed in documents: {url[:80]!r}")
        return super().fetch(url, headers)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _french(template: str, context: dict) -> str:
    """A document template rendered in French whatever the request's language, with the
    no-break spaces of French punctuation."""
    with force_locale("fr"):
        return str(typography(render_template(template, **context)))


def render_html(agreement: Agreement, kind: DocumentKind, version: int) -> str:
    """The HTML of the convention or the avenant of `agreement`, in French whatever the
    request's language. Needs an application context."""
    kind = DocumentKind(kind)
    return _french(TEMPLATES[kind], document_context(agreement, kind, version))


def evidence_html(document: AgreementDocument, signatures: Iterable[Signature]) -> str:
    """The evidence page of a frozen document: its hash and one record per signature."""
    return _french(EVIDENCE_TEMPLATE, evidence_context(document, signatures))


def render_convention(agreement: Agreement, version: int | None = None) -> bytes:
    """The convention de mise à disposition of `agreement` as a PDF (default: its current
    version), as it reads now; a frozen one is `agreement.current(kind).pdf`.

    Beyond legal.md §3, its clauses on paid leave and sick leave, the host's internal
    rules (règlement intérieur), civil liability and insurance, and activité partielle
    follow the subjects of the Ministry of Labour's 2020 models of a convention de mise à
    disposition and an avenant for a non-profit loan (ministère du Travail, « Prêt de
    main-d'œuvre : modèles de convention et d'avenant », 2020), in the project's own
    words. Needs an application context, as do the other render_* functions."""
    version = agreement.version if version is None else version
    return html_to_pdf(render_html(agreement, DocumentKind.CONVENTION, version))


def render_avenant(agreement: Agreement, version: int | None = None) -> bytes:
    """The avenant au contrat de travail of `agreement` as a PDF (see render_convention)."""
    version = agreement.version if version is None else version
    return html_to_pdf(render_html(agreement, DocumentKind.AVENANT, version))


def cse_note_html(agreement: Agreement, party: Party, today: date | None = None) -> str:
    """The HTML of the CSE information note of one firm of `agreement`: `party` is
    Party.LENDER or Party.HOST (ValueError otherwise); `today` (default: the Paris date)
    is printed as the note's date."""
    context = cse_note.cse_note_context(agreement, party, today or local_date())
    return _french(cse_note.TEMPLATE, context)


def render_cse_note(agreement: Agreement, party: Party, today: date | None = None) -> bytes:
    """The CSE information note of the lender's or the host's firm, as a PDF/A-3b."""
    return html_to_pdf(cse_note_html(agreement, party, today))


@cache
def _srgb_icc() -> bytes:
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _color_profiles() -> dict[str, ColorProfile]:
    """WeasyPrint's own sRGB output intent for PDF/A, read here: WeasyPrint 70 opens the
    profile file without closing it (a ResourceWarning on every PDF). A fresh object per
    document, as WeasyPrint stores the profile's PDF reference on it while writing."""
    profile = ColorProfile(
        BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )
    return {OUTPUT_INTENT: profile}


def _layout(html: str, css: str = "") -> Document:
    """`html` laid out; `css`: a style sheet that overrides the document's (!important)."""
    sheets = [CSS(string=css, base_url=None, url_fetcher=DataUrlsOnly())] if css else None
    return HTML(string=html, base_url=None, url_fetcher=DataUrlsOnly()).render(
        stylesheets=sheets,
        color_profiles=_color_profiles(),
        pdf_variant=PDF_VARIANT,
        output_intent=OUTPUT_INTENT,
    )


def _pdf_attachment(name: str, data: bytes, when: datetime | None = None) -> Attachment:
    when = when or datetime.now(UTC).replace(tzinfo=None)
    return Attachment(
        string=data,
        name=name,
        created=when,
        modified=when,
        relationship="Source",
        url_fetcher=DataUrlsOnly(),
    )


def _associated_files_once(document: Document, pdf) -> None:
    """WeasyPrint 70 lists each embedded file twice in the catalogue's /AF (once from the
    EmbeddedFiles name tree, once from the file specification objects): keep one of each."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def _write(document: Document, attachments: list[Attachment]) -> bytes:
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        output_intent=OUTPUT_INTENT,
        attachments=attachments or None,
        finisher=_associated_files_once,
    )


def html_to_pdf(html: str, attachments: Iterable[tuple[str, bytes]] = ()) -> bytes:
    """A PDF/A-3b of `html`, with `(file name, bytes)` pairs embedded as associated files.

    Only data: URLs are fetched; any other image, stylesheet or font is left out."""
    files = [_pdf_attachment(name, data) for name, data in attachments]
    return _write(_layout(html), files)


def _page_numbers(total: int, first: int = 1) -> str:
    """A style sheet numbering pages "page x sur `total`" from `first`: the signed file
    joins two documents, and each would count only its own pages."""
    number = f'"page " counter(page) " sur {total}"'
    css = f"@page {{ @bottom-right {{ content: {number} !important }} }}"
    if first > 1:  # the first page's own increment is replaced by the reset
        css += f" @page :first {{ counter-reset: page {first} !important }}"
    return css


def signed_pdf(document: AgreementDocument) -> bytes:
    """The final PDF of a signed document: its frozen HTML laid out again, the evidence
    page appended, and the frozen PDF (the exact bytes that were signed) embedded. Its
    pages are numbered across the whole file ("page 5 sur 5" on the evidence page): the
    text of the frozen pages is the frozen PDF's but for that total."""
    html = evidence_html(document, document.signatures)
    evidence_pages = len(_layout(html).pages)  # the footer's text never changes the count
    frozen_pages = len(PdfReader(BytesIO(document.pdf)).pages)
    frozen = _layout(document.html, _page_numbers(frozen_pages + evidence_pages))
    if len(frozen.pages) != frozen_pages:  # laid out otherwise here (other fonts): recount
        frozen_pages = len(frozen.pages)
        frozen = _layout(document.html, _page_numbers(frozen_pages + evidence_pages))
    total = frozen_pages + evidence_pages
    evidence = _layout(html, _page_numbers(total, first=frozen_pages + 1))
    combined = frozen.copy(frozen.pages + evidence.pages)
    original = _pdf_attachment(frozen_attachment_name(document), document.pdf, document.frozen_at)
    original.description = "PDF figé, tel que signé"
    return _write(combined, [original])


def pdf_text(pdf: bytes) -> str:
    """The text of every page, pages separated by a form feed."""
    reader = PdfReader(BytesIO(pdf))
    return "\f".join(page.extract_text() or "" for page in reader.pages)


def pdf_attachments(pdf: bytes) -> dict[str, bytes]:
    """The files embedded in a PDF, by name (the first one of each name)."""
    reader = PdfReader(BytesIO(pdf))
    return {name: contents[0] for name, contents in reader.attachments.items() if contents}
