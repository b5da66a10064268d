"""`manage.py run_worker`: the background worker. django-tasks-db's `db_worker` (same options: it takes the
queued tasks, e.g. bulk certificate exports) plus the scheduler of portal/scheduler.py in a thread of the same
process: the periodic jobs (reminders, resuming and purging exports, pruning old task rows) with no cron, each
run once per period however many workers run. `--batch` looks at the schedule once, then empties the queue and
exits; `--jobs` lists the periodic jobs and when each last ran."""

import os

from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from portal import scheduler
from portal.models import ScheduledJob


class Command(db_worker.Command):
    help = "Run the background worker: the queued tasks and the periodic jobs (reminders, exports, pruning)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--jobs", action="store_true", help="List the periodic jobs and their last runs, then exit."
        )

    def handle(self, *args, **options) -> None:
        if options["jobs"]:
            self._list_jobs()
            return
        name = scheduler.worker_name(options["worker_id"])
        if options["batch"]:
            scheduler.run_due(worker=name)
        elif not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # In the process that runs the tasks: with --reload, the reloader's child, not the watching parent.
            scheduler.SchedulerThread(worker=name).start()
        super().handle(*args, **options)

    def _list_jobs(self) -> None:
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        for job in scheduler.JOBS:
            row = rows.get(job.name)
            last = "never"
            if row is not None and row.started_at:
                last = f"{timezone.localtime(row.started_at):%d/%m/%Y %H:%M:%S} on {row.worker}"
                last += f" → {row.error}" if row.error else f" → {row.result or '-'}"
            self.stdout.write(f"{job.name:<20} {job.describe():<16} last run: {last}")
