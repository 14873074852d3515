"""A firm's first steps, in a real browser: registration, application, the operator's decision.

Assertions are on what a user sees (headings, flash messages, statuses); axe-core checks each
page on the way.
"""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Firm, Role, User
from tests.factories import PASSWORD, valid_siret

pytestmark = pytest.mark.e2e

FIRM = "Usinage de la Garonne"
HR_NAME = "Camille Martin"
HR_EMAIL = "camille.martin@usinage-garonne.fr"
HR_PASSWORD = "rivière pruneau tonnelier boussole"


def fill_registration(page: Page, siret: str) -> None:
    page.get_by_label("Raison sociale de l'entreprise").fill(FIRM)
    page.get_by_label("SIRET de l'établissement").fill(siret)
    page.get_by_label("Code NAF (APE)").select_option("30.30Z")
    page.get_by_label("Adresse", exact=True).fill("12 quai de la Garonne")
    page.get_by_label("Code postal").fill("47000")
    # site.js fills the commune list from /api/communes.
    commune = page.get_by_label("Commune", exact=True)
    expect(commune.get_by_role("option", name="Agen", exact=True)).to_be_attached()
    commune.select_option(label="Agen")
    page.get_by_label("Vos prénom et nom").fill(HR_NAME)
    page.get_by_label("Votre adresse e-mail professionnelle").fill(HR_EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(HR_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(HR_PASSWORD)
    page.get_by_role("button", name="Inscrire l'entreprise").click()


def flash(page: Page, text: str):
    return page.get_by_role("status").get_by_text(text)


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(flash(page, "Vous êtes connecté.")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(flash(page, "Vous êtes déconnecté.")).to_be_visible()


def test_newcomer_registers_applies_and_is_accepted(page, outbox, make_scheme, make_user, a11y):
    scheme = make_scheme("Entraide industrielle Lot-et-Garonne", departements=["47"], sectors="C")
    operator = make_user(Role.OPERATOR, schemes=[scheme])
    scheme_name, operator_email = scheme.name, operator.email

    # A newcomer arrives on the home page and registers the firm.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prêter ou accueillir")
    a11y.check(page, "accueil")
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Inscrire mon entreprise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire mon entreprise")
    a11y.check(page, "inscription")

    fill_registration(page, valid_siret(73_282_932))
    expect(flash(page, "Vérifiez votre messagerie")).to_be_visible()
    a11y.check(page, "inscription envoyée")

    # They confirm from the link e-mailed to them.
    link = re.search(r"https?://[^/]+(/inscription/confirmer/\S+)", outbox[-1].body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Terminer l'inscription")
    a11y.check(page, "confirmation de l'inscription")
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page).to_have_title(re.compile(r"^Mon entreprise"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRM)
    expect(flash(page, "Votre entreprise est inscrite.")).to_be_visible()
    expect(page.get_by_text("12 quai de la Garonne, 47000 Agen")).to_be_visible()
    a11y.check(page, "mon entreprise")

    log_out(page)
    a11y.check(page, "connexion")

    # Back again: they log in and apply to the scheme of their territory.
    log_in(page, HR_EMAIL, HR_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRM)
    row = page.get_by_role("row").filter(has_text=scheme_name)
    row.get_by_role("button", name=f"Candidater à {scheme_name}").click()
    expect(
        flash(page, f"Candidature envoyée à l'opérateur du dispositif {scheme_name}.")
    ).to_be_visible()
    expect(row).to_contain_text("En attente de validation")
    expect(row.get_by_role("button")).to_have_count(0)
    a11y.check(page, "mon entreprise, candidature en attente")
    log_out(page)

    # The scheme's operator finds the application on the desk, then approves it.
    log_in(page, operator_email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon bureau")
    expect(page.get_by_role("heading", name="Entreprises à valider (1)")).to_be_visible()
    expect(page.get_by_role("table", name="Entreprises à valider")).to_contain_text(FIRM)
    a11y.check(page, "bureau de l'opérateur")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Dispositifs"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dispositifs")
    scheme_row = page.get_by_role("row").filter(has_text=scheme_name)
    expect(scheme_row.get_by_role("cell").last).to_have_text("1")
    a11y.check(page, "liste des dispositifs")
    scheme_row.get_by_role("link", name=scheme_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scheme_name)
    expect(page.get_by_role("heading", name="Candidatures en attente (1)")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=FIRM)).to_be_visible()
    a11y.check(page, "page du dispositif")
    page.get_by_role("button", name=f"Accepter {FIRM}").click()
    expect(flash(page, f"Candidature d'{FIRM} acceptée.")).to_be_visible()
    expect(page.get_by_role("heading", name="Candidatures en attente (0)")).to_be_visible()
    expect(page.get_by_role("heading", name="Entreprises participantes (1)")).to_be_visible()
    expect(page.get_by_role("table", name="Entreprises participantes")).to_contain_text(FIRM)
    a11y.check(page, "page du dispositif, candidature acceptée")
    log_out(page)

    # The HR manager sees the decision.
    log_in(page, HR_EMAIL, HR_PASSWORD)
    row = page.get_by_role("row").filter(has_text=scheme_name)
    expect(row).to_contain_text("Acceptée")
    expect(row).not_to_contain_text("En attente")
    log_out(page)

    a11y.assert_clean()


def test_wrong_siret_is_refused_next_to_the_field_and_nothing_is_created(page, a11y):
    page.goto("/inscription")
    a11y.check(page, "inscription")

    good = valid_siret(73_282_932)
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)  # the Luhn key no longer matches
    fill_registration(page, wrong)

    message = "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez-le."
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire mon entreprise")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Le formulaire contient des erreurs")
    expect(summary.get_by_role("link")).to_have_text([f"SIRET de l'établissement : {message}"])
    expect(summary).to_be_focused()
    siret = page.get_by_label("SIRET de l'établissement")
    expect(siret).to_have_value(wrong)
    expect(siret).to_have_attribute("aria-invalid", "true")
    expect(siret).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.locator("#siret-error")).to_have_text(message)
    # What was typed is kept, the commune too.
    expect(page.get_by_label("Raison sociale de l'entreprise")).to_have_value(FIRM)
    expect(page.get_by_label("Commune", exact=True)).to_have_value("47001")
    a11y.check(page, "inscription avec erreurs")

    summary.get_by_role("link").click()
    expect(siret).to_be_focused()

    assert db.session.scalar(select(func.count(Firm.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == 0
    a11y.assert_clean()
