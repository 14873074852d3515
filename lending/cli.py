"""`flask --app wsgi lending ...` commands; they call the same services as the site."""

import contextlib
import logging

import click
from flask.cli import AppGroup

from lending.bench.command import bench_dashboard
from lending.extensions import db

lending_cli = AppGroup("lending", help="Commandes de la plateforme de prêt de main-d'œuvre.")


def _log_to_stderr() -> None:
    """The long-running processes log what they do (journald keeps it under systemd)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line a minute


@lending_cli.command("load-reference")
def load_reference_command():
    """Load (or update) régions, départements, communes, postal codes, NAF codes and skills."""
    from lending.reference.loader import load_reference
    from lending.reference.skills_loader import load_skills

    counts = load_reference(db.session)
    counts |= load_skills(db.session)
    db.session.commit()
    for table, count in counts.items():
        click.echo(f"{table}: {count} ligne(s) ajoutée(s)")


@lending_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Ne rien faire si la base contient des comptes.")
@click.option(
    "--region-employees",
    default=3000,
    show_default=True,
    help="Salariés du dispositif régional (Passerelles).",
)
@click.option(
    "--region-needs",
    default=1200,
    show_default=True,
    help="Besoins du dispositif régional (Passerelles).",
)
def seed_demo_command(if_empty: bool, region_employees: int, region_needs: int):
    """Create the demo schemes, firms and one login per role."""
    from lending.reference.loader import load_reference, reference_is_loaded
    from lending.reference.skills_loader import load_skills
    from lending.services import demo

    if if_empty and not demo.database_is_empty():
        click.echo("La base contient déjà des comptes : données de démonstration non chargées.")
        return
    if not reference_is_loaded(db.session):
        load_reference(db.session)
        load_skills(db.session)
    logins = demo.seed(region_employees, region_needs)
    db.session.commit()
    click.echo(f"Premier tour SHARING : {demo.first_round()}.")
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


@lending_cli.command("import-rome")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def import_rome_command(paths: tuple[str, ...]):
    """Import the ROME 4.0 open-data CSV files (a folder, or the files) into the skills."""
    from lending.reference.rome import COUNT_LABELS, import_rome
    from lending.services.errors import ServiceError

    try:
        counts = import_rome(db.session, paths[0] if len(paths) == 1 else paths)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    for key, count in counts.items():
        click.echo(f"{COUNT_LABELS[key]} : {count}")


def _scheme_named(name: str):
    from sqlalchemy import select

    from lending.models import Scheme

    scheme = db.session.scalar(select(Scheme).where(Scheme.name == name))
    if scheme is None:
        names = ", ".join(db.session.scalars(select(Scheme.name).order_by(Scheme.name)))
        raise click.ClickException(f"Dispositif inconnu : {name!r}. Dispositifs : {names}")
    return scheme


@lending_cli.command("match")
@click.option("--scheme", "scheme_name", required=True, help="Nom exact du dispositif.")
@click.option("--dry-run", is_flag=True, help="Calculer et afficher, sans rien enregistrer.")
def match_command(scheme_name: str, dry_run: bool):
    """Run a matching round of a scheme now (the same service as the site's button)."""
    import json

    from lending.services import rounds
    from lending.services.errors import ServiceError

    scheme = _scheme_named(scheme_name)
    if dry_run:
        _snapshot, output = rounds.preview(scheme)
        stats = output.result.stats
        figures = {k: getattr(stats, k) for k in stats.__dataclass_fields__}
        figures["unmatched_reasons"] = _count(output.reasons.values())
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    try:
        round_ = rounds.run_round(scheme, trigger="command")
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    if round_.status.value != "done":
        raise click.ClickException(f"Tour {round_.id} échoué : {round_.error}")
    click.echo(
        f"Tour {round_.id} terminé : {round_.proposals_count} proposition(s), "
        f"{round_.employees} salarié(s), {round_.positions} poste(s), "
        f"{round_.seconds_total:.1f} s (lecture {round_.seconds_snapshot:.1f} s, "
        f"calcul {round_.seconds_engine:.1f} s, écriture {round_.seconds_write:.1f} s)"
    )


def _count(values) -> dict[str, int]:
    from collections import Counter

    return dict(sorted(Counter(values).items()))


@lending_cli.command(
    "bench", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.pass_context
def bench_command(ctx):
    """Matching engine benchmark (same options as python -m lending.matching.bench)."""
    from lending.matching.bench import main

    ctx.exit(main(list(ctx.args)))


lending_cli.add_command(bench_dashboard)


@lending_cli.command("scheduler")
def scheduler_command():
    """Run the scheduled jobs (matching rounds per scheme cron, proposal expiry). Run one."""
    from flask import current_app

    from lending.scheduler import build_scheduler

    _log_to_stderr()
    scheduler = build_scheduler(current_app._get_current_object())
    click.echo("Planificateur démarré (Ctrl+C pour arrêter).")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


@lending_cli.command("worker")
@click.option("--name", help="Nom du processus dans la file (par défaut : machine:pid).")
@click.option("--burst", is_flag=True, help="S'arrêter dès que la file est vide.")
def worker_command(name: str | None, burst: bool):
    """Carry out queued tasks (matching rounds, imports). Run one or several, anywhere."""
    from flask import current_app

    from lending.worker import default_name, run

    _log_to_stderr()
    name = name or default_name()
    click.echo(f"Processus de traitement {name} démarré (Ctrl+C pour arrêter).")
    count = run(current_app._get_current_object(), name=name, burst=burst)
    click.echo(f"Processus de traitement {name} arrêté : {count} tâche(s) traitée(s).")


@lending_cli.command("jobs")
def jobs_command():
    """List the scheduled jobs: one line per job, its id and its next run time (ISO 8601)."""
    from datetime import UTC, datetime

    from flask import current_app

    from lending.scheduler import next_run_times

    for job_id, when in next_run_times(current_app._get_current_object(), datetime.now(UTC)):
        click.echo(f"{job_id} {when.isoformat(timespec='seconds')}")


@lending_cli.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify_command(path: str):
    """Say whether a PDF is a document signed on the platform (compares its SHA-256)."""
    from pathlib import Path

    from lending.documents.render import sha256_hex
    from lending.services.deals.signing import find_document_by_hash

    digest = sha256_hex(Path(path).read_bytes())
    document = find_document_by_hash(digest)
    if document is None:
        raise click.ClickException(f"Document inconnu ou modifié (SHA-256 {digest}).")
    if document.signed_sha256 == digest:
        click.echo(
            f"Authentique : {document.kind.value} version {document.version} de l'accord "
            f"{document.agreement_id}, signé par toutes les parties "
            f"(dernière signature {document.completed_at:%Y-%m-%d %H:%M:%S} UTC)."
        )
    else:
        click.echo(
            f"Document figé (non signé) : {document.kind.value} version {document.version} "
            f"de l'accord {document.agreement_id}."
        )


@lending_cli.command("sample-documents")
@click.argument("outdir", type=click.Path(file_okay=False))
def sample_documents_command(outdir: str):
    """Write sample PDFs of every document, under cost_price and l8241_3, into OUTDIR
    (built in a temporary database of their own: the site's database is not touched)."""
    from pathlib import Path

    from lending.documents.samples import write_samples

    for path in write_samples(Path(outdir)):
        click.echo(str(path))
