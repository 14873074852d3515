"""A loan's life: start on its date, monthly statements under the non-profit rule, early
end, return to post, feedback, extension by a new signed version, the 12-month flag."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lending.extensions import db
from lending.models import AgreementStatus, BillingRegime, Loan, LoanStatus
from lending.services import uow
from lending.services.deals import actuals, agreements, loans, signing, statements
from lending.services.errors import ServiceError
from tests.services.agreement_helpers import complete, host_part, lender_part, sign_all

# Signing here opens loans; what the PDFs hold is tested in tests/documents.
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")


@pytest.fixture
def loan(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    sign_all(accepted, market)
    return db.session.scalar(select(Loan))


def _started(loan) -> Loan:
    loans.advance(loan.start_date)
    uow.commit()
    return loan


def test_the_loan_starts_on_its_date_and_only_then(loan):
    assert loans.advance(loan.start_date - timedelta(days=1))["started"] == 0
    assert loan.status == LoanStatus.SCHEDULED
    _started(loan)
    assert loan.status == LoanStatus.ACTIVE
    assert [e.kind for e in loan.events] == ["signed", "started"]
    assert loans.advance(loan.start_date)["started"] == 0  # idempotent


def _bill_first_month(loan, **kw):
    """Enter the declared figures of the loan's first month, then issue its statement."""
    month = loan.start_date.replace(day=1)
    after = (month + timedelta(days=32)).replace(day=1)
    line = actuals.month_of(loan, month, after)
    actuals.record(loan, month, line.declared, None, today=after)
    return statements.issue(loan, month, today=after, **kw)


def test_statements_bill_the_entered_actuals_exactly(loan):
    _started(loan)
    first_month = loan.start_date.replace(day=1)
    statement = _bill_first_month(loan)
    uow.commit()
    days = (
        first_month.replace(
            month=first_month.month % 12 + 1, year=first_month.year + (first_month.month == 12)
        )
        - first_month
    ).days
    on_loan = days - loan.start_date.day + 1
    assert (statement.days_on_loan, statement.days_in_month) == (on_loan, days)
    assert statement.cost_cents == statement.salary_cents + statement.charges_cents + (
        statement.expenses_cents
    )
    assert statement.billed_cents == statement.cost_cents  # cost price: exactly the cost
    with pytest.raises(ServiceError, match="existe déjà"):
        statements.issue(loan, first_month, today=statement.issue_date)
    uow.rollback()
    csv = statements.as_csv([statement]).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("numero;date_d_emission;mois;jours_de_pret")


def test_billing_above_or_below_cost_is_refused_at_cost_price(loan):
    _started(loan)
    for wrong, message in ((10_000_00, "bénéfice"), (1_00, "exactement le coût")):
        with pytest.raises(ServiceError, match=message):
            _bill_first_month(loan, billed_cents=wrong)
        uow.rollback()


def test_early_end_return_and_feedback(loan, market):
    _started(loan)
    with pytest.raises(ServiceError, match="motif"):
        loans.end_early(loan, loan.start_date + timedelta(days=10), "  ", market.host_hr)
    last_day = loan.start_date + timedelta(days=10)
    loans.end_early(
        loan, last_day, "Fin de campagne", market.host_hr, today=last_day + timedelta(days=1)
    )
    uow.commit()
    assert (loan.status, loan.ended_early) == (LoanStatus.ENDED, True)
    with pytest.raises(ServiceError, match="précéder"):
        loans.record_return(loan, loan.start_date, "", market.lender_hr)
    loans.record_return(loan, loan.ended_on + timedelta(days=1), "Même poste", market.lender_hr)
    loans.give_feedback(loan, "host", 5, True, "Très bien", market.host_hr)
    uow.commit()
    with pytest.raises(ServiceError, match="déjà donné"):
        loans.give_feedback(loan, "host", 4, True, "", market.host_hr)
    uow.rollback()
    kinds = [e.kind for e in loan.events]
    assert kinds[-2:] == ["ended_early", "returned"]
    # the employee can be proposed again
    from lending.models import ProposalStatus

    assert loan.agreement.proposal.status == ProposalStatus.COMPLETED


def test_an_extension_is_a_new_signed_version(loan, market):
    _started(loan)
    first_end = loan.end_date
    agreement = loans.request_extension(loan, first_end + timedelta(days=60), market.host_hr)
    uow.commit()
    assert (agreement.status, agreement.version) == (AgreementStatus.DRAFT, 2)
    assert loan.end_date == first_end  # not before the new version is signed
    signing.start_signing(agreement, market.lender_hr, loan.start_date + timedelta(days=5))
    uow.commit()
    sign_all(agreement, market)
    assert loan.end_date == first_end + timedelta(days=60)
    assert len(agreement.signed_documents()) == 4  # both versions of both documents kept
    assert loan.events[-1].kind == "extended"


def test_twelve_months_of_presence_are_flagged(loan):
    _started(loan)
    loan.end_date = loan.start_date + timedelta(days=500)
    db.session.commit()
    counts = loans.advance(loan.start_date + timedelta(days=366))
    assert counts["twelve_months"] == 1
    assert loan.twelve_months_on is not None


def test_below_cost_billing_under_l8241_3(accepted, market):
    part = lender_part(
        accepted,
        billing_regime=BillingRegime.L8241_3,
        billed_share_pct=50,
        lender_headcount=6000,
        below_cost_justification="Partenariat",
        purpose="Transition professionnelle vers l'agroalimentaire",
    )
    agreements.update(accepted, part, market.lender_hr)
    agreements.update(accepted, host_part(accepted), market.host_hr)
    uow.commit()
    assert signing.problems(accepted, date.today()) == []
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    sign_all(accepted, market)
    loan = db.session.scalar(select(Loan))
    _started(loan)
    statement = _bill_first_month(loan)
    assert statement.billed_cents * 2 in (statement.cost_cents, statement.cost_cents + 1)


def test_an_early_end_announced_ahead_keeps_the_loan_until_then(loan, market):
    _started(loan)
    last_day = loan.start_date + timedelta(days=20)
    loans.end_early(
        loan,
        last_day,
        "Préavis de quinze jours",
        market.host_hr,
        today=loan.start_date + timedelta(days=5),
    )
    uow.commit()
    assert loan.status == LoanStatus.ACTIVE  # the employee is still at the host
    assert loan.end_date == last_day
    assert loan.agreement.proposal.status.value == "accepted"
    loans.advance(last_day + timedelta(days=1))
    uow.commit()
    assert loan.status == LoanStatus.ENDED
    assert loan.agreement.proposal.status.value == "completed"
    with pytest.raises(ServiceError, match="terminé"):
        loans.request_extension(loan, loan.end_date + timedelta(days=30), market.host_hr)


def test_an_early_end_cannot_cut_billed_months(loan, market):
    _started(loan)
    _bill_first_month(loan)
    uow.commit()
    with pytest.raises(ServiceError, match="relevés sont déjà établis"):
        loans.end_early(loan, loan.start_date + timedelta(days=1), "Erreur", market.host_hr)


def test_an_extension_cannot_be_abandoned_nor_change_the_billing(loan, market):
    from lending.services.errors import ValidationError

    _started(loan)
    agreement = loans.request_extension(loan, loan.end_date + timedelta(days=30), market.host_hr)
    uow.commit()
    with pytest.raises(ServiceError, match="prolongation ne s'abandonne pas"):
        agreements.abandon(agreement, market.host_hr)
    uow.rollback()
    part = lender_part(
        agreement,
        salary_cents=1_000_00,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
    )
    with pytest.raises(ValidationError):
        agreements.update(agreement, part, market.lender_hr)
    uow.rollback()
    assert loan.status == LoanStatus.ACTIVE


def test_loan_length_is_bounded_by_the_scheme(accepted, market):
    from lending.services.errors import ValidationError

    part = lender_part(accepted)
    too_long = lender_part(accepted, end_date=part.start_date + timedelta(days=400))
    with pytest.raises(ValidationError, match="limite un prêt à 12 mois"):
        agreements.update(accepted, too_long, market.lender_hr)
    uow.rollback()
    far = lender_part(accepted, start_date=date(9998, 6, 1), end_date=date(9999, 1, 1))
    with pytest.raises(ValidationError):
        agreements.update(accepted, far, market.lender_hr)


def test_an_extension_cannot_go_beyond_the_scheme_maximum(loan, market):
    _started(loan)
    latest = loan.start_date.replace(year=loan.start_date.year + 1)  # the scheme allows 12 months
    with pytest.raises(ServiceError, match="prolongations comprises") as refused:
        loans.request_extension(loan, date(9999, 12, 31), market.host_hr)
    assert signing.fr_date(latest) in str(refused.value)
    uow.rollback()
    assert loan.agreement.status == AgreementStatus.SIGNED
    agreement = loans.request_extension(loan, latest, market.host_hr)  # the maximum itself
    uow.commit()
    assert agreement.end_date == latest


def test_signing_refuses_an_extension_beyond_the_scheme_maximum(loan, market):
    _started(loan)
    agreement = loans.request_extension(loan, loan.end_date + timedelta(days=30), market.host_hr)
    agreement.end_date = date(9999, 12, 31)  # as stored before the check existed
    uow.commit()
    with pytest.raises(signing.ComplianceError) as refused:
        signing.start_signing(agreement, market.lender_hr, loan.start_date + timedelta(days=5))
    assert any("limite un prêt à 12 mois" in p for p in refused.value.problems)
    uow.rollback()
    assert agreement.status == AgreementStatus.DRAFT


def test_a_frozen_extension_beyond_a_lowered_maximum_is_not_signed(loan, market):
    _started(loan)
    agreement = loans.request_extension(loan, loan.end_date + timedelta(days=30), market.host_hr)
    uow.commit()
    signing.start_signing(agreement, market.lender_hr, loan.start_date + timedelta(days=5))
    market.scheme.max_loan_months = 3
    uow.commit()
    with pytest.raises(ServiceError, match="limite un prêt à 3 mois, prolongations comprises"):
        sign_all(agreement, market)
    uow.rollback()
    assert loan.end_date < agreement.end_date
