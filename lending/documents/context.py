"""What the document templates receive: the agreement plus values worked out once here
(billing figures, CSE steps, skill labels, French labels) and the formatting helpers.

Templates get no other helper than these, so a document renders the same whatever the
application's Jinja globals or the reader's language.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lending import french
from lending.documents import formatting
from lending.extensions import db
from lending.models.agreement import Agreement, BillingRegime, DocumentKind, Signer
from lending.models.skills import Skill
from lending.services.deals import billing_rules
from lending.services.deals.billing_rules import billed_for

TEMPLATES = {
    DocumentKind.CONVENTION: "documents/convention.html",
    DocumentKind.AVENANT: "documents/avenant.html",
}
EVIDENCE_TEMPLATE = "documents/evidence.html"

KIND_TITLES = {
    DocumentKind.CONVENTION: "Convention de mise à disposition de personnel",
    DocumentKind.AVENANT: "Avenant au contrat de travail",
}

SIGNER_LABELS = {
    Signer.LENDER: "Entreprise prêteuse",
    Signer.HOST: "Entreprise utilisatrice",
    Signer.EMPLOYEE: "Salarié mis à disposition",
}

# lender_cse_opinion is a short free code; known codes get their French wording.
CSE_OPINIONS = {
    "favorable": "favorable",
    "favourable": "favorable",
    "unfavorable": "défavorable",
    "unfavourable": "défavorable",
    "defavorable": "défavorable",
    "défavorable": "défavorable",
    "abstention": "pas d'avis (abstention)",
    "none": "pas d'avis exprimé",
}
NO_CSE = "pas de CSE (moins de 11 salariés)"

HELPERS = {
    "a_place": french.a_place,
    "de": french.de,
    "date_long": formatting.date_long,
    "datetime_utc": formatting.datetime_utc,
    "euros": formatting.euros,
    "number": formatting.number,
    "percent": formatting.percent,
    "siret": formatting.siret,
    "yes_no": formatting.yes_no,
}


@dataclass(frozen=True)
class Billing:
    """Monthly figures of the convention, in cents."""

    salary: int
    charges: int
    expenses: int
    cost: int
    share_pct: int  # of the cost; always 100 at cost price
    billed: int
    below_cost_allowed: bool  # any regime other than cost_price


def billing_of(agreement: Agreement) -> Billing:
    cost_price = agreement.billing_regime == BillingRegime.COST_PRICE
    share = 100 if cost_price else agreement.billed_share_pct
    cost = agreement.monthly_cost_cents
    return Billing(
        salary=agreement.salary_cents,
        charges=agreement.charges_cents,
        expenses=agreement.expenses_cents,
        cost=cost,
        share_pct=share,
        billed=billed_for(agreement.billing_regime, cost, share),
        below_cost_allowed=not cost_price,
    )


def lender_cse(agreement: Agreement) -> str:
    if agreement.lender_no_cse:
        return NO_CSE
    if agreement.lender_cse_date is None:
        return "consultation non renseignée"
    opinion = (agreement.lender_cse_opinion or "").strip()
    text = f"consulté le {formatting.date_long(agreement.lender_cse_date)}"
    if opinion:
        text += f", avis {CSE_OPINIONS.get(opinion.lower(), opinion)}"
    else:
        text += ", avis non renseigné"
    return text


def host_cse(agreement: Agreement) -> str:
    if agreement.host_no_cse:
        return NO_CSE
    if agreement.host_cse_date is None:
        return "information et consultation non renseignées"
    return f"informé et consulté le {formatting.date_long(agreement.host_cse_date)}"


def skills_of(agreement: Agreement) -> list[tuple[str, str]]:
    """(code, label) of the agreement's skill codes, in their order; label "" if unknown."""
    codes = list(dict.fromkeys((agreement.skill_codes or "").split()))
    if not codes:
        return []
    rows = db.session.execute(select(Skill.code, Skill.label).where(Skill.code.in_(codes)))
    labels = {code: label for code, label in rows}
    return [(code, labels.get(code, "")) for code in codes]


def articles_of(agreement: Agreement) -> str:
    """The articles of the Code du travail the loan rests on: L8241-3 adds its billing."""
    if agreement.billing_regime == BillingRegime.L8241_3:
        return "articles L8241-1, L8241-2 et L8241-3"
    return "articles L8241-1 et L8241-2"


def declared(agreement: Agreement, side: str) -> str:
    """Who declared `side`'s ("lender", "host") facts and when, for the documents."""
    at = getattr(agreement, f"{side}_facts_declared_at")
    if at is None:
        return "déclarant et date non enregistrés"
    name = getattr(agreement, f"{side}_facts_declared_by") or "utilisateur supprimé"
    return f"déclaré par {name} le {formatting.datetime_utc(at)}"


# The thresholds of L8241-3 (billing_rules checks them), for the convention's wording.
L8241_3_RULES = {
    "lender_min": formatting.number(billing_rules.L8241_3_LENDER_MIN),
    "host_max_age": billing_rules.L8241_3_HOST_MAX_AGE,
    "host_max_headcount": formatting.number(billing_rules.L8241_3_HOST_MAX_HEADCOUNT),
    "max_years": billing_rules.L8241_3_MAX_YEARS,
}


_POSTCODE_AND_COMMUNE = re.compile(r"\b\d{5}\s+(?P<commune>[^,]+?)\s*$")


def made_at(agreement: Agreement) -> str:
    """ "au Passage": where the documents are made, the lender's commune (the employer
    draws up both), read from its address "12 avenue..., 47520 Le Passage"."""
    match = _POSTCODE_AND_COMMUNE.search(agreement.lender_address or "")
    return french.a_place(match["commune"] if match else agreement.lender_address)


def document_context(agreement: Agreement, kind: DocumentKind, version: int) -> dict:
    return {
        "agreement": agreement,
        "version": version,
        "kind": kind,
        "title": KIND_TITLES[kind],
        "billing": billing_of(agreement),
        "lender_cse": lender_cse(agreement),
        "host_cse": host_cse(agreement),
        "skills": skills_of(agreement),
        "legal_basis": articles_of(agreement),
        "l8241_3": agreement.billing_regime == BillingRegime.L8241_3,
        "l8241_3_rules": L8241_3_RULES,
        "lender_declared": declared(agreement, "lender"),
        "host_declared": declared(agreement, "host"),
        "made_at": made_at(agreement),
        **HELPERS,
    }


def evidence_context(document, signatures) -> dict:
    return {
        "document": document,
        "signatures": sorted(signatures, key=_signing_order),
        "title": "Page de preuve des signatures",
        "kind_title": KIND_TITLES[DocumentKind(document.kind)],
        "signer_labels": SIGNER_LABELS,
        "attachment_name": frozen_attachment_name(document),
        **HELPERS,
    }


def _signing_order(signature) -> tuple:
    return (signature.signed_at is None, signature.signed_at or datetime.min, signature.id or 0)


def frozen_attachment_name(document) -> str:
    return f"{DocumentKind(document.kind).value}-v{document.version}-figee.pdf"
