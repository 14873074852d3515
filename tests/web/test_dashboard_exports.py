"""The dashboard's CSV and XLSX files hold what the page publishes, and nothing runs."""

import io

from openpyxl import load_workbook

from lending.services.dashboard.tables import Figure, Row, Table
from lending.web.monitor import exports


def _table(key="needs", title="Besoins", label="Ouverts") -> Table:
    return Table(
        key=key,
        title=title,
        definition="Besoins publiés pendant la période.",
        columns=("Nombre", "Part"),
        rows=(
            Row(label, (Figure("35", 35), Figure("42 %", 42))),
            Row('=HYPERLINK("http://x")', (Figure("< 5", None), Figure("—", None))),
        ),
        total=Row("Total", (Figure("35 – 39", None), Figure("", None))),
    )


def test_the_csv_is_the_published_table_for_excel_fr(app):
    with app.test_request_context():
        content = exports.table_csv(_table())
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Libellé;Nombre;Part"
    assert lines[1] == "Ouverts;35;42 %"
    assert lines[2] == '"\'=HYPERLINK(""http://x"")";< 5;—'  # a formula stays text
    assert lines[3] == "Total;35 – 39;"


def test_the_workbook_has_a_sheet_per_table_with_numbers_and_text(app):
    tables = [_table(), _table("firms", "Entreprises: [par] secteur?", "C — Industrie")]
    with app.test_request_context():
        content = exports.workbook(tables, ["SHARING — 12 derniers mois"])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Besoins", "Entreprises   par  secteur"]
    sheet = book["Besoins"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Besoins"
    assert values[1][0] == "SHARING — 12 derniers mois"
    assert values[2][0] == "Besoins publiés pendant la période."
    header = values.index(["Libellé", "Nombre", "Part"])
    assert values[header + 1] == ["Ouverts", 35, "42 %"]  # a count is a number to add up
    formula_row = values[header + 2]
    assert formula_row == ['=HYPERLINK("http://x")', "< 5", "—"]
    assert sheet.cell(row=header + 3, column=1).data_type == "s"  # stored as text
    assert values[header + 3][:2] == ["Total", "35 – 39"]
