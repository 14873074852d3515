"""CSV import of available employees: many `employees.declare()` at once, all or nothing.

services/csv_files.py reads the file (whatever Excel-FR writes) and its cells; every row
becomes an EmployeeData judged by the rules of services/employees.py (`declare()`, or
`validate()` for a dry run). Every problem of every row is reported (row, column, French
message); a single bad row means nothing is imported (the caller rolls back what was
flushed). Cells are stored as the text they hold: "=HYPERLINK(...)" is never evaluated here;
`escape_csv_cell()` neutralises it in any CSV the app writes.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.extensions import db
from lending.models import Employee, Firm, Task, TaskStatus
from lending.services import audit, employees, tasks, uow
from lending.services.csv_files import (
    MAX_PROBLEMS,
    CellError,
    Column,
    ImportFileError,
    Problem,
    cell,
    check_cell,
    csv_bytes,
    decode,
    escape_csv_cell,
    parse_boolean,
    parse_date,
    parse_decimal,
    read_file,
    read_header,
    read_rows,
    refuse,
    restore_leading_zero,
    show,
    stray_problem,
)
from lending.services.employees import MAX_COMMUTE_KM, MAX_WEEKLY_HOURS
from lending.services.errors import ServiceError, ValidationError
from lending.services.reference import communes_for_postal_code, normalise_postal_code
from lending.services.skills import get_skills_by_codes, normalise

# Re-exported: callers and tests know them as employee_import.*.
__all__ = [
    "COLUMNS", "MAX_COMMUTE_KM", "MAX_FILE_BYTES", "MAX_PROBLEMS", "MAX_ROWS",
    "MAX_WEEKLY_HOURS", "Column", "ImportFileError", "Problem", "check_file", "csv_bytes",
    "decode", "escape_csv_cell", "import_employees", "template_csv", "validate",
]  # fmt: skip

MAX_FILE_BYTES = 1024 * 1024  # the app refuses any request above MAX_CONTENT_LENGTH (2 MB)
MAX_ROWS = 2000
TASK_KIND = "employee-import"
_MONEY = _l("Montant mensuel en euros.")
_YES_NO = _l("oui ou non (vide : non).")
_DATE = _l("jj/mm/aaaa ou aaaa-mm-jj.")


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
_POSITION: dict[str | None, int] = {c.name: i for i, c in enumerate(COLUMNS)}


def template_csv() -> bytes:
    return csv_bytes([[c.name for c in COLUMNS]])


# -- reading the cells ------------------------------------------------------------------


def _km(value: str) -> int:
    """ "40" or "40 km" → 40; its bounds are checked by the service."""
    match = re.fullmatch(r"(\d{1,6})\s*(km)?", value, re.IGNORECASE)
    if match is None:
        raise CellError(_("Nombre entier de kilomètres attendu : « %(v)s ».", v=show(value)))
    return int(match[1])


def _skill_tokens(value: str) -> list[str]:
    return [t for t in re.split(r"[\s,;|]+", re.sub(r"\s*[:=]\s*", ":", value)) if t]


def _skills(value: str, known: dict) -> list[employees.SkillLevel]:
    """ "AERO-012:3 AERO-004:2" → SkillLevel items; levels are checked by the service."""
    skills, unknown = [], []
    for token in _skill_tokens(value):
        code, _sep, level = token.partition(":")
        if not (level.isascii() and level.isdigit()):
            raise CellError(
                _(
                    "Indiquez le niveau après la compétence « %(v)s », par exemple %(v)s:3.",
                    v=show(code),
                )
            )
        if (skill := known.get(code.upper())) is None:
            unknown.append(show(code))
        else:
            skills.append(employees.SkillLevel(skill.id, int(level[:2])))
    if unknown:
        raise CellError(
            _("Code(s) de compétence inconnu(s) : %(codes)s.", codes=", ".join(unknown))
        )
    return skills


class _Communes:
    """(postal code, INSEE code or name) → INSEE code, one query per postal code."""

    def __init__(self):
        self.cache: dict[str, list] = {}

    def resolve(self, postal_code: str, commune: str) -> str:
        # Excel turns 01000 into 1000: give the leading zeros back.
        code = normalise_postal_code(restore_leading_zero(postal_code))
        if code is None:
            message = _("Code postal non valide : « %(v)s ».", v=show(postal_code))
            raise CellError(message, "code_postal")
        if code not in self.cache:
            self.cache[code] = communes_for_postal_code(code)
        if not (communes := self.cache[code]):
            raise CellError(_("Le code postal %(code)s n'existe pas.", code=code), "code_postal")
        insee = restore_leading_zero(commune).upper()
        name = " ".join(
            {"st": "saint", "ste": "sainte"}.get(w, w) for w in normalise(commune).split()
        )
        found = [c for c in communes if c.insee == insee or normalise(c.name) == name]
        if len(found if commune else communes) == 1:
            return (found or communes)[0].insee
        names = ", ".join(c.name for c in communes[:12]) + ("…" if len(communes) > 12 else "")
        if commune:
            message = _(
                "« %(v)s » n'est ni le code INSEE ni le nom d'une commune du code "
                "postal %(code)s (%(names)s).",
                v=show(commune),
                code=code,
                names=names,
            )
        else:
            message = _(
                "Le code postal %(code)s dessert plusieurs communes (%(names)s) : "
                "indiquez laquelle.",
                code=code,
                names=names,
            )
        raise CellError(message, "commune")


# -- checking rows ----------------------------------------------------------------------

# Cells turned into values; the other columns with a field keep their text. Bounds, lengths
# and e-mail syntax are the service's to check.
_PARSE = {
    "max_commute_km": _km,
    "available_from": parse_date,
    "available_until": parse_date,
    "weekly_hours": parse_decimal,
    "gross_salary": lambda v: parse_decimal(v, 2),
    "employer_charges": lambda v: parse_decimal(v, 2),
    "expenses": lambda v: parse_decimal(v, 2),
    "partial_activity": parse_boolean,
    "job_at_risk": parse_boolean,
}
# Values for empty optional cells, and stand-ins for those that failed, so that the
# service still checks the rest of the row.
_DEFAULT = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "job_title": "",
    "qualification": "",
    "commune_insee": "",
    "max_commute_km": 1,
    "available_from": date(2000, 1, 1),
    "available_until": date(2000, 1, 1),
    "weekly_hours": Decimal(35),
    "gross_salary": None,
    "employer_charges": None,
    "expenses": None,
    "partial_activity": False,
    "job_at_risk": False,
}


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
        texts = [cell(cells, columns, "competences") for _n, cells in rows]
        codes = sorted({t.partition(":")[0].upper() for v in texts for t in _skill_tokens(v)})
        self.skills = {}
        for start in range(0, len(codes), 500):
            self.skills.update(get_skills_by_codes(codes[start : start + 500]))

    def _values(self, cells: list[str]) -> tuple[dict, dict[str, str | None]]:
        """({field: value}, {column: message}) of one row."""
        values: dict[str, Any] = {}
        failed: dict[str, str | None] = {}
        for column in COLUMNS:
            value = cell(cells, self.columns, column.name)
            try:
                check_cell(value, column.required)
                if column.field == "skills":
                    values["skills"] = _skills(value, self.skills)
                elif column.field == "commune_insee":
                    if "code_postal" not in failed:
                        postal_code = cell(cells, self.columns, "code_postal")
                        values["commune_insee"] = self.communes.resolve(postal_code, value)
                elif column.field and value:
                    values[column.field] = _PARSE.get(column.field, str)(value)
            except CellError as exc:
                failed[exc.column or column.name] = exc.message
        if "code_postal" in failed:
            failed.setdefault("commune", None)  # not checked, not reported
        return values, failed

    def parse(self, number: int, cells: list[str]) -> "_Row":
        values, failed = self._values(cells)
        problems = [Problem(number, column, msg) for column, msg in failed.items() if msg]
        if stray := stray_problem(number, cells, self.columns):
            problems.append(stray)
        email = values.get("email", "").lower()
        if email in self.emails:
            message = _("Cette adresse figure déjà ligne %(n)d du fichier.", n=self.emails[email])
            problems.append(Problem(number, "email", message))
        elif email and employees.email_error(email) is None:  # else the service reports it
            self.emails[email] = number
        data = employees.EmployeeData(**{**_DEFAULT, "skills": [], **values})
        return _Row(number, data, problems, set(failed))


@dataclass
class _Row:
    number: int
    data: employees.EmployeeData  # with stand-ins for the values that failed to parse
    problems: list[Problem]
    failed: set[str]  # columns whose value failed to parse

    def refused(self, exc: ValidationError | None) -> list[Problem]:
        """The row's problems and the service's messages, except on columns already
        reported, from left to right."""
        problems = list(self.problems)
        for field, message in exc.errors.items() if exc else ():
            column = _COLUMN_OF_FIELD.get(field)
            dates_failed = field == "available_until" and "disponible_du" in self.failed
            if column not in self.failed and not dates_failed:
                problems.append(Problem(self.number, column, message))
        return sorted(problems, key=lambda p: _POSITION.get(p.column, len(_POSITION)))


def _report(progress, rows: list, stage: str):
    """Yield `rows`, telling `progress` (if any) every 50 rows."""
    for index, row in enumerate(rows):
        if progress is not None and index % 50 == 0:
            progress(index, len(rows), stage)
        yield row
    if progress is not None:
        progress(len(rows), len(rows), stage)


def _parse(content: bytes, progress=None) -> tuple[_Checker, list[_Row]]:
    text = read_file(content, MAX_FILE_BYTES)
    columns, rows = read_rows(text, lambda header: read_header(header, COLUMNS, _ALIASES))
    if not rows:
        refuse(_("Le fichier ne contient aucun salarié, seulement la ligne d'en-tête."))
    if len(rows) > MAX_ROWS:
        refuse(
            _(
                "Le fichier contient %(n)d salariés, %(max)d au plus par fichier : "
                "découpez-le en plusieurs fichiers.",
                n=len(rows),
                max=MAX_ROWS,
            )
        )
    checker = _Checker(columns, rows)
    parsed = [checker.parse(number, cells) for number, cells in _report(progress, rows, "checking")]
    return checker, parsed


def _validate_all(firm: Firm, rows: list[_Row]) -> list[Problem]:
    problems = []
    for row in rows:
        try:
            validate(firm, row.data)
        except ValidationError as exc:
            problems += row.refused(exc)
        else:
            problems += row.refused(None)
    return problems


def check_file(firm: Firm, content: bytes) -> list[tuple[int, employees.EmployeeData]]:
    """(row number, EmployeeData) of every row, or ImportFileError listing every problem.

    Reads the database, writes nothing: a dry run of import_employees().
    """
    _checker, rows = _parse(content)  # the checker keeps the communes in the session
    if problems := _validate_all(firm, rows):
        raise ImportFileError(problems)
    return [(row.number, row.data) for row in rows]


def import_employees(firm: Firm, content: bytes, actor, progress=None) -> list[Employee]:
    """Declare every employee of the file, or none: on ImportFileError the caller rolls back
    (the rows declared before the refusal were flushed, not committed). The caller commits.

    A file whose cells all parse goes straight to `employees.declare()`, whose checks are
    those of validate(): each row is checked once, which halves the queries of a large file.
    No invitation is sent: HR invites each employee afterwards.
    """
    _checker, rows = _parse(content, progress)  # the checker keeps the communes in the session
    if any(row.problems for row in rows):
        raise ImportFileError(_validate_all(firm, rows))
    declared, problems = [], []
    for row in _report(progress, rows, "saving"):
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


def queue(firm: Firm, content: bytes, actor) -> Task:
    """Queue the import of `content` for the worker (the caller commits, then kicks it)."""
    return tasks.enqueue(TASK_KIND, {"firm_id": firm.id}, actor=actor, data=content)


def run_task(task: Task, progress) -> dict:
    """The worker's handler: import the file, all or nothing. A refused file is an outcome,
    not a failure: its problems are the task's result."""
    firm = db.session.get_one(Firm, task.payload["firm_id"])
    assert task.data is not None  # queue() stores the file with the task
    try:
        imported = import_employees(firm, task.data, task.created_by, progress)
    except ImportFileError as exc:
        uow.rollback()
        problems = [[p.row, p.column, str(p.message)] for p in exc.problems]
        return {"imported": 0, "problems": problems, "more": exc.more}
    uow.commit()
    return {"imported": len(imported)}


_STAGES = {
    "checking": _l("Vérification des lignes"),
    "saving": _l("Enregistrement des salariés"),
}


def status_text(task: Task) -> str:
    """Where the import stands, in a sentence."""
    if task.status == TaskStatus.QUEUED:
        return _("En attente d'un processus de traitement : l'import commence dans un instant.")
    if task.status == TaskStatus.RUNNING:
        if task.stage in _STAGES and task.progress_total:
            return _(
                "%(stage)s : %(done)s sur %(total)s.",
                stage=_STAGES[task.stage],
                done=format_number(task.progress_done),
                total=format_number(task.progress_total),
            )
        return _("Lecture du fichier.")
    if task.status == TaskStatus.FAILED:
        return task.error or ""
    imported = (task.result or {}).get("imported", 0)
    if not imported:
        return _("Le fichier n'a pas été importé : aucun salarié n'a été enregistré.")
    return ngettext(
        "%(num)d salarié importé. Invitez-le depuis sa fiche à se porter volontaire.",
        "%(num)d salariés importés. Invitez-les depuis leur fiche à se porter volontaires.",
        imported,
    )


def outcome(task: Task) -> ImportFileError | None:
    """The problems of a refused file, as the import page shows them."""
    result = task.result or {}
    problems = result.get("problems")
    if not problems:
        return None
    refused = ImportFileError([Problem(*problem) for problem in problems])
    refused.more = result.get("more", 0)
    return refused
