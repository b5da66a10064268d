"""The report pages: an index with the choice of report, province and period, and for each report a preview page
with buttons for its Excel workbook and its PDF, which the background worker builds (jobs.py, job_views.py).
Department staff report on their own province (today's, or an old province merged into it, as it was); ministry
officials and superusers on any province. Another province is refused (403)."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views import View

from portal.core.access import can_read_lists, province_scope, requires
from products.models import AdministrativeUnit

from .forms import EXTENSION, RECOGNITIONS, ReportChoiceForm, ReportForm, default_period
from .heading import report_heading
from .jobs import report_job_create
from .kinds import KINDS, job_params, job_title
from .selectors import may_read_province, provinces_for_reports, report_area


def refuse_other_province(user, provinces, raw) -> None:
    """A province the user may not read is refused outright (403); an unknown one is left to the form."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return
    if any(p.pk == pk for p in provinces):
        return
    unit = AdministrativeUnit.objects.filter(level="province", pk=pk).select_related("successor").first()
    if unit is not None and not may_read_province(user, unit):
        raise PermissionDenied


def bound_data(request, provinces):
    """The query string, or for a first visit of a department officer: its province and the last five years."""
    if "province" in request.GET or "year_from" in request.GET or "year_to" in request.GET:
        refuse_other_province(request.user, provinces, request.GET.get("province"))
        return request.GET
    own = province_scope(request.user).province_or_none
    if own is None:
        return None
    start, end = default_period()
    return {"province": own, "year_from": start, "year_to": end}


class ReportIndexView(requires(can_read_lists), View):
    template_name = "portal/reports/staff/index.html"

    def get(self, request):
        provinces = provinces_for_reports(request.user)
        if "report" not in request.GET:
            start, end = default_period()
            own = province_scope(request.user).province_or_none
            initial = {"report": RECOGNITIONS, "year_from": start, "year_to": end, "annex": True}
            if own is not None:
                initial["province"] = own
            form = ReportChoiceForm(provinces=provinces, initial=initial)
            return render(request, self.template_name, {"form": form})
        refuse_other_province(request.user, provinces, request.GET.get("province"))
        form = ReportChoiceForm(request.GET, provinces=provinces)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        params = {"province": data["province"], "year_from": data["year_from"], "year_to": data["year_to"]}
        if data["report"] == RECOGNITIONS and data.get("annex"):
            params["annex"] = "on"
        name = "reports:staff.recognitions" if data["report"] == RECOGNITIONS else "reports:staff.extension"
        return redirect(f"{reverse(name)}?{urlencode(params)}")


class ReportView(requires(can_read_lists), View):
    """A report's preview page, with the buttons that ask for its workbook or PDF (ReportFileView)."""

    kind = ""
    template_name = ""

    @property
    def spec(self):
        return KINDS[self.kind]

    def get(self, request):
        provinces = provinces_for_reports(request.user)
        data = bound_data(request, provinces)
        form = ReportForm(data, provinces=provinces, with_annex=self.spec.with_annex)
        if data is None:
            return self.page(form, None, None)
        if not form.is_valid():
            return self.page(form, None, None, status=400)
        values = form.cleaned_data
        area = report_area(values["province_unit"])
        start, end = values["year_from"], values["year_to"]
        report = self.spec.build(area, start, end, values)
        heading = report_heading(request.user, area, str(self.spec.title), start, end)
        fields = {k: v for k, v in request.GET.items() if k in form.fields} or data
        return self.page(form, report, heading, fields=fields)

    def page(self, form, report, heading, fields=None, status=200):
        files = {fmt: reverse(f"reports:staff.{self.kind}.{fmt}") for fmt in ("xlsx", "pdf")}
        context = {"form": form, "report": report, "heading": heading, "title": self.spec.title}
        context |= {"files": files, "fields": fields or {}}
        return render(self.request, self.template_name, context, status=status)


class RecognitionReportView(ReportView):
    kind = RECOGNITIONS
    template_name = "portal/reports/staff/recognitions.html"


class ExtensionReportView(ReportView):
    kind = EXTENSION
    template_name = "portal/reports/staff/extension.html"


class ReportFileView(requires(can_read_lists), View):
    """POST: queue a report's workbook or PDF (the same fields as its page) for the background worker and go to
    the job's progress page; the request builds nothing. A GET (an old link) shows the page to ask from."""

    http_method_names = ["get", "post"]
    kind = ""
    fmt = ""

    def get(self, request):
        target = reverse(f"reports:staff.{self.kind}")
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)

    def post(self, request):
        spec = KINDS[self.kind]
        provinces = provinces_for_reports(request.user)
        refuse_other_province(request.user, provinces, request.POST.get("province"))
        form = ReportForm(request.POST, provinces=provinces, with_annex=spec.with_annex)
        if not form.is_valid():
            context = {"form": form, "report": None, "heading": None, "title": spec.title, "files": {}}
            return render(request, f"portal/reports/staff/{self.kind}.html", context, status=400)
        values = form.cleaned_data
        with translation.override(settings.LANGUAGE_CODE):  # the title the notifications will show
            title = job_title(self.kind, self.fmt, values)
        params = job_params(values)
        job = report_job_create(actor=request.user, kind=self.kind, fmt=self.fmt, params=params, title=title)
        return redirect("reports:staff.job", pk=job.pk)
