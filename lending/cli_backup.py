"""`flask --app wsgi lending backup FILE` and `lending restore FILE`: the whole database to
one file and back (services/backup.py). Registered on the `lending` group of lending/cli.py
by lending.setup.register_cli.
"""

from pathlib import Path

import click
from flask import current_app

from lending.cli import lending_cli
from lending.extensions import db


@lending_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path):
    """Back up the whole database to FILE (SQLite: online copy; PostgreSQL: pg_dump -Fc)."""
    from lending.services import backup
    from lending.services.errors import ServiceError

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        size = backup.backup(url, path)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Sauvegarde de {backup.display_url(url)} écrite dans {path} ({size} octets).")


@lending_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Remplacer le contenu d'une base cible qui n'est pas vide."
)
@click.option(
    "--database-url",
    help="Base cible (par défaut DATABASE_URL, celle du site). Préférer DATABASE_URL pour "
    "un mot de passe : la ligne de commande est visible des autres utilisateurs.",
)
def restore_command(path: Path, force: bool, database_url: str | None):
    """Restore FILE (made by `lending backup`) into an empty database.

    Refuses a database holding data unless --force. Stop the site and the scheduler first.
    """
    from lending.services import backup
    from lending.services.errors import ServiceError

    own = current_app.config["SQLALCHEMY_DATABASE_URI"]
    url = database_url or own
    if url == own:
        # No transaction of this process may hold a lock that pg_restore --clean waits for.
        db.session.remove()
        db.engine.dispose()
    try:
        backup.restore(path, url, force=force)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"Sauvegarde {path} restaurée dans {backup.display_url(url)}. Si elle précède la "
        "version du code, lancer `flask --app wsgi db upgrade` avant de redémarrer le site."
    )
