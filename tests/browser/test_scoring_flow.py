"""Two council members score an accepted dossier: the first types a score over the criterion's maximum, is told so
on that field with the value still there, corrects it and submits; the second submits its own sheet in another
browser context; the dossier's score is then the mean of the two totals. Real Chromium against the live server."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from awards import services as award_services
from awards.enums import PhaseKind, RoundStatus, SheetStatus
from awards.models import ScoreSheet
from awards.selectors import nomination_score
from portal.accounts.enums import Role
from tests import factories
from tests.awards.helpers import level, programme, registration_window
from tests.awards.scoring_helpers import LEAF_COUNT, accepted, council_for, leaves, seat

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = factories.PASSWORD

# Typed into the ten sub-criteria of Phụ lục 4 (maxima 20, 20, 15, 10, 8, 7, 5, 5, 5, 5), in order.
FIRST_MEMBER = ["18", "15", "12", "8", "6", "5", "4", "4", "3", "3"]  # 78
SECOND_MEMBER = ["16.5", "14", "10", "7", "5", "5", "4", "3", "4", "3"]  # 71.5


@pytest.fixture
def on_file(db):
    """Before anyone signs in: a Cao Bằng province round with an accepted dossier, and its council with two
    member accounts whose e-mail is confirmed."""
    registration = registration_window(starts_in_days=0, ends_in_days=30)
    round_ = award_services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration},
        level=level("province"),
        year=registration[0].year,
        title=f"Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng {registration[0].year}",
        province=factories.province("Cao Bằng"),
        organiser=factories.organization("Cao Bằng"),
    )
    award_services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=None)
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    producer_account = factories.UserFactory(role=Role.PRODUCER, producer=producer, full_name="Nguyễn Thanh Tâm")
    staff_account = factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True, full_name="Cán bộ Sở"
    )
    nomination = accepted(round_, producer, producer_account, staff_account, "Lạp sườn hun khói Tâm Hòa")
    council = council_for(round_, staff_account)
    members = [
        seat(
            council,
            staff_account,
            user=factories.UserFactory(role=Role.MEMBER, email=email, full_name=name, email_verified=True),
        )
        for email, name in (("hoang.van.a@example.vn", "Hoàng Văn A"), ("be.thi.b@example.vn", "Bế Thị B"))
    ]
    return nomination, leaves(council), members


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url


def submit_sheet(page):
    """Click "Submit the sheet" and wait for the page that answers the POST (the sheet again, or its errors)."""
    with page.expect_navigation():
        page.click("button[name=submit]")


def open_sheet(page, base_url, email, nomination):
    """Sign in (the home page sends a member to its dashboard) and open the dossier's sheet from the dashboard."""
    sign_in(page, base_url, email)
    page.wait_for_url(re.compile(r"/member/$"))
    assert nomination.receipt_code in page.inner_text("main")
    page.click(f"main a[href='{reverse('awards:member.sheet', args=[nomination.pk])}']")
    page.wait_for_url(re.compile(rf"/member/nominations/{nomination.pk}/sheet/$"))
    assert page.locator("main input[inputmode=decimal]").count() == LEAF_COUNT


def fill_all(page, criteria, values):
    for criterion, value in zip(criteria, values, strict=True):
        page.fill(f"#id_c{criterion.pk}", value)


def assert_locked(page, criteria):
    page.wait_for_url(re.compile(r"/sheet/$"))
    assert page.locator("button[name=submit]").count() == 0
    for criterion in criteria:
        assert page.locator(f"#id_c{criterion.pk}").is_disabled()


def test_two_members_score_a_dossier_and_it_gets_their_mean(page, browser, live_server, on_file):
    nomination, criteria, (first_member, second_member) = on_file
    base = live_server.url
    first = criteria[0]
    assert first.max_points == Decimal(20)

    # --- member 1: a score over the maximum is refused on its field, and what was typed stays ---
    open_sheet(page, base, first_member.user.email, nomination)
    page.fill(f"#id_c{first.pk}", "21")
    page.fill(f"#id_c{criteria[1].pk}", "15")
    submit_sheet(page)
    field = page.locator(f".field.has-error:has(#id_c{first.pk})")
    assert field.count() == 1
    assert field.locator(".error").inner_text().strip()
    assert page.locator(".form-errors").is_visible()
    assert page.input_value(f"#id_c{first.pk}") == "21"
    assert page.input_value(f"#id_c{criteria[1].pk}") == "15"
    assert page.locator(".field.has-error").count() == 1
    assert not ScoreSheet.objects.filter(nomination=nomination).exists()

    # --- member 1 corrects it, fills every criterion and submits ---
    fill_all(page, criteria, FIRST_MEMBER)
    submit_sheet(page)
    assert_locked(page, criteria)
    assert page.locator(".form-errors").count() == 0
    assert "78/100" in page.locator("main h2 .badge.ok").inner_text()
    assert page.input_value(f"#id_c{first.pk}").startswith("18")

    page.goto(f"{base}{reverse('awards:member.dashboard')}")
    assert page.locator("main progress").get_attribute("value") == "1"

    # --- member 2, in another browser context ---
    context, second = new_page(browser)
    try:
        open_sheet(second, base, second_member.user.email, nomination)
        # Member 1's values are not on member 2's sheet.
        assert second.input_value(f"#id_c{first.pk}") == ""
        fill_all(second, criteria, SECOND_MEMBER)
        submit_sheet(second)
        assert_locked(second, criteria)
    finally:
        context.close()

    sheets = {s.member_id: s for s in ScoreSheet.objects.filter(nomination=nomination)}
    assert {m: (s.status, s.total) for m, s in sheets.items()} == {
        first_member.pk: (SheetStatus.SUBMITTED, Decimal(78)),
        second_member.pk: (SheetStatus.SUBMITTED, Decimal("71.5")),
    }
    result = nomination_score(nomination)
    assert result.count == 2
    assert result.score == (sheets[first_member.pk].total + sheets[second_member.pk].total) / 2
    assert result.score == Decimal("74.75")
