"""Every field of legal.md §3 is printed in the convention and every field of §4 in the
avenant, with French typography; conditional blocks appear only when they apply."""

import re

import pytest

from lending.documents import pdf_text
from lending.documents.formatting import siret
from lending.models import DocumentKind
from tests.documents.samples import HOST_SIRET, LENDER_SIRET, flat

CONVENTION, AVENANT = DocumentKind.CONVENTION, DocumentKind.AVENANT

LENDER = [
    "Aéro Garonne",
    flat(siret(LENDER_SIRET)),
    "12 avenue de l'Aéroport, 47520 Le Passage",
    "30.30Z Construction aéronautique et spatiale",
    "Sophie Durand, en qualité de Directrice des ressources humaines",
]
HOST = [
    "Pruneaux d'Agen",
    flat(siret(HOST_SIRET)),
    "3 chemin des Vergers, 47000 Agen",
    "10.39B Transformation et conservation de fruits",
    "Marc Lefèvre, en qualité de Gérant",
]
EMPLOYEE = [
    "Nom Rivière",
    "Prénom Camille",
    "Emploi occupé Ajusteuse-monteuse aéronautique",
    "Niveau V, coefficient 335",
    "Contrat de travail (référence) CDI du 4 septembre 2017",
]
POST = [
    "Réglage des lignes de conditionnement Maintenance de premier niveau",
    "Lieu de travail ZI de Boé, 47550 Boé",
    "Le poste présente des risques particuliers oui",
    "(article L4154-2 du Code du travail) non",
    "fournis par l'entreprise utilisatrice oui : Chaussures de sécurité, gants anti-coupure",
    "(suivi individuel renforcé) oui",
    "Contraintes physiques du poste Station debout prolongée",
]
COST_PRICE_TIMES = [
    "commence le 1er mars 2027 et prend fin le 31 août 2027",
    "35 heures par semaine",
    "Horaires de travail Du lundi au vendredi, de 8 h à 16 h",
]
L8241_3_TIMES = [
    "commence le 12 avril 2027 et prend fin le 1er avril 2028",
    "17,5 heures par semaine",
    "Fixés par l'entreprise utilisatrice avec l'accord du salarié",
]
# Fixed clauses, by a phrase of each.
WORKING_CONDITIONS = [
    "responsable des conditions d'exécution du travail",
    "durée du travail, travail de nuit, repos quotidien et hebdomadaire, jours fériés et "
    "congés, santé et sécurité au travail",
    "aux installations et moyens collectifs",
    "restauration collective et les moyens de transport collectifs",
]
EMPLOYEE_GUARANTEES = [
    "La rémunération du salarié reste inchangée",
    "versée par l'entreprise prêteuse",
    "frais professionnels engagés pour les besoins de la mise à disposition",
    "retrouve son poste de travail ou un poste équivalent",
    "sans que l'évolution de sa carrière ou de sa rémunération en soit affectée",
    "ne peut être ni sanctionné, ni licencié",
    "conserve seule le pouvoir disciplinaire",
    "préavis de 15 jours calendaires",
]
CONVENTION_ONLY = [
    "Convention de mise à disposition de personnel".upper(),
    "toute absence du salarié et de tout incident",
    "le salarié a donné son accord exprès et écrit",
    "l'avenant à son contrat de travail",
    "est signé par le salarié et par l'entreprise prêteuse",
    "Conformément à l'article L8241-1 du Code du travail, l'opération est à but non lucratif",
    "Salaire brut mensuel 3 450,00 €",
    "Charges sociales patronales mensuelles 1 552,50 €",
    "Frais professionnels mensuels 120,00 €",
    "Coût mensuel total 5 122,50 €",
    "Période de facturation mensuelle",
    "Délai de paiement 30 jours à compter de la réception de la facture",
    "Facture émise le 5 du mois suivant, bulletins de paie joints.",
    "Pour l'entreprise prêteuse",
    "Pour l'entreprise utilisatrice",
    "page 1 sur",
]
AVENANT_ONLY = [
    "Avenant au contrat de travail".upper(),
    "en complément du contrat de travail du salarié (CDI du 4 septembre 2017)",
    "Entreprise utilisatrice Raison sociale Pruneaux d'Agen",
    "le salarié donne son accord exprès et écrit",
    "Le salarié",
    "Pour l'entreprise prêteuse",
    "page 1 sur",
]

EXPECTED = {
    (CONVENTION, "cost_price"): LENDER
    + HOST
    + EMPLOYEE
    + POST
    + COST_PRICE_TIMES
    + WORKING_CONDITIONS
    + EMPLOYEE_GUARANTEES
    + CONVENTION_ONLY
    + [
        "Régime de facturation Prix coûtant : salaire, charges et frais refacturés à l'euro près",
        "Part du coût refacturée 100 %",
        "Montant mensuel facturé 5 122,50 €",
        "Comité social et économique de l'entreprise prêteuse consulté le 1er février 2027, "
        "avis favorable",
        "Comité social et économique de l'entreprise utilisatrice pas de CSE "
        "(moins de 11 salariés)",
    ],
    (CONVENTION, "l8241_3"): LENDER
    + HOST
    + EMPLOYEE
    + POST
    + L8241_3_TIMES
    + WORKING_CONDITIONS
    + EMPLOYEE_GUARANTEES
    + CONVENTION_ONLY
    + [
        "Régime de facturation Article L8241-3 : refacturation partielle ou nulle possible",
        "la facturation peut être inférieure à ce coût, voire nulle",
        "Part du coût refacturée 40 %",
        "Montant mensuel facturé 2 049,00 €",
        "Objet du prêt : Découverte du secteur agroalimentaire et transition professionnelle",
        "Justification de la facturation inférieure au coût : Entreprise utilisatrice de "
        "30 salariés, créée en 2022",
        "Comité social et économique de l'entreprise prêteuse pas de CSE (moins de 11 salariés)",
        "Comité social et économique de l'entreprise utilisatrice informé et consulté le "
        "15 février 2027",
        "conserve l'exercice de ce mandat et la protection qui s'y attache",
    ],
    (AVENANT, "cost_price"): LENDER
    + HOST
    + EMPLOYEE
    + POST
    + COST_PRICE_TIMES
    + WORKING_CONDITIONS
    + EMPLOYEE_GUARANTEES
    + AVENANT_ONLY,
    (AVENANT, "l8241_3"): LENDER
    + HOST
    + EMPLOYEE
    + POST
    + L8241_3_TIMES
    + WORKING_CONDITIONS
    + EMPLOYEE_GUARANTEES
    + AVENANT_ONLY
    + [
        "Objet du prêt : Découverte du secteur agroalimentaire et transition professionnelle",
        "conserve l'exercice de ce mandat et la protection qui s'y attache",
        "Les horaires précis sont fixés avec l'accord du salarié",
    ],
}
# What must not be printed in a scenario.
ABSENT = {
    (CONVENTION, "cost_price"): [
        "Période probatoire",
        "Justification de la facturation",
        "inférieure à ce coût",
        "mandat de représentant",
        "2 049,00 €",
    ],
    (CONVENTION, "l8241_3"): ["Période probatoire", "Montant mensuel facturé 5 122,50 €"],
    (AVENANT, "cost_price"): ["Période probatoire", "mandat de représentant"],
    (AVENANT, "l8241_3"): ["Période probatoire"],
}


@pytest.mark.parametrize(("kind", "scenario"), list(EXPECTED))
def test_every_legal_field_is_printed(rendered, skill_codes, kind, scenario):
    text = flat(pdf_text(rendered(scenario, kind)[1]))
    expected = [*EXPECTED[kind, scenario], *skill_codes, "XYZ-999"]
    assert [value for value in expected if value not in text] == []
    assert [value for value in ABSENT[kind, scenario] if value in text] == []


@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_probation_block_only_when_an_essential_element_changes(rendered, kind):
    text = flat(pdf_text(rendered("probation", kind)[1]))
    assert "Période probatoire" in text
    assert "période probatoire d'une durée de 10 jours" in text
    assert "Par écrit, remis en main propre contre décharge" in text
    assert "sauf faute grave du salarié, constituer un motif de sanction ou de licenciement" in text
    assert "Période probatoire" not in flat(pdf_text(rendered("cost_price", kind)[1]))


@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_html_is_french_hyphenated_and_self_contained(rendered, kind):
    html = rendered("cost_price", kind)[0]
    assert '<html lang="fr">' in html
    assert "hyphens: auto" in html
    assert "white-space: pre-line" in html
    assert "size: A4" in html
    assert 'counter(page) " sur " counter(pages)' in html
    for external in ("<link", "<script", "<img", "src=", "href=", "url("):
        assert external not in html


def test_pages_are_numbered_page_x_sur_y(rendered):
    pages = pdf_text(rendered("cost_price", CONVENTION)[1]).split("\f")
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"page {number} sur {len(pages)}" in page


@pytest.mark.parametrize("scenario", ["cost_price", "probation"])
@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_articles_are_numbered_in_order(rendered, kind, scenario):
    numbers = [int(n) for n in re.findall(r"Article (\d+) — ", rendered(scenario, kind)[0])]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 11


@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_a_draft_with_blanks_renders_them_as_missing(make_agreement, kind):
    from lending.documents import render_html

    agreement = make_agreement(
        lender_signatory_name="",
        lender_signatory_role="",
        employee_classification="",
        contract_reference="",
        risky_post=None,
        l4154_list_post=None,
        medical_surveillance=None,
        ppe="",
        physical_constraints="",
        working_hours="",
        lender_cse_date=None,
        lender_cse_opinion="",
        host_no_cse=False,
        host_cse_date=None,
        skill_codes="",
        essential_change=True,
        probation_days=None,
        billing_method="",
    )
    html = render_html(agreement, kind, 2)
    assert "version 2" in html
    assert "non renseigné, en qualité de fonction non renseignée" in html
    assert "<td>non renseigné</td>" in html  # unanswered risk questions
    assert "Aucune compétence codée." in html
    assert "(durée non renseignée)" in html
    if kind == CONVENTION:
        assert "consultation non renseignée" in html
        assert "information et consultation non renseignées" in html
