"""Imports of historical data through the service: every kind read correctly (Vietnamese text, dd/mm/yyyy,
"1.075.000.000", provinces before 2025), every kind of bad row refused with its line, column and a Vietnamese
reason and nothing written, re-imports that change nothing, and files that are not spreadsheets refused."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import Level, OcopRating, Recognition
from awards.services import recognition_record
from extension_projects.enums import FundingSource, ProjectStatus
from extension_projects.models import Fair, FairParticipation, Project
from portal.imports.services import ImportRefused, import_batch_confirm, import_batch_discard
from portal.models import ImportBatch, ImportStatus
from products.models import Producer, Product
from tests import factories

from .helpers import PRODUCER_HEADINGS, csv_file, preview, preview_and_confirm, xlsx

pytestmark = pytest.mark.django_db

REC_HEADINGS = ["Mã số thuế", "Tên sản phẩm", "Cấp", "Năm", "Số quyết định", "Ngày quyết định"]
OCOP_HEADINGS = [
    "Mã số thuế",
    "Tên sản phẩm",
    "Số sao",
    "Tổng điểm",
    "Điểm phần A",
    "Điểm phần B",
    "Điểm phần C",
    "Số quyết định",
    "Ngày quyết định",
]
PROJECT_HEADINGS = [
    "Mã đề án",
    "Tên đề án",
    "Loại hoạt động",
    "Năm kế hoạch",
    "Tỉnh/thành phố",
    "Đơn vị thực hiện",
    "Ngày phê duyệt",
    "Trạng thái",
    "Kinh phí KCQG (đồng)",
    "Kinh phí KCĐP (đồng)",
]
FAIR_HEADINGS = [
    "Tên hội chợ",
    "Từ ngày",
    "Đến ngày",
    "Địa điểm",
    "Đơn vị tổ chức",
    "Cấp hội chợ",
    "Tỉnh/thành phố",
    "Mã số thuế",
    "Sản phẩm trưng bày",
    "Số gian hàng",
    "Kinh phí hỗ trợ (đồng)",
    "Doanh thu tại hội chợ (đồng)",
]


def nfd(text):
    return unicodedata.normalize("NFD", text)


# -- each kind, read correctly ---------------------------------------------------------------------------------------
def test_producers_are_imported_with_diacritics_and_provinces_before_2025(superuser):
    upload = xlsx(
        PRODUCER_HEADINGS,
        [
            ["4812345678", nfd("Hợp tác xã Miến dong Phja Đén"), "Hợp tác xã", "Nông Văn Đức", "Cao Bằng", "1.200"],
            [101234567, "Công ty TNHH Chè Shan tuyết", "doanh nghiep", "Lý Thị Mai", "ha giang", 12],
            ["4812345679", "Cơ sở Mật ong Bắc Kạn", "Hộ kinh doanh", "Hoàng Văn Sơn", "Tỉnh Bắc Kạn", ""],
        ],
    )

    batch = preview_and_confirm(superuser, "producers", upload)

    assert batch.status == ImportStatus.IMPORTED
    assert batch.totals == {"new": 3, "updated": 0, "unchanged": 0, "refused": 0}
    mien = Producer.objects.get(tax_code="4812345678")
    assert mien.name == "Hợp tác xã Miến dong Phja Đén"  # stored NFC
    assert mien.workers == 1200
    assert mien.current_province == factories.province("Cao Bằng")
    che = Producer.objects.get(tax_code="0101234567")  # the number cell lost its leading zero: restored
    assert che.kind == "enterprise"
    assert che.province == factories.province("Hà Giang", current=False)
    assert che.current_province == factories.province("Tuyên Quang")
    honey = Producer.objects.get(tax_code="4812345679")
    assert honey.province == factories.province("Bắc Kạn", current=False)
    assert honey.current_province == factories.province("Thái Nguyên")
    assert "mien dong" in mien.search_text
    assert che.history.count() == 1


def test_products_are_imported_and_their_producer_is_found_by_them(staff_user, producer_a):
    upload = csv_file(
        ["Mã số thuế", "Tên sản phẩm", "Nhóm sản phẩm", "Mô tả"],
        [
            [producer_a.tax_code, "Miến dong Phja Đén", "2", "Miến làm từ củ dong riềng"],
            [producer_a.tax_code, "Khăn thổ cẩm", "thu cong my nghe", ""],
        ],
    )

    batch = preview_and_confirm(staff_user, "products", upload)

    assert batch.totals["new"] == 2
    assert set(producer_a.products.values_list("name", "group__code")) == {
        ("Miến dong Phja Đén", "2"),
        ("Khăn thổ cẩm", "1"),
    }
    producer_a.refresh_from_db()
    assert "mien dong phja den" in producer_a.search_text


def test_recognitions_are_imported_through_the_programme_rules(staff_user, product_a):
    tax = product_a.producer.tax_code
    upload = xlsx(
        REC_HEADINGS,
        [
            [tax, "Lạp sườn Tâm Hòa", "Cấp tỉnh", 2019, "1450/QĐ-UBND", "05/11/2019"],
            [tax, "lap suon tam hoa", "district", "2017", "88/QĐ-UBND", datetime.datetime(2017, 12, 20)],  # noqa: DTZ001 (an Excel date cell)
        ],
    )

    preview_and_confirm(staff_user, "recognitions", upload)

    province = Recognition.objects.get(product=product_a, level__code="province")
    assert (province.year, province.decision_number, province.decision_date) == (
        2019,
        "1450/QĐ-UBND",
        datetime.date(2019, 11, 5),
    )
    assert province.valid_until == datetime.date(2022, 12, 31)
    assert province.recorded_by == staff_user
    assert Recognition.objects.get(product=product_a, level__code="district").decision_date == datetime.date(
        2017, 12, 20
    )


def test_ocop_ratings_read_decimal_commas_and_get_their_validity(staff_user, product_a):
    upload = xlsx(
        OCOP_HEADINGS,
        [
            [
                product_a.producer.tax_code,
                "Lạp sườn Tâm Hòa",
                3,
                "65,5",
                "25",
                "15,5",
                "25",
                "2105/QĐ-UBND",
                "15/12/2021",
            ]
        ],
    )

    preview_and_confirm(staff_user, "ocop_ratings", upload)

    rating = OcopRating.objects.get(product=product_a)
    assert (rating.stars, rating.score, rating.part_b) == (3, Decimal("65.5"), Decimal("15.5"))
    assert rating.criteria_set.code == "qd-1048-2019"
    assert rating.valid_until == datetime.date(2024, 12, 14)


def test_projects_read_money_dates_and_old_provinces(superuser):
    upload = xlsx(
        PROJECT_HEADINGS,
        [
            [
                "KCĐP-2022-09",
                "Đào tạo nghề chế biến lạp sườn",
                "vocational-training",
                2022,
                "Cao Bằng",
                "Trung tâm Khuyến công tỉnh Cao Bằng",
                "15/03/2022",
                "Đã quyết toán",
                "",
                "1.075.000.000",
            ],
            [
                "HG-2019-01",
                "Hỗ trợ máy sao chè Shan tuyết",
                "Hỗ trợ ứng dụng máy móc, thiết bị tiên tiến, chuyển giao công nghệ",
                2019,
                "Hà Giang",
                "Trung tâm Khuyến công tỉnh Hà Giang",
                "",
                "",
                "250.000.000",
                "",
            ],
        ],
    )

    preview_and_confirm(superuser, "projects", upload)

    training = Project.objects.get(code="KCĐP-2022-09")
    assert training.status == ProjectStatus.SETTLED
    assert training.approval_date == datetime.date(2022, 3, 15)
    assert training.fundings.get(source=FundingSource.LOCAL).approved == 1_075_000_000
    assert training.status_log.last().to_status == ProjectStatus.SETTLED
    tea = Project.objects.get(code="HG-2019-01")
    assert tea.status == ProjectStatus.PROPOSED
    assert tea.province == factories.province("Hà Giang", current=False)
    assert tea.current_province == factories.province("Tuyên Quang")
    assert tea.fundings.get(source=FundingSource.NATIONAL).approved == 250_000_000


def test_participations_create_the_fair_once_and_record_each_producer(staff_user, product_a, producer_b):
    fair = [
        "Hội chợ Công Thương vùng Đông Bắc 2022",
        "20/10/2022",
        "24/10/2022",
        "Cao Bằng",
        "Sở Công Thương",
        "Cấp vùng",
    ]
    upload = xlsx(
        FAIR_HEADINGS,
        [
            [*fair, "Cao Bằng", product_a.producer.tax_code, "Lạp sườn Tâm Hòa", 2, "12.000.000", "45.500.000"],
            [*fair, "Cao Bằng", producer_b.tax_code, "", "", "", ""],
        ],
    )

    preview_and_confirm(staff_user, "participations", upload)

    created = Fair.objects.get(name="Hội chợ Công Thương vùng Đông Bắc 2022")
    assert created.level == "regional"
    assert (created.starts_on, created.ends_on) == (datetime.date(2022, 10, 20), datetime.date(2022, 10, 24))
    first = FairParticipation.objects.get(fair=created, producer=product_a.producer)
    assert (first.booths, first.support_amount, first.sales) == (2, 12_000_000, 45_500_000)
    assert list(first.products.all()) == [product_a]
    assert FairParticipation.objects.get(fair=created, producer=producer_b).booths == 1


# -- bad rows: nothing written, every problem listed --------------------------------------------------------------
def _producer_row(tax, name="Cơ sở Tốt", province="Cao Bằng"):
    return [tax, name, "Hộ kinh doanh", "Nguyễn Văn An", province, "5"]


@pytest.mark.parametrize(
    ("bad_row", "column", "letter", "reason"),
    [
        (
            _producer_row("4811111112", province="Atlantis"),
            "Tỉnh/thành phố",
            "E",
            "Không có tỉnh/thành phố “Atlantis”.",
        ),
        (_producer_row("48111"), "Mã số thuế", "A", "“48111” không phải là mã số thuế hợp lệ"),
        (_producer_row("4811111111", name="Trùng"), "Mã số thuế", "A", "Trùng lặp: bản ghi này đã có ở dòng 2"),
        (
            ["4811111113", "Cơ sở X", "Nhà máy", "Nguyễn Văn An", "Cao Bằng", "5"],
            "Loại hình",
            "C",
            "“Nhà máy” không thuộc các giá trị",
        ),
    ],
    ids=["unknown-province", "bad-tax-code", "duplicate", "unknown-kind"],
)
def test_a_bad_producer_row_writes_nothing(superuser, bad_row, column, letter, reason):
    before = Producer.objects.count()
    batch = preview(superuser, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111111"), bad_row]))

    assert batch.status == ImportStatus.INVALID
    assert Producer.objects.count() == before
    assert len(batch.errors) == 1
    error = batch.errors[0]
    assert (error["line"], error["column"], error["letter"]) == (3, column, letter)
    assert reason in error["message"]
    with pytest.raises(ValidationError):
        import_batch_confirm(actor=superuser, batch=batch)
    assert Producer.objects.count() == before


def test_an_ocop_score_over_100_is_refused(staff_user, product_a):
    tax = product_a.producer.tax_code
    upload = xlsx(
        OCOP_HEADINGS,
        [
            [tax, "Lạp sườn Tâm Hòa", 3, "65", "", "", "", "2105/QĐ-UBND", "15/12/2021"],
            [tax, "Lạp sườn Tâm Hòa", 5, "105", "", "", "", "99/QĐ-BNN", "15/12/2023"],
        ],
    )

    batch = preview(staff_user, "ocop_ratings", upload)

    assert OcopRating.objects.count() == 0
    assert batch.errors == [
        {"line": 3, "column": "Tổng điểm", "letter": "D", "message": "Điểm phải từ 0 đến 100."},
    ]


def test_ocop_stars_must_match_the_score(staff_user, product_a):
    upload = xlsx(
        OCOP_HEADINGS, [[product_a.producer.tax_code, "Lạp sườn Tâm Hòa", 4, "65", "", "", "", "1/QĐ", "15/12/2021"]]
    )
    batch = preview(staff_user, "ocop_ratings", upload)
    assert batch.errors[0]["column"] == "Số sao"
    assert batch.errors[0]["message"] == "Điểm 65 tương ứng hạng 3 sao, không phải 4 sao."


def test_a_bad_date_and_a_level_not_valid_on_the_date_are_refused(staff_user, product_a):
    tax = product_a.producer.tax_code
    upload = csv_file(
        REC_HEADINGS,
        [
            [tax, "Lạp sườn Tâm Hòa", "Cấp tỉnh", 2019, "1450/QĐ-UBND", "31/02/2019"],
            [tax, "Lạp sườn Tâm Hòa", "Cấp huyện", 2025, "12/QĐ-UBND", "15/08/2025"],
        ],
    )

    batch = preview(staff_user, "recognitions", upload)

    assert Recognition.objects.count() == 0
    assert [(e["line"], e["column"]) for e in batch.errors] == [(2, "Ngày quyết định"), (3, "Cấp")]
    assert (
        batch.errors[0]["message"] == "“31/02/2019” không phải là ngày: hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/01/2025."
    )
    assert "không áp dụng vào thời điểm đó" in batch.errors[1]["message"]


def test_unknown_and_missing_headings_are_listed_on_line_1(superuser):
    upload = xlsx(["Mã số thuế", "Tên cơ sở", "Tinh"], [["4811111111", "Cơ sở", "Cao Bằng"]])
    batch = preview(superuser, "producers", upload)
    assert batch.status == ImportStatus.INVALID
    messages = [e["message"] for e in batch.errors]
    assert all(e["line"] == 1 for e in batch.errors)
    assert "Cột “Tinh” không có trong mẫu: hãy dùng đúng tiêu đề cột của tệp mẫu." in messages
    assert "Thiếu cột “Tỉnh/thành phố”." in messages


def test_staff_import_rows_of_their_own_province_only(staff_user, producer_other_province):
    upload = xlsx(
        PRODUCER_HEADINGS,
        [
            _producer_row("4811111111"),
            _producer_row("4811111112", province="Cà Mau"),
            _producer_row("4811111113", province="Cao Bằng"),
        ],
    )
    batch = preview(staff_user, "producers", upload)
    assert [(e["line"], e["column"]) for e in batch.errors] == [(3, "Tỉnh/thành phố")]
    assert "chỉ được nhập dữ liệu của tỉnh/thành phố mình" in batch.errors[0]["message"]
    assert batch.province == factories.province("Cao Bằng")

    # Updating another province's producer by its tax code is refused too.
    upload = xlsx(PRODUCER_HEADINGS, [_producer_row(producer_other_province.tax_code, name="Đổi tên")])
    assert preview(staff_user, "producers", upload).status == ImportStatus.INVALID
    producer_other_province.refresh_from_db()
    assert producer_other_province.name == "HTX Tân Phát Lợi"


def test_confirm_is_all_or_nothing_when_the_data_changed_since_the_preview(staff_user, product_a, product_b):
    upload = xlsx(
        REC_HEADINGS,
        [
            [product_a.producer.tax_code, "Lạp sườn Tâm Hòa", "Cấp tỉnh", 2019, "1450/QĐ-UBND", "05/11/2019"],
            [product_b.producer.tax_code, "Chiếu trúc", "Cấp tỉnh", 2019, "1450/QĐ-UBND", "05/11/2019"],
        ],
    )
    batch = preview(staff_user, "recognitions", upload)
    assert batch.status == ImportStatus.PREVIEWED
    recognition_record(
        actor=staff_user,
        product=product_b,
        level=Level.objects.get(code="province"),
        year=2019,
        decision_number="77/QĐ-UBND",
    )

    with pytest.raises(ValidationError):
        import_batch_confirm(actor=staff_user, batch=batch)

    assert not Recognition.objects.filter(product=product_a).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID
    assert batch.errors[0]["line"] == 3
    assert "chỉ sửa được phần ghi chú" in batch.errors[0]["message"]


# -- idempotence and the round trip -----------------------------------------------------------------------------
def test_re_importing_the_same_file_changes_nothing(superuser):
    rows = [_producer_row("4811111111"), _producer_row("4811111112", name="Cơ sở Hà Giang", province="Hà Giang")]
    preview_and_confirm(superuser, "producers", xlsx(PRODUCER_HEADINGS, rows))
    stamps = dict(Producer.objects.values_list("tax_code", "updated_at"))
    history = Producer.history.count()

    again = preview_and_confirm(superuser, "producers", xlsx(PRODUCER_HEADINGS, rows))

    assert again.totals == {"new": 0, "updated": 0, "unchanged": 2, "refused": 0}
    assert dict(Producer.objects.values_list("tax_code", "updated_at")) == stamps
    assert Producer.history.count() == history


def test_a_changed_row_is_an_update(superuser):
    preview_and_confirm(superuser, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111111")]))
    batch = preview_and_confirm(
        superuser, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111111", name="Cơ sở Tốt Hơn")])
    )
    assert batch.totals["updated"] == 1
    assert Producer.objects.get(tax_code="4811111111").name == "Cơ sở Tốt Hơn"


def test_confirm_and_discard_refusals(superuser, staff_user, other_staff_user):
    batch = preview(staff_user, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111111")]))
    with pytest.raises(PermissionDenied):
        import_batch_confirm(actor=other_staff_user, batch=batch)
    import_batch_confirm(actor=staff_user, batch=batch)
    with pytest.raises(ValidationError):
        import_batch_confirm(actor=staff_user, batch=batch)
    with pytest.raises(ValidationError):
        import_batch_discard(actor=staff_user, batch=ImportBatch.objects.get(pk=batch.pk))

    other = preview(superuser, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111112")]))
    import_batch_discard(actor=superuser, batch=other)
    with pytest.raises(ValidationError):
        import_batch_confirm(actor=superuser, batch=other)
    assert not Producer.objects.filter(tax_code="4811111112").exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("ho-so.pdf", factories.pdf_file().read(), "không phải là tệp Excel (.xlsx) hoặc CSV (.csv)"),
        ("du-lieu.xlsx", b"this is not a spreadsheet at all", "Không đọc được “du-lieu.xlsx” như một tệp Excel"),
        ("du-lieu.csv", "Mã số thuế;Tên".encode("utf-16"), "không phải là tệp CSV mã UTF-8"),
        ("du-lieu.csv", b"", "Tệp “du-lieu.csv” trống."),
        ("du-lieu.csv", "Mã số thuế;Tên cơ sở\n".encode(), "có tiêu đề cột nhưng không có dòng dữ liệu nào"),
    ],
    ids=["pdf", "garbage-xlsx", "utf16-csv", "empty", "headings-only"],
)
def test_files_that_are_not_spreadsheets_are_refused(superuser, name, content, reason):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ImportRefused) as refused:
        preview(superuser, "producers", SimpleUploadedFile(name, content))
    assert reason in " ".join(refused.value.messages)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("role", ["ministry_user", "member_user", "producer_user"])
def test_only_staff_import(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        preview(user, "producers", xlsx(PRODUCER_HEADINGS, [_producer_row("4811111111")]))


def test_products_need_their_producer(staff_user):
    upload = xlsx(["Mã số thuế", "Tên sản phẩm", "Nhóm sản phẩm"], [["4899999999", "Miến dong", "2"]])
    batch = preview(staff_user, "products", upload)
    assert batch.errors[0]["column"] == "Mã số thuế"
    assert "Chưa có cơ sở nào có mã số thuế 4899999999" in batch.errors[0]["message"]
    assert not Product.objects.filter(name="Miến dong").exists()
