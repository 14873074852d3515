"""The operator's desk in a real browser: every section filled, axe clean, and a message
written to the parties of an agreement."""

import re

import pytest
from playwright.sync_api import expect

from lending.models._time import local_date
from tests.e2e.test_journey import flash, log_in
from tests.factories import PASSWORD
from tests.services.desk_helpers import fill, side

pytestmark = pytest.mark.e2e


def test_the_operator_reads_the_desk_and_writes_to_the_parties(page, outbox, app, a11y):
    x = fill(side("X"), local_date(), "X")
    operator_email, draft_employee = x.operator.email, x.drafts[0].employee_full_name
    hr_emails = sorted([x.lender_hr.email, x.host_hr.email])

    log_in(page, operator_email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon bureau")
    expect(page.get_by_role("heading", name="Accords non signés (2)")).to_be_visible()
    a11y.check(page, "bureau de l'opérateur, toutes les sections")

    agreements = page.get_by_role("table", name="Accords non signés")
    row = agreements.get_by_role("row").filter(has_text=draft_employee)
    row.get_by_text(re.compile(r"^\d+ points$")).click()  # the compliance list unfolds
    expect(row.get_by_text("Indiquez la référence du contrat de travail")).to_be_visible()
    row.get_by_role("link", name=f"Écrire aux parties — {draft_employee}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire aux parties")

    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_text("Indiquez l'objet du message.", exact=True)).to_be_visible()
    a11y.check(page, "message aux parties, erreurs")

    page.get_by_label("Objet").fill("Points à compléter")
    page.get_by_label("Message").fill("Bonjour,\nIl reste la référence du contrat à indiquer.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(flash(page, "Message envoyé aux 2 destinataires")).to_be_visible()
    assert sorted(m.to[0] for m in outbox) == hr_emails
