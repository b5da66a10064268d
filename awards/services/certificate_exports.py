"""Bulk certificate exports: one merged PDF for printing and a ZIP of separate PDFs, built in the background.

The job renders one certificate at a time to its own file under MEDIA_ROOT/exports/<id>/parts/ (written to a
temporary name, then renamed), so memory does not grow with the number of certificates and a worker that dies
half-way loses nothing: the job, run again, skips the files already there. `certificate_exports_resume()` (on
the progress page and in `manage.py resume_exports`) re-queues jobs whose worker stopped sending heartbeats."""

import datetime
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import ExportStatus
from ..models import Certificate, CertificateExport

MAX_CERTIFICATES = 5000
STALE_AFTER = datetime.timedelta(minutes=2)


def _workdir(export: CertificateExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(export.pk) / "parts"


@transaction.atomic
def certificate_export_create(*, actor, certificates, title: str) -> CertificateExport:
    """Queue an export of the given certificates (already scoped to what `actor` may see)."""
    ids = list(certificates.order_by("issuing_body_id", "year", "serial").values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("Choose at least one certificate to export."))
    if len(ids) > MAX_CERTIFICATES:
        raise ValidationError(
            _("At most %(max)d certificates can be exported at once; narrow the selection.") % {"max": MAX_CERTIFICATES}
        )
    export = CertificateExport.objects.create(title=title[:255], total=len(ids), created_by=actor)
    export.certificates.set(ids)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from ..tasks import build_certificate_export

    build_certificate_export.enqueue(export_id)


def certificate_export_build(export_id: int) -> None:
    """The work of the background task. Safe to run again on the same job: it continues where it stopped."""
    from ..printouts.certificates import certificate_pdf

    export = CertificateExport.objects.get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return
    CertificateExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now(), error=""
    )
    workdir = _workdir(export)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        certificates = Certificate.objects.filter(pk__in=export.certificates.values("pk")).order_by(
            "issuing_body_id", "year", "serial"
        )
        paths = []
        for done, certificate in enumerate(certificates.iterator(chunk_size=100), start=1):
            path = workdir / f"{certificate.file_stem}.pdf"
            if not path.exists():
                tmp = path.with_suffix(".part")
                tmp.write_bytes(certificate_pdf(certificate))
                tmp.replace(path)
            paths.append(path)
            CertificateExport.objects.filter(pk=export.pk).update(done=done, heartbeat_at=timezone.now())
        _assemble(export, paths)
    except Exception as exc:
        CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000])
        raise


def _assemble(export: CertificateExport, paths: list[Path]) -> None:
    """Write the merged PDF and the ZIP from the parts on disk, attach them, then drop the parts."""
    from ..pdf_merge import merge_pdfs

    outdir = _workdir(export).parent
    merged_path = outdir / "merged.pdf"
    merge_pdfs(paths, merged_path)
    zip_path = outdir / "certificates.zip"
    # PDFs are already compressed: storing them keeps the ZIP quick to build and to open.
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in paths:
            archive.write(path, arcname=path.name)
    export.refresh_from_db()
    stem = f"giay-chung-nhan-{export.pk}"
    with open(merged_path, "rb") as merged, open(zip_path, "rb") as zipped:
        export.merged.save(f"{stem}.pdf", File(merged), save=False)
        export.archive.save(f"{stem}.zip", File(zipped), save=False)
    now = timezone.now()
    export.status = ExportStatus.DONE
    export.done = len(paths)
    export.finished_at = now
    export.expires_at = now + datetime.timedelta(hours=settings.CERTIFICATE_EXPORT_KEEP_HOURS)
    export.save()
    shutil.rmtree(_workdir(export), ignore_errors=True)
    merged_path.unlink(missing_ok=True)
    zip_path.unlink(missing_ok=True)


def certificate_export_retry(*, export: CertificateExport, actor) -> CertificateExport:
    """Queue a failed job again (its creator or a superuser): it continues from the PDFs already on disk."""
    if not (actor.is_superuser or export.created_by_id == actor.pk):
        raise PermissionDenied
    if export.status != ExportStatus.FAILED:
        raise ValidationError(_("Only a failed export can be tried again."))
    CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED, error="", heartbeat_at=None)
    transaction.on_commit(lambda: _enqueue(export.pk))
    export.refresh_from_db()
    return export


def certificate_exports_resume(now=None) -> int:
    """Queue again every job whose worker stopped (no heartbeat for STALE_AFTER): it continues from its files."""
    now = now or timezone.now()
    stale = CertificateExport.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        CertificateExport.objects.filter(pk=pk).update(heartbeat_at=now, status=ExportStatus.QUEUED)
        _enqueue(pk)
    return len(ids)


def certificate_exports_purge(now=None) -> int:
    """Delete the files of exports past their keeping time (and the job rows)."""
    now = now or timezone.now()
    expired = list(CertificateExport.objects.filter(expires_at__lt=now))
    for export in expired:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "exports" / str(export.pk), ignore_errors=True)
        export.delete()
    return len(expired)
