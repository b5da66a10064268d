"""The printable registration form (phiếu đăng ký) of a nomination: the PDF's text, read back with pypdf, and who
may download it. The dossier is built through the services, as the wizard builds it."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.printouts.registration import registration_form_pdf
from portal.accounts.enums import Role
from portal.core.formatting import vn_date_line, vnd
from products import services as product_services
from products.enums import ProducerKind
from products.models import DocumentType
from tests import factories

PRODUCER_NAME = "Hợp tác xã Tâm Hòa"
PRODUCT_NAME = "Lạp sườn hun khói Tâm Hòa"
ISSUER = "Sở Kế hoạch và Đầu tư tỉnh Cao Bằng"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, NFC, with every run of white space (line breaks in table cells too) as one space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def _doc(producer, code, *, product=None, number, issue_date, expiry_date=None, issuer=ISSUER):
    return product_services.document_add(
        producer=producer,
        product=product,
        file=factories.pdf_file(f"{code}.pdf"),
        doc_type=DocumentType.objects.get(code=code),
        number=number,
        issuer=issuer,
        issue_date=issue_date,
        expiry_date=expiry_date,
    )


def food_safety_expiry() -> datetime.date:
    return datetime.date(timezone.localdate().year + 2, 12, 31)


@pytest.fixture
def tam_hoa(db):
    return factories.producer(
        PRODUCER_NAME,
        "Cao Bằng",
        kind=ProducerKind.COOPERATIVE,
        legal_representative="Nguyễn Thanh Tâm",
        representative_title="Giám đốc",
        phone="0206 3852 123",
        email="htxtamhoa@example.vn",
        founding_year=2012,
        workers=25,
    )


@pytest.fixture
def tam_hoa_user(tam_hoa):
    return factories.UserFactory(role=Role.PRODUCER, producer=tam_hoa, full_name="Nguyễn Thanh Tâm")


@pytest.fixture
def draft(make_round, tam_hoa, tam_hoa_user):
    """A filled draft: documents and photos on file before it was created, so nomination_create attaches them."""
    product = factories.product(
        tam_hoa, PRODUCT_NAME, description="Lạp sườn làm từ thịt lợn đen bản địa, hun khói bằng củi nghiến."
    )
    _doc(tam_hoa, "registration", number="4800123456", issue_date=datetime.date(2024, 3, 15))
    _doc(
        tam_hoa,
        "food_safety",
        number="125/2024/ATTP-CNĐK",
        issuer="Chi cục An toàn vệ sinh thực phẩm Cao Bằng",
        issue_date=datetime.date(2024, 1, 2),
        expiry_date=food_safety_expiry(),
    )
    _doc(tam_hoa, "product_description", product=product, number="TM-01", issue_date=datetime.date(2025, 9, 8))
    for i in range(3):
        product_services.photo_add(product=product, image=factories.jpeg_file(f"lap-suon-{i}.jpg"))
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=product, actor=tam_hoa_user
    )
    return services.nomination_update_form(
        nomination=nomination,
        actor=tam_hoa_user,
        annual_output="12 tấn/năm",
        annual_revenue=1_075_000_000,
        workers=15,
        materials="Thịt lợn đen, mắc khén, gừng của các hộ trong xã.",
        markets="Siêu thị, cửa hàng đặc sản, sàn thương mại điện tử.",
        highlights="Công thức truyền thống của người Tày, hun khói bằng củi nghiến.",
        declaration_accepted=True,
    )


@pytest.fixture
def submitted(draft, tam_hoa_user):
    services.nomination_submit(nomination=draft, actor=tam_hoa_user)
    draft.refresh_from_db()
    return draft


def test_vn_date_line_pads_days_below_10_and_months_1_and_2():
    assert vn_date_line("Cao Bằng", datetime.date(2026, 1, 5)) == "Cao Bằng, ngày 05 tháng 01 năm 2026"
    assert vn_date_line("Cà Mau", datetime.date(2026, 2, 28)) == "Cà Mau, ngày 28 tháng 02 năm 2026"
    assert vn_date_line("Cà Mau", datetime.date(2026, 3, 9)) == "Cà Mau, ngày 09 tháng 3 năm 2026"
    assert vn_date_line("Huế", datetime.date(2026, 12, 15)) == "Huế, ngày 15 tháng 12 năm 2026"


def test_vnd_uses_dot_thousands():
    assert vnd(1_075_000_000) == "1.075.000.000 đồng"
    assert vnd(0) == "0 đồng"
    assert vnd(None) == ""


def test_submitted_form_carries_the_dossier(submitted):
    pdf = registration_form_pdf(submitted)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    year = submitted.round.year
    day = timezone.localtime(submitted.submitted_at).date()
    expected = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        vn_date_line("Cao Bằng", day),
        "PHIẾU ĐĂNG KÝ THAM GIA BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU",
        f"CẤP TỈNH NĂM {year}",
        "Kính gửi: Sở Công Thương tỉnh Cao Bằng",
        f"Mã hồ sơ: CB-{year}-T-0001",
        # I. the establishment
        f"1. Tên cơ sở: {PRODUCER_NAME}",
        "2. Loại hình: Hợp tác xã",
        f"3. Mã số thuế / số đăng ký: {submitted.producer.tax_code}",
        "Người đại diện theo pháp luật: Nguyễn Thanh Tâm; chức vụ: Giám đốc",
        f"5. Địa chỉ: {submitted.producer.full_address}",
        "Điện thoại: 0206 3852 123; email: htxtamhoa@example.vn",
        "Năm thành lập: 2012; số lao động: 25 người",
        # II. the product
        f"1. Tên sản phẩm: {PRODUCT_NAME}",
        "2. Nhóm sản phẩm: Chế biến nông, lâm, thủy sản và thực phẩm",
        "Lạp sườn làm từ thịt lợn đen bản địa, hun khói bằng củi nghiến.",
        "4. Sản lượng/năm: 12 tấn/năm",
        "5. Doanh thu của sản phẩm/năm: 1.075.000.000 đồng",
        "6. Số lao động làm ra sản phẩm: 15 người",
        "Thịt lợn đen, mắc khén, gừng của các hộ trong xã.",
        "Siêu thị, cửa hàng đặc sản, sàn thương mại điện tử.",
        "Công thức truyền thống của người Tày, hun khói bằng củi nghiến.",
        # III. the attachments, dates dd/mm/yyyy
        "Giấy chứng nhận đăng ký doanh nghiệp / hợp tác xã / hộ kinh doanh",
        "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Bản thuyết minh sản phẩm",
        "4800123456",
        ISSUER,
        "Chi cục An toàn vệ sinh thực phẩm Cao Bằng",
        "15/03/2024",
        "02/01/2024",
        "08/09/2025",
        food_safety_expiry().strftime("%d/%m/%Y"),
        "3 ảnh",
        # IV. the declaration and the signature block
        "do cơ sở trực tiếp sản xuất và có khả năng sản xuất hàng loạt",
        "sở hữu trí tuệ, chất lượng sản phẩm, an toàn lao động, an toàn thực phẩm và bảo vệ môi trường",
        "là đúng sự thật",
        "ĐẠI DIỆN CƠ SỞ",
        "(Ký, ghi rõ họ tên, đóng dấu nếu có)",
        "Trang 1/",
    ]
    missing = [s for s in expected if s not in text]
    assert not missing, f"not in the PDF: {missing}\n---\n{text}"
    # A narrow table cell may wrap a number after "/" or "-", which pypdf reads back as a space.
    assert "125/2024/ATTP-CNĐK" in text.replace("/ ", "/").replace("- ", "-")
    assert "BẢN NHÁP" not in text
    # The three attachments in the checklist's order: registration, food safety, then the product description.
    order = [text.index(s) for s in ("4800123456", "125/2024/", "TM-01")]
    assert order == sorted(order)


def test_form_embeds_only_the_packaged_font(submitted):
    fonts = pdf_fonts(registration_form_pdf(submitted))
    assert fonts
    # WeasyPrint names the embedded subsets after the @font-face family ("Plex Serif"): no system font slipped in.
    assert all(name.split("+", 1)[-1].startswith("Plex-Serif") for name in fonts), fonts


def test_draft_is_marked_and_dated_today(draft):
    text = pdf_text(registration_form_pdf(draft))
    assert "BẢN NHÁP" in text
    assert "Mã hồ sơ: chưa cấp (hồ sơ chưa nộp)" in text
    assert vn_date_line("Cao Bằng", timezone.localdate()) in text
    assert PRODUCT_NAME in text


def test_empty_attachment_list(draft, tam_hoa_user):
    for nd in draft.documents.select_related("item"):
        services.nomination_attach_document(nomination=draft, item=nd.item, document=None, actor=tam_hoa_user)
    services.nomination_set_photos(nomination=draft, photos=[], actor=tam_hoa_user)
    text = pdf_text(registration_form_pdf(draft))
    assert "Chưa có giấy tờ kèm theo." in text
    assert "0 ảnh" in text


# -- the views ---------------------------------------------------------------------------------------------------
VIEWERS = {
    "owner": ("test_producer_pdf", "tam_hoa_user", 200),
    "other_producer": ("test_producer_pdf", "producer_b_user", 404),
    "anonymous_producer_url": ("test_producer_pdf", None, "login"),
    "anonymous_staff_url": ("test_staff_pdf", None, "login"),
    "staff_cao_bang": ("test_staff_pdf", "staff_user", 200),
    "staff_ca_mau": ("test_staff_pdf", "other_staff_user", 404),
    "superuser": ("test_staff_pdf", "superuser", 200),
    "producer_on_staff_url": ("test_staff_pdf", "tam_hoa_user", 403),
    "staff_on_producer_url": ("test_producer_pdf", "staff_user", 403),
}


@pytest.mark.urls("tests.awards.pdf_urls")
@pytest.mark.parametrize("case", VIEWERS)
def test_who_may_download_the_form(case, submitted, client, request):
    url_name, user_fixture, outcome = VIEWERS[case]
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    url = reverse(url_name, args=[submitted.pk])
    response = client.get(url)
    if outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert response.status_code == outcome
    if outcome == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="phieu-dang-ky-{submitted.receipt_code}.pdf"'
        assert PRODUCT_NAME in pdf_text(response.content)


@pytest.mark.urls("tests.awards.pdf_urls")
def test_region_round_dossier_is_seen_by_its_province_and_the_ministry(make_round, tam_hoa, client):
    """A Cao Bằng producer in the northern region round: Cao Bằng staff (the producer's province) and the
    ministry agency (which runs the round) see it; another province does not. A producer cannot enter a round
    of another province at all (nomination_create refuses it)."""
    from .helpers import ministry_agency

    product = factories.product(tam_hoa, "Chiếu trúc", group_code="1")
    staff = factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True)
    nomination = services.nomination_create(round_=make_round("region", publish=True), product=product, actor=staff)
    url = reverse("test_staff_pdf", args=[nomination.pk])
    viewers = [
        (factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True), 200),
        (factories.UserFactory(role=Role.STAFF, organization=ministry_agency(), is_staff=True), 200),
        (factories.UserFactory(role=Role.STAFF, organization=factories.organization("Huế"), is_staff=True), 404),
    ]
    for user, status in viewers:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user.organization
        if status == 200:
            assert response["Content-Disposition"] == f'inline; filename="phieu-dang-ky-{nomination.pk}.pdf"'
