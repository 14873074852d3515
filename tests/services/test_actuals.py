"""Monthly actuals: what the lender really paid, entered month by month with every change
kept, and the statements issued from them under the non-profit rule (L8241-1)."""

from datetime import date

import pytest

from lending.models import ActualSource, AuditEvent, BillingRegime, Role
from lending.services import uow
from lending.services.deals import actuals, statements
from lending.services.errors import ServiceError, ValidationError
from tests.services.billing_helpers import FEB_2027, MARCH_1, bill, enter, signed_loan


def test_a_month_starts_from_the_declared_figures_prorated_to_its_days_on_loan(
    market, make_proposal
):
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    loan = signed_loan(proposal, start=date(2027, 2, 15))
    first = actuals.months(loan, today=date(2027, 3, 10))
    assert [m.month for m in first] == [FEB_2027, MARCH_1]  # April has not begun
    feb = first[0]
    assert (feb.days_on_loan, feb.days_in_month, feb.actual) == (14, 28, None)
    assert feb.figures == actuals.Figures(1_400_00, 600_00, 50_00)  # half of each
    assert first[1].figures == actuals.Figures(2_800_00, 1_200_00, 100_00)  # a whole month


def test_a_month_with_overtime_bills_more_than_the_declared_spread(loan_feb_2027, market):
    loan = loan_feb_2027
    declared = actuals.months(loan, MARCH_1)[0].declared
    # 10 hours of overtime and a bonus: more pay, more charges.
    enter(loan, FEB_2027, 3_150_00, 1_350_00, 100_00, market.lender_hr, note="10 h sup.")
    statement = bill(loan, FEB_2027)
    uow.commit()
    assert (statement.salary_cents, statement.charges_cents) == (3_150_00, 1_350_00)
    assert statement.billed_cents == statement.cost_cents == 4_600_00
    assert statement.billed_cents > declared.cost_cents == 4_100_00


def test_no_statement_without_the_months_actuals(loan_feb_2027):
    with pytest.raises(ServiceError, match="Saisissez d'abord les montants réellement versés"):
        bill(loan_feb_2027, FEB_2027)


def test_no_statement_before_the_month_is_over(loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00, today=date(2027, 2, 27))
    with pytest.raises(ServiceError, match="Février 2027 n'est pas terminé"):
        bill(loan_feb_2027, FEB_2027, today=date(2027, 2, 28))


@pytest.mark.parametrize("billed", [4_600_01, 4_599_99, 4_100_00])
def test_cost_price_refuses_a_billed_total_above_or_below_the_real_cost(loan_feb_2027, billed):
    enter(loan_feb_2027, FEB_2027, 3_150_00, 1_350_00, 100_00)
    uow.commit()
    message = "bénéfice" if billed > 4_600_00 else "facture exactement le coût du mois"
    with pytest.raises(ServiceError, match=message):
        bill(loan_feb_2027, FEB_2027, billed_cents=billed)
    uow.rollback()
    assert bill(loan_feb_2027, FEB_2027, billed_cents=4_600_00).billed_cents == 4_600_00


def test_l8241_3_refuses_billing_the_declared_cost_when_less_was_paid(market, make_proposal):
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    loan = signed_loan(proposal, regime=BillingRegime.L8241_3, share=100)
    # Three days of unpaid absence: less was paid than declared.
    enter(loan, FEB_2027, 2_380_00, 1_020_00, 100_00)
    uow.commit()
    with pytest.raises(ServiceError, match="ne peut pas générer de bénéfice"):
        bill(loan, FEB_2027, billed_cents=4_100_00)  # the declared monthly cost
    uow.rollback()
    assert bill(loan, FEB_2027, billed_cents=1_000_00).billed_cents == 1_000_00  # below: fine


def test_l8241_3_bills_its_share_of_the_real_cost(market, make_proposal):
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    loan = signed_loan(proposal, regime=BillingRegime.L8241_3, share=50)
    enter(loan, FEB_2027, 3_000_00, 1_300_00, 0)
    assert bill(loan, FEB_2027).billed_cents == 2_150_00


def test_every_change_is_kept_with_who_and_when(loan_feb_2027, market, make_user):
    loan, other_hr = loan_feb_2027, make_user(Role.HR, firm=market.lender)
    first = enter(loan, FEB_2027, 2_800_00, 1_200_00, 100_00, market.lender_hr, based_on=0)
    uow.commit()
    second = enter(loan, FEB_2027, 2_950_00, 1_260_00, 100_00, other_hr, note="Prime", based_on=1)
    uow.commit()
    history = actuals.history(loan, FEB_2027)
    assert [h.version for h in history] == [2, 1]
    assert [h.entered_by_id for h in history] == [other_hr.id, market.lender_hr.id]
    assert [h.salary_cents for h in history] == [2_950_00, 2_800_00]  # nothing overwritten
    assert history[0].note == "Prime"
    assert history[0].source == ActualSource.FORM
    assert all(h.entered_at is not None for h in history)
    assert actuals.latest(loan, FEB_2027).id == second.id != first.id
    assert bill(loan, FEB_2027).salary_cents == 2_950_00  # the latest version is billed
    audited = {e.object_id for e in AuditEvent.query.filter_by(action="actual.entered")}
    assert audited == {first.id, second.id}


def test_an_entry_typed_over_a_stale_page_is_refused(loan_feb_2027, market):
    enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00, based_on=0)
    uow.commit()
    with pytest.raises(ServiceError, match="viennent d'être modifiés"):
        enter(loan_feb_2027, FEB_2027, 2_900_00, 1_200_00, 100_00, based_on=0)


def test_the_same_figures_again_make_no_new_version(loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00)
    again = enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00)
    assert again.version == 1
    assert len(actuals.history(loan_feb_2027, FEB_2027)) == 1


def test_a_billed_month_is_closed_to_changes(loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00)
    statement = bill(loan_feb_2027, FEB_2027)
    uow.commit()
    with pytest.raises(ServiceError, match=f"relevé n° {statement.number} de février 2027"):
        enter(loan_feb_2027, FEB_2027, 2_900_00, 1_200_00, 100_00)


def test_amounts_and_months_out_of_bounds_are_refused(loan_feb_2027):
    with pytest.raises(ValidationError) as refused:
        enter(loan_feb_2027, FEB_2027, -1, 1_200_00, 100_000_01)
    assert set(refused.value.errors) == {"salary_cents", "expenses_cents"}
    with pytest.raises(ServiceError, match="Juillet 2027 n'est pas un mois commencé"):
        enter(loan_feb_2027, date(2027, 7, 1), 1, 1, 1)
    with pytest.raises(ServiceError, match="Mars 2027 n'est pas un mois commencé"):
        enter(loan_feb_2027, MARCH_1, 1, 1, 1, today=date(2027, 2, 28))


def test_the_monthly_job_bills_only_the_months_whose_actuals_are_entered(loan_feb_2027):
    loan = loan_feb_2027
    enter(loan, MARCH_1, 2_800_00, 1_200_00, 100_00)
    uow.commit()
    assert statements.issue_due(date(2027, 4, 2)) == 1
    uow.commit()
    assert [s.month for s in loan.statements] == [MARCH_1]  # February waits for its figures


@pytest.mark.postgres
def test_two_entries_of_one_month_at_the_same_instant_keep_one(app, loan_feb_2027):
    import threading

    from lending.extensions import db
    from lending.models import Loan

    loan_id, barrier, outcomes = loan_feb_2027.id, threading.Barrier(2), ["", ""]

    def entry(index):
        with app.app_context():
            loan = db.session.get(Loan, loan_id)
            actuals.months(loan, MARCH_1)  # read before the race, as the page did
            barrier.wait()
            try:
                enter(loan, FEB_2027, 2_800_00 + index, 1_200_00, 100_00, based_on=0)
                uow.commit()
                outcomes[index] = "saved"
            except ServiceError as exc:
                outcomes[index] = exc.message

    threads = [threading.Thread(target=entry, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[1] == "saved"
    assert "viennent d'être modifiés" in sorted(outcomes)[0]
    assert [h.version for h in actuals.history(loan_feb_2027, FEB_2027)] == [1]
