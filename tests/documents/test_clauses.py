"""What a lawyer reads beyond legal.md's fields (issue 12, items 5, 7 and 9): the clauses on
leave, sickness, internal rules, liability and activité partielle; the L8241-3 basis and
its declared facts; "Fait à"; French elision and no-break spaces in the documents."""

import re
from html import unescape

import pytest

from lending.documents import pdf_text, render_html
from lending.models import BillingRegime, DocumentKind
from tests.documents.samples import flat

CONVENTION, AVENANT = DocumentKind.CONVENTION, DocumentKind.AVENANT

CLAUSES = {
    "paid leave": "continue d'acquérir ses congés payés auprès de l'entreprise prêteuse",
    "leave dates": "fixées par l'entreprise prêteuse en accord avec l'entreprise utilisatrice",
    "sick leave": "l'avis d'arrêt de travail dans les 48 heures",
    "sick pay": "maintient le salaire dans les conditions prévues par la loi",
    "internal rules": "respecte le règlement intérieur de l'entreprise utilisatrice",
    "internal rules handed over": "lui en remet un exemplaire, ou le lui rend accessible",
}
CONVENTION_CLAUSES = {
    "liability": "répond, en qualité de commettant, des dommages qu'il cause aux tiers",
    "civil code": "(article 1242, alinéa 5, du Code civil)",
    "insurance": "son contrat d'assurance de responsabilité civile couvre l'activité du salarié",
    "absences billed as paid": "déduction faite des indemnités journalières",
    "activité partielle": "elles ne peuvent pas être indemnisées au titre de l'activité "
    "partielle (articles L5122-1 et R5122-19 du Code du travail)",
    "hours on statements": "le relevé mensuel de facturation indique les heures de mise à "
    "disposition de chaque mois",
}
LENDER_USES_AP = "L'entreprise prêteuse déclare avoir recours à l'activité partielle"
EMPLOYEE_AP = "elles ne sont pas indemnisées au titre de l'activité partielle"


@pytest.mark.parametrize("scenario", ["cost_price", "l8241_3"])
def test_the_convention_holds_the_clauses_a_lawyer_asks_for(rendered, scenario):
    text = flat(pdf_text(rendered(scenario, CONVENTION)[1]))
    expected = {**CLAUSES, **CONVENTION_CLAUSES}
    assert [name for name, phrase in expected.items() if phrase not in text] == []
    for heading in (
        "Règlement intérieur de l'entreprise utilisatrice",
        "Congés payés et arrêts de travail",
        "Responsabilité civile et assurances",
        "Activité partielle",
    ):
        assert re.search(rf"Article \d+ — {heading}", text), heading


@pytest.mark.parametrize("scenario", ["cost_price", "l8241_3"])
def test_the_avenant_tells_the_employee_about_leave_sickness_and_rules(rendered, scenario):
    text = flat(pdf_text(rendered(scenario, AVENANT)[1]))
    assert [name for name, phrase in CLAUSES.items() if phrase not in text] == []
    assert "commettant" not in text  # liability is between the firms


def test_activite_partielle_is_declared_when_the_lender_uses_it(rendered):
    """The rule is in every convention (a lender may start activité partielle during the
    loan); the lender's declaration, and the avenant's sentence to the employee, only when
    it uses it (the l8241_3 sample)."""
    using = flat(pdf_text(rendered("l8241_3", CONVENTION)[1]))
    not_using = flat(pdf_text(rendered("cost_price", CONVENTION)[1]))
    assert CONVENTION_CLAUSES["activité partielle"] in not_using
    assert LENDER_USES_AP in using
    assert LENDER_USES_AP not in not_using
    assert EMPLOYEE_AP in flat(pdf_text(rendered("l8241_3", AVENANT)[1]))
    assert EMPLOYEE_AP not in flat(pdf_text(rendered("cost_price", AVENANT)[1]))


def test_l8241_3_is_cited_with_the_facts_it_rests_on_and_who_declared_them(rendered):
    text = flat(pdf_text(rendered("l8241_3", CONVENTION)[1]))
    subtitle = "Prêt de main-d'œuvre à but non lucratif (articles L8241-1, L8241-2 et L8241-3 du "
    assert subtitle in text
    assert "régi par les articles L8241-1, L8241-2 et L8241-3 du Code du travail" in text
    for fact in [
        "Effectif de l'entreprise prêteuse 6 200 salariés",
        "Effectif du groupe de l'entreprise prêteuse 12 000 salariés",
        "Entreprises du même groupe (article L2331-1) non",
        "Déclaration de l'entreprise prêteuse déclaré par Sophie Durand le 3 février 2027 à "
        "09:12:07 UTC",
        "Date de création de l'entreprise utilisatrice 2 mai 2022",
        "Effectif de l'entreprise utilisatrice 30 salariés",
        "Déclaration de l'entreprise utilisatrice déclaré par Marc Lefèvre le 4 février 2027 à "
        "15:00:30 UTC",
        "d'au moins 5 000 salariés",
        "de moins de 8 ans ou de moins de 250 salariés",
    ]:
        assert fact in text
    avenant = flat(pdf_text(rendered("l8241_3", AVENANT)[1]))
    assert "(articles L8241-1, L8241-2 et L8241-3 du Code du travail)" in avenant


def test_a_cost_price_convention_cites_l8241_1_and_2_only(rendered):
    text = flat(pdf_text(rendered("cost_price", CONVENTION)[1]))
    assert "(articles L8241-1 et L8241-2 du Code du travail)" in text
    assert "L8241-3" not in text
    assert "Déclaration de l'entreprise prêteuse" not in text


def test_undeclared_facts_say_so(make_agreement):
    html = unescape(
        render_html(make_agreement(billing_regime=BillingRegime.L8241_3), CONVENTION, 1)
    )
    assert html.count("déclarant et date non enregistrés") == 2
    assert "Effectif de l'entreprise prêteuse</th><td>non renseigné" in html


def test_the_purpose_of_an_l8241_3_loan_is_printed_once(rendered, make_agreement):
    text = flat(pdf_text(rendered("l8241_3", CONVENTION)[1]))
    assert text.count("Objet du prêt") == 1
    assert text.count("Découverte du secteur agroalimentaire") == 1
    missing = unescape(
        render_html(make_agreement(billing_regime=BillingRegime.L8241_3), CONVENTION, 1)
    )
    assert missing.count("Objet du prêt") == 1
    assert "Objet du prêt\u00a0: non renseigné" in missing


@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_made_at_the_lenders_commune_on_the_signing_date(rendered, make_agreement, kind):
    """ "Fait à" under the signatures: the lender's commune (Le Passage: "au Passage") and the
    date the documents were frozen for signature; a draft says the date is still to come."""
    text = flat(pdf_text(rendered("l8241_3", kind)[1]))
    made = "Fait au Passage, le 1er mars 2027, en un exemplaire électronique"
    assert made in text
    assert text.index("Signatures") < text.index(made)
    draft = unescape(render_html(make_agreement(lender_address="1 rue Neuve, 47000 Agen"), kind, 1))
    assert "Fait à Agen, le (date de la mise en signature)" in draft


def test_names_are_elided_in_documents(make_agreement):
    agreement = make_agreement(employee_first_name="Émile", host_name="Atelier Garonne")
    html = unescape(render_html(agreement, AVENANT, 1))
    assert "Avenant au contrat de travail d'Émile Rivière" in html
    assert "mise à disposition auprès d'Atelier Garonne" in html
    assert " de Émile" not in html
    assert " de Atelier" not in html


@pytest.mark.parametrize("kind", [CONVENTION, AVENANT])
def test_french_punctuation_has_no_break_spaces(rendered, make_agreement, kind):
    html = rendered("cost_price", kind)[0]
    body = html[html.index("<body") :]
    text = re.sub(r"<[^>]*>", "", body)
    assert re.findall(r" [:;?!]|« | »", text) == []
    assert "Entre les soussign" in text
    assert "\u00a0:" in text
    assert "«\u00a0l'entreprise prêteuse\u00a0»" in unescape(text)
    assert "\u202f;" in text
    # What users type gets them too; style sheets keep theirs.
    typed = make_agreement(missions="Contrôle : qualité ; tri ! «lots»", purpose="")
    typed_html = unescape(render_html(typed, kind, 1))
    assert "Contrôle\u00a0: qualité\u202f; tri\u202f! «\u00a0lots\u00a0»" in typed_html
    assert 'content: "page " counter(page) " sur " counter(pages);' in typed_html
