"""The territory's dashboard in a real browser: a prefecture officer reads it, narrows it
to a département and a year, downloads its files and opens the printable page; axe-core
checks each page."""

import pytest
from playwright.sync_api import expect

from lending.extensions import db
from lending.models import Role
from tests.e2e.test_journey import log_in
from tests.factories import PASSWORD, new_user
from tests.services.dashboard.world import TODAY, generate

pytestmark = pytest.mark.e2e


def test_the_prefecture_reads_the_dashboard_and_downloads_it(page, app, a11y, monkeypatch):
    monkeypatch.setattr("lending.web.monitor.routes.local_date", lambda: TODAY)
    scheme, _other = generate()
    monitor = new_user(Role.MONITOR, schemes=[scheme])
    db.session.commit()

    log_in(page, monitor.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Tableau de bord"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord — {scheme.name}")
    expect(page.get_by_role("img", name="Carte des départements : Prêts en cours")).to_be_visible()
    expect(page.get_by_role("table", name="Flux entre secteurs")).to_be_visible()
    a11y.check(page, "monitor: dashboard")

    page.get_by_label("Département", exact=True).select_option("47")
    page.get_by_label("Période", exact=True).select_option("annee")
    expect(page.get_by_label("Mois", exact=True)).to_be_hidden()  # only the year's field
    page.get_by_label("Année", exact=True).select_option(str(TODAY.year - 1))
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text(f"{TODAY.year - 1} · 47 — Lot-et-Garonne")).to_be_visible()
    a11y.check(page, "monitor: dashboard for a département and a year")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tous les tableaux (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ce tableau (CSV)").first.click()
    assert download.value.suggested_filename.endswith(".csv")

    page.get_by_role("link", name="Version imprimable").click()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_have_count(0)
    a11y.check(page, "monitor: printable dashboard")
    a11y.assert_clean()
