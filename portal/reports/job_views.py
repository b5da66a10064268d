"""A report file's progress page (polled by htmx every 2 s, with a refresh link without JavaScript) and its
download. A job belongs to the official who asked for it (portal.core.access: owner rule): anyone else gets 404,
and so does its owner once the job's province is no longer theirs to read."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from awards.enums import ExportStatus
from portal.core.access import can_read_lists, get_scoped_or_404, requires
from portal.core.files import serve_file
from portal.models import ReportJob

from .jobs import STALE_AFTER, builder


def _job_or_404(request, pk) -> ReportJob:
    job = get_scoped_or_404(ReportJob.objects.all(), request.user, pk=pk)
    if not builder(job.kind).may_read(job, request.user):
        raise Http404
    return job


def _context(job: ReportJob, now) -> dict:
    back = reverse(builder(job.kind).BACK)
    expired = job.status == ExportStatus.DONE and bool(job.expires_at and job.expires_at < now)
    working = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return {
        "job": job,
        "back": back,
        "working": working,
        "silent": working and (job.heartbeat_at or job.created_at) < now - STALE_AFTER,
        "ready": job.status == ExportStatus.DONE and not expired,
        "expired": expired,
        "failed": job.status == ExportStatus.FAILED,
    }


class ReportJobView(requires(can_read_lists), View):
    """The progress page; for an htmx request only its progress fragment."""

    template_name = "portal/reports/staff/job.html"

    def get(self, request, pk):
        job = _job_or_404(request, pk)
        template = self.template_name + "#progress" if request.htmx else self.template_name
        return render(request, template, _context(job, timezone.now()))


class ReportJobFileView(requires(can_read_lists), View):
    """The finished file, as a download; 410 once expired or removed."""

    def get(self, request, pk):
        job = _job_or_404(request, pk)
        if job.status != ExportStatus.DONE:
            raise Http404
        expired = job.expires_at and job.expires_at < timezone.now()
        if expired or not job.file or not job.file.storage.exists(job.file.name):
            return render(request, "portal/reports/staff/job_gone.html", _context(job, timezone.now()), status=410)
        return serve_file(job.file, content_type=job.content_type, name=job.file.name, as_attachment=True)
