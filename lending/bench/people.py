"""The scheme, its staff, its firms (with an HR account each) and their employees.

Seeded: the same sizes give the same rows. Firms are mostly lenders from industry (NAF
section C) and hosts of mixed sections; employees live near their firm or anywhere in the
territory (by population), with 3 to 8 skills at levels 1 to 4.
"""

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, func, insert, select
from stdnum import luhn

from lending.models import (
    Commune,
    Enrolment,
    EnrolmentStatus,
    Firm,
    NafCode,
    PostalCode,
    Role,
    Scheme,
    User,
)
from lending.models.scheme import scheme_departement
from lending.models.user import scheme_staff
from lending.services.demo import OCCITANIE

from .rows import at, first_free_id, insert_rows

SCHEME_NAME = "Passerelles Industries (banc d'essai)"
STAFF_DOMAIN = "banc-essai.pret-main-oeuvre.invalid"
LENDER_SECTIONS = {"C": 85, "F": 5, "H": 5, "M": 3, "J": 2}
HOST_SECTIONS = {"C": 40, "A": 10, "G": 10, "H": 10, "N": 10, "Q": 10, "F": 5, "E": 5}
HR_TITLE = "Responsable des ressources humaines"
# Share of the firms (in %) that only lend, only host, or both.
ROLES = {"lender": 45, "host": 35, "both": 20}
FIRM_WORDS = ["Ateliers", "Industries", "Mécanique", "Usinage", "Composites", "Services",
              "Logistique", "Conserverie", "Maintenance", "Transports"]  # fmt: skip


@dataclass
class FirmInfo:
    id: int
    hr_id: int
    name: str
    siret: str
    naf: str  # "30.30Z – Construction aéronautique et spatiale"
    address: str
    commune: str
    lends: bool
    hosts: bool


@dataclass
class People:
    scheme_id: int
    operator_id: int
    monitor_id: int
    admin_id: int
    firms: list[FirmInfo]
    hosts: list[FirmInfo]
    host_weights: list[float]
    # Consenting, available employees: (id, firm id, first, last, job, salary, charges,
    # expenses, weekly hours).
    matchable: list[tuple] = field(default_factory=list)
    job_skills: list[list[int]] = field(default_factory=list)
    skills: list[int] = field(default_factory=list)
    # (insee, name, postal code, population) of the territory's communes of 300+.
    communes: list[tuple] = field(default_factory=list)
    by_id: dict[int, FirmInfo] = field(default_factory=dict)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _siret(n: int) -> str:
    siren = f"{30_000_000 + n:08d}"
    body = siren + luhn.calc_check_digit(siren) + "0001"
    return body + luhn.calc_check_digit(body)


def _naf_by_section(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    by_section: dict[str, list[tuple[str, str]]] = {}
    for code, label, section in conn.execute(
        select(NafCode.code, NafCode.label, NafCode.section_code).order_by(NafCode.code)
    ):
        by_section.setdefault(section, []).append((code, label))
    return by_section


def _communes(conn: Connection) -> list[tuple[str, str, str, int]]:
    """(insee, name, postal code, population) of the territory's communes of 300+."""
    postal = (
        select(PostalCode.commune_insee, func.min(PostalCode.code).label("code"))
        .group_by(PostalCode.commune_insee)
        .subquery()
    )
    return [
        tuple(row)
        for row in conn.execute(
            select(Commune.insee, Commune.name, postal.c.code, Commune.population)
            .join(postal, postal.c.commune_insee == Commune.insee)
            .where(Commune.departement_code.in_(OCCITANIE), Commune.population > 300)
            .order_by(Commune.insee)
        )
    ]


def create_scheme_and_staff(conn: Connection, password_hash: str, start: date) -> People:
    scheme_id = first_free_id(conn, Scheme.__table__)
    conn.execute(
        insert(Scheme.__table__).values(
            id=scheme_id,
            name=SCHEME_NAME,
            description="Dispositif régional simulé pour mesurer le tableau de bord.",
            sectors=" ".join(sorted(set(LENDER_SECTIONS) | set(HOST_SECTIONS))),
            default_max_commute_km=40,
            max_loan_months=12,
            proposal_deadline_days=10,
            matching_cron="0 6 1,15 * *",
            created_at=at(start - timedelta(days=90)),
        )
    )
    conn.execute(
        insert(scheme_departement),
        [{"scheme_id": scheme_id, "departement_code": code} for code in OCCITANIE],
    )
    user_id = first_free_id(conn, User.__table__)
    staff = [(Role.OPERATOR, "operateur", "Opérateur du banc d'essai"),
             (Role.MONITOR, "suivi", "Suivi territorial du banc d'essai"),
             (Role.ADMIN, "admin", "Administrateur du banc d'essai")]  # fmt: skip
    conn.execute(
        insert(User.__table__),
        [
            {
                "id": user_id + n,
                "email": f"{local}@{STAFF_DOMAIN}",
                "full_name": name,
                "role": role,
                "password_hash": password_hash,
            }
            for n, (role, local, name) in enumerate(staff)
        ],
    )
    conn.execute(
        insert(scheme_staff),
        [{"user_id": user_id + n, "scheme_id": scheme_id} for n in (0, 1)],
    )
    return People(scheme_id, user_id, user_id + 1, user_id + 2, [], [], [])


def create_firms(
    conn: Connection, people: People, n_firms: int, rng, start: date, today: date
) -> None:
    """Firms with one HR account each; nearly all approved, a few pending or refused."""
    naf = _naf_by_section(conn)
    communes = _communes(conn)
    cum = list(itertools.accumulate(c[3] for c in communes))
    firm_id = first_free_id(conn, Firm.__table__)
    user_id = first_free_id(conn, User.__table__)
    enrolment_id = first_free_id(conn, Enrolment.__table__)
    pending, refused = max(1, n_firms // 100), n_firms // 200
    firms, users, enrolments = [], [], []
    for n in range(n_firms):
        role = _weighted(rng, ROLES)
        if n - pending - refused in (0, 1):  # at least one lender and one host, whatever the size
            role = ("lender", "host")[n - pending - refused]
        section = _weighted(rng, HOST_SECTIONS if role == "host" else LENDER_SECTIONS)
        code, label = rng.choice(naf[section])
        insee, town, postal, _ = communes[bisect.bisect(cum, rng.random() * cum[-1])]
        name = f"{rng.choice(FIRM_WORDS)} de {town} {n + 1}"
        street = f"{rng.randint(1, 200)} avenue de l'Industrie"
        fid, hid = firm_id + n, user_id + n
        firms.append(
            {
                "id": fid,
                "siret": _siret(fid),
                "name": name,
                "naf_code": code,
                "address_line": street,
                "postal_code": postal,
                "commune_insee": insee,
                "enrolment_code": None,
                "created_at": at(start - timedelta(days=200)),
            }
        )
        users.append(
            {
                "id": hid,
                "email": f"rh.{fid}@{STAFF_DOMAIN}",
                "full_name": f"RH {name}",
                "job_title": HR_TITLE,
                "role": Role.HR,
                "firm_id": fid,
                "password_hash": None,
            }
        )
        applied = start - timedelta(days=rng.randint(30, 200))
        decided: date | None = applied + timedelta(days=3)
        status, reason = EnrolmentStatus.APPROVED, None
        if n < pending:  # applied lately, waiting for the operator
            status, decided = EnrolmentStatus.PENDING, None
            applied = today - timedelta(days=rng.randint(0, 20))
        elif n < pending + refused:
            status, reason = EnrolmentStatus.REJECTED, "Hors du périmètre du dispositif."
        enrolments.append(
            {
                "id": enrolment_id + n,
                "firm_id": fid,
                "scheme_id": people.scheme_id,
                "status": status,
                "applied_at": at(applied),
                "applied_by_id": hid,
                "decided_at": decided and at(decided),
                "reason": reason,
                "decided_by_id": decided and people.operator_id,
            }
        )
        if status == EnrolmentStatus.APPROVED:
            people.firms.append(
                FirmInfo(
                    fid,
                    hid,
                    name,
                    _siret(fid),
                    f"{code} – {label}",
                    f"{street}, {postal} {town}",
                    insee,
                    lends=role != "host",
                    hosts=role != "lender",
                )
            )
    insert_rows(conn, Firm.__table__, firms)
    insert_rows(conn, User.__table__, users)
    insert_rows(conn, Enrolment.__table__, enrolments)
    people.hosts = [firm for firm in people.firms if firm.hosts]
    people.host_weights = list(itertools.accumulate(rng.paretovariate(1.5) for _ in people.hosts))
    people.communes = communes
    people.by_id = {firm.id: firm for firm in people.firms}
