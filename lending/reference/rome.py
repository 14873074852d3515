"""Import the ROME 4.0 open-data CSV files published by France Travail into the taxonomy.

Operators download "Toutes les données du ROME" (csv) from data.gouv.fr / francetravail.org,
unzip it and run `flask --app wsgi lending import-rome DOSSIER`. The files are UTF-8,
comma-separated, every field quoted, one header line (ROME 4.0 open-data documentation,
structure unchanged since v2.0). Files and columns used are listed in ROME_FILES, the one
place to adapt if France Travail renames a column:

- référentiel des compétences (required): savoir-faire and savoir-être, imported as skills
  with source "rome" and code = their OGR code;
- arborescence des compétences (optional): puts each skill in the family of its domain of
  competence ("ROME-3", "ROME – Production, Construction, Qualité, Logistique"); without it
  skills go to the family "ROME";
- référentiel des savoirs (optional): knowledge items, imported as skills of family "ROME-SAV";
- fiches ROME (optional): imported as job titles, code = the ROME code ("H2913"), searchable
  by their appellations when the appellations file is present;
- cohérence des items / liens ROME–référentiels (optional, need the fiches): a job title's
  skills. Links to items that are not skills (work contexts...) are ignored and counted.

Every file is read and validated before anything is written: an error in any row raises a
ServiceError (French message naming the file, line and column) and writes nothing. The
import is idempotent (upsert by code, nothing deleted); it flushes, the caller commits.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from lending.models.skills import SOURCE_ROME
from lending.reference.skills_loader import (
    sync_families,
    sync_job_titles,
    sync_links,
    sync_skills,
)
from lending.services.errors import ServiceError

MAX_ERRORS = 10
LABEL_LENGTH = 200
_ROME_CODE = re.compile(r"[A-Z]\d{4}")
_OGR_CODE = re.compile(r"\d{1,20}")


@dataclass(frozen=True)
class RomeFile:
    description: str
    pattern: str  # file name, "v461" being any version
    columns: dict[str, str]  # our name -> header in the file


ROME_FILES = {
    "competences": RomeFile(
        "référentiel des compétences",
        r"(unix_)?referentiel_competence_v\d+_utf8\.csv",
        {"code": "code_ogr", "label": "libelle_competence"},
    ),
    "arborescence": RomeFile(
        "arborescence des compétences",
        r"(unix_)?arborescence_competences?_v\d+_utf8\.csv",
        {
            "code": "code_ogr_competence",
            "domain": "code_domaine_competence",
            "domain_label": "domaine_competence",
        },
    ),
    "savoirs": RomeFile(
        "référentiel des savoirs",
        r"(unix_)?referentiel_savoir_v\d+_utf8\.csv",
        {"code": "code_ogr_savoir", "label": "libelle_savoir"},
    ),
    "fiches": RomeFile(
        "fiches ROME",
        r"(unix_)?referentiel_code_rome_v\d+_utf8\.csv",
        {"code": "code_rome", "label": "libelle_rome"},
    ),
    "appellations": RomeFile(
        "appellations",
        r"(unix_)?referentiel_appellation_v\d+_utf8\.csv",
        {"job": "code_rome", "label": "libelle_appellation_long"},
    ),
    "coherence": RomeFile(
        "cohérence des items",
        r"(unix_)?coherence_item_v\d+_utf8\.csv",
        {"job": "code_rome", "item": "code_ogr"},
    ),
    "liens": RomeFile(
        "liens ROME – référentiels",
        r"(unix_)?liens_rome_referentiels_v\d+_utf8\.csv",
        {"job": "code_rome", "item": "code_ogr"},
    ),
}
DEFAULT_FAMILY = ("ROME", "ROME – Compétences")
KNOWLEDGE_FAMILY = ("ROME-SAV", "ROME – Savoirs")
COUNT_LABELS = {
    "skill_family": "familles ajoutées",
    "skill": "compétences ajoutées",
    "skill_updated": "compétences mises à jour",
    "job_title": "métiers ajoutés",
    "job_title_updated": "métiers mis à jour",
    "job_title_skill": "liens métier–compétence ajoutés",
    "links_ignored": "liens ignorés (éléments qui ne sont pas des compétences)",
    "labels_truncated": f"libellés tronqués à {LABEL_LENGTH} caractères",
}


class _Errors(list):
    def add(self, message: str) -> None:
        if len(self) < MAX_ERRORS:
            self.append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ServiceError("Import ROME refusé, rien n'a été écrit :\n- " + "\n- ".join(self))


def find_files(directory_or_files: str | Path | Iterable[str | Path]) -> dict[str, Path]:
    """{kind: path} of the ROME files in a directory or a list of files."""
    if isinstance(directory_or_files, str | Path):
        path = Path(directory_or_files)
        if path.is_dir():
            candidates = sorted(p for p in path.iterdir() if p.is_file())
            strict = False
        elif path.is_file():
            candidates, strict = [path], True
        else:
            raise ServiceError(f"Fichier ou dossier introuvable : {path}")
    else:
        candidates, strict = [Path(p) for p in directory_or_files], True
    found: dict[str, Path] = {}
    for candidate in candidates:
        kind = next(
            (k for k, spec in ROME_FILES.items() if re.fullmatch(spec.pattern, candidate.name)),
            None,
        )
        if kind is None:
            if strict:
                raise ServiceError(f"Fichier non reconnu comme fichier du ROME : {candidate.name}")
            continue
        if not candidate.is_file():
            raise ServiceError(f"Fichier introuvable : {candidate}")
        if kind in found:
            raise ServiceError(
                f"Deux fichiers « {ROME_FILES[kind].description} » : {found[kind].name} et "
                f"{candidate.name}. Gardez une seule version du ROME."
            )
        found[kind] = candidate
    if "competences" not in found:
        raise ServiceError(
            "Fichier introuvable : référentiel des compétences du ROME "
            "(unix_referentiel_competence_vXXX_utf8.csv)."
        )
    needs_fiches = [k for k in ("appellations", "coherence", "liens") if k in found]
    if needs_fiches and "fiches" not in found:
        raise ServiceError(
            f"Le fichier « {ROME_FILES[needs_fiches[0]].description} » demande aussi le fichier "
            "des fiches ROME (unix_referentiel_code_rome_vXXX_utf8.csv)."
        )
    return found


def read_rome_file(kind: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, {our name: value}) for each record of one file, values stripped."""
    spec = ROME_FILES[kind]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            f"{path.name} n'est pas encodé en UTF-8 : prenez les fichiers « _utf8.csv » du ROME."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;|\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    missing = [column for column in spec.columns.values() if column not in header]
    if missing:
        raise ServiceError(
            f"{path.name} : colonne(s) manquante(s) : {', '.join(missing)} "
            f"(colonnes trouvées : {', '.join(header) or 'aucune'})."
        )
    index = {name: header.index(column) for name, column in spec.columns.items()}
    rows = []
    for record in reader:
        if not any(value.strip() for value in record):
            continue  # blank lines between records
        values = {n: record[i].strip() if i < len(record) else "" for n, i in index.items()}
        rows.append((reader.line_num, values))
    return rows


def _label(value: str, counts: dict[str, int]) -> str:
    label = " ".join(value.split())
    if len(label) > LABEL_LENGTH:
        counts["labels_truncated"] += 1
        label = label[: LABEL_LENGTH - 1] + "…"
    return label


def _items(kind, path, code_re, family, errors, counts, domains) -> dict[str, dict]:
    """Skills or job titles of one file, {code: row}, with their errors recorded."""
    items: dict[str, dict] = {}
    for line, row in read_rome_file(kind, path):
        where = f"{path.name}, ligne {line}"
        code, label = row["code"], _label(row["label"], counts)
        if not code_re.fullmatch(code):
            errors.add(
                f"{where}, colonne {ROME_FILES[kind].columns['code']} : code {code!r} invalide"
            )
            continue
        if not label:
            errors.add(f"{where}, colonne {ROME_FILES[kind].columns['label']} : libellé vide")
            continue
        if code in items and items[code]["label"] != label:
            errors.add(f"{where} : le code {code} a deux libellés différents")
            continue
        item = {"code": code, "label": label}
        if family is not None:
            item |= {"family_code": domains.get(code, family), "synonyms": None}
        items[code] = item
    return items


def _domains(path: Path | None, errors) -> tuple[dict[str, str], dict[str, str]]:
    """({skill code: family code}, {family code: family label}) from the arborescence."""
    by_skill, families = {}, {}
    for line, row in read_rome_file("arborescence", path) if path else []:
        if not (row["code"] and row["domain"] and row["domain_label"]):
            errors.add(f"{path.name}, ligne {line} : code ou domaine de compétence vide")
            continue
        family = f"ROME-{row['domain']}"[:20]
        by_skill[row["code"]] = family
        families[family] = f"ROME – {' '.join(row['domain_label'].split())}"[:LABEL_LENGTH]
    return by_skill, families


def import_rome(session: Session, directory_or_files) -> dict[str, int]:
    """Import (or update) the ROME skills, job titles and their links; return the counts.

    Raises ServiceError with a French message, before writing anything, on a missing file or
    column or an invalid row. Flushes only: the caller commits.
    """
    files = find_files(directory_or_files)
    errors = _Errors()
    counts = dict.fromkeys(COUNT_LABELS, 0)
    domains, families = _domains(files.get("arborescence"), errors)
    skills = _items(
        "competences", files["competences"], _OGR_CODE, DEFAULT_FAMILY[0], errors, counts, domains
    )
    if "savoirs" in files:
        knowledge = _items(
            "savoirs", files["savoirs"], _OGR_CODE, KNOWLEDGE_FAMILY[0], errors, counts, {}
        )
        for code in knowledge.keys() & skills.keys():
            if knowledge[code]["label"] != skills[code]["label"]:
                errors.add(f"Le code {code} désigne une compétence et un savoir différents")
        skills = knowledge | skills
    jobs = {}
    if "fiches" in files:
        jobs = _items("fiches", files["fiches"], _ROME_CODE, None, errors, counts, {})
    if "appellations" in files:
        for _line, row in read_rome_file("appellations", files["appellations"]):
            if row["job"] in jobs and row["label"]:
                jobs[row["job"]].setdefault("aliases", []).append(row["label"])
    links = set()
    for kind in ("coherence", "liens"):
        for _line, row in read_rome_file(kind, files[kind]) if kind in files else []:
            if row["job"] in jobs and row["item"] in skills:
                links.add((row["job"], row["item"]))
            else:
                counts["links_ignored"] += 1
    errors.raise_if_any()
    if not skills:
        raise ServiceError(f"{files['competences'].name} ne contient aucune compétence.")

    used = {skill["family_code"] for skill in skills.values()}
    families |= dict([DEFAULT_FAMILY, KNOWLEDGE_FAMILY])
    family_rows = [{"code": c, "label": label} for c, label in families.items() if c in used]
    counts["skill_family"] = sync_families(session, family_rows)[0]
    counts["skill"], counts["skill_updated"] = sync_skills(session, skills.values(), SOURCE_ROME)
    counts["job_title"], counts["job_title_updated"] = sync_job_titles(
        session, jobs.values(), SOURCE_ROME
    )
    counts["job_title_skill"] = sync_links(session, links)
    session.flush()
    return counts
