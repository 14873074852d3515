"""The demo data stay what they are: a fingerprint of a small seed (counts per table and a
few rows the seeded random draws decide). A change here means the demo changed: if that is
meant, update EXPECTED."""

from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Employee, Firm, Need, User
from lending.services import demo

EXPECTED = {
    "counts": {
        "audit_event": 2,
        "consent_event": 98,
        "employee": 110,
        "employee_skill": 507,
        "enrolment": 60,
        "firm": 60,
        "need": 41,
        "need_skill": 119,
        "scheme": 2,
        "scheme_departement": 14,
        "scheme_staff": 4,
        "user_account": 65,
    },
    "firms": [
        ("42487243005450", "Aéro Garonne Composites", "30.30Z", "47069", "47450"),
        ("43934875615915", "Forges de Fumel", "25.50B", "47106", "47500"),
        ("74954137151162", "Tomates et Primeurs de Marmande", "10.39A", "47323", "47300"),
        ("19911363028702", "Composites Nîmes 2", "30.30Z", "30189", "30000"),
        ("66055470057964", "Ateliers Tarbes 9", "33.12Z", "65440", "65000"),
        ("85188600231022", "Composites Albi 16", "30.30Z", "81004", "81000"),
        ("88226603409265", "Ateliers Toulouse 23", "22.29A", "31555", "31000"),
        ("67176330838432", "Mécanique Saint-Georges-d'Orques 30", "27.12Z", "34259", "34680"),
        ("19769200791795", "Composites Saint-Orens-de-Gameville 37", "28.29B", "31506", "31650"),
    ],
    "hr": [
        "rh.07658@demo.pret-main-oeuvre.fr",
        "rh.24457@demo.pret-main-oeuvre.fr",
        "rh.36204@demo.pret-main-oeuvre.fr",
        "rh.51162@demo.pret-main-oeuvre.fr",
        "rh.69273@demo.pret-main-oeuvre.fr",
        "rh.86561@demo.pret-main-oeuvre.fr",
        "rh.92648@demo.pret-main-oeuvre.fr",
    ],
    "employee": ("Émile", "Ajusteur-monteur aéronautique", "47069", "2027-01-25", "42487243005450"),
    "salaries": 38065000,
    "positions": 84,
    "need_sites": ["09277", "32429", "47157"],
}

REFERENCE_TABLES = {
    "commune",
    "postal_code",
    "departement",
    "region",
    "naf_code",
    "naf_section",
    "skill",
    "skill_family",
    "job_title",
    "job_title_skill",
}


def _fingerprint() -> dict:
    counts = {}
    for table in db.metadata.sorted_tables:
        count = db.session.scalar(select(func.count()).select_from(table))
        if count and table.name not in REFERENCE_TABLES:
            counts[table.name] = count
    firms = db.session.scalars(select(Firm).order_by(Firm.id)).all()
    employee = db.session.scalar(select(Employee).where(Employee.email == demo.EMPLOYEE_EMAIL))
    return {
        "counts": counts,
        "firms": [
            (f.siret, f.name, f.naf_code, f.commune_insee, f.postal_code) for f in firms[::7]
        ],
        "hr": sorted(db.session.scalars(select(User.email).where(User.firm_id.is_not(None))))[::9],
        "employee": (
            employee.first_name,
            employee.job_title,
            employee.commune_insee,
            employee.available_from.isoformat(),
            employee.firm.siret,
        ),
        "salaries": db.session.scalar(select(func.sum(Employee.gross_salary_cents))),
        "positions": db.session.scalar(select(func.sum(Need.positions))),
        "need_sites": sorted(db.session.scalars(select(Need.commune_insee)))[::15],
    }


def test_seed_gives_the_same_demo(app):
    logins = demo.seed(region_employees=60, region_needs=25)
    assert [email for _, email in logins][-1] == demo.EMPLOYEE_EMAIL
    assert _fingerprint() == EXPECTED
