"""The dashboard's tables as files: CSV (one table) and XLSX (every table, a sheet each).

They are written from the published Tables, so a hidden count is hidden in the files too.
CSV as Excel-FR opens it (csv_files.csv_bytes: UTF-8 with BOM, ";", formula-looking cells
escaped); in the workbook, every text cell is stored as text, never as a formula.
"""

import io
import re
from collections.abc import Iterable

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lending.services.csv_files import csv_bytes
from lending.services.dashboard.tables import Figure, Row, Table

_PLAIN_NUMBER = re.compile(r"-?\d+")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _rows(table: Table) -> Iterable[Row]:
    yield from table.rows
    if table.total is not None:
        yield table.total


def table_csv(table: Table) -> bytes:
    """A header line, then one line per row (and the total), as published."""
    header = [_("Libellé"), *table.columns]
    return csv_bytes(
        [header, *([row.label, *(f.text for f in row.figures)] for row in _rows(table))]
    )


def _cell_value(figure: Figure) -> int | str:
    """A whole count stays a number the spreadsheet can add up; anything else ("< 5",
    "20 – 24", "42 %", "4,2", "—") is text, as published."""
    return int(figure.text) if _PLAIN_NUMBER.fullmatch(figure.text) else figure.text


def _sheet_title(table: Table, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", str(table.title)).strip()[:28] or table.key[:28]
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]} ({n})", n + 1
    taken.add(title.lower())
    return title


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text: openpyxl would otherwise store a formula


# Styles made once and shared by the cells (openpyxl compares and hashes each new one).
TITLE_FONT, BOLD, RIGHT = Font(bold=True, size=13), Font(bold=True), Alignment(horizontal="right")


def workbook(tables: Iterable[Table], heading: list[str]) -> bytes:
    """Every table on a sheet of its own: `heading` lines (scheme, period, rules), the
    table's title and definition, then the table."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table, taken))
        line = 1
        for text in [str(table.title), *heading, str(table.definition)]:
            _put(sheet, line, 1, text)
            line += 1
        sheet.cell(row=1, column=1).font = TITLE_FONT
        line += 1
        for column, text in enumerate([_("Libellé"), *table.columns], start=1):
            _put(sheet, line, column, str(text))
            sheet.cell(row=line, column=column).font = BOLD
        for row in _rows(table):
            line += 1
            _put(sheet, line, 1, row.label)
            for column, figure in enumerate(row.figures, start=2):
                _put(sheet, line, column, _cell_value(figure))
                sheet.cell(row=line, column=column).alignment = RIGHT
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _figures(figures) -> list[dict]:
    return [{"text": figure.text, "value": figure.value} for figure in figures]


def _row(row: Row) -> dict:
    return {"label": str(row.label), "code": row.code, "figures": _figures(row.figures)}


def as_json(board, problems: list[str]) -> dict:
    """The dashboard as data: the same published figures as the page (text and, where a
    chart may draw it, value; hidden counts have no value)."""
    filters = board.filters
    return {
        "scheme": board.scheme.name,
        "period": {
            "kind": filters.kind,
            "label": str(filters.label),
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
        },
        "departement": filters.departement,
        "problems": [str(problem) for problem in problems],
        "headline": [
            {
                "key": item.key,
                "label": str(item.label),
                "definition": str(item.definition),
                **_figures([item.figure])[0],
            }
            for item in board.headline
        ],
        "tables": {
            table.key: {
                "title": str(table.title),
                "definition": str(table.definition),
                "columns": [str(column) for column in table.columns],
                "column_codes": list(table.column_codes),
                "rows": [_row(row) for row in table.rows],
                "total": _row(table.total) if table.total else None,
            }
            for table in board.tables.values()
        },
    }
