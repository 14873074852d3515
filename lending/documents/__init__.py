"""Agreement documents: convention and avenant rendered to HTML then PDF/A-3b, the
evidence page of their signatures, hashes, and each firm's CSE information note. See
render.py."""

from lending.documents.render import (
    cse_note_html,
    evidence_html,
    html_to_pdf,
    pdf_attachments,
    pdf_text,
    render_avenant,
    render_convention,
    render_cse_note,
    render_html,
    sha256_hex,
    signed_pdf,
)

__all__ = [
    "cse_note_html",
    "evidence_html",
    "html_to_pdf",
    "pdf_attachments",
    "pdf_text",
    "render_avenant",
    "render_convention",
    "render_cse_note",
    "render_html",
    "sha256_hex",
    "signed_pdf",
]
