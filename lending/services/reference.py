"""Look-ups in the reference data, for forms and the JSON endpoints."""

import re
import unicodedata

from sqlalchemy import select

from lending.extensions import db
from lending.models.reference import Commune, Departement, NafCode, NafSection, PostalCode

_POSTAL_CODE = re.compile(r"\d{5}")
_NAF = re.compile(r"(\d{2})(\d{2})([A-Z])")


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key, so that "Éguilles" sorts among the E."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def departement_sort_key(code: str) -> str:
    """Order codes as INSEE does: 19, 2A, 2B, 21 ... 95, 971 ... 976."""
    return code.replace("2A", "20A").replace("2B", "20B")


def normalise_postal_code(text: str | None) -> str | None:
    """The code without spaces ("47 000" → "47000"); None unless five digits."""
    code = re.sub(r"\s", "", text or "")
    return code if _POSTAL_CODE.fullmatch(code) else None


def communes_for_postal_code(code: str) -> list[Commune]:
    """Every commune served by a postal code, sorted by name ([] for an unknown code)."""
    normalised = normalise_postal_code(code)
    if normalised is None:
        return []
    statement = (
        select(Commune)
        .join(PostalCode, PostalCode.commune_insee == Commune.insee)
        .where(PostalCode.code == normalised)
    )
    communes = db.session.scalars(statement).all()
    return sorted(communes, key=lambda commune: (sort_key(commune.name), commune.insee))


def departement_choices() -> list[tuple[str, str]]:
    """(code, "47 – Lot-et-Garonne") for every département, 2A and 2B after 19."""
    departements = db.session.scalars(select(Departement)).all()
    departements = sorted(departements, key=lambda dep: departement_sort_key(dep.code))
    return [(dep.code, dep.label) for dep in departements]


def naf_choices() -> list[tuple[str, str]]:
    """(code, "10.71C – Boulangerie et boulangerie-pâtisserie") ordered by code."""
    codes = db.session.scalars(select(NafCode).order_by(NafCode.code)).all()
    return [(naf.code, naf.display) for naf in codes]


def naf_section_choices() -> list[tuple[str, str]]:
    """(code, "C – Industrie manufacturière") ordered by code."""
    sections = db.session.scalars(select(NafSection).order_by(NafSection.code)).all()
    return [(section.code, f"{section.code} – {section.label}") for section in sections]


def normalise_naf(text: str | None) -> str | None:
    """Canonical form of "1071C", "10.71c", "10.71 C": "10.71C" if it exists, else None."""
    compact = re.sub(r"[\s.]", "", text or "").upper()
    match = _NAF.fullmatch(compact)
    if match is None:
        return None
    code = f"{match[1]}.{match[2]}{match[3]}"
    return code if db.session.get(NafCode, code) is not None else None
