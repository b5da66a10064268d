"""Bulk certificate exports: one merged PDF for printing and a ZIP of separate PDFs, built in the background.

Identity. Certificate numbers restart every year for each issuing body, so "1/GCN-UBND" of 2022 and of 2023 may
belong to one product: nothing here is keyed on a number or a name that can repeat. A part file is named by the
certificate's id and a fingerprint of every value of its row (`part_path`), a ZIP entry by year, number and id
(`Certificate.file_stem`); the merged PDF follows the selection's order (issuing body, year, serial, id). A part
already in the storage is reused only under its own name — the same certificate, unchanged, rendered by an earlier run
of this job — and the job refuses to finish (failed, with the reason) when the parts, the merged PDF's pages or
the ZIP's distinct entries do not number the certificates selected.

Storage. Every file goes through Django's default storage (a shared file system or an S3-compatible object store,
README "Deployment"), so the worker that resumes a job may run on another server than the one that started it.

Recovery. The job renders one certificate at a time into the storage under exports/<id>/parts/, so memory does not
grow with the selection and a worker that dies loses nothing (a part cut short by the death — no "%%EOF" at its end
— is rendered again), and writes a heartbeat at least every HEARTBEAT_EVERY seconds while it works. Each run holds
a token: a run whose job was queued again meanwhile stops at its next heartbeat. The worker's scheduler (`manage.py
run_worker`) calls `certificate_exports_resume()` when it starts and every few seconds: a job without a heartbeat
for EXPORT_STALE_AFTER is queued again, its dead task marked failed, and continues from the parts stored. The
merged PDF and the ZIP are built in a local temporary folder, then stored."""

import contextlib
import datetime
import hashlib
import io
import os
import secrets
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import notify

from ..enums import ExportStatus
from ..models import Certificate, CertificateExport
from ..models.certificates import EXPORT_STALE_AFTER

MAX_CERTIFICATES = 5000
STALE_AFTER = EXPORT_STALE_AFTER
HEARTBEAT_EVERY = 2.0  # seconds
EXPORT_ORDER = ("issuing_body_id", "year", "serial", "pk")


class ExportRefusedError(Exception):
    """The files do not match the selection: the job stops rather than hand out a wrong print."""


class WorkerLostError(Exception):
    """Recorded on the task of a job whose worker stopped sending heartbeats (the job was queued again)."""


class SupersededError(Exception):
    """The job was queued again and another run owns it now: this run stops and leaves everything to it."""


def _folder(export_id: int) -> str:
    return f"exports/{export_id}"


def _workdir(export_id: int) -> str:
    return f"{_folder(export_id)}/parts"


def part_path(export: CertificateExport, certificate: Certificate) -> str:
    """The storage name under which the job keeps a certificate's PDF while it works: its id and a fingerprint of
    its row, so a file of another certificate, or of this one before a correction, is never taken for it."""
    values = [(field.attname, field.value_to_string(certificate)) for field in Certificate._meta.concrete_fields]
    fingerprint = hashlib.sha256(repr(values).encode()).hexdigest()[:16]
    return f"{_workdir(export.pk)}/{certificate.pk}-{fingerprint}.pdf"


def _stored_whole(name: str) -> bool:
    """A part in the storage, written to its end (a PDF ends with %%EOF; a worker killed while writing to a file
    system leaves a part without it). A part cut short is deleted, to be rendered again."""
    if not default_storage.exists(name):
        return False
    with default_storage.open(name, "rb") as handle:
        whole = b"%%EOF" in handle.read()[-1024:]
    if not whole:
        default_storage.delete(name)
    return whole


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _delete_tree(folder: str) -> None:
    """Every file under `folder` in the storage; on a file system, the folders left empty too."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for sub in folders:
        _delete_tree(f"{folder}/{sub}")
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    with contextlib.suppress(NotImplementedError, OSError):  # an object store has no folders; one in use stays
        os.rmdir(default_storage.path(folder))


@transaction.atomic
def certificate_export_create(*, actor, certificates, title: str) -> CertificateExport:
    """Queue an export of the given certificates (already scoped to what `actor` may see)."""
    ids = list(certificates.order_by(*EXPORT_ORDER).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("Choose at least one certificate to export."))
    if len(ids) > MAX_CERTIFICATES:
        raise ValidationError(
            _("At most %(max)d certificates can be exported at once; narrow the selection.") % {"max": MAX_CERTIFICATES}
        )
    export = CertificateExport.objects.create(
        title=title[:255], total=len(ids), created_by=actor, heartbeat_at=timezone.now()
    )
    export.certificates.set(ids)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from ..tasks import build_certificate_export

    result = build_certificate_export.enqueue(export_id)
    CertificateExport.objects.filter(pk=export_id).update(task_id=str(result.id))


class JobRun:
    """One run of a job: its token, and the heartbeat that shows it alive and still the job's current run. Any
    model with status, heartbeat_at, run_id and error fields (ExportStatus) may set `model` (portal's report
    files do)."""

    model = CertificateExport

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.token = secrets.token_hex(8)
        self.last_beat = 0.0

    def _mine(self):
        return self.model.objects.filter(pk=self.export_id, run_id=self.token)

    def start(self) -> None:
        taken = (
            self.model.objects.filter(pk=self.export_id)
            .exclude(status=ExportStatus.DONE)
            .update(status=ExportStatus.RUNNING, heartbeat_at=timezone.now(), run_id=self.token, error="")
        )
        if not taken:
            raise SupersededError
        self.last_beat = time.monotonic()

    def beat(self, **fields) -> None:
        """A heartbeat (at most every HEARTBEAT_EVERY seconds unless `fields` are written with it)."""
        if not fields and time.monotonic() - self.last_beat < HEARTBEAT_EVERY:
            return
        if not self._mine().update(heartbeat_at=timezone.now(), **fields):
            raise SupersededError
        self.last_beat = time.monotonic()

    def finish(self, **fields) -> None:
        if not self._mine().update(run_id="", **fields):
            raise SupersededError

    def fail(self, reason: str) -> None:
        self._mine().update(status=ExportStatus.FAILED, error=reason[:2000], run_id="")


def certificate_export_build(export_id: int) -> None:
    """The work of the background task. Safe to run again on the same job: it continues where it stopped."""
    export = CertificateExport.objects.get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return
    run = JobRun(export.pk)
    try:
        run.start()
        parts = _render_parts(export, run)
        _assemble(export, run, parts)
    except SupersededError:
        return
    except Exception as exc:
        run.fail(str(exc))
        raise


def _render_parts(export: CertificateExport, run: JobRun) -> list[tuple[str, str]]:
    """Each selected certificate's PDF in the storage (rendered, or kept from an earlier run) with its ZIP entry
    name."""
    from .certificate_signing import certificate_document

    certificates = Certificate.objects.filter(pk__in=export.certificates.values("pk")).order_by(*EXPORT_ORDER)
    parts = []
    for done, certificate in enumerate(certificates.iterator(chunk_size=100), start=1):
        name = part_path(export, certificate)
        if _stored_whole(name):
            run.beat()
        else:
            name = default_storage.save(name, ContentFile(certificate_document(certificate=certificate)))
            run.beat(done=done)
        parts.append((name, f"{certificate.file_stem}.pdf"))
    if len(parts) != export.total:
        raise ExportRefusedError(
            _(
                "Only %(found)d of the %(total)d selected certificates were found; the export was stopped so that "
                "none is left out."
            )
            % {"found": len(parts), "total": export.total}
        )
    return parts


def _assemble(export: CertificateExport, run: JobRun, parts: list[tuple[str, str]]) -> None:
    """Write the merged PDF and the ZIP from the parts, check them against the selection, then store them."""
    stem = f"giay-chung-nhan-{export.pk}"
    with tempfile.TemporaryDirectory(prefix="export-", dir=settings.FILE_UPLOAD_TEMP_DIR) as local:
        merged_tmp, zip_tmp = Path(local) / f"{stem}.pdf", Path(local) / f"{stem}.zip"
        _build_files(export, run, parts, merged_tmp, zip_tmp)
        run.beat(done=export.total)  # still this job's run: its files may replace any earlier ones
        merged = _store(f"{_folder(export.pk)}/{stem}.pdf", merged_tmp)
        archive = _store(f"{_folder(export.pk)}/{stem}.zip", zip_tmp)
    now = timezone.now()
    with transaction.atomic():  # done, and its creator told, together
        run.finish(
            status=ExportStatus.DONE,
            merged=merged,
            archive=archive,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.CERTIFICATE_EXPORT_KEEP_HOURS),
        )
        _ready_notice(export)
    _delete_tree(_workdir(export.pk))


def _build_files(export, run: JobRun, parts: list[tuple[str, str]], merged_tmp: Path, zip_tmp: Path) -> None:
    from ..pdf_merge import merge_pdfs

    pages = merge_pdfs((io.BytesIO(_read(name)) for name, _entry in parts), merged_tmp, on_part=run.beat)
    if pages != export.total:
        raise ExportRefusedError(
            _(
                "The merged PDF has %(pages)d pages for %(total)d selected certificates; the export was stopped "
                "so that no certificate is printed twice or left out."
            )
            % {"pages": pages, "total": export.total}
        )
    # PDFs are already compressed: storing them keeps the ZIP quick to build and to open.
    with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, entry in parts:
            archive.writestr(entry, _read(name))
            run.beat()
        entries = len(set(archive.namelist()))
    if entries != export.total:
        raise ExportRefusedError(
            _("The ZIP holds %(entries)d distinct files for %(total)d selected certificates; the export was stopped.")
            % {"entries": entries, "total": export.total}
        )


def _store(name: str, local: Path) -> str:
    """Store a finished file under `name`, replacing an earlier run's; returns the name it was stored under."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(local, "rb") as handle:
        return default_storage.save(name, File(handle))


def _ready_notice(export: CertificateExport) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The certificate export “%(title)s” is ready to download (%(n)d certificates).") % {
            "title": export.title,
            "n": export.total,
        }
    link = reverse("awards:staff.certificate.export.detail", args=[export.pk])
    notify([export.created_by_id], kind=NotificationKind.EXPORT, text=text, link=link)


def certificate_export_retry(*, export: CertificateExport, actor) -> CertificateExport:
    """Queue a failed job again (its creator or a superuser): it continues from the PDFs already stored."""
    if not (actor.is_superuser or export.created_by_id == actor.pk):
        raise PermissionDenied
    if export.status != ExportStatus.FAILED:
        raise ValidationError(_("Only a failed export can be tried again."))
    CertificateExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.QUEUED, error="", heartbeat_at=timezone.now(), run_id=""
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    export.refresh_from_db()
    return export


def certificate_exports_resume(now=None) -> int:
    """Queue again every job whose worker is gone — running without a heartbeat for STALE_AFTER (its task is
    marked failed), or waiting that long with no task in the queue — to continue from its parts stored.
    Several workers may call it at once: a job is taken by one of them only."""
    return jobs_resume(CertificateExport, _enqueue, now=now, stale_after=STALE_AFTER)


def jobs_resume(model, enqueue, *, now=None, stale_after=STALE_AFTER, what: str = "the export") -> int:
    """`certificate_exports_resume` for any job model of the same shape (status, heartbeat_at, run_id, task_id,
    created_at): `enqueue(pk)` queues a job's task again."""
    now = now or timezone.now()
    cutoff = now - stale_after
    candidates = model.objects.filter(
        Q(status=ExportStatus.RUNNING, heartbeat_at__lt=cutoff)
        | Q(status=ExportStatus.QUEUED)
        & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    )
    resumed = 0
    for job in candidates:
        if job.status == ExportStatus.QUEUED and task_waiting(job.task_id):
            continue  # behind other jobs in the queue: a worker will come to it
        taken = model.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
            status=ExportStatus.QUEUED, heartbeat_at=now, run_id=""
        )
        if not taken:
            continue  # another worker resumed it, or it moved on
        if job.status == ExportStatus.RUNNING:
            task_lost(job.task_id, job.heartbeat_at, now, what)
        enqueue(job.pk)
        resumed += 1
    return resumed


def task_rows(task_id: str):
    try:
        return DBTaskResult.objects.filter(pk=uuid.UUID(task_id))
    except ValueError:  # no task id, or one of a backend that keeps no rows (the immediate backend of tests)
        return DBTaskResult.objects.none()


def task_waiting(task_id: str) -> bool:
    return task_rows(task_id).filter(status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING)).exists()


def task_lost(task_id: str, last_heartbeat, now, what: str = "the export") -> None:
    """The dead worker's task row says RUNNING for ever: record it as failed, with what happened."""
    task_rows(task_id).filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
        traceback=f"WorkerLostError: no heartbeat since {last_heartbeat.isoformat()}; {what} was queued again.\n",
    )


def certificate_exports_purge(now=None) -> int:
    """Delete the files of exports past their keeping time (and the job rows)."""
    now = now or timezone.now()
    expired = list(CertificateExport.objects.filter(expires_at__lt=now))
    for export in expired:
        _delete_tree(_folder(export.pk))
        export.delete()
    return len(expired)
