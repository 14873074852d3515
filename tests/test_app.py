"""Application-wide behaviour: error pages, migrations, CLI, demo data, language."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from lending import create_app
from lending.extensions import db
from lending.models import Employee, Enrolment, EnrolmentStatus, Firm, Need, Role, Scheme, User
from lending.services import demo
from tests.services.agreement_helpers import pdfs_as_placeholders


def test_500_page_shows_an_incident_id_and_no_trace(app, caplog):
    other = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PROPAGATE_EXCEPTIONS=False,
    )

    @other.get("/boom")
    def boom():
        raise RuntimeError("secret detail of the failure")

    response = other.test_client().get("/boom")
    html = response.get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    assert "Erreur interne" in html
    assert "secret detail" not in html
    assert "Traceback" not in html
    incident = html.split('class="incident">')[1].split("<")[0]
    assert len(incident) == 12
    assert incident in caplog.text


def test_404_page_is_french(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_english_is_available(client):
    client.post_form("/langue", {"lang": "en", "next": "/connexion"})
    html = client.get("/connexion").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html
    client.post_form("/langue", {"lang": "fr"})
    assert "Se connecter" in client.get("/connexion").get_data(as_text=True)


def test_migrations_build_the_schema_of_the_models(empty_database_url):
    fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with fresh.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        db.engine.dispose()
    assert diff == []


def test_seed_demo_builds_both_schemes_and_prints_logins(app):
    # the demo's past signs agreements: their PDFs are not what this test reads
    with pdfs_as_placeholders():
        result = app.test_cli_runner().invoke(args=["lending", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.pret-main-oeuvre.fr" in result.output
    sharing = db.session.scalar(select(Scheme).where(Scheme.name.like("SHARING%")))
    passerelles = db.session.scalar(select(Scheme).where(Scheme.name.like("Passerelles%")))
    assert sharing.departement_codes == {"47"}
    assert len(passerelles.departement_codes) == 13
    sharing_firms = db.session.scalars(
        select(Firm).join(Enrolment).where(Enrolment.scheme_id == sharing.id)
    ).all()
    assert 18 <= len(sharing_firms) <= 25
    assert {f.departement_code for f in sharing_firms} == {"47"}
    assert {f.naf.division for f in sharing_firms} >= {"30", "10", "25"}
    approved = db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.status == EnrolmentStatus.APPROVED)
    )
    assert approved > 0
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    sharing_ids = [f.id for f in sharing_firms]
    sharing_staff = db.session.scalar(
        select(func.count()).select_from(Employee).where(Employee.firm_id.in_(sharing_ids))
    )
    assert 40 <= sharing_staff <= 60
    total = db.session.scalar(select(func.count()).select_from(Employee))
    assert total - sharing_staff >= 2000
    positions = db.session.scalar(select(func.sum(Need.positions)))
    assert positions >= 2000
    volunteers = db.session.scalars(select(Employee).where(Employee.consent_given_at.is_not(None)))
    assert sum(1 for e in volunteers if e.is_matchable) > 1500
    # a first SHARING round ran and the demo employee's proposal is accepted by all three
    assert "dont une acceptée par les trois parties" in result.output
    from lending.models import Agreement

    agreement = db.session.scalar(
        select(Agreement).join(Employee).where(Employee.email == demo.EMPLOYEE_EMAIL)
    )
    assert agreement is not None
    assert agreement.host_name == "Pruneaux d'Agen Coopérative"
    again = app.test_cli_runner().invoke(args=["lending", "seed-demo", "--if-empty"])
    assert "déjà" in again.output
    assert db.session.scalar(select(func.count()).select_from(Scheme)) == 2


def test_demo_logins_work(app, client):
    with pdfs_as_placeholders():
        app.test_cli_runner().invoke(
            args=["lending", "seed-demo", "--region-employees", "50", "--region-needs", "20"]
        )
    response = client.post_form(
        "/connexion",
        {
            "email": "operateur.sharing@demo.pret-main-oeuvre.fr",
            "password": "demo-pret-main-oeuvre",
        },
        follow_redirects=True,
    )
    assert "SHARING Lot-et-Garonne" in response.get_data(as_text=True)


def test_bench_command_prints_one_json_line(app):
    import json

    result = app.test_cli_runner().invoke(
        args=["lending", "bench", "--employees", "300", "--needs", "120", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[-1])
    assert line["employees"] == 300
    assert line["matched"] > 0


def test_passwords_are_hashed_with_the_strong_argon2_outside_the_tests():
    from config import ProductionConfig
    from lending.services import passwords

    assert ProductionConfig.ARGON2_PROFILE == "RFC_9106_LOW_MEMORY"
    app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        hashed = passwords.hash_password("des pruneaux pour tout le monde")
        assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert passwords.verify_password(hashed, "des pruneaux pour tout le monde")
