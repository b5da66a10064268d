"""The header and footer in Chromium at 1280 and 360 pixels: the department's identity in the header and footer,
the staff menu on one line at 1280 px grouped in menus that open (and close each other), and no page wider than
a 360 px phone, for a visitor, a Cao Bằng officer and a producer. Screenshots go to SCREENSHOTS_DIR if set."""

import os
import re

import pytest

from portal.accounts.enums import Role
from portal.models import SiteIdentity
from products.models import AdministrativeUnit
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def people(db):
    SiteIdentity(
        agency_name="Sở Công Thương",
        governing_body="Ủy ban nhân dân tỉnh Cao Bằng",
        province=AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng"),
        address="Số 042 đường Kim Đồng, phường Thục Phán, tỉnh Cao Bằng",
        phone="0206 3852 136",
        email="sct@caobang.gov.vn",
        working_hours="Thứ Hai – Thứ Sáu: 7 giờ 30 – 11 giờ 30, 13 giờ 30 – 17 giờ 00",
    ).save()
    producer = factories.producer("Hợp tác xã Tâm Hòa", "Cao Bằng")
    return {
        "staff": factories.UserFactory(
            role=Role.STAFF,
            organization=factories.organization("Cao Bằng"),
            is_staff=True,
            email="canbo@sct-caobang.example.vn",
            full_name="Hoàng Thị Lan",
            unread_notifications=12,  # the badges take room too
        ),
        "producer": factories.UserFactory(
            role=Role.PRODUCER, producer=producer, email="htx@tamhoa.example.vn", full_name="Nguyễn Thanh Tâm"
        ),
    }


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def shoot(page, name):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def item_tops(page) -> set[int]:
    return set(page.eval_on_selector_all(".main-nav > ul > li", "items => items.map(i => Math.round(i.offsetTop))"))


def header_rows(page) -> int:
    tops = page.eval_on_selector_all(
        ".header-row > *", "parts => parts.map(p => Math.round(p.getBoundingClientRect().top))"
    )
    heights = page.eval_on_selector_all(".header-row > *", "parts => parts.map(p => p.getBoundingClientRect().bottom)")
    return 1 if max(tops) < min(heights) else 2


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("who", ["public", "staff", "producer"])
def test_the_header_and_footer_at_1280_and_360_pixels(page, live_server, people, who):
    base = live_server.url
    if who != "public":
        sign_in(page, base, people[who])
    page.goto(f"{base}/")
    assert "SỞ CÔNG THƯƠNG TỈNH CAO BẰNG" in page.inner_text(".brand")  # capitals by the style sheet
    footer = page.inner_text("footer")
    assert "Đường dây nóng: 0206 3852 136" in footer
    assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Cao Bằng" in footer
    assert len(item_tops(page)) == 1  # the menu on one line
    if who == "staff":
        assert header_rows(page) == 1  # brand, menu and language on one row
    assert page_width(page) <= 1280
    shoot(page, f"home-{who}-1280")

    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    assert page_width(page) <= 360  # nothing wider than the phone
    shoot(page, f"home-{who}-360")


def test_the_staff_menus_open_one_at_a_time_and_lead_to_their_pages(page, live_server, people):
    base = live_server.url
    sign_in(page, base, people["staff"])
    registry, awards = (
        page.locator(".nav-menu summary", has_text="Cơ sở dữ liệu"),
        page.locator(".nav-menu summary", has_text="Bình chọn và OCOP"),
    )
    assert not page.is_visible("text=Cơ sở sản xuất")
    registry.click()
    assert page.locator(".nav-menu details[open] a", has_text="Sản phẩm").is_visible()
    awards.click()
    assert page.locator(".nav-menu details[open]").count() == 1
    shoot(page, "staff-menu-open-1280")
    with page.expect_navigation():
        page.locator(".nav-menu details[open] a", has_text="Đợt bình chọn").click()
    assert re.search(r"/staff/rounds/$", page.url)

    page.set_viewport_size({"width": 360, "height": 780})
    page.locator(".nav-menu summary", has_text="Cơ sở dữ liệu").click()
    box = page.locator(".nav-menu details[open] > ul").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    shoot(page, "staff-menu-open-360")


def test_a_visitor_follows_the_footer_to_the_dossier_lookup_on_a_phone(page, live_server, people):
    from tests.awards.nomination_helpers import ready_product, returned, submitted
    from tests.portal.inbox.helpers import province_round

    producer_account = people["producer"]
    round_ = province_round("Cao Bằng", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng")
    nomination = submitted(round_, ready_product(producer_account.producer), producer_account)
    returned(nomination, people["staff"], message="Ghi chú: thiếu chữ ký")

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.click("footer a:text-is('Tra cứu hồ sơ')")
    page.fill("#id_receipt_code", nomination.receipt_code.lower())
    page.fill("#id_tax_code", producer_account.producer.tax_code)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    text = page.inner_text("main")
    assert "Lạp sườn Tâm Hòa" in text
    assert "Cần bổ sung, sửa hồ sơ" in text
    assert "thiếu chữ ký" not in text
    assert page_width(page) <= 360
    shoot(page, "dossier-lookup-360")
