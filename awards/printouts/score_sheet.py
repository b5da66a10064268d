"""A member's score sheet (phiếu chấm điểm) as PDF."""

from django.utils import timezone

from portal.core.formatting import vn_date_line
from portal.core.pdf import document_pdf

from ..models import Criterion


def score_sheet_context(sheet) -> dict:
    """A member's score sheet (phiếu chấm điểm, Phụ lục 4): the criteria tree with maxima and the points given."""
    council = sheet.member.council
    points = {s.criterion_id: s.points for s in sheet.scores.all()}
    criteria = list(Criterion.objects.filter(sheet=council.criteria_sheet).order_by("order"))
    rows = []
    for criterion in criteria:
        if criterion.parent_id is None:
            children = [c for c in criteria if c.parent_id == criterion.pk]
            subtotal = sum((points.get(c.pk) or 0) for c in children)
            rows.append(
                {
                    "group": True,
                    "code": criterion.code,
                    "title": criterion.title,
                    "max": criterion.max_points,
                    "points": subtotal,
                }
            )
        else:
            rows.append(
                {
                    "group": False,
                    "code": criterion.code,
                    "title": criterion.title,
                    "max": criterion.max_points,
                    "points": points.get(criterion.pk),
                }
            )
    nomination = sheet.nomination
    day = timezone.localtime(sheet.submitted_at).date() if sheet.submitted_at else timezone.localdate()
    return {
        "sheet": sheet,
        "member": sheet.member,
        "council": council,
        "nomination": nomination,
        "round": nomination.round,
        "rows": rows,
        "is_draft": sheet.status != "submitted",
        "date_line": vn_date_line(
            nomination.round.organiser.province.name if nomination.round.organiser.province_id else "Hà Nội", day
        ),
        "level_line": f"{nomination.round.level.name} năm {nomination.round.year}".upper(),
    }


def score_sheet_pdf(sheet) -> bytes:
    return document_pdf("awards/pdf/score_sheet.html", score_sheet_context, sheet)
