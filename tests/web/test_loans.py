"""The loan page's forms, as the parties' HR use them."""

from datetime import date, timedelta

from lending.extensions import db
from lending.models import EarlyEnd, LoanStatus
from lending.services import uow
from tests.services.agreement_helpers import active_loan


def test_an_early_end_asks_its_cause_and_keeps_it(client, login, accepted, market):
    start = date.today() - timedelta(days=20)
    loan = active_loan(accepted, start, start + timedelta(days=90))
    uow.commit()
    login(market.host_hr, client)
    last_day = date.today() - timedelta(days=1)
    form = {"on_date": last_day.isoformat(), "reason": "Commandes en baisse"}

    page = client.post_form(f"/prets/{loan.id}/fin-anticipee", form, follow_redirects=True)
    assert "Choisissez la cause principale de la fin anticipée." in page.get_data(as_text=True)
    db.session.refresh(loan)
    assert (loan.status, loan.ended_early, loan.end_category) == (LoanStatus.ACTIVE, False, None)

    form["category"] = "lender_recall"
    page = client.post_form(f"/prets/{loan.id}/fin-anticipee", form, follow_redirects=True)
    assert "Fin anticipée enregistrée." in page.get_data(as_text=True)
    db.session.refresh(loan)
    assert (loan.status, loan.end_category, loan.end_reason) == (
        LoanStatus.ENDED,
        EarlyEnd.LENDER_RECALL,
        "Commandes en baisse",
    )
