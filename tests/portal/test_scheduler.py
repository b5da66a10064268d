"""The worker's scheduler (portal/scheduler.py, run by `manage.py run_worker`): a job runs once per period
however many ticks or workers look at it, a job that is due runs, a failing job keeps its error and the others
still run; the portal's schedule resumes stalled exports, purges expired ones, reminds and prunes."""

import datetime
import io
import threading
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from awards import services as awards_services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from portal import scheduler
from portal.models import ScheduledJob
from tests.awards.certificate_helpers import ISSUE_DATE, published_decision  # noqa: F401 (fixture)
from tests.awards.conftest import make_round  # noqa: F401 (fixture)

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def counting(name, ran, **period):
    """A job that records each run (the tick's time) and returns how many runs so far."""

    def run(now):
        ran.append(now)
        return len(ran)

    return scheduler.Job(name, run, **period)


def test_two_ticks_in_one_period_run_the_job_once(db):
    ran = []
    job = counting("dem", ran, every=datetime.timedelta(minutes=1))
    start = datetime.datetime(2027, 3, 10, 1, 0, 0, tzinfo=datetime.UTC)
    assert scheduler.run_due(start, jobs=[job], worker="may-a") == ["dem"]
    assert scheduler.run_due(start + datetime.timedelta(seconds=30), jobs=[job], worker="may-b") == []
    assert scheduler.run_due(start + datetime.timedelta(seconds=59), jobs=[job], worker="may-a") == []
    assert len(ran) == 1
    row = ScheduledJob.objects.get(name="dem")
    assert (row.period_start, row.worker, row.result, row.error) == (start, "may-a", "1", "")
    assert scheduler.run_due(start + datetime.timedelta(seconds=60), jobs=[job], worker="may-b") == ["dem"]
    assert len(ran) == 2
    assert ScheduledJob.objects.get(name="dem").worker == "may-b"


def test_a_daily_job_runs_from_its_time_once_a_day_and_catches_up_once(db):
    ran = []
    job = counting("nhac-viec", ran, daily_at=datetime.time(7, 0))

    def tick(day, hour, minute=0):
        return scheduler.run_due(datetime.datetime(2027, 3, day, hour, minute, tzinfo=HCM), jobs=[job])

    assert tick(10, 6, 30) == ["nhac-viec"]  # never ran: yesterday's 07:00 is due
    assert tick(10, 6, 59) == []
    assert tick(10, 7, 0) == ["nhac-viec"]
    assert tick(10, 18) == []
    # No worker ran on 11 March; the first one starting on 12 March runs it once, not twice.
    assert tick(12, 10) == ["nhac-viec"]
    assert tick(12, 10, 1) == []
    assert len(ran) == 3
    assert ScheduledJob.objects.get(name="nhac-viec").period_start == datetime.datetime(2027, 3, 12, 7, tzinfo=HCM)


def test_a_failing_job_keeps_its_error_and_the_others_still_run(db):
    ran = []

    def broken(now):
        raise RuntimeError("Máy chủ thư không trả lời")

    jobs = [
        scheduler.Job("hong", broken, every=datetime.timedelta(hours=1)),
        counting("dem", ran, every=datetime.timedelta(hours=1)),
    ]
    now = timezone.now()
    assert scheduler.run_due(now, jobs=jobs) == ["hong", "dem"]
    assert ScheduledJob.objects.get(name="hong").error == "RuntimeError: Máy chủ thư không trả lời"
    assert len(ran) == 1
    assert scheduler.run_due(now, jobs=jobs) == []  # it waits for its next period


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_ticking_at_the_same_moment_run_a_job_once(shared_database):
    """Six workers, each on its own database connection, look at the schedule at the same instant."""
    ran, lock = [], threading.Lock()

    def run(now):
        with lock:
            ran.append(now)

    job = scheduler.Job("mot-lan", run, every=datetime.timedelta(hours=1))
    now = timezone.now()
    barrier = threading.Barrier(6)
    results, errors = {}, []

    def worker(number):
        try:
            barrier.wait(timeout=20)
            results[number] = scheduler.run_due(now, jobs=[job], worker=f"may-{number}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(ran) == 1
    assert sorted(results.values()) == [[]] * 5 + [["mot-lan"]]
    (winner,) = (n for n, names in results.items() if names)
    assert ScheduledJob.objects.get(name="mot-lan").worker == f"may-{winner}"


# -- the portal's schedule ------------------------------------------------------------------------------------
def test_due_jobs_of_the_portal_resume_purge_remind_and_prune(published_decision, staff_user, mailoutbox):  # noqa: F811
    decision = published_decision()
    certificates = awards_services.certificates_issue_for_decision(
        decision=decision, actor=staff_user, issued_on=ISSUE_DATE
    )
    selection = Certificate.objects.filter(pk__in=[c.pk for c in certificates])
    stalled = awards_services.certificate_export_create(
        actor=staff_user, certificates=selection, title="Dừng giữa chừng"
    )
    CertificateExport.objects.filter(pk=stalled.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(seconds=20)
    )
    expired = awards_services.certificate_export_create(actor=staff_user, certificates=selection, title="Hết hạn")
    CertificateExport.objects.filter(pk=expired.pk).update(
        status=ExportStatus.DONE, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=8), now - datetime.timedelta(days=2)
    for finished_at in (old, recent):
        DBTaskResult.objects.create(
            status="SUCCESSFUL",
            args_kwargs={"args": [0], "kwargs": {}},
            task_path="awards.tasks.build_certificate_export",
            backend_name="default",
            run_after=finished_at,
            finished_at=finished_at,
        )

    ran = scheduler.run_due()

    assert ran == [
        "resume_exports",
        "purge_exports",
        "remind_scorers",
        "remind_ocop_expiry",
        "prune_task_results",
        "send_mail",
        "dashboard_tallies",
        "submission_digest",
    ]
    stalled.refresh_from_db()
    assert stalled.status == ExportStatus.DONE  # queued again (the test backend runs it at once) and finished
    # …and its creator is told in the portal.
    assert list(staff_user.notifications.filter(kind="export").values_list("text", "link")) == [
        (
            f"Tệp xuất giấy chứng nhận “Dừng giữa chừng” đã sẵn sàng để tải về ({len(certificates)} giấy chứng nhận).",
            f"/staff/certificates/exports/{stalled.pk}/",
        )
    ]
    assert not CertificateExport.objects.filter(pk=expired.pk).exists()
    assert list(DBTaskResult.objects.values_list("finished_at", flat=True)) == [recent]
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    assert (rows["resume_exports"].result, rows["purge_exports"].result, rows["prune_task_results"].result) == (
        "1",
        "1",
        "1",
    )
    assert all(row.error == "" for row in rows.values())
    # A moment later nothing is due again but the watchdog, whose next period has begun (and the outbox's job and
    # the dashboards' recount when those 6 s crossed one of their 30-second or one-minute periods).
    moment = now + datetime.timedelta(seconds=6)
    crossed = [
        job.name
        for job in scheduler.JOBS
        if job.name in ("send_mail", "dashboard_tallies") and job.period_start(moment) > rows[job.name].period_start
    ]
    later = scheduler.run_due(moment)
    assert later == ["resume_exports", *crossed]


def test_run_worker_lists_the_jobs_and_when_each_last_ran(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # what the worker serves
    scheduler.run_due(jobs=[job for job in scheduler.JOBS if job.name == "purge_exports"], worker="may-a")
    out = io.StringIO()
    call_command("run_worker", jobs=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [job.name for job in scheduler.JOBS]
    assert "every 5 s" in lines[0]
    assert "last run: never" in lines[0]
    assert "every 1 h" in lines[1]
    assert "on may-a → 0" in lines[1]
    assert "daily at 07:00" in lines[2]
