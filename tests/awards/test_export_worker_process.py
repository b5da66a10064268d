"""Bulk exports with real worker processes (`manage.py run_worker`, the production command) on the test
database (PostgreSQL, or a file copy of the SQLite one: the `shared_database` fixture). A worker builds an export
from the queue; a worker killed half-way (SIGKILL) leaves the job to the next worker, which takes it up again
within 30 seconds with no one opening the progress page, and finishes it reusing the PDFs already made."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from awards.services.certificate_exports import EXPORT_ORDER, part_path
from portal.core.messaging.models import MailStatus, NotificationKind, OutgoingMail
from portal.core.pdf import render_pdf
from portal.models import ScheduledJob
from tests import factories

from .certificate_helpers import ISSUE_DATE
from .test_certificate_exports import assert_files_match, issued, page_texts, read, shows

pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BASE_DIR = Path(django_settings.BASE_DIR)
WORKER = [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5"]


@pytest.fixture
def worker_env(shared_database, settings):
    """The environment of a worker process: the test's database and media folder, the database task queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # this process enqueues there
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": shared_database,
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLIC_BASE_URL": django_settings.PUBLIC_BASE_URL,
    }


def wait_for(condition, *, timeout: float, what: str, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s\n" + "\n".join(log.read_text() for log in logs))


def stop(process) -> None:
    process.terminate()  # SIGTERM: the worker finishes its task, if any, and exits
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def job(export) -> CertificateExport:
    return CertificateExport.objects.get(pk=export.pk)


def test_a_worker_process_builds_the_export_from_the_queue(published_decision, staff_user, worker_env):
    decision, certificates = issued(published_decision, staff_user)
    export = services.certificate_export_create(
        actor=staff_user, certificates=Certificate.objects.filter(recognition__decision=decision), title="Một lượt"
    )  # commits: the task row is written for the worker
    exports = DBTaskResult.objects.filter(task_path="awards.tasks.build_certificate_export")
    assert exports.filter(status="READY").count() == 1  # (the e-mails of the decision wait beside it)
    assert job(export).status == ExportStatus.QUEUED
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [*WORKER, "--batch"], cwd=BASE_DIR, env=worker_env, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, result.stderr
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, (export.error, result.stdout, result.stderr)
    assert exports.get().status == "SUCCESSFUL"
    # The same worker sent the outbox's e-mails, and told the export's creator in the portal.
    assert not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists()
    assert staff_user.notifications.filter(kind=NotificationKind.EXPORT).count() == 1
    assert_files_match(export, certificates)
    # --batch looked at the schedule once before taking the queue.
    assert set(ScheduledJob.objects.values_list("name", flat=True)) >= {"resume_exports", "purge_exports"}


def many_certificates(published_decision, staff_user, count: int) -> list[Certificate]:
    """Two certificates of a decision, then one for each archive recognition of more products: all of them in
    force (a replaced or revoked certificate is not exported)."""
    _decision, made = issued(published_decision, staff_user)
    made = list(made)
    first = made[0]
    producer = factories.producer("Hợp tác xã Nông sản Nguyên Bình", "Cao Bằng")
    for i in range(count - len(made)):
        recognition = services.recognition_record(
            actor=staff_user,
            product=factories.product(producer, f"Sản phẩm đo kiểm {i + 1}"),
            level=first.recognition.level,
            year=2023,
            decision_number="210/QĐ-UBND",
            decision_date=datetime.date(2023, 10, 10),
        )
        made.append(
            services.certificate_issue(
                recognition=recognition,
                actor=staff_user,
                issued_on=ISSUE_DATE,
                issuing_body=first.issuing_body,
                signer_title=first.signer_title,
                signer_name=first.signer_name,
            )
        )
    return list(Certificate.objects.filter(pk__in=[c.pk for c in made]).order_by(*EXPORT_ORDER))


def test_a_killed_workers_export_is_finished_by_the_next_worker_without_anyone_opening_its_page(
    published_decision, staff_user, worker_env, tmp_path
):
    certificates = many_certificates(published_decision, staff_user, 26)
    total = len(certificates)
    export = services.certificate_export_create(
        actor=staff_user, certificates=Certificate.objects.filter(pk__in=[c.pk for c in certificates]), title="Lớn"
    )
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    with open(logs[0], "w") as log:
        first = subprocess.Popen(WORKER, cwd=BASE_DIR, env=worker_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for(lambda: job(export).done >= 3, timeout=120, what="the first worker renders", logs=logs)
    finally:
        first.kill()  # SIGKILL: no goodbye, its task row stays RUNNING
        first.wait(timeout=30)
    killed_at = time.monotonic()
    dead = job(export)
    assert dead.status == ExportStatus.RUNNING
    assert 3 <= dead.done < total
    dead_task = DBTaskResult.objects.get(pk=dead.task_id)
    assert dead_task.status == "RUNNING"
    # The first part made before the kill is marked, to show that the next worker reuses it.
    marker = render_pdf("<html><body><p>LÀM XONG TRƯỚC KHI MÁY BỊ TẮT</p></body></html>")
    default_storage.delete(part_path(dead, certificates[0]))
    default_storage.save(part_path(dead, certificates[0]), ContentFile(marker))

    with open(logs[1], "w") as log:
        second = subprocess.Popen(WORKER, cwd=BASE_DIR, env=worker_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:

        def moved():
            now = job(export)
            return now.status == ExportStatus.DONE or (now.run_id not in ("", dead.run_id) and now.done > dead.done)

        wait_for(moved, timeout=45, what="the export moves again", logs=logs)
        moved_after = time.monotonic() - killed_at
        wait_for(
            lambda: job(export).status != ExportStatus.RUNNING and job(export).status != ExportStatus.QUEUED,
            timeout=240,
            what="the export finishes",
            logs=logs,
        )
    finally:
        stop(second)
    assert moved_after < 30, moved_after
    export.refresh_from_db()
    assert (export.status, export.done, export.error) == (ExportStatus.DONE, total, "")
    dead_task.refresh_from_db()
    assert dead_task.status == "FAILED"
    assert dead_task.exception_class_path == "awards.services.certificate_exports.WorkerLostError"
    assert DBTaskResult.objects.get(pk=export.task_id).status == "SUCCESSFUL"
    pages = page_texts(read(export.merged))
    assert len(pages) == total
    assert "LÀM XONG TRƯỚC KHI MÁY BỊ TẮT" in pages[0]  # reused, not rendered again
    for page, certificate in zip(pages[1:], certificates[1:], strict=True):
        assert shows(page, certificate), page
