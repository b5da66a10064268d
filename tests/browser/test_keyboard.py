"""Keyboard only, in real Chromium: a household business registers with its 12-digit number (a mistake first: the
error summary takes the focus and leads to the field), and a producer signs in and sends a nomination through the
wizard. No click: Tab, Shift+Tab, arrows, Space and Enter. Every element the focus lands on shows it."""

import re

import pytest

from awards.enums import NominationStatus
from awards.models import Nomination
from portal.accounts.enums import Role
from products.models import Producer
from tests import factories
from tests.awards.helpers import open_province_round
from tests.awards.nomination_helpers import add_document, add_photos

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS_SHOWN = """element => {
  const style = getComputedStyle(element);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
}"""


def focused(page):
    return page.locator(":focus")


def tab_to(page, selector: str, *, limit: int = 150) -> None:
    """Tab forward until the element is focused; each element met on the way shows its focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
        if focused(page).count():
            assert focused(page).evaluate(FOCUS_SHOWN), focused(page).evaluate("e => e.outerHTML.slice(0, 200)")
    pytest.fail(f"{selector} is not reached with the Tab key")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, selector: str, label: str) -> None:
    """Pick an option of a closed <select> with the arrow keys."""
    tab_to(page, selector)
    labels = page.locator(f"{selector} option").all_inner_texts()
    index = next(i for i, text in enumerate(labels) if text.strip() == label)
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.locator(f"{selector} option:checked").inner_text().strip() == label


def press_enter_on(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_household_business_registers_with_the_keyboard_alone(page, live_server, mailoutbox):
    page.goto(f"{live_server.url}/accounts/register/")
    type_into(page, "#id_account-full_name", "Nông Thị Mai")
    type_into(page, "#id_account-email", "nongthimai@example.vn")
    type_into(page, "#id_account-phone", "0912 345 678")
    type_into(page, "#id_account-password1", "Banh-khao-2026!")
    type_into(page, "#id_account-password2", "Banh-khao-2026?")  # not the same: refused
    type_into(page, "#id_producer-name", "Hộ kinh doanh Nông Thị Mai")
    choose(page, "#id_producer-kind", "Hộ kinh doanh")
    type_into(page, "#id_producer-tax_code", "004089012345")
    type_into(page, "#id_producer-legal_representative", "Nông Thị Mai")
    choose(page, "#id_producer-province", "Tỉnh Cao Bằng")
    # htmx: the communes of the province the arrows stopped on (each step asked for its own; the last one wins)
    page.wait_for_selector("#id_producer-unit option:text-is('Xã Nguyên Bình')", state="attached")
    choose(page, "#id_producer-unit", "Xã Nguyên Bình")
    type_into(page, "#id_producer-address", "Xóm Nà Mạ")
    press_enter_on(page, "main form button[type=submit]")

    # The summary is read first and leads to the field.
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("element => element === document.activeElement")
    assert "Nhập lại mật khẩu: Hai mật khẩu không khớp nhau." in summary.inner_text()
    page.keyboard.press("Tab")
    link = focused(page)
    assert link.get_attribute("href") == "#id_account-password2"
    page.keyboard.press("Enter")
    assert focused(page).get_attribute("id") == "id_account-password2"
    assert page.locator("#id_producer-tax_code").input_value() == "004089012345"  # nothing typed is lost

    # Passwords are not sent back: type both again, then register.
    type_into(page, "#id_account-password1", "Banh-khao-2026!")
    type_into(page, "#id_account-password2", "Banh-khao-2026!")
    press_enter_on(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/register/done/$"))
    producer = Producer.objects.get(tax_code="004089012345")
    assert producer.name == "Hộ kinh doanh Nông Thị Mai"
    assert producer.get_kind_display() == "Hộ kinh doanh"
    assert len(mailoutbox) == 1


@pytest.fixture
def ready(db):
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    product = factories.product(producer, "Lạp sườn hun khói Tâm Hòa")
    add_photos(product, 3)
    add_document(producer, "registration")
    add_document(producer, "product_description", product=product)
    round_ = open_province_round()
    account = factories.UserFactory(role=Role.PRODUCER, producer=producer, email="tam.hoa@example.vn")
    return round_, product, account


def test_a_producer_sends_a_nomination_with_the_keyboard_alone(page, live_server, ready):
    round_, product, account = ready
    page.goto(f"{live_server.url}/accounts/login/")
    type_into(page, "#id_username", account.email)
    type_into(page, "#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # From the next-step panel of the producer's home to the wizard; the only open round is already chosen.
    press_enter_on(page, "main .next-steps a[href*='/nominations/new/']")
    assert page.locator(f"input[name=round][value='{round_.pk}']").is_checked()
    choose(page, "#id_product", product.name)
    press_enter_on(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r"/me/nominations/\d+/producer/$"))
    nomination = Nomination.objects.get(product=product)

    press_enter_on(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/form/$"))
    type_into(page, "#id_annual_output", "12 tấn/năm")
    type_into(page, "#id_annual_revenue", "1500000000")
    type_into(page, "#id_workers", "15")
    type_into(page, "#id_materials", "Thịt lợn đen, mắc khén Trùng Khánh")
    type_into(page, "#id_markets", "Siêu thị, sàn thương mại điện tử")
    type_into(page, "#id_highlights", "Công thức truyền thống, hun khói bằng củi nghiến.")
    press_enter_on(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/documents/$"))
    press_enter_on(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/photos/$"))
    press_enter_on(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/declaration/$"))
    tab_to(page, "#id_declaration_accepted")
    page.keyboard.press("Space")
    assert page.locator("#id_declaration_accepted").is_checked()
    press_enter_on(page, "button[name=submit]")
    page.wait_for_url(re.compile(rf"/me/nominations/{nomination.pk}/$"))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
