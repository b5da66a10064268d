"""Two app servers and two workers on one database, as behind a load balancer: two gunicorn instances (A and B)
and two `manage.py run_worker` processes with the production settings on the test database, sharing one file store.
A photo uploaded through A downloads through B; a bulk export started on A is built once, by one of the two
workers, and B's progress page shows it done; a sign-in locked out on A stays locked on B (django-axes keeps its
counts in the database); the session made on A is valid on B (sessions and the cache are in the database)."""

import io
import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image
from playwright.sync_api import expect

from awards import services
from awards.enums import ExportStatus
from awards.models import CertificateExport
from portal.accounts.enums import Role
from products.models import ProductPhoto
from tests import factories
from tests.awards import certificate_helpers
from tests.awards import conftest as awards_conftest
from tests.awards.certificate_helpers import ISSUE_DATE

from . import servers

pytestmark = [pytest.mark.once_in_ci, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
published_decision = certificate_helpers.published_decision
make_round = awards_conftest.make_round


@pytest.fixture
def two_instances(shared_database, settings, tmp_path, tmp_path_factory):
    ports = [servers.free_port(), servers.free_port()]
    settings.PUBLIC_BASE_URL = f"http://localhost:{ports[0]}"
    static = tmp_path_factory.getbasetemp() / "production-static"
    servers.collect_static(static)
    env = servers.production_env(shared_database, settings.MEDIA_ROOT, static, tmp_path, settings.PUBLIC_BASE_URL)
    with servers.running(env, tmp_path, ports=ports, gunicorn_workers=1, workers=2) as bases:
        yield bases


def jpeg(path, colour=(30, 122, 69)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_two_servers_and_two_workers_share_files_jobs_sessions_and_lockouts(
    browser, two_instances, published_decision, staff_user, tmp_path
):
    a, b = two_instances
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    product = factories.product(producer, "Lạp sườn hun khói Tâm Hòa")
    account = factories.UserFactory(role=Role.PRODUCER, producer=producer, email="tam.hoa@example.vn")
    decision = published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    servers.production_password(staff_user, account)
    producer_context = browser.new_context(locale="vi-VN")
    staff_context = browser.new_context(locale="vi-VN")
    try:
        # --- a photo uploaded through A is served by B ---
        page = producer_context.new_page()
        servers.sign_in(page, a, account.email)
        page.goto(f"{a}{reverse('products:producer.product.detail', args=[product.pk])}")
        page.set_input_files("#id_photos", jpeg(tmp_path / "lap-suon.jpg"))
        with page.expect_navigation():
            page.click("form.inline-upload button[type=submit]")
        assert ProductPhoto.objects.filter(product=product).count() == 1
        page.goto(f"{b}{reverse('products:producer.product.detail', args=[product.pk])}")  # A's session, on B
        source = page.locator(".photo-grid img").first.get_attribute("src")
        from_b = page.request.get(f"{b}{source}")
        assert from_b.status == 200
        assert from_b.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(from_b.body())).size == (320, 240)

        # --- an export started on A is built once, by one of the two workers; B shows it done ---
        staff = staff_context.new_page()
        servers.sign_in(staff, a, staff_user.email)
        staff.goto(f"{a}{reverse('awards:staff.decision.certificates', args=[decision.pk])}")
        with staff.expect_navigation():
            staff.click("main form.inline-form button[type=submit]")
        staff.wait_for_url(re.compile(r"/staff/certificates/exports/\d+/$"))
        export = CertificateExport.objects.get()
        staff.goto(f"{b}{reverse('awards:staff.certificate.export.detail', args=[export.pk])}")
        expect(staff.locator("#export-progress .export-status")).to_have_text("Đã xong", timeout=120_000)
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE
        runs = DBTaskResult.objects.filter(task_path="awards.tasks.build_certificate_export")
        assert [run.status for run in runs] == ["SUCCESSFUL"]
        assert export.done == export.total == len(certificates)

        # --- five wrong passwords on A lock the account; the right one on B is refused ---
        producer_context.clear_cookies()
        for _ in range(5):
            page.goto(f"{a}/accounts/login/")
            page.fill("#id_username", staff_user.email)
            page.fill("#id_password", "sai-mat-khau")
            with page.expect_navigation():
                page.click("main button[type=submit]")
        page.goto(f"{b}/accounts/login/")
        page.fill("#id_username", staff_user.email)
        page.fill("#id_password", factories.PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "Đăng nhập tạm thời bị khóa" in page.inner_text("main")
        assert "/accounts/login/" in page.url
    finally:
        producer_context.close()
        staff_context.close()
