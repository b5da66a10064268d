"""A ministry official opens the comparison of provinces from the navigation, orders the provinces by total
funding with a click on the column's heading (no JavaScript involved: a link), switches to the provinces as they
were before 1 July 2025, and downloads the table as an Excel file in the same order. Real Chromium against the
live server."""

import re

import openpyxl
import pytest

from portal.accounts.enums import Role
from tests import factories
from tests.portal.dashboards.helpers import populate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FUNDING = "Đề án khuyến công (kinh phí: đồng) – Tổng kinh phí"


@pytest.fixture
def official(db):
    populate("Cà Mau", 6)  # 9 recognitions, 720 million VND of khuyến công funding
    populate("Cao Bằng", 3)  # 5 recognitions, 380 million
    populate("Hà Giang", 2, current=False)  # 3 recognitions, 240 million, under Tuyên Quang today
    return factories.UserFactory(
        role=Role.MINISTRY,
        organization=factories.ministry_organization(),
        email="chuyen.vien@bocongthuong.example.vn",
        full_name="Chuyên viên Bộ",
    )


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url


def first_provinces(page, n=3) -> list[str]:
    return [name.strip().split("\n")[0] for name in page.locator("#comparison tbody th").all_inner_texts()[:n]]


def test_the_ministry_compares_sorts_and_exports(page, live_server, official, tmp_path):
    sign_in(page, live_server.url, official.email)
    page.click("nav.main-nav summary:text-is('Số liệu')")  # the menu opens
    page.click("nav.main-nav a:text-is('So sánh các tỉnh')")
    page.wait_for_url(re.compile(r"/staff/provinces/compare/$"))
    assert page.locator("#comparison tbody tr").count() == 34
    assert first_provinces(page) == ["Cà Mau", "Cao Bằng", "Tuyên Quang"]
    assert page.inner_text("#comparison-total th") == "Cả nước"

    # Order by total funding, smallest first after a second click.
    with page.expect_navigation():
        page.click("#comparison thead a[data-sort='funding']")
    assert "sort=-funding" in page.url
    assert page.get_attribute("#comparison th[aria-sort]", "aria-sort") == "descending"
    assert first_provinces(page) == ["Cà Mau", "Cao Bằng", "Tuyên Quang"]
    with page.expect_navigation():
        page.click("#comparison thead a[data-sort='funding']")
    assert page.get_attribute("#comparison th[aria-sort]", "aria-sort") == "ascending"
    rows = page.locator("#comparison tbody tr")
    assert rows.last.locator("th").inner_text().startswith("Cà Mau")

    # The provinces as they were: Hà Giang is back, as part of Tuyên Quang today; the order is kept.
    with page.expect_navigation():
        page.click("a:text-is('Theo tỉnh cũ (trước 01/07/2025)')")
    assert "sort=funding" in page.url
    assert "basis=recorded" in page.url
    assert "nay thuộc Tuyên Quang" in page.locator("#comparison").inner_text()

    # Back to today's provinces, largest funding first, and download the table.
    with page.expect_navigation():
        page.click("a:text-is('Theo tỉnh hiện nay')")
    with page.expect_navigation():
        page.click("#comparison thead a[data-sort='funding']")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = download_info.value
    assert re.fullmatch(r"so-sanh-cac-tinh-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    values = list(openpyxl.load_workbook(target).worksheets[0].values)
    headers = values[0]
    body = [dict(zip(headers, row, strict=True)) for row in values[1:]]
    assert [row["Tỉnh hiện nay"] for row in body[:3]] == ["Cà Mau", "Cao Bằng", "Tuyên Quang"]
    assert [row[FUNDING] for row in body[:3]] == [720_000_000, 380_000_000, 240_000_000]
    assert body[-1]["Tỉnh hiện nay"] == "Cả nước"
    assert body[-1][FUNDING] == 1_340_000_000
