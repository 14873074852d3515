"""Sample agreements for the document tests, and helpers to read the PDFs back."""

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from lending.models import BillingRegime
from tests.factories import valid_siret

LENDER_SIRET = valid_siret(42_000_001)
HOST_SIRET = valid_siret(42_000_002)

# Every field of legal.md §3 and §4, as the drafting service would copy them.
BASE = {
    "lender_name": "Aéro Garonne",
    "lender_siret": LENDER_SIRET,
    "lender_address": "12 avenue de l'Aéroport, 47520 Le Passage",
    "lender_naf": "30.30Z Construction aéronautique et spatiale",
    "lender_signatory_name": "Sophie Durand",
    "lender_signatory_role": "Directrice des ressources humaines",
    "host_name": "Pruneaux d'Agen",
    "host_siret": HOST_SIRET,
    "host_address": "3 chemin des Vergers, 47000 Agen",
    "host_naf": "10.39B Transformation et conservation de fruits",
    "host_signatory_name": "Marc Lefèvre",
    "host_signatory_role": "Gérant",
    "employee_first_name": "Camille",
    "employee_last_name": "Rivière",
    "employee_job_title": "Ajusteuse-monteuse aéronautique",
    "employee_classification": "Niveau V, coefficient 335",
    "contract_reference": "CDI du 4 septembre 2017",
    "start_date": date(2027, 3, 1),
    "end_date": date(2027, 8, 31),
    "missions": "Réglage des lignes de conditionnement\nMaintenance de premier niveau",
    "work_address": "ZI de Boé, 47550 Boé",
    "weekly_hours": Decimal("35.0"),
    "working_hours": "Du lundi au vendredi, de 8 h à 16 h",
    "risky_post": True,
    "l4154_list_post": False,
    "medical_surveillance": True,
    "ppe": "Chaussures de sécurité, gants anti-coupure",
    "physical_constraints": "Station debout prolongée",
    "notice_days": 15,
    "lender_cse_date": date(2027, 2, 1),
    "lender_cse_opinion": "favorable",
    "host_no_cse": True,
    "billing_regime": BillingRegime.COST_PRICE,
    "salary_cents": 3_450_00,
    "charges_cents": 1_552_50,
    "expenses_cents": 120_00,
    "billed_share_pct": 40,  # ignored at cost price
    "billing_method": "Facture émise le 5 du mois suivant, bulletins de paie joints.",
    "payment_terms_days": 30,
}

SCENARIOS = {
    "cost_price": {},
    "l8241_3": {
        "billing_regime": BillingRegime.L8241_3,
        "billed_share_pct": 40,
        "purpose": "Découverte du secteur agroalimentaire et transition professionnelle",
        "below_cost_justification": "Entreprise utilisatrice de 30 salariés, créée en 2022",
        "representative_mandate": True,
        "weekly_hours": Decimal("17.5"),
        "working_hours": "",
        "lender_no_cse": True,
        "lender_cse_date": None,
        "lender_cse_opinion": "",
        "host_no_cse": False,
        "host_cse_date": date(2027, 2, 15),
        "start_date": date(2027, 4, 12),
        "end_date": date(2028, 4, 1),
        "lender_headcount": 6_200,
        "lender_group_headcount": 12_000,
        "same_group": False,
        "lender_facts_declared_by": "Sophie Durand",
        "lender_facts_declared_at": datetime(2027, 2, 3, 9, 12, 7),
        "host_headcount": 30,
        "host_created_on": date(2022, 5, 2),
        "host_facts_declared_by": "Marc Lefèvre",
        "host_facts_declared_at": datetime(2027, 2, 4, 15, 0, 30),
        "lender_in_activite_partielle": True,
        "signing_date": date(2027, 3, 1),
    },
    "probation": {
        "essential_change": True,
        "probation_days": 10,
        "probation_terms": "Par écrit, remis en main propre contre décharge",
    },
    "hostile": {
        "missions": '<script>alert("x")</script>\nLigne {{ 7 * 7 }}',
        "ppe": '<img src="file:///etc/passwd">',
        "physical_constraints": "<style>* { background: url(file:///etc/passwd) }</style>",
        "employee_last_name": "<b>Gras</b>",
        "host_name": '"><iframe src="file:///etc/hostname"></iframe>',
        "working_hours": '<link rel="attachment" href="file:///etc/passwd">',
        "billing_method": '<object data="file:///etc/passwd"></object>',
    },
}


def flat(text: str) -> str:
    """PDF text with WeasyPrint's hyphenation undone (U+2010 at a line end) and every run
    of white space (line breaks, no-break and narrow no-break spaces) made one space."""
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "")).strip()


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def image_count(pdf: bytes) -> int:
    """Image XObjects anywhere in the file (page resources, patterns, forms alike)."""
    r = reader(pdf)
    count = 0
    for number in range(1, int(r.trailer["/Size"])):
        obj = r.get_object(number)
        if isinstance(obj, DictionaryObject) and obj.get("/Subtype") == "/Image":
            count += 1
    return count


def structure_types(pdf: bytes) -> set[str]:
    """The element types of a tagged PDF's structure tree ("/H1", "/P", "/Table"...)."""
    found: set[str] = set()
    pending = [reader(pdf).trailer["/Root"]["/StructTreeRoot"].get_object()]
    while pending:
        node = pending.pop()
        if "/S" in node:
            found.add(node["/S"])
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, DictionaryObject):
                pending.append(kid)
    return found
