"""Each document is read by its own parties and the scheme's operators only (legal.md §1):
the convention binds the two firms, the avenant the employee and their employer, and the
billing statements are between the two firms."""

from html import unescape

import pytest

from lending.models import Role
from tests.web.test_access import _agreement_and_loan

ROLES = ("employee", "lender", "host", "operator", "other_operator", "admin")
# fmt: off
#                          employee lender host operator other_operator admin
READERS = {
    "convention":          (403,     200,   200, 200,     404,           200),
    "avenant":             (200,     200,   403, 200,     404,           200),
    "statements":          (403,     200,   200, 200,     404,           200),
}
# fmt: on


@pytest.fixture
def deal(make_firm, make_user, make_scheme, make_employee, make_need, make_proposal):
    scheme = make_scheme("Dispositif X", departements=["47"])
    lender, host = make_firm("Prêteuse"), make_firm("Accueil", naf="10.71C")
    employee_user = make_user(Role.EMPLOYEE, firm=lender)
    employee = make_employee(lender, user=employee_user)
    proposal = make_proposal(scheme, employee, make_need(host))
    agreement, loan, statement = _agreement_and_loan(proposal)
    users = {
        "employee": employee_user,
        "lender": make_user(Role.HR, firm=lender),
        "host": make_user(Role.HR, firm=host),
        "operator": make_user(Role.OPERATOR, schemes=[scheme]),
        "other_operator": make_user(Role.OPERATOR, schemes=[make_scheme("Dispositif Y")]),
        "admin": make_user(Role.ADMIN),
    }
    return agreement, loan, statement, users


def _document_urls(agreement, kind: str) -> list[str]:
    base = f"/accords/{agreement.id}/{kind}"
    return [f"{base}/apercu", f"{base}-v1.pdf", f"{base}/signer"]


def _statement_urls(loan, statement) -> list[str]:
    return [f"/prets/{loan.id}/releves.csv", f"/prets/{loan.id}/releves/{statement.id}.pdf"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["convention", "avenant", "statements"])
def test_a_document_is_read_by_its_parties_and_the_scheme_operators(
    client, login, deal, kind, role
):
    agreement, loan, statement, users = deal
    login(users[role])
    expected = READERS[kind][ROLES.index(role)]
    if kind == "statements":
        urls = _statement_urls(loan, statement)
    else:
        urls = _document_urls(agreement, kind)
        if role in ("operator", "other_operator", "admin"):
            urls = urls[:2]  # only parties sign
    for url in urls:
        response = client.get(url)
        response.close()
        assert response.status_code == expected, url


def test_pages_link_only_the_documents_the_user_may_read(client, app, login, deal):
    agreement, loan, _, users = deal
    convention, avenant = (f"/accords/{agreement.id}/{k}-v1.pdf" for k in ("convention", "avenant"))
    statements = f"/prets/{loan.id}/releves.csv"

    login(users["employee"])
    page = unescape(client.get(f"/accords/{agreement.id}").get_data(as_text=True))
    assert avenant in page
    assert convention not in page
    page = unescape(client.get(f"/prets/{loan.id}").get_data(as_text=True))
    assert statements not in page
    assert "Relevés mensuels de refacturation" not in page

    host = app.test_client()
    login(users["host"], test_client=host)
    page = unescape(host.get(f"/accords/{agreement.id}").get_data(as_text=True))
    assert convention in page
    assert avenant not in page
    page = unescape(host.get(f"/prets/{loan.id}").get_data(as_text=True))
    assert statements in page
    assert "Relevés mensuels de refacturation" in page
