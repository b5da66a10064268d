"""No PDF of a revoked or replaced certificate leaves the portal any more: not from the staff page, not from the
back office's download action, not from a bulk export whose certificate was revoked while it waited. Each such
file would be freshly signed in the issuing body's name and recorded as issued, so that the public file check
would call it "an unaltered certificate issued by the portal" on a date after the revocation."""

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateDocument, CertificateExport
from awards.services.certificate_signing import CertificateWithdrawnError

from ..certificate_helpers import ISSUE_DATE


@pytest.fixture
def issued(published_decision, staff_user):
    decision = published_decision()
    first, second = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return SimpleNamespace(decision=decision, first=first, second=second)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_cannot_download_a_revoked_certificates_pdf(client, staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Cơ sở ngừng sản xuất")
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.certificate.pdf", args=[issued.first.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("awards:staff.certificate.detail", args=[issued.first.pk])
    assert messages_of(response) == [
        "Giấy chứng nhận số 1/GCN-UBND đã bị thu hồi: Cổng không cấp tệp PDF của giấy chứng nhận này nữa."
    ]
    assert not CertificateDocument.objects.filter(certificate=issued.first).exists()


def test_staff_cannot_download_a_replaced_certificates_pdf_and_is_sent_to_the_new_one(client, staff_user, issued):
    new = services.certificate_reissue(certificate=issued.second, actor=staff_user, issued_on=ISSUE_DATE, reason="Mất")
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.certificate.pdf", args=[issued.second.pk]))

    assert response.status_code == 302
    assert messages_of(response) == [
        f"Giấy chứng nhận số 2/GCN-UBND đã được thay bằng giấy chứng nhận số {new.number}: hãy tải giấy chứng nhận mới."
    ]
    assert not CertificateDocument.objects.filter(certificate=issued.second).exists()
    assert client.get(reverse("awards:staff.certificate.pdf", args=[new.pk]))["Content-Type"] == "application/pdf"


def test_the_detail_page_of_a_revoked_certificate_offers_no_pdf(client, staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Cơ sở ngừng sản xuất")
    client.force_login(staff_user)

    page = client.get(reverse("awards:staff.certificate.detail", args=[issued.first.pk])).content.decode()
    live = client.get(reverse("awards:staff.certificate.detail", args=[issued.second.pk])).content.decode()

    assert reverse("awards:staff.certificate.pdf", args=[issued.first.pk]) not in page
    assert reverse("awards:staff.certificate.pdf", args=[issued.second.pk]) in live


def test_the_admin_download_action_refuses_a_revoked_certificate(client, admin_staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=admin_staff_user, reason="Sai thông tin")
    client.force_login(admin_staff_user)

    response = client.post(
        reverse("admin:awards_certificate_changelist"),
        {"action": "download_certificate_pdf", "_selected_action": [issued.first.pk], "index": "0"},
    )

    assert response.status_code == 302
    assert "Giấy chứng nhận số 1/GCN-UBND đã bị thu hồi" in " ".join(messages_of(response))
    assert not CertificateDocument.objects.filter(certificate=issued.first).exists()


def test_an_export_whose_certificate_was_revoked_while_it_waited_stops_and_says_why(issued, staff_user):
    export = services.certificate_export_create(
        actor=staff_user,
        certificates=Certificate.objects.filter(pk__in=[issued.first.pk, issued.second.pk]),
        title="Hai giấy chứng nhận",
    )  # the on-commit enqueue does not run here: the job waits for a worker
    services.certificate_revoke(certificate=issued.second, actor=staff_user, reason="Cơ sở ngừng sản xuất")

    with pytest.raises(CertificateWithdrawnError):  # the task fails; its reason is recorded on the export
        services.certificate_export_build(export.pk)

    export = CertificateExport.objects.get(pk=export.pk)
    assert export.status == ExportStatus.FAILED
    assert "Giấy chứng nhận số 2/GCN-UBND đã bị thu hồi" in export.error
    assert not CertificateDocument.objects.filter(certificate=issued.second).exists()
    assert not export.merged


def test_a_reissue_dated_before_the_certificate_it_replaces_is_refused_and_changes_nothing(client, staff_user, issued):
    """ISSUE_DATE is 05/01/2027: a new certificate dated 04/01/2027 would "replace" one issued after it."""
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.certificate.detail", args=[issued.second.pk]),
        {"action": "reissue", "reissue-issued_on": "04/01/2027", "reissue-reason": "Bản gốc bị hỏng"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Giấy chứng nhận mới không thể cấp trước ngày cấp giấy chứng nhận được thay thế (05/01/2027)." in page
    assert "Bản gốc bị hỏng" in page
    issued.second.refresh_from_db()
    assert issued.second.status == "valid"
    assert Certificate.objects.count() == 2
