"""Every route of app.url_map × every role, against an explicit table of expectations.

A route added without an expectation here makes `test_every_route_has_expectations` fail.
Codes: 200, 400, 403, 404 as such; "L" = redirect to the login page; "R" = another redirect.
"""

import pytest
from sqlalchemy import select

from lending.extensions import db
from lending.models import EnrolmentStatus, Role, User
from tests.factories import (
    new_employee,
    new_enrolment,
    new_firm,
    new_need,
    new_proposal,
    new_scheme,
    new_user,
)
from tests.services.agreement_helpers import active_loan, statement_row

# The statement PDF is laid out for its readers only: its access is what is checked here.
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")

ROLES = ["anonymous", "employee", "hr_a", "hr_b", "operator_x", "operator_y", "monitor", "admin"]

# The world's "kind" is the avenant: the host (hr_b) is no party to it.
# fmt: off
#                                              anon  empl  hr_a  hr_b  op_x  op_y  mon   admin
EXPECTED = {
    ("static", "GET"):                         "200   200   200   200   200   200   200   200",
    ("main.index", "GET"):                     "200   R     R     R     R     R     R     R",
    ("main.set_language", "POST"):             "R     R     R     R     R     R     R     R",
    ("main.legal_notice", "GET"):              "200   200   200   200   200   200   200   200",
    ("auth.login", "GET"):                     "200   R     R     R     R     R     R     R",
    ("auth.login", "POST"):                    "200   R     R     R     R     R     R     R",
    ("auth.logout", "POST"):                   "L     R     R     R     R     R     R     R",
    ("auth.register", "GET"):                  "200   R     R     R     R     R     R     R",
    ("auth.register", "POST"):                 "200   R     R     R     R     R     R     R",
    ("auth.confirm_signup", "GET"):            "R     R     R     R     R     R     R     R",
    ("auth.confirm_signup", "POST"):           "R     R     R     R     R     R     R     R",
    ("auth.forgot_password", "GET"):           "200   200   200   200   200   200   200   200",
    ("auth.forgot_password", "POST"):          "200   200   200   200   200   200   200   200",
    ("auth.reset_password", "GET"):            "R     R     R     R     R     R     R     R",
    ("auth.reset_password", "POST"):           "R     R     R     R     R     R     R     R",
    ("auth.account", "GET"):                   "L     200   200   200   200   200   200   200",
    ("auth.change_password", "POST"):          "L     200   200   200   200   200   200   200",
    ("auth.change_identity", "POST"):          "L     403   200   200   403   403   403   403",
    ("firms.home", "GET"):                     "L     403   200   200   403   403   403   403",
    ("firms.apply", "POST"):                   "L     403   R     R     403   403   403   403",
    ("firms.regenerate_code", "POST"):         "L     403   R     R     403   403   403   403",
    ("employees.index", "GET"):                "L     403   200   200   403   403   403   403",
    ("employees.create", "GET"):               "L     403   200   200   403   403   403   403",
    ("employees.create", "POST"):              "L     403   200   200   403   403   403   403",
    ("employees.edit", "GET"):                 "L     403   200   404   403   403   403   403",
    ("employees.edit", "POST"):                "L     403   200   404   403   403   403   403",
    ("employees.set_status", "POST"):          "L     403   R     404   403   403   403   403",
    ("employees.invite", "POST"):              "L     403   R     404   403   403   403   403",
    ("employees.import_template", "GET"):      "L     403   200   200   403   403   403   403",
    ("employees.import_csv", "GET"):           "L     403   200   200   403   403   403   403",
    ("employees.import_csv", "POST"):          "L     403   200   200   403   403   403   403",
    ("employees.import_status", "GET"):        "L     403   200   404   403   403   403   403",
    ("employees.import_progress", "GET"):      "L     403   200   404   403   403   403   403",
    ("needs.index", "GET"):                    "L     403   200   200   403   403   403   403",
    ("needs.create", "GET"):                   "L     403   200   200   403   403   403   403",
    ("needs.create", "POST"):                  "L     403   200   200   403   403   403   403",
    ("needs.edit", "GET"):                     "L     403   200   404   403   403   403   403",
    ("needs.edit", "POST"):                    "L     403   200   404   403   403   403   403",
    ("needs.close", "POST"):                   "L     403   R     404   403   403   403   403",
    ("volunteer.accept_invitation", "GET"):    "R     R     R     R     R     R     R     R",
    ("volunteer.accept_invitation", "POST"):   "R     R     R     R     R     R     R     R",
    ("volunteer.home", "GET"):                 "L     200   403   403   403   403   403   403",
    ("volunteer.consent", "POST"):             "L     200   403   403   403   403   403   403",
    ("volunteer.withdraw", "POST"):            "L     R     403   403   403   403   403   403",
    ("volunteer.preferences", "GET"):          "L     200   403   403   403   403   403   403",
    ("volunteer.preferences", "POST"):         "L     200   403   403   403   403   403   403",
    ("volunteer.self_register", "GET"):        "200   R     R     R     R     R     R     R",
    ("volunteer.self_register", "POST"):       "200   R     R     R     R     R     R     R",
    ("schemes.index", "GET"):                  "L     403   403   403   200   200   403   200",
    ("schemes.create", "GET"):                 "L     403   403   403   403   403   403   200",
    ("schemes.create", "POST"):                "L     403   403   403   403   403   403   200",
    ("schemes.edit", "GET"):                   "L     403   403   403   200   404   403   200",
    ("schemes.edit", "POST"):                  "L     403   403   403   200   404   403   200",
    ("schemes.detail", "GET"):                 "L     403   403   403   200   404   403   200",
    ("schemes.decide", "POST"):                "L     403   403   403   R     404   403   R",
    ("admin.staff", "GET"):                    "L     403   403   403   403   403   403   200",
    ("admin.create_staff", "GET"):             "L     403   403   403   403   403   403   200",
    ("admin.create_staff", "POST"):            "L     403   403   403   403   403   403   200",
    ("monitor.index", "GET"):                  "L     403   403   403   R     R     R     200",
    ("monitor.dashboard_page", "GET"):         "L     403   403   403   200   404   200   200",
    ("monitor.printable", "GET"):              "L     403   403   403   200   404   200   200",
    ("monitor.export_csv", "GET"):             "L     403   403   403   200   404   200   200",
    ("monitor.export_xlsx", "GET"):            "L     403   403   403   200   404   200   200",
    ("monitor.export_json", "GET"):            "L     403   403   403   200   404   200   200",
    ("reference.communes", "GET"):             "200   200   200   200   200   200   200   200",
    ("reference.skills", "GET"):               "200   200   200   200   200   200   200   200",
    ("rounds.index", "GET"):                   "L     403   403   403   200   404   403   200",
    ("rounds.start", "POST"):                  "L     403   403   403   R     404   403   R",
    ("rounds.detail", "GET"):                  "L     403   403   403   200   404   403   200",
    ("rounds.progress", "GET"):                "L     403   403   403   200   404   403   200",
    ("proposals.index", "GET"):                "L     200   200   200   403   403   403   403",
    ("proposals.detail", "GET"):               "L     200   200   200   200   404   403   200",
    ("proposals.decide", "POST"):              "L     R     R     R     403   403   403   403",
    ("agreements.detail", "GET"):              "L     200   200   200   200   404   403   200",
    ("agreements.lender_part", "GET"):         "L     403   200   403   403   403   403   403",
    ("agreements.lender_part", "POST"):        "L     403   200   403   403   403   403   403",
    ("agreements.host_part", "GET"):           "L     403   403   200   403   403   403   403",
    ("agreements.host_part", "POST"):          "L     403   403   200   403   403   403   403",
    ("agreements.preview", "GET"):             "L     200   200   403   200   404   403   200",
    ("agreements.freeze", "POST"):             "L     403   R     R     403   403   403   403",
    ("agreements.abandon", "POST"):            "L     R     R     R     403   403   403   403",
    ("agreements.sign", "GET"):                "L     200   200   403   403   403   403   403",
    ("agreements.sign", "POST"):               "L     200   200   403   403   403   403   403",
    ("agreements.download", "GET"):            "L     200   200   403   200   404   403   200",
    ("agreements.cse_note", "GET"):            "L     403   200   200   403   403   403   403",
    ("agreements.verify", "GET"):              "L     200   200   200   200   200   200   200",
    ("agreements.verify", "POST"):             "L     200   200   200   200   200   200   200",
    ("loans.index", "GET"):                    "L     200   200   200   200   200   403   200",
    ("loans.detail", "GET"):                   "L     200   200   200   200   404   403   200",
    ("loans.end_early", "POST"):               "L     403   R     R     403   403   403   403",
    ("loans.record_return", "POST"):           "L     403   R     403   403   403   403   403",
    ("loans.extend", "POST"):                  "L     403   R     R     403   403   403   403",
    ("loans.issue_statement", "POST"):         "L     403   R     403   403   403   403   403",
    ("loans.statements_csv", "GET"):           "L     403   200   200   200   404   403   200",
    ("loans.statement_pdf", "GET"):            "L     403   200   200   200   404   403   200",
    ("loans.actual", "GET"):                   "L     403   200   403   403   403   403   403",
    ("loans.actual", "POST"):                  "L     403   200   403   403   403   403   403",
    ("loans.actuals_template", "GET"):         "L     403   200   403   403   403   403   403",
    ("loans.import_actuals", "GET"):           "L     403   200   403   403   403   403   403",
    ("loans.import_actuals", "POST"):          "L     403   200   403   403   403   403   403",
    ("loans.mark_paid", "POST"):               "L     403   403   R     403   403   403   403",
    ("loans.contest_statement", "POST"):       "L     403   403   R     403   403   403   403",
    ("loans.feedback", "POST"):                "L     R     R     R     403   403   403   403",
    ("desk.index", "GET"):                     "L     403   403   403   200   200   403   200",
    ("desk.write", "GET"):                     "L     403   403   403   200   404   403   200",
    ("desk.write", "POST"):                    "L     403   403   403   200   404   403   200",
}
# fmt: on


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_expectations(app):
    missing = [
        f"{rule.endpoint} {method}"
        for rule, method in _routes(app)
        if (rule.endpoint, method) not in EXPECTED
    ]
    assert not missing, f"routes without an access expectation: {missing}"
    stale = set(EXPECTED) - {(rule.endpoint, method) for rule, method in _routes(app)}
    assert not stale, f"expectations for routes that no longer exist: {stale}"


@pytest.fixture
def app(rolled_back_app):
    """The world is built once for the module; each test is rolled back to it."""
    return rolled_back_app


@pytest.fixture(scope="module")
def _world(module_database) -> tuple[dict, dict]:
    """(user ids by role, values of the routes' arguments), built once for the module."""
    scheme_x = new_scheme("Dispositif X", departements=["47"])
    scheme_y = new_scheme("Dispositif Y", departements=["31"])
    firm_a = new_firm("Firme A", naf="30.30Z")
    firm_b = new_firm("Firme B", naf="10.71C")
    enrolment = new_enrolment(firm_a, scheme_x, EnrolmentStatus.PENDING)
    employee_user = new_user(Role.EMPLOYEE, firm=firm_a)
    employee = new_employee(firm_a, user=employee_user)
    need = new_need(firm_a)
    proposal = new_proposal(scheme_x, employee, new_need(firm_b))
    agreement, loan, statement = _agreement_and_loan(proposal)
    users = {
        "employee": employee_user,
        "hr_a": new_user(Role.HR, firm=firm_a),
        "hr_b": new_user(Role.HR, firm=firm_b),
        "operator_x": new_user(Role.OPERATOR, schemes=[scheme_x]),
        "operator_y": new_user(Role.OPERATOR, schemes=[scheme_y]),
        "monitor": new_user(Role.MONITOR, schemes=[scheme_x]),
        "admin": new_user(Role.ADMIN),
    }
    values = {
        "filename": "css/site.css",
        "scheme_id": scheme_x.id,
        "enrolment_id": enrolment.id,
        "decision": "accepter",
        "token": "not-a-valid-token",
        "employee_id": employee.id,
        "need_id": need.id,
        "action": "retirer",
        "round_id": proposal.round_id,
        "proposal_id": proposal.id,
        "agreement_id": agreement.id,
        "kind": "avenant",
        "version": 1,
        "loan_id": loan.id,
        "statement_id": statement.id,
        "month": statement.month.strftime("%Y-%m"),
        "deal": "accords",
        "deal_id": agreement.id,
        "task_id": _import_task(firm_a, users["hr_a"]),
    }
    return {role: user.id for role, user in users.items()}, values


@pytest.fixture
def world(app, _world) -> tuple[dict, dict]:
    """(users by role, anonymous being None, in the test's session; route values)."""
    user_ids, values = _world
    found = db.session.scalars(select(User).where(User.id.in_(user_ids.values())))
    by_id = {user.id: user for user in found}
    return {"anonymous": None, **{role: by_id[i] for role, i in user_ids.items()}}, values


def _import_task(firm, hr) -> int:
    """An employee import queued by firm A (never run here)."""
    from lending.services import employee_import, uow

    task = employee_import.queue(firm, b"prenom;nom\r\n", hr)
    uow.commit()
    return task.id


def _agreement_and_loan(proposal):
    """A frozen agreement (placeholder PDF bytes: no rendering here) and its active loan."""
    from datetime import date, timedelta

    from lending.models import (
        AgreementDocument,
        AgreementStatus,
        DocumentKind,
        ProposalStatus,
    )
    from lending.services.deals import agreements

    proposal.status = ProposalStatus.ACCEPTED
    agreement = agreements.draft(proposal)
    agreement.status = AgreementStatus.SIGNING
    for kind in DocumentKind:
        agreement.documents.append(
            AgreementDocument(
                kind=kind,
                version=1,
                html="<html><body><p>Texte</p></body></html>",
                pdf=b"%PDF-1.7 placeholder",
                sha256="0" * 64,
            )
        )
    # Begun two months ago, so that its months are open to the lender's actuals.
    start = (date.today().replace(day=1) - timedelta(days=40)).replace(day=1)
    loan = active_loan(agreement, start, start + timedelta(days=120))
    db.session.flush()
    statement = statement_row(loan, start)
    db.session.add(statement)
    db.session.commit()
    return agreement, loan, statement


def _url(app, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})
    if endpoint == "reference.communes":
        url += "?code_postal=47000"
    if endpoint == "reference.skills":
        url += "?q=soudage"
    if endpoint == "monitor.export_csv":
        url += "?tableau=needs"
    return url


CASES = [
    (endpoint, method, i, role)
    for (endpoint, method), row in EXPECTED.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(
    ("endpoint", "method", "index", "role"), CASES, ids=[f"{e}-{m}-{r}" for e, m, _, r in CASES]
)
def test_access(app, client, login, world, endpoint, method, index, role):
    users, values = world
    if users[role] is not None:
        login(users[role])
    url = _url(app, endpoint, values)
    if method == "GET":
        response = client.get(url)
    else:
        data = {"reason": "Hors périmètre"} if endpoint == "schemes.decide" else {}
        response = client.post_form(url, data)
    response.close()
    expected = EXPECTED[(endpoint, method)].split()[index]
    if expected == "L":
        assert response.status_code == 302
        assert "/connexion" in response.headers["Location"]
    elif expected == "R":
        assert response.status_code == 302
        assert "/connexion" not in response.headers["Location"] or endpoint.startswith("auth.")
    else:
        assert response.status_code == int(expected), response.get_data(as_text=True)[:500]
