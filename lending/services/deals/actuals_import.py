"""Import of a loan's monthly actuals from a CSV or XLSX file, all or nothing.

One row per month: the month, the gross pay, employer charges and reimbursed expenses of the
days on loan, an optional comment. Every cell of every row is checked first (with the rules
of actuals.py); one problem anywhere and nothing is saved, each problem reported with its
row and column in French (services/csv_files.py reads CSV the way Excel-FR writes it; an
XLSX workbook's first sheet is read with openpyxl). Each month that changes gets a new
version, its earlier ones kept.
"""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending import money
from lending.models import ActualSource, Loan, MonthlyActual
from lending.models._time import local_date
from lending.services import audit
from lending.services.csv_files import (
    CellError,
    Column,
    ImportFileError,
    Problem,
    cell,
    check_cell,
    csv_bytes,
    parse_decimal,
    read_file,
    read_header,
    read_rows,
    refuse,
    show,
    stray_problem,
)
from lending.services.deals import actuals
from lending.services.errors import ServiceError
from lending.services.skills import normalise

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 120  # ten years of months: far beyond any loan
MAX_UNZIPPED = 20 * 1024 * 1024  # an XLSX of 1 Mo that unzips past this is no spreadsheet
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_MONEY = _l("Montant en euros pour les jours de prêt du mois.")

# fmt: off
COLUMNS = (
    Column("mois", "month", True, _l("mm/aaaa, aaaa-mm ou « février 2027 »."), "02/2027"),
    Column("salaire_brut", "salary_cents", True, _MONEY, "2 950,40"),
    Column("charges_patronales", "charges_cents", True, _MONEY, "1 264,00"),
    Column("frais_professionnels", "expenses_cents", False,
           _l("Frais remboursés au salarié, en euros (vide : 0)."), "85,00"),
    Column("commentaire", "note", False, _l("500 caractères au plus."),
           "12 h supplémentaires"),
)
_ALIASES = {"periode": "mois", "salaire": "salaire_brut", "charges": "charges_patronales",
            "frais": "frais_professionnels", "frais_rembourses": "frais_professionnels",
            "note": "commentaire"}
MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
          "septembre", "octobre", "novembre", "decembre")
# fmt: on
_NUMERIC_MONTH = (
    re.compile(r"(?P<m>\d{1,2})[/.-](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})[/.-](?P<m>\d{1,2})"),
    re.compile(r"\d{1,2}[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"),  # a date: its month
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-\d{1,2}"),
)


def template_csv(loan: Loan, today: date | None = None) -> bytes:
    """The file to fill in: one row per open month of the loan, with its current figures
    (entered, else the declared ones prorated)."""
    rows: list[list] = [[c.name for c in COLUMNS]]
    for line in actuals.months(loan, today):
        if line.open:
            f = line.figures
            rows.append(
                [
                    line.month.strftime("%m/%Y"),
                    *(money.plain(v) for v in (f.salary_cents, f.charges_cents, f.expenses_cents)),
                    line.actual.note if line.actual is not None else "",
                ]
            )
    return csv_bytes(rows)


# -- reading the file -----------------------------------------------------------------------


def _xlsx_text(value) -> str:
    """A cell of a workbook as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(content: bytes) -> list[list[str]]:
    """The first sheet's rows, as text."""
    from openpyxl import load_workbook

    unreadable = _(
        "Ce classeur Excel est illisible : enregistrez-le de nouveau au format .xlsx, ou au "
        "format « CSV UTF-8 »."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                refuse(unreadable)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                [_xlsx_text(value) for value in row]
                for row in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=30, values_only=True)
            ]
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same
        refuse(unreadable)
    return rows


def _rows(content: bytes) -> tuple[ActualSource, dict[str, int], list[tuple[int, list[str]]]]:
    """(source, {column: index}, [(row number, cells)] of the rows that are not blank)."""
    if len(content) > MAX_FILE_BYTES:
        refuse(_("Le fichier dépasse %(max)d Mo.", max=MAX_FILE_BYTES // (1024 * 1024)))
    if content.startswith(XLS_MAGIC):
        refuse(
            _(
                "Les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez le fichier "
                "au format .xlsx ou « CSV UTF-8 »."
            )
        )
    if content.startswith(XLSX_MAGIC):
        table = _xlsx_rows(content)
        if not table:
            refuse(_("Le classeur est vide."))
        columns = read_header(table[0], COLUMNS, _ALIASES)
        numbered = enumerate(table[1:], start=2)
        rows = [(n, cells) for n, cells in numbered if any(map(str.strip, cells))]
        return ActualSource.XLSX, columns, rows
    text = read_file(content, MAX_FILE_BYTES)
    columns, rows = read_rows(text, lambda header: read_header(header, COLUMNS, _ALIASES))
    return ActualSource.CSV, columns, rows


# -- reading the cells ----------------------------------------------------------------------


def parse_month(value: str) -> date:
    """ "02/2027", "2027-02", "01/02/2027", "février 2027", "févr.-27" → date(2027, 2, 1)."""
    for pattern in _NUMERIC_MONTH:
        if match := pattern.fullmatch(value.strip()):
            month, year = int(match["m"]), int(match["y"])
            break
    else:
        month, year = _month_in_words(value)
    if not 1 <= month <= 12:
        raise CellError(_("Le mois « %(v)s » n'existe pas.", v=show(value)))
    return date(year, month, 1)


def _month_in_words(value: str) -> tuple[int, int]:
    words = normalise(value).split()
    if len(words) == 2 and words[1].isdigit() and len(words[1]) in (2, 4):
        name, year = words[0], int(words[1])
        found = [i for i, m in enumerate(MONTHS, 1) if len(name) >= 3 and m.startswith(name)]
        if len(found) == 1:
            return found[0], year + 2000 if year < 100 else year
    raise CellError(
        _(
            "Mois non reconnu « %(v)s » : écrivez mm/aaaa (02/2027), aaaa-mm ou « février 2027 ».",
            v=show(value),
        )
    )


def _cents(value: str) -> int:
    amount = parse_decimal(value, 2) if value else Decimal(0)
    return money.to_cents(amount) or 0


class _Rows:
    """Reads the rows of one file for `loan`, remembering the months already seen."""

    def __init__(self, loan: Loan, columns: dict[str, int], today: date):
        self.loan, self.columns, self.today = loan, columns, today
        self.seen: dict[date, int] = {}

    def read(self, number: int, cells: list[str]) -> tuple[dict, list[Problem]]:
        values: dict = {}
        problems = []
        for column in COLUMNS:
            value = cell(cells, self.columns, column.name)
            try:
                check_cell(value, column.required)
                values[column.field] = self._value(column.field, value, number, values)
            except CellError as exc:
                problems.append(Problem(number, exc.column or column.name, exc.message))
        if stray := stray_problem(number, cells, self.columns):
            problems.append(stray)
        return values, problems

    def _value(self, field: str | None, value: str, number: int, values: dict):
        if field == "note":
            if len(value) > actuals.MAX_NOTE:
                raise CellError(_("%(max)d caractères au plus.", max=actuals.MAX_NOTE))
            return value
        if field != "month":
            cents = _cents(value)
            if message := actuals.amount_problem(cents):
                raise CellError(message)
            return cents
        month = parse_month(value)
        try:
            line = actuals.check(self.loan, month, actuals.Figures(0, 0, 0), self.today)
        except ServiceError as exc:
            raise CellError(exc.message) from None
        values["based_on"] = line.actual.version if line.actual is not None else 0
        if month in self.seen:
            raise CellError(_("Ce mois figure déjà ligne %(n)d du fichier.", n=self.seen[month]))
        self.seen[month] = number
        return month


def import_actuals(loan: Loan, content: bytes, actor, today: date | None = None) -> list:
    """Enter the months of the file, or none: ImportFileError lists every problem (the
    caller rolls back). Returns the entries that changed a month (a row repeating the
    month's figures changes nothing). The caller commits."""
    today = today or local_date()
    source, columns, rows = _rows(content)
    if not rows:
        refuse(_("Le fichier ne contient aucun mois, seulement la ligne d'en-tête."))
    if len(rows) > MAX_ROWS:
        refuse(_("Le fichier contient plus de %(max)d lignes.", max=MAX_ROWS))
    reader = _Rows(loan, columns, today)
    read = [(number, *reader.read(number, cells)) for number, cells in rows]
    if problems := [p for _n, _v, found in read for p in found]:
        raise ImportFileError(problems)
    changed: list[MonthlyActual] = []
    for number, values, _found in read:
        figures = actuals.Figures(*(values[f] for f in actuals.FIELDS))
        try:
            entry = actuals.record(
                loan,
                values["month"],
                figures,
                actor,
                source,
                values["note"],
                based_on=values["based_on"],
                today=today,
            )
        except ServiceError as exc:  # a statement or an entry made meanwhile
            raise ImportFileError([Problem(number, "mois", exc.message)]) from None
        if entry.version != values["based_on"]:
            changed.append(entry)
    audit.record("actual.imported", actor, loan)
    return changed
