"""HR imports available employees from a CSV file as Excel-FR writes it: all rows or none."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lending.extensions import db
from lending.models import Employee, Role
from lending.services import employee_import, employees
from lending.services.employee_import import escape_csv_cell
from lending.services.errors import ServiceError
from lending.web.employees.forms import EmployeeForm

URL = "/entreprise/salaries/import"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
HEADER = [c.name for c in employee_import.COLUMNS]
GOOD = {
    "prénom": "Camille",
    "nom": "Martin",
    "email": "camille.martin@example.fr",
    "emploi": "Ajusteur-monteur",
    "qualification": "Niveau V",
    "code_postal": "47000",
    "commune": "Agen",
    "trajet_max_km": "40",
    "disponible_du": "04/01/2027",
    "disponible_au": "30/06/2027",
    "heures_semaine": "35",
    "salaire_brut": "2 800,00",
    "charges_patronales": "1 200",
    "frais_professionnels": "100",
    "activite_partielle": "non",
    "emploi_menace": "",
    "competences": "AERO-001:3",
}


def _row(n: int = 0, **changes) -> dict:
    return {**GOOD, "email": f"salarie{n}@example.fr", **changes}


def _csv(rows, header=HEADER, sep=";", encoding="utf-8-sig", newline="\r\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] for row in rows)
    return out.getvalue().encode(encoding)


def _upload(client, content: bytes, filename: str = "salaries.csv", csrf: bool = True):
    # Encoded here, in memory: the test client would spool a big body to a temporary file
    # that it never closes (a ResourceWarning, an error under filterwarnings=error).
    fields = {"file": FileStorage(io.BytesIO(content), filename, content_type="text/csv")}
    if csrf:
        fields["csrf_token"] = client.csrf_token()
    boundary, body = encode_multipart(fields)
    response = client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    if response.status_code != 302:
        return response
    # The import is a task (run at once in tests, TASKS_EAGER): its page tells the outcome.
    assert "/entreprise/salaries/import/" in response.headers["Location"]
    return client.get(response.headers["Location"])


def _imported(page) -> str:
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[-2000:]
    assert "n'a pas été importé" not in html, html[-3000:]
    assert re.search(r"\d+ salariés? importés?", html), html[-3000:]
    return html


def _count(firm=None) -> int:
    query = select(func.count()).select_from(Employee)
    if firm is not None:
        query = query.where(Employee.firm_id == firm.id)
    return db.session.scalar(query)


@pytest.fixture
def firm(make_firm, make_user, login):
    """A firm whose HR manager is logged in."""
    firm = make_firm()
    login(make_user(Role.HR, firm=firm))
    return firm


def _refused(page, *messages) -> str:
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[-2000:]
    assert "Le fichier n'a pas été importé" in html
    for message in messages:
        assert message in html, message
    return html


def test_excel_fr_file_imports_every_row_with_skills_and_amounts(client, firm, outbox):
    content = (FIXTURES / "salaries_excel_fr.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    assert "3 salariés importés" in _imported(_upload(client, content))
    page = client.get("/entreprise/salaries").get_data(as_text=True)
    assert "Hélène Durand" in page
    people = {e.email: e for e in db.session.scalars(select(Employee))}
    assert set(people) == {
        "helene.durand@example.fr",
        "jerome.lefevre@example.fr",
        "anais.moreau@example.fr",
    }
    helene = people["helene.durand@example.fr"]
    assert helene.first_name == "Hélène"
    assert helene.qualification == "Niveau V, coef. 335"
    assert helene.commune_insee == "47001"
    assert (helene.available_from, helene.available_until) == (date(2027, 1, 4), date(2027, 6, 30))
    assert (helene.gross_salary_cents, helene.employer_charges_cents) == (2800_50, 1200_00)
    assert helene.job_at_risk
    assert not helene.partial_activity
    assert {(s.skill.code, s.level) for s in helene.skills} == {("AERO-001", 3), ("AERO-004", 2)}
    assert helene.hr_confirmed_at is not None
    assert not helene.has_consented
    jerome = people["jerome.lefevre@example.fr"]
    assert jerome.commune_insee == "47323"  # Villeneuve-sur-Lot, among the communes of 47300
    assert jerome.weekly_hours == Decimal("35.5")
    assert jerome.gross_salary_cents == 2800_50
    assert jerome.expenses_cents is None
    assert jerome.partial_activity
    assert not jerome.job_at_risk
    anais = people["anais.moreau@example.fr"]
    assert anais.commune_insee == "47027"  # given by its INSEE code
    assert anais.available_from == date(2027, 3, 1)
    assert (anais.gross_salary_cents, anais.employer_charges_cents) == (3100_00, 1400_00)
    assert anais.skills == []
    assert outbox == []  # HR invites afterwards


def test_comma_separated_windows_file_keeps_its_accents(client, firm):
    content = (FIXTURES / "salaries_windows_virgules.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    _imported(_upload(client, content))
    people = {e.last_name: e for e in db.session.scalars(select(Employee))}
    assert set(people) == {"Garçon", "Bézier"}
    assert people["Garçon"].first_name == "Hélène"
    assert people["Garçon"].commune.name == "Agen"
    assert people["Garçon"].weekly_hours == Decimal("35.5")
    assert people["Garçon"].employer_charges_cents == 980_40
    assert people["Bézier"].commune_insee == "47001"  # the only commune of 47000
    assert people["Bézier"].gross_salary_cents is None


def test_lf_utf8_without_bom_and_plain_headers_are_accepted(client, firm):
    header = [name.upper().replace("_", " ").replace("É", "E") for name in HEADER]
    rows = [{h: _row(1)[name] for h, name in zip(header, HEADER, strict=True)}]
    content = _csv(rows, header=header, encoding="utf-8", newline="\n")
    _imported(_upload(client, content))
    assert _count() == 1


def test_missing_columns_are_listed(client, firm):
    header = [name for name in HEADER if name not in ("email", "disponible_au")]
    page = _upload(client, _csv([_row(1)], header=header))
    _refused(page, "Colonnes obligatoires absentes : email, disponible_au.")
    assert _count() == 0


def test_optional_columns_may_be_absent(client, firm):
    header = [
        "prénom",
        "nom",
        "email",
        "emploi",
        "code_postal",
        "trajet_max_km",
        "disponible_du",
        "disponible_au",
        "heures_semaine",
    ]
    _imported(_upload(client, _csv([_row(1)], header=header)))
    employee = db.session.scalar(select(Employee))
    assert employee.commune_insee == "47001"
    assert employee.monthly_cost_cents is None


def test_unknown_extra_column_is_refused_with_a_suggestion(client, firm):
    header = [*HEADER, "matricule", "salaire brt"]
    page = _upload(client, _csv([_row(1, matricule="A12")], header=header))
    html = _refused(page, "Colonne inconnue « matricule »", "Colonne inconnue « salaire brt »")
    assert "Vouliez-vous dire « salaire_brut » ?" in html
    assert _count() == 0


def test_one_column_header_hints_at_the_separator(client, firm):
    content = "|".join(HEADER).encode() + b"\r\n" + b"x|y\r\n"
    _refused(_upload(client, content), "séparez les colonnes par « ; » ou « , »")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"  \n"])
def test_empty_file_is_refused(client, firm, content):
    _refused(_upload(client, content), "Le fichier est vide.")


def test_header_only_is_refused(client, firm):
    content = _csv([]) + b";;;;\r\n"
    _refused(_upload(client, content), "aucun salarié, seulement la ligne d&#39;en-tête")


def test_no_file_chosen(client, firm):
    page = client.post_form(URL, {})
    assert "Choisissez le fichier CSV à importer." in page.get_data(as_text=True)


def test_excel_workbook_is_refused_with_advice(client, firm):
    page = _upload(client, b"PK\x03\x04" + bytes(200), "salaries.xlsx")
    _refused(page, "Ce fichier est un classeur Excel")


def test_duplicates_in_the_file_and_in_the_firm_are_reported(client, firm, make_employee):
    make_employee(firm, email="deja.la@example.fr")
    rows = [_row(1), _row(2, email="Deja.La@example.fr"), _row(3), _row(1)]
    html = _refused(_upload(client, _csv(rows)))
    assert "Un salarié de votre entreprise a déjà cette adresse e-mail." in html
    assert "Cette adresse figure déjà ligne 2 du fichier." in html
    assert html.count("<tr><td>") == 2
    assert "<tr><td>3</td><td>email</td>" in html
    assert "<tr><td>5</td><td>email</td>" in html
    assert _count() == 1


def test_one_bad_row_among_good_ones_imports_nothing(client, firm):
    rows = [_row(n) for n in range(1, 6)]
    rows[2] = _row(3, disponible_au="31/02/2027", heures_semaine="60", competences="ZZZ-9:2")
    html = _refused(_upload(client, _csv(rows)))
    assert (
        "<tr><td>4</td><td>disponible_au</td><td>La date « 31/02/2027 » n&#39;existe pas." in html
    )
    assert "<tr><td>4</td><td>heures_semaine</td><td>Entre 1 et 48 heures.</td>" in html
    assert "<tr><td>4</td><td>competences</td><td>Code(s) de compétence inconnu(s) : ZZZ-9." in html
    assert html.count("<tr><td>") == 3
    assert "3 problèmes" in html
    assert _count() == 0


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Adresse e-mail non valide"),
        ({"prénom": ""}, "prénom", "Valeur obligatoire."),
        ({"nom": "x" * 81}, "nom", "80 caractères au plus."),
        ({"disponible_du": "2027-13-01"}, "disponible_du", "n&#39;existe pas"),
        ({"disponible_du": "04/01/27"}, "disponible_du", "écrivez jj/mm/aaaa ou aaaa-mm-jj"),
        ({"disponible_au": "01/01/2027"}, "disponible_au", "La date de fin"),
        ({"trajet_max_km": "0"}, "trajet_max_km", "Entre 1 et 300 km."),
        ({"trajet_max_km": "loin"}, "trajet_max_km", "Nombre entier de kilomètres"),
        ({"heures_semaine": "35,25"}, "heures_semaine", "1 décimale(s) au plus."),
        ({"salaire_brut": "200 000"}, "salaire_brut", "Montant mensuel entre 0 et 100 000 €."),
        ({"salaire_brut": "2 800,505"}, "salaire_brut", "2 décimale(s) au plus."),
        ({"frais_professionnels": "beaucoup"}, "frais_professionnels", "Nombre non valide"),
        ({"emploi_menace": "peut-être"}, "emploi_menace", "Écrivez oui ou non"),
        ({"competences": "AERO-001"}, "competences", "Indiquez le niveau après"),
        ({"competences": "AERO-001:7"}, "competences", "Le niveau d&#39;une compétence va de 1"),
        ({"competences": "AERO-001:2 aero-001:3"}, "competences", "ne peut figurer qu&#39;une"),
        ({"code_postal": "9999"}, "code_postal", "Le code postal 09999 n&#39;existe pas."),
        ({"code_postal": "Agen"}, "code_postal", "Code postal non valide"),
        ({"commune": "Toulouse"}, "commune", "ni le code INSEE ni le nom d&#39;une commune"),
        ({"code_postal": "47300", "commune": ""}, "commune", "dessert plusieurs communes"),
        ({"nom": "Martin\nDupont"}, "nom", "Retour à la ligne"),
    ],
)
def test_each_bad_cell_gets_a_french_message_naming_row_and_column(
    client, firm, changes, column, message
):
    html = _refused(_upload(client, _csv([_row(1), _row(2, **changes)])))
    assert f"<tr><td>3</td><td>{column}</td><td>" in html
    assert message in html
    assert _count() == 0


def test_commune_names_are_matched_without_accents_case_or_hyphens(client, firm):
    rows = [
        _row(1, code_postal="47300", commune="villeneuve sur lot"),
        _row(2, code_postal="47300", commune="BIAS"),
    ]
    _imported(_upload(client, _csv(rows)))
    assert set(db.session.scalars(select(Employee.commune_insee))) == {"47323", "47027"}


def test_too_many_rows_are_refused(client, firm):
    rows = [_row(n) for n in range(employee_import.MAX_ROWS + 1)]
    content = _csv(rows)
    assert len(content) < employee_import.MAX_FILE_BYTES
    _refused(_upload(client, content), "Le fichier contient 2001 salariés, 2000 au plus")
    assert _count() == 0


def test_file_above_the_import_limit_gets_a_clear_message(client, firm):
    content = _csv([_row(1, qualification="x" * 150) for _ in range(4500)])
    assert employee_import.MAX_FILE_BYTES < len(content) < 2 * 1024 * 1024
    _refused(_upload(client, content), "Le fichier dépasse 1 Mo")
    assert _count() == 0


def test_file_above_the_request_limit_gets_the_french_413_page(client, firm):
    page = _upload(client, b"x" * (3 * 1024 * 1024))
    assert page.status_code == 413
    assert "Envoi trop volumineux" in page.get_data(as_text=True)
    assert _count() == 0


def test_formula_looking_cells_are_stored_as_text(client, firm):
    formula = '=HYPERLINK("http://evil.example";"clic")'
    rows = [_row(1, nom=formula, qualification="+33 coef", emploi="@SUM(A1)")]
    _imported(_upload(client, _csv(rows)))
    employee = db.session.scalar(select(Employee))
    assert (employee.last_name, employee.qualification) == (formula, "+33 coef")
    assert employee.job_title == "@SUM(A1)"
    page = client.get("/entreprise/salaries").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://evil.example&#34;;&#34;clic&#34;)" in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Durand", "Durand"),
        ("", ""),
        (None, ""),
        (-5, "-5"),
        (Decimal("-2.50"), "-2.50"),
        ("a=b", "a=b"),
    ],
)
def test_escape_csv_cell(value, expected):
    assert escape_csv_cell(value) == expected


def test_csv_bytes_escapes_every_cell(app):
    content = employee_import.csv_bytes([["=cmd|' /C calc'!A0", "ok"]])
    assert content == "\ufeff'=cmd|' /C calc'!A0;ok\r\n".encode()


def test_template_downloads_with_bom_and_semicolons(client, firm):
    response = client.get("/entreprise/salaries/modele.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    content = response.get_data()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == ";".join(HEADER) + "\r\n"
    # Filled in and sent back, it is accepted as it is.
    filled = content + _csv([_row(1)])[len(_csv([])) :]
    _imported(_upload(client, filled))


def test_import_page_documents_the_columns_and_is_linked(client, firm):
    html = client.get(URL).get_data(as_text=True)
    assert 'accept=".csv,text/csv"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="file"' in html
    for column in employee_import.COLUMNS:
        assert f"<code>{column.name}</code>" in html
    assert "/entreprise/salaries/modele.csv" in html
    assert URL in client.get("/entreprise/salaries").get_data(as_text=True)


def test_another_firm_imports_into_its_own_firm_only(
    app, client, make_firm, make_user, make_employee, login
):
    firm_a, firm_b = make_firm("Firme A"), make_firm("Firme B")
    kept = make_employee(firm_a, email="salarie1@example.fr", first_name="Inchangé")
    login(make_user(Role.HR, firm=firm_b))
    _imported(_upload(client, _csv([_row(1), _row(2)])))
    assert (_count(firm_a), _count(firm_b)) == (1, 2)
    db.session.refresh(kept)
    assert kept.first_name == "Inchangé"


def test_csrf_is_required(client, firm):
    page = _upload(client, _csv([_row(1)]), csrf=False)
    assert page.status_code == 400
    assert _count() == 0


def test_a_refusal_while_writing_rolls_every_row_back(client, firm, monkeypatch):
    real_declare, calls = employees.declare, []

    def declare(firm, data, actor):
        calls.append(data.email)
        if len(calls) == 2:  # another request took this email meanwhile
            raise ServiceError("Un salarié de votre entreprise a déjà cette adresse.", "email")
        return real_declare(firm, data, actor)

    monkeypatch.setattr(employees, "declare", declare)
    html = _refused(_upload(client, _csv([_row(1), _row(2), _row(3)])))
    assert "<tr><td>3</td><td>email</td>" in html
    assert _count() == 0


def test_form_and_import_bounds_agree():
    def bounds(field):
        rule = next(v for v in field.kwargs["validators"] if hasattr(v, "max"))
        return rule.min, rule.max

    assert bounds(EmployeeForm.max_commute_km) == (1, employee_import.MAX_COMMUTE_KM)
    assert bounds(EmployeeForm.weekly_hours) == (1, employee_import.MAX_WEEKLY_HOURS)


def test_other_excel_habits_are_understood(client, firm):
    rows = [
        _row(1, code_postal="1000", commune="St Denis les Bourg"),  # Excel dropped the 0
        _row(2, code_postal="01000", commune="1053"),
    ]
    content = b"sep=;\r\n" + _csv(rows, encoding="utf-8")
    _imported(_upload(client, content))
    assert set(db.session.scalars(select(Employee.commune_insee))) == {"01344", "01053"}


def test_unicode_text_from_excel_is_understood(client, firm):
    content = _csv([_row(1, prénom="Zoé")], sep="\t", encoding="utf-16")
    assert content.startswith(b"\xff\xfe")
    _imported(_upload(client, content))
    assert db.session.scalar(select(Employee.first_name)) == "Zoé"


def test_a_long_report_is_cut_and_counted(client, firm):
    rows = [_row(n, disponible_du="bientôt") for n in range(250)]
    html = _refused(_upload(client, _csv(rows)))
    assert html.count("<tr><td>") == employee_import.MAX_PROBLEMS
    assert "250 problèmes" in html
    assert "et 50 autres problèmes" in html


def test_check_file_is_a_dry_run(app, make_firm):
    firm = make_firm()
    with app.test_request_context():
        rows = employee_import.check_file(firm, _csv([_row(1), _row(2, competences="")]))
    assert [number for number, _data in rows] == [2, 3]
    assert rows[0][1].skills[0].level == 3
    assert rows[0][1].gross_salary == Decimal("2800.00")
    assert _count() == 0
