"""No PDF of a revoked or replaced certificate leaves the portal any more: not from the staff page, not from the
back office's download action, not from a bulk export whose certificate was revoked while it waited. Each such
file would be freshly signed in the issuing body's name and recorded as issued, so that the public file check
would call it "an unaltered certificate issued by the portal" on a date after the revocation."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateDocument, CertificateExport, Recognition
from awards.services.certificate_signing import CertificateWithdrawnError

from ..certificate_helpers import ISSUE_DATE, peoples_committee
from ..helpers import level


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


def test_removing_an_archive_recognition_with_a_revoked_certificate_does_not_ask_to_revoke_it(staff_user, product_a):
    """The certificate keeps its recognition on record even once revoked: "revoke it first" sent the officer in
    a circle."""
    recognition = services.recognition_record(
        actor=staff_user,
        product=product_a,
        level=level("province"),
        year=2023,
        decision_number="210/QĐ-UBND",
        decision_date=datetime.date(2023, 10, 10),
    )
    certificate = services.certificate_issue(
        recognition=recognition,
        actor=staff_user,
        issued_on=datetime.date(2023, 11, 1),
        issuing_body=peoples_committee(),
        signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
    )
    services.certificate_revoke(certificate=certificate, actor=staff_user, reason="Ghi nhầm")

    with pytest.raises(ValidationError) as refused:
        services.recognition_delete(actor=staff_user, recognition=recognition)

    message = " ".join(refused.value.messages)
    assert "hãy thu hồi" not in message
    assert message == (
        "Đã cấp giấy chứng nhận cho kết quả công nhận này nên kết quả công nhận được giữ lại, kể cả khi giấy chứng "
        "nhận đã bị thu hồi."
    )
    assert Recognition.objects.filter(pk=recognition.pk).exists()


def test_the_admin_export_action_leaves_out_a_revoked_certificate_with_a_warning(client, admin_staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=admin_staff_user, reason="Sai thông tin")
    client.force_login(admin_staff_user)

    response = client.post(
        reverse("admin:awards_certificate_changelist"),
        {"action": "export_certificates", "_selected_action": [issued.first.pk, issued.second.pk], "index": "0"},
    )

    export = CertificateExport.objects.get()
    assert response.status_code == 302
    assert list(export.certificates.all()) == [issued.second]
    assert export.total == 1
    assert messages_of(response) == ["1 giấy chứng nhận đã bị thu hồi hoặc thay thế nên không được đưa vào bản in."]


def test_issuing_a_decisions_missing_certificates_does_not_reissue_a_revoked_one(client, staff_user, issued):
    """A certificate revoked (say, for a violation) must not come back as a fresh certificate when the officer
    later issues the decision's missing ones; a new one is issued only from that recognition's own page."""
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Vi phạm chất lượng")
    client.force_login(staff_user)
    page_url = reverse("awards:staff.decision.certificates", args=[issued.decision.pk])

    page = client.get(page_url).content.decode()
    response = client.post(
        page_url,
        {
            "issued_on": "05/02/2027",
            "issuing_body": peoples_committee().pk,
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Hoàng Xuân Ánh",
        },
    )

    assert "chưa có giấy chứng nhận" not in page
    assert Certificate.objects.filter(recognition=issued.first.recognition).count() == 1
    assert response.status_code == 302
    assert messages_of(response) == ["Mọi sản phẩm được công nhận theo quyết định này đều đã có giấy chứng nhận."]
    recognition_page = reverse("awards:staff.recognition.certificate", args=[issued.first.recognition_id])
    assert recognition_page in page  # the deliberate way to issue it again
