"""The report pages: who may read which province, the choice form and its Vietnamese errors, the Excel and PDF
answers, and a query count that does not grow with the data."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Level, RecognitionTarget
from awards.models import Recognition as RecognitionModel
from extension_projects.enums import FundingSource
from portal.accounts.enums import Role
from tests import factories
from tests.extension_projects.helpers import project

from .helpers import cells_of, get, old_province, pdf_text, province, row_starting, text_of, values, workbook

pytestmark = pytest.mark.django_db

KINDS = ["recognitions", "extension"]
OUTPUTS = ["", "xlsx", "pdf"]
URLS = [(kind, output) for kind in KINDS for output in OUTPUTS]


def url(kind, output=""):
    return reverse(f"reports:staff.{kind}" + (f".{output}" if output else ""))


def recognise(product, level_code, year):
    return RecognitionModel.objects.create(product=product, level=Level.objects.get(code=level_code), year=year)


@pytest.mark.parametrize(("kind", "output"), URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, kind, output):
    response = get(client, kind, province("Cao Bằng"), 2020, 2024, output)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert client.get(reverse("reports:staff.index")).status_code == 302


@pytest.mark.parametrize("user_fixture", ["producer_user", "member_user"])
@pytest.mark.parametrize(("kind", "output"), URLS)
def test_producers_and_council_members_are_refused(client, request, user_fixture, kind, output):
    client.force_login(request.getfixturevalue(user_fixture))
    assert get(client, kind, province("Cao Bằng"), 2020, 2024, output).status_code == 403
    assert client.get(reverse("reports:staff.index")).status_code == 403


@pytest.mark.parametrize(("kind", "output"), URLS)
def test_staff_read_their_province_and_the_old_one_merged_into_it_but_not_another(client, staff_user, kind, output):
    client.force_login(staff_user)
    assert get(client, kind, province("Cao Bằng"), 2020, 2024, output).status_code == 200
    assert get(client, kind, old_province("Cao Bằng"), 2020, 2024, output).status_code == 200
    assert get(client, kind, province("Cà Mau"), 2020, 2024, output).status_code == 403
    assert get(client, kind, old_province("Bạc Liêu"), 2020, 2024, output).status_code == 403
    response = client.get(reverse("reports:staff.index"), {"report": kind, "province": province("Cà Mau").pk})
    assert response.status_code == 403


def test_staff_of_a_merged_province_read_an_old_province_as_it_was(client):
    user = factories.UserFactory(role=Role.STAFF, is_staff=True, organization=factories.organization("Tuyên Quang"))
    client.force_login(user)
    response = get(client, "recognitions", old_province("Hà Giang"), 2022, 2030)
    assert response.status_code == 200
    assert "Tỉnh Hà Giang (trước ngày 01/7/2025)" in text_of(response.content.decode())
    assert get(client, "recognitions", old_province("Cao Bằng"), 2022, 2030).status_code == 403
    options = response.context["form"].fields["province"].choices
    assert [label for label, _group in options[1:]] == ["Tỉnh, thành phố hiện nay", "Tỉnh trước ngày 01/7/2025"]
    assert [name for _pk, name in options[1][1]] == ["Tỉnh Tuyên Quang"]
    assert [name for _pk, name in options[2][1]] == [
        "Tỉnh Hà Giang (trước 01/7/2025)",
        "Tỉnh Tuyên Quang (trước 01/7/2025)",
    ]


@pytest.mark.parametrize("user_fixture", ["ministry_user", "superuser"])
@pytest.mark.parametrize(("kind", "output"), URLS)
def test_national_accounts_read_every_province(client, request, user_fixture, kind, output):
    client.force_login(request.getfixturevalue(user_fixture))
    for unit in (province("Cao Bằng"), province("Cà Mau"), old_province("Hà Giang")):
        assert get(client, kind, unit, 2020, 2024, output).status_code == 200


def test_a_ministry_report_is_headed_by_the_ministry(client, ministry_user):
    client.force_login(ministry_user)
    text = pdf_text(get(client, "extension", province("Cà Mau"), 2020, 2024, "pdf"))
    assert "BỘ CÔNG THƯƠNG" in text
    assert "Hà Nội, ngày" in text  # the place where the issuing body sits (NĐ 30)
    assert "Cà Mau, ngày" not in text


def test_a_first_visit_shows_the_officers_province_and_the_last_five_years(client, staff_user):
    client.force_login(staff_user)
    response = client.get(url("recognitions"))
    assert response.status_code == 200
    html = text_of(response.content.decode())
    assert "TỔNG HỢP KẾT QUẢ BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU Tỉnh Cao Bằng" in html
    assert 'action="/staff/reports/recognitions.xlsx"' in response.content.decode()


def test_a_national_account_chooses_the_province_first(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(url("extension"))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Chọn tỉnh/thành phố và giai đoạn báo cáo." in response.content.decode()


@pytest.mark.parametrize("output", OUTPUTS)
def test_an_end_year_before_the_start_year_is_explained_in_vietnamese(client, staff_user, output):
    client.force_login(staff_user)
    response = get(client, "recognitions", province("Cao Bằng"), 2024, 2020, output)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Năm kết thúc không được trước năm bắt đầu." in response.content.decode()


def test_an_unknown_province_or_a_missing_year_is_explained_in_vietnamese(client, superuser):
    client.force_login(superuser)
    response = client.get(url("extension"), {"province": 987654, "year_from": 2020, "year_to": 2024})
    assert response.status_code == 400
    assert "Không tìm thấy tỉnh/thành phố này: hãy chọn trong danh sách." in response.content.decode()
    response = client.get(url("extension"), {"province": province("Cà Mau").pk, "year_from": "", "year_to": 2024})
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()
    response = client.get(url("extension"), {"province": province("Cà Mau").pk, "year_from": 1990, "year_to": 2024})
    assert response.status_code == 400


def test_the_index_sends_to_the_chosen_report(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:staff.index"))
    assert response.status_code == 200
    assert "Báo cáo định kỳ" in response.content.decode()
    unit = old_province("Cao Bằng")
    response = client.get(
        reverse("reports:staff.index"),
        {"report": "recognitions", "province": unit.pk, "year_from": 2018, "year_to": 2022, "annex": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url('recognitions')}?province={unit.pk}&year_from=2018&year_to=2022&annex=on"
    response = client.get(
        reverse("reports:staff.index"), {"report": "extension", "province": unit.pk, "year_from": 2022, "year_to": 2018}
    )
    assert response.status_code == 400
    assert "Năm kết thúc không được trước năm bắt đầu." in response.content.decode()


def test_recognitions_count_by_the_province_the_producer_was_registered_in(client, superuser):
    """A producer recorded under old Hà Giang counts for Tuyên Quang today and for Hà Giang as it was; a producer
    of Tuyên Quang today counts only for Tuyên Quang."""
    client.force_login(superuser)
    old = factories.product(factories.producer("HTX Chè Shan tuyết", "Hà Giang", current=False), "Chè Shan tuyết")
    new = factories.product(factories.producer("Cơ sở Bánh gai", "Tuyên Quang"), "Bánh gai Chiêm Hóa", group_code="2")
    recognise(old, "district", 2022)
    recognise(old, "province", 2024)
    recognise(new, "commune", 2025)
    RecognitionTarget.objects.create(
        province=old_province("Hà Giang"),
        level=Level.objects.get(code="district"),
        period_start=2022,
        period_end=2030,
        count=73,
    )
    html = get(client, "recognitions", province("Tuyên Quang"), 2022, 2026).content.decode()
    assert cells_of(html, "year-total") == ["Tổng cộng", "2", "1", "0", "0", "3"]
    html = get(client, "recognitions", old_province("Hà Giang"), 2022, 2026).content.decode()
    assert cells_of(html, "year-total") == ["Tổng cộng", "1", "1", "0", "0", "2"]
    target = RecognitionTarget.objects.get()
    # District and commune count alike; the commune-level product is not Hà Giang's.
    assert cells_of(html, f"target-{target.pk}")[3:6] == ["73", "1", "1 %"]


def test_the_workbook_is_formatted_for_sending_up(client, staff_user, product_a, product_b):
    client.force_login(staff_user)
    recognise(product_a, "province", 2023)
    recognise(product_b, "province", 2023)
    recognise(product_a, "region", 2024)
    book = workbook(get(client, "recognitions", province("Cao Bằng"), 2022, 2024, "xlsx", annex="on"))
    assert book.sheetnames == ["Tổng hợp", "Chỉ tiêu", "Phụ lục"]
    sheet = book["Tổng hợp"]
    assert sheet["A1"].value == "UBND TỈNH CAO BẰNG"
    assert sheet["A2"].value == "SỞ CÔNG THƯƠNG"
    assert sheet["A2"].font.b
    assert next(c.value for c in sheet[3] if c.value).startswith("Cao Bằng, ngày")
    assert sheet["A5"].value == "TỔNG HỢP KẾT QUẢ BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU"
    assert sheet["A7"].value == "Giai đoạn 2022–2024"
    header = row_starting(sheet, "Năm")
    assert values(header) == ["Năm", "Cấp huyện / Cấp xã", "Cấp tỉnh", "Cấp khu vực", "Cấp quốc gia", "Tổng cộng"]
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == f"A{header[0].row + 1}"
    assert values(row_starting(sheet, "2023")) == ["2023", 0, 2, 0, 0, 2]
    total = row_starting(sheet, "Tổng cộng")
    assert values(total) == ["Tổng cộng", 0, 2, 1, 0, 3]
    assert all(cell.font.b for cell in total[:6])
    assert {cell.number_format for cell in total[1:6]} == {"#,##0"}
    assert sheet.column_dimensions["A"].width >= 30
    groups = row_starting(sheet, "Chế biến nông, lâm, thủy sản và thực phẩm")
    assert values(groups) == ["Chế biến nông, lâm, thủy sản và thực phẩm", 0, 1, 1, 0, 2]
    annex = book["Phụ lục"]
    products = [row[3].value for row in annex.iter_rows(min_row=row_starting(annex, "STT")[0].row + 1)]
    assert sorted(products) == ["Chiếu trúc", "Lạp sườn Tâm Hòa", "Lạp sườn Tâm Hòa"]


def test_the_extension_workbook_and_pdf_show_money_in_vnd(client, staff_user):
    client.force_login(staff_user)
    project(
        staff_user,
        code="CB-2024-01",
        funding={FundingSource.LOCAL: 1_075_000_000},
        limit_note="Theo Nghị quyết của HĐND tỉnh.",
    )
    project(staff_user, code="CB-2024-02", funding={FundingSource.NATIONAL: 300_000_000, FundingSource.COUNTERPART: 5})
    book = workbook(get(client, "extension", province("Cao Bằng"), 2024, 2024, "xlsx"))
    assert book.sheetnames == ["Tổng hợp", "Theo năm", "Hội chợ, triển lãm", "Ghi chú số liệu"]
    sheet = book["Tổng hợp"]
    assert sheet["A7"].value == "Năm 2024"
    local = row_starting(sheet, "Kinh phí khuyến công địa phương (KCĐP)")
    assert values(local) == ["Kinh phí khuyến công địa phương (KCĐP)", 1, 1_075_000_000, 0, 1_075_000_000]
    assert local[2].number_format == "#,##0"
    years = book["Theo năm"]
    assert values(row_starting(years, 2024))[:2] == [2024, 2]
    text = pdf_text(get(client, "extension", province("Cao Bằng"), 2024, 2024, "pdf"))
    assert "Kinh phí khuyến công địa phương (KCĐP)" in text
    assert "1.375.000.005" in text
    assert "Năm 2024" in text


def test_the_report_page_costs_the_same_queries_with_more_data(client, staff_user):
    client.force_login(staff_user)
    cao_bang = province("Cao Bằng")
    producer = factories.producer("HTX Một", "Cao Bằng")

    def count(kind):
        with CaptureQueriesContext(connection) as queries:
            assert get(client, kind, cao_bang, 2018, 2024, annex="on").status_code == 200
        return len(queries)

    first_product = factories.product(producer, "Sản phẩm 0")
    recognise(first_product, "province", 2019)
    project(staff_user, code="CB-2019-00", plan_year=2019)
    before = {kind: count(kind) for kind in KINDS}
    for i in range(1, 20):
        product = factories.product(producer, f"Sản phẩm {i}", group_code=str(1 + i % 4))
        recognise(product, "province", 2018 + i % 7)
        if i % 3 == 0:
            recognise(product, "region", 2024)
        project(staff_user, code=f"CB-20{18 + i % 7}-{i:02d}", plan_year=2018 + i % 7, activity_code="trademark")
    after = {kind: count(kind) for kind in KINDS}
    assert after == before
    assert max(after.values()) <= 25
