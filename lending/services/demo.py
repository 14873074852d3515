"""Demo data: a SHARING-like scheme (Lot-et-Garonne) and a Passerelles-like one (Occitanie).

Deterministic (seeded), so two runs on empty databases give the same data.
"""

import random

from flask_babel import force_locale
from sqlalchemy import func, select
from stdnum import luhn

from lending.extensions import db
from lending.models import (
    Commune,
    Employee,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Party,
    PostalCode,
    Proposal,
    Role,
    Scheme,
    User,
)
from lending.models._time import utcnow
from lending.services import (
    demo_history,
    demo_market,
    passwords,
    proposals,
    rounds,
    schemes,
    uow,
)
from lending.services.volunteering import new_enrolment_code

LENDER_EMAIL = "rh@aero-garonne.demo.pret-main-oeuvre.fr"
HOST_EMAIL = "rh@pruneaux-agen.demo.pret-main-oeuvre.fr"
EMPLOYEE_EMAIL = "salarie@aero-garonne.demo.pret-main-oeuvre.fr"

DEMO_PASSWORD = "demo-pret-main-oeuvre"
OCCITANIE = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]

# (name, NAF) — aeronautics, metallurgy and agrifood firms of Lot-et-Garonne, invented.
SHARING_FIRMS = [
    ("Aéro Garonne Composites", "30.30Z"),
    ("Agenaise de Mécanique Aéronautique", "30.30Z"),
    ("Marmande Aérostructures", "30.30Z"),
    ("Villeneuve Usinage de Précision", "25.62B"),
    ("Fonderie du Lot", "24.53Z"),
    ("Chaudronnerie de l'Albret", "25.29Z"),
    ("Traitements de Surface Néracais", "25.61Z"),
    ("Forges de Fumel", "25.50B"),
    ("Pruneaux d'Agen Coopérative", "10.39B"),
    ("Conserverie de la Garonne", "10.39A"),
    ("Laiterie des Coteaux", "10.51C"),
    ("Biscuiterie d'Aiguillon", "10.72Z"),
    ("Salaisons du Confluent", "10.13A"),
    ("Vergers de Casseneuil", "10.32Z"),
    ("Tomates et Primeurs de Marmande", "10.39A"),
    ("Moulins de Tonneins", "10.61A"),
    ("Emballages Bois de Gascogne", "16.24Z"),
    ("Maintenance Industrielle 47", "33.12Z"),
    ("Électronique Embarquée du Sud-Ouest", "26.51B"),
    ("Plasturgie Agenaise", "22.29A"),
]

# Fruit farms of Lot-et-Garonne (NAF division 01), invented: SHARING hosts too.
SHARING_FARMS = [
    ("Vergers du Pays de Serres", "01.24Z"),
    ("Pruneraies de la Lède", "01.24Z"),
    ("Serres Maraîchères de Marmande", "01.13Z"),
]

PASSERELLES_PREFIXES = ["Ateliers", "Industries", "Mécanique", "Usinage", "Composites"]
PASSERELLES_NAF = ["30.30Z", "25.62B", "28.29B", "10.71C", "20.59Z", "22.29A", "33.12Z", "27.12Z"]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def _siret(rng: random.Random) -> str:
    siren = str(rng.randint(10_000_000, 99_999_999))
    siren += luhn.calc_check_digit(siren)
    nic = f"{rng.randint(1, 9999):04d}"
    body = siren + nic
    return body + luhn.calc_check_digit(body)


def _communes(departements: list[str], count: int, rng: random.Random) -> list[Commune]:
    """`count` communes of these départements, weighted by population."""
    pool = db.session.scalars(
        select(Commune)
        .where(Commune.departement_code.in_(departements), Commune.population > 2000)
        .order_by(Commune.insee)
    ).all()
    weights = [c.population or 1 for c in pool]
    return rng.choices(pool, weights=weights, k=count)


def _firm(name: str, naf: str, commune: Commune, rng: random.Random) -> Firm:
    postal = db.session.scalar(
        select(PostalCode.code).where(PostalCode.commune_insee == commune.insee).limit(1)
    )
    return Firm(
        siret=_siret(rng),
        name=name,
        naf_code=naf,
        address_line=f"{rng.randint(1, 120)} rue de l'Industrie",
        postal_code=postal,
        commune=commune,
        enrolment_code=new_enrolment_code(),
    )


def _user(email: str, name: str, role: Role, password_hash: str, **kw) -> User:
    if role == Role.HR:  # the function their firm's agreements print beside their name
        kw.setdefault("job_title", "Responsable des ressources humaines")
    user = User(email=email, full_name=name, role=role, password_hash=password_hash, **kw)
    db.session.add(user)
    return user


def _approve_all(firms: list[Firm], scheme, operator: User, *, leave_pending: int) -> None:
    for index, firm in enumerate(firms):
        enrolment = Enrolment(firm=firm, scheme=scheme, applied_by_id=None)
        db.session.add(enrolment)
        if index < len(firms) - leave_pending:
            enrolment.status = EnrolmentStatus.APPROVED
            enrolment.decided_at = utcnow()
            enrolment.decided_by_id = operator.id


SHARING_SCHEME = schemes.SchemeData(
    name="SHARING Lot-et-Garonne",
    description="Prêt de salariés de l'aéronautique vers l'agroalimentaire, les exploitations "
    "fruitières et l'industrie du département, animé par la CCI avec la Préfecture et la DREETS.",
    departement_codes=["47"],
    sectors="01 C",
    default_max_commute_km=40,
    max_loan_months=12,
    proposal_deadline_days=7,
    matching_cron="0 6 * * 1",
)
PASSERELLES_SCHEME = schemes.SchemeData(
    name="Passerelles Industries Occitanie",
    description="Prêt de main-d'œuvre entre entreprises industrielles d'Occitanie, "
    "animé par France Industrie Occitanie avec la Région et la DREETS.",
    departement_codes=OCCITANIE,
    sectors="C",
    default_max_commute_km=50,
    max_loan_months=24,
    proposal_deadline_days=10,
    matching_cron="0 5 * * 2",
)


def seed(region_employees: int = 3000, region_needs: int = 1200) -> list[tuple[str, str]]:
    """Create the demo; return (role description, email) for each demo login.

    The Passerelles-like round has `region_employees` employees and `region_needs` needs
    (about 2.3 positions each); tests pass smaller numbers.
    """
    rng = random.Random(47)
    pw = passwords.hash_password(DEMO_PASSWORD)
    admin = _user("admin@demo.pret-main-oeuvre.fr", "Alice Administratrice", Role.ADMIN, pw)
    with force_locale("fr"):
        sharing = schemes.save_scheme(SHARING_SCHEME, admin)
        passerelles = schemes.save_scheme(PASSERELLES_SCHEME, admin)
    op_sharing, op_passerelles, prefecture, dreets = _scheme_staff(sharing, passerelles, pw)
    sharing_firms, passerelles_firms = _sharing_firms(rng), _passerelles_firms(rng)
    db.session.add_all(sharing_firms + passerelles_firms)
    db.session.flush()
    _approve_all(sharing_firms, sharing, op_sharing, leave_pending=2)
    _approve_all(passerelles_firms, passerelles, op_passerelles, leave_pending=5)
    hr_lender, hr_host, employee = _firm_logins(sharing_firms, passerelles_firms, pw)
    _market(sharing_firms, passerelles_firms, employee, region_employees, region_needs)
    _farms(sharing, op_sharing, pw)
    db.session.flush()
    demo_history.seed(
        sharing,
        passerelles,
        password=DEMO_PASSWORD,
        password_hash=pw,
        demo_user=employee,
    )
    return [
        ("administrateur", admin.email),
        ("opérateur SHARING", op_sharing.email),
        ("opérateur Passerelles", op_passerelles.email),
        ("suivi SHARING (Préfecture de Lot-et-Garonne)", prefecture.email),
        ("suivi Passerelles (DREETS Occitanie)", dreets.email),
        ("RH d'une entreprise prêteuse (aéronautique)", hr_lender.email),
        ("RH d'une entreprise d'accueil (agroalimentaire)", hr_host.email),
        ("salarié", employee.email),
    ]


def _scheme_staff(sharing, passerelles, pw: str) -> tuple[User, User, User, User]:
    """One operator per scheme and one monitor per scheme: the Préfecture de Lot-et-Garonne
    follows SHARING, the DREETS Occitanie (the State's regional labour administration)
    follows Passerelles; each sees its own scheme only."""
    op_sharing = _user(
        "operateur.sharing@demo.pret-main-oeuvre.fr",
        "Olivier Opérateur",
        Role.OPERATOR,
        pw,
        schemes=[sharing],
    )
    op_passerelles = _user(
        "operateur.passerelles@demo.pret-main-oeuvre.fr",
        "Paula Passerelles",
        Role.OPERATOR,
        pw,
        schemes=[passerelles],
    )
    prefecture = _user(
        "prefecture@demo.pret-main-oeuvre.fr",
        "Pierre Préfecture (Préfecture de Lot-et-Garonne)",
        Role.MONITOR,
        pw,
        schemes=[sharing],
    )
    dreets = _user(
        "dreets.occitanie@demo.pret-main-oeuvre.fr",
        "Dominique Dreets (DREETS Occitanie)",
        Role.MONITOR,
        pw,
        schemes=[passerelles],
    )
    return op_sharing, op_passerelles, prefecture, dreets


def _sharing_firms(rng: random.Random) -> list[Firm]:
    """The named firms of Lot-et-Garonne (SHARING_FIRMS, in that order)."""
    communes = _communes(["47"], len(SHARING_FIRMS), rng)
    return [
        _firm(name, naf, commune, rng)
        for (name, naf), commune in zip(SHARING_FIRMS, communes, strict=True)
    ]


def _farms(sharing, operator: User, pw: str) -> list[Firm]:
    """The fruit farms hosting SHARING employees, each with its HR login; drawn after the
    rest of the demo, with their own seed, so the other firms stay what they were."""
    rng = random.Random(1)
    communes = _communes(["47"], len(SHARING_FARMS), rng)
    farms = [
        _firm(name, naf, commune, rng)
        for (name, naf), commune in zip(SHARING_FARMS, communes, strict=True)
    ]
    db.session.add_all(farms)
    db.session.flush()
    _approve_all(farms, sharing, operator, leave_pending=0)
    for farm in farms:
        slug = farm.siret[-5:]
        _user(f"rh.{slug}@demo.pret-main-oeuvre.fr", f"RH {farm.name}", Role.HR, pw, firm=farm)
    return farms


def _passerelles_firms(rng: random.Random) -> list[Firm]:
    """40 firms with made-up names over Occitanie."""
    firms = []
    for index, commune in enumerate(_communes(OCCITANIE, 40, rng)):
        name = f"{rng.choice(PASSERELLES_PREFIXES)} {commune.name} {index + 1}"
        firms.append(_firm(name, rng.choice(PASSERELLES_NAF), commune, rng))
    return firms


def _firm_logins(
    sharing_firms: list[Firm], passerelles_firms: list[Firm], pw: str
) -> tuple[User, User, User]:
    """The demo HR managers of a lender and a host and the demo employee (their logins are
    printed), then one HR manager for each other firm."""
    hr_lender = _user(
        LENDER_EMAIL,
        "Hélène Ressources",
        Role.HR,
        pw,
        firm=sharing_firms[0],
        job_title="Directrice des ressources humaines",
    )
    hr_host = _user(
        HOST_EMAIL,
        "Hugo Accueil",
        Role.HR,
        pw,
        firm=sharing_firms[8],
        job_title="Directeur de site",
    )
    employee = _user(EMPLOYEE_EMAIL, "Émile Salarié", Role.EMPLOYEE, pw, firm=sharing_firms[0])
    for firm in sharing_firms[1:8] + sharing_firms[9:] + passerelles_firms:
        slug = firm.siret[-5:]
        _user(
            f"rh.{slug}@demo.pret-main-oeuvre.fr", f"RH {firm.name}"[:120], Role.HR, pw, firm=firm
        )
    return hr_lender, hr_host, employee


def _market(
    sharing_firms: list[Firm],
    passerelles_firms: list[Firm],
    employee: User,
    region_employees: int,
    region_needs: int,
) -> None:
    """Supply and demand: in SHARING, aeronautics/metallurgy firms lend and agrifood firms
    host, the first volunteer being the demo employee, whom a need of the demo host fits;
    then the regional Passerelles market."""
    lenders = [f for f in sharing_firms[:18] if f.naf.division in {"30", "25", "24", "26"}]
    hosts = [f for f in sharing_firms[:18] if f.naf.division in {"10"}]
    volunteers = demo_market.seed_sharing(lenders, hosts)
    _make_demo_employee(volunteers[0], employee)
    demo_market.seed_showcase_need(sharing_firms[8], volunteers[0])
    demo_market.seed_region(passerelles_firms[:35], OCCITANIE, region_employees, region_needs)


def _make_demo_employee(volunteer, user: User) -> None:
    """The volunteer becomes Émile Salarié, with the demo employee's login."""
    volunteer.first_name, volunteer.last_name = "Émile", "Salarié"
    volunteer.email, volunteer.user = user.email, user
    volunteer.consent_given_at = volunteer.consent_given_at or utcnow()
    volunteer.max_commute_km = 40


def first_round() -> str:
    """Run a first SHARING round and have the three demo parties accept the demo employee's
    proposal, so the demo starts with an agreement to complete. Commits (a round does)."""
    sharing = db.session.scalars(
        select(Scheme).where(Scheme.name == "SHARING Lot-et-Garonne")
    ).one()
    round_ = rounds.run_round(sharing, trigger="command")
    proposal = db.session.scalar(
        select(Proposal)
        .join(Employee, Employee.id == Proposal.employee_id)
        .where(Proposal.round_id == round_.id, Employee.email == EMPLOYEE_EMAIL)
    )
    if proposal is None:
        return f"{round_.proposals_count} proposition(s)"
    users = {u.email: u for u in db.session.scalars(select(User))}
    for party, email in (
        (Party.EMPLOYEE, EMPLOYEE_EMAIL),
        (Party.HOST, HOST_EMAIL),
        (Party.LENDER, LENDER_EMAIL),
    ):
        proposals.decide(proposal, party, accept=True, actor=users[email])
    uow.commit()
    return f"{round_.proposals_count} proposition(s), dont une acceptée par les trois parties"
