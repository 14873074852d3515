"""Billing statements: numbered per lender and year of issue with no gap and no duplicate
(even when two are issued at the same instant), the hours on loan of their month, and the
host marking them paid or contested."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lending.extensions import db
from lending.models import AuditEvent, BillingStatement, Loan, PaymentStatus
from lending.services import uow
from lending.services.deals import hours, payments, statements
from lending.services.errors import ServiceError
from tests.services.billing_helpers import FEB_2027, MARCH_1, bill, enter, signed_loan

DECEMBER = date(2027, 12, 1)


@pytest.fixture
def two_loans(market, make_proposal, make_need, make_firm, make_employee):
    """Two loans of the market's lender (Feb 2027 to Jan 2028), and one of another lender."""
    loans = [
        signed_loan(
            make_proposal(market.scheme, employee, make_need(market.host)),
            end=date(2028, 1, 31),
        )
        for employee in market.employees
    ]
    other = make_firm("Autre prêteur", naf="30.30Z")
    third = signed_loan(
        make_proposal(market.scheme, make_employee(other, consent=True), make_need(market.host))
    )
    for loan in [*loans, third]:
        for month in (FEB_2027, MARCH_1, DECEMBER, date(2028, 1, 1)):
            if month <= loan.end_date:
                enter(loan, month, 2_800_00, 1_200_00, 100_00)
    uow.commit()
    return loans, third


def test_numbers_follow_each_other_per_lender_and_year(two_loans):
    (a, b), other = two_loans
    issued = [
        bill(a, FEB_2027),
        bill(b, FEB_2027),
        bill(other, FEB_2027),
        bill(b, MARCH_1),
        bill(a, MARCH_1),
        bill(a, DECEMBER),  # issued on 1 January 2028: the year of issue counts
        bill(b, DECEMBER, today=date(2028, 1, 3)),
        bill(a, date(2028, 1, 1)),
    ]
    uow.commit()
    assert [s.number for s in issued] == [
        "2027-0001",
        "2027-0002",
        "2027-0001",  # another lender has its own sequence
        "2027-0003",
        "2027-0004",
        "2028-0001",
        "2028-0002",
        "2028-0003",
    ]
    assert issued[0].issue_date == MARCH_1
    assert issued[0].convention_ref == f"n° {a.agreement_id}, version 1"


def test_a_refused_statement_takes_no_number(two_loans):
    (a, b), _other = two_loans
    bill(a, FEB_2027)
    uow.commit()
    with pytest.raises(ServiceError):
        bill(b, FEB_2027, billed_cents=1)  # below cost at cost price
    uow.rollback()
    with pytest.raises(ServiceError, match="existe déjà"):
        bill(a, FEB_2027)
    uow.rollback()
    assert bill(b, FEB_2027).number == "2027-0002"


@pytest.mark.postgres
def test_two_statements_issued_at_the_same_instant_get_two_numbers(app, two_loans):
    (a, b), _other = two_loans
    ids = [a.id, b.id]
    barrier = threading.Barrier(2)
    numbers: list[str] = ["", ""]

    def issue(index):
        with app.app_context():
            loan = db.session.get(Loan, ids[index])
            loan.agreement  # noqa: B018  (loaded before the race)
            barrier.wait()
            try:
                numbers[index] = bill(loan, FEB_2027).number
                uow.commit()
            except ServiceError as exc:
                numbers[index] = exc.message

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(numbers) == ["2027-0001", "2027-0002"]
    db.session.expire_all()
    stored = db.session.scalars(select(BillingStatement.number_seq)).all()
    assert sorted(stored) == [1, 2]


def test_the_hours_on_loan_count_the_working_days_of_the_month(market, make_proposal):
    assert hours.working_days(FEB_2027, date(2027, 2, 28)) == 20
    # May 2027: Ascension (Thursday 6) and Whit Monday (17) are out; 1 and 8 May are Saturdays.
    assert hours.working_days(date(2027, 5, 1), date(2027, 5, 31)) == 19
    assert hours.hours_on_loan(Decimal("17.5"), 3) == Decimal("10.50")
    loan = signed_loan(
        make_proposal(market.scheme, market.employees[0], market.needs[0]),
        start=date(2027, 5, 10),
    )
    enter(loan, date(2027, 5, 1), 1_000_00, 400_00, 0)
    statement = bill(loan, date(2027, 5, 1))
    # 10 to 31 May: 16 weekdays, Whit Monday out: 15 days of 7 hours.
    assert (statement.days_on_loan, statement.working_days) == (22, 15)
    assert statement.hours_on_loan == Decimal("105.00")


@pytest.fixture
def statement(loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 2_800_00, 1_200_00, 100_00)
    issued = bill(loan_feb_2027, FEB_2027)
    uow.commit()
    return issued


def _audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_host_marks_a_statement_paid(statement, market):
    with pytest.raises(ServiceError, match="précéder l'émission du relevé, le 01/03/2027"):
        payments.mark_paid(statement, date(2027, 2, 28), market.host_hr, today=date(2027, 4, 1))
    with pytest.raises(ServiceError, match="futur"):
        payments.mark_paid(statement, date(2027, 4, 2), market.host_hr, today=date(2027, 4, 1))
    payments.mark_paid(statement, date(2027, 3, 20), market.host_hr, today=date(2027, 4, 1))
    uow.commit()
    assert (statement.payment_status, statement.paid_on) == (PaymentStatus.PAID, date(2027, 3, 20))
    assert statement.status_by_id == market.host_hr.id
    assert [(e.actor_id, e.object_id) for e in _audited("statement.paid")] == [
        (market.host_hr.id, statement.id)
    ]
    with pytest.raises(ServiceError, match="déjà marqué payé"):
        payments.mark_paid(statement, date(2027, 3, 21), market.host_hr, today=date(2027, 4, 1))
    with pytest.raises(ServiceError, match="ne peut plus être contesté"):
        payments.contest(statement, "Trop tard", market.host_hr)


def test_the_host_contests_a_statement_with_a_reason_then_pays_it(statement, market):
    with pytest.raises(ServiceError, match="motif de la contestation"):
        payments.contest(statement, "   ", market.host_hr)
    payments.contest(statement, "Heures non justifiées", market.host_hr)
    uow.commit()
    assert statement.payment_status == PaymentStatus.CONTESTED
    assert statement.contest_reason == "Heures non justifiées"
    assert len(_audited("statement.contested")) == 1
    with pytest.raises(ServiceError, match="déjà contesté"):
        payments.contest(statement, "Encore", market.host_hr)
    payments.mark_paid(statement, date(2027, 3, 30), market.host_hr, today=date(2027, 4, 1))
    assert statement.payment_status == PaymentStatus.PAID
    assert statement.contest_reason == "Heures non justifiées"  # the dispute stays on record


def test_the_csv_of_statements_gives_number_date_and_hours(statement):
    csv = statements.as_csv([statement]).decode("utf-8-sig").splitlines()
    assert csv[0].startswith("numero;date_d_emission;mois;jours_de_pret;jours_du_mois;heures")
    assert csv[1].startswith("2027-0001;2027-03-01;2027-02;28;28;140,00;2800,00;")


def test_a_draft_statement_of_an_unsaved_loan_renders_without_touching_the_database(
    loan_feb_2027,
):
    """What `lending sample-documents` does: a statement drafted for a loan built in memory."""
    from lending.documents.statement import statement_html
    from lending.services.deals import actuals

    agreement = loan_feb_2027.agreement
    loan = Loan(agreement=agreement, start_date=date(2027, 2, 10), end_date=date(2027, 6, 30))
    figures = actuals.Figures(2_100_00, 900_00, 40_00)
    draft = statements.draft(loan, FEB_2027, figures, today=MARCH_1)
    with pytest.raises(ServiceError, match="bénéfice"):
        statements.draft(loan, FEB_2027, figures, today=MARCH_1, billed_cents=3_040_01)
    html = statement_html(draft, loan)
    assert not db.session.new
    assert (draft.number, draft.days_on_loan, draft.working_days) == ("2027-0001", 19, 13)
    assert "février 2027 (du 10 février 2027 au 28 février 2027)" in html
    assert "3\u202f040,00\u00a0€" in html
