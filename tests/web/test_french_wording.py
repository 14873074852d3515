"""French wording on pages and in e-mails (issue 12, item 9): elision through one helper
("Candidature d'Atelier", "Accord de prêt d'Émile") and "1er" for the first day of a month,
as in the documents; an English reader gets neither."""

from datetime import date
from html import unescape

from lending.extensions import db
from lending.models import EnrolmentStatus, Role


def test_names_are_elided_on_pages_and_in_emails(
    client, outbox, login, make_scheme, make_firm, make_user, make_enrolment
):
    scheme = make_scheme("SHARING Test", departements=["47"], sectors="C")
    firm = make_firm("Atelier Garonne", naf="30.30Z")
    hr = make_user(Role.HR, firm=firm)
    enrolment = make_enrolment(firm, scheme, EnrolmentStatus.PENDING)
    login(make_user(Role.OPERATOR, schemes=[scheme]))
    url = f"/dispositifs/{scheme.id}/candidatures/{enrolment.id}/accepter"
    page = unescape(client.post_form(url, follow_redirects=True).get_data(as_text=True))
    assert "Candidature d'Atelier Garonne acceptée." in page
    assert outbox[-1].to == [hr.email]
    assert "La candidature d'Atelier Garonne au dispositif SHARING Test est acceptée." in (
        outbox[-1].body
    )
    assert "de Atelier" not in page + outbox[-1].body


def test_agreement_page_elides_and_writes_1er(client, login, market, accepted):
    accepted.employee_first_name = "Émile"
    accepted.lender_name = "Aéro Garonne"
    accepted.start_date, accepted.end_date = date(2027, 3, 1), date(2027, 6, 1)
    db.session.commit()
    login(market.host_hr)
    page = unescape(client.get(f"/accords/{accepted.id}").get_data(as_text=True))
    assert f"Accord de prêt d'Émile {accepted.employee_last_name}" in page
    assert "D'Aéro Garonne vers Pruneaux d'Agen, du 1er mars 2027 au 1er juin 2027." in page

    client.post_form("/langue", {"lang": "en", "next": f"/accords/{accepted.id}"})
    english = unescape(client.get(f"/accords/{accepted.id}").get_data(as_text=True))
    assert "1er" not in english
    assert "d'Émile" not in english
