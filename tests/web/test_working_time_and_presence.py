"""What the agreement and loan pages tell both firms about working time (the 12-week
average, the lender's hours, the schedule) and about twelve months at the host."""

import html
from datetime import date

from lending.extensions import db
from lending.models import LoanStatus, ProposalStatus
from lending.services import uow
from lending.services.deals import agreements
from tests.services.agreement_helpers import active_loan, complete

HOST_FORM = {
    "missions": "Conduite de ligne",
    "work_address": "1 rue de l'Usine, 47000 Agen",
    "weekly_hours": "45",
    "working_hours": "",
    "risky_post": "non",
    "l4154_list_post": "non",
    "medical_surveillance": "non",
    "host_no_cse": "y",
}
AVERAGE = "la durée hebdomadaire moyenne sur 12 semaines consécutives dépasse 44 heures"


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_the_host_declares_an_agreement_allowing_46_hours(client, login, market, accepted):
    complete(accepted, market)
    accepted.end_date = accepted.start_date.replace(year=accepted.start_date.year + 1)
    uow.commit()
    login(market.host_hr)
    url = f"/accords/{accepted.id}/entreprise-accueil"
    form = {**HOST_FORM, "host_signatory_id": str(market.host_hr.id)}
    assert client.post_form(url, form).status_code == 302
    assert AVERAGE in _page(client, f"/accords/{accepted.id}")
    assert client.post_form(url, {**form, "host_average_46h": "y"}).status_code == 302
    db.session.refresh(accepted)
    assert accepted.host_average_46h is True
    assert AVERAGE not in _page(client, f"/accords/{accepted.id}")


def test_the_lender_declares_the_hours_it_keeps(client, login, market, accepted):
    from tests.web.test_agreements import _lender_form

    complete(accepted, market)
    login(market.lender_hr)
    url = f"/accords/{accepted.id}/entreprise-preteuse"
    response = client.post_form(url, _lender_form(accepted, lender_weekly_hours="14,5"))
    assert response.status_code == 302
    db.session.refresh(accepted)
    assert accepted.lender_weekly_hours == 14.5
    page = _page(client, f"/accords/{accepted.id}")
    assert "Avec les 14,5 h maintenues chaque semaine dans l'entreprise prêteuse" in page
    assert client.post_form(url, _lender_form(accepted, lender_weekly_hours="")).status_code == 302
    db.session.refresh(accepted)
    assert accepted.lender_weekly_hours == 0


def test_the_agreement_page_warns_about_the_schedule(client, login, market, accepted):
    complete(accepted, market)
    accepted.working_hours = "lundi 13h-21h ; mardi 6h-14h"
    accepted.weekly_hours = 16
    uow.commit()
    login(market.host_hr)
    page = _page(client, f"/accords/{accepted.id}")
    assert "Temps de travail : points d'attention" in page
    assert "ne laissent que 9 h de repos entre le lundi et le mardi" in page
    assert "Toutes les vérifications sont satisfaites." in page  # a warning does not refuse


def test_the_agreement_page_says_when_twelve_months_would_be_reached(
    client, login, market, accepted
):
    accepted.start_date, accepted.end_date = date(2027, 3, 1), date(2028, 2, 29)
    uow.commit()
    login(market.lender_hr)
    page = _page(client, f"/accords/{accepted.id}")
    assert "ses 12 mois de présence continue seront atteints le 29 février 2028" in page
    assert "Élections du CSE (article L2314-23)" in page
    assert "Il n'est pas éligible au CSE de l'entreprise d'accueil." in page
    accepted.end_date = date(2028, 2, 28)
    uow.commit()
    assert "Douze mois de présence" not in _page(client, f"/accords/{accepted.id}")


def test_the_loan_page_adds_up_back_to_back_loans(client, login, market, accepted, make_proposal):
    earlier = make_proposal(
        market.scheme, market.employees[0], market.needs[0], status=ProposalStatus.COMPLETED
    )
    first = active_loan(agreements.draft(earlier), date(2020, 1, 3), date(2020, 6, 30))
    first.status, first.ended_on = LoanStatus.ENDED, first.end_date
    loan = active_loan(accepted, date(2020, 7, 1), date(2021, 3, 31))
    uow.commit()
    for user in (market.host_hr, market.lender_hr):
        login(user)
        page = _page(client, f"/prets/{loan.id}")
        assert (
            "sans interruption depuis le 3 janvier 2020 : ses 12 mois de présence continue sont "
            "atteints le 2 janvier 2021."
        ) in page
        assert "Ses 2 prêts successifs dans cette entreprise comptent ensemble" in page
        assert "Effectif (article L1111-2, 2° du Code du travail)" in page
