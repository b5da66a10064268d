"""The report pages: an index with the choice of report, province and period, and for each report a preview page,
an Excel workbook and a PDF. Department staff report on their own province (today's, or an old province merged
into it, as it was); ministry officials and superusers on any province. Another province is refused (403)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import can_read_lists, province_scope, requires
from portal.core.files import PDF, generated_file
from products.models import AdministrativeUnit

from . import excel, pdf
from .forms import EXTENSION, RECOGNITIONS, ReportChoiceForm, ReportForm, default_period
from .heading import file_name, report_heading
from .selectors import extension_report, may_read_province, provinces_for_reports, recognition_report, report_area

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """A report's preview page; `output` "xlsx" or "pdf" answers the file instead."""

    kind = ""
    output = "html"
    template_name = ""
    with_annex = False

    def title(self) -> str:
        raise NotImplementedError

    def build(self, area, start, end, data) -> dict:
        raise NotImplementedError

    def get(self, request):
        provinces = provinces_for_reports(request.user)
        data = bound_data(request, provinces)
        form = ReportForm(data, provinces=provinces, with_annex=self.with_annex)
        if data is None:
            return self.page(form, None, None)
        if not form.is_valid():
            return self.page(form, None, None, status=400)
        values = form.cleaned_data
        area = report_area(values["province_unit"])
        start, end = values["year_from"], values["year_to"]
        report = self.build(area, start, end, values)
        heading = report_heading(request.user, area, self.title(), start, end)
        if self.output == "xlsx":
            body = self.xlsx(heading, report)
            return generated_file(body, content_type=XLSX, filename=file_name(self.stem, area, start, end, "xlsx"))
        if self.output == "pdf":
            return generated_file(
                self.pdf(heading, report), content_type=PDF, filename=file_name(self.stem, area, start, end, "pdf")
            )
        query = urlencode({k: v for k, v in request.GET.items() if k in form.fields} or data)
        return self.page(
            form,
            report,
            heading,
            links={
                "xlsx": f"{reverse(f'reports:staff.{self.kind}.xlsx')}?{query}",
                "pdf": f"{reverse(f'reports:staff.{self.kind}.pdf')}?{query}",
            },
        )

    def page(self, form, report, heading, links=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "report": report, "heading": heading, "links": links or {}, "title": self.title()},
            status=status,
        )


class RecognitionReportView(ReportView):
    kind = RECOGNITIONS
    stem = "tong-hop-binh-chon-spcnnttb"
    template_name = "portal/reports/staff/recognitions.html"
    with_annex = True

    def title(self):
        return _("Summary of the SPCNNTTB award results")

    def build(self, area, start, end, data):
        return recognition_report(area, start, end, with_list=bool(data.get("annex")))

    def xlsx(self, heading, report):
        return excel.recognition_xlsx(heading, report)

    def pdf(self, heading, report):
        return pdf.recognition_pdf(heading, report)


class ExtensionReportView(ReportView):
    kind = EXTENSION
    stem = "tinh-hinh-thuc-hien-khuyen-cong"
    template_name = "portal/reports/staff/extension.html"

    def title(self):
        return _("Implementation of khuyến công (industrial extension)")

    def build(self, area, start, end, data):
        return extension_report(area, start, end)

    def xlsx(self, heading, report):
        return excel.extension_xlsx(heading, report)

    def pdf(self, heading, report):
        return pdf.extension_pdf(heading, report)
