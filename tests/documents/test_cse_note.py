"""The CSE information note of each firm (issue 12, item 10): generated from the agreement,
what each CSE is asked under L8241-2, without the employee's name or pay."""

from datetime import date
from html import unescape

import pytest

from lending.documents import pdf_text
from lending.documents.render import cse_note_html, render_cse_note
from lending.models import Party
from tests.documents.samples import SCENARIOS, flat, reader

COMMON = [
    "NOTE D'INFORMATION DU COMITÉ SOCIAL ET ÉCONOMIQUE",
    "Projet de prêt de main-d'œuvre à but non lucratif (articles L8241-1, L8241-2 et L8241-3",
    "Objet du prêt Découverte du secteur agroalimentaire et transition professionnelle",
    "Entreprise prêteuse Aéro Garonne",
    "Entreprise utilisatrice Pruneaux d'Agen",
    "Emploi occupé dans l'entreprise prêteuse Ajusteuse-monteuse aéronautique",
    "Qualification Niveau V, coefficient 335",
    "Réglage des lignes de conditionnement Maintenance de premier niveau",
    "Lieu de travail ZI de Boé, 47550 Boé",
    "17,5 heures par semaine",
    "commence le 12 avril 2027 et prend fin le 1er avril 2028",
    "préavis de 15 jours calendaires",
    "n'est ni rompu ni suspendu",
    "retrouve son poste ou un poste équivalent",
    "l'accord exprès et écrit du salarié, donné avant son début",
    "son refus ne peut entraîner ni sanction, ni licenciement",
    "part du coût refacturée : 40 %",
    "ne peuvent pas être indemnisées au titre de l'activité partielle",
    "éditée le 1er février 2027",
]
BY_SIDE = {
    Party.LENDER: [
        "Le comité social et économique d'Aéro Garonne, entreprise prêteuse, est consulté "
        "préalablement à la mise en œuvre du prêt de main-d'œuvre (article L8241-2",
        "sera ensuite informé de la convention de mise à disposition signée",
        "État enregistré dans l'accord pas de CSE (moins de 11 salariés)",
        "L'entreprise a indiqué ne pas avoir de comité social et économique",
        "en indique la date et l'avis du comité",
    ],
    Party.HOST: [
        "Le comité social et économique de Pruneaux d'Agen, entreprise utilisatrice, est "
        "informé et consulté préalablement à l'accueil du salarié mis à disposition",
        "État enregistré dans l'accord informé et consulté le 15 février 2027",
        "en indique la date dans sa partie",
    ],
}


@pytest.fixture(scope="module")
def _notes() -> dict:
    return {}


@pytest.fixture
def note(_notes, make_agreement):
    """note(party) -> the text of the l8241_3 sample's note, laid out once per module."""

    def get(party: Party) -> str:
        if party not in _notes:
            agreement = make_agreement(**SCENARIOS["l8241_3"])
            pdf = render_cse_note(agreement, party, date(2027, 2, 1))
            assert reader(pdf).xmp_metadata.pdfaid_part == "3"
            _notes[party] = flat(pdf_text(pdf))
        return _notes[party]

    return get


@pytest.mark.parametrize("party", [Party.LENDER, Party.HOST])
def test_each_firm_gets_the_note_of_its_own_cse_step(note, party):
    text = note(party)
    assert [phrase for phrase in COMMON + BY_SIDE[party] if phrase not in text] == []
    other = Party.HOST if party == Party.LENDER else Party.LENDER
    assert [phrase for phrase in BY_SIDE[other] if phrase in text] == []


@pytest.mark.parametrize("party", [Party.LENDER, Party.HOST])
def test_the_note_names_neither_the_employee_nor_their_pay(note, party):
    text = note(party)
    for private in ("Camille", "Rivière", "CDI du 4 septembre", "3 450,00", "5 122,50", "2 049"):
        assert private not in text
    assert "mandat de représentant du personnel : il conserve" not in text  # who it is


def test_the_lenders_cse_is_told_of_a_post_on_the_l4154_2_list(make_agreement):
    agreement = make_agreement(l4154_list_post=True)
    lender = unescape(cse_note_html(agreement, Party.LENDER, date(2027, 2, 1)))
    host = unescape(cse_note_html(agreement, Party.HOST, date(2027, 2, 1)))
    told = "le comité de l'entreprise prêteuse en est informé par la présente note"
    assert told in lender
    assert told not in host


def test_there_is_no_note_for_the_employee(make_agreement):
    with pytest.raises(ValueError, match="lender or the host"):
        cse_note_html(make_agreement(), Party.EMPLOYEE)
