"""From an accepted proposal, in a real browser: both firms complete the agreement, one
freezes it, the three parties sign after re-entering their password (the avenant first, then
the convention) and download the signed PDFs; once the loan is over the lender records the
employee's return. axe-core checks each new page."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lending.documents import render
from lending.extensions import db
from lending.models import AgreementStatus, Loan, LoanStatus
from lending.services import uow
from lending.services.deals import loans
from tests.e2e.test_journey import flash, log_in, log_out
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def open_agreement(page: Page, agreement_id: int) -> None:
    page.goto(f"/accords/{agreement_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accord de prêt")


def sign(page: Page, agreement_id: int, label: str, a11y, name: str) -> None:
    open_agreement(page, agreement_id)
    page.get_by_role("link", name=f"Signer — {label}").click()
    a11y.check(page, f"signing page ({name})")
    page.get_by_label("Votre mot de passe, pour confirmer votre identité").fill(PASSWORD)
    page.get_by_role("button", name="Je signe").click()
    expect(flash(page, "Document signé.")).to_be_visible()


def test_parties_complete_sign_and_download(page, market, accepted, a11y):
    employee_user = accepted.employee.user
    cse = (date.today() - timedelta(days=2)).isoformat()

    log_in(page, market.lender_hr.email, PASSWORD)
    open_agreement(page, accepted.id)
    expect(page.get_by_text("points à régler avant la signature")).to_be_visible()
    a11y.check(page, "agreement to complete")
    page.get_by_role("link", name="Partie de l'entreprise prêteuse").click()
    page.get_by_label("Signataire pour l'entreprise prêteuse").select_option(
        label=f"{market.lender_hr.full_name} — {market.lender_hr.job_title}"
    )
    page.get_by_label("Qualification du salarié", exact=False).fill("Niveau V, coefficient 335")
    page.get_by_label("Contrat de travail d'origine (nature et date)").fill("CDI du 3 mars 2019")
    page.get_by_label("Date de consultation du CSE de l'entreprise prêteuse").fill(cse)
    page.get_by_label("Avis du CSE").select_option("favorable")
    a11y.check(page, "lender's part")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Modifications enregistrées.")).to_be_visible()
    log_out(page)

    log_in(page, market.host_hr.email, PASSWORD)
    open_agreement(page, accepted.id)
    page.get_by_role("link", name="Partie de l'entreprise d'accueil").click()
    # the HR manager filling in the part is its signatory unless they choose a colleague
    expect(page.get_by_label("Signataire pour l'entreprise d'accueil")).to_have_value(
        str(market.host_hr.id)
    )
    page.get_by_label("Le poste présente-t-il des risques particuliers ?").select_option("non")
    page.get_by_label("Le poste figure-t-il sur la liste", exact=False).select_option("non")
    page.get_by_label("Le poste exige-t-il un suivi médical renforcé ?").select_option("non")
    page.get_by_label("Pas de CSE dans l'entreprise d'accueil (moins de 11 salariés)").check()
    a11y.check(page, "host's part")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Modifications enregistrées.")).to_be_visible()
    expect(page.get_by_text("Toutes les vérifications sont satisfaites.")).to_be_visible()
    page.get_by_role("link", name="Lire — Convention de mise à disposition").click()
    expect(page.get_by_text(market.host_hr.full_name).first).to_be_visible()
    a11y.check(page, "convention preview")
    open_agreement(page, accepted.id)
    page.get_by_role("button", name="Figer les documents pour signature").click()
    expect(flash(page, "Documents figés")).to_be_visible()
    # the convention waits for the avenant, which the employee and the lender sign first
    expect(page.get_by_text("L'avenant doit d'abord être signé", exact=False)).to_be_visible()
    convention_button = page.get_by_role("link", name="Signer — Convention de mise à disposition")
    expect(convention_button).to_have_count(0)
    log_out(page)

    log_in(page, employee_user.email, PASSWORD)
    sign(page, accepted.id, "Avenant au contrat de travail", a11y, "employee")
    log_out(page)

    log_in(page, market.lender_hr.email, PASSWORD)
    sign(page, accepted.id, "Avenant au contrat de travail", a11y, "lender, avenant")
    sign(page, accepted.id, "Convention de mise à disposition", a11y, "lender, convention")
    log_out(page)

    log_in(page, market.host_hr.email, PASSWORD)
    sign(page, accepted.id, "Convention de mise à disposition", a11y, "host")
    open_agreement(page, accepted.id)
    a11y.check(page, "signed agreement")
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name="Télécharger le PDF — Convention de mise à disposition"
        ).click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert "preuve des signatures" in render.pdf_text(pdf).lower()
    log_out(page)
    log_in(page, market.lender_hr.email, PASSWORD)
    open_agreement(page, accepted.id)
    db.session.expire_all()
    assert accepted.status == AgreementStatus.SIGNED

    # The loan runs its course: moved to last September-October (so months are over and
    # can be billed), then the daily job starts and ends it.
    loan = db.session.query(Loan).one()
    start = (
        date(date.today().year - 1, 9, 1)
        if date.today().month < 11
        else date(date.today().year, 9, 1)
    )
    loan.start_date, loan.end_date = start, start.replace(month=10, day=31)
    loans.advance(loan.start_date)
    loans.advance(loan.end_date + timedelta(days=1))
    uow.commit()
    assert loan.status == LoanStatus.ENDED
    page.get_by_role("link", name="Suivre le prêt").click()
    expect(page.get_by_role("heading", name="Chronologie")).to_be_visible()
    a11y.check(page, "loan timeline")
    # September's real pay: overtime on top of the declared 2 800 € salary.
    page.get_by_role("link", name=f"Saisir septembre {start.year}").click()
    expect(page.get_by_label("Salaire brut versé (€)")).to_have_value("2800.00")
    a11y.check(page, "a month's actuals")
    page.get_by_label("Salaire brut versé (€)").fill("3000.00")
    page.get_by_label("Charges patronales (€)").fill("1290")
    page.get_by_label("Commentaire (facultatif)").fill("Heures supplémentaires")
    page.get_by_role("button", name="Enregistrer les montants").click()
    expect(flash(page, "Montants de septembre")).to_be_visible()
    page.get_by_label("Mois").select_option(label=f"septembre {start.year}")
    page.get_by_role("button", name="Établir le relevé").click()
    expect(flash(page, "Relevé établi.")).to_be_visible()
    number = f"{date.today().year}-0001"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Télécharger {number}").click()
    text = render.pdf_text(Path(download_info.value.path()).read_bytes())
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert f"Relevé mensuel de refacturation n° {number}" in text
    assert "Montant refacturé" in text
    assert "4 390,00" in text
    page.get_by_label("Date du retour dans l'entreprise").fill(
        (loan.end_date + timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Enregistrer le retour").click()
    expect(flash(page, "Retour enregistré.")).to_be_visible()
    expect(page.get_by_text("Retour du salarié dans son entreprise")).to_be_visible()
    page.get_by_label("Votre appréciation du prêt").select_option("5")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(flash(page, "Merci pour votre avis.")).to_be_visible()
    a11y.check(page, "loan after return")
    a11y.assert_clean()
