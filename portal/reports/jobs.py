"""Report files built in the background: an official asks for a report's PDF or workbook, the request stores the
parameters (a ReportJob) and answers at once; the worker rebuilds the report from them with the builders of the
report pages (kinds.py) and tells the official in the notification list, with the link of the progress page,
when the file is ready — or why it failed.

The machinery is the bulk certificate exports' (awards/services/certificate_exports.py): the same statuses,
run token and heartbeat (`JobRun`), the same resume of a job whose worker died (`jobs_resume`, from the
scheduler's `resume_exports`) and the same keeping time (CERTIFICATE_EXPORT_KEEP_HOURS, purged by
`purge_exports`). A report is built in one go, in three steps (figures, file, stored), with a heartbeat
between them: a job is taken for lost only after STALE_AFTER without one."""

import datetime
import shutil
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.enums import ExportStatus
from awards.services.certificate_exports import JobRun, SupersededError, jobs_resume
from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import notify
from portal.models import ReportJob

STALE_AFTER = datetime.timedelta(minutes=5)  # the longest annex takes seconds: a job this silent has lost its worker


class JobRefusedError(Exception):
    """The job's parameters no longer hold: the province is not the official's any more, or is gone."""


# Each kind of file and the module that builds it: `build_file(job, beat) -> (content, file name, content type)`
# (`beat(done=n)` records a step), `may_read(job, user) -> bool` (the owner's scope, checked again at download)
# and BACK, the URL name of the page the job's page leads back to.
BUILDERS = {
    "recognitions": "portal.reports.kinds",
    "extension": "portal.reports.kinds",
    "ministry": "portal.exports.jobs",
}


def builder(kind: str):
    return import_module(BUILDERS[kind])


class _ReportRun(JobRun):
    model = ReportJob


def report_job_create(*, actor, kind: str, fmt: str, params: dict, title: str) -> ReportJob:
    """Queue a file; `params` (JSON) are what its builder needs, already checked against what `actor` may read."""
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind, fmt=fmt, params=params, title=title[:255], created_by=actor, heartbeat_at=timezone.now()
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import build_report

    result = build_report.enqueue(job_id)
    ReportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def report_job_build(job_id: int) -> None:
    """The work of the background task; run again on the same job (resumed), it builds the file anew."""
    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return
    run = _ReportRun(job.pk)
    try:
        run.start()
        if not job.created_by.is_active:
            raise JobRefusedError(_("The account that asked for this file is no longer active."))
        with translation.override(settings.LANGUAGE_CODE):
            content, name, content_type = builder(job.kind).build_file(job, run.beat)
        run.beat(done=job.total - 1)
        _store(job, run, content, name, content_type)
    except SupersededError:
        return
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        with transaction.atomic():
            run.fail(reason)
            _failed_notice(job, reason)
        if not isinstance(exc, JobRefusedError):
            raise


def _store(job: ReportJob, run: JobRun, content: bytes, name: str, content_type: str) -> None:
    shutil.rmtree(_folder(job.pk), ignore_errors=True)  # an earlier run's file
    job.file.save(name, ContentFile(content), save=False)
    now = timezone.now()
    with transaction.atomic():  # done, and its creator told, together
        run.finish(
            status=ExportStatus.DONE,
            done=job.total,
            file=job.file.name,
            content_type=content_type,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.CERTIFICATE_EXPORT_KEEP_HOURS),
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = _("The report “%(title)s” is ready to download.") % {"title": job.title}
        notify([job.created_by_id], kind=NotificationKind.EXPORT, text=text, link=_link(job))


def _failed_notice(job: ReportJob, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The report “%(title)s” could not be built: %(reason)s") % {"title": job.title, "reason": reason}
    notify([job.created_by_id], kind=NotificationKind.EXPORT, text=text, link=_link(job))


def _link(job: ReportJob) -> str:
    return reverse("reports:staff.job", args=[job.pk])


def _folder(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(job_id)


def report_jobs_resume(now=None) -> int:
    """Queue again each report job whose worker is gone (from the scheduler's `resume_exports`)."""
    return jobs_resume(ReportJob, _enqueue, now=now, stale_after=STALE_AFTER, what="the report")


def report_jobs_purge(now=None) -> int:
    """Delete the files of report jobs past their keeping time, and the job rows — a failed one as long after it
    was asked for (from `purge_exports`)."""
    now = now or timezone.now()
    keep = datetime.timedelta(hours=settings.CERTIFICATE_EXPORT_KEEP_HOURS)
    failed = Q(status=ExportStatus.FAILED, created_at__lt=now - keep)
    expired = list(ReportJob.objects.filter(Q(expires_at__lt=now) | failed))
    for job in expired:
        shutil.rmtree(_folder(job.pk), ignore_errors=True)
        job.delete()
    return len(expired)
