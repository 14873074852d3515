"""Skills taxonomy look-ups: normalisation and the search behind the skill pickers.

Search matches every word of the query at the start of a word of `search_text` (normalised
label and synonyms), with plain LIKE so that SQLite and PostgreSQL answer the same. Ranking is
done in Python on the matching rows, so that the order never depends on a database collation.
"""

import re
from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from lending.extensions import db
from lending.models import Employee, EmployeeSkill, Need, NeedSkill
from lending.models._search import fold
from lending.models.skills import JobTitle, Skill, SkillFamily, job_title_skill

MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
Owner = TypeVar("Owner", Employee, Need)


def normalise(text: str | None) -> str:
    """fold() (lower case, accents stripped), punctuation turned into single spaces.

    "Soudage TÏG (procédé 141)" → "soudage tig procede 141"; "Manœuvre" → "manoeuvre".
    """
    return _NOT_ALNUM.sub(" ", fold(text)).strip()


def search_text_for(label: str, synonyms: str | Iterable[str] = "") -> str:
    """The `search_text` stored for a label and its synonyms (string or list)."""
    if not isinstance(synonyms, str):
        synonyms = " ".join(synonyms)
    return " ".join(part for part in (normalise(label), normalise(synonyms)) if part)


def query_words(query: str | None) -> list[str]:
    """The normalised words of a query, at most MAX_QUERY_WORDS."""
    return normalise((query or "")[:MAX_QUERY_LENGTH]).split()[:MAX_QUERY_WORDS]


def _matches_all(column, words: list[str]) -> ColumnElement[bool]:
    # Words contain only [a-z0-9] after normalise(): no LIKE wildcard can slip in.
    return and_(*(or_(column.like(f"{word}%"), column.like(f"% {word}%")) for word in words))


def _rank(label: str, words: list[str]) -> tuple[int, str]:
    """0: the label starts with the query; 1: the label holds every word; 2: synonyms only."""
    plain = normalise(label)
    label_words = plain.split()
    if plain.startswith(" ".join(words)):
        rank = 0
    elif all(any(w.startswith(word) for w in label_words) for word in words):
        rank = 1
    else:
        rank = 2
    return rank, plain


def _search(model, query: str | None, limit: int) -> list:
    words = query_words(query)
    if not words or limit <= 0:
        return []
    rows = db.session.execute(
        select(model.id, model.label).where(_matches_all(model.search_text, words))
    ).all()
    best = sorted(rows, key=lambda row: (*_rank(row.label, words), row.label, row.id))[:limit]
    ids = [row.id for row in best]
    found = {item.id: item for item in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return [found[i] for i in ids]


def search_skills(query: str | None, limit: int = 20) -> list[Skill]:
    """Skills whose label or synonyms hold every word of the query (accents, case ignored).

    "soudure tig", "Soudage TÏG" and "cnd" find what they should; labels starting with the
    query come first, then labels holding every word, then matches on synonyms only; each
    group in accent-insensitive alphabetical order.
    """
    return _search(Skill, query, limit)


def search_job_titles(query: str | None, limit: int = 20) -> list[JobTitle]:
    """Job titles matching every word of the query, ordered as search_skills()."""
    return _search(JobTitle, query, limit)


def get_skills_by_codes(codes: Iterable[str]) -> dict[str, Skill]:
    """{code: skill} for the codes that exist (unknown codes are simply absent)."""
    wanted = {code.strip() for code in codes if code and code.strip()}
    if not wanted:
        return {}
    skills = db.session.scalars(select(Skill).where(Skill.code.in_(wanted)))
    return {skill.code: skill for skill in skills}


def get_skill(skill_id: int) -> Skill | None:
    return db.session.get(Skill, skill_id)


def with_skill_rows(owner: Owner) -> Owner:
    """`owner` (an employee or a need) with its skill rows and the skill of each row loaded
    in one query, rather than one query per row when a form or a page reads them."""
    model = type(owner)
    row = EmployeeSkill if model is Employee else NeedSkill
    db.session.scalars(
        select(model)
        .where(model.id == owner.id)
        .options(joinedload(model.skills).joinedload(row.skill))
    ).unique().all()
    return owner


def typical_skills(job_title_id: int) -> list[Skill]:
    """The typical skills of a job title, by label ([] for an unknown job title)."""
    statement = (
        select(Skill)
        .join(job_title_skill, job_title_skill.c.skill_id == Skill.id)
        .where(job_title_skill.c.job_title_id == job_title_id)
    )
    return sorted(db.session.scalars(statement), key=lambda s: (normalise(s.label), s.id))


def all_skills_by_family(source: str | None = None) -> list[tuple[SkillFamily, list[Skill]]]:
    """Every family with its skills, both in accent-insensitive alphabetical order.

    `source` ("starter" or "rome") keeps only the skills of that origin. After a full ROME
    import this is tens of thousands of skills: pickers should use search_skills() instead.
    """
    statement = select(Skill).join(Skill.family).options(contains_eager(Skill.family))
    if source:
        statement = statement.where(Skill.source == source)
    grouped: dict[str, list[Skill]] = {}
    families: dict[str, SkillFamily] = {}
    for skill in db.session.scalars(statement):
        grouped.setdefault(skill.family_code, []).append(skill)
        families[skill.family_code] = skill.family
    ordered = sorted(families.values(), key=lambda f: (normalise(f.label), f.code))
    return [
        (family, sorted(grouped[family.code], key=lambda s: (normalise(s.label), s.id)))
        for family in ordered
    ]


def job_title_labels() -> list[str]:
    """Labels of the known job titles, for suggestions in the forms."""
    labels = db.session.scalars(select(JobTitle.label)).all()
    return sorted(set(labels), key=normalise)
