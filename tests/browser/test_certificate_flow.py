"""An official opens the certificate list filtered to a decision, ticks its certificates and starts the bulk
export; the progress page waits for the worker, follows it by htmx polling until the files are ready, and the ZIP
downloads with one PDF per certificate. Then a member of the public opens the URL of a certificate's QR code and
reads that it is valid, and another types a certificate's verification code from the paper. Real Chromium
against the live server, with the database task backend and a real django-tasks-db worker run in this process
once the export is queued."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect
from pypdf import PdfReader

from awards import services
from awards.enums import ExportStatus
from awards.models import CertificateExport
from awards.printouts.certificates import verification_url
from tests import factories
from tests.awards import certificate_helpers
from tests.awards import conftest as awards_conftest
from tests.awards.certificate_helpers import ISSUE_DATE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The awards tests' fixtures: a Cao Bằng round with a published decision, built through the services.
published_decision = certificate_helpers.published_decision
make_round = awards_conftest.make_round


@pytest.fixture
def database_tasks(settings):
    """Exports wait in the database for a worker, as in production (the test settings run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """`manage.py db_worker --batch`: take every queued task, run it, stop (here, in the test's thread)."""
    Worker(
        queue_names=["default"],
        interval=0.2,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    ).run()


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url


def test_an_official_exports_a_decisions_certificates_and_the_public_verifies_one(
    browser, page, live_server, published_decision, staff_user, database_tasks, tmp_path, settings
):
    settings.PUBLIC_BASE_URL = live_server.url  # what the QR codes print
    decision = published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    base = live_server.url

    # --- the official filters the certificate list to the decision and ticks its certificates ---
    sign_in(page, base, staff_user.email)
    page.goto(f"{base}{reverse('awards:staff.certificate.list')}?decision={decision.pk}")
    rows = page.locator("#certificate-selection tbody tr")
    expect(rows).to_have_count(2)
    for certificate in certificates:
        page.get_by_label(f"Chọn {certificate.number}", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Xuất các giấy chứng nhận đã chọn (PDF + ZIP)").click()

    # --- the progress page: queued, nothing done yet, polling ---
    page.wait_for_url(re.compile(r"/staff/certificates/exports/\d+/$"))
    export = CertificateExport.objects.get()
    assert export.title == "Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận"
    expect(page.locator("h1")).to_have_text(export.title)
    progress = page.locator("#export-progress")
    expect(progress.locator(".export-status")).to_have_text("Đang chờ")
    expect(progress.locator(".export-count")).to_have_text("0 / 2")
    assert progress.get_attribute("hx-trigger") == "every 2s"

    # --- a worker picks the job up; the page follows by itself (htmx) until the files are ready ---
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    expect(progress.locator(".export-status")).to_have_text("Đã xong", timeout=15_000)
    expect(page.locator("#export-progress .export-count")).to_have_text("2 / 2")
    assert page.locator("#export-progress").get_attribute("hx-trigger") is None  # polling stopped
    assert page.locator("progress").get_attribute("value") == "2"

    # --- the ZIP downloads with one PDF per certificate, named by number and product ---
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp ZIP gồm các PDF riêng").click()
    download = download_info.value
    assert download.suggested_filename == f"giay-chung-nhan-{export.pk}.zip"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{c.file_stem}.pdf" for c in certificates]
        for certificate in certificates:
            reader = PdfReader(io.BytesIO(archive.read(f"{certificate.file_stem}.pdf")))
            assert len(reader.pages) == 1
            assert certificate.grouped_code in " ".join(reader.pages[0].extract_text().split())

    # --- a member of the public scans the QR code of one certificate ---
    public = browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN")
    try:
        visitor = public.new_page()
        qr_url = verification_url(certificates[0])
        assert qr_url == base + reverse("awards:verify.detail", args=[certificates[0].code])
        visitor.goto(qr_url)
        expect(visitor.locator("#state-title")).to_have_text("Còn hiệu lực")
        main = visitor.inner_text("main")
        assert certificates[0].product_name in main
        assert certificates[0].number in main

        # --- another has only the paper: types its verification code, in lower case with dashes ---
        visitor.goto(f"{base}/verify/")
        field = visitor.get_by_role("textbox", name="Mã xác thực")
        field.fill(certificates[1].grouped_code.lower().replace(" ", "-"))
        with visitor.expect_navigation():
            field.press("Enter")
        assert visitor.url == base + reverse("awards:verify.detail", args=[certificates[1].code])
        expect(visitor.locator("#state-title")).to_have_text("Còn hiệu lực")
        assert certificates[1].product_name in visitor.inner_text("main")
    finally:
        public.close()
