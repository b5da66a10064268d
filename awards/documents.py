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
from decimal import Decimal
from pathlib import Path

import fontpkg_ibm_plex_serif
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import CouncilRole, NominationStatus, SheetStatus
from .models import Conflict, Criterion, ScoreSheet
from .selectors import round_results

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


def render_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """HTML to PDF bytes. Only local files (the fonts) may be fetched: a document never reaches the network.
    `pdf_variant` is WeasyPrint's, e.g. "pdf/a-3b" for an archival document (see certificate_documents)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("file",))
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    with _render_lock:
        return weasyprint.HTML(
            string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(font_config=font_config(), **options)


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


# --- The council's documents: the score summary (bảng tổng hợp điểm) and the minutes (biên bản họp) ---

CONFLICT_MARK = "XĐ"
NOT_SCORED_MARK = "—"
# Chair first, the secretary last: the order in which a council's members are listed in its documents.
ROLE_ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2, CouncilRole.SECRETARY: 3}


def vn_number(value, places: int = 2) -> str:
    """Decimal(82.5) -> '82,50'; 1234.5 -> '1.234,50'; None -> '—'."""
    if value is None:
        return NOT_SCORED_MARK
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def document_place(round_) -> str:
    """The place in a council document's date line: the round's province, else the organiser's (a region or
    national round is run from Hà Nội)."""
    if round_.province_id:
        return round_.province.name
    if round_.organiser.province_id:
        return round_.organiser.province.name
    return "Hà Nội"


def council_members_in_order(council) -> list:
    members = council.members.select_related("user")
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.pk))


def _council_document_context(round_) -> dict:
    """What both council documents share: the heading, the date line, the members and the two signers."""
    council = round_.council
    members = council_members_in_order(council)
    return {
        "round": round_,
        "council": council,
        "organiser": round_.organiser,
        "members": members,
        "jury": [m for m in members if m.is_jury],
        "chair": next((m for m in members if m.role == CouncilRole.CHAIR), None),
        "secretary": next((m for m in members if m.role == CouncilRole.SECRETARY), None),
        "date_line": vn_date_line(document_place(round_), council.meeting_date or timezone.localdate()),
        "level_line": f"{round_.level.name} năm {round_.year}".upper(),
        "fonts": {key: path.as_uri() for key, path in FONT_FILES.items()},
    }


def _result_label(row) -> str:
    if row["passes"]:
        return "Đạt"
    if not row["result"].count:
        return "Chưa chấm"
    return "Không đạt"


def _by_group(rows: list[dict]) -> list[dict]:
    """round_results rows are ordered by product group already: cut them into one block per group."""
    groups = []
    for row in rows:
        group = row["nomination"].product.group
        if not groups or groups[-1]["group"] != group:
            groups.append({"group": group, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def score_summary_context(round_) -> dict:
    """The summary of every scored dossier: each jury member's total, the statistics and the result, as computed
    by round_results (nothing is recomputed here), formatted with the decimal comma."""
    context = _council_document_context(round_)
    council, jury = context["council"], context["jury"]
    rows = round_results(round_)
    conflicts = set(Conflict.objects.filter(member__council=council).values_list("member_id", "nomination_id"))
    lines = []
    for row in rows:
        nomination, result = row["nomination"], row["result"]
        totals = {s.member_id: s.total for s in row["sheets"]}
        cells = []
        for member in jury:
            if (member.pk, nomination.pk) in conflicts:
                cells.append({"text": CONFLICT_MARK, "conflict": True})
            elif member.pk in totals:
                cells.append({"text": vn_number(totals[member.pk]), "outlier": member.pk in row["outlier_ids"]})
            else:
                cells.append({"text": NOT_SCORED_MARK})
        lines.append(
            {
                "nomination": nomination,
                "rank": row["rank"],
                "cells": cells,
                "count": result.count,
                "mean": vn_number(result.mean),
                "median": vn_number(result.median),
                "range": f"{vn_number(result.minimum)}–{vn_number(result.maximum)}"
                if result.count
                else NOT_SCORED_MARK,
                "stdev": vn_number(result.stdev),
                "score": vn_number(result.score),
                "trimmed": result.trimmed,
                "passes": row["passes"],
                "result": _result_label(row),
                "reason": "" if row["passes"] else row["reason"],
            }
        )
    context.update(
        {
            "groups": _by_group(lines),
            "conflict_mark": CONFLICT_MARK,
            "has_conflicts": any(c.get("conflict") for line in lines for c in line["cells"]),
        }
    )
    return context


def score_summary_pdf(round_) -> bytes:
    """The score summary (bảng tổng hợp điểm) of a round's council, A4 landscape, for the secretary and the file."""
    with translation.override("vi"):
        html = render_to_string("awards/pdf/score_summary.html", score_summary_context(round_))
    return render_pdf(html)


def minutes_context(round_) -> dict:
    """The minutes of the council's meeting: who took part, what was scored and how, the council's conclusions,
    the products proposed for recognition and those not proposed, and the conflicts of interest declared.

    A jury member without any submitted sheet in the round is listed as absent ("vắng mặt"): the portal knows
    who scored, not who sat in the room, and the secretary corrects the printed minutes by hand if needed."""
    context = _council_document_context(round_)
    council = context["council"]
    rows = round_results(round_)
    scored_members = set(
        ScoreSheet.objects.filter(member__council=council, status=SheetStatus.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    attendees = [
        {
            "member": m,
            "role": m.get_role_display(),
            "absent": m.is_jury and m.pk not in scored_members,
        }
        for m in context["members"]
    ]
    conflicts = [
        {
            "member": c.member,
            "nomination": c.nomination,
            "reason": c.get_reason_display(),
            "note": c.note,
        }
        for c in Conflict.objects.filter(member__council=council)
        .select_related("member__user", "nomination__product", "nomination__producer")
        .order_by("nomination__receipt_code", "member__pk")
    ]

    def line(row):
        return {
            "nomination": row["nomination"],
            "score": vn_number(row["result"].score),
            "count": row["result"].count,
            "reason": row["reason"],
        }

    groups = [
        {
            "group": block["group"],
            "accepted": len(block["rows"]),
            "scored": sum(1 for r in block["rows"] if r["result"].count),
            "proposed": sum(1 for r in block["rows"] if r["passes"]),
        }
        for block in _by_group(rows)
    ]
    jury_attendees = [a for a in attendees if a["member"].is_jury]
    context.update(
        {
            "programme": round_.programme,
            "jury_attendees": jury_attendees,
            "secretariat_attendees": [a for a in attendees if not a["member"].is_jury],
            "present_count": sum(1 for a in jury_attendees if not a["absent"]),
            "meeting_date": _format_date(council.meeting_date),
            "council_decision_date": _format_date(council.decision_date),
            "accepted_count": len(rows),
            "scored_count": sum(1 for r in rows if r["result"].count),
            "sheet_count": sum(r["result"].count for r in rows),
            "group_counts": groups,
            "proposed": _by_group([line(r) for r in rows if r["passes"]]),
            "not_proposed": [line(r) for r in rows if not r["passes"]],
            "conflicts": conflicts,
        }
    )
    return context


def minutes_pdf(round_) -> bytes:
    """The minutes (biên bản họp) of a round's council, A4 portrait."""
    with translation.override("vi"):
        html = render_to_string("awards/pdf/minutes.html", minutes_context(round_))
    return render_pdf(html)
