"""Printable documents of the awards app, rendered to PDF with WeasyPrint.

No request objects here: a view, a task or a management command can all call these functions.

Fonts are the static TTFs of `fontpkg-ibm-plex-serif`, referenced by file:// URLs from the template's @font-face
rules, so nothing depends on the fonts installed on the machine. NĐ 30/2020 names Times New Roman for state
documents; none of the packaged fonts is metric-identical, and IBM Plex Serif is a static serif with every
Vietnamese glyph (variable fonts cost about 4x the render time, see shared/STACK.md). Plex has a larger
x-height than Times, so 12 pt Plex reads like the 13-14 pt Times that the decree asks for body text.
"""

import datetime
import functools
import threading
from pathlib import Path

import fontpkg_ibm_plex_serif
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import NominationStatus
from .models import Criterion

FONT_DIR = Path(fontpkg_ibm_plex_serif.ROOT) / "files"
FONT_FILES = {
    "regular": FONT_DIR / "IBMPlexSerif-Regular.ttf",
    "bold": FONT_DIR / "IBMPlexSerif-Bold.ttf",
    "italic": FONT_DIR / "IBMPlexSerif-Italic.ttf",
}

# One FontConfiguration per process: WeasyPrint keeps the @font-face files it has loaded in it (keyed on the
# rule), so later documents skip re-reading and re-registering the fonts. Fontconfig and Pango are not
# thread-safe, hence the lock: a render is CPU-bound under the GIL anyway.
_render_lock = threading.Lock()


@functools.cache
def font_config():
    from weasyprint.text.fonts import FontConfiguration  # imported on first use: the import costs ~0.5 s

    return FontConfiguration()


def vn_date_line(place: str, day: datetime.date) -> str:
    """'Cao Bằng, ngày 05 tháng 01 năm 2026' (NĐ 30/2020, Phụ lục I: a 0 before days below 10 and before the
    months 1 and 2 only, so 'ngày 15 tháng 3')."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _format_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vnd(amount: int | None) -> str:
    """1075000000 -> '1.075.000.000 đồng'."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def registration_form_context(nomination) -> dict:
    """What the registration form shows: plain values, already formatted, so the template only lays out."""
    producer = nomination.producer
    is_draft = nomination.status == NominationStatus.DRAFT
    if nomination.submitted_at and not is_draft:
        day = timezone.localtime(nomination.submitted_at).date()
    else:
        day = timezone.localdate()
    documents = [
        {
            "type": nd.document.doc_type.name,
            "number": nd.document.number,
            "issuer": nd.document.issuer,
            "issue_date": _format_date(nd.document.issue_date),
            "expiry_date": _format_date(nd.document.expiry_date),
        }
        for nd in nomination.documents.select_related("document__doc_type").order_by(
            "item__document_type__order", "item__document_type__name", "pk"
        )
    ]
    return {
        "nomination": nomination,
        "producer": producer,
        "product": nomination.product,
        "round": nomination.round,
        "is_draft": is_draft,
        "date_line": vn_date_line(producer.current_province.name, day),
        "level_line": f"{nomination.round.level.name} năm {nomination.round.year}".upper(),
        "producer_kind": producer.get_kind_display(),
        "revenue": vnd(nomination.annual_revenue),
        "documents": documents,
        "photo_count": nomination.photos.count(),
        "fonts": {key: path.as_uri() for key, path in FONT_FILES.items()},
    }


def registration_form_html(nomination) -> str:
    with translation.override("vi"):
        return render_to_string("awards/pdf/registration_form.html", registration_form_context(nomination))


def render_pdf(html: str) -> bytes:
    """HTML to PDF bytes. Only local files (the fonts) may be fetched: a document never reaches the network."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("file",))
    with _render_lock:
        return weasyprint.HTML(
            string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(font_config=font_config())


def registration_form_pdf(nomination) -> bytes:
    """The filled registration form (phiếu đăng ký tham gia bình chọn) of a nomination, as PDF bytes."""
    return render_pdf(registration_form_html(nomination))


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
        "fonts": {key: path.as_uri() for key, path in FONT_FILES.items()},
    }


def score_sheet_pdf(sheet) -> bytes:
    with translation.override("vi"):
        html = render_to_string("awards/pdf/score_sheet.html", score_sheet_context(sheet))
    return render_pdf(html)
