"""Files that must be refused before they cost anything (a sheet naming a cell a million lines away, a zip that
unpacks to too much, a CSV cell longer than the csv module reads, a stored file gone), shown as a Vietnamese
reason on the page with nothing written and no server error."""

import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from portal.core.tables import ImportRefused, read_table
from portal.core.xlsx import SheetRefused, check_bounds
from portal.imports.services import import_batch_confirm
from portal.models import ImportBatch, ImportStatus
from products.models import Producer

from .helpers import PRODUCER_HEADINGS, preview, upload_bytes, xlsx

pytestmark = pytest.mark.django_db

ROW = ["4811111111", "Cơ sở Miến dong Phja Đén", "Hộ kinh doanh", "Nông Văn Đức", "Cao Bằng", "1.200"]


def _far_cell(ref) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PRODUCER_HEADINGS)
    sheet.append(ROW)
    sheet[ref] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("ref", ["CV1000000", "XFD1048576", "A20003", "GS2"])
def test_a_cell_far_away_is_refused_at_once(client, staff_user, ref):
    data = _far_cell(ref)
    assert len(data) < 10_000
    started = time.perf_counter()
    with pytest.raises(ImportRefused):
        read_table("bom.xlsx", data)
    assert time.perf_counter() - started < 0.5  # calamine took 26 s and 3.9 GB on CV1000000

    client.force_login(staff_user)
    response = client.post(
        reverse("imports:staff.batch.list"), {"kind": "producers", "file": upload_bytes(data, "bom.xlsx")}
    )
    assert response.status_code == 400
    assert "trang tính kéo dài quá dòng 20.002 hoặc cột 200" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not Producer.objects.exists()


def test_cells_up_to_the_bounds_are_read(staff_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PRODUCER_HEADINGS)
    sheet.append(ROW)
    sheet["GR2"] = None  # column 200, empty: still within bounds
    sheet["GR3"] = ""
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = preview(staff_user, "producers", upload_bytes(buffer.getvalue(), "du-lieu.xlsx"))
    assert batch.row_count == 1
    assert batch.errors == []


def test_a_zip_that_unpacks_to_too_much_is_refused(staff_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (65 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        preview(staff_user, "producers", upload_bytes(data, "bom.xlsx"))
    assert time.perf_counter() - started < 1
    assert "khi giải nén, tệp lớn hơn 64 MB" in refused.value.messages[0]
    assert not ImportBatch.objects.exists()


def test_a_csv_cell_longer_than_the_csv_limit_is_refused_on_the_page(client, staff_user):
    data = ("Mã số thuế;Tên cơ sở\n4800000001;" + "a" * 140_000 + "\n").encode()
    client.force_login(staff_user)
    response = client.post(
        reverse("imports:staff.batch.list"), {"kind": "producers", "file": upload_bytes(data, "x.csv")}
    )
    assert response.status_code == 400
    assert "có ô dài quá 131.072 ký tự" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_stored_file_gone_is_refused_on_confirm_and_the_batch_is_unchanged(client, staff_user):
    batch = preview(staff_user, "producers", xlsx(PRODUCER_HEADINGS, [ROW]))
    batch.file.storage.delete(batch.file.name)
    client.force_login(staff_user)
    response = client.post(reverse("imports:staff.batch.confirm", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    assert "Không còn tìm thấy tệp đã lưu của lần nhập này" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert not Producer.objects.exists()
    with pytest.raises(ImportRefused):
        import_batch_confirm(actor=staff_user, batch=batch)


@pytest.mark.parametrize(
    ("path", "cell"),
    [
        ("xl/worksheets/sheet1.xml", '<x:c t="n" s="1" r="XFD1"><x:v>1</x:v></x:c>'),
        ("xl/elsewhere/data.xml", '<c r="A900000"><v>1</v></c>'),
        ("xl/worksheets/sheet2.xml", '<dimension ref="A1:ZZ5"/>'),
    ],
)
def test_any_part_and_any_attribute_order_are_checked(path, cell):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/theme/theme1.xml", '<a:theme><a:fillToRect l="50000" r="50000"/></a:theme>')
        archive.writestr(path, f'<x:worksheet><x:sheetData><x:row r="1">{cell}</x:row></x:sheetData></x:worksheet>')
    with pytest.raises(SheetRefused):
        check_bounds(io.BytesIO(buffer.getvalue()), max_lines=20_002)
