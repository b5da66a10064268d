"""The NĐ 30/2020 heading block of a report (issuing body on the left, national motto on the right, date line),
its title, area and period, shared by the preview page, the Excel workbook and the PDF."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.formatting import vn_date_line
from products.enums import OrganizationKind
from products.headings import MINISTRY, default_heading
from products.models import Organization
from products.search import fold

from .selectors import ReportArea

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Heading:
    parent_body: str
    body: str
    title: str
    area: str
    period: str
    date_line: str
    day: datetime.date
    motto: str = MOTTO
    slogan: str = SLOGAN


def period_label(year_from: int, year_to: int) -> str:
    if year_from == year_to:
        return _("Year %(year)s") % {"year": year_from}
    return _("Period %(start)s–%(end)s") % {"start": year_from, "end": year_to}


def issuing_body(user, area: ReportArea) -> tuple[str, str]:
    """(parent body, body): a ministry official's agency under the ministry, else the department of the area's
    province today under its People's Committee — the heading lines recorded on the organisation
    (products/headings.py), or their defaults where the portal has no such organisation."""
    organization = user.organization if user.organization_id else None
    if organization is None or organization.kind != OrganizationKind.MINISTRY_AGENCY:
        organization = Organization.objects.filter(kind=OrganizationKind.DEPARTMENT, province=area.today).first()
        if organization is None:
            governing, name = default_heading(OrganizationKind.DEPARTMENT, "Sở Công Thương", area.today)
            return governing, name
    heading = organization.heading_lines
    return " ".join(heading["governing"]), " ".join(heading["name"])


def report_heading(user, area: ReportArea, title: str, year_from: int, year_to: int) -> Heading:
    parent, body = issuing_body(user, area)
    day = timezone.localdate()
    # The ministry signs in Hà Nội; a department in its own province.
    place = "Hà Nội" if parent == MINISTRY else area.place
    return Heading(
        parent_body=parent,
        body=body,
        title=title,
        area=area.label,
        period=period_label(year_from, year_to),
        date_line=vn_date_line(place, day),
        day=day,
    )


def file_name(stem: str, area: ReportArea, year_from: int, year_to: int, extension: str) -> str:
    place = "-".join(fold(area.province.name).split())
    era = "" if area.is_current else "-truoc-2025"
    return f"{stem}-{place}{era}-{year_from}-{year_to}.{extension}"
