"""Supply and demand in a real browser: an invited employee volunteers, a host posts a need.

axe-core checks every new page on the way.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Employee, Need, Role
from tests.e2e.test_journey import flash, log_in, log_out
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

EMPLOYEE_PASSWORD = "le canal latéral à la garonne"
CSV = Path(__file__).parents[1] / "fixtures" / "csv" / "salaries_excel_fr.csv"


def test_invited_employee_volunteers(page, app, outbox, make_firm, make_user, make_employee, a11y):
    firm = make_firm("Aéro Garonne")
    hr = make_user(Role.HR, firm=firm)
    employee = make_employee(firm, first_name="Héloïse", email="heloise@example.fr")

    log_in(page, hr.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Salariés"
    ).click()
    a11y.check(page, "HR: employees list")
    page.get_by_role("link", name=employee.full_name).click()
    a11y.check(page, "HR: employee form")
    page.get_by_role("button", name="Inviter par e-mail à se porter volontaire").click()
    expect(flash(page, "Invitation envoyée à heloise@example.fr.")).to_be_visible()
    log_out(page)

    link = re.search(r"https?://[^/]+(/invitation/\S+)", outbox[-1].body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue Héloïse")
    a11y.check(page, "employee: invitation")
    page.get_by_label("Mot de passe", exact=True).fill(EMPLOYEE_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(EMPLOYEE_PASSWORD)
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(
        page.get_by_role("heading", name="Notice d'information sur le prêt de main-d'œuvre")
    ).to_be_visible()
    a11y.check(page, "employee: notice")

    page.get_by_role("button", name="Je me porte volontaire").click()
    expect(
        page.get_by_text("Cochez la case pour confirmer votre volontariat.").first
    ).to_be_visible()
    a11y.check(page, "employee: consent error")
    page.get_by_label("J'ai lu la notice d'information").check()
    page.get_by_role("button", name="Je me porte volontaire").click()
    expect(page.get_by_text("Vous êtes volontaire depuis le")).to_be_visible()

    page.get_by_role("link", name="Modifier mes préférences").click()
    a11y.check(page, "employee: preferences")
    page.get_by_label("Trajet maximal accepté (km)").fill("25")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Vos préférences sont enregistrées.")).to_be_visible()

    db.session.expire_all()
    saved = db.session.get(Employee, employee.id)
    assert saved.has_consented
    assert saved.max_commute_km == 25
    a11y.assert_clean()


def test_host_posts_a_need_with_the_skill_picker(page, make_firm, make_user, a11y):
    firm = make_firm("Conserverie de la Garonne", naf="10.39A")
    hr = make_user(Role.HR, firm=firm)
    log_in(page, hr.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Besoins"
    ).click()
    page.get_by_role("link", name="Déclarer un besoin").click()
    a11y.check(page, "host: need form")

    page.get_by_label("Intitulé du poste").fill("Technicien de maintenance")
    page.get_by_label("Missions confiées").fill("Maintenance préventive des lignes")
    page.get_by_label("Nombre de postes").fill("2")
    page.get_by_label("Code postal").fill("47000")
    commune = page.get_by_label("Commune", exact=True)
    expect(commune.get_by_role("option", name="Agen", exact=True)).to_be_attached()
    page.get_by_label("Début souhaité").fill("2027-02-01")
    page.get_by_label("Fin prévue").fill("2027-05-31")
    page.get_by_label("Heures par semaine").fill("35")
    # The picker searches labels and synonyms, accents ignored.
    page.get_by_role("searchbox", name="Rechercher une compétence").first.fill("soudure tig")
    first_skill = page.get_by_label("Compétence 1", exact=True)
    # The list now holds only the matches (its first entry "—" replaces "— Aucune —").
    expect(first_skill.locator("option").first).to_have_text("—")
    expect(first_skill.locator("option")).not_to_have_count(420)
    first_skill.select_option(label="Soudage TIG (procédé 141)")
    page.get_by_label("Niveau minimal 1").select_option("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Besoin « Technicien de maintenance » enregistré.")).to_be_visible()
    a11y.check(page, "host: needs list")

    need = db.session.scalar(select(Need))
    assert need.positions == 2
    assert "TIG" in need.skills[0].skill.label
    assert need.skills[0].min_level == 3
    a11y.assert_clean()


def test_hr_imports_employees_from_a_csv_file(page, make_firm, make_user, a11y, worker):
    firm = make_firm("Aéro Garonne")
    hr = make_user(Role.HR, firm=firm)
    log_in(page, hr.email, PASSWORD)
    page.goto("/entreprise/salaries")
    page.get_by_role("link", name="Importer un fichier CSV").click()
    a11y.check(page, "HR: CSV import")

    # A file with a mistake is refused whole, with a report naming the row and column.
    bad = CSV.read_bytes().replace(b"47000;Agen", b"47000;Toulouse", 1)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "salaries.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Importer").click()
    # a worker reads the file; the progress page reloads itself with the outcome
    expect(page.get_by_role("row", name=re.compile(r"^2 commune .*Toulouse"))).to_be_visible()
    a11y.check(page, "HR: CSV import report")
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0

    page.get_by_role("link", name="Importer un fichier corrigé").click()
    page.locator("input[type=file]").set_input_files(CSV)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text("3 salariés importés")
    a11y.check(page, "HR: CSV import done")
    page.get_by_role("link", name="Voir les salariés").click()
    expect(page.get_by_role("link", name="Hélène Durand")).to_be_visible()
    a11y.assert_clean()
