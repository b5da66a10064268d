"""Excel and CSV exports of the staff lists: the rows of the current filters on every page, scoped like the list,
Vietnamese headings, real dates and numbers in Excel, UTF-8 with a byte-order mark in CSV, a fixed number of
queries whatever the number of rows."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from awards.list_exports import CertificateListExport, OcopRatingListExport, RecognitionListExport
from awards.views.certificates import CertificateListView
from awards.views.ocop import OcopRatingListView
from awards.views.recognitions import RecognitionListView
from extension_projects.list_exports import FairListExport, ParticipationListExport, ProjectListExport
from extension_projects.views.fairs import FairListView
from extension_projects.views.projects import ProjectListView
from portal.accounts.enums import Role
from products.list_exports import ProducerListExport, ProductListExport
from products.views.staff import ProducerListView, ProductListView
from tests import factories

from .conftest import CB, CM

pytestmark = pytest.mark.django_db


@dataclass
class Spec:
    name: str
    url: str
    stem: str
    resource: type
    view: type
    heading: str  # one Vietnamese heading the file must have
    search: dict = field(default_factory=dict)  # keeps item 0 of each province only
    params: dict = field(default_factory=dict)


LISTS = [
    Spec(
        "producers",
        "products:staff.producer.list",
        "co-so-san-xuat",
        ProducerListExport,
        ProducerListView,
        "Mã số thuế / số đăng ký",
        {"q": "lap suon"},
    ),
    Spec(
        "products",
        "products:staff.product.list",
        "san-pham",
        ProductListExport,
        ProductListView,
        "Tên sản phẩm",
        {"q": "lap suon"},
    ),
    Spec(
        "recognitions",
        "awards:staff.recognition.list",
        "cong-nhan",
        RecognitionListExport,
        RecognitionListView,
        "Số quyết định",
        {"q": "lap suon"},
    ),
    Spec(
        "certificates",
        "awards:staff.certificate.list",
        "giay-chung-nhan",
        CertificateListExport,
        CertificateListView,
        "Số giấy chứng nhận",
        {"q": "lap suon"},
    ),
    Spec(
        "ocop",
        "awards:staff.ocop.list",
        "xep-hang-ocop",
        OcopRatingListExport,
        OcopRatingListView,
        "Hạng sao",
        {"q": "lap suon"},
    ),
    Spec(
        "projects",
        "extension_projects:staff.project.list",
        "de-an-khuyen-cong",
        ProjectListExport,
        ProjectListView,
        "Kinh phí phê duyệt (đồng)",
        {"q": "lap suon"},
    ),
    Spec(
        "fairs",
        "extension_projects:staff.fair.list",
        "hoi-cho",
        FairListExport,
        FairListView,
        "Lượt tham gia",
        {"year_from": "2023", "year_to": "2023"},
    ),
    Spec(
        "participations",
        "extension_projects:staff.fair.list",
        "luot-tham-gia-hoi-cho",
        ParticipationListExport,
        FairListView,
        "Kinh phí được hỗ trợ (đồng)",
        {"year_from": "2023", "year_to": "2023"},
        {"rows": "participations"},
    ),
]
IDS = [spec.name for spec in LISTS]


def export(client, spec, fmt="xlsx", **filters):
    response = client.get(reverse(spec.url), {**spec.params, **filters, "export": fmt})
    return response, read(response, fmt) if response.status_code == 200 else None


def read(response, fmt):
    """The file as rows of values (the heading row first)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 byte-order mark"
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def text_of(rows) -> str:
    return " | ".join(str(v) for row in rows for v in row if v is not None)


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_export_holds_every_row_of_the_province_on_all_pages(client, staff_user, registry, spec, monkeypatch):
    registry(3)
    monkeypatch.setattr(spec.view, "paginate_by", 2)  # the page shows 2 rows; the file has all of them
    client.force_login(staff_user)
    page = client.get(reverse(spec.url), spec.params)
    assert page.status_code == 200
    assert len(page.context["object_list"]) == 2

    response, rows = export(client, spec)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert re.fullmatch(
        rf'attachment; filename="{spec.stem}-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx"', response["Content-Disposition"]
    )
    assert len(rows) == 1 + 3
    assert spec.heading in rows[0]
    assert CB in text_of(rows[1:])
    assert CM not in text_of(rows)


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_export_keeps_only_the_filtered_rows(client, staff_user, registry, spec):
    registry(3)
    client.force_login(staff_user)
    for fmt in ("xlsx", "csv"):
        response, rows = export(client, spec, fmt, **spec.search)
        assert response.status_code == 200
        assert len(rows) == 2, rows
        assert "Miến dong" not in text_of(rows)
        assert "số 1" not in text_of(rows)


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_other_province_never_sees_the_rows_and_superuser_sees_both(
    client, staff_user, other_staff_user, superuser, registry, spec
):
    registry(2)
    client.force_login(other_staff_user)
    _response, rows = export(client, spec, "csv")
    assert len(rows) == 1 + 2
    assert "Lạp sườn hun khói Cao Bằng" not in text_of(rows)
    assert "Hội chợ Cao Bằng" not in text_of(rows)
    client.force_login(superuser)
    _response, rows = export(client, spec, "csv")
    assert len(rows) == 1 + 4
    if spec.name in MINISTRY_READS:
        client.force_login(factories.UserFactory(role=Role.MINISTRY, organization=factories.ministry_organization()))
        _response, rows = export(client, spec, "csv")
        assert len(rows) == 1 + 4


# The lists a dashboard's figures link to are open to ministry officials (every province, read-only).
MINISTRY_READS = {"recognitions", "ocop", "projects", "fairs", "participations"}


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_export_is_refused_outside_the_department(client, producer_user, member_user, spec):
    response = client.get(reverse(spec.url), {**spec.params, "export": "xlsx"})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
    for user in (producer_user, member_user):
        client.force_login(user)
        assert client.get(reverse(spec.url), {**spec.params, "export": "csv"}).status_code == 403
    client.force_login(factories.UserFactory(role=Role.MINISTRY, organization=factories.ministry_organization()))
    expected = 200 if spec.name in MINISTRY_READS else 403
    assert client.get(reverse(spec.url), {**spec.params, "export": "csv"}).status_code == expected


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_headings_are_all_translated(spec):
    with translation.override("en"):
        english = spec.resource().get_export_headers()
    with translation.override("vi"):
        vietnamese = spec.resource().get_export_headers()
    assert spec.heading in vietnamese
    untranslated = [vi for vi, en in zip(vietnamese, english, strict=True) if vi == en]
    assert untranslated == []


@pytest.mark.parametrize("spec", LISTS, ids=IDS)
def test_export_costs_the_same_queries_for_more_rows(client, staff_user, registry, spec, django_assert_max_num_queries):
    registry(1)
    client.force_login(staff_user)
    export(client, spec)  # warm per-process caches
    small = {}
    for fmt in ("xlsx", "csv"):
        with CaptureQueriesContext(connection) as queries:
            _response, rows = export(client, spec, fmt)
        assert len(rows) == 2
        small[fmt] = len(queries.captured_queries)
    registry(4)
    for fmt in ("xlsx", "csv"):
        with django_assert_max_num_queries(small[fmt]):
            _response, rows = export(client, spec, fmt)
        assert len(rows) == 1 + 5


def test_producer_file_has_labels_dates_and_text_tax_codes(client, staff_user, registry):
    registry(1)
    client.force_login(staff_user)
    spec = LISTS[0]
    _response, rows = export(client, spec)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Loại hình"] == "Hợp tác xã"  # the label, not "cooperative"
    assert record["Tên"] == "HTX Lạp sườn Cao Bằng"
    assert isinstance(record["Mã số thuế / số đăng ký"], str)
    assert record["Mã số thuế / số đăng ký"].startswith("48")
    _response, csv_rows = export(client, spec, "csv")
    csv_record = dict(zip(csv_rows[0], csv_rows[1], strict=True))
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", csv_record["Ngày ghi nhận"])


def test_money_is_a_number_with_thousands_in_excel_and_plain_digits_in_csv(client, staff_user, registry):
    registry(1)
    client.force_login(staff_user)
    spec = next(s for s in LISTS if s.name == "projects")
    response = client.get(reverse(spec.url), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headings = [c.value for c in sheet[1]]
    approved = sheet.cell(row=2, column=headings.index("Kinh phí phê duyệt (đồng)") + 1)
    assert approved.value == 550_000_000
    assert approved.number_format == "#,##0"
    local = sheet.cell(row=2, column=headings.index("Kinh phí khuyến công địa phương được duyệt (đồng)") + 1)
    assert local.value == 250_000_000
    status = sheet.cell(row=2, column=headings.index("Trạng thái") + 1)
    assert status.value == "Đề xuất"
    _response, rows = export(client, spec, "csv")
    assert dict(zip(rows[0], rows[1], strict=True))["Kinh phí phê duyệt (đồng)"] == "550000000"


def test_dates_are_date_cells_in_excel_and_dd_mm_yyyy_in_csv(client, staff_user, registry):
    registry(1)
    client.force_login(staff_user)
    spec = next(s for s in LISTS if s.name == "recognitions")
    response = client.get(reverse(spec.url), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headings = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headings.index("Ngày quyết định") + 1)
    assert cell.value.date() == datetime.date(2024, 10, 1)
    assert cell.number_format == "dd/mm/yyyy"
    _response, rows = export(client, spec, "csv")
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Ngày quyết định"] == "01/10/2024"
    assert record["Số giấy chứng nhận"].endswith("/GCN-UBND")
    assert record["Nguồn"] == "Nhập từ hồ sơ lưu trữ"


def test_list_pages_link_to_the_export_with_the_current_filters(client, staff_user, registry):
    registry(1)
    client.force_login(staff_user)
    html = client.get(reverse("products:staff.producer.list"), {"q": "lap suon", "page": "1"}).content.decode()
    assert "Xuất Excel" in html
    assert "Xuất CSV" in html
    assert "?q=lap+suon&amp;export=xlsx" in html
    assert "page=1&amp;export" not in html
    fairs = client.get(reverse("extension_projects:staff.fair.list")).content.decode()
    assert "export=xlsx&amp;rows=participations" in fairs


def test_years_and_counts_have_no_decimals_in_excel(client, staff_user, registry):
    registry(1)
    client.force_login(staff_user)
    spec = next(s for s in LISTS if s.name == "recognitions")
    response = client.get(reverse(spec.url), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headings = [c.value for c in sheet[1]]
    year = sheet.cell(row=2, column=headings.index("Năm") + 1)
    assert (year.value, year.number_format) == (2024, "0")
