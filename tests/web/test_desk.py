"""The operator's desk at /bureau and the message to a deal's parties."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from lending.extensions import db
from lending.models import AuditEvent, Role
from lending.models._time import local_date
from tests.factories import new_user
from tests.services.desk_helpers import agreement, fill, side, waiting_proposal


@pytest.fixture
def today(app):
    return local_date()


@pytest.fixture
def x(app, today):
    return fill(side("X"), today, "X")


@pytest.fixture
def y(app, today, x):
    return fill(side("Y", "31"), today, "Y")


def page_of(client, url="/bureau") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def counts(html: str) -> dict[str, int]:
    found = re.findall(r'<strong class="desk-count" data-section="(\w+)">(\d+)</strong>', html)
    return {key: int(value) for key, value in found}


def test_the_operator_lands_on_the_desk_with_its_counts(client, login, x, y):
    login(x.operator)
    home = client.get("/")
    assert home.status_code == 302
    assert home.headers["Location"].endswith("/bureau")
    html = page_of(client)
    assert counts(html) == {
        "entreprises": 2,
        "besoins": 1,
        "propositions": 1,
        "accords": 2,
        "prets": 2,
        "releves": 2,
    }
    assert '<a href="/bureau">Mon bureau</a>' in html
    assert 'href="/dispositifs">Voir les dispositifs' in html
    assert client.get("/dispositifs").status_code == 200


def test_every_line_links_to_where_the_operator_acts(client, login, x, y):
    login(x.operator)
    html = page_of(client)
    for enrolment in x.applications:
        assert f'href="/dispositifs/{x.scheme.id}#enrolment-{enrolment.id}"' in html
        assert enrolment.firm.siret_display in html
        assert enrolment.firm.name in html
    for contact in x.contacts:
        assert f'href="mailto:{contact.email}"' in html
        assert contact.full_name in html
    assert f'href="/dispositifs/{x.scheme.id}/tours/{x.last_round.id}"' in html
    assert "Compétence obligatoire absente chez les salariés proches" in html
    assert "Besoin sans candidat X" in html
    assert "Besoin clos X" not in html
    proposal = x.proposals[0]
    assert f'href="/propositions/{proposal.id}"' in html
    assert "3 jours restants" in html
    assert "le salarié, l'entreprise d'accueil" in html
    assert f'href="/bureau/propositions/{proposal.id}/ecrire"' in html
    for a in x.drafts + x.signing:
        assert f'href="/accords/{a.id}"' in html
        assert f'href="/bureau/accords/{a.id}/ecrire"' in html
    assert "Désignez le signataire de l'entreprise prêteuse" in html
    assert "Avenant au contrat de travail — Salarié : signature manquante" in html
    for loan in x.soon + x.unbilled:
        assert f'href="/prets/{loan.id}"' in html
    assert f'href="/prets/{x.quiet[0].id}"' not in html
    assert "commence le" in html
    assert "finit le" in html


def test_an_operator_of_another_scheme_sees_none_of_it(client, login, x, y):
    login(y.operator)
    html = page_of(client)
    for name in ("Candidate X", "Besoin sans candidat X", "Prêteur X", "Accueil X"):
        assert name not in html
    assert "Candidate Y 1" in html
    assert counts(html)["accords"] == 2


def test_an_admin_desk_names_the_scheme_of_each_line(client, login, x, y):
    login(new_user(Role.ADMIN))
    html = page_of(client)
    assert counts(html)["entreprises"] == 4
    assert "<td>Dispositif X</td>" in html
    assert "<td>Dispositif Y</td>" in html


@pytest.mark.parametrize("role", [Role.HR, Role.MONITOR, Role.EMPLOYEE])
def test_other_roles_are_refused(client, login, x, role):
    login(new_user(role, firm=x.lender if role != Role.MONITOR else None, schemes=[]))
    assert client.get("/bureau").status_code == 403


# Writing to the parties.

MESSAGE = {"subject": "Relance signature", "body": "Bonjour,\nIl manque vos signatures.\nMerci."}


def test_the_operator_writes_to_both_firms(client, login, outbox, x):
    a = x.signing[0]
    login(x.operator)
    form = page_of(client, f"/bureau/accords/{a.id}/ecrire")
    assert x.lender_hr.email in form
    assert x.host_hr.email in form
    response = client.post_form(f"/bureau/accords/{a.id}/ecrire", MESSAGE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/bureau#accords")
    assert sorted(m.to[0] for m in outbox) == sorted([x.lender_hr.email, x.host_hr.email])
    message = outbox[0]
    assert message.subject == "Dispositif X : Relance signature"
    assert message.reply_to == [x.operator.email]
    assert "Il manque vos signatures." in message.body
    assert f"/accords/{a.id}" in message.body
    assert a.employee.user.email not in [m.to[0] for m in outbox]
    done = page_of(client)
    assert "Message envoyé aux 2 destinataires" in done
    assert x.host_hr.email in done
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("desk.%")))
    assert (event.action, event.object_type, event.object_id) == (
        "desk.message_sent",
        "Agreement",
        a.id,
    )
    assert event.actor_id == x.operator.id


def test_the_employee_is_written_to_when_asked(client, login, outbox, x):
    proposal = waiting_proposal(x)
    login(x.operator)
    data = {**MESSAGE, "employee": "y"}
    assert client.post_form(f"/bureau/propositions/{proposal.id}/ecrire", data).status_code == 302
    to = sorted(m.to[0] for m in outbox)
    assert to == sorted([x.lender_hr.email, x.host_hr.email, proposal.employee.user.email])
    host_copy = next(m for m in outbox if m.to[0] == x.host_hr.email)
    assert proposal.employee.last_name not in host_copy.body  # the host does not know yet


def test_an_employee_without_account_is_not_offered(client, login, outbox, x, today):
    a = agreement(x, account=False)
    login(x.operator)
    form = page_of(client, f"/bureau/accords/{a.id}/ecrire")
    assert "n'a pas de compte actif" in form
    assert 'name="employee"' not in form
    client.post_form(f"/bureau/accords/{a.id}/ecrire", {**MESSAGE, "employee": "y"})
    assert len(outbox) == 2


def test_a_loan_message(client, login, outbox, x):
    loan = x.soon[0]
    login(x.operator)
    assert client.post_form(f"/bureau/prets/{loan.id}/ecrire", MESSAGE).status_code == 302
    assert len(outbox) == 2
    assert f"/prets/{loan.id}" in outbox[0].body


def test_the_csrf_token_is_required(client, login, outbox, x):
    login(x.operator)
    response = client.post(f"/bureau/accords/{x.signing[0].id}/ecrire", data=MESSAGE)
    assert response.status_code == 400
    assert outbox == []


def test_an_operator_of_another_scheme_may_not_write(client, login, outbox, x, y):
    login(y.operator)
    for url in (
        f"/bureau/accords/{x.signing[0].id}/ecrire",
        f"/bureau/propositions/{x.proposals[0].id}/ecrire",
        f"/bureau/prets/{x.soon[0].id}/ecrire",
    ):
        assert client.get(url).status_code == 404
        assert client.post_form(url, MESSAGE).status_code == 404
    assert outbox == []
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("desk.%"))) is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"subject": "", "body": MESSAGE["body"]}, "Indiquez l'objet du message."),
        ({"subject": "x" * 151, "body": MESSAGE["body"]}, "L'objet tient en 150 caractères"),
        ({"subject": "Relance\r\nBcc: a@b.fr", "body": MESSAGE["body"]}, "une seule ligne"),
        ({"subject": "Relance", "body": ""}, "Écrivez votre message."),
        ({"subject": "Relance", "body": "Court"}, "Le message compte de 10 à 5000 caractères."),
        ({"subject": "Relance", "body": "y" * 5001}, "Le message compte de 10 à 5000"),
        ({"subject": "Relance", "body": "Bonjour \u202e inversé"}, "caractère invisible"),
    ],
)
def test_bad_input_gets_french_errors(client, login, outbox, x, data, error):
    login(x.operator)
    response = client.post_form(f"/bureau/accords/{x.signing[0].id}/ecrire", data)
    assert response.status_code == 200
    assert error in unescape(response.get_data(as_text=True))
    assert outbox == []


def test_the_desk_costs_the_same_queries_with_many_lines(app, login, count_queries, x, today):
    client = app.test_client()
    login(x.operator, test_client=client)
    found = []
    for round_number in range(3):
        if round_number:
            fill(x, today, f"X{round_number}")
        with count_queries() as counted:
            response = client.get("/bureau")
        assert response.status_code == 200
        found.append(counted())
    html = unescape(response.get_data(as_text=True))
    assert counts(html)["accords"] == 6
    assert counts(html)["releves"] == 6
    # The session and its user, the schemes, then per section a count and its lines (the
    # agreements: their loans and signatures too; the statements: the months issued).
    assert found == [19, 19, 19], found


def test_the_deal_pages_offer_to_write_to_their_operator_only(client, login, x):
    pages = {
        f"/accords/{x.signing[0].id}": f"/bureau/accords/{x.signing[0].id}/ecrire",
        f"/propositions/{x.proposals[0].id}": f"/bureau/propositions/{x.proposals[0].id}/ecrire",
        f"/prets/{x.soon[1].id}": f"/bureau/prets/{x.soon[1].id}/ecrire",
    }
    login(x.operator)
    for page, form in pages.items():
        assert f'href="{form}"' in page_of(client, page)
    login(x.lender_hr)
    for page, form in pages.items():
        assert form not in page_of(client, page)
