"""Agreement documents: convention and avenant rendered to HTML then PDF/A-3b, the
evidence page of their signatures, hashes. See render.py."""

from lending.documents.render import (
    evidence_html,
    html_to_pdf,
    pdf_attachments,
    pdf_text,
    render_html,
    sha256_hex,
    signed_pdf,
)

__all__ = [
    "evidence_html",
    "html_to_pdf",
    "pdf_attachments",
    "pdf_text",
    "render_html",
    "sha256_hex",
    "signed_pdf",
]
