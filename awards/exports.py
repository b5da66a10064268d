"""The score summary (bảng tổng hợp điểm) of a round as an Excel workbook, from the same rows as the page."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.spreadsheets import plain_text_cells

from .selectors import round_results

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
SCORE_FORMAT = "0.00"


def _summary_headers() -> list[str]:
    return [
        _("Rank"),
        _("Product group"),
        _("Receipt code"),
        _("Product"),
        _("Producer"),
        _("Province"),
        _("Sheets"),
        _("Mean"),
        _("Median"),
        _("Lowest"),
        _("Highest"),
        _("Std. dev."),
        _("Score"),
        _("Result"),
    ]


def score_summary_xlsx(round_) -> bytes:
    """The summary sheet (rank, statistics and result of every dossier) and the sheet of totals by member."""
    rows = round_results(round_, shown_only=True)
    council = round_.council
    book = Workbook()
    sheet = book.active
    sheet.title = _("Score summary")[:31]
    sheet.append([_("SCORE SUMMARY")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([round_.title])
    sheet.append([f"{council.name} · {council.decision_number} ({council.decision_date:%d/%m/%Y})"])
    sheet.append([_("Minimum score for recognition"), float(round_.min_score)])
    sheet.append([])
    sheet.append(_summary_headers())
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        nomination, result = row.nomination, row.result
        sheet.append(
            [
                row.rank,
                nomination.product.group.name,
                nomination.receipt_code,
                nomination.product.name,
                nomination.producer.name,
                nomination.producer.current_province.name,
                result.count,
                *(
                    float(v) if v is not None else None
                    for v in (result.mean, result.median, result.minimum, result.maximum, result.stdev, result.score)
                ),
                _("passes") if row.passes else row.reason,
            ]
        )
        for column in range(8, 14):
            sheet.cell(row=sheet.max_row, column=column).number_format = SCORE_FORMAT
    for index, width in enumerate([6, 28, 18, 36, 36, 16, 8, 10, 10, 10, 10, 10, 10, 30], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    _members_sheet(book, rows)
    plain_text_cells(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _members_sheet(book, rows) -> None:
    """Each dossier's total from each jury member, one column per member."""
    members_sheet = book.create_sheet(_("Sheets by member")[:31])
    members = sorted({s.member for row in rows for s in row.sheets}, key=lambda m: (m.role, m.pk))
    members_sheet.append([_("Receipt code"), _("Product"), *[m.user.full_name for m in members]])
    for cell in members_sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        totals = {s.member_id: float(s.total) for s in row.sheets}
        members_sheet.append(
            [row.nomination.receipt_code, row.nomination.product.name, *[totals.get(m.pk) for m in members]]
        )
