"""The bulk certificate export pages: who may start, follow and download an export (permission matrix), the
selection an official posts, the progress page and its htmx fragment, retrying a failed job, expired files."""

import datetime
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from awards.urls import urlpatterns
from portal.accounts.enums import Role
from tests import factories
from tests.awards.certificate_helpers import ISSUE_DATE

LOGIN = "login"
ROLES = ("anonymous", "producer", "member", "other_staff", "colleague", "creator", "superuser")
PDF = b"%PDF-1.4\n% giay chung nhan\n"


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


# An export belongs to the official who asked for it (and superusers): a colleague of the same department, or
# staff of another province, get 404 as if it did not exist.
OWN_EXPORT = outcomes(LOGIN, 403, 403, 404, 404, 200, 200)
ANY_STAFF = outcomes(LOGIN, 403, 403, 200, 200, 200, 200)


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def records(published_decision, staff_user, other_staff_user, superuser, member_user, producer_user):
    """A Cao Bằng decision with 2 certificates; a finished export (files on disk, not rendered) and a failed one,
    both asked for by `staff_user` (the creator)."""
    decision = published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    done = services.certificate_export_create(
        actor=staff_user,
        certificates=Certificate.objects.filter(decision_number="1450/QĐ-UBND"),
        title="Bản in đợt một",
    )
    done.merged.save("giay-chung-nhan.pdf", ContentFile(PDF), save=False)
    done.archive.save("giay-chung-nhan.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    done.status, done.done = ExportStatus.DONE, 2
    done.finished_at = timezone.now()
    done.expires_at = timezone.now() + datetime.timedelta(hours=72)
    done.save()
    failed = services.certificate_export_create(
        actor=staff_user, certificates=Certificate.objects.filter(pk=certificates[0].pk), title="Lỗi"
    )
    CertificateExport.objects.filter(pk=failed.pk).update(status=ExportStatus.FAILED, error="Hết bộ nhớ")
    colleague = factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True, full_name="Cán bộ khác"
    )
    users = {
        "anonymous": None,
        "producer": producer_user,
        "member": member_user,
        "other_staff": other_staff_user,
        "colleague": colleague,
        "creator": staff_user,
        "superuser": superuser,
    }
    return SimpleNamespace(
        decision=decision, certificates=certificates, done=done, failed=failed, users=users, staff=staff_user
    )


def sign_in(client, records, role):
    if records.users[role] is not None:
        client.force_login(records.users[role])


# name → (method, url, data, expected by role)
URLS = {
    "staff.certificate.export.list": lambda r: ("get", url("staff.certificate.export.list"), None, ANY_STAFF),
    "staff.certificate.export.detail": lambda r: (
        "get",
        url("staff.certificate.export.detail", r.done.pk),
        None,
        OWN_EXPORT,
    ),
    "staff.certificate.export.file": lambda r: (
        "get",
        url("staff.certificate.export.file", r.done.pk, "zip"),
        None,
        OWN_EXPORT,
    ),
    "staff.certificate.export.create": lambda r: (
        "post",
        url("staff.certificate.export.create"),
        {"decision": r.decision.pk},
        # Staff of another province may post, but its selection is empty: back with a message, nothing made.
        outcomes(LOGIN, 403, 403, 302, 302, 302, 302),
    ),
}
# Also by role: the merged PDF and trying a failed job again (the detail page's POST).
EXTRA = {
    "merged file": lambda r: ("get", url("staff.certificate.export.file", r.done.pk, "merged"), None, OWN_EXPORT),
    "retry": lambda r: (
        "post",
        url("staff.certificate.export.detail", r.failed.pk),
        {},
        outcomes(LOGIN, 403, 403, 404, 404, 302, 302),
    ),
}


def state():
    return sorted(CertificateExport.objects.values_list("pk", "status", "title"))


def test_matrix_covers_every_export_url():
    names = {p.name for p in urlpatterns if p.callback.view_class.__module__ == "awards.views.certificate_exports"}
    assert names == set(URLS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [*URLS, *EXTRA])
def test_export_urls_answer_by_role(client, records, name, role, django_capture_on_commit_callbacks):
    sign_in(client, records, role)
    method, target, data, expected = {**URLS, **EXTRA}[name](records)
    before = state()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(target, data) if method == "post" else client.get(target)
    allowed = expected[role]
    if allowed == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == allowed
    wrote = state() != before
    if name == "staff.certificate.export.create":
        assert wrote == (role in ("colleague", "creator", "superuser"))
    elif name == "retry":
        assert wrote == (role in ("creator", "superuser"))
    else:
        assert not wrote


def test_outsiders_never_see_an_export_on_their_list(client, records):
    client.force_login(records.users["colleague"])
    response = client.get(url("staff.certificate.export.list"))
    assert "Bản in đợt một" not in response.content.decode()
    assert "Bạn chưa xuất giấy chứng nhận nào." in response.content.decode()
    client.force_login(records.staff)
    page = client.get(url("staff.certificate.export.list")).content.decode()
    assert "Bản in đợt một" in page
    assert "Lỗi" in page
    assert url("staff.certificate.export.file", records.done.pk, "zip") in page


def test_the_list_page_query_count_does_not_grow_with_exports(client, records, django_assert_max_num_queries):
    client.force_login(records.staff)
    target = url("staff.certificate.export.list")
    client.get(target)
    with django_assert_max_num_queries(8) as few:
        client.get(target)
    for i in range(6):
        services.certificate_export_create(
            actor=records.staff,
            certificates=Certificate.objects.filter(pk=records.certificates[0].pk),
            title=f"Thêm {i}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target)
    assert "Thêm 5" in response.content.decode()


# -- starting an export --------------------------------------------------------------------------------------
def test_a_decisions_certificates_are_exported_and_ready_for_download(
    client, records, django_capture_on_commit_callbacks
):
    client.force_login(records.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("staff.certificate.export.create"), {"decision": records.decision.pk})
    export = CertificateExport.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == url("staff.certificate.export.detail", export.pk)
    assert export.title == "Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận"
    assert (export.status, export.done, export.total) == (ExportStatus.DONE, 2, 2)

    page = client.get(response.url).content.decode()
    assert "Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận" in page
    assert '<progress value="2" max="2">' in page
    assert "2 / 2" in page
    assert "Tải tệp PDF gộp (để in)" in page
    assert "hx-trigger" not in page  # finished: no more polling

    zipped = client.get(url("staff.certificate.export.file", export.pk, "zip"))
    assert zipped.status_code == 200
    assert zipped["Content-Disposition"] == f'attachment; filename="giay-chung-nhan-{export.pk}.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))) as archive:
        assert archive.namelist() == [f"{c.file_stem}.pdf" for c in records.certificates]
    merged = client.get(url("staff.certificate.export.file", export.pk, "merged"))
    assert merged["Content-Disposition"] == f'attachment; filename="giay-chung-nhan-{export.pk}.pdf"'
    assert merged["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(merged.streaming_content))).pages) == 2
    assert client.get(url("staff.certificate.export.file", export.pk, "docx")).status_code == 404


def test_ticked_certificates_are_narrowed_to_what_the_official_may_see(client, records, other_staff_user):
    # Staff of Cà Mau ticks Cao Bằng certificates: nothing is exported.
    client.force_login(other_staff_user)
    ids = [c.pk for c in records.certificates]
    response = client.post(url("staff.certificate.export.create"), {"certificate": ids}, follow=True)
    assert "Chọn ít nhất một giấy chứng nhận để xuất." in response.content.decode()
    before = CertificateExport.objects.count()
    # The Cao Bằng officer ticks one: an export of that one, titled by its decision.
    client.force_login(records.staff)
    response = client.post(url("staff.certificate.export.create"), {"certificate": [ids[1], "x"]})
    export = CertificateExport.objects.latest("pk")
    assert CertificateExport.objects.count() == before + 1
    assert list(export.certificates.values_list("pk", flat=True)) == [ids[1]]
    assert export.title == "Quyết định 1450/QĐ-UBND – 1 giấy chứng nhận"
    assert (export.status, export.total) == (ExportStatus.QUEUED, 1)


def test_an_empty_selection_goes_back_with_a_message(client, records):
    client.force_login(records.staff)
    back = url("staff.recognition.list") + "?year=2026"
    response = client.post(url("staff.certificate.export.create"), {"next": back})
    assert response.status_code == 302
    assert response.url == back
    response = client.post(url("staff.certificate.export.create"), {"decision": 999999, "next": back}, follow=True)
    assert "Chọn ít nhất một giấy chứng nhận để xuất." in response.content.decode()
    # Somewhere else than this site is not followed.
    response = client.post(url("staff.certificate.export.create"), {"decision": 999999, "next": "https://example.com/"})
    assert not response.url.startswith("https://example.com")


def test_revoked_certificates_are_left_out_of_a_decision_export_unless_asked_for(client, records):
    services.certificate_revoke(certificate=records.certificates[0], actor=records.staff, reason="Vi phạm")
    client.force_login(records.staff)
    client.post(url("staff.certificate.export.create"), {"decision": records.decision.pk})
    export = CertificateExport.objects.latest("pk")
    assert list(export.certificates.values_list("pk", flat=True)) == [records.certificates[1].pk]
    client.post(url("staff.certificate.export.create"), {"decision": records.decision.pk, "status": "revoked"})
    export = CertificateExport.objects.latest("pk")
    assert list(export.certificates.values_list("pk", flat=True)) == [records.certificates[0].pk]


def test_a_rounds_certificates_are_titled_by_the_round(client, records):
    client.force_login(records.staff)
    # Two decisions' worth would title by the round; with one decision the decision's number wins.
    client.post(url("staff.certificate.export.create"), {"round": records.decision.round_id})
    assert CertificateExport.objects.latest("pk").title == "Quyết định 1450/QĐ-UBND – 2 giấy chứng nhận"
    Certificate.objects.filter(pk=records.certificates[0].pk).update(decision_number="")
    client.post(url("staff.certificate.export.create"), {"round": records.decision.round_id})
    assert CertificateExport.objects.latest("pk").title == f"{records.decision.round.title} – 2 giấy chứng nhận"


# -- following it --------------------------------------------------------------------------------------------
def test_the_progress_fragment_polls_while_the_job_runs(client, records):
    export = records.done
    CertificateExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, done=1, heartbeat_at=timezone.now()
    )
    client.force_login(records.staff)
    target = url("staff.certificate.export.detail", export.pk)
    full = client.get(target).content.decode()
    assert "<html" in full
    assert "Bản in đợt một" in full
    fragment = client.get(target, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert "<nav" not in html
    assert html.strip().startswith('<div id="export-progress"')
    assert f'hx-get="{target}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert '<progress value="1" max="2">' in html
    assert "1 / 2" in html
    assert "Đang thực hiện" in html
    assert f'href="{target}"' in html  # the no-JavaScript refresh link
    # Once done, the fragment carries the download links and no trigger: polling stops.
    CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.DONE, done=2)
    html = client.get(target, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html
    assert url("staff.certificate.export.file", export.pk, "merged") in html
    assert url("staff.certificate.export.file", export.pk, "zip") in html


def test_the_progress_page_says_the_worker_is_not_answering_once_its_heartbeat_is_stale(client, records):
    export = records.failed
    stale = timezone.now() - datetime.timedelta(seconds=20)
    CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, heartbeat_at=stale)
    client.force_login(records.staff)
    target = url("staff.certificate.export.detail", export.pk)
    html = client.get(target, headers={"HX-Request": "true"}).content.decode()
    since = timezone.localtime(stale).strftime("%H:%M:%S %d/%m/%Y")
    assert f"Máy xử lý nền không phản hồi: không có tín hiệu từ {since}." in html
    assert "Lượt xuất sẽ tự tiếp tục từ các giấy chứng nhận đã làm xong" in html
    assert "Không phản hồi" in html
    assert "Đang thực hiện" not in html
    assert 'hx-trigger="every 2s"' in html  # it keeps following the job, which moves again by itself
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING  # opening the page queues nothing: the worker's scheduler does
    listing = client.get(url("staff.certificate.export.list")).content.decode()
    assert "Không phản hồi" in listing
    # A heartbeat again: the job is running.
    CertificateExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now())
    html = client.get(target, headers={"HX-Request": "true"}).content.decode()
    assert "Đang thực hiện" in html
    assert "không phản hồi" not in html.lower()


def test_a_job_nobody_takes_says_the_worker_is_not_answering_but_not_while_a_worker_is_busy(client, records):
    queued = records.failed
    since = timezone.now() - datetime.timedelta(seconds=30)
    CertificateExport.objects.filter(pk=queued.pk).update(status=ExportStatus.QUEUED, heartbeat_at=since)
    client.force_login(records.staff)
    target = url("staff.certificate.export.detail", queued.pk)
    html = client.get(target).content.decode()
    at = timezone.localtime(since).strftime("%H:%M:%S %d/%m/%Y")
    assert f"Máy xử lý nền không phản hồi: lượt xuất đang chờ từ {at} mà chưa máy nào nhận." in html
    # A worker is busy with another export: this one waits its turn.
    CertificateExport.objects.filter(pk=records.done.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    html = client.get(target).content.decode()
    assert "không phản hồi" not in html.lower()
    assert "Đang chờ máy xử lý nền bắt đầu xuất…" in html
    # Just queued: no warning either.
    CertificateExport.objects.filter(pk=records.done.pk).update(status=ExportStatus.DONE)
    CertificateExport.objects.filter(pk=queued.pk).update(heartbeat_at=timezone.now())
    assert "không phản hồi" not in client.get(target).content.decode().lower()


def test_a_failed_export_shows_its_error_and_can_be_tried_again(client, records, django_capture_on_commit_callbacks):
    client.force_login(records.staff)
    target = url("staff.certificate.export.detail", records.failed.pk)
    page = client.get(target).content.decode()
    assert "Xuất không thành công: Hết bộ nhớ" in page
    assert "Thử lại" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, follow=True)
    assert "Lượt xuất đã được đưa vào hàng chờ để chạy lại." in response.content.decode()
    records.failed.refresh_from_db()
    assert records.failed.status == ExportStatus.DONE
    # A finished job is not tried again.
    response = client.post(url("staff.certificate.export.detail", records.done.pk), follow=True)
    assert "Chỉ có thể chạy lại lượt xuất bị lỗi." in response.content.decode()


def test_expired_files_answer_410_with_a_message(client, records):
    CertificateExport.objects.filter(pk=records.done.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(records.staff)
    response = client.get(url("staff.certificate.export.file", records.done.pk, "merged"))
    assert response.status_code == 410
    assert "Lượt xuất không còn khả dụng" in response.content.decode()
    page = client.get(url("staff.certificate.export.detail", records.done.pk)).content.decode()
    assert "Đã hết hạn lưu tệp" in page
    assert url("staff.certificate.export.file", records.done.pk, "merged") not in page
    # Not finished yet: nothing to download.
    assert client.get(url("staff.certificate.export.file", records.failed.pk, "zip")).status_code == 404


def test_ticked_revoked_certificates_are_left_out_with_a_warning(client, records):
    first, second = records.certificates
    services.certificate_revoke(certificate=first, actor=records.staff, reason="Sai tên sản phẩm")
    client.force_login(records.staff)
    before = CertificateExport.objects.count()

    response = client.post(url("staff.certificate.export.create"), {"certificate": [first.pk, second.pk]}, follow=True)

    export = CertificateExport.objects.latest("pk")
    assert CertificateExport.objects.count() == before + 1
    assert list(export.certificates.values_list("pk", flat=True)) == [second.pk]
    assert "1 giấy chứng nhận đã bị thu hồi hoặc thay thế nên không được đưa vào bản in." in response.content.decode()
    # Only revoked ones ticked: nothing to export.
    response = client.post(url("staff.certificate.export.create"), {"certificate": [first.pk]}, follow=True)
    assert CertificateExport.objects.count() == before + 1
    assert "Chọn ít nhất một giấy chứng nhận để xuất." in response.content.decode()
