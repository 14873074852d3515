"""`flask --app wsgi lending ...` commands; they call the same services as the site."""

import click
from flask.cli import AppGroup

from lending.extensions import db

lending_cli = AppGroup("lending", help="Commandes de la plateforme de prêt de main-d'œuvre.")


@lending_cli.command("load-reference")
def load_reference_command():
    """Load (or update) régions, départements, communes, postal codes and NAF codes."""
    from lending.reference.loader import load_reference

    counts = load_reference(db.session)
    db.session.commit()
    for table, count in counts.items():
        click.echo(f"{table}: {count} ligne(s) ajoutée(s)")


@lending_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Ne rien faire si la base contient des comptes.")
def seed_demo_command(if_empty: bool):
    """Create the demo schemes, firms and one login per role."""
    from lending.reference.loader import load_reference, reference_is_loaded
    from lending.services import demo

    if if_empty and not demo.database_is_empty():
        click.echo("La base contient déjà des comptes : données de démonstration non chargées.")
        return
    if not reference_is_loaded(db.session):
        load_reference(db.session)
    logins = demo.seed()
    db.session.commit()
    click.echo(
        f"Données de démonstration créées. Comptes (mot de passe commun : {demo.DEMO_PASSWORD}) :"
    )
    for role, email in logins:
        click.echo(f"  {role:<40} {email}")


@lending_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.password_option()
def create_admin_command(email: str, full_name: str, password: str):
    """Create a platform administrator."""
    from lending.services import accounts, uow
    from lending.services.errors import ServiceError

    try:
        accounts.create_admin(email=email, full_name=full_name, password=password)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    uow.commit()
    click.echo("Administrateur créé.")
