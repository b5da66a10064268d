"""The production set-up, smoke-tested: gunicorn (2 workers) with `portal.settings.production` (DEBUG off, static
files collected and served by WhiteNoise from their manifest, the database cache, JSON logs) plus one
`manage.py run_worker` (background tasks and the scheduler) on the test database (PostgreSQL, or a file copy of the
SQLite one). In Chromium: a producer sends a nomination through the wizard; staff issue a decision's certificates
and export them, the worker builds the ZIP; a visitor verifies a certificate by its code; /healthz and /readyz
answer 200 (the worker's heartbeat included)."""

import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awards.enums import ExportStatus, NominationStatus
from awards.models import Certificate, CertificateExport, Nomination
from portal.accounts.enums import Role
from tests import factories
from tests.awards import certificate_helpers
from tests.awards import conftest as awards_conftest
from tests.awards.certificate_helpers import ISSUE_DATE
from tests.awards.helpers import open_province_round
from tests.awards.nomination_helpers import add_document, add_photos

from . import servers

pytestmark = [pytest.mark.once_in_ci, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
published_decision = certificate_helpers.published_decision
make_round = awards_conftest.make_round


@pytest.fixture
def production(shared_database, settings, tmp_path, tmp_path_factory):
    """gunicorn (2 workers) + one worker with the production settings on the test database; yields the base URL."""
    port = servers.free_port()
    settings.PUBLIC_BASE_URL = f"http://localhost:{port}"
    static = tmp_path_factory.getbasetemp() / "production-static"
    servers.collect_static(static)
    env = servers.production_env(shared_database, settings.MEDIA_ROOT, static, tmp_path, settings.PUBLIC_BASE_URL)
    with servers.running(env, tmp_path, ports=[port]) as (base,):
        yield base


def next_step(page, button: str, url: str) -> None:
    with page.expect_navigation():
        page.click(button)
    page.wait_for_url(re.compile(url))


def send_nomination(page, base, round_, product) -> None:
    page.goto(f"{base}{reverse('awards:producer.nomination.create')}")
    assert page.locator(f"input[name=round][value='{round_.pk}']").is_checked()
    page.select_option("#id_product", str(product.pk))
    next_step(page, "main button[type=submit]", r"/producer/$")
    next_step(page, "button[name=next]", r"/form/$")
    for field, value in {
        "annual_output": "8 tấn/năm",
        "annual_revenue": "900000000",
        "workers": "9",
        "materials": "Tôm đất Năm Căn",
        "markets": "Chợ, siêu thị",
        "highlights": "Phơi nắng tự nhiên.",
    }.items():
        page.fill(f"#id_{field}", value)
    next_step(page, "button[name=next]", r"/documents/$")
    next_step(page, "button[name=next]", r"/photos/$")
    next_step(page, "button[name=next]", r"/declaration/$")
    page.check("#id_declaration_accepted")
    next_step(page, "button[name=submit]", r"/me/nominations/\d+/$")
    expect(page.locator("main")).to_contain_text("CM-")  # the receipt code


def test_production_settings_gunicorn_and_worker_serve_the_whole_path(
    browser, published_decision, staff_user, production, tmp_path
):
    base = production
    decision = published_decision()
    producer = factories.producer("HTX Tôm khô Năm Căn", "Cà Mau")
    product = factories.product(producer, "Tôm khô Năm Căn", group_code="2")
    add_photos(product, 3)
    add_document(producer, "registration")
    add_document(producer, "product_description", product=product)
    round_ = open_province_round("Cà Mau")
    account = factories.UserFactory(role=Role.PRODUCER, producer=producer, email="tomkho@example.vn")
    servers.production_password(staff_user, account)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        # --- the producer sends a nomination ---
        servers.sign_in(page, base, account.email)
        send_nomination(page, base, round_, product)
        assert Nomination.objects.get(product=product).status == NominationStatus.SUBMITTED
        assert page.locator("link[rel=stylesheet]").first.get_attribute("href").count(".") >= 2  # hashed name
        context.clear_cookies()

        # --- staff issue the decision's certificates and export them; the worker builds the ZIP ---
        servers.sign_in(page, base, staff_user.email)
        page.goto(f"{base}{reverse('awards:staff.decision.certificates', args=[decision.pk])}")
        page.fill("#id_issued_on", ISSUE_DATE.strftime("%d/%m/%Y"))  # the helpers' decision is dated ahead
        next_step(page, "form.form-card button[type=submit]", r"/certificates/")
        certificates = list(Certificate.objects.filter(recognition__decision=decision))
        assert len(certificates) == 2, page.inner_text("main")
        page.goto(f"{base}{reverse('awards:staff.decision.certificates', args=[decision.pk])}")
        next_step(page, "main form.inline-form button[type=submit]", r"/staff/certificates/exports/\d+/$")
        expect(page.locator("#export-progress .export-status")).to_have_text("Đã xong", timeout=120_000)
        assert CertificateExport.objects.get().status == ExportStatus.DONE
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Tải tệp ZIP gồm các PDF riêng").click()
        target = tmp_path / "export.zip"
        download_info.value.save_as(target)
        with zipfile.ZipFile(target) as archive:
            assert sorted(archive.namelist()) == sorted(f"{c.file_stem}.pdf" for c in certificates)
            assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        context.clear_cookies()

        # --- a visitor types a certificate's code ---
        page.goto(f"{base}/verify/")
        page.get_by_role("textbox", name="Mã xác thực").fill(certificates[0].grouped_code.lower())
        with page.expect_navigation():
            page.get_by_role("textbox", name="Mã xác thực").press("Enter")
        expect(page.locator("#state-title")).to_have_text("Còn hiệu lực")
        assert certificates[0].product_name in page.inner_text("main")
    finally:
        context.close()
