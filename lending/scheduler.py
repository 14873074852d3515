"""The scheduler process: one cron job per scheme, kept in step with the schemes' settings,
and the platform's own jobs. Each run gets its own app context and database session.

Every job is timed by a five-field cron expression read by lending.services.schedules
(croniter, standard meaning: 1 is Monday, 0 and 7 are Sunday), the same parser that
validates the scheme form; APScheduler only runs them. A scheme whose stored expression
cannot be read is logged and left out: the other jobs run.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from flask import Flask

from lending import jobs
from lending.extensions import db
from lending.services import schedules

log = logging.getLogger(__name__)

# The platform's own jobs: id, cron expression, function (called with no argument).
PLATFORM_JOBS: tuple[tuple[str, str, Callable], ...] = (
    ("expire-proposals", f"*/{jobs.EXPIRY_EVERY_MINUTES} * * * *", jobs.expire_proposals),
    ("advance-loans", "30 0 * * *", jobs.advance_loans),
    ("issue-statements", "0 2 1 * *", jobs.issue_statements),
    ("purge-signups", "45 3 * * *", jobs.purge_signups),
    ("reap-tasks", "* * * * *", jobs.reap_tasks),
)
SYNC_CRON = f"*/{jobs.SYNC_EVERY_MINUTES} * * * *"


class CronTrigger(BaseTrigger):
    """An APScheduler trigger reading its expression with schedules.next_runs."""

    def __init__(self, expression: str):
        schedules.next_runs(expression, datetime.now().astimezone())  # InvalidScheduleError early
        self.expression = expression

    def get_next_fire_time(self, previous_fire_time, now):
        after = previous_fire_time or now
        try:
            return schedules.next_runs(self.expression, after)[0]
        except schedules.InvalidScheduleError:
            return None  # never again: APScheduler drops the job

    def __str__(self) -> str:
        return f"cron[{self.expression}]"


def _in_context(app: Flask, function, *args):
    def run():
        with app.app_context():
            try:
                function(*args)
            finally:
                db.session.remove()

    return run


def scheme_triggers(app: Flask) -> dict[str, CronTrigger]:
    """`round:<scheme id>` → trigger, for every scheme whose schedule can be read."""
    with app.app_context():
        crons = jobs.scheme_crons()
        db.session.remove()
    triggers = {}
    for scheme_id, cron in crons.items():
        try:
            triggers[f"round:{scheme_id}"] = CronTrigger(cron)
        except schedules.InvalidScheduleError:
            log.error(
                "scheme %s: schedule %r cannot be read; its rounds are not scheduled",
                scheme_id,
                cron,
            )
    return triggers


def sync_schemes(app: Flask, scheduler) -> None:
    """Add, change or drop the per-scheme round jobs to match the schemes' crons."""
    wanted = scheme_triggers(app)
    for job in scheduler.get_jobs():
        if job.id.startswith("round:") and job.id not in wanted:
            job.remove()
    for job_id, trigger in wanted.items():
        current = scheduler.get_job(job_id)
        if current is not None and str(current.trigger) == str(trigger):
            continue  # unchanged: keep its next run time
        scheme_id = int(job_id.split(":")[1])
        scheduler.add_job(
            _in_context(app, jobs.scheduled_round, scheme_id),
            trigger,
            id=job_id,
            name=f"{job_id} ({trigger.expression})",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )


def all_triggers(app: Flask) -> dict[str, CronTrigger]:
    """Every scheduled job's id and trigger: the platform's jobs, then the schemes' rounds."""
    triggers = {job_id: CronTrigger(cron) for job_id, cron, _function in PLATFORM_JOBS}
    return triggers | scheme_triggers(app)


def next_run_times(app: Flask, now: datetime) -> list[tuple[str, datetime]]:
    """(job id, next run time) of every scheduled job, as `flask lending jobs` prints them."""
    return [
        (job_id, trigger.get_next_fire_time(None, now))
        for job_id, trigger in all_triggers(app).items()
    ]


def build_scheduler(app: Flask) -> BlockingScheduler:
    # A job that starts late (a busy machine) still runs, once, up to 10 minutes after time.
    scheduler = BlockingScheduler(
        timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        job_defaults={"misfire_grace_time": 600, "coalesce": True},
    )
    for job_id, cron, function in PLATFORM_JOBS:
        scheduler.add_job(
            _in_context(app, function), CronTrigger(cron), id=job_id, name=f"{job_id} ({cron})"
        )
    sync_schemes(app, scheduler)
    scheduler.add_job(
        sync_schemes,
        CronTrigger(SYNC_CRON),
        args=(app, scheduler),
        id="sync-schemes",
        name="sync-schemes",
    )
    return scheduler
