"""Line breaks and invisible characters are refused where they would break an email header or
reorder a PDF; text is stored in NFC; a page never says an email left when it did not."""

import smtplib

import pytest
from flask_mailman import EmailMessage
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Employee, Firm, Need, Role
from lending.services import text
from tests.web.test_employee_import import _csv, _imported, _refused, _row, _upload
from tests.web.test_employee_import import firm as firm  # noqa: F401 - fixture
from tests.web.test_needs import _form as need_form
from tests.web.test_registration import GOOD, register_and_confirm

ONE_LINE = "Ce champ tient sur une seule ligne : retirez les retours à la ligne."


def _invisible(code: str) -> str:
    return f"Ce champ contient un caractère invisible ou de contrôle ({code}) : retirez-le."


def _firms() -> int:
    return db.session.scalar(select(func.count()).select_from(Firm))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("firm_name", "X\r\nBcc: victime@example.fr", ONE_LINE),
        ("firm_name", "X\nY", ONE_LINE),
        ("address_line", "12 rue\u2028Basse", ONE_LINE),
        ("full_name", "Hélène\u202e47000", _invisible("U+202E")),
        ("firm_name", "Conserverie\u200b", _invisible("U+200B")),
        ("full_name", "Hélène\tRessources", _invisible("U+0009")),
        ("firm_name", "Conserverie\x85", ONE_LINE),
    ],
)
def test_line_breaks_and_invisible_characters_are_refused(client, field, value, message):
    page = client.post_form("/inscription", {**GOOD, field: value})
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert _firms() == 0


def test_text_is_stored_in_nfc(client, outbox):
    decomposed = "Conserverie E\u0301lodie"
    register_and_confirm(client, outbox, firm_name=decomposed)
    assert db.session.scalar(select(Firm.name)) == "Conserverie Élodie"


def test_a_name_may_use_the_joiners_its_script_needs(client):
    persian = "می\u200cخواهم"  # a zero-width non-joiner, as Persian spelling requires
    assert client.post_form("/inscription", {**GOOD, "full_name": persian}).status_code == 302


def test_multi_line_text_keeps_its_lines_but_not_invisible_characters(
    client, make_user, make_firm, login, some_skills
):
    login(make_user(Role.HR, firm=make_firm()))
    bad = need_form(some_skills, missions="Ligne 1\r\n\u202eLigne 2")
    page = client.post_form("/entreprise/besoins/nouveau", bad)
    assert _invisible("U+202E") in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0
    good = need_form(some_skills, missions="Ligne 1\r\n\tLigne 2")
    assert client.post_form("/entreprise/besoins/nouveau", good).status_code == 302
    assert db.session.scalar(select(Need.missions)) == "Ligne 1\r\n\tLigne 2"


def test_the_rule_itself():
    assert text.problem("Élodie Durand") is None
    assert text.problem("a\nb", multiline=True) is None
    assert text.problem("a\u202eb", multiline=True) == _invisible("U+202E")
    assert text.problem("\x07") == _invisible("U+0007")
    assert text.nfc("E\u0301") == "É"


def test_csv_import_refuses_invisible_characters_row_by_row(client, firm):  # noqa: F811
    html = _refused(_upload(client, _csv([_row(1), _row(2, nom="Martin\u202e47")])))
    assert "<tr><td>3</td><td>nom</td><td>" in html
    assert _invisible("U+202E") in html
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_csv_import_stores_nfc(client, firm):  # noqa: F811
    _imported(_upload(client, _csv([_row(1, prénom="E\u0301lodie")])))
    assert db.session.scalar(select(Employee.first_name)) == "Élodie"


def _invite(client, make_user, make_firm, make_employee, login, firm_name=None):
    firm = make_firm(name=firm_name)
    employee = make_employee(firm)
    login(make_user(Role.HR, firm=firm))
    url = f"/entreprise/salaries/{employee.id}/inviter"
    return client.post_form(url, follow_redirects=True).get_data(as_text=True)


def test_a_failed_invitation_email_is_reported_not_claimed(
    client, outbox, make_user, make_firm, make_employee, login, monkeypatch
):
    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    page = _invite(client, make_user, make_firm, make_employee, login)
    assert "Invitation envoyée" not in page
    assert "n&#39;a pas pu être envoyée" in page


def test_a_line_break_stored_before_the_fix_does_not_break_the_invitation(
    client, outbox, make_user, make_firm, make_employee, login
):
    page = _invite(client, make_user, make_firm, make_employee, login, "X\r\nBcc: v@example.fr")
    assert "Invitation envoyée" in page
    assert len(outbox) == 1
    assert "\n" not in outbox[0].subject
    assert outbox[0].recipients() == [db.session.scalar(select(Employee.email))]
