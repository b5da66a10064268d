"""Bulk certificate exports: the job end to end (immediate backend), one page and one file per certificate whatever
their numbers, refusing to finish when the files do not match the selection, resuming after a worker died,
purging expired files. With real worker processes: test_export_worker_process.py."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from awards.services.certificate_exports import part_path
from portal.core.pdf import render_pdf

from .certificate_helpers import ISSUE_DATE


@pytest.fixture(autouse=True)
def _dated_years_ahead(settings):
    # Some certificates here are dated in 2028, to show that printing later keeps the decision's validity.
    settings.CERTIFICATE_MAX_DAYS_AHEAD = 3650


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
            certificate.grouped_code,
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


def put_part(export, certificate, data: bytes) -> None:
    """A part as an earlier run left it in the storage."""
    name = part_path(export, certificate)
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(data)) == name


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
    # Named "<year>_<number with - for />_<id>_<product, folded>.pdf", in number order.
    first, second = certificates
    assert [f"{c.file_stem}.pdf" for c in certificates] == [
        f"2027_1-GCN-UBND_{first.pk}_Chieu-Truc-Nguyen-Binh.pdf",
        f"2027_2-GCN-UBND_{second.pk}_Lap-Suon-Hun-Khoi-Tam-Hoa.pdf",
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
    marker = render_pdf("<html><body><p>BẢN ĐÃ LÀM TRƯỚC KHI DỪNG</p></body></html>")
    put_part(export, certificates[0], marker)
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
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(seconds=20)
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


# -- one page and one file per certificate, whatever its number -------------------------------------------------
def test_the_same_number_in_two_years_exports_as_two_pages_and_two_files(
    published_decision, staff_user, django_capture_on_commit_callbacks
):
    """Numbers restart every year: the product holds "1/GCN-UBND" of 2027 and, for its 2023 recognition printed
    from the archive, "1/GCN-UBND" of 2028 (both certificates current: a replaced one is never exported)."""
    _decision, (first, _other) = issued(published_decision, staff_user)
    archive = services.recognition_record(
        actor=staff_user,
        product=first.recognition.product,
        level=first.recognition.level,
        year=2023,
        decision_number="210/QĐ-UBND",
        decision_date=datetime.date(2023, 10, 10),
    )
    again = services.certificate_issue(
        recognition=archive,
        actor=staff_user,
        issued_on=datetime.date(2028, 1, 10),
        issuing_body=first.issuing_body,
        signer_title=first.signer_title,
        signer_name=first.signer_name,
    )
    assert (first.number, first.year, again.number, again.year) == ("1/GCN-UBND", 2027, "1/GCN-UBND", 2028)
    assert first.product_name == again.product_name == "Chiếu trúc Nguyên Bình"
    with django_capture_on_commit_callbacks(execute=True):
        export = services.certificate_export_create(
            actor=staff_user, certificates=Certificate.objects.filter(pk__in=[again.pk, first.pk]), title="Hai năm"
        )
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (ExportStatus.DONE, 2, 2)
    pages = page_texts(read(export.merged))
    assert len(pages) == 2
    assert shows(pages[0], first)
    assert again.code not in pages[0]
    assert shows(pages[1], again)
    assert first.code not in pages[1]
    with zipfile.ZipFile(io.BytesIO(read(export.archive))) as archive:
        names = archive.namelist()
        assert names == [
            f"2027_1-GCN-UBND_{first.pk}_Chieu-Truc-Nguyen-Binh.pdf",
            f"2028_1-GCN-UBND_{again.pk}_Chieu-Truc-Nguyen-Binh.pdf",
        ]
        assert shows(pdf_text(archive.read(names[0])), first)
        assert shows(pdf_text(archive.read(names[1])), again)
        assert again.code not in pdf_text(archive.read(names[0]))


def test_a_part_left_on_disk_is_reused_only_for_the_same_certificate_unchanged(published_decision, staff_user):
    decision, certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)
    put_part(export, certificates[0], render_pdf("<html><body><p>BẢN IN CŨ</p></body></html>"))
    # The certificate was corrected after that part was made: the part no longer prints it.
    Certificate.objects.filter(pk=certificates[0].pk).update(producer_address="Phường Thục Phán, tỉnh Cao Bằng")
    services.certificate_export_build(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    pages = page_texts(read(export.merged))
    assert "BẢN IN CŨ" not in pages[0]
    assert shows(pages[0], certificates[0])
    assert "Phường Thục Phán" in pages[0]


def test_an_export_that_would_not_print_one_page_per_certificate_fails_with_the_reason(published_decision, staff_user):
    decision, certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)
    two_pages = render_pdf('<html><body><p>Trang một</p><p style="break-before: page">Trang hai</p></body></html>')
    put_part(export, certificates[0], two_pages)
    with pytest.raises(services.certificate_exports.ExportRefusedError):
        services.certificate_export_build(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == (
        "Tệp PDF gộp có 3 trang trong khi đã chọn 2 giấy chứng nhận; lượt xuất đã dừng để không giấy nào bị in "
        "hai lần hay bị bỏ sót."
    )
    assert not export.merged
    assert not export.archive
    assert not any(path.is_file() for path in parts_dir(export).parent.iterdir())  # no merged PDF, no ZIP


def test_an_export_missing_a_selected_certificate_fails_with_the_reason(published_decision, staff_user):
    decision, certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)
    export.certificates.remove(certificates[1])
    with pytest.raises(services.certificate_exports.ExportRefusedError):
        services.certificate_export_build(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == (
        "Chỉ tìm thấy 1 trong 2 giấy chứng nhận đã chọn; lượt xuất đã dừng để không bỏ sót giấy nào."
    )
    assert not export.merged


# -- resuming ---------------------------------------------------------------------------------------------------
def test_a_run_whose_job_was_queued_again_stops_and_leaves_the_job_to_the_new_run(
    published_decision, staff_user, monkeypatch
):
    decision, _certificates = issued(published_decision, staff_user)
    export = create(staff_user, decision)
    import awards.printouts.certificates as documents

    real = documents.certificate_pdf

    def slow_then_taken_over(certificate):
        # Meanwhile the job was thought dead and queued again: another run owns it now.
        CertificateExport.objects.filter(pk=export.pk).update(run_id="another-run")
        return real(certificate)

    monkeypatch.setattr(documents, "certificate_pdf", slow_then_taken_over)
    services.certificate_export_build(export.pk)  # returns quietly
    export.refresh_from_db()
    assert (export.status, export.run_id, export.done, export.error) == (ExportStatus.RUNNING, "another-run", 0, "")
    assert not export.merged


def test_resuming_fails_the_dead_workers_task_and_leaves_jobs_waiting_in_the_queue_alone(
    published_decision, staff_user, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # tasks wait for a worker
    decision, _certificates = issued(published_decision, staff_user)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        dead = create(staff_user, decision, title="Máy chết giữa chừng")
        waiting = create(staff_user, decision, title="Chờ sau các lượt khác")
    lost = create(staff_user, decision, title="Mất lệnh xếp hàng")  # its enqueue never happened
    dead.refresh_from_db()
    waiting.refresh_from_db()
    old_task = DBTaskResult.objects.get(pk=dead.task_id)
    # A worker took `dead`, rendered a little, and was killed 20 seconds ago.
    DBTaskResult.objects.filter(pk=old_task.pk).update(status="RUNNING", started_at=long_ago)
    CertificateExport.objects.filter(pk=dead.pk).update(
        status=ExportStatus.RUNNING,
        done=1,
        run_id="killed",
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=20),
    )
    CertificateExport.objects.filter(pk__in=[waiting.pk, lost.pk]).update(heartbeat_at=long_ago)

    assert services.certificate_exports_resume() == 2

    old_task.refresh_from_db()
    assert old_task.status == "FAILED"
    assert old_task.exception_class_path == "awards.services.certificate_exports.WorkerLostError"
    assert "the export was queued again" in old_task.traceback
    for export in (dead, lost):
        export.refresh_from_db()
        assert (export.status, export.run_id) == (ExportStatus.QUEUED, "")
        task = DBTaskResult.objects.get(pk=export.task_id)
        assert (task.status, task.args_kwargs["args"]) == ("READY", [export.pk])
    assert DBTaskResult.objects.filter(status="READY").count() == 3  # waiting's own task, untouched
    assert CertificateExport.objects.filter(pk=waiting.pk, status=ExportStatus.QUEUED, task_id=waiting.task_id).exists()
    # Resumed jobs have a fresh start: a second look finds nothing to do.
    assert services.certificate_exports_resume() == 0
