"""Staff: bulk certificate exports — one merged PDF for printing and a ZIP of separate PDFs, built in the background.

An official posts a selection (ticked certificates, a decision, a round, or the certificate list's filter), always
narrowed to certificates_for_staff; the job runs in a worker (`manage.py db_worker`) and the progress page polls
its own fragment with htmx every 2 s until the files are ready (without JavaScript, a refresh link does the same).
An export belongs to the official who asked for it: anyone else but a superuser gets 404 for its pages and files.
A job whose worker died is queued again by the worker's scheduler (`manage.py run_worker`), not by these pages;
they say when the worker is not answering instead of showing a count that does not move."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.files import PDF, ZIP, serve_file

from .. import services
from ..enums import CertificateStatus, ExportStatus
from ..filters import CertificateFilter
from ..models import CertificateExport, Round
from ..models.certificates import EXPORT_STALE_AFTER
from ..selectors import certificates_for_staff

RECENT = 30  # exports shown on the list page
FILTER_PARAMS = ("q", "decision", "round", "level", "year", "status", "province")
FILES = {"merged": ("merged", PDF), "zip": ("archive", ZIP)}  # built by the worker: the type is known


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).strip().isdigit()]


def exports_of(user):
    """The exports a user may open: its own; a superuser's view includes everybody's."""
    qs = CertificateExport.objects.all()
    return qs if user.is_superuser else qs.filter(created_by=user)


class ExportCreateView(requires(is_staff), View):
    """POST only. The selection, in order of precedence: `certificate` ids (ticked on the list), else the list's
    filter parameters (`decision`, `round`, `q`, …; at least one). Ticked revoked or replaced certificates are
    left out with a warning. Without an explicit `status` filter a
    decision, round or filter selection leaves out revoked and replaced certificates: they are not to be
    printed. An empty selection goes back (`next`, else the referring page) with a message."""

    http_method_names = ["post"]

    def post(self, request):
        scope = certificates_for_staff(request.user)
        ids = _ids(request.POST.getlist("certificate"))
        given, cleaned = set(), {}
        if ids:
            ticked = scope.filter(pk__in=ids)
            selection = ticked.filter(status=CertificateStatus.VALID)
            left_out = ticked.exclude(status=CertificateStatus.VALID).count()
            if left_out:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d revoked or replaced certificate was left out: it must not be printed.",
                        "%(count)d revoked or replaced certificates were left out: they must not be printed.",
                        left_out,
                    )
                    % {"count": left_out},
                )
        else:
            data = {k: request.POST.get(k, "") for k in FILTER_PARAMS if request.POST.get(k, "").strip()}
            if not data:  # neither ticked certificates nor a filter: never "everything" by accident
                messages.error(request, _("Choose at least one certificate to export."))
                return self._back(request)
            filterset = CertificateFilter(data, queryset=scope, request=request)
            if not filterset.is_valid():
                messages.error(request, _("The selection is not valid; check the filter and try again."))
                return self._back(request)
            selection = filterset.qs
            if not data.get("status"):
                selection = selection.filter(status=CertificateStatus.VALID)
            given, cleaned = set(data), filterset.form.cleaned_data
        count = selection.count()
        title = (self._title(given, cleaned, selection, count) if count else None) or self._selection_title(count)
        try:
            export = services.certificate_export_create(actor=request.user, certificates=selection, title=title)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self._back(request)
        return redirect("awards:staff.certificate.export.detail", pk=export.pk)

    @staticmethod
    def _selection_title(count: int) -> str:
        return ngettext("%(count)d selected certificate", "%(count)d selected certificates", count) % {"count": count}

    @staticmethod
    def _title(given: set, cleaned: dict, selection, count: int) -> str | None:
        """'Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận' when the selection rests on one decision, the round's
        title for a round's certificates; None (a plain count) for any other selection."""
        numbers = list(selection.order_by().values_list("decision_number", flat=True).distinct()[:2])
        if len(numbers) == 1 and numbers[0]:
            return ngettext(
                "Decision %(number)s – %(count)d certificate",
                "Decision %(number)s – %(count)d certificates",
                count,
            ) % {"number": numbers[0], "count": count}
        if given - {"status"} == {"round"}:
            round_ = Round.objects.filter(pk=int(cleaned["round"])).first()
            if round_ is not None:
                return ngettext("%(round)s – %(count)d certificate", "%(round)s – %(count)d certificates", count) % {
                    "round": round_.title,
                    "count": count,
                }
        return None

    @staticmethod
    def _back(request):
        """Back where the selection was made: `next`, else the referring page of this site, else the list."""
        for target in (request.POST.get("next"), request.headers.get("referer")):
            if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
        try:
            return redirect(reverse("awards:staff.certificate.list"))
        except NoReverseMatch:
            return redirect("awards:staff.certificate.export.list")


class ExportDetailView(requires(is_staff), View):
    """The progress page; for an htmx request only its progress fragment. POST tries a failed job again."""

    template_name = "awards/staff/certificate_export_detail.html"

    def get(self, request, pk):
        export = get_object_or_404(exports_of(request.user), pk=pk)
        template = self.template_name + "#progress" if request.htmx else self.template_name
        now = timezone.now()
        return render(request, template, _context(export, now, worker_busy=_worker_busy(now)))

    def post(self, request, pk):
        export = get_object_or_404(exports_of(request.user), pk=pk)
        try:
            services.certificate_export_retry(export=export, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [])) or _("This export cannot be retried."))
        else:
            messages.success(request, _("The export has been queued again."))
        return redirect("awards:staff.certificate.export.detail", pk=export.pk)


def _worker_busy(now) -> bool:
    """A worker is alive and busy: some export is running with a fresh heartbeat."""
    return CertificateExport.objects.filter(
        status=ExportStatus.RUNNING, heartbeat_at__gte=now - EXPORT_STALE_AFTER
    ).exists()


def _context(export, now, *, worker_busy: bool) -> dict:
    return {
        "export": export,
        "working": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "silent": export.worker_silent(now, worker_busy=worker_busy),
        "ready": export.status == ExportStatus.DONE and not (export.expires_at and export.expires_at < now),
        "expired": export.status == ExportStatus.DONE and bool(export.expires_at and export.expires_at < now),
        "failed": export.status == ExportStatus.FAILED,
    }


class ExportFileView(requires(is_staff), View):
    """The merged PDF (`merged`) or the ZIP (`zip`) of a finished export, as a download; 410 once expired."""

    def get(self, request, pk, kind):
        if kind not in FILES:
            raise Http404
        export = get_object_or_404(exports_of(request.user), pk=pk)
        if export.status != ExportStatus.DONE:
            raise Http404
        field_name, content_type = FILES[kind]
        field = getattr(export, field_name)
        expired = export.expires_at and export.expires_at < timezone.now()
        if expired or not field or not field.storage.exists(field.name):
            return render(request, "awards/staff/certificate_export_gone.html", {"export": export}, status=410)
        return serve_file(
            field, content_type=content_type, default_stem=f"giay-chung-nhan-{export.pk}", as_attachment=True
        )


class ExportListView(requires(is_staff), View):
    """The official's own recent exports (a superuser's too: its own), newest first, with state and files."""

    def get(self, request):
        now = timezone.now()
        busy = _worker_busy(now)
        exports = [
            _context(export, now, worker_busy=busy)
            for export in CertificateExport.objects.filter(created_by=request.user).order_by("-created_at")[:RECENT]
        ]
        return render(request, "awards/staff/certificate_export_list.html", {"rows": exports})
