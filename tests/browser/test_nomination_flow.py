"""A producer with a dossier on file nominates a product through the wizard and sends it; the department returns it
asking for the annual output; the producer corrects it and sends it again; the department accepts it; the producer's
dossier page shows every step. Real Chromium against the live server, producer and staff in separate contexts."""

import re

import pytest
from django.urls import reverse

from awards.enums import NominationStatus
from awards.models import CorrectionRequest, Nomination
from portal.accounts.enums import Role
from tests import factories
from tests.awards.helpers import open_province_round
from tests.awards.nomination_helpers import add_document, add_photos, in_days

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = factories.PASSWORD


@pytest.fixture
def on_file(db):
    """Everything in the database before anyone signs in: a Cao Bằng province round open today, a producer account
    with a product whose photos and documents are on file, and a Cao Bằng staff account."""
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    product = factories.product(producer, "Lạp sườn hun khói Tâm Hòa")
    add_photos(product, 3)
    add_document(producer, "registration")
    add_document(producer, "product_description", product=product)
    round_ = open_province_round()
    producer_account = factories.UserFactory(
        role=Role.PRODUCER, producer=producer, email="tam.hoa@example.vn", full_name="Nguyễn Thanh Tâm"
    )
    staff_account = factories.UserFactory(
        role=Role.STAFF,
        organization=factories.organization("Cao Bằng"),
        is_staff=True,
        email="can.bo@sct-caobang.example.vn",
        full_name="Cán bộ Sở Cao Bằng",
    )
    return round_, product, producer_account, staff_account


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url


def submit(page, selector):
    """Click a submit button and wait for the page the POST redirects to."""
    with page.expect_navigation():
        page.click(selector)


def decision_button(action):
    return f"form:has(input[name=action][value={action}]) button[type=submit]"


def test_nomination_is_sent_returned_corrected_and_accepted(page, browser, live_server, on_file):
    round_, product, producer_account, staff_account = on_file
    base = live_server.url

    # --- the producer starts a nomination and goes through the wizard ---
    sign_in(page, base, producer_account.email)
    page.goto(f"{base}{reverse('awards:producer.nomination.list')}")
    page.click(f"main a[href='{reverse('awards:producer.nomination.create')}']")
    page.check(f"input[name=round][value='{round_.pk}']")
    page.select_option("#id_product", str(product.pk))
    submit(page, "main button[type=submit]")
    page.wait_for_url(re.compile(r"/me/nominations/\d+/producer/$"))
    nomination = Nomination.objects.get(product=product)

    submit(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/form/$"))
    page.fill("#id_annual_output", "12 tấn/năm")
    page.fill("#id_annual_revenue", "1500000000")
    page.fill("#id_workers", "15")
    page.fill("#id_materials", "Thịt lợn đen, mắc khén Trùng Khánh")
    page.fill("#id_markets", "Siêu thị, sàn thương mại điện tử")
    page.fill("#id_highlights", "Công thức truyền thống, hun khói bằng củi nghiến.")
    submit(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/documents/$"))
    # The documents on file are already attached to both required items.
    assert page.locator(".doc-row.state-ok").count() == 2
    submit(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/photos/$"))
    assert page.locator("input[name=photos]:checked").count() == 3
    submit(page, "button[name=next]")
    page.wait_for_url(re.compile(r"/declaration/$"))
    page.check("#id_declaration_accepted")
    submit(page, "button[name=submit]")
    page.wait_for_url(re.compile(rf"/me/nominations/{nomination.pk}/$"))

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    receipt_code = f"CB-{round_.year}-T-0001"
    assert nomination.receipt_code == receipt_code
    assert receipt_code in page.inner_text("main")

    # --- staff, in another browser context, return the dossier for correction ---
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    staff = staff_context.new_page()
    staff.set_default_timeout(15_000)
    try:
        sign_in(staff, base, staff_account.email)
        staff.goto(f"{base}{round_.get_absolute_url()}")
        staff.click(f"main a[href='{reverse('awards:staff.nomination.list', args=[round_.pk])}']")
        staff.wait_for_url(re.compile(rf"/staff/rounds/{round_.pk}/nominations/$"))
        staff.click(f"main a:text-is('{receipt_code}')")
        staff.wait_for_url(re.compile(rf"/staff/nominations/{nomination.pk}/$"))
        deadline = in_days(14).strftime("%d/%m/%Y")
        staff.check('input[name=items][value="field:annual_output"]')
        staff.fill("#id_message", "Ghi rõ sản lượng của năm 2025.")
        staff.fill("#id_deadline", deadline)
        submit(staff, decision_button("return"))

        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.RETURNED
        assert CorrectionRequest.objects.get(nomination=nomination).items == ["field:annual_output"]

        # --- the producer corrects the annual output and sends the corrections ---
        page.reload()
        assert "Ghi rõ sản lượng của năm 2025." in page.inner_text("main")
        page.click(f"main a[href$='/me/nominations/{nomination.pk}/producer/']")
        page.wait_for_url(re.compile(r"/producer/$"))
        page.click("ol.steps a[href$='/form/']")
        page.wait_for_url(re.compile(r"/form/$"))
        assert page.locator("#id_markets").is_disabled()
        page.fill("#id_annual_output", "14 tấn năm 2025")
        submit(page, "button[name=next]")
        page.click("ol.steps a[href$='/declaration/']")
        page.wait_for_url(re.compile(r"/declaration/$"))
        assert page.locator("#id_declaration_accepted").is_checked()
        submit(page, "button[name=submit]")
        page.wait_for_url(re.compile(rf"/me/nominations/{nomination.pk}/$"))

        nomination.refresh_from_db()
        assert (nomination.status, nomination.annual_output) == (NominationStatus.RESUBMITTED, "14 tấn năm 2025")
        assert nomination.markets == "Siêu thị, sàn thương mại điện tử"

        # --- staff accept it ---
        staff.reload()
        assert "14 tấn năm 2025" in staff.inner_text("main")
        submit(staff, decision_button("accept"))
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.ACCEPTED
    finally:
        staff_context.close()

    # --- the producer's timeline: started, submitted, returned, resubmitted, accepted ---
    page.reload()
    assert page.locator("ol.timeline li").count() == 5
    assert list(nomination.status_log.values_list("to_status", flat=True)) == [
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.RESUBMITTED,
        NominationStatus.ACCEPTED,
    ]
