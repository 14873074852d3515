"""Build an accepted proposal's agreement and complete it the way both firms would; sign
it with placeholder PDFs where the PDFs are not what a test checks."""

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from lending.documents import render
from lending.models import Party
from lending.models._time import utcnow
from lending.services import proposals, uow
from lending.services.deals import agreements, signatories, signing


def active_loan(agreement, start: date, end: date):
    """An active loan for `agreement`, as signing opens one, with the dates a test needs
    (added to the session, not flushed)."""
    from lending.extensions import db
    from lending.models import Loan, LoanStatus

    loan = Loan(
        agreement_id=agreement.id,
        employee_id=agreement.employee_id,
        lender_firm_id=agreement.lender_firm_id,
        host_firm_id=agreement.host_firm_id,
        scheme_id=agreement.scheme_id,
        status=LoanStatus.ACTIVE,
        start_date=start,
        end_date=end,
    )
    db.session.add(loan)
    return loan


_numbers = itertools.count(1)


def statement_row(loan, month: date, **values):
    """A billing statement of `loan` for `month` (not added to the session), built directly
    where the billing rules are not under test: 28 of 28 days, 4 100,00 € billed at cost,
    a number of its own."""
    from decimal import Decimal

    from lending.models import BillingStatement

    row = dict(
        loan_id=loan.id,
        lender_firm_id=loan.lender_firm_id,
        number_year=month.year,
        number_seq=next(_numbers),
        issue_date=month.replace(day=28) + timedelta(days=4),
        convention_ref=f"n° {loan.agreement_id}, version 1",
        month=month,
        days_on_loan=28,
        days_in_month=28,
        working_days=20,
        hours_on_loan=Decimal(140),
        salary_cents=280000,
        charges_cents=120000,
        expenses_cents=10000,
        cost_cents=410000,
        billed_cents=410000,
        regime="cost_price",
    )
    row.update(values)
    return BillingStatement(**row)


@contextmanager
def pdfs_as_placeholders() -> Iterator[None]:
    """Within it, render.html_to_pdf and render.signed_pdf return a few placeholder bytes
    instead of laying the document out with WeasyPrint (half a second to a second each; a
    signed agreement costs six layouts). The bytes differ whenever the HTML, or the signed
    document and its signatures, differ, so hashes still tell documents and versions apart.

    For tests of what signing does (gates, versions, loans, statements), not of what the
    PDFs hold: tests/documents and test_freeze_sign_and_open_the_loan lay out real ones."""

    def html_to_pdf(html: str, attachments=()) -> bytes:
        digest = hashlib.sha256(html.encode()).hexdigest()
        return f"%PDF-1.7\n% placeholder of the HTML {digest}\n".encode()

    def signed_pdf(document) -> bytes:
        signers = ",".join(sorted(s.signer.value for s in document.signatures))
        return f"%PDF-1.7\n% placeholder of {document.sha256} signed by {signers}\n".encode()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "html_to_pdf", html_to_pdf)
        patch.setattr(render, "signed_pdf", signed_pdf)
        yield


@pytest.fixture
def placeholder_pdfs() -> Iterator[None]:
    """The whole test runs with pdfs_as_placeholders()."""
    with pdfs_as_placeholders():
        yield


@pytest.fixture
def accepted(market, make_proposal):
    """An agreement drafted from a proposal the three parties accepted."""
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    for party, actor in (
        (Party.EMPLOYEE, proposal.employee.user),
        (Party.HOST, market.host_hr),
        (Party.LENDER, market.lender_hr),
    ):
        proposals.decide(proposal, party, accept=True, actor=actor)
    uow.commit()
    return agreements.for_proposal(proposal)


def _first_hr(firm_id: int) -> int | None:
    """The firm's signatory in the parts below: its first HR account (the market's one)."""
    accounts = signatories.accounts(firm_id)
    return accounts[0].id if accounts else None


def lender_part(agreement, **changes) -> agreements.LenderPart:
    start = max(agreement.start_date, date.today() + timedelta(days=30))
    values = dict(
        lender_signatory_id=_first_hr(agreement.lender_firm_id),
        employee_classification="Niveau V, coefficient 335",
        contract_reference="CDI du 3 septembre 2018",
        representative_mandate=False,
        start_date=start,
        end_date=start + timedelta(days=120),
        essential_change=False,
        probation_days=None,
        probation_terms="",
        notice_days=15,
        lender_no_cse=False,
        lender_cse_date=date.today() - timedelta(days=3),
        lender_cse_opinion="favorable",
        billing_regime=agreements.BillingRegime.COST_PRICE,
        salary_cents=2_800_00,
        charges_cents=1_200_00,
        expenses_cents=100_00,
        billed_share_pct=100,
        below_cost_justification="",
        purpose="",
        billing_method="Au réel, chaque mois.",
        payment_terms_days=30,
        lender_headcount=800,
        lender_group_headcount=None,
        same_group=False,
        lender_in_activite_partielle=False,
    )
    values.update(changes)
    return agreements.LenderPart(**values)


def host_part(agreement, **changes) -> agreements.HostPart:
    values = dict(
        host_signatory_id=_first_hr(agreement.host_firm_id),
        missions="Conduite de ligne",
        work_address="1 rue de l'Usine, 47000 Agen",
        weekly_hours=35,
        working_hours="8 h – 12 h, 13 h – 16 h",
        risky_post=False,
        l4154_list_post=False,
        medical_surveillance=False,
        ppe="Chaussures de sécurité",
        physical_constraints="",
        host_no_cse=True,
        host_cse_date=None,
        host_headcount=120,
        host_created_on=date(1990, 1, 1),
    )
    values.update(changes)
    return agreements.HostPart(**values)


def complete(agreement, market) -> None:
    agreements.update(agreement, lender_part(agreement), market.lender_hr)
    agreements.update(agreement, host_part(agreement), market.host_hr)
    uow.commit()


def sign_all(agreement, market) -> None:
    """Every signature, in the order signing requires: the avenant, then the convention."""
    from lending.models import DocumentKind

    employee_user = agreement.employee.user
    for kind, users in (
        (DocumentKind.AVENANT, (employee_user, market.lender_hr)),
        (DocumentKind.CONVENTION, (market.lender_hr, market.host_hr)),
    ):
        for user in users:
            signing.sign(
                agreement,
                kind,
                user,
                "cheval agrafe batterie correcte",
                ip="127.0.0.1",
                user_agent="pytest",
                now=utcnow(),
            )
            uow.commit()
