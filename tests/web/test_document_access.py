"""Each document is read by its own parties and the scheme's operators only (legal.md §1):
the convention binds the two firms, the avenant the employee and their employer, and the
billing statements are between the two firms."""

from html import unescape

import pytest

from lending.extensions import db
from lending.models import Agreement, BillingStatement, Loan, Role, User
from tests.factories import new_employee, new_firm, new_need, new_proposal, new_scheme, new_user
from tests.web.test_access import _agreement_and_loan

# The statement PDF is laid out for its readers only: its access is what is checked here.
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")

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
def app(rolled_back_app):
    """The deal is built once for the module; each test is rolled back to it."""
    return rolled_back_app


@pytest.fixture(scope="module")
def _deal(module_database) -> tuple[int, int, int, dict]:
    """(agreement, loan and statement ids, user ids by role), built once for the module."""
    scheme = new_scheme("Dispositif X", departements=["47"])
    lender, host = new_firm("Prêteuse"), new_firm("Accueil", naf="10.71C")
    employee_user = new_user(Role.EMPLOYEE, firm=lender)
    employee = new_employee(lender, user=employee_user)
    proposal = new_proposal(scheme, employee, new_need(host))
    agreement, loan, statement = _agreement_and_loan(proposal)
    users = {
        "employee": employee_user,
        "lender": new_user(Role.HR, firm=lender),
        "host": new_user(Role.HR, firm=host),
        "operator": new_user(Role.OPERATOR, schemes=[scheme]),
        "other_operator": new_user(Role.OPERATOR, schemes=[new_scheme("Dispositif Y")]),
        "admin": new_user(Role.ADMIN),
    }
    user_ids = {role: user.id for role, user in users.items()}
    return agreement.id, loan.id, statement.id, user_ids


@pytest.fixture
def deal(app, _deal):
    """(agreement, loan, statement, users by role), in the test's session."""
    agreement_id, loan_id, statement_id, user_ids = _deal
    users = {role: db.session.get(User, user_id) for role, user_id in user_ids.items()}
    return (
        db.session.get(Agreement, agreement_id),
        db.session.get(Loan, loan_id),
        db.session.get(BillingStatement, statement_id),
        users,
    )


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
