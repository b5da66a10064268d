"""The certificate pages: the staff list with its filters, one certificate (revoke, re-issue, history, PDF),
issuing for a decision or for one archive recognition, the decision's attachment list (PDF and Excel), the
producer's own certificates, the back-office actions, and who may open what.

Who may open what: anonymous users go to sign in; producers and council members answer 403 on the staff pages;
staff of another province answer 404 (they do not see the decision or the certificate); the staff managing the
round open and write. On the producer's pages staff and members answer 403, another producer 404."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from awards import services
from awards.enums import CertificateStatus
from awards.models import Certificate, CertificateExport, Decision, Recognition
from awards.models.certificates import new_verification_code
from awards.urls import urlpatterns
from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from tests import factories

from ..certificate_helpers import ISSUE_DATE, peoples_committee, recognitions_of
from ..helpers import level

LOGIN = "login"
ROLES = ("anonymous", "producer", "owner", "member", "other_staff", "staff")


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


STAFF_LIST = outcomes(LOGIN, 403, 403, 403, 200, 200)
STAFF_PAGE = outcomes(LOGIN, 403, 403, 403, 404, 200)
STAFF_WRITE = outcomes(LOGIN, 403, 403, 403, 404, 302)
PRODUCER_LIST = outcomes(LOGIN, 200, 200, 403, 403, 403)
PRODUCER_FILE = outcomes(LOGIN, 404, 200, 403, 403, 403)


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def producer_account(producer):
    return factories.UserFactory(role=Role.PRODUCER, producer=producer, full_name="Chủ cơ sở")


@pytest.fixture
def issued(published_decision, staff_user):
    """A Cao Bằng decision recognising two products, both with certificates: 1/GCN-UBND for "Chiếu trúc Nguyên
    Bình", 2/GCN-UBND for "Lạp sườn hun khói Tâm Hòa"."""
    decision = published_decision()
    first, second = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return SimpleNamespace(decision=decision, first=first, second=second)


def archive_recognition(staff_user, product):
    return services.recognition_record(
        actor=staff_user,
        product=product,
        level=level("province"),
        year=2023,
        decision_number="210/QĐ-UBND",
        decision_date=datetime.date(2023, 10, 10),
    )


# -- the staff list ---------------------------------------------------------------------------------------------------
def test_list_shows_the_printed_facts_and_filters_by_decision(client, staff_user, issued, product_a):
    archive = archive_recognition(staff_user, product_a)
    services.certificate_issue(
        recognition=archive,
        actor=staff_user,
        issued_on=datetime.date(2023, 11, 1),
        issuing_body=peoples_committee(),
        signer_title="CHỦ TỊCH",
        signer_name="Hoàng Xuân Ánh",
    )
    client.force_login(staff_user)

    everything = client.get(url("staff.certificate.list"))
    by_decision = client.get(url("staff.certificate.list"), {"decision": issued.decision.pk})

    assert [c.number for c in everything.context["certificates"]] == ["2/GCN-UBND", "1/GCN-UBND", "1/GCN-UBND"]
    assert [c.product_name for c in by_decision.context["certificates"]] == [
        "Lạp sườn hun khói Tâm Hòa",
        "Chiếu trúc Nguyên Bình",
    ]
    page = by_decision.content.decode()
    for text in [
        "Hợp tác xã Tâm Hòa",
        "Cấp tỉnh · ",
        "1450/QĐ-UBND",
        "05/01/2027",
        "31/12/2029",
        '<span class="badge ok">Còn hiệu lực</span>',
    ]:
        assert text in page, text
    assert "Lạp sườn Tâm Hòa" not in page


def test_list_filters_by_status_and_finds_a_printed_number(client, staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Cơ sở ngừng sản xuất")
    client.force_login(staff_user)

    revoked = client.get(url("staff.certificate.list"), {"status": "revoked"})
    by_number = client.get(url("staff.certificate.list"), {"q": " 2/gcn-ubnd "})

    assert [c.number for c in revoked.context["certificates"]] == ["1/GCN-UBND"]
    assert '<span class="badge danger">Đã thu hồi</span>' in revoked.content.decode()
    assert [c.product_name for c in by_number.context["certificates"]] == ["Lạp sườn hun khói Tâm Hòa"]


def test_list_offers_the_selection_and_the_filtered_export(client, staff_user, issued):
    client.force_login(staff_user)

    page = client.get(url("staff.certificate.list"), {"decision": issued.decision.pk}).content.decode()

    export = url("staff.certificate.export.create")
    assert page.count(f'action="{export}"') == 2
    assert f'name="certificate" value="{issued.first.pk}"' in page
    assert f'<input type="hidden" name="decision" value="{issued.decision.pk}">' in page
    assert "Xuất các giấy chứng nhận đã chọn (PDF + ZIP)" in page


def test_list_shows_other_province_staff_nothing(client, other_staff_user, issued):
    client.force_login(other_staff_user)
    assert list(client.get(url("staff.certificate.list")).context["certificates"]) == []


def test_list_costs_the_same_queries_for_3_and_30_certificates(client, staff_user, issued, count_queries):
    def copies(n, start):
        Certificate.objects.bulk_create(
            Certificate(
                **{
                    f.attname: getattr(issued.first, f.attname)
                    for f in Certificate._meta.concrete_fields
                    if f.attname not in ("id", "serial", "number", "code", "status", "replaced_by_id")
                },
                serial=start + i,
                number=f"{start + i}/GCN-UBND",
                code=new_verification_code(),
                status=CertificateStatus.REPLACED,
            )
            for i in range(n)
        )

    copies(1, 100)
    client.force_login(staff_user)
    few, response = count_queries(client, url("staff.certificate.list"))
    assert len(response.context["certificates"]) == 3
    copies(27, 200)
    many, response = count_queries(client, url("staff.certificate.list"))
    assert len(response.context["certificates"]) == 25
    assert few == many


# -- one certificate --------------------------------------------------------------------------------------------------
def test_detail_shows_the_facts_the_verification_link_and_the_history(client, staff_user, issued, settings):
    settings.PUBLIC_BASE_URL = "https://spcnnt.caobang.gov.vn"
    client.force_login(staff_user)

    page = client.get(url("staff.certificate.detail", issued.second.pk)).content.decode()

    for text in [
        "2/GCN-UBND",
        "Lạp sườn hun khói Tâm Hòa",
        "Hợp tác xã Tâm Hòa",
        "Ủy ban nhân dân tỉnh Cao Bằng",
        "KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH",  # the title on its two lines
        "Nguyễn Trung Thảo",
        "31/12/2029",
        issued.second.grouped_code,
        f"https://spcnnt.caobang.gov.vn/verify/{issued.second.code}/",
        url("staff.certificate.pdf", issued.second.pk),
        "Thu hồi giấy chứng nhận",
    ]:
        assert text in page, text


def test_revoking_from_the_detail_page(client, staff_user, issued):
    client.force_login(staff_user)
    target = url("staff.certificate.detail", issued.first.pk)

    response = client.post(target, {"action": "revoke", "revoke-reason": "Cơ sở vi phạm an toàn thực phẩm"})

    assert response.status_code == 302
    assert response.url == target
    issued.first.refresh_from_db()
    assert issued.first.status == CertificateStatus.REVOKED
    assert issued.first.revoke_reason == "Cơ sở vi phạm an toàn thực phẩm"
    assert issued.first.revoked_by == staff_user
    assert messages_of(response) == ["Đã thu hồi giấy chứng nhận số 1/GCN-UBND."]
    page = client.get(target).content.decode()
    assert "Cơ sở vi phạm an toàn thực phẩm" in page
    assert "Cán bộ Sở Cao Bằng" in page  # the history says who revoked it
    assert "Thu hồi giấy chứng nhận" not in page  # nothing more to do on a revoked certificate


def test_revoking_without_a_reason_is_refused_with_400(client, staff_user, issued):
    client.force_login(staff_user)

    response = client.post(url("staff.certificate.detail", issued.first.pk), {"action": "revoke", "revoke-reason": " "})

    assert response.status_code == 400
    assert "Nhập lý do thu hồi giấy chứng nhận." in response.content.decode()
    issued.first.refresh_from_db()
    assert issued.first.status == CertificateStatus.VALID


def test_reissuing_from_the_detail_page(client, staff_user, issued):
    client.force_login(staff_user)

    response = client.post(
        url("staff.certificate.detail", issued.second.pk),
        {"action": "reissue", "reissue-issued_on": "20/01/2027", "reissue-reason": "Bản gốc bị hỏng"},
    )

    new = Certificate.objects.get(replaces=issued.second)
    assert response.status_code == 302
    assert response.url == url("staff.certificate.detail", new.pk)
    assert (new.number, new.issued_on, new.status) == ("3/GCN-UBND", datetime.date(2027, 1, 20), "valid")
    issued.second.refresh_from_db()
    assert (issued.second.status, issued.second.revoke_reason) == (CertificateStatus.REPLACED, "Bản gốc bị hỏng")
    assert messages_of(response) == ["Giấy chứng nhận số 2/GCN-UBND đã được thay bằng giấy chứng nhận số 3/GCN-UBND."]
    old_page = client.get(url("staff.certificate.detail", issued.second.pk)).content.decode()
    assert "3/GCN-UBND" in old_page
    assert "Bản gốc bị hỏng" in old_page


def test_reissuing_with_a_wrong_date_keeps_what_was_typed(client, staff_user, issued):
    client.force_login(staff_user)

    response = client.post(
        url("staff.certificate.detail", issued.second.pk),
        {"action": "reissue", "reissue-issued_on": "32/13/2027", "reissue-reason": "Cơ sở đổi tên"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập ngày theo định dạng ngày/tháng/năm" in page
    assert "Cơ sở đổi tên" in page
    assert Certificate.objects.count() == 2


def test_staff_pdf_is_the_certificate(client, staff_user, issued):
    client.force_login(staff_user)

    response = client.get(url("staff.certificate.pdf", issued.second.pk))

    assert response["Content-Type"] == "application/pdf"
    # Year, number and id: "2/GCN-UBND" comes back every year.
    filename = f"2027_2-GCN-UBND_{issued.second.pk}_Lap-Suon-Hun-Khoi-Tam-Hoa.pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "LẠP SƯỜN HUN KHÓI TÂM HÒA" in text
    assert "Số: 2/GCN-UBND" in text


# -- issuing ----------------------------------------------------------------------------------------------------------
def test_issuing_the_certificates_of_a_decision_through_its_page(client, staff_user, published_decision):
    decision = published_decision()
    client.force_login(staff_user)
    page = client.get(url("staff.decision.certificates", decision.pk))
    assert page.status_code == 200
    assert page.content.decode().count("chưa cấp") == 2
    form = page.context["form"]
    assert form["signer_name"].value() == "Nguyễn Trung Thảo"
    assert form["issuing_body"].value() == peoples_committee().pk

    response = client.post(
        url("staff.decision.certificates", decision.pk),
        {
            "issued_on": "05/01/2027",
            "issuing_body": peoples_committee().pk,
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Hoàng Xuân Ánh",
        },
    )

    assert response.status_code == 302
    certificates = Certificate.objects.filter(recognition__decision=decision).order_by("serial")
    assert [(c.number, c.product_name) for c in certificates] == [
        ("1/GCN-UBND", "Chiếu trúc Nguyên Bình"),
        ("2/GCN-UBND", "Lạp sườn hun khói Tâm Hòa"),
    ]
    assert {c.signer_name for c in certificates} == {"Hoàng Xuân Ánh"}
    assert messages_of(response) == ["Đã cấp 2 giấy chứng nhận: từ số 1/GCN-UBND đến số 2/GCN-UBND."]
    assert "chưa cấp" not in client.get(url("staff.decision.certificates", decision.pk)).content.decode()


def test_issuing_before_the_decision_date_is_refused_and_keeps_the_input(client, staff_user, published_decision):
    decision = published_decision()
    client.force_login(staff_user)

    response = client.post(
        url("staff.decision.certificates", decision.pk),
        {
            "issued_on": "01/12/2026",
            "issuing_body": peoples_committee().pk,
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Hoàng Xuân Ánh",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "15/12/2026" in page
    assert 'value="Hoàng Xuân Ánh"' in page
    assert not Certificate.objects.exists()


def test_round_results_link_to_the_decision_certificates(client, staff_user, published_decision):
    decision = published_decision()
    client.force_login(staff_user)

    page = client.get(url("staff.round.results", decision.round.pk)).content.decode()

    assert url("staff.decision.certificates", decision.pk) in page
    assert url("staff.decision.list_pdf", decision.pk) in page


def test_issuing_the_certificate_of_an_archive_recognition(client, staff_user, product_a):
    recognition = archive_recognition(staff_user, product_a)
    department = factories.organization("Cao Bằng")
    client.force_login(staff_user)
    page = client.get(url("staff.recognition.certificate", recognition.pk))
    assert {o.pk for o in page.context["form"].fields["issuing_body"].queryset} >= {department.pk}
    assert '<option value="" selected>Chọn cơ quan ban hành</option>' in page.content.decode()
    assert (
        url("staff.recognition.certificate", recognition.pk)
        in client.get(url("staff.recognition.list")).content.decode()
    )

    response = client.post(
        url("staff.recognition.certificate", recognition.pk),
        {
            "issued_on": "01/11/2023",
            "issuing_body": department.pk,
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Nông Văn Tuấn",
        },
    )

    certificate = Certificate.objects.get(recognition=recognition)
    assert response.status_code == 302
    assert response.url == url("staff.certificate.detail", certificate.pk)
    assert (certificate.issuing_body, certificate.number, certificate.year) == (department, "1/GCN-SCT", 2023)
    assert certificate.decision_number == "210/QĐ-UBND"
    assert messages_of(response) == ["Đã cấp giấy chứng nhận số 1/GCN-SCT."]


def test_an_archive_certificate_needs_the_signer(client, staff_user, product_a):
    recognition = archive_recognition(staff_user, product_a)
    client.force_login(staff_user)

    response = client.post(
        url("staff.recognition.certificate", recognition.pk),
        {"issued_on": "01/11/2023", "issuing_body": factories.organization("Cao Bằng").pk, "signer_title": "GIÁM ĐỐC"},
    )

    assert response.status_code == 400
    assert "Nhập họ tên người ký." in response.content.decode()
    assert not Certificate.objects.exists()


# -- the decision's attachment list ---------------------------------------------------------------------------------
def test_attachment_list_pdf(client, staff_user, issued):
    client.force_login(staff_user)
    year = issued.decision.round.year

    response = client.get(url("staff.decision.list_pdf", issued.decision.pk))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert box.height > box.width  # A4 portrait
    text = pdf_text(response.content)
    for expected in [
        "Phụ lục",
        f"DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH NĂM {year}",
        "(Kèm theo Quyết định số 1450/QĐ-UBND ngày 15/12/2026 của Ủy ban nhân dân tỉnh Cao Bằng)",
        "Chiếu trúc Nguyên Bình",
        "Lạp sườn hun khói Tâm Hòa",
        "Công ty TNHH Một thành viên 688",
        "1/GCN-UBND",
        "2/GCN-UBND",
        "Danh sách gồm 2 sản phẩm",
    ]:
        assert expected in text, expected
    assert "Miến dong Phja Đén" not in text  # scored but not recognised


def test_attachment_list_xlsx(client, staff_user, issued):
    client.force_login(staff_user)
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Sai tên sản phẩm")

    response = client.get(url("staff.decision.list_xlsx", issued.decision.pk))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Phụ lục"
    assert sheet["A2"].value.startswith("DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH NĂM")
    assert (
        sheet["A3"].value == "(Kèm theo Quyết định số 1450/QĐ-UBND ngày 15/12/2026 của Ủy ban nhân dân tỉnh Cao Bằng)"
    )
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert rows[0] == ["STT", "Tên sản phẩm", "Nhóm sản phẩm", "Tên chủ thể sản xuất", "Địa chỉ", "Số giấy chứng nhận"]
    assert sheet["A5"].font.bold
    assert rows[1][:2] == [1, "Chiếu trúc Nguyên Bình"]
    assert rows[1][3] == "Công ty TNHH Một thành viên 688"
    assert "Cao Bằng" in rows[1][4]
    assert rows[1][5] is None  # its certificate is revoked: no number in force
    assert (rows[2][1], rows[2][5]) == ("Lạp sườn hun khói Tâm Hòa", "2/GCN-UBND")


# -- the producer's certificates --------------------------------------------------------------------------------------
def test_producer_sees_and_downloads_only_its_own_certificates(client, issued, producer_b_user):
    owner = producer_account(issued.second.recognition.product.producer)
    client.force_login(owner)

    page = client.get(url("producer.certificate.list"))
    pdf = client.get(url("producer.certificate.pdf", issued.second.pk))
    other = client.get(url("producer.certificate.pdf", issued.first.pk))

    assert [c.number for c in page.context["certificates"]] == ["2/GCN-UBND"]
    assert url("producer.certificate.pdf", issued.second.pk) in page.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "LẠP SƯỜN HUN KHÓI TÂM HÒA" in pdf_text(pdf.content)
    assert other.status_code == 404
    client.force_login(producer_b_user)
    assert list(client.get(url("producer.certificate.list")).context["certificates"]) == []


def test_producer_cannot_download_a_revoked_certificate(client, staff_user, issued):
    services.certificate_revoke(certificate=issued.second, actor=staff_user, reason="Cơ sở ngừng sản xuất")
    client.force_login(producer_account(issued.second.recognition.product.producer))

    page = client.get(url("producer.certificate.list")).content.decode()

    assert '<span class="badge danger">Đã thu hồi</span>' in page
    assert "Cơ sở ngừng sản xuất" in page
    assert url("producer.certificate.pdf", issued.second.pk) not in page
    assert client.get(url("producer.certificate.pdf", issued.second.pk)).status_code == 404


def test_producer_navigation_and_recognised_nomination_link_to_the_certificates(client, issued):
    recognition = issued.second.recognition
    client.force_login(producer_account(recognition.product.producer))

    page = client.get(url("producer.nomination.detail", recognition.nomination_id)).content.decode()

    assert page.count(url("producer.certificate.list")) == 2  # the menu and the recognised dossier


# -- the back office --------------------------------------------------------------------------------------------------
CHANGELIST = "admin:awards_certificate_changelist"


def run_action(client, action, objects, changelist=CHANGELIST, **extra):
    return client.post(
        reverse(changelist), {"action": action, "_selected_action": [o.pk for o in objects], "index": "0", **extra}
    )


def test_admin_revoke_asks_the_reason_then_revokes(client, admin_staff_user, issued):
    client.force_login(admin_staff_user)

    asked = run_action(client, "revoke_certificates", [issued.first, issued.second])
    assert asked.status_code == 200
    assert "Lý do thu hồi" in asked.content.decode()
    refused = run_action(client, "revoke_certificates", [issued.first], apply="1", reason="")
    assert refused.status_code == 200
    done = run_action(client, "revoke_certificates", [issued.first, issued.second], apply="1", reason="Sai thông tin")

    assert done.status_code == 302
    assert set(Certificate.objects.values_list("status", "revoke_reason")) == {("revoked", "Sai thông tin")}
    assert "Đã thu hồi giấy chứng nhận số 1/GCN-UBND." in messages_of(done)


def test_admin_reissues_and_downloads_one_pdf(client, admin_staff_user, issued):
    client.force_login(admin_staff_user)

    done = run_action(
        client, "reissue_certificates", [issued.second], apply="1", issued_on="20/01/2027", reason="Mất bản gốc"
    )
    several = run_action(client, "download_certificate_pdf", [issued.first, issued.second])
    one = run_action(client, "download_certificate_pdf", [issued.first])

    assert done.status_code == 302
    assert Certificate.objects.get(replaces=issued.second).number == "3/GCN-UBND"
    assert several.status_code == 302
    assert one["Content-Type"] == "application/pdf"
    assert "CHIẾU TRÚC NGUYÊN BÌNH" in pdf_text(one.content)


def test_admin_exports_the_selection(client, admin_staff_user, issued):
    client.force_login(admin_staff_user)

    response = run_action(client, "export_certificates", [issued.first, issued.second])

    export = CertificateExport.objects.get()
    assert export.total == 2
    assert response.status_code == 302
    assert response.url == reverse("awards:staff.certificate.export.detail", args=[export.pk])


def test_admin_certificates_are_scoped_and_read_only(client, issued, other_staff_user):
    other_staff_user.groups.add(ensure_staff_group())
    client.force_login(other_staff_user)
    assert list(client.get(reverse(CHANGELIST)).context["cl"].result_list) == []
    staff = factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True)
    staff.groups.add(ensure_staff_group())
    client.force_login(staff)
    assert len(client.get(reverse(CHANGELIST)).context["cl"].result_list) == 2
    change = client.get(reverse("admin:awards_certificate_change", args=[issued.first.pk]))
    assert change.status_code == 200
    assert 'name="number"' not in change.content.decode()


def test_admin_issues_the_certificates_of_a_decision(client, admin_staff_user, published_decision):
    decision = published_decision()
    # Signed today: move the decision into the past, as one published a while ago.
    past = timezone.localdate() - datetime.timedelta(days=30)
    Decision.objects.filter(pk=decision.pk).update(date=past)
    Recognition.objects.filter(decision=decision).update(decision_date=past)
    client.force_login(admin_staff_user)

    response = run_action(
        client, "issue_decision_certificates", [decision], changelist="admin:awards_decision_changelist"
    )

    assert response.status_code == 302
    assert sorted(Certificate.objects.values_list("number", flat=True)) == ["1/GCN-UBND", "2/GCN-UBND"]


def test_organisation_admin_shows_the_certificate_fields(client, superuser):
    client.force_login(superuser)
    body = peoples_committee()

    page = client.get(reverse("admin:products_organization_change", args=[body.pk])).content.decode()

    assert 'name="certificate_suffix"' in page
    assert 'name="emblem"' in page


# -- who may open what ------------------------------------------------------------------------------------------------
@pytest.fixture
def records(published_decision, staff_user, product_a):
    """A decision with one certificate issued (Lạp sườn, 1/GCN-UBND) and one recognition still without
    (Chiếu trúc); an archive recognition without a certificate; the owner of the certified product."""
    decision = published_decision()
    _chieu_truc, lap_suon = recognitions_of(decision)
    certificate = services.certificate_issue(recognition=lap_suon, actor=staff_user, issued_on=ISSUE_DATE)
    return SimpleNamespace(
        decision=decision,
        certificate=certificate,
        archive=archive_recognition(staff_user, product_a),
        owner=producer_account(lap_suon.product.producer),
    )


def sign_in(client, request, records, role):
    users = {
        "producer": lambda: request.getfixturevalue("producer_user"),
        "owner": lambda: records.owner,
        "member": lambda: request.getfixturevalue("member_user"),
        "other_staff": lambda: request.getfixturevalue("other_staff_user"),
        "staff": lambda: request.getfixturevalue("staff_user"),
    }
    if role in users:
        client.force_login(users[role]())


GET_PAGES = {
    "staff.certificate.list": (lambda r: url("staff.certificate.list"), STAFF_LIST),
    "staff.certificate.detail": (lambda r: url("staff.certificate.detail", r.certificate.pk), STAFF_PAGE),
    "staff.certificate.pdf": (lambda r: url("staff.certificate.pdf", r.certificate.pk), STAFF_PAGE),
    "staff.decision.certificates": (lambda r: url("staff.decision.certificates", r.decision.pk), STAFF_PAGE),
    "staff.decision.list_pdf": (lambda r: url("staff.decision.list_pdf", r.decision.pk), STAFF_PAGE),
    "staff.decision.list_xlsx": (lambda r: url("staff.decision.list_xlsx", r.decision.pk), STAFF_PAGE),
    "staff.recognition.certificate": (lambda r: url("staff.recognition.certificate", r.archive.pk), STAFF_PAGE),
    "producer.certificate.list": (lambda r: url("producer.certificate.list"), PRODUCER_LIST),
    "producer.certificate.pdf": (lambda r: url("producer.certificate.pdf", r.certificate.pk), PRODUCER_FILE),
}
ISSUE = {"issued_on": "05/01/2027", "signer_title": "CHỦ TỊCH", "signer_name": "Hoàng Xuân Ánh"}
POSTS = {
    "staff.certificate.detail": lambda r: (
        url("staff.certificate.detail", r.certificate.pk),
        {"action": "revoke", "revoke-reason": "Cơ sở ngừng sản xuất"},
    ),
    "staff.decision.certificates": lambda r: (
        url("staff.decision.certificates", r.decision.pk),
        {**ISSUE, "issuing_body": peoples_committee().pk},
    ),
    "staff.recognition.certificate": lambda r: (
        url("staff.recognition.certificate", r.archive.pk),
        {**ISSUE, "issuing_body": peoples_committee().pk},
    ),
}


def certificate_state():
    return sorted(Certificate.objects.values_list("pk", "status", "recognition_id"))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GET_PAGES)
def test_get_answers_by_role(client, request, records, name, role):
    sign_in(client, request, records, role)
    target, expected = GET_PAGES[name]
    assert_outcome(client.get(target(records)), expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POSTS)
def test_post_answers_by_role_and_changes_nothing_when_refused(client, request, records, name, role):
    sign_in(client, request, records, role)
    target, data = POSTS[name](records)
    before = certificate_state()

    response = client.post(target, data)

    assert_outcome(response, STAFF_WRITE[role])
    if STAFF_WRITE[role] == 302:
        assert certificate_state() != before
    else:
        assert certificate_state() == before


def test_matrix_covers_every_certificate_url():
    names = {
        p.name
        for p in urlpatterns
        if (".certificate" in p.name or ".decision." in p.name) and ".certificate.export" not in p.name
    }
    assert names == set(GET_PAGES)
    assert set(POSTS) <= names
