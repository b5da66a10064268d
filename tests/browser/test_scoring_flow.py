"""Two council members score an accepted dossier: the first types a score over the criterion's maximum, is told so
on that field with the value still there, corrects it and submits; the second submits its own sheet in another
browser context; the dossier's score is then the mean of the two totals. Then the round's managing officer closes
the scoring and publishes the decision on the results page, and the producer sees "recognised" on its dossier's
timeline. Real Chromium against the live server."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from awards.enums import NominationStatus, SheetStatus
from awards.models import Decision, Nomination, Recognition, ScoreSheet
from awards.selectors import nomination_score
from portal.accounts.enums import Role
from products.enums import OrganizationKind
from products.models import Organization
from tests import factories
from tests.awards.helpers import open_province_round
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
    round_ = open_province_round()
    province = factories.province("Cao Bằng")
    # The body that signs province decisions (the form offers the province's committee and department).
    Organization.objects.get_or_create(
        name="Ủy ban nhân dân tỉnh Cao Bằng",
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": province},
    )
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
    return SimpleNamespace(
        nomination=nomination, criteria=leaves(council), members=members, staff=staff_account, producer=producer_account
    )


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


def confirm_submission(page, total: str):
    """The confirmation page between "Submit the sheet" and the locked sheet states the total; confirm it."""
    assert f"{total}/100" in page.inner_text("main .sheet-total")
    assert page.locator("main input[inputmode=decimal]").count() == 0
    submit_sheet(page)


def open_sheet(page, base_url, email, nomination):
    """Sign in (the home page sends a member to its inbox), follow the inbox's line to the round's dossiers and
    open the dossier's sheet from there."""
    sign_in(page, base_url, email)
    page.wait_for_url(re.compile(r"/inbox/$"))
    assert "1 hồ sơ cần chấm điểm" in page.inner_text("#inbox-scoring")
    page.click("#inbox-scoring a")
    page.wait_for_url(re.compile(rf"/member/\?round={nomination.round_id}$"))
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


def both_members_score(page, browser, base, nomination, criteria, members):
    """Member 1 (in `page`) is refused a score over the maximum, corrects it and submits 78; member 2, in another
    browser context, submits 71.5."""
    first_member, second_member = members
    first = criteria[0]
    assert first.max_points == Decimal(20)

    # --- member 1: a score over the maximum is refused on its field, the empty ones are marked with it (a sheet
    # submitted needs every score), and what was typed stays ---
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
    assert page.locator(f".field.has-error:has(#id_c{criteria[1].pk})").count() == 0
    assert page.locator(".field.has-error").count() == len(criteria) - 1  # 1.1 and the eight left empty
    assert not ScoreSheet.objects.filter(nomination=nomination).exists()

    # --- member 1 corrects it, fills every criterion and submits ---
    fill_all(page, criteria, FIRST_MEMBER)
    submit_sheet(page)
    assert not ScoreSheet.objects.filter(nomination=nomination, status="submitted").exists()
    confirm_submission(page, "78")
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
        confirm_submission(second, "71,50")
        assert_locked(second, criteria)
    finally:
        context.close()


def test_two_members_score_a_dossier_and_it_gets_their_mean(page, browser, live_server, on_file):
    nomination = on_file.nomination
    first_member, second_member = on_file.members
    both_members_score(page, browser, live_server.url, nomination, on_file.criteria, on_file.members)

    sheets = {s.member_id: s for s in ScoreSheet.objects.filter(nomination=nomination)}
    assert {m: (s.status, s.total) for m, s in sheets.items()} == {
        first_member.pk: (SheetStatus.SUBMITTED, Decimal(78)),
        second_member.pk: (SheetStatus.SUBMITTED, Decimal("71.5")),
    }
    result = nomination_score(nomination)
    assert result.count == 2
    assert result.score == (sheets[first_member.pk].total + sheets[second_member.pk].total) / 2
    assert result.score == Decimal("74.75")


def test_staff_publish_the_decision_and_the_producer_sees_recognised(page, browser, live_server, on_file):
    nomination = on_file.nomination
    base = live_server.url
    both_members_score(page, browser, base, nomination, on_file.criteria, on_file.members)
    assert ScoreSheet.objects.filter(nomination=nomination, status=SheetStatus.SUBMITTED).count() == 2

    # --- the managing officer closes the scoring on the round's results page ---
    context, staff = new_page(browser)
    try:
        sign_in(staff, base, on_file.staff.email)
        staff.goto(f"{base}{reverse('awards:staff.round.results', args=[nomination.round_id])}")
        assert staff.get_by_role("heading", name="Kết quả chấm điểm và xếp hạng", exact=True).is_visible()
        row = staff.get_by_role("row").filter(has_text=nomination.receipt_code)
        assert "74,75" in row.inner_text()
        with staff.expect_navigation():
            staff.get_by_role("link", name="Kết thúc chấm điểm…", exact=True).click()
        # The confirmation says what will happen; nothing has changed yet.
        assert "1 hồ sơ đạt số phiếu tối thiểu" in staff.locator("main").inner_text()
        assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.ACCEPTED
        with staff.expect_navigation():
            staff.get_by_role("button", name="Kết thúc chấm điểm", exact=True).click()
        assert "Đã kết thúc chấm điểm cho 1 hồ sơ." in staff.locator(".messages").inner_text()
        assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.SCORED

        # --- then records the decision, ticks the product and publishes it ---
        staff.get_by_label("Số quyết định").fill("125/QĐ-UBND")
        staff.get_by_label("Ngày quyết định").fill("15/12/2026")
        staff.get_by_label("Cơ quan ban hành").select_option(label="Ủy ban nhân dân tỉnh Cao Bằng")
        staff.get_by_label("Chức vụ người ký").fill("KT. CHỦ TỊCH – PHÓ CHỦ TỊCH")
        staff.get_by_label("Họ tên người ký").fill("Nguyễn Văn Hùng")
        staff.get_by_label(re.compile("Lạp sườn hun khói Tâm Hòa")).check()
        with staff.expect_navigation():
            staff.get_by_role("button", name="Xem lại quyết định trước khi cập nhật", exact=True).click()
        assert "1 sản phẩm sẽ được công nhận" in staff.locator("main").inner_text()
        assert not Decision.objects.exists()
        with staff.expect_navigation():
            staff.get_by_role("button", name="Cập nhật quyết định công nhận", exact=True).click()
        assert staff.locator(".form-errors").count() == 0
        assert (
            "Đã cập nhật Quyết định 125/QĐ-UBND: 1 sản phẩm được công nhận." in staff.locator(".messages").inner_text()
        )
        # The form is gone: the page now shows the published decision.
        assert staff.get_by_role("button", name="Cập nhật quyết định công nhận", exact=True).count() == 0
        assert "125/QĐ-UBND" in staff.locator("section", has=staff.locator("#decision-title")).inner_text()
    finally:
        context.close()

    decision = Decision.objects.get(round=nomination.round)
    assert (decision.number, decision.date.isoformat()) == ("125/QĐ-UBND", "2026-12-15")
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.RECOGNISED
    assert Recognition.objects.filter(product=nomination.product, decision=decision).count() == 1

    # --- the producer sees the result on its dossier's timeline ---
    context, producer = new_page(browser)
    try:
        sign_in(producer, base, on_file.producer.email)
        producer.goto(f"{base}{reverse('awards:producer.nomination.detail', args=[nomination.pk])}")
        timeline = producer.locator("ol.timeline")
        last = timeline.locator("li").last
        assert "Được công nhận" in last.inner_text()
        assert "Quyết định số 125/QĐ-UBND" in last.inner_text()
    finally:
        context.close()
