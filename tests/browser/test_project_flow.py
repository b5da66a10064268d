"""A province officer records a khuyến công project, approves it, signs the contract, starts it, records a
disbursement, accepts it with its outputs and settles it: real Chromium against the live server, every step
through the staff pages, ending with the "Settled" status shown."""

import re

import pytest
from django.urls import reverse

from extension_projects.enums import ProjectStatus
from extension_projects.models import Disbursement, Project
from portal.accounts.enums import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def officer(db):
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    factories.producer("Công ty TNHH MTV 688", "Cao Bằng")
    account = factories.UserFactory(
        role=Role.STAFF,
        organization=factories.organization("Cao Bằng"),
        is_staff=True,
        email="can.bo@sct-caobang.example.vn",
        full_name="Cán bộ Sở Cao Bằng",
    )
    return account, producer


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def move_to(page, to, fields=None):
    """Open the form of a transition on the project page, fill it and send it."""
    page.click(f"#transition-{to} summary")
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    submit(page, f"button[name=submit-{to}]")


def test_a_project_goes_from_proposal_to_settlement_in_the_browser(page, live_server, officer):
    base = live_server.url
    account, producer = officer
    sign_in(page, base, account.email)

    page.click("nav.main-nav summary:text-is('Khuyến công')")  # the menu opens
    page.click("nav.main-nav a:text-is('Đề án khuyến công')")
    page.wait_for_url(re.compile(r"/staff/extension-projects/$"))
    page.click(f"main a[href='{reverse('extension_projects:staff.project.create')}']")
    assert "Được cấp khi lưu đề án" in page.inner_text("#project-code")
    page.fill("#id_title", "Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa")
    page.select_option("#id_activity_type", label="Hỗ trợ ứng dụng máy móc, thiết bị tiên tiến, chuyển giao công nghệ")
    page.fill("#id_plan_year", "2026")
    page.fill("#id_implementer", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Cao Bằng")
    # The picker: typing filters the checkboxes as you go (accents not needed), then a tap ticks one.
    options = page.locator("#beneficiary-options label")
    assert options.count() == 2
    page.fill("#id_q", "tam hoa")
    assert page.locator("#beneficiary-options label:visible").count() == 1
    page.check(f"#beneficiary-options input[value='{producer.pk}']")
    page.fill("#id_funding_local", "250.000.000")
    page.fill("#id_funding_counterpart", "300.000.000")
    submit(page, "main form.form-card button.primary")
    page.wait_for_url(re.compile(r"/staff/extension-projects/\d+/$"))
    project = Project.objects.get(code="KC-2026-001")
    assert list(project.beneficiaries.all()) == [producer]
    assert page.inner_text("#project-status") == "Đề xuất"
    assert "quyết định phê duyệt (số và ngày)" in page.inner_text("#transition-approved")

    move_to(
        page, "approved", {"#id_approved_approval_number": "512/QĐ-SCT", "#id_approved_approval_date": "02/03/2026"}
    )
    assert page.inner_text("#project-status") == "Đã phê duyệt"
    move_to(
        page,
        "contracted",
        {"#id_contracted_contract_number": "05/2026/HĐ-KC", "#id_contracted_contract_date": "01/04/2026"},
    )
    move_to(page, "implementing")
    assert page.inner_text("#project-status") == "Đang thực hiện"

    page.select_option("#id_source", "local")
    page.fill("#id_amount", "250.000.000")
    page.fill("#id_paid_on", "02/05/2026")
    page.fill("#id_reference", "UNC 118")
    submit(page, "#disbursement-form button[type=submit]")
    assert "UNC 118" in page.inner_text("#disbursements")
    assert Disbursement.objects.get(project=project).amount == 250_000_000

    move_to(
        page,
        "accepted",
        {
            "#id_accepted_accepted_on": "20/11/2026",
            "#id_accepted_acceptance_committee": "Hội đồng nghiệm thu Sở Công Thương",
            "#id_accepted_machines": "2",
            "#id_accepted_jobs_created": "6",
        },
    )
    assert page.inner_text("#project-status") == "Đã nghiệm thu"
    move_to(
        page,
        "settled",
        {
            "#id_settled_settled_on": "20/12/2026",
            "#id_settled_actual_local": "250.000.000",
            "#id_settled_actual_counterpart": "290.000.000",
        },
    )

    assert page.inner_text("#project-status") == "Đã quyết toán"
    assert "Đề án đã kết thúc" in page.inner_text("#status")
    project.refresh_from_db()
    assert project.status == ProjectStatus.SETTLED
    assert {f.source: f.actual for f in project.fundings.all()} == {"local": 250_000_000, "counterpart": 290_000_000}
