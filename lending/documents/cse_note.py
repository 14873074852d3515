"""The information note for a firm's CSE (comité social et économique), from the agreement.

Article L8241-2 of the Code du travail asks the lender's CSE to be consulted before a loan
is carried out (and informed of the conventions signed, and when the post is on the list of
posts with particular risks of L4154-2), and the host's CSE to be informed and consulted
before it receives a lent employee. The note gives each CSE what it is consulted on: the
purpose, the post, the dates, the conditions, and that nothing happens without the
employee's written consent. The compliance gate then asks for the date of that step.

The note does not name the employee, nor print the pay or the amounts billed: a CSE is
consulted on the loan, and the employee's pay is no business of the host's CSE (data
minimisation). The post, the qualification and the billing rule are printed instead.
"""

from datetime import date

from lending.documents.context import (
    HELPERS,
    articles_of,
    billing_of,
    host_cse,
    lender_cse,
    skills_of,
)
from lending.models import Agreement, BillingRegime, Party

TEMPLATE = "documents/cse_note.html"
TITLE = "Note d'information du comité social et économique"

# What each firm's CSE is asked, in the words of L8241-2.
STEP = {
    Party.LENDER: "consulté préalablement à la mise en œuvre du prêt de main-d'œuvre",
    Party.HOST: "informé et consulté préalablement à l'accueil du salarié mis à disposition",
}
ROLE = {Party.LENDER: "entreprise prêteuse", Party.HOST: "entreprise utilisatrice"}


def cse_note_context(agreement: Agreement, party: Party, today: date) -> dict:
    party = Party(party)
    if party not in STEP:
        raise ValueError(f"a CSE note is for the lender or the host, not {party!r}")
    lender = party == Party.LENDER
    return {
        "agreement": agreement,
        "lender_note": lender,
        "title": TITLE,
        "firm_name": agreement.lender_name if lender else agreement.host_name,
        "firm_role": ROLE[party],
        "other_role": ROLE[Party.HOST if lender else Party.LENDER],
        "other_name": agreement.host_name if lender else agreement.lender_name,
        "step": STEP[party],
        "recorded": lender_cse(agreement) if lender else host_cse(agreement),
        "no_cse": agreement.lender_no_cse if lender else agreement.host_no_cse,
        "legal_basis": articles_of(agreement),
        "cost_price": agreement.billing_regime == BillingRegime.COST_PRICE,
        "billing": billing_of(agreement),
        "skills": skills_of(agreement),
        "today": today,
        **HELPERS,
    }
