"""The signed convention names, for each firm, the person whose signature its evidence page
records: the HR account that signed, with the function held in that account."""

from datetime import date

from lending.documents import pdf_text
from lending.models import DocumentKind
from lending.services import accounts, uow
from lending.services.deals import signing
from tests.services.agreement_helpers import complete, sign_all


def _one_line(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_the_signed_convention_names_the_accounts_that_signed(accepted, market):
    drh = "Directrice des ressources humaines"
    accounts.update_identity(market.lender_hr, "Sophie Durand", drh)
    accounts.update_identity(market.host_hr, "Marc Lefèvre", "Gérant")
    uow.commit()
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    sign_all(accepted, market)

    text = _one_line(pdf_text(accepted.current(DocumentKind.CONVENTION).signed_pdf))
    cut = text.index("Empreinte SHA-256 du PDF figé")  # the evidence page
    body, evidence = text[:cut], text[cut:]
    for name, function in (
        ("Sophie Durand", "Directrice des ressources humaines"),
        ("Marc Lefèvre", "Gérant"),
    ):
        assert f"{name}, en qualité de {function}" in body  # who the convention names
        assert f"Signataire {name}" in evidence  # who signed
    avenant = _one_line(pdf_text(accepted.current(DocumentKind.AVENANT).signed_pdf))
    assert "Sophie Durand, Directrice des ressources humaines" in avenant
