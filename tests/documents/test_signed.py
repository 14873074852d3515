"""PDF/A-3b output, tagged, the evidence page and the signed PDF that carries the frozen
one."""

import re
from datetime import datetime

import pytest

from lending.documents import (
    evidence_html,
    html_to_pdf,
    pdf_attachments,
    pdf_text,
    sha256_hex,
    signed_pdf,
)
from lending.extensions import db
from lending.models import AgreementDocument, DocumentKind, Signature, Signer
from tests.documents.samples import flat, reader, structure_types

FROZEN_AT = datetime(2027, 2, 9, 16, 30, 0)
SIGNATURES = [
    (
        Signer.HOST,
        "Marc Lefèvre",
        datetime(2027, 2, 11, 17, 40, 59),
        "2001:db8::42",
        "Mozilla/5.0 <script>alert(1)</script> Firefox/128.0",
    ),
    (
        Signer.LENDER,
        "Sophie Durand",
        datetime(2027, 2, 10, 9, 15, 2),
        "203.0.113.7",
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
    ),
]


def assert_pdf_a_3b(pdf: bytes) -> None:
    r = reader(pdf)
    assert r.pdf_header == "%PDF-1.7"
    xmp = r.xmp_metadata
    assert (str(xmp.pdfaid_part), xmp.pdfaid_conformance) == ("3", "B")
    (intent,) = r.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"


def associated_files(pdf: bytes) -> list:
    """The file specifications of the catalogue's /AF, as listed."""
    return [ref.get_object() for ref in reader(pdf).trailer["/Root"]["/AF"]]


def assert_tagged(pdf: bytes) -> None:
    """A structure tree for screen readers: a marked PDF, in French, whose headings,
    paragraphs and tables are tagged as such."""
    root = reader(pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "fr"
    assert {"/Document", "/H1", "/H2", "/P", "/Table", "/TH", "/TD"} <= structure_types(pdf)


def without_page_numbers(page: str) -> str:
    return re.sub(r"page \d+ sur \d+", "", page)


@pytest.mark.parametrize("kind", [DocumentKind.CONVENTION, DocumentKind.AVENANT])
def test_documents_are_pdf_a_3b(rendered, kind):
    pdf = rendered("cost_price", kind)[1]
    assert_pdf_a_3b(pdf)
    assert_tagged(pdf)
    assert reader(pdf).metadata.title.startswith(
        {"convention": "Convention de mise à disposition", "avenant": "Avenant au contrat"}[kind]
    )


def test_html_to_pdf_embeds_attachments_as_pdf_a_3_associated_files():
    pdf = html_to_pdf("<p>Pièce jointe</p>", attachments=[("donnees.csv", b"a;b\n1;2\n")])
    assert_pdf_a_3b(pdf)
    assert pdf_attachments(pdf) == {"donnees.csv": b"a;b\n1;2\n"}
    (spec,) = associated_files(pdf)  # listed once (WeasyPrint 70 lists it twice)
    assert spec["/F"] == "donnees.csv"


@pytest.fixture
def frozen(make_agreement, rendered):
    """A frozen convention, signed by both firms (the host's browser sends markup). Its HTML
    and PDF are the session's rendering of the same sample agreement (see conftest.py)."""
    agreement = make_agreement()
    html, pdf = rendered("cost_price", DocumentKind.CONVENTION)
    document = AgreementDocument(
        kind=DocumentKind.CONVENTION,
        version=1,
        html=html,
        pdf=pdf,
        sha256=sha256_hex(pdf),
        frozen_at=FROZEN_AT,
    )
    agreement.documents.append(document)
    for signer, name, at, ip, agent in SIGNATURES:
        document.signatures.append(
            Signature(
                signer=signer,
                signer_name=name,
                signed_at=at,
                ip=ip,
                user_agent=agent,
                document_sha256=document.sha256,
                document_version=1,
            )
        )
    db.session.commit()
    return document


def test_evidence_page_lists_each_signature_in_order(frozen):
    html = evidence_html(frozen, frozen.signatures)
    assert '<html lang="fr">' in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("Sophie Durand") < html.index("Marc Lefèvre")  # by time of signature


def test_signed_pdf_appends_the_evidence_page_and_carries_the_frozen_pdf(frozen):
    signed = signed_pdf(frozen)
    assert_pdf_a_3b(signed)
    assert_tagged(signed)

    frozen_pages = pdf_text(frozen.pdf).split("\f")
    signed_pages = pdf_text(signed).split("\f")
    # The same document, re-rendered; only the page total changes.
    assert [without_page_numbers(p) for p in signed_pages[: len(frozen_pages)]] == [
        without_page_numbers(p) for p in frozen_pages
    ]
    evidence = flat("\n".join(signed_pages[len(frozen_pages) :]))
    for value in [
        "PAGE DE PREUVE DES SIGNATURES",
        "Document Convention de mise à disposition de personnel",
        "Version 1",
        "Figé le 9 février 2027 à 16:30:00 UTC",
        f"Empreinte SHA-256 du PDF figé {frozen.sha256}",
        "convention-v1-figee.pdf",
        "Entreprise prêteuse Signataire Sophie Durand Signé le 10 février 2027 à 09:15:02 UTC",
        "Adresse IP 203.0.113.7",
        "Navigateur (user agent) Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
        "Entreprise utilisatrice Signataire Marc Lefèvre Signé le 11 février 2027 à 17:40:59 UTC",
        "Adresse IP 2001:db8::42",
        "Mozilla/5.0 <script>alert(1)</script> Firefox/128.0",
        f"Empreinte SHA-256 du document signé {frozen.sha256} Version signée 1",
    ]:
        assert value in evidence
    assert evidence.count(frozen.sha256) == 3

    attached = pdf_attachments(signed)
    assert list(attached) == ["convention-v1-figee.pdf"]
    assert attached["convention-v1-figee.pdf"] == frozen.pdf
    assert sha256_hex(attached["convention-v1-figee.pdf"]) == frozen.sha256
    (spec,) = associated_files(signed)
    assert spec["/AFRelationship"] == "/Source"


def test_the_whole_signed_file_is_numbered(frozen):
    """The frozen document's pages and the evidence page count as one file: "page 5 sur 5"
    on the evidence page of a four-page convention, not "page 1 sur 1"."""
    frozen_pages = pdf_text(frozen.pdf).split("\f")
    signed_pages = pdf_text(signed_pdf(frozen)).split("\f")
    assert len(signed_pages) > len(frozen_pages) > 1
    total = len(signed_pages)
    for number, page in enumerate(signed_pages, start=1):
        assert re.findall(r"page \d+ sur \d+", page) == [f"page {number} sur {total}"]
    # The frozen PDF itself, signed as it is, counts its own pages.
    assert f"page 1 sur {len(frozen_pages)}" in frozen_pages[0]


def test_pages_are_counted_again_when_the_frozen_html_lays_out_otherwise_here(frozen):
    """Fonts on this server may lay the frozen HTML out on another number of pages than the
    frozen PDF has: the numbering follows the file actually made."""
    frozen.pdf = html_to_pdf("<p>Une seule page</p>")
    signed_pages = pdf_text(signed_pdf(frozen)).split("\f")
    total = len(signed_pages)
    assert total > 2
    for number, page in enumerate(signed_pages, start=1):
        assert re.findall(r"page \d+ sur \d+", page) == [f"page {number} sur {total}"]
