"""Bulk certificate exports: the job end to end (immediate backend), resuming after a worker died, purging expired
files, and once with a real `manage.py db_worker` process on PostgreSQL."""

import datetime
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from portal.core.pdf import render_pdf

from .certificate_helpers import ISSUE_DATE

BASE_DIR = Path(django_settings.BASE_DIR)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def shows(text: str, certificate) -> bool:
    """The certificate's page: its product (printed in capitals), producer, number and verification code."""
    text = " ".join(text.split())
    return all(
        part in text
        for part in (
            certificate.product_name.upper(),
            certificate.producer_name,
            f"Số: {certificate.number}",
            certificate.code,
        )
    )


def issued(published_decision, staff_user, products=None):
    decision = published_decision(products=products) if products else published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return decision, certificates


def create(staff_user, decision, title="Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận"):
    return services.certificate_export_create(
        actor=staff_user, certificates=Certificate.objects.filter(recognition__decision=decision), title=title
    )


def parts_dir(export) -> Path:
    return Path(django_settings.MEDIA_ROOT) / "exports" / str(export.pk) / "parts"


def assert_files_match(export, certificates):
    """The merged PDF has one page per certificate in number order; the ZIP one PDF per certificate."""
    pages = page_texts(read(export.merged))
    assert len(pages) == len(certificates)
    for page, certificate in zip(pages, certificates, strict=True):
        assert shows(page, certificate), page
    with zipfile.ZipFile(io.BytesIO(read(export.archive))) as archive:
        names = archive.namelist()
        assert names == [f"{c.file_stem}.pdf" for c in certificates]
        for name, certificate in zip(names, certificates, strict=True):
            data = archive.read(name)
            assert data.startswith(b"%PDF-")
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
            assert shows(pdf_text(data), certificate)


def test_a_decision_export_builds_the_merged_pdf_and_the_zip(
    published_decision, staff_user, django_capture_on_commit_callbacks
):
    decision, certificates = issued(published_decision, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        export = create(staff_user, decision)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert (export.done, export.total, export.percent) == (2, 2, 100)
    assert export.error == ""
    assert export.finished_at is not None
    keep = datetime.timedelta(hours=django_settings.CERTIFICATE_EXPORT_KEEP_HOURS)
    assert abs(export.expires_at - (export.finished_at + keep)) < datetime.timedelta(seconds=1)
    assert export.merged.name == f"exports/{export.pk}/giay-chung-nhan-{export.pk}.pdf"
    assert export.archive.name == f"exports/{export.pk}/giay-chung-nhan-{export.pk}.zip"
    # Named "<number with - for />_<product, folded>.pdf", in number order.
    assert [f"{c.file_stem}.pdf" for c in certificates] == [
        "1-GCN-UBND_Chieu-Truc-Nguyen-Binh.pdf",
        "2-GCN-UBND_Lap-Suon-Hun-Khoi-Tam-Hoa.pdf",
    ]
    assert_files_match(export, certificates)
    assert "CHIẾU TRÚC NGUYÊN BÌNH" in page_texts(read(export.merged))[0]
    # The working files are gone once the job is done.
    assert not parts_dir(export).exists()
    assert sorted(p.name for p in parts_dir(export).parent.iterdir()) == [
        f"giay-chung-nhan-{export.pk}.pdf",
        f"giay-chung-nhan-{export.pk}.zip",
    ]


def test_an_empty_selection_is_refused(staff_user):
    with pytest.raises(ValidationError) as exc:
        services.certificate_export_create(actor=staff_user, certificates=Certificate.objects.none(), title="x")
    assert "Chọn ít nhất một giấy chứng nhận" in " ".join(exc.value.messages)
    assert not CertificateExport.objects.exists()


def test_a_job_whose_worker_died_is_resumed_and_reuses_the_pdfs_already_made(published_decision, staff_user):
    decision, certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)  # the on-commit enqueue never runs: the worker "died" before it started
    # The dead worker had rendered the first certificate and stopped sending heartbeats ten minutes ago.
    stale = timezone.now() - datetime.timedelta(minutes=10)
    CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, done=1, heartbeat_at=stale)
    parts_dir(export).mkdir(parents=True)
    marker = render_pdf("<html><body><p>BẢN ĐÃ LÀM TRƯỚC KHI DỪNG</p></body></html>")
    (parts_dir(export) / f"{certificates[0].file_stem}.pdf").write_bytes(marker)
    # A job still sending heartbeats is left alone.
    busy = create(staff_user, decision, title="Đang chạy")
    CertificateExport.objects.filter(pk=busy.pk).update(status=ExportStatus.RUNNING, heartbeat_at=timezone.now())

    assert services.certificate_exports_resume() == 1

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.done == 2
    pages = page_texts(read(export.merged))
    assert len(pages) == 2
    # The part on disk was reused, not rendered again; the missing one was rendered.
    assert "BẢN ĐÃ LÀM TRƯỚC KHI DỪNG" in pages[0]
    assert not shows(pages[0], certificates[0])
    assert shows(pages[1], certificates[1])
    with zipfile.ZipFile(io.BytesIO(read(export.archive))) as archive:
        assert archive.read(f"{certificates[0].file_stem}.pdf") == marker
    busy.refresh_from_db()
    assert busy.status == ExportStatus.RUNNING


def test_resume_exports_command_requeues_stale_jobs(published_decision, staff_user):
    decision, _certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)
    CertificateExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    out = io.StringIO()
    call_command("resume_exports", stdout=out)
    assert out.getvalue().strip() == "1 export(s) queued again."
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE


def test_a_failed_job_can_be_retried_and_finishes(
    published_decision, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    decision, certificates = issued(published_decision, staff_user)
    import awards.printouts.certificates as documents

    real = documents.certificate_pdf
    calls = []

    def flaky(certificate):
        calls.append(certificate.pk)
        if len(calls) == 2:
            raise RuntimeError("Hết bộ nhớ khi dựng trang")
        return real(certificate)

    monkeypatch.setattr(documents, "certificate_pdf", flaky)
    export = create(staff_user, decision)
    with pytest.raises(RuntimeError):
        services.certificate_export_build(export.pk)
    export.refresh_from_db()
    assert (export.status, export.done, export.error) == (ExportStatus.FAILED, 1, "Hết bộ nhớ khi dựng trang")

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_export_retry(export=export, actor=staff_user)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    # The first certificate was rendered once only: its PDF was kept from the failed run.
    assert calls == [certificates[0].pk, certificates[1].pk, certificates[1].pk]
    assert_files_match(export, certificates)


def test_purge_deletes_expired_exports_and_their_files(
    published_decision, staff_user, django_capture_on_commit_callbacks
):
    decision, _certificates = issued(published_decision, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        old = create(staff_user, decision, title="Cũ")
        fresh = create(staff_user, decision, title="Mới")
    old.refresh_from_db()
    old_dir = Path(old.merged.path).parent
    assert old_dir.is_dir()
    CertificateExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    out = io.StringIO()
    call_command("purge_exports", stdout=out)
    assert out.getvalue().strip() == "1 expired export(s) deleted."
    assert not old_dir.exists()
    assert list(CertificateExport.objects.values_list("title", flat=True)) == ["Mới"]
    fresh.refresh_from_db()
    assert Path(fresh.merged.path).is_file()
    assert Path(fresh.archive.path).is_file()


# -- once with a real worker process (PostgreSQL: the worker's connection must see the committed job) ----------
@pytest.mark.transactional
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a shared server database")
def test_a_real_db_worker_process_builds_the_export(published_decision, staff_user, settings):
    decision, certificates = issued(published_decision, staff_user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    export = create(staff_user, decision)  # commits: the task row is written for the worker
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLIC_BASE_URL": django_settings.PUBLIC_BASE_URL,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, (export.error, result.stdout, result.stderr)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert_files_match(export, certificates)
