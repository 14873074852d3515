"""Load the starter skills taxonomy (lending/reference/data/skills/) into the database.

The files are written by hand (see ATTRIBUTION.md): families.csv (code, label), skills.csv
(code, family_code, label, synonyms separated by " | ") and job_titles.csv (code, label,
skill codes separated by spaces). Loading is idempotent, as for the other reference data:
missing rows are inserted, changed labels, synonyms and families are updated, job-title links
are added when missing, and nothing is ever deleted (employees and needs reference skills).

The sync_* helpers are shared with the ROME import (lending/reference/rome.py).
"""

import csv
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from lending.models.skills import (
    SOURCE_STARTER,
    SYNONYM_SEPARATOR,
    JobTitle,
    Skill,
    SkillFamily,
    job_title_skill,
)
from lending.services.skills import search_text_for

DATA_DIR = Path(__file__).parent / "data" / "skills"
CHUNK_SIZE = 5000

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ reading the files
def _read(filename: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{filename} : colonne(s) manquante(s) : {', '.join(missing)}")
        return [{c: (record[c] or "").strip() for c in columns} for record in reader]


def _split_synonyms(text: str) -> str:
    """Synonyms re-joined with the canonical separator, blanks and duplicates dropped."""
    seen, kept = set(), []
    for synonym in text.split("|"):
        synonym = " ".join(synonym.split())
        if synonym and synonym.casefold() not in seen:
            seen.add(synonym.casefold())
            kept.append(synonym)
    return SYNONYM_SEPARATOR.join(kept)


def read_starter() -> tuple[list[dict], list[dict], list[dict]]:
    """(families, skills, job titles) of the shipped files, checked for consistency.

    Job titles carry their skill codes as a list under "skills". Raises ValueError on a
    duplicate code, an unknown family or an unknown skill code.
    """
    families = _read("families.csv", ("code", "label"))
    skills = _read("skills.csv", ("code", "family_code", "label", "synonyms"))
    job_titles = _read("job_titles.csv", ("code", "label", "skills"))
    for name, rows in (("families", families), ("skills", skills), ("job_titles", job_titles)):
        codes = [row["code"] for row in rows]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates or not all(codes):
            raise ValueError(f"{name}.csv : codes vides ou en double : {duplicates}")
    family_codes = {row["code"] for row in families}
    skill_codes = {row["code"] for row in skills}
    for row in skills:
        if row["family_code"] not in family_codes:
            raise ValueError(f"skills.csv : famille inconnue {row['family_code']!r}")
        row["synonyms"] = _split_synonyms(row["synonyms"])
    for row in job_titles:
        row["skills"] = row["skills"].split()
        unknown = [code for code in row["skills"] if code not in skill_codes]
        if unknown:
            raise ValueError(
                f"job_titles.csv : {row['code']} cite des compétences inconnues {unknown}"
            )
    return families, skills, job_titles


# ------------------------------------------------------------------ idempotent upserts
def _chunks(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), CHUNK_SIZE):
        yield rows[start : start + CHUNK_SIZE]


def _upsert(session: Session, table: Table, key: str, rows: list[dict], source: str | None):
    """Insert rows missing by `key`, update the others' changed values; (added, updated)."""
    if not rows:
        return 0, 0
    others = [name for name in rows[0] if name != key]
    existing = {
        row[0]: tuple(row[1:])
        for row in session.execute(select(table.c[key], *(table.c[name] for name in others)))
    }
    missing, changed = [], []
    for row in rows:
        old = existing.get(row[key])
        if old is None:
            missing.append(row | ({"source": source} if source else {}))
        elif old != tuple(row[name] for name in others):
            changed.append(row)
    for chunk in _chunks(missing):
        session.execute(insert(table), chunk)
    if changed:
        statement = (
            update(table)
            .where(table.c[key] == bindparam("key"))
            .values({name: bindparam(f"new_{name}") for name in others})
        )
        for chunk in _chunks(changed):
            params = [{"key": r[key]} | {f"new_{n}": r[n] for n in others} for r in chunk]
            session.execute(statement, params)
    return len(missing), len(changed)


def sync_families(session: Session, families: Iterable[dict]) -> tuple[int, int]:
    """Families {code, label}: (added, updated)."""
    rows = [{"code": f["code"], "label": f["label"]} for f in families]
    return _upsert(session, SkillFamily.__table__, "code", rows, None)


def sync_skills(session: Session, skills: Iterable[dict], source: str) -> tuple[int, int]:
    """Skills {code, label, family_code, synonyms}: (added, updated).

    synonyms=None keeps the synonyms already stored (the ROME files have none); search_text
    is recomputed from the label and synonyms.
    """
    skills = list(skills)
    # Read every stored synonym rather than a huge IN (...): SQLite caps bound parameters.
    kept = {}
    if any(skill.get("synonyms") is None for skill in skills):
        kept = dict(session.execute(select(Skill.code, Skill.synonyms)).all())
    rows = []
    for skill in skills:
        synonyms = skill.get("synonyms")
        if synonyms is None:
            synonyms = kept.get(skill["code"]) or ""
        rows.append(
            {
                "code": skill["code"],
                "label": skill["label"],
                "family_code": skill["family_code"],
                "synonyms": synonyms,
                "search_text": search_text_for(skill["label"], synonyms),
            }
        )
    return _upsert(session, Skill.__table__, "code", rows, source)


def sync_job_titles(session: Session, job_titles: Iterable[dict], source: str) -> tuple[int, int]:
    """Job titles {code, label, aliases (optional list of other names)}: (added, updated)."""
    rows = [
        {
            "code": job["code"],
            "label": job["label"],
            "search_text": search_text_for(job["label"], job.get("aliases") or []),
        }
        for job in job_titles
    ]
    return _upsert(session, JobTitle.__table__, "code", rows, source)


def sync_links(session: Session, links: Iterable[tuple[str, str]]) -> int:
    """Add the missing (job title code, skill code) links; return how many were added.

    Raises ValueError if a code is unknown: callers filter links to known codes first.
    """
    links = set(links)
    if not links:
        return 0
    job_ids = dict(session.execute(select(JobTitle.code, JobTitle.id)).all())
    skill_ids = dict(session.execute(select(Skill.code, Skill.id)).all())
    unknown = sorted(
        {j for j, _ in links if j not in job_ids} | {s for _, s in links if s not in skill_ids}
    )
    if unknown:
        raise ValueError(f"Codes inconnus dans les liens métier–compétence : {unknown[:10]}")
    existing = set(
        session.execute(select(job_title_skill.c.job_title_id, job_title_skill.c.skill_id))
    )
    pairs = sorted({(job_ids[j], skill_ids[s]) for j, s in links} - existing)
    rows = [{"job_title_id": j, "skill_id": s} for j, s in pairs]
    for chunk in _chunks(rows):
        session.execute(insert(job_title_skill), chunk)
    return len(rows)


def load_skills(session: Session) -> dict[str, int]:
    """Insert or update the starter taxonomy; return inserts per table.

    Flushes only: the caller commits (the CLI command, the test set-up).
    """
    families, skills, job_titles = read_starter()
    counts = {}
    for table, (added, updated) in (
        ("skill_family", sync_families(session, families)),
        ("skill", sync_skills(session, skills, SOURCE_STARTER)),
        ("job_title", sync_job_titles(session, job_titles, SOURCE_STARTER)),
    ):
        counts[table] = added
        if added or updated:
            log.info("skills %s: %d inserted, %d updated", table, added, updated)
    links = [(job["code"], code) for job in job_titles for code in job["skills"]]
    counts["job_title_skill"] = sync_links(session, links)
    session.flush()
    return counts
