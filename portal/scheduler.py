"""Periodic jobs without cron. The background worker (`manage.py run_worker`) runs a scheduler thread next to
the django-tasks loop; every TICK seconds it runs the jobs that are due: sending the outbox's e-mails that are due
(again), reminders to council members and to producers, the staff's daily digest of submitted dossiers, resuming
bulk certificate exports and report files whose worker died, purging expired ones, pruning old task rows.

Each job has a period — every N seconds, or daily at a local time — and a row (`ScheduledJob`) with the start
of the last period it ran for. A worker runs a job only after moving that start forward in one conditional
UPDATE (`… WHERE name = %s AND (period_start IS NULL OR period_start < %s)`): the database lets one worker
through per period, on PostgreSQL (the first UPDATE locks the row; a second one re-reads it once the first
commits and finds nothing to change) and on SQLite (writes are serialised) alike. A daily job whose time passed
while no worker ran is run once by the first worker that starts during that day, never twice; a job that fails
waits for its next period (its error is kept on the row and logged).

Libraries considered (December 2026): django-tasks has no scheduler; django-tasks-scheduler and the django-rq
schedulers need Redis; django-crontask needs Python 3.12; django-apscheduler runs every job in each process that
starts it (its documentation asks for a single scheduler process); django-celery-beat needs Celery. None runs a
job once per period across several workers on our database queue, hence these hundred lines."""

import dataclasses
import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence

from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.core.access import Rule, register
from portal.core.messaging.mail import mail_deliver_due
from portal.models import ScheduledJob

logger = logging.getLogger(__name__)
register(ScheduledJob, Rule(superuser_only=True))

TICK = 5.0  # seconds between two looks at the schedule
TASK_RESULTS_KEPT = datetime.timedelta(days=7)


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime.datetime], object]  # given the tick's time; returns what to record (a count)
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None  # local time (TIME_ZONE)

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period `now` falls in: the last multiple of `every` since the epoch, or the last
        `daily_at` that has passed."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return datetime.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=datetime.UTC)
        local = timezone.localtime(now)
        start = datetime.datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo)
        return start if start <= local else start - datetime.timedelta(days=1)

    def describe(self) -> str:
        if self.every is None:
            return f"daily at {self.daily_at:%H:%M}"
        seconds = int(self.every.total_seconds())
        for unit, size in (("h", 3600), ("min", 60)):
            if seconds % size == 0:
                return f"every {seconds // size} {unit}"
        return f"every {seconds} s"


def _awards():
    from awards import services  # when a job runs, not when the portal app loads (this module registers a rule)

    return services


def _resume_exports(now) -> int:
    from portal.reports import jobs

    return _awards().certificate_exports_resume(now) + jobs.report_jobs_resume(now)


def _purge_exports(now) -> int:
    from portal.reports import jobs

    return _awards().certificate_exports_purge(now) + jobs.report_jobs_purge(now)


def _prune_task_results(now) -> int:
    """Finished task rows older than a week (django-tasks-db keeps every row; nothing reads old ones)."""
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    old = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=now - TASK_RESULTS_KEPT)
    return old.delete()[0]


def _dashboard_tallies(now) -> int:
    from portal.dashboards.tallies import refresh_tallies

    return refresh_tallies(now)


def _submission_digest(now) -> int:
    """The day of the digest ends at its job's time today (or yesterday): a late worker still covers it whole."""
    return _awards().submission_digest_send(until=SUBMISSION_DIGEST.period_start(now))


SUBMISSION_DIGEST = Job("submission_digest", _submission_digest, daily_at=datetime.time(7, 0))

JOBS: Sequence[Job] = (
    # The worker's watchdog: a bulk export without a heartbeat for 15 s is queued again (at start, then often).
    # Both cover the report files built in the background too (portal/reports/jobs.py).
    Job("resume_exports", _resume_exports, every=datetime.timedelta(seconds=5)),
    Job("purge_exports", _purge_exports, every=datetime.timedelta(hours=1)),
    Job(
        "remind_scorers",
        lambda now: _awards().scoring_reminders_send(today=timezone.localdate(now), days_before=3),
        daily_at=datetime.time(7, 0),
    ),
    Job(
        "remind_ocop_expiry",
        lambda now: _awards().ocop_expiry_reminders_send(today=timezone.localdate(now), days=90),
        daily_at=datetime.time(7, 0),
    ),
    Job("prune_task_results", _prune_task_results, daily_at=datetime.time(2, 30)),
    # The outbox: e-mails whose task was lost or whose last attempt failed (the mail server down) and are due.
    Job("send_mail", mail_deliver_due, every=datetime.timedelta(seconds=30)),
    # The dashboards' maintained figures, recounted in one transaction (portal/dashboards/tallies.py).
    Job("dashboard_tallies", _dashboard_tallies, every=datetime.timedelta(minutes=1)),
    SUBMISSION_DIGEST,
)


def _claim(job: Job, now: datetime.datetime, worker: str) -> bool:
    """Move the job's period forward to now's period; True for the one worker whose UPDATE did it."""
    start = job.period_start(now)
    due = ScheduledJob.objects.filter(name=job.name).filter(Q(period_start__isnull=True) | Q(period_start__lt=start))
    fields = {"period_start": start, "started_at": timezone.now(), "worker": worker[:100]}
    if due.update(**fields):
        return True
    if ScheduledJob.objects.filter(name=job.name).exists():
        return False
    ScheduledJob.objects.bulk_create([ScheduledJob(name=job.name)], ignore_conflicts=True)  # its first run
    return bool(due.update(**fields))


def _run(job: Job, now: datetime.datetime) -> None:
    row = ScheduledJob.objects.filter(name=job.name)
    try:
        result = job.run(now)
    except Exception as exc:
        logger.exception("Scheduled job %s failed", job.name)
        row.update(finished_at=timezone.now(), result="", error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    row.update(finished_at=timezone.now(), result=str(result)[:255], error="")
    if result:
        logger.info("Scheduled job %s: %s", job.name, result)


def run_due(now: datetime.datetime | None = None, *, jobs: Sequence[Job] = JOBS, worker: str = "") -> list[str]:
    """One tick: run every job due at `now` that no worker has run for its period yet; the names run here."""
    now = now or timezone.now()
    worker = worker or worker_name()
    ran = []
    for job in jobs:
        if _claim(job, now, worker):
            _run(job, now)
            ran.append(job.name)
    return ran


def worker_name(worker_id: str = "") -> str:
    return f"{socket.gethostname()}:{os.getpid()}" + (f":{worker_id[:16]}" if worker_id else "")


class SchedulerThread(threading.Thread):
    """Ticks until the process ends (a daemon thread: it never keeps a stopping worker alive)."""

    def __init__(self, worker: str, tick: float = TICK):
        super().__init__(name="scheduler", daemon=True)
        self.worker, self.tick, self.stopped = worker, tick, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                run_due(worker=self.worker)
            except Exception:  # a lost database connection, a locked SQLite file: try again next tick
                logger.exception("Scheduler tick failed")
            finally:
                close_old_connections()
            self.stopped.wait(self.tick)
        connection.close()
