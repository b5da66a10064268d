"""The council's documents: the score summary (bảng tổng hợp điểm) and the minutes (biên bản họp), as PDF."""

from django.utils import timezone

from portal.core.formatting import NO_NUMBER, vn_date, vn_date_line, vn_number
from portal.core.pdf import document_pdf

from ..enums import CouncilRole, SheetStatus
from ..models import Conflict, ScoreSheet
from ..selectors import round_results

CONFLICT_MARK = "XĐ"
NOT_SCORED_MARK = NO_NUMBER
# Chair first, the secretary last: the order in which a council's members are listed in its documents.
ROLE_ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2, CouncilRole.SECRETARY: 3}


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
    }


def _result_label(row) -> str:
    if row.passes:
        return "Đạt"
    if not row.result.count:
        return "Chưa chấm"
    return "Không đạt"


def _by_group(rows: list, group_of=lambda row: row.nomination.product.group) -> list[dict]:
    """round_results rows (or the lines made of them) are ordered by product group already: cut them into one
    block per group."""
    groups = []
    for row in rows:
        group = group_of(row)
        if not groups or groups[-1]["group"] != group:
            groups.append({"group": group, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _line_group(line: dict):
    return line["nomination"].product.group


def score_summary_context(round_) -> dict:
    """The summary of every scored dossier: each jury member's total, the statistics and the result, as computed
    by round_results (nothing is recomputed here), formatted with the decimal comma."""
    context = _council_document_context(round_)
    council, jury = context["council"], context["jury"]
    rows = round_results(round_)
    conflicts = set(Conflict.objects.filter(member__council=council).values_list("member_id", "nomination_id"))
    lines = []
    for row in rows:
        nomination, result = row.nomination, row.result
        totals = {s.member_id: s.total for s in row.sheets}
        cells = []
        for member in jury:
            if (member.pk, nomination.pk) in conflicts:
                cells.append({"text": CONFLICT_MARK, "conflict": True})
            elif member.pk in totals:
                cells.append({"text": vn_number(totals[member.pk]), "outlier": member.pk in row.outlier_ids})
            else:
                cells.append({"text": NOT_SCORED_MARK})
        lines.append(
            {
                "nomination": nomination,
                "rank": row.rank,
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
                "passes": row.passes,
                "result": _result_label(row),
                "reason": "" if row.passes else row.reason,
            }
        )
    context.update(
        {
            "groups": _by_group(lines, _line_group),
            "conflict_mark": CONFLICT_MARK,
            "has_conflicts": any(c.get("conflict") for line in lines for c in line["cells"]),
        }
    )
    return context


def score_summary_pdf(round_) -> bytes:
    """The score summary (bảng tổng hợp điểm) of a round's council, A4 landscape, for the secretary and the file."""
    return document_pdf("awards/pdf/score_summary.html", score_summary_context, round_)


def _attendees(council, members) -> list[dict]:
    """Every member with its role, a jury member without any submitted sheet marked absent."""
    scored_members = set(
        ScoreSheet.objects.filter(member__council=council, status=SheetStatus.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    return [
        {"member": m, "role": m.get_role_display(), "absent": m.is_jury and m.pk not in scored_members} for m in members
    ]


def _conflicts(council) -> list[dict]:
    """The conflicts of interest declared in the council, by dossier."""
    return [
        {"member": c.member, "nomination": c.nomination, "reason": c.get_reason_display(), "note": c.note}
        for c in Conflict.objects.filter(member__council=council)
        .select_related("member__user", "nomination__product", "nomination__producer")
        .order_by("nomination__receipt_code", "member__pk")
    ]


def minutes_context(round_) -> dict:
    """The minutes of the council's meeting: who took part, what was scored and how, the council's conclusions,
    the products proposed for recognition and those not proposed, and the conflicts of interest declared.

    A jury member without any submitted sheet in the round is listed as absent ("vắng mặt"): the portal knows
    who scored, not who sat in the room, and the secretary corrects the printed minutes by hand if needed."""
    context = _council_document_context(round_)
    council = context["council"]
    rows = round_results(round_)
    attendees = _attendees(council, context["members"])
    conflicts = _conflicts(council)

    def line(row):
        return {
            "nomination": row.nomination,
            "score": vn_number(row.result.score),
            "count": row.result.count,
            "reason": row.reason,
        }

    groups = [
        {
            "group": block["group"],
            "accepted": len(block["rows"]),
            "scored": sum(1 for r in block["rows"] if r.result.count),
            "proposed": sum(1 for r in block["rows"] if r.passes),
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
            "meeting_date": vn_date(council.meeting_date),
            "council_decision_date": vn_date(council.decision_date),
            "accepted_count": len(rows),
            "scored_count": sum(1 for r in rows if r.result.count),
            "sheet_count": sum(r.result.count for r in rows),
            "group_counts": groups,
            "proposed": _by_group([line(r) for r in rows if r.passes], _line_group),
            "not_proposed": [line(r) for r in rows if not r.passes],
            "conflicts": conflicts,
        }
    )
    return context


def minutes_pdf(round_) -> bytes:
    """The minutes (biên bản họp) of a round's council, A4 portrait."""
    return document_pdf("awards/pdf/minutes.html", minutes_context, round_)
