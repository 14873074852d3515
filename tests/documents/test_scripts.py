"""Names in any script are printed with real glyphs, never empty boxes: the documents' font
stacks and fontconfig's fallback find a font for Latin accents, Chinese, Arabic, Cyrillic."""

import pytest

from lending.documents import html_to_pdf, pdf_text, render_html
from lending.models import DocumentKind
from tests.documents.samples import reader

NAMES = {
    "employee_first_name": "Zoé-Anaïs",
    "employee_last_name": "李雷",
    "lender_signatory_name": "Юлия Смирнова",
    "host_signatory_name": "ليلى حداد",
}


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture(scope="module")
def _pdf() -> dict:
    return {}


@pytest.fixture
def pdf(_pdf, make_agreement) -> bytes:
    if "pdf" not in _pdf:
        html = render_html(make_agreement(**NAMES), DocumentKind.CONVENTION, 1)
        _pdf["pdf"] = html_to_pdf(html)
    return _pdf["pdf"]


def test_names_in_any_script_are_printed(pdf):
    text = pdf_text(pdf)
    for name in ("Zoé-Anaïs", "李雷", "Юлия Смирнова"):
        assert name in text
    # Arabic is shaped (joined letter forms) and stored right to left: check its letters.
    assert {"ل", "ي", "ح", "د"} <= set(text)


def test_a_cjk_and_an_arabic_font_are_embedded(pdf):
    fonts = _fonts(pdf)
    assert any(f.startswith("Noto-Serif-CJK-SC") for f in fonts), fonts  # Chinese glyph forms
    assert any(f.startswith("Noto-Naskh-Arabic") for f in fonts), fonts
    assert any(f.startswith("DejaVu-Serif") for f in fonts), fonts
