"""A province officer imports historical data in Chromium: a products file with one bad tax code is refused
with the line, column and reason and writes nothing; the corrected file and then the products' recognitions are
previewed and imported; a visitor then finds the products in the public catalogue by an accent-free search."""

import io
import re

import pytest
from openpyxl import Workbook

from awards.models import Recognition
from portal.accounts.enums import Role
from products.models import Product
from tests import factories
from tests.browser.test_project_flow import sign_in, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRODUCT_HEADINGS = ["Mã số thuế", "Tên sản phẩm", "Nhóm sản phẩm", "Mô tả"]
RECOGNITION_HEADINGS = ["Mã số thuế", "Tên sản phẩm", "Cấp", "Năm", "Số quyết định", "Ngày quyết định"]


def workbook(path, headings, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def upload(page, base, kind_label, path):
    page.goto(f"{base}/staff/imports/")
    page.select_option("#id_kind", label=kind_label)
    page.set_input_files("#id_file", path)
    submit(page, "main button:text-is('Kiểm tra tệp')")


@pytest.fixture
def officer(db):
    producer = factories.producer("Hợp tác xã Bảo Lâm", "Cao Bằng")
    account = factories.UserFactory(
        role=Role.STAFF,
        organization=factories.organization("Cao Bằng"),
        is_staff=True,
        email="nhap.lieu@sct-caobang.example.vn",
        full_name="Cán bộ nhập liệu",
    )
    return account, producer


def test_an_officer_fixes_a_bad_row_imports_and_the_public_finds_the_products(page, live_server, officer, tmp_path):
    base = live_server.url
    account, producer = officer
    good = [
        [producer.tax_code, "Lạp sườn hun khói Bảo Lâm", "1", "Lạp sườn gác bếp"],
        [producer.tax_code, "Miến dong Phja Đén", "1", ""],
    ]
    bad = [good[0], ["12AB", "Miến dong Phja Đén", "1", ""]]
    sign_in(page, base, account.email)

    # One bad tax code: the whole file is refused, the row is named, nothing is written.
    upload(page, base, "Sản phẩm", workbook(tmp_path / "san-pham.xlsx", PRODUCT_HEADINGS, bad))
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").nth(0).inner_text() == "3"
    assert "Mã số thuế" in errors.first.locator("td").nth(1).inner_text()
    assert "sẽ không có dữ liệu nào được nhập" in page.locator("#errors-title").inner_text()
    assert page.locator("button:text-is('Xác nhận nhập')").count() == 0
    assert Product.objects.filter(producer=producer).count() == 0

    # The corrected file: preview (2 new), then confirm.
    upload(page, base, "Sản phẩm", workbook(tmp_path / "san-pham-sua.xlsx", PRODUCT_HEADINGS, good))
    assert page.locator(".import-totals .new dd").inner_text() == "2"
    assert Product.objects.filter(producer=producer).count() == 0  # a preview writes nothing
    submit(page, "button:text-is('Xác nhận nhập')")
    assert "Đã nhập" in page.locator("main").inner_text()
    assert Product.objects.filter(producer=producer).count() == 2

    # Their province-level recognitions from the archive.
    rows = [[producer.tax_code, name, "Cấp tỉnh", 2024, "12/QĐ-UBND", "05/01/2024"] for _t, name, *_r in good]
    upload(page, base, "Danh sách công nhận", workbook(tmp_path / "cong-nhan.xlsx", RECOGNITION_HEADINGS, rows))
    assert page.locator(".import-totals .new dd").inner_text() == "2"
    submit(page, "button:text-is('Xác nhận nhập')")
    assert Recognition.objects.filter(product__producer=producer).count() == 2

    # A visitor, signed out, searches the public catalogue without accents.
    visitor = page.context.browser.new_context(locale="vi-VN").new_page()
    visitor.goto(f"{base}/catalogue/")
    visitor.fill("main input[name=q]", "lap suon bao lam")
    with visitor.expect_navigation():
        visitor.press("main input[name=q]", "Enter")
    cards = visitor.locator("main").inner_text()
    assert "Lạp sườn hun khói Bảo Lâm" in cards
    assert "Miến dong Phja Đén" not in cards
    visitor.click("main a:has-text('Lạp sườn hun khói Bảo Lâm')")
    visitor.wait_for_url(re.compile(r"/catalogue/\d+/"))
    assert "12/QĐ-UBND" in visitor.locator("main").inner_text()
    visitor.context.close()
