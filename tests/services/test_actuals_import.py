"""Import of monthly actuals from CSV or XLSX: all or nothing, every problem reported by line
and column in French, each month's earlier figures kept."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from lending.models import ActualSource
from lending.services import uow
from lending.services.csv_files import ImportFileError
from lending.services.deals import actuals
from lending.services.deals.actuals_import import import_actuals, parse_month, template_csv
from tests.services.billing_helpers import FEB_2027, MARCH_1, bill, enter

APRIL = date(2027, 4, 1)
TODAY = date(2027, 5, 3)
MAX = "100\u202f000,00\u00a0€"
HEADER = ["mois", "salaire_brut", "charges_patronales", "frais_professionnels", "commentaire"]


def _csv(*rows: list[str]) -> bytes:
    return "\r\n".join(";".join(r) for r in [HEADER, *rows]).encode("utf-8")


def _xlsx(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(refused: ImportFileError) -> list[tuple]:
    return [(p.row, p.column, str(p.message)) for p in refused.problems]


def test_a_csv_file_enters_each_month(loan_feb_2027, market):
    loan = loan_feb_2027
    content = _csv(
        ["02/2027", "3 150,50", "1350", "100,00", "10 h supplémentaires"],
        ["mars 2027", "2800", "1 200,00", "", ""],
    )
    changed = import_actuals(loan, content, market.lender_hr, today=TODAY)
    uow.commit()
    assert [(a.month, a.source) for a in changed] == [
        (FEB_2027, ActualSource.CSV),
        (MARCH_1, ActualSource.CSV),
    ]
    feb = actuals.latest(loan, FEB_2027)
    assert (feb.salary_cents, feb.charges_cents, feb.expenses_cents) == (3_150_50, 1_350_00, 100_00)
    assert feb.note == "10 h supplémentaires"
    assert feb.entered_by_id == market.lender_hr.id
    assert actuals.latest(loan, MARCH_1).expenses_cents == 0  # an empty cell is 0


def test_a_csv_file_with_a_bad_line_is_refused_whole(loan_feb_2027, market):
    loan = loan_feb_2027
    enter(loan, FEB_2027, 2_800_00, 1_200_00, 100_00)
    uow.commit()
    content = _csv(
        ["02/2027", "2900", "1250", "100", ""],
        ["03/2027", "deux mille", "1200", "-5", ""],
        ["13/2027", "2800", "1200", "100", ""],
        ["02/2027", "2800", "1200", "100", ""],
        ["07/2027", "2800", "1200", "100", ""],
    )
    with pytest.raises(ImportFileError) as refused:
        import_actuals(loan, content, market.lender_hr, today=TODAY)
    uow.rollback()
    assert _problems(refused.value) == [
        (3, "salaire_brut", "Nombre non valide : « deux mille »."),
        (
            3,
            "frais_professionnels",
            "Montant entre 0 et 100\u202f000,00\u00a0€ : -5,00\u00a0€ indiqués.",
        ),
        (4, "mois", "Le mois « 13/2027 » n'existe pas."),
        (5, "mois", "Ce mois figure déjà ligne 2 du fichier."),
        (
            6,
            "mois",
            "Juillet 2027 n'est pas un mois commencé de ce prêt (du 01/02/2027 au 30/06/2027).",
        ),
    ]
    assert [a.version for a in actuals.history(loan, FEB_2027)] == [1]  # nothing saved
    assert actuals.latest(loan, MARCH_1) is None


def test_an_xlsx_file_with_a_bad_line_is_refused_whole(loan_feb_2027, market):
    loan = loan_feb_2027
    enter(loan, FEB_2027, 2_800_00, 1_200_00, 100_00)
    bill(loan, FEB_2027)
    uow.commit()
    content = _xlsx(
        [datetime(2027, 3, 1), 2900.5, 1250, 100, "Prime"],  # Excel made a date of "03/2027"
        ["2027-02", 2800, 1200, 100, None],  # February is billed
        ["04/2027", 2800.123, 1200, None, None],
    )
    with pytest.raises(ImportFileError) as refused:
        import_actuals(loan, content, market.lender_hr, today=TODAY)
    uow.rollback()
    assert _problems(refused.value) == [
        (
            3,
            "mois",
            "Le relevé n° 2027-0001 de février 2027 est établi : les montants de ce mois ne "
            "changent plus.",
        ),
        (4, "salaire_brut", "2 décimale(s) au plus."),
    ]
    assert actuals.latest(loan, MARCH_1) is None


def test_an_xlsx_file_enters_each_month_and_keeps_the_earlier_figures(loan_feb_2027, market):
    loan = loan_feb_2027
    enter(loan, MARCH_1, 2_800_00, 1_200_00, 100_00)
    uow.commit()
    content = _xlsx([datetime(2027, 3, 1), 2900.5, 1250, 100, "Prime"], ["avr.-27", 2800, 1200, 0])
    changed = import_actuals(loan, content, market.lender_hr, today=TODAY)
    uow.commit()
    assert [(a.month, a.version, a.source) for a in changed] == [
        (MARCH_1, 2, ActualSource.XLSX),
        (APRIL, 1, ActualSource.XLSX),
    ]
    march = actuals.history(loan, MARCH_1)
    assert [(h.salary_cents, h.source) for h in march] == [
        (2_900_50, ActualSource.XLSX),
        (2_800_00, ActualSource.FORM),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not a zip", "Ce classeur Excel est illisible"),
        (b"\xd0\xcf\x11\xe0 old excel", "Excel 97-2003"),
        (b"mois;salaire\r\n02/2027;1\r\n", "Colonnes obligatoires absentes"),
        ("\r\n".join([";".join(HEADER)]).encode(), "aucun mois"),
    ],
)
def test_unreadable_files_are_refused_in_french(loan_feb_2027, content, message):
    with pytest.raises(ImportFileError, match=message):
        import_actuals(loan_feb_2027, content, None, today=TODAY)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("02/2027", FEB_2027),
        ("2/2027", FEB_2027),
        ("2027-02", FEB_2027),
        ("15/02/2027", FEB_2027),
        ("2027-02-01", FEB_2027),
        ("février 2027", FEB_2027),
        ("Fevrier 2027", FEB_2027),
        ("févr.-27", FEB_2027),
        ("juil. 2027", date(2027, 7, 1)),
    ],
)
def test_months_are_read_as_spreadsheets_write_them(text, month):
    assert parse_month(text) == month


def test_the_template_lists_the_open_months_with_their_figures(loan_feb_2027):
    enter(loan_feb_2027, FEB_2027, 2_900_00, 1_200_00, 100_00, note="Prime")
    lines = template_csv(loan_feb_2027, today=date(2027, 3, 15)).decode("utf-8-sig").splitlines()
    assert lines == [
        "mois;salaire_brut;charges_patronales;frais_professionnels;commentaire",
        "02/2027;2900,00;1200,00;100,00;Prime",
        "03/2027;2800,00;1200,00;100,00;",
    ]
