"""Report files built in the background: the page's button queues a job and answers at once, the worker builds
the file from the stored parameters, the official is told in the notification list with the link, and only the
official (and a superuser) may follow the progress page and download the file; a failure is told with its
reason; the scheduler resumes a job whose worker died and purges expired files. Also the permission matrix of
every report URL."""

import datetime
import re
import time

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from awards.enums import ExportStatus
from portal import scheduler
from portal.accounts.enums import Role
from portal.models import ReportJob
from portal.reports import jobs
from tests import factories

from .helpers import download, pdf_text, province, text_of, workbook

pytestmark = pytest.mark.django_db


def queue(client, kind, fmt, unit, year_from=2020, year_to=2024, **extra):
    data = {"province": unit.pk, "year_from": year_from, "year_to": year_to, **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(f"reports:staff.{kind}.{fmt}"), data)


def job_of(response) -> ReportJob:
    assert response.status_code == 302, response.content.decode()[:500]
    match = re.fullmatch(r"/staff/reports/files/(\d+)/", response["Location"])
    assert match, response["Location"]
    return ReportJob.objects.get(pk=match.group(1))


def test_the_pdf_is_built_by_the_worker_and_the_official_is_told_with_the_link(client, staff_user):
    client.force_login(staff_user)
    job = job_of(queue(client, "recognitions", "pdf", province("Cao Bằng"), annex="on"))
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.params["annex"]) == (ExportStatus.DONE, 3, 3, True)
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=72)
    (notice,) = staff_user.notifications.all()
    assert notice.link == f"/staff/reports/files/{job.pk}/"
    assert notice.text == (
        "Báo cáo “Tổng hợp kết quả bình chọn sản phẩm công nghiệp nông thôn tiêu biểu — Tỉnh Cao Bằng, "
        "giai đoạn 2020–2024 (PDF)” đã sẵn sàng để tải về."
    )
    page = client.get(notice.link)
    assert "Tệp đã sẵn sàng. Có thể tải về đến" in text_of(page.content.decode())
    assert 'hx-get="' not in page.content.decode()  # nothing left to poll
    response = download(client, page)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "tong-hop-binh-chon-spcnnttb-cao-bang-2020-2024.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "TỔNG HỢP KẾT QUẢ BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU" in text
    assert "Giai đoạn 2020–2024" in text


def test_the_workbook_is_served_as_excel_to_its_owner_only(client, staff_user, superuser, ministry_user):
    client.force_login(staff_user)
    job = job_of(queue(client, "extension", "xlsx", province("Cao Bằng"), 2024, 2024))
    file_url = reverse("reports:staff.job.file", args=[job.pk])
    response = download(client, client.get(reverse("reports:staff.job", args=[job.pk])))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "tinh-hinh-thuc-hien-khuyen-cong-cao-bang-2024-2024.xlsx" in response["Content-Disposition"]
    book = workbook(response)
    assert book["Tổng hợp"]["A7"].value == "Năm 2024"
    colleague = factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True)
    for user in (colleague, ministry_user):
        client.force_login(user)
        assert client.get(file_url).status_code == 404
        assert client.get(reverse("reports:staff.job", args=[job.pk])).status_code == 404
    client.force_login(superuser)
    assert client.get(file_url).status_code == 200


def test_the_request_builds_nothing_when_a_worker_does(client, staff_user, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def must_not_run(*args, **kwargs):
        raise AssertionError("the request built the report")

    monkeypatch.setattr(jobs, "report_job_build", must_not_run)
    monkeypatch.setattr("portal.reports.kinds.ReportKind.render", must_not_run)
    client.force_login(staff_user)
    started = time.monotonic()
    job = job_of(queue(client, "recognitions", "pdf", province("Cao Bằng"), annex="on"))
    assert time.monotonic() - started < 1.0
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED
    assert job.task_id  # waiting in the database queue for `manage.py run_worker`
    assert not staff_user.notifications.exists()
    page = client.get(reverse("reports:staff.job", args=[job.pk]))
    html = page.content.decode()
    assert f'hx-get="/staff/reports/files/{job.pk}/"' in html
    assert f'href="/staff/reports/files/{job.pk}/"' in html  # the refresh link without JavaScript
    assert "Tệp báo cáo đang được tạo trong nền" in text_of(html)
    fragment = client.get(reverse("reports:staff.job", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="job-progress"')
    assert client.get(reverse("reports:staff.job.file", args=[job.pk])).status_code == 404


def test_a_failure_is_told_with_its_reason(client, staff_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Hết bộ nhớ")

    monkeypatch.setattr("portal.reports.kinds.ReportKind.render", broken)
    client.force_login(staff_user)
    job_of(queue(client, "extension", "pdf", province("Cao Bằng")))  # the task fails after the request
    job = ReportJob.objects.get()
    assert (job.status, job.error) == (ExportStatus.FAILED, "Hết bộ nhớ")
    (notice,) = staff_user.notifications.all()
    assert notice.text.startswith("Không tạo được báo cáo “Tình hình thực hiện công tác khuyến công")
    assert notice.text.endswith(": Hết bộ nhớ")
    page = text_of(client.get(notice.link).content.decode())
    assert "Không tạo được báo cáo: Hết bộ nhớ" in page


def test_a_job_whose_province_is_no_longer_the_officials_is_refused(client, staff_user):
    client.force_login(staff_user)
    job = job_of(queue(client, "extension", "xlsx", province("Cao Bằng")))
    staff_user.organization = factories.organization("Cà Mau")
    staff_user.save()
    assert client.get(reverse("reports:staff.job.file", args=[job.pk])).status_code == 404
    ReportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED)
    jobs.report_job_build(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "Bạn không còn quyền xem báo cáo của tỉnh/thành phố này."


def test_the_scheduler_resumes_a_stalled_job_and_purges_expired_ones(client, staff_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(staff_user)
    stalled = job_of(queue(client, "extension", "pdf", province("Cao Bằng")))
    expired = job_of(queue(client, "extension", "xlsx", province("Cao Bằng")))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    long_ago = timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1)
    ReportJob.objects.filter(pk=stalled.pk).update(status=ExportStatus.RUNNING, heartbeat_at=long_ago)
    ReportJob.objects.filter(pk=expired.pk).update(status=ExportStatus.DONE, expires_at=long_ago)
    page = client.get(reverse("reports:staff.job", args=[stalled.pk])).content.decode()
    assert "Tiến trình chạy nền không phản hồi" in text_of(page)

    scheduler.run_due(jobs=[job for job in scheduler.JOBS if job.name in ("resume_exports", "purge_exports")])

    stalled.refresh_from_db()
    assert stalled.status == ExportStatus.DONE
    assert stalled.file.storage.exists(stalled.file.name)
    assert not ReportJob.objects.filter(pk=expired.pk).exists()
    jobs.report_jobs_purge(timezone.now() + datetime.timedelta(hours=73))
    assert not ReportJob.objects.exists()
    assert not stalled.file.storage.exists(stalled.file.name)


def test_an_old_link_to_a_file_shows_the_report_page(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:staff.extension.pdf"), {"province": province("Cao Bằng").pk})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:staff.extension')}?province={province('Cao Bằng').pk}"
    assert not ReportJob.objects.exists()
