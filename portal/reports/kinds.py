"""Each report and how it is built: its title, the stem of its file names, the selector of its figures and its
Excel and PDF builders — shared by the preview pages (portal/reports/views.py) and the background worker that
builds the files (portal/reports/jobs.py), so that a file says what the page says."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.files import PDF, XLSX
from products.models import AdministrativeUnit

from . import excel, pdf
from .forms import EXTENSION, RECOGNITIONS
from .heading import file_name, period_label, report_heading
from .jobs import JobRefusedError
from .selectors import extension_report, may_read_province, recognition_report, report_area

CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}
BACK = "reports:staff.index"  # where a job's page sends back to


@dataclass(frozen=True)
class ReportKind:
    kind: str
    title: object  # a lazy translation
    stem: str
    build: Callable  # (area, year_from, year_to, values) -> report
    xlsx: Callable  # (heading, report) -> bytes
    pdf: Callable
    with_annex: bool = False

    def render(self, fmt: str, heading, report) -> bytes:
        return (self.xlsx if fmt == "xlsx" else self.pdf)(heading, report)


KINDS = {
    RECOGNITIONS: ReportKind(
        RECOGNITIONS,
        gettext_lazy("Summary of the SPCNNTTB award results"),
        "tong-hop-binh-chon-spcnnttb",
        lambda area, start, end, values: recognition_report(area, start, end, with_list=bool(values.get("annex"))),
        excel.recognition_xlsx,
        pdf.recognition_pdf,
        with_annex=True,
    ),
    EXTENSION: ReportKind(
        EXTENSION,
        gettext_lazy("Implementation of khuyến công (industrial extension)"),
        "tinh-hinh-thuc-hien-khuyen-cong",
        lambda area, start, end, values: extension_report(area, start, end),
        excel.extension_xlsx,
        pdf.extension_pdf,
    ),
}


def job_params(values: dict) -> dict:
    """What a report's file job stores: the report form's cleaned data, as JSON."""
    return {
        "province": values["province_unit"].pk,
        "year_from": values["year_from"],
        "year_to": values["year_to"],
        "annex": bool(values.get("annex")),
    }


def job_title(kind: str, fmt: str, values: dict) -> str:
    area = report_area(values["province_unit"])
    period = period_label(values["year_from"], values["year_to"]).lower()
    return f"{KINDS[kind].title} — {area.label}, {period} ({fmt.upper()})"


def _unit(job):
    units = AdministrativeUnit.objects.filter(level="province", pk=job.params.get("province"))
    return units.select_related("successor").first()


def may_read(job, user) -> bool:
    unit = _unit(job)
    return unit is not None and may_read_province(user, unit)


def build_file(job, beat) -> tuple[bytes, str, str]:
    """The report's figures, then its file, as the report page shows them (in the portal's language)."""
    spec, params = KINDS[job.kind], job.params
    unit = _unit(job)
    if unit is None or not may_read_province(job.created_by, unit):
        raise JobRefusedError(_("You may no longer read the reports of this province."))
    area = report_area(unit)
    start, end = params["year_from"], params["year_to"]
    report = spec.build(area, start, end, params)
    beat(done=1)
    heading = report_heading(job.created_by, area, str(spec.title), start, end)
    content = spec.render(job.fmt, heading, report)
    return content, file_name(spec.stem, area, start, end, job.fmt), CONTENT_TYPES[job.fmt]
