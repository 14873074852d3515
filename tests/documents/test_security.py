"""Agreement text is text, never markup; documents can load nothing from the disk or the
network, only data: URLs."""

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from lending.documents import html_to_pdf, pdf_attachments, pdf_text
from lending.documents.render import DataUrlsOnly, ForbiddenResourceError
from lending.models import DocumentKind
from tests.documents.samples import SCENARIOS, flat, image_count

TEMPLATES = Path(__file__).parents[2] / "templates" / "documents"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def local_png(tmp_path_factory) -> Path:
    """A real image on the disk: were it read, it would show up in the PDF."""
    path = tmp_path_factory.mktemp("img") / "rouge.png"
    path.write_bytes(png_bytes())
    return path


def page_with(resource: str) -> str:
    """Raw HTML pulling `resource` in every way WeasyPrint knows. (`@import url(relative)`
    without a base URL crashes WeasyPrint 70 before any fetch, so @import takes a string.)"""
    return f"""<!doctype html><html lang="fr"><head>
<link rel="stylesheet" href="{resource}">
<link rel="attachment" href="{resource}">
<style>
  @import "{resource}";
  body {{ background: url({resource}); }}
  p {{ background-image: url("{resource}"); }}
  li {{ list-style-image: url({resource}); }}
</style></head>
<body><p>Texte</p><img src="{resource}" alt=""><object data="{resource}"></object>
<embed src="{resource}"><ul><li>point</li></ul></body></html>"""


@pytest.mark.parametrize(
    "resource",
    [
        "file:///etc/hostname",
        "/etc/hostname",
        "etc/hostname",
        "file://{png}",
        "{png}",
        "http://127.0.0.1:9/rouge.png",
        "https://example.invalid/rouge.png",
    ],
)
def test_html_to_pdf_loads_no_file_and_no_url(local_png, resource):
    pdf = html_to_pdf(page_with(resource.format(png=local_png)))
    assert image_count(pdf) == 0
    assert pdf_attachments(pdf) == {}
    assert flat(pdf_text(pdf)).replace("•", "").strip() == "Texte point"  # nothing else


def test_a_data_url_image_is_embedded():
    """The control: the same page with a data: URL does get its image (so the test above
    would fail if a file were read)."""
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    assert image_count(html_to_pdf(page_with(data_url))) >= 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        " file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.org/a.css",
        "ftp://example.org/a",
        "/etc/passwd",
        "etc/passwd",
    ],
)
def test_fetcher_refuses_anything_but_data_urls(url):
    with pytest.raises(ForbiddenResourceError):
        DataUrlsOnly().fetch(url)


def test_fetcher_serves_data_urls():
    response = DataUrlsOnly().fetch("data:text/plain;base64," + base64.b64encode(b"ok").decode())
    assert response.read() == b"ok"
    response.close()


@pytest.mark.parametrize("kind", [DocumentKind.CONVENTION, DocumentKind.AVENANT])
def test_agreement_text_with_markup_is_printed_as_text(rendered, kind):
    html, pdf = rendered("hostile", kind)
    for tag in ("<script", "<img", "<b>", "<iframe", "<link", "<object", "<style>*"):
        assert tag not in html
    assert "&lt;script&gt;" in html
    assert "{{ 7 * 7 }}" in html  # text, not a template
    text = flat(pdf_text(pdf))
    hostile = SCENARIOS["hostile"]
    shown = ["missions", "ppe", "physical_constraints", "employee_last_name", "host_name"]
    shown += ["working_hours"] + (["billing_method"] if kind == DocumentKind.CONVENTION else [])
    for field in shown:
        assert flat(hostile[field]) in text, field
    assert image_count(pdf) == 0
    assert pdf_attachments(pdf) == {}
    assert "root:" not in text


def test_document_templates_never_mark_text_safe():
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        for marker in ("|safe", "| safe", "autoescape false", "Markup("):
            assert marker not in source, f"{template.name}: {marker}"


def test_weasyprint_alone_would_read_the_local_file(local_png):
    """Why the fetcher matters: with WeasyPrint's default fetcher the file is embedded."""
    from weasyprint import HTML

    assert image_count(HTML(string=page_with(f"file://{local_png}")).write_pdf()) >= 1
