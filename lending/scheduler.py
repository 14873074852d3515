"""The APScheduler process: one cron job per scheme, kept in step with the schemes' settings,
and the proposal expiry. Each run gets its own app context and database session."""

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from lending import jobs
from lending.extensions import db


def _in_context(app: Flask, function, *args):
    def run():
        with app.app_context():
            try:
                function(*args)
            finally:
                db.session.remove()

    return run


def sync_schemes(app: Flask, scheduler) -> None:
    """Add, change or drop the per-scheme round jobs to match the schemes' crons."""
    timezone = app.config["BABEL_DEFAULT_TIMEZONE"]
    with app.app_context():
        crons = jobs.scheme_crons()
        db.session.remove()
    wanted = {f"round:{scheme_id}": cron for scheme_id, cron in crons.items()}
    for job in scheduler.get_jobs():
        if job.id.startswith("round:") and job.id not in wanted:
            job.remove()
    for job_id, cron in wanted.items():
        scheme_id = int(job_id.split(":")[1])
        scheduler.add_job(
            _in_context(app, jobs.scheduled_round, scheme_id),
            CronTrigger.from_crontab(cron, timezone=timezone),
            id=job_id,
            name=f"{job_id} ({cron})",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=app.config["BABEL_DEFAULT_TIMEZONE"])
    sync_schemes(app, scheduler)
    scheduler.add_job(
        _in_context(app, jobs.expire_proposals),
        "interval",
        minutes=jobs.EXPIRY_EVERY_MINUTES,
        id="expire-proposals",
        coalesce=True,
    )
    scheduler.add_job(
        _in_context(app, jobs.advance_loans), "cron", hour=0, minute=30, id="advance-loans",
        coalesce=True,
    )  # fmt: skip
    scheduler.add_job(
        _in_context(app, jobs.issue_statements), "cron", day=1, hour=2, id="issue-statements",
        coalesce=True,
    )  # fmt: skip
    scheduler.add_job(
        sync_schemes, "interval", args=(app, scheduler), minutes=jobs.SYNC_EVERY_MINUTES,
        id="sync-schemes", coalesce=True,
    )  # fmt: skip
    return scheduler
