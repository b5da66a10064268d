"""The decision's attachment list (phụ lục: danh sách sản phẩm được công nhận, kèm theo Quyết định số …) as a PDF
(A4 portrait, NĐ 30/2020 appendix heading) and as an Excel workbook. Official content: Vietnamese whatever the
language of the page that links to it, as in the other printed documents."""

import io

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from portal.core.pdf import document_pdf
from portal.core.spreadsheets import plain_text_cells

from ..enums import CertificateStatus
from ..models import Certificate, Recognition

COLUMNS = [
    ("STT", 6),
    ("Tên sản phẩm", 34),
    ("Nhóm sản phẩm", 30),
    ("Tên chủ thể sản xuất", 32),
    ("Địa chỉ", 44),
    ("Số giấy chứng nhận", 18),
]


def decision_title(decision) -> str:
    level = decision.round.level.name.upper()
    return f"DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {level} NĂM {decision.round.year}"


def decision_reference(decision) -> str:
    return f"(Kèm theo Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y} của {decision.issuing_body.name})"


def decision_list_rows(decision) -> list[dict]:
    """The recognised products in the order of the decision's list (product group, then product name), with
    the number of the certificate in force when one is issued. A fixed number of queries."""
    recognitions = (
        Recognition.objects.filter(decision=decision)
        .select_related(
            "product__group",
            "product__producer__unit",
            "product__producer__province",
            "product__producer__current_unit",
            "product__producer__current_province",
        )
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(status=CertificateStatus.VALID).only("pk", "number", "recognition"),
                to_attr="current_certificates",
            )
        )
        .order_by("product__group__order", "product__name", "pk")
    )
    rows = []
    for index, recognition in enumerate(recognitions, start=1):
        product = recognition.product
        producer = product.producer
        current = recognition.current_certificates
        rows.append(
            {
                "no": index,
                "product": product.name,
                "group": product.group.name,
                "producer": producer.name,
                "address": producer.address_on(decision.date),
                "certificate": current[0].number if current else "",
            }
        )
    return rows


def decision_list_context(decision) -> dict:
    return {
        "decision": decision,
        "title": decision_title(decision),
        "reference": decision_reference(decision),
        "rows": decision_list_rows(decision),
    }


def decision_list_pdf(decision) -> bytes:
    return document_pdf("awards/pdf/decision_list.html", decision_list_context, decision)


THIN = Side(style="thin", color="000000")
CELL_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def decision_list_xlsx(decision) -> bytes:
    rows = decision_list_rows(decision)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    last_column = get_column_letter(len(COLUMNS))
    for line, (text, font) in enumerate(
        [
            ("Phụ lục", Font(bold=True, size=13)),
            (decision_title(decision), Font(bold=True, size=13)),
            (decision_reference(decision), Font(italic=True, size=12)),
        ],
        start=1,
    ):
        sheet.cell(row=line, column=1, value=text).font = font
        sheet.cell(row=line, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.merge_cells(f"A{line}:{last_column}{line}")
    sheet.row_dimensions[2].height = 32
    sheet.append([])
    sheet.append([heading for heading, _width in COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = CELL_BORDER
    for row in rows:
        sheet.append([row["no"], row["product"], row["group"], row["producer"], row["address"], row["certificate"]])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = CELL_BORDER
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(horizontal="center", vertical="top")
    sheet.append([])
    sheet.append([f"Danh sách gồm {len(rows)} sản phẩm./."])
    sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    plain_text_cells(book)
    book.save(out)
    return out.getvalue()
