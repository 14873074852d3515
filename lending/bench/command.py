"""`flask --app wsgi lending bench-dashboard`: fill a database of its own, time the pages."""

import resource
import time

import click


@click.command("bench-dashboard")
@click.option(
    "--firms", default=10_000, show_default=True, type=click.IntRange(min=10),
    help="Entreprises inscrites (prêteuses, utilisatrices ou les deux).",
)  # fmt: skip
@click.option(
    "--employees", default=200_000, show_default=True, type=click.IntRange(min=20),
    help="Salariés déclarés (besoins : un pour vingt salariés).",
)  # fmt: skip
@click.option(
    "--months", default=24, show_default=True, type=click.IntRange(1, 120),
    help="Mois d'historique (tours, propositions, prêts) jusqu'à aujourd'hui.",
)  # fmt: skip
@click.option(
    "--database-url",
    help="Base à remplir, neuve (sans entreprise). Par défaut : un fichier SQLite temporaire.",
)
@click.option(
    "--requests", default=5, show_default=True, type=click.IntRange(1, 100),
    help="Requêtes mesurées par page (après une requête de mise en route).",
)  # fmt: skip
@click.option("--seed", default=2027, show_default=True, help="Graine du tirage.")
@click.option("--keep", is_flag=True, help="Garder le fichier SQLite temporaire.")
def bench_dashboard(firms, employees, months, database_url, requests, seed, keep):
    """Time the dashboard and desk pages on a Passerelles-sized scheme (a database of its own)."""
    from lending.bench.people import STAFF_DOMAIN
    from lending.bench.target import (
        UnusableDatabaseError,
        bench_app,
        build_schema,
        refuse_unless_empty,
        target_database,
    )
    from lending.bench.timing import logged_in_client, time_pages, worst_line
    from lending.bench.writer import BENCH_PASSWORD, fill
    from lending.extensions import db
    from lending.models._time import local_date, utcnow

    with target_database(database_url, keep) as target:
        try:
            refuse_unless_empty(target.url)
        except UnusableDatabaseError as error:
            raise click.ClickException(str(error)) from None
        app = bench_app(target.url)
        try:
            with app.app_context():
                started = time.perf_counter()
                build_schema()
                click.echo(f"Schéma (migrations) et référentiels : {_since(started)}")
                started, now = time.perf_counter(), utcnow()
                filled = fill(firms, employees, months, seed, now)
                click.echo(f"Remplissage : {_since(started)}")
                click.echo(" ; ".join(f"{k} {v:.1f} s" for k, v in filled.seconds.items()))
                click.echo(" ; ".join(f"{label} {n}" for label, n in filled.counts.items()))
                db.session.remove()
                # The pages are timed as a server started on the filled database finds it:
                # new connections (lending.extensions keeps SQLite's statistics from there).
                db.engine.dispose()
            people = filled.people
            clients = {
                "monitor": logged_in_client(app, people.monitor_id),
                "operator": logged_in_client(app, people.operator_id),
            }
            timings = time_pages(clients, people.scheme_id, local_date(now), requests)
        finally:
            with app.app_context():
                db.engine.dispose()
        if keep or not target.folder:
            click.echo(f"Base conservée : {target.url}")
            click.echo(
                f"Comptes : operateur@, suivi@, admin@{STAFF_DOMAIN} ; mot de passe "
                f"{BENCH_PASSWORD}"
            )
        click.echo(f"Mémoire (pic, RSS) : {_peak_rss_mib()} Mio")
        for timing in timings:
            click.echo(timing.line())
        missing = [f"{t.page.name} ({t.status})" for t in timings if not t.answered]
        if missing:
            click.echo("Pages sans réponse valable : " + ", ".join(missing))
        click.echo(worst_line(timings))


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def _peak_rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
