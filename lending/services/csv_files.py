"""CSV files as Excel-FR reads and writes them, whatever the rows hold.

Reading accepts ";" or "," (or tab) separated, UTF-8 with or without BOM, cp1252, UTF-16
with BOM, CRLF or LF, an optional first line "sep=;". A file that cannot be read raises
ImportFileError; a cell that cannot be read raises CellError, which the caller turns into a
Problem of its row and column. Problems carry the spreadsheet row number (header = row 1) and
a French message.

Writing goes through `escape_csv_cell()`, so that a spreadsheet never runs a cell such as
"=HYPERLINK(...)" as a formula.
"""

import codecs
import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NoReturn, TypeVar

from flask_babel import gettext as _

from lending.services.errors import ServiceError
from lending.services.skills import normalise
from lending.services.text import LINE_BREAKS, nfc
from lending.services.text import problem as text_problem

MAX_PROBLEMS = 200  # shown; the others are only counted
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = {"oui", "o", "1", "vrai", "x", "yes", "y", "true"}
_FALSE = {"non", "n", "0", "faux", "no", "false", ""}
_T = TypeVar("_T")


@dataclass
class Problem:
    row: int | None  # spreadsheet row (header = 1); None: the file as a whole
    column: str | None
    message: str


class ImportFileError(ServiceError):
    """The file was not imported; `problems` says why, `more` how many were left out."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems[:MAX_PROBLEMS]
        self.more = max(0, len(problems) - MAX_PROBLEMS)


class CellError(Exception):
    """A cell that cannot be read; `column` when the problem belongs to another column."""

    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Column:
    name: str  # header of the template
    field: str | None  # the field it fills
    required: bool
    help: str
    example: str


def refuse(message: str, row: int | None = None) -> NoReturn:
    raise ImportFileError([Problem(row, None, message)])


def show(value: str) -> str:
    """A cell value quoted in a message: one line, 40 characters at most."""
    value = CONTROL.sub(" ", value.strip())
    return value if len(value) <= 40 else value[:39] + "…"


# -- writing ----------------------------------------------------------------------------


def escape_csv_cell(value) -> str:
    """A text cell that a spreadsheet will not run as a formula: "=1+1" → "'=1+1".

    Only strings are escaped, so that numbers such as -5 stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


def csv_bytes(rows) -> bytes:
    """Rows as a CSV that Excel-FR opens as it should: UTF-8 with BOM, ";", CRLF; every
    cell passed through escape_csv_cell()."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([escape_csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


# -- reading the file -------------------------------------------------------------------


def read_file(content: bytes, max_bytes: int) -> str:
    """The text of an uploaded file of `max_bytes` at most (a whole number of Mo)."""
    if len(content) > max_bytes:
        refuse(
            _(
                "Le fichier dépasse %(max)d Mo : découpez-le en plusieurs fichiers.",
                max=max_bytes // (1024 * 1024),
            )
        )
    return decode(content)


def decode(content: bytes) -> str:
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        refuse(
            _(
                "Ce fichier est un classeur Excel : enregistrez-le au format « CSV UTF-8 » "
                "puis importez ce fichier CSV."
            )
        )
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = content.decode("utf-16")
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252")
    except UnicodeDecodeError:
        refuse(_("Encodage du fichier non reconnu : enregistrez-le au format « CSV UTF-8 »."))
    if "\x00" in text:
        refuse(_("Ce fichier n'est pas un fichier texte CSV."))
    if not text.strip():
        refuse(_("Le fichier est vide."))
    return text


def sniff(text: str) -> tuple[str, str]:
    """(separator, text without Excel's "sep=;" line); the separator read from the header."""
    first, _nl, rest = text.partition("\n")
    hint = re.fullmatch(r'\s*"?sep=(.)"?\s*', first, re.IGNORECASE)
    if hint:
        return hint[1], rest
    counts = {sep: first.count(sep) for sep in ";,\t"}
    best = max(counts, key=counts.__getitem__)  # a tie goes to ";"
    return (best if counts[best] else ";"), text


def header_key(text: str, aliases: dict[str, str] | None = None) -> str:
    """ "Code postal", "CODE_POSTAL", "code-postal" → "code_postal"; then its alias, if any."""
    key = normalise(text).replace(" ", "_")
    return (aliases or {}).get(key, key)


def read_header(
    header: list[str], columns: Iterable[Column], aliases: dict[str, str] | None = None
) -> dict[str, int]:
    """{column name: index}; ImportFileError for missing, unknown or repeated columns.

    An unknown column is an error, not a warning: a misspelt optional column ("salaire")
    would otherwise drop its values without anyone noticing.
    """
    columns = list(columns)
    known = {header_key(c.name, aliases): c.name for c in columns}
    found: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(header):
        name = known.get(header_key(raw, aliases))
        if not raw.strip():
            continue  # a column without a title is fine as long as its cells are empty
        if name is None:
            message = _("Colonne inconnue « %(name)s ».", name=show(raw))
            close = difflib.get_close_matches(header_key(raw, aliases), list(known), n=1)
            if close:
                message += " " + _("Vouliez-vous dire « %(name)s » ?", name=known[close[0]])
            problems.append(Problem(1, show(raw), message))
        elif name in found:
            problems.append(Problem(1, name, _("Cette colonne figure deux fois.")))
        else:
            found[name] = index
    missing = [c.name for c in columns if c.required and c.name not in found]
    if missing:
        message = _("Colonnes obligatoires absentes : %(names)s.", names=", ".join(missing))
        if len(header) == 1:
            message += " " + _(
                "La ligne d'en-tête n'a qu'une colonne : séparez les colonnes par « ; » ou « , »."
            )
        problems.insert(0, Problem(1, None, message))
    if problems:
        raise ImportFileError(problems)
    return found


def read_rows(
    text: str, header_reader: Callable[[list[str]], _T]
) -> tuple[_T, list[tuple[int, list[str]]]]:
    """(header_reader(first row), [(row number, cells)] of the rows that are not blank).

    The header is read first: its problems are reported before those of the rows below.
    """
    separator, text = sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        columns = header_reader(next(reader, []))
        rows = [(n, cells) for n, cells in enumerate(reader, start=2) if any(map(str.strip, cells))]
    except csv.Error:
        refuse(
            _("Le fichier CSV est mal formé (guillemet non fermé ou cellule trop longue)."),
            reader.line_num,
        )
    return columns, rows


# -- reading the cells ------------------------------------------------------------------


def cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    """The cell of column `name`, stripped, in NFC; "" when the column or the cell is missing."""
    index = columns.get(name)
    return nfc(cells[index].strip()) if index is not None and index < len(cells) else ""


def check_cell(value: str, required: bool) -> None:
    """CellError for a line break, a control or invisible character (never typed in a
    spreadsheet cell) or an empty required cell."""
    if CONTROL.search(value) or not LINE_BREAKS.isdisjoint(value):
        raise CellError(
            _("Retour à la ligne, tabulation ou caractère de contrôle dans la cellule.")
        )
    if message := text_problem(value):
        raise CellError(message)
    if not value and required:
        raise CellError(_("Valeur obligatoire."))


def stray_problem(number: int, cells: list[str], columns: dict[str, int]) -> Problem | None:
    """The problem of a value in a column without a title, if any."""
    used = set(columns.values())
    stray = [cell for i, cell in enumerate(cells) if i not in used and cell.strip()]
    if stray:
        message = _("Valeur « %(v)s » dans une colonne sans titre.", v=show(stray[0]))
        return Problem(number, None, message)
    return None


def parse_date(value: str) -> date:
    """ "04/01/2027", "4.1.2027", "04-01-2027" or "2027-01-04" → date(2027, 1, 4)."""
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
        day, month, year = match.groups()
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        year, month, day = match.groups()
    else:
        raise CellError(
            _("Date non valide « %(v)s » : écrivez jj/mm/aaaa ou aaaa-mm-jj.", v=show(value))
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("La date « %(v)s » n'existe pas.", v=show(value))) from None


def parse_decimal(value: str, places: int | None = None) -> Decimal:
    """ "2 800,50", "2800.50", "2 800,50 €", "2.800,50" → Decimal("2800.50"); at most
    `places` decimals as written, if given."""
    text = re.sub(r"[\s\u00a0\u202f€]|EUR$", "", value)
    if "," in text and "." in text:  # the last mark is the decimal one
        text = text.replace(".", "") if text.rfind(",") > text.rfind(".") else text
        text = text.replace(",", "." if "." not in text else "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d{1,9}(\.\d+)?", text):
        raise CellError(_("Nombre non valide : « %(v)s ».", v=show(value)))
    number = Decimal(text)
    exponent = number.as_tuple().exponent  # a number of places: the text is a finite number
    if places is not None and isinstance(exponent, int) and -exponent > places:
        raise CellError(_("%(n)d décimale(s) au plus.", n=places))
    return number


def parse_boolean(value: str) -> bool:
    """ "oui", "Non", "x", "1", "" (no)…"""
    word = normalise(value)
    if word not in _TRUE | _FALSE:
        raise CellError(_("Écrivez oui ou non (ou laissez vide) : « %(v)s ».", v=show(value)))
    return word in _TRUE


def restore_leading_zero(code: str, width: int = 5) -> str:
    """Excel turns the code 01000 into the number 1000: "1000" → "01000"."""
    return "0" + code if len(code) == width - 1 and code.isascii() and code.isdigit() else code
