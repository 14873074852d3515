"""`flask --app wsgi lending sample-documents OUTDIR`: every document of a loan under each
regime a new convention may use, as PDFs anyone can read (issue 12, item 11)."""

import re

import pytest
from sqlalchemy import func, select

from lending.documents.formatting import siret
from lending.documents.render import pdf_text
from lending.documents.samples import DOCUMENTS, REGIMES, sample_siret
from lending.extensions import db
from lending.models import Firm
from tests.documents.samples import flat, reader

# What legal.md §3 and §4 ask each document to print, as the samples fill it in.
CONVENTION = [
    "Aéro Garonne",
    "Pruneaux d'Agen",
    "12 avenue de l'Aéroport",
    "30.30Z",
    "10.39B",
    "Sophie Durand",
    "Directrice des ressources humaines",
    "Marc Lefèvre",
    "Gérant",
    "Rivière",
    "Camille",
    "Ajusteuse-monteuse aéronautique",
    "Niveau V, coefficient 335",
    "Réglage des lignes de conditionnement",
    "ZI de Boé, 47550 Boé",
    "Chaussures de sécurité, gants anti-coupure",
    "bulletins de paie joints",
    "réellement versés",
    "activité partielle",
    "Fait au Passage, le",
]
AVENANT = [
    "Aéro Garonne",
    "Pruneaux d'Agen",
    "Camille",
    "Rivière",
    "CDI du 4 septembre 2017",
    "Réglage des lignes de conditionnement",
    "Fait au Passage, le",
]


@pytest.fixture(scope="module")
def samples(tmp_path_factory, _app):
    outdir = tmp_path_factory.mktemp("samples")
    result = _app.test_cli_runner().invoke(args=["lending", "sample-documents", str(outdir)])
    assert result.exit_code == 0, result.output
    return outdir, result.output


def _text(samples, regime, name) -> str:
    return flat(pdf_text((samples[0] / f"{regime.value}-{name}.pdf").read_bytes()))


def test_every_document_of_both_regimes_is_written_and_listed(samples):
    outdir, output = samples
    expected = {f"{r.value}-{name}.pdf" for r in REGIMES for name in DOCUMENTS}
    assert {p.name for p in outdir.iterdir()} == expected
    assert {line.rsplit("/", 1)[-1] for line in output.split()} >= expected
    for path in outdir.iterdir():
        assert path.read_bytes().startswith(b"%PDF-")
        assert len(reader(path.read_bytes()).pages) >= 1


def test_the_site_s_own_database_is_left_alone(samples, app):
    assert db.session.scalar(select(func.count(Firm.id))) == 0


@pytest.mark.parametrize("regime", REGIMES, ids=lambda r: r.value)
def test_the_conventions_print_every_field_of_legal_md(samples, regime):
    for name in ("convention", "convention-signee"):
        text = _text(samples, regime, name)
        missing = [field for field in CONVENTION if flat(field) not in text]
        assert not missing, (name, missing)
        n = REGIMES.index(regime)
        for seed in (42_000_001 + 10 * n, 42_000_002 + 10 * n):  # both SIRETs, formatted
            assert flat(siret(sample_siret(seed))) in text
    text = _text(samples, regime, "avenant")
    assert not [field for field in AVENANT if flat(field) not in text]


def test_the_l8241_3_convention_cites_its_article_and_prints_its_facts(samples):
    text = _text(samples, REGIMES[1], "convention")
    assert "L8241-3" in text
    assert "Découverte du secteur agroalimentaire" in text
    assert text.count("Découverte du secteur agroalimentaire") == 1  # the purpose, once
    assert "6 200" in text or "6\u202f200" in text or "6200" in text  # lender headcount
    assert "déclaré par Sophie Durand" in text
    assert "déclaré par Marc Lefèvre" in text
    assert "L8241-3" not in _text(samples, REGIMES[0], "convention")


@pytest.mark.parametrize("regime", REGIMES, ids=lambda r: r.value)
def test_signed_files_are_numbered_as_a_whole_and_name_who_signed(samples, regime):
    for name in ("convention-signee", "avenant-signe"):
        pdf = (samples[0] / f"{regime.value}-{name}.pdf").read_bytes()
        pages = len(reader(pdf).pages)
        text = flat(pdf_text(pdf))
        assert f"page {pages} sur {pages}" in text
        assert f"sur {pages - 1}" not in text.replace(f"{pages - 1} sur {pages}", "")
    evidence = _text(samples, regime, "convention-signee")
    assert "Sophie Durand" in evidence
    assert "Marc Lefèvre" in evidence


def test_no_missing_elision_in_any_document(samples):
    for path in samples[0].iterdir():
        text = flat(pdf_text(path.read_bytes()))
        assert not re.search(r"\b[dD]e [AEIOUÉÈaeiouéè]", text), path.name


def test_each_firm_gets_its_own_cse_note(samples):
    for regime in REGIMES:
        lender = _text(samples, regime, "note-cse-preteuse")
        host = _text(samples, regime, "note-cse-accueil")
        assert lender != host
        assert "accord exprès et écrit du salarié" in lender  # the consent is required
        assert "accord exprès et écrit du salarié" in host
        assert "Rivière" not in lender + host  # the notes do not name the employee


@pytest.mark.parametrize("regime", REGIMES, ids=lambda r: r.value)
def test_the_statement_bills_the_month_s_real_pay_in_french(samples, regime):
    text = _text(samples, regime, "releve")
    assert re.search(r"N° \d{4}-0001", text)
    assert "Montants réellement versés" in text
    assert re.search(r"Période \w+ \d{4}", text)  # the period in words
    assert re.search(r"\d+ h", text)  # the hours on loan that month
    assert "activité partielle" in text
    assert re.search(r"\d[\d ]*,\d\d €", text)  # French money, whatever the session
