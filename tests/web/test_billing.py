"""A loan's billing on the site: the lender enters or imports what it really paid, both
firms download the statements (in French whatever the reader's language), the host marks
them paid or contested, and no other firm reaches any of it."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from lending.documents import render
from lending.documents.formatting import siret
from lending.extensions import db
from lending.models import MonthlyActual, PaymentStatus, Role
from lending.models._time import local_date
from lending.services import uow
from lending.services.deals import actuals
from tests.services.billing_helpers import FEB_2027, bill, enter, signed_loan


@pytest.fixture
def running(market, make_proposal):
    """A loan begun two months or so ago: its months are open to actuals today."""
    start = (local_date().replace(day=1) - timedelta(days=40)).replace(day=1)
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    return signed_loan(proposal, start=start, end=start + timedelta(days=150))


def _month_url(loan, month: date) -> str:
    return f"/prets/{loan.id}/mois/{month:%Y-%m}"


def test_the_lender_enters_a_month_in_euros_with_a_decimal_comma(client, login, market, running):
    login(market.lender_hr)
    url = _month_url(running, running.start_date)
    page = client.get(url).get_data(as_text=True)
    assert 'value="2800.00"' in page  # prefilled: the declared monthly salary, a whole month
    data = {"salary": "3 150,50", "charges": "1 350", "expenses": "100,00 €"}
    response = client.post_form(url, {**data, "note": "Heures sup.", "version": "0"})
    assert response.status_code == 302
    saved = actuals.latest(running, running.start_date)
    assert (saved.salary_cents, saved.charges_cents, saved.expenses_cents) == (
        3_150_50,
        1_350_00,
        100_00,
    )
    assert saved.entered_by_id == market.lender_hr.id
    # a second entry keeps the first one in the history
    client.post_form(url, {**data, "salary": "3 200", "note": "", "version": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "Historique des saisies" in page
    assert "Heures sup." in page  # the first version's note
    assert [h.salary_cents for h in actuals.history(running, running.start_date)] == [
        3_200_00,
        3_150_50,
    ]


def test_a_bad_amount_is_refused_on_its_field_and_nothing_is_saved(client, login, market, running):
    login(market.lender_hr)
    url = _month_url(running, running.start_date)
    data = {"salary": "trois mille", "charges": "-2", "expenses": "0", "version": "0"}
    page = client.post_form(url, data).get_data(as_text=True)
    assert "Montant entre 0 et 100" in page
    assert db.session.query(MonthlyActual).count() == 0


def test_an_import_with_a_bad_line_shows_each_problem_and_saves_nothing(
    client, login, market, running
):
    login(market.lender_hr)
    month = running.start_date
    csv = (
        "mois;salaire_brut;charges_patronales;frais_professionnels\r\n"
        f"{month:%m/%Y};2800;1200;100\r\n"
        f"{month:%m/%Y};2800;1200;abc\r\n"
    ).encode()
    response = client.post_form(
        f"/prets/{running.id}/mois/import",
        {"file": (io.BytesIO(csv), "montants.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "aucun montant n'a été enregistré" in page
    assert page.count("Ce mois figure déjà ligne 2 du fichier.") == 1  # in the report only
    assert "Ce mois figure déjà ligne 2 du fichier." in page
    assert "Nombre non valide : « abc »." in page
    assert db.session.query(MonthlyActual).count() == 0


def test_an_xlsx_import_enters_the_months(client, login, market, running):
    login(market.lender_hr)
    book = Workbook()
    book.active.append(["mois", "salaire_brut", "charges_patronales", "frais_professionnels"])
    book.active.append([f"{running.start_date:%m/%Y}", 2950.4, 1264, 85])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    response = client.post_form(
        f"/prets/{running.id}/mois/import",
        {"file": (content, "montants.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert actuals.latest(running, running.start_date).salary_cents == 2_950_40


def _text(pdf: bytes) -> str:
    return render.pdf_text(pdf).replace("\u202f", " ").replace("\u00a0", " ")


def test_the_statement_stays_french_in_an_english_session(client, login, market, loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 1_500_00, 550_00, 50_00)
    statement = bill(loan_feb_2027, FEB_2027)
    uow.commit()
    login(market.host_hr)
    client.post_form("/langue", {"lang": "en", "next": "/prets"})
    assert "€2,100.00" in client.get(f"/prets/{loan_feb_2027.id}").get_data(as_text=True)
    response = client.get(f"/prets/{loan_feb_2027.id}/releves/{statement.id}.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="releve-2027-0001.pdf"'
    text = " ".join(_text(response.data).split())
    for expected in (
        "Relevé mensuel de refacturation n° 2027-0001",
        "Date d'émission 1er mars 2027",
        "février 2027",
        f"n° {loan_feb_2027.agreement_id}, version 1",
        siret(market.lender.siret).replace("\u00a0", " "),
        "2 100,00 €",
        "1 500,00 €",
        "140 h",  # 35 h a week, 20 working days
        "Prix coûtant",
        "activité partielle",
        "au plus tard le 31 mars 2027",
    ):
        assert expected in text, expected
    assert "€" not in text.replace(" €", "")  # no "€2,100.00"


def test_the_host_contests_or_pays_and_the_lender_sees_it(client, login, market, running):
    loan, first = running, running.start_date
    second = (first + timedelta(days=31)).replace(day=1)
    for month in (first, second):
        enter(loan, month, 2_800_00, 1_200_00, 100_00)
    contested, paid = bill(loan, first), bill(loan, second)
    uow.commit()
    login(market.host_hr)
    base = f"/prets/{loan.id}/releves"
    client.post_form(f"{base}/conteste", {"contest-statement": contested.id, "contest-reason": ""})
    db.session.refresh(contested)
    assert contested.payment_status == PaymentStatus.ISSUED  # a contest needs its reason
    reason = "Prime non prévue par la convention"
    client.post_form(
        f"{base}/conteste", {"contest-statement": contested.id, "contest-reason": reason}
    )
    today = local_date()
    client.post_form(f"{base}/paye", {"paid-statement": paid.id, "paid-paid_on": str(today)})
    db.session.refresh(contested)
    db.session.refresh(paid)
    assert (contested.payment_status, contested.contest_reason) == (
        PaymentStatus.CONTESTED,
        reason,
    )
    assert (paid.payment_status, paid.paid_on) == (PaymentStatus.PAID, today)
    login(market.lender_hr)
    page = client.get(f"/prets/{loan.id}").get_data(as_text=True)
    assert "Contesté :" in page
    assert reason in page
    assert "Payé le" in page
    mark = {"paid-statement": contested.id, "paid-paid_on": str(today)}
    assert client.post_form(f"{base}/paye", mark).status_code == 403  # not the lender's to say


def test_no_other_firm_reaches_a_loans_billing(
    client, login, market, make_user, make_firm, running
):
    loan = running
    month = loan.start_date
    enter(loan, month, 2_800_00, 1_200_00, 100_00)
    statement = bill(loan, month)
    uow.commit()
    urls = [
        ("get", _month_url(loan, month)),
        ("get", f"/prets/{loan.id}/mois/modele.csv"),
        ("get", f"/prets/{loan.id}/mois/import"),
        ("get", f"/prets/{loan.id}/releves/{statement.id}.pdf"),
        ("post", f"/prets/{loan.id}/releves/paye"),
        ("post", f"/prets/{loan.id}/releves/conteste"),
    ]
    login(make_user(Role.HR, firm=make_firm("Concurrent")))
    for method, url in urls:
        response = client.get(url) if method == "get" else client.post_form(url, {})
        assert response.status_code == 404, url
    login(market.host_hr)  # a party, but the actuals are the lender's to enter
    assert client.get(_month_url(loan, month)).status_code == 403
    assert client.get(f"/prets/{loan.id}/mois/modele.csv").status_code == 403
