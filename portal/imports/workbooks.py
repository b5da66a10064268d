"""The Excel files of the import pages: a template per kind (the headings, one example row, and a second sheet
listing the valid values) and the current data of the user's province in the same layout, ready to edit and
re-import. Both come from the resources, so their headings are the ones the import reads."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from awards.enums import OcopLevel
from awards.models import Level, OcopRating, Recognition
from extension_projects.enums import FairLevel, ProjectStatus
from extension_projects.models import ActivityType, FairParticipation, Project
from portal.core.access import scoped
from portal.core.spreadsheets import plain_text_cells
from products.enums import ProducerKind
from products.importing import province_label
from products.models import AdministrativeUnit, Producer, Product, ProductGroup

from ..models import ImportKind
from .resources import RESOURCES

TEXT_COLUMNS = {"Mã số thuế", "Mã đề án", "Số quyết định", "Số quyết định phê duyệt", "Số hợp đồng"}

EXAMPLES = {
    ImportKind.PRODUCERS: {
        "Mã số thuế": "4800123456",
        "Tên cơ sở": "Hợp tác xã Tâm Hòa",
        "Loại hình": "Hợp tác xã",
        "Người đại diện": "Nguyễn Thanh Tâm",
        "Chức vụ": "Giám đốc",
        "Địa chỉ": "Tổ 5, phường Thục Phán",
        "Tỉnh/thành phố": "Cao Bằng",
        "Điện thoại": "0206 3852 123",
        "Năm thành lập": "2016",
        "Số lao động": "25",
    },
    ImportKind.PRODUCTS: {
        "Mã số thuế": "4800123456",
        "Tên sản phẩm": "Lạp sườn hun khói Tâm Hòa",
        "Nhóm sản phẩm": "2",
        "Mô tả": "Lạp sườn hun khói bằng củi nghiến theo cách truyền thống của người Tày.",
    },
    ImportKind.RECOGNITIONS: {
        "Mã số thuế": "4800123456",
        "Tên sản phẩm": "Lạp sườn hun khói Tâm Hòa",
        "Cấp": "Cấp tỉnh",
        "Năm": "2019",
        "Số quyết định": "1450/QĐ-UBND",
        "Ngày quyết định": "05/11/2019",
    },
    ImportKind.OCOP_RATINGS: {
        "Mã số thuế": "4800123456",
        "Tên sản phẩm": "Lạp sườn hun khói Tâm Hòa",
        "Số sao": "3",
        "Tổng điểm": "65,5",
        "Điểm phần A": "25",
        "Điểm phần B": "15,5",
        "Điểm phần C": "25",
        "Số quyết định": "2105/QĐ-UBND",
        "Ngày quyết định": "15/12/2021",
    },
    ImportKind.PROJECTS: {
        "Mã đề án": "KCĐP-2022-01",
        "Tên đề án": "Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa",
        "Loại hoạt động": "equipment",
        "Năm kế hoạch": "2022",
        "Tỉnh/thành phố": "Cao Bằng",
        "Đơn vị thực hiện": "Trung tâm Khuyến công tỉnh Cao Bằng",
        "Số cơ sở được hỗ trợ": "1",
        "Số quyết định phê duyệt": "215/QĐ-SCT",
        "Ngày phê duyệt": "15/03/2022",
        "Trạng thái": str(ProjectStatus.SETTLED.label),
        "Kinh phí KCĐP (đồng)": "250.000.000",
        "Vốn đối ứng (đồng)": "300.000.000",
    },
    ImportKind.PARTICIPATIONS: {
        "Tên hội chợ": "Hội chợ Công Thương vùng Đông Bắc 2022",
        "Từ ngày": "20/10/2022",
        "Đến ngày": "24/10/2022",
        "Địa điểm": "Cao Bằng",
        "Đơn vị tổ chức": "Sở Công Thương Cao Bằng",
        "Cấp hội chợ": str(FairLevel.REGIONAL.label),
        "Tỉnh/thành phố": "Cao Bằng",
        "Mã số thuế": "4800123456",
        "Sản phẩm trưng bày": "Lạp sườn hun khói Tâm Hòa",
        "Số gian hàng": "1",
        "Kinh phí hỗ trợ (đồng)": "12.000.000",
        "Doanh thu tại hội chợ (đồng)": "45.500.000",
    },
}


def _sheet(workbook, title, headers, rows):
    sheet = workbook.active if workbook.active.max_row == 1 and workbook.active.title == "Sheet" else None
    sheet = sheet or workbook.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    text_columns = [i for i, h in enumerate(headers, 1) if h in TEXT_COLUMNS]
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    for i, heading in enumerate(headers, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, min(45, len(str(heading)) + 4))
        if i in text_columns:
            # Tax codes and numbers keep their leading zeros and slashes: a text column.
            sheet.column_dimensions[letter].number_format = "@"
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    return sheet


def _to_bytes(workbook) -> bytes:
    plain_text_cells(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _codes(kind):
    """Valid values of the template's choice columns, listed on its second sheet."""
    provinces = AdministrativeUnit.objects.provinces(before_reform=True)
    lists = {_("Province"): [province_label(p) for p in provinces]}
    if kind == ImportKind.PRODUCERS:
        lists[_("Kind")] = [str(label) for _v, label in ProducerKind.choices]
    if kind == ImportKind.PRODUCTS:
        lists[_("Product group")] = [f"{g.code} — {g.name}" for g in ProductGroup.objects.all()]
    if kind == ImportKind.RECOGNITIONS:
        lists[_("Level")] = [f"{lv.name} ({lv.code})" for lv in Level.objects.all()]
    if kind == ImportKind.OCOP_RATINGS:
        lists[_("Evaluated at")] = [str(label) for _v, label in OcopLevel.choices]
    if kind == ImportKind.PROJECTS:
        lists[_("Activity type")] = [f"{t.code} — {t.name}" for t in ActivityType.objects.all()]
        lists[_("Status")] = [str(label) for _v, label in ProjectStatus.choices]
    if kind == ImportKind.PARTICIPATIONS:
        lists[_("Fair level")] = [str(label) for _v, label in FairLevel.choices]
    return lists


def template_workbook(kind: str) -> bytes:
    resource = RESOURCES[kind]()
    headers = [f.column_name for f in resource.get_export_fields() if not f.readonly]
    example = EXAMPLES[kind]
    workbook = Workbook()
    _sheet(workbook, _("Data"), headers, [[example.get(h, "") for h in headers]])
    lists = _codes(kind)
    names = list(lists)
    longest = max(len(v) for v in lists.values())
    rows = [[lists[n][i] if i < len(lists[n]) else "" for n in names] for i in range(longest)]
    _sheet(workbook, _("Valid values"), names, rows)
    return _to_bytes(workbook)


def _queryset(kind, user):
    table = {
        ImportKind.PRODUCERS: (
            Producer.objects.select_related("province", "current_province").order_by("name", "id"),
            "current_province_id",
        ),
        ImportKind.PRODUCTS: (
            Product.objects.select_related("producer", "group").order_by("producer__name", "name", "id"),
            "producer__current_province_id",
        ),
        ImportKind.RECOGNITIONS: (
            Recognition.objects.select_related("product__producer", "level").order_by("-year", "level__rank", "id"),
            "product__producer__current_province_id",
        ),
        ImportKind.OCOP_RATINGS: (
            OcopRating.objects.select_related("product__producer", "criteria_set").order_by("-decision_date", "id"),
            "product__producer__current_province_id",
        ),
        ImportKind.PROJECTS: (Project.objects.order_by("-plan_year", "code"), "current_province_id"),
        ImportKind.PARTICIPATIONS: (
            FairParticipation.objects.order_by("-fair__starts_on", "fair__name", "producer__name"),
            "fair__current_province_id",
        ),
    }
    queryset, _lookup = table[kind]
    return scoped(queryset, user)


def export_workbook(kind: str, user) -> bytes:
    """The records of the user's province (every province for a superuser) in the import layout."""
    resource = RESOURCES[kind](actor=user)
    dataset = resource.export(queryset=_queryset(kind, user))
    workbook = Workbook()
    _sheet(workbook, _("Data"), list(dataset.headers), [list(r) for r in dataset])
    return _to_bytes(workbook)
