"""CSV import of available employees: many `employees.declare()` at once, all or nothing.

Accepts what Excel-FR writes: ";" or "," (or tab) separated, UTF-8 with or without BOM,
cp1252, UTF-16 with BOM, CRLF or LF, an optional first line "sep=;". Every row becomes an
EmployeeData checked by the rules of services/employees.py (`declare()`, or `validate()` for
a dry run) and the bounds of the declaration form. Every row is checked and every problem
reported; a single bad row means nothing is imported (the caller rolls back what was
flushed). Problems carry the spreadsheet row number (header = row 1), the column and a
French message.

Cells are stored as the text they hold: "=HYPERLINK(...)" is never evaluated here, it is only
text in the database; `escape_csv_cell()` neutralises it in any CSV the app writes.
"""

import codecs
import csv
import difflib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import email_validator
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.models import Employee, Firm
from lending.services import audit, employees
from lending.services.errors import ServiceError, ValidationError
from lending.services.reference import communes_for_postal_code, normalise_postal_code
from lending.services.skills import get_skills_by_codes, normalise

MAX_FILE_BYTES = 1024 * 1024  # the app refuses any request above MAX_CONTENT_LENGTH (2 MB)
MAX_ROWS = 2000
MAX_PROBLEMS = 200  # shown; the others are only counted
# The bounds of EmployeeForm (lending/web/employees/forms.py); a test checks they agree.
MAX_COMMUTE_KM = 300
MAX_WEEKLY_HOURS = 48
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MONEY = _l("Montant mensuel en euros.")
_YES_NO = _l("oui ou non (vide : non).")
_DATE = _l("jj/mm/aaaa ou aaaa-mm-jj.")


@dataclass(frozen=True)
class Column:
    name: str  # header of the template
    field: str | None  # the EmployeeData field it fills
    required: bool
    help: str
    example: str


# fmt: off
COLUMNS = (
    Column("prénom", "first_name", True, _l("80 caractères au plus."), "Hélène"),
    Column("nom", "last_name", True, _l("80 caractères au plus."), "Durand"),
    Column("email", "email", True, _l("Une seule fois par entreprise."), "h.durand@example.fr"),
    Column("emploi", "job_title", True, _l("Emploi occupé."), "Ajusteuse-monteuse"),
    Column("qualification", "qualification", False, _l("Classification, coefficient."),
           "Niveau V, coef. 335"),
    Column("code_postal", None, True, _l("5 chiffres."), "47000"),
    Column("commune", "commune_insee", False, _l("Code INSEE ou nom ; obligatoire si le code "
           "postal dessert plusieurs communes."), "Agen"),
    Column("trajet_max_km", "max_commute_km", True, _l("Entier de 1 à 300."), "40"),
    Column("disponible_du", "available_from", True, _DATE, "04/01/2027"),
    Column("disponible_au", "available_until", True, _DATE, "30/06/2027"),
    Column("heures_semaine", "weekly_hours", True, _l("De 1 à 48, une décimale au plus."),
           "35,5"),
    Column("salaire_brut", "gross_salary", False, _MONEY, "2 800,50"),
    Column("charges_patronales", "employer_charges", False, _MONEY, "1 200"),
    Column("frais_professionnels", "expenses", False, _MONEY, "100"),
    Column("activite_partielle", "partial_activity", False, _YES_NO, "non"),
    Column("emploi_menace", "job_at_risk", False, _YES_NO, "oui"),
    Column("competences", "skills", False, _l("Codes de compétence, « : » et niveau de 1 à 4, "
           "séparés par des espaces."), "AERO-001:3 AERO-004:2"),
)
_ALIASES = {"e_mail": "email", "courriel": "email", "adresse_e_mail": "email",
            "adresse_email": "email", "cp": "code_postal", "code_insee": "commune",
            "ville": "commune", "competence": "competences"}
# fmt: on
_COLUMN_OF_FIELD = {c.field: c.name for c in COLUMNS if c.field}


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


class _CellError(Exception):
    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


def _refuse(message: str, row: int | None = None):
    raise ImportFileError([Problem(row, None, message)])


def _show(value: str) -> str:
    """A cell value quoted in a message: one line, 40 characters at most."""
    value = _CONTROL.sub(" ", value.strip())
    return value if len(value) <= 40 else value[:39] + "…"


# -- writing CSV ------------------------------------------------------------------------


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


def template_csv() -> bytes:
    return csv_bytes([[c.name for c in COLUMNS]])


# -- reading the file -------------------------------------------------------------------


def decode(content: bytes) -> str:
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        _refuse(_("Ce fichier est un classeur Excel : enregistrez-le au format « CSV UTF-8 » "
                  "puis importez ce fichier CSV."))  # fmt: skip
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = content.decode("utf-16")
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252")
    except UnicodeDecodeError:
        _refuse(_("Encodage du fichier non reconnu : enregistrez-le au format « CSV UTF-8 »."))
    if "\x00" in text:
        _refuse(_("Ce fichier n'est pas un fichier texte CSV."))
    if not text.strip():
        _refuse(_("Le fichier est vide."))
    return text


def _sniff(text: str) -> tuple[str, str]:
    """(separator, text without Excel's "sep=;" line); the separator read from the header."""
    first, _nl, rest = text.partition("\n")
    hint = re.fullmatch(r'\s*"?sep=(.)"?\s*', first, re.IGNORECASE)
    if hint:
        return hint[1], rest
    counts = {sep: first.count(sep) for sep in ";,\t"}
    best = max(counts, key=counts.__getitem__)  # a tie goes to ";"
    return (best if counts[best] else ";"), text


def _header_key(text: str) -> str:
    key = normalise(text).replace(" ", "_")
    return _ALIASES.get(key, key)


def _read_header(header: list[str]) -> dict[str, int]:
    """{column name: index}; ImportFileError for missing, unknown or repeated columns.

    An unknown column is an error, not a warning: a misspelt optional column ("salaire")
    would otherwise drop the amounts used for billing without anyone noticing.
    """
    known = {_header_key(c.name): c.name for c in COLUMNS}
    found: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(header):
        name = known.get(_header_key(raw))
        if not raw.strip():
            continue  # a column without a title is fine as long as its cells are empty
        if name is None:
            message = _("Colonne inconnue « %(name)s ».", name=_show(raw))
            close = difflib.get_close_matches(_header_key(raw), list(known), n=1)
            if close:
                message += " " + _("Vouliez-vous dire « %(name)s » ?", name=known[close[0]])
            problems.append(Problem(1, _show(raw), message))
        elif name in found:
            problems.append(Problem(1, name, _("Cette colonne figure deux fois.")))
        else:
            found[name] = index
    missing = [c.name for c in COLUMNS if c.required and c.name not in found]
    if missing:
        message = _("Colonnes obligatoires absentes : %(names)s.", names=", ".join(missing))
        if len(header) == 1:
            message += " " + _("La ligne d'en-tête n'a qu'une colonne : séparez les colonnes "
                               "par « ; » ou « , ».")  # fmt: skip
        problems.insert(0, Problem(1, None, message))
    if problems:
        raise ImportFileError(problems)
    return found


def _rows(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """(columns, [(row number, cells)]) of the rows that are not blank."""
    separator, text = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        columns = _read_header(next(reader, []))
        rows = [(n, cells) for n, cells in enumerate(reader, start=2) if any(map(str.strip, cells))]
    except csv.Error:
        _refuse(_("Le fichier CSV est mal formé (guillemet non fermé ou cellule trop longue)."),
                reader.line_num)  # fmt: skip
    if not rows:
        _refuse(_("Le fichier ne contient aucun salarié, seulement la ligne d'en-tête."))
    if len(rows) > MAX_ROWS:
        _refuse(_("Le fichier contient %(n)d salariés, %(max)d au plus par fichier : "
                  "découpez-le en plusieurs fichiers.", n=len(rows), max=MAX_ROWS))  # fmt: skip
    return columns, rows


# -- reading the cells ------------------------------------------------------------------


def _text(value: str, field: str) -> str:
    limit = Employee.__table__.c[field].type.length
    if len(value) > limit:
        raise _CellError(_("%(n)d caractères au plus.", n=limit))
    return value


def _email(value: str) -> str:
    try:  # as the form's Email() validator does
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        raise _CellError(_("Adresse e-mail non valide : « %(v)s ».", v=_show(value))) from None
    return _text(value, "email")


def _date(value: str) -> date:
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
        day, month, year = match.groups()
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        year, month, day = match.groups()
    else:
        raise _CellError(_("Date non valide « %(v)s » : écrivez jj/mm/aaaa ou aaaa-mm-jj.",
                           v=_show(value)))  # fmt: skip
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _CellError(_("La date « %(v)s » n'existe pas.", v=_show(value))) from None


def _decimal(value: str, places: int) -> Decimal:
    """ "2 800,50", "2800.50", "2 800,50 €", "2.800,50" → Decimal("2800.50")."""
    text = re.sub(r"[\s\u00a0\u202f€]|EUR$", "", value)
    if "," in text and "." in text:  # the last mark is the decimal one
        text = text.replace(".", "") if text.rfind(",") > text.rfind(".") else text
        text = text.replace(",", "." if "." not in text else "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d{1,9}(\.\d+)?", text):
        raise _CellError(_("Nombre non valide : « %(v)s ».", v=_show(value)))
    number = Decimal(text)
    if -number.as_tuple().exponent > places:
        raise _CellError(_("%(n)d décimale(s) au plus.", n=places))
    return number


def _km(value: str) -> int:
    match = re.fullmatch(r"(\d{1,6})\s*(km)?", value, re.IGNORECASE)
    if match is None:
        raise _CellError(_("Nombre entier de kilomètres attendu : « %(v)s ».", v=_show(value)))
    if not 1 <= int(match[1]) <= MAX_COMMUTE_KM:
        raise _CellError(_("Entre 1 et %(n)d km.", n=MAX_COMMUTE_KM))
    return int(match[1])


def _hours(value: str) -> Decimal:
    hours = _decimal(value, 1)
    if not 1 <= hours <= MAX_WEEKLY_HOURS:
        raise _CellError(_("Entre 1 et %(n)d heures.", n=MAX_WEEKLY_HOURS))
    return hours


_TRUE = {"oui", "o", "1", "vrai", "x", "yes", "y", "true"}
_FALSE = {"non", "n", "0", "faux", "no", "false", ""}


def _boolean(value: str) -> bool:
    word = normalise(value)
    if word not in _TRUE | _FALSE:
        raise _CellError(_("Écrivez oui ou non (ou laissez vide) : « %(v)s ».", v=_show(value)))
    return word in _TRUE


def _skill_tokens(value: str) -> list[str]:
    return [t for t in re.split(r"[\s,;|]+", re.sub(r"\s*[:=]\s*", ":", value)) if t]


def _skills(value: str, known: dict) -> list[employees.SkillLevel]:
    """ "AERO-012:3 AERO-004:2" → SkillLevel items; levels are checked by the service."""
    skills, unknown = [], []
    for token in _skill_tokens(value):
        code, _sep, level = token.partition(":")
        if not (level.isascii() and level.isdigit()):
            raise _CellError(_("Indiquez le niveau après la compétence « %(v)s », par exemple "
                               "%(v)s:3.", v=_show(code)))  # fmt: skip
        if (skill := known.get(code.upper())) is None:
            unknown.append(_show(code))
        else:
            skills.append(employees.SkillLevel(skill.id, int(level[:2])))
    if unknown:
        raise _CellError(_("Code(s) de compétence inconnu(s) : %(codes)s.",
                           codes=", ".join(unknown)))  # fmt: skip
    return skills


def _zero(code: str) -> str:
    return "0" + code if len(code) == 4 and code.isascii() and code.isdigit() else code


class _Communes:
    """(postal code, INSEE code or name) → INSEE code, one query per postal code."""

    def __init__(self):
        self.cache: dict[str, list] = {}

    def resolve(self, postal_code: str, commune: str) -> str:
        # Excel turns 01000 into 1000: give the leading zeros back.
        code = normalise_postal_code(_zero(postal_code))
        if code is None:
            message = _("Code postal non valide : « %(v)s ».", v=_show(postal_code))
            raise _CellError(message, "code_postal")
        if code not in self.cache:
            self.cache[code] = communes_for_postal_code(code)
        if not (communes := self.cache[code]):
            raise _CellError(_("Le code postal %(code)s n'existe pas.", code=code), "code_postal")
        insee = _zero(commune).upper()
        name = " ".join(
            {"st": "saint", "ste": "sainte"}.get(w, w) for w in normalise(commune).split()
        )
        found = [c for c in communes if c.insee == insee or normalise(c.name) == name]
        if len(found if commune else communes) == 1:
            return (found or communes)[0].insee
        names = ", ".join(c.name for c in communes[:12]) + ("…" if len(communes) > 12 else "")
        if commune:
            message = _("« %(v)s » n'est ni le code INSEE ni le nom d'une commune du code "
                        "postal %(code)s (%(names)s).",
                        v=_show(commune), code=code, names=names)  # fmt: skip
        else:
            message = _("Le code postal %(code)s dessert plusieurs communes (%(names)s) : "
                        "indiquez laquelle.", code=code, names=names)  # fmt: skip
        raise _CellError(message, "commune")


# -- checking rows ----------------------------------------------------------------------

_PARSE = {
    "first_name": lambda v: _text(v, "first_name"),
    "last_name": lambda v: _text(v, "last_name"),
    "email": _email,
    "job_title": lambda v: _text(v, "job_title"),
    "qualification": lambda v: _text(v, "qualification"),
    "max_commute_km": _km,
    "available_from": _date,
    "available_until": _date,
    "weekly_hours": _hours,
    "gross_salary": lambda v: _decimal(v, 2),
    "employer_charges": lambda v: _decimal(v, 2),
    "expenses": lambda v: _decimal(v, 2),
    "partial_activity": _boolean,
    "job_at_risk": _boolean,
}
# Values for empty optional cells, and stand-ins for those that failed, so that the
# service still checks the rest of the row.
_DEFAULT = {"first_name": "", "last_name": "", "email": "", "job_title": "",
            "qualification": "", "commune_insee": "", "max_commute_km": 1,
            "available_from": date(2000, 1, 1), "available_until": date(2000, 1, 1),
            "weekly_hours": Decimal(35), "gross_salary": None, "employer_charges": None,
            "expenses": None, "partial_activity": False, "job_at_risk": False}  # fmt: skip


def validate(firm: Firm, data: employees.EmployeeData) -> None:
    """The checks `employees.declare()` makes, without writing: raises ValidationError."""
    employees._validate(firm, data, None)


class _Checker:
    """Reads the rows of one file, remembering the emails already seen; keeps the communes
    and skills it looked up, so that the session's identity map still holds them."""

    def __init__(self, columns: dict[str, int], rows):
        self.columns = columns
        self.communes = _Communes()
        self.emails: dict[str, int] = {}
        codes = sorted({token.partition(":")[0].upper() for _n, cells in rows
                        for token in _skill_tokens(self._cell(cells, "competences"))})  # fmt: skip
        self.skills = {}
        for start in range(0, len(codes), 500):
            self.skills.update(get_skills_by_codes(codes[start : start + 500]))

    def _cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def _values(self, cells: list[str]) -> tuple[dict, dict[str, str | None]]:
        """({field: value}, {column: message}) of one row."""
        values, failed = {}, {}
        for column in COLUMNS:
            value = self._cell(cells, column.name)
            try:
                if _CONTROL.search(value):
                    raise _CellError(_("Retour à la ligne, tabulation ou caractère de contrôle "
                                       "dans la cellule."))  # fmt: skip
                if not value and column.required:
                    raise _CellError(_("Valeur obligatoire."))
                if column.field in _PARSE and value:
                    values[column.field] = _PARSE[column.field](value)
                elif column.field == "skills":
                    values["skills"] = _skills(value, self.skills)
                elif column.field == "commune_insee" and "code_postal" not in failed:
                    postal_code = self._cell(cells, "code_postal")
                    values["commune_insee"] = self.communes.resolve(postal_code, value)
            except _CellError as exc:
                failed[exc.column or column.name] = exc.message
        if "code_postal" in failed:
            failed.setdefault("commune", None)  # not checked, not reported
        return values, failed

    def parse(self, number: int, cells: list[str]) -> "_Row":
        values, failed = self._values(cells)
        problems = [Problem(number, column, msg) for column, msg in failed.items() if msg]
        used = set(self.columns.values())
        stray = [cell for i, cell in enumerate(cells) if i not in used and cell.strip()]
        if stray:
            message = _("Valeur « %(v)s » dans une colonne sans titre.", v=_show(stray[0]))
            problems.append(Problem(number, None, message))
        email = values.get("email", "").lower()
        if email in self.emails:
            message = _("Cette adresse figure déjà ligne %(n)d du fichier.", n=self.emails[email])
            problems.append(Problem(number, "email", message))
        elif email:
            self.emails[email] = number
        data = employees.EmployeeData(**{**_DEFAULT, "skills": [], **values})
        return _Row(number, data, problems, set(failed))


@dataclass
class _Row:
    number: int
    data: employees.EmployeeData  # with stand-ins for the values that failed to parse
    problems: list[Problem]
    failed: set[str]  # columns whose value failed to parse

    def refused(self, exc: ValidationError) -> list[Problem]:
        """The service's messages, except on columns already reported."""
        problems = []
        for field, message in exc.errors.items():
            column = _COLUMN_OF_FIELD.get(field)
            dates_failed = field == "available_until" and "disponible_du" in self.failed
            if column not in self.failed and not dates_failed:
                problems.append(Problem(self.number, column, message))
        return problems


def _parse(content: bytes) -> tuple[_Checker, list[_Row]]:
    if len(content) > MAX_FILE_BYTES:
        _refuse(_("Le fichier dépasse %(max)d Mo : découpez-le en plusieurs fichiers.",
                  max=MAX_FILE_BYTES // (1024 * 1024)))  # fmt: skip
    columns, rows = _rows(decode(content))
    checker = _Checker(columns, rows)
    return checker, [checker.parse(number, cells) for number, cells in rows]


def _validate_all(firm: Firm, rows: list[_Row]) -> list[Problem]:
    problems = []
    for row in rows:
        problems += row.problems
        try:
            validate(firm, row.data)
        except ValidationError as exc:
            problems += row.refused(exc)
    return problems


def check_file(firm: Firm, content: bytes) -> list[tuple[int, employees.EmployeeData]]:
    """(row number, EmployeeData) of every row, or ImportFileError listing every problem.

    Reads the database, writes nothing: a dry run of import_employees().
    """
    _checker, rows = _parse(content)  # the checker keeps the communes in the session
    if problems := _validate_all(firm, rows):
        raise ImportFileError(problems)
    return [(row.number, row.data) for row in rows]


def import_employees(firm: Firm, content: bytes, actor) -> list[Employee]:
    """Declare every employee of the file, or none: on ImportFileError the caller rolls back
    (the rows declared before the refusal were flushed, not committed). The caller commits.

    A file whose cells all parse goes straight to `employees.declare()`, whose checks are
    those of validate(): each row is checked once, which halves the queries of a large file.
    No invitation is sent: HR invites each employee afterwards.
    """
    _checker, rows = _parse(content)  # the checker keeps the communes in the session
    if any(row.problems for row in rows):
        raise ImportFileError(_validate_all(firm, rows))
    declared, problems = [], []
    for row in rows:
        try:
            declared.append(employees.declare(firm, row.data, actor))
        except ValidationError as exc:
            problems += row.refused(exc)
        except ServiceError as exc:
            # The flush failed and rolled back: a concurrent declaration of the same email.
            column = _COLUMN_OF_FIELD.get(exc.field) if exc.field else None
            raise ImportFileError([Problem(row.number, column, exc.message)]) from None
    if problems:
        raise ImportFileError(problems)
    audit.record("employee.imported", actor, firm)
    return declared
