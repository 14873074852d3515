"""The territory's dashboard as its readers get it: the page with its pictures, the printable
page, and the CSV, XLSX and JSON files — the same published figures everywhere, no name, no
cost and no count of 1 to 4 in any of them."""

import io
import json
import re

import pytest
from openpyxl import load_workbook

from lending.extensions import db
from lending.models import Employee, Firm, Role
from tests.factories import new_user
from tests.services.dashboard.world import SALARY, TODAY, generate

SMALL_COUNT = re.compile(r"(?<![\d,.\-/])[1-4](?![\d,.:/\-])")


@pytest.fixture
def small(app, monkeypatch):
    """A scheme of a handful of firms and people: most of its counts are 1 to 4; the
    dashboard is read on the generated world's day."""
    monkeypatch.setattr("lending.web.monitor.routes.local_date", lambda: TODAY)
    scheme, other = generate(seed=3, firms=6, small=True)
    monitor = new_user(Role.MONITOR, schemes=[scheme])
    db.session.commit()
    return scheme, other, monitor


def _secrets() -> list[str]:
    names = [firm.name for firm in db.session.query(Firm)]
    names += [employee.last_name for employee in db.session.query(Employee)]
    return names + [str(SALARY // 100), "2837"]


def test_the_monitor_reads_the_dashboard_of_their_scheme(client, login, small):
    scheme, other, monitor = small
    login(monitor, client)
    page = client.get("/suivi", follow_redirects=True)
    assert page.request.path == f"/suivi/{scheme.id}"  # one scheme: straight to it
    html = page.get_data(as_text=True)
    for title in (
        "Prêts en cours",
        "Délai médian",
        "Flux",
        "Compétences",
        "Avis de fin de prêt",
    ):
        assert title in html, title
    assert html.count('role="img"') == 3  # map, trend, flows, each with its table
    assert 'role="img"' in html
    assert "<desc" in html
    assert "&lt; 5" in html  # this small scheme has hidden cells...
    for secret in _secrets():
        assert secret not in html, secret  # ...and no name or cost
    assert client.get(f"/suivi/{other.id}").status_code == 404  # another scheme's


def _cells_of_tables(html: str) -> list[str]:
    return re.findall(r"<td>([^<]*)</td>", html)


@pytest.mark.parametrize("args", ["", "?periode=annee&annee=2026", "?departement=47"])
def test_no_count_under_5_leaks_from_page_or_files(client, login, small, args):
    scheme, _other, monitor = small
    login(monitor, client)
    base = f"/suivi/{scheme.id}"
    html = client.get(base + args).get_data(as_text=True)
    for cell in _cells_of_tables(html):
        assert not SMALL_COUNT.fullmatch(cell.strip()), cell
    data = client.get(f"{base}/donnees.json{args}").get_json()
    for table in data["tables"].values():
        for row in table["rows"] + ([table["total"]] if table["total"] else []):
            for figure in row["figures"]:
                assert not SMALL_COUNT.fullmatch(figure["text"]), (table["title"], figure)
                assert figure["value"] is None or figure["value"] == 0 or figure["value"] >= 5
    book = load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx{args}").data))
    assert len(book.sheetnames) == len(data["tables"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=6, min_col=2, values_only=True):
            for value in row:
                assert value is None or not SMALL_COUNT.fullmatch(str(value)), value
    csv = client.get(f"{base}/export.csv{args or '?'}&tableau=firms")
    text = csv.data.decode("utf-8-sig")
    for line in text.splitlines()[1:]:
        for cell in line.split(";")[1:]:
            assert not SMALL_COUNT.fullmatch(cell), line
    everything = html + json.dumps(data, ensure_ascii=False) + text
    for secret in _secrets():
        assert secret not in everything, secret


def test_files_hold_the_figures_of_the_page(client, login, small):
    scheme, _other, monitor = small
    login(monitor, client)
    data = client.get(f"/suivi/{scheme.id}/donnees.json").get_json()
    firms = data["tables"]["firms"]
    response = client.get(f"/suivi/{scheme.id}/export.csv?tableau=firms")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[1:] == firms["columns"]
    assert lines[1].split(";") == [firms["rows"][0]["label"]] + [
        f["text"] for f in firms["rows"][0]["figures"]
    ]
    assert client.get(f"/suivi/{scheme.id}/export.csv?tableau=nothing").status_code == 404
    book = load_workbook(io.BytesIO(client.get(f"/suivi/{scheme.id}/export.xlsx").data))
    assert book.worksheets[0]["A1"].value == list(data["tables"].values())[0]["title"]


def test_a_wrong_filter_is_said_in_french_and_the_default_shown(client, login, small):
    scheme, _other, monitor = small
    login(monitor, client)
    page = client.get(f"/suivi/{scheme.id}?periode=mois&mois=2026-13&departement=99")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "12 derniers mois" in html


def test_the_printable_page_has_every_table_and_no_site_menu(client, login, small):
    scheme, _other, monitor = small
    login(monitor, client)
    html = client.get(f"/suivi/{scheme.id}/imprimer").get_data(as_text=True)
    assert "Navigation principale" not in html
    assert html.count("<table") == 12
    assert html.count('role="img"') == 3
    assert "Télécharger ce tableau" not in html


def test_an_admin_picks_the_scheme(client, login, small):
    scheme, other, _monitor = small
    login(new_user(Role.ADMIN), client)
    html = client.get("/suivi").get_data(as_text=True)
    assert f'href="/suivi/{scheme.id}"' in html
    assert f'href="/suivi/{other.id}"' in html
