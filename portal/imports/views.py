"""Staff pages of the import of historical data: the list of the province's imports with the upload form and the
templates, the preview of one file (totals, refused cells, first rows) with "Import" and "Discard", and the
downloads (template, current data). Department staff and superusers only; staff see their own province's."""

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.files import generated_file

from ..models import ImportKind, ImportStatus
from . import services, workbooks
from .access import batches_visible_to, can_import
from .forms import UploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LIMIT = 50


class ImporterRequiredMixin(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_import(request.user)[0]:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _kinds():
    return [{"value": value, "label": label} for value, label in ImportKind.choices]


class BatchListView(requires(is_staff), View):
    template_name = "portal/imports/staff/batch_list.html"

    def render_page(self, request, form, status=200):
        batches = list(batches_visible_to(request.user)[:LIST_LIMIT])
        return render(request, self.template_name, {"form": form, "batches": batches, "kinds": _kinds()}, status=status)

    def get(self, request):
        return self.render_page(request, UploadForm(initial={"kind": request.GET.get("kind")}))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.import_batch_preview(
                    actor=request.user, kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("imports:staff.batch.detail", pk=batch.pk)
        return self.render_page(request, form, status=400)


class BatchDetailView(requires(is_staff), View):
    template_name = "portal/imports/staff/batch_detail.html"

    def get(self, request, pk):
        batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
        return render(
            request,
            self.template_name,
            {
                "batch": batch,
                "can_confirm": batch.status == ImportStatus.PREVIEWED,
                "can_discard": batch.status in (ImportStatus.PREVIEWED, ImportStatus.INVALID),
            },
        )


class BatchConfirmView(requires(is_staff), View):
    def post(self, request, pk):
        batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
        try:
            batch = services.import_batch_confirm(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            totals = batch.totals
            messages.success(
                request,
                _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % {"new": totals["new"], "updated": totals["updated"], "unchanged": totals["unchanged"]},
            )
        return redirect("imports:staff.batch.detail", pk=batch.pk)


class BatchDiscardView(requires(is_staff), View):
    def post(self, request, pk):
        batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
        try:
            services.import_batch_discard(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("imports:staff.batch.detail", pk=batch.pk)
        messages.success(request, _("The file was discarded; nothing was imported."))
        return redirect("imports:staff.batch.list")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return generated_file(data, content_type=XLSX, filename=filename)


class TemplateDownloadView(requires(is_staff), View):
    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise Http404
        return _xlsx(workbooks.template_workbook(kind), f"mau-nhap-{kind}.xlsx")


class CurrentDataView(requires(is_staff), View):
    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise Http404
        stamp = timezone.localdate().strftime("%Y%m%d")
        return _xlsx(workbooks.export_workbook(kind, request.user), f"du-lieu-{kind}-{stamp}.xlsx")
