"""The certificate as the state writes it (Nghị định 30/2020, Phụ lục I): the governing body above the issuing
body, the signer's title on its lines, a basis line that never ends on one word, and — for a certificate issued
after the 1 July 2025 reform — the producer's address in the two-level form once the producer confirmed it, or as
recorded with the level words in lower case until then."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from awards.models import Certificate
from awards.printouts.certificates import certificate_pdf
from products import services as product_services
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization
from tests import factories

from .certificate_helpers import peoples_committee
from .helpers import level

ISSUED_2026 = datetime.date(2026, 3, 10)


def pdf_lines(data: bytes) -> list[str]:
    """The page's text lines as pypdf lays them out, each with its spaces normalised."""
    (page,) = PdfReader(io.BytesIO(data)).pages
    return [" ".join(line.split()) for line in page.extract_text(extraction_mode="layout").splitlines() if line.strip()]


def pdf_text(data: bytes) -> str:
    (page,) = PdfReader(io.BytesIO(data)).pages
    return " ".join(page.extract_text().split())


def dong_thap_department() -> Organization:
    return Organization.objects.create(
        name="Sở Công Thương tỉnh Đồng Tháp", kind=OrganizationKind.DEPARTMENT, province=factories.province("Đồng Tháp")
    )


def old_dong_thap_producer(**extra):
    """A cooperative recorded before the reform: "xã Mỹ An" in its street line, district Tháp Mười, the old
    province Đồng Tháp."""
    old = factories.province("Đồng Tháp", current=False)
    district = old.children.get(name="Tháp Mười")
    return factories.producer(
        "Hợp tác xã Sen Tháp Mười", "Đồng Tháp", current=False, address="Ấp 3, xã Mỹ An", unit=district, **extra
    )


@pytest.fixture
def certificate_for(superuser):
    """certificate_for(producer, body=…, issued_on=…, signer_title=…) → a certificate of an archive recognition."""

    def issue(producer, *, body=None, issued_on=ISSUED_2026, signer_title="KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC"):
        product = factories.product(producer, "Trà tim sen Tháp Mười")
        recognition = services.recognition_record(
            actor=superuser,
            product=product,
            level=level("province"),
            year=2025,
            decision_number="1205/QĐ-UBND",
            decision_date=datetime.date(2025, 12, 20),
        )
        return services.certificate_issue(
            recognition=recognition,
            actor=superuser,
            issued_on=issued_on,
            issuing_body=body or dong_thap_department(),
            signer_title=signer_title,
            signer_name="Nguyễn Văn Phú",
        )

    return issue


def test_a_department_certificate_prints_the_peoples_committee_above_the_department(certificate_for):
    certificate = certificate_for(old_dong_thap_producer())

    lines = pdf_lines(certificate_pdf(certificate))

    governing = next(i for i, line in enumerate(lines) if line.startswith("UBND TỈNH ĐỒNG THÁP"))
    assert lines[governing + 1].startswith("SỞ CÔNG THƯƠNG")
    text = " ".join(lines)
    assert "SỞ CÔNG THƯƠNG TỈNH ĐỒNG THÁP" not in text
    assert text.index("SỞ CÔNG THƯƠNG") < text.index("Số: 1/GCN-SCT")


def test_the_heading_lines_are_data_edited_in_the_back_office(certificate_for):
    body = dong_thap_department()
    body.governing_body_line = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    body.heading_name = "SỞ CÔNG THƯƠNG\nĐỒNG THÁP"
    body.save()
    certificate = certificate_for(old_dong_thap_producer(), body=body)

    lines = pdf_lines(certificate_pdf(certificate))

    at = next(i for i, line in enumerate(lines) if line.startswith("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"))
    assert lines[at + 1].startswith("SỞ CÔNG THƯƠNG")
    assert lines[at + 2].startswith("ĐỒNG THÁP")


def test_the_default_headings_of_each_kind_of_body(db):
    dong_thap = factories.province("Đồng Tháp")
    bodies = {
        "department": ("Sở Công Thương tỉnh Đồng Tháp", OrganizationKind.DEPARTMENT, dong_thap),
        "committee": ("Ủy ban nhân dân tỉnh Đồng Tháp", OrganizationKind.PEOPLES_COMMITTEE, dong_thap),
        "centre": ("Trung tâm Khuyến công tỉnh Đồng Tháp", OrganizationKind.EXTENSION_CENTRE, dong_thap),
        "ministry": ("Cục Công Thương địa phương (Bộ Công Thương)", OrganizationKind.MINISTRY_AGENCY, None),
    }
    headings = {
        key: Organization.objects.create(name=name, kind=kind, province=province).heading_lines
        for key, (name, kind, province) in bodies.items()
    }
    assert headings == {
        "department": {"governing": ["UBND TỈNH ĐỒNG THÁP"], "name": ["SỞ CÔNG THƯƠNG"]},
        "committee": {"governing": [], "name": ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP"]},
        "centre": {"governing": ["SỞ CÔNG THƯƠNG TỈNH ĐỒNG THÁP"], "name": ["TRUNG TÂM KHUYẾN CÔNG"]},
        "ministry": {"governing": ["BỘ CÔNG THƯƠNG"], "name": ["CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"]},
    }


def test_the_signer_title_prints_on_two_lines(certificate_for):
    certificate = certificate_for(old_dong_thap_producer())
    assert certificate.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"

    lines = pdf_lines(certificate_pdf(certificate))

    at = next(i for i, line in enumerate(lines) if line.endswith("KT. GIÁM ĐỐC"))
    assert lines[at + 1].endswith("PHÓ GIÁM ĐỐC")
    assert "KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC" not in " ".join(lines)


# A decision body long enough for a three-line basis paragraph, with endings that, without the no-break space,
# leave "2025," alone on the last line (the first and third; checked when the test was written).
BASIS_BODY = "Ủy ban nhân dân tỉnh Đồng Tháp (Ban chỉ đạo chương trình khuyến công và phát triển công nghiệp nông thôn"


@pytest.mark.parametrize(
    "ending", [" giai đoạn)", " tỉnh Đồng Tháp)", " năm 2025)"], ids=["period", "province", "year"]
)
def test_the_basis_line_never_ends_on_a_single_word(certificate_for, ending):
    certificate = certificate_for(old_dong_thap_producer())
    certificate.decision_body = BASIS_BODY + ending

    lines = pdf_lines(certificate_pdf(certificate))

    first = next(i for i, line in enumerate(lines) if line.startswith("Căn cứ Quyết định"))
    last = next(i for i in range(first, len(lines)) if lines[i].endswith(" 2025,") or lines[i] == "2025,")
    assert last > first  # the paragraph wraps: there is a last line to look at
    assert len(lines[last].split()) > 1, lines[first : last + 1]


def test_a_2026_certificate_of_a_confirmed_producer_prints_the_two_level_address(certificate_for, superuser):
    producer = old_dong_thap_producer()
    ward = AdministrativeUnit.objects.get(level="ward", is_current=True, name="Tháp Mười")
    product_services.producer_confirm_address(producer=producer, actor=superuser, ward=ward, address="Ấp 3")

    certificate = certificate_for(producer)

    assert certificate.producer_address == "Ấp 3, xã Tháp Mười, tỉnh Đồng Tháp"
    text = pdf_text(certificate_pdf(certificate))
    assert "Ấp 3, xã Tháp Mười, tỉnh Đồng Tháp" in text
    assert "huyện" not in text.lower()
    assert "nay thuộc" not in text


def test_an_unconfirmed_producer_prints_as_recorded_with_lower_case_level_words(certificate_for):
    certificate = certificate_for(old_dong_thap_producer())

    assert certificate.producer_address == "Ấp 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng Tháp"
    text = pdf_text(certificate_pdf(certificate))
    assert "Ấp 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng Tháp" in text
    assert "Huyện" not in text
    assert "Tỉnh Đồng Tháp" not in text


def test_a_certificate_dated_before_the_reform_keeps_the_recorded_address(certificate_for, superuser):
    producer = old_dong_thap_producer()
    ward = AdministrativeUnit.objects.get(level="ward", is_current=True, name="Tháp Mười")
    product_services.producer_confirm_address(producer=producer, actor=superuser, ward=ward, address="Ấp 3, xã Mỹ An")
    product = factories.product(producer, "Mứt sen")
    recognition = services.recognition_record(
        actor=superuser, product=product, level=level("province"), year=2024, decision_number="88/QĐ-UBND"
    )

    certificate = services.certificate_issue(
        recognition=recognition,
        actor=superuser,
        issued_on=datetime.date(2025, 2, 3),
        issuing_body=dong_thap_department(),
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Phú",
    )

    assert certificate.producer_address == "Ấp 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng Tháp"


def test_an_old_province_renamed_today_is_noted_after_an_address_as_recorded(certificate_for, superuser):
    old = factories.province("Hà Giang", current=False)
    producer = factories.producer("HTX Chè Shan tuyết", "Hà Giang", current=False, unit=old.children.first())
    tuyen_quang = Organization.objects.create(
        name="Sở Công Thương tỉnh Tuyên Quang",
        kind=OrganizationKind.DEPARTMENT,
        province=factories.province("Tuyên Quang"),
    )
    before = certificate_for(producer, body=tuyen_quang)
    assert "tỉnh Hà Giang (nay thuộc tỉnh Tuyên Quang)" in pdf_text(certificate_pdf(before))

    ward = factories.ward_of(factories.province("Tuyên Quang"))
    product_services.producer_confirm_address(producer=producer, actor=superuser, ward=ward, address="Tổ 5")
    services.certificate_reissue(certificate=before, actor=superuser, issued_on=ISSUED_2026, reason="Đổi địa chỉ")
    after = producer.products.get().recognitions.get().certificates.get(status="valid")

    assert after.producer_address.endswith("tỉnh Tuyên Quang")
    assert "nay thuộc" not in pdf_text(certificate_pdf(after))


@pytest.mark.parametrize(
    "typed", ["KT. CHỦ TỊCH\r\nPHÓ CHỦ TỊCH", "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH"], ids=["lines", "dash"]
)
def test_the_issuing_form_takes_the_title_on_lines_or_with_a_dash(client, staff_user, published_decision, typed):
    decision = published_decision(recognised=1)
    client.force_login(staff_user)
    page = client.get(reverse("awards:staff.decision.certificates", args=[decision.pk])).content.decode()
    # The decision's title (typed with a dash when it was published) is offered on its two lines.
    assert ">\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH</textarea>" in page

    response = client.post(
        reverse("awards:staff.decision.certificates", args=[decision.pk]),
        {
            "issued_on": "05/01/2027",
            "issuing_body": peoples_committee().pk,
            "signer_title": typed,
            "signer_name": "Hoàng Xuân Ánh",
        },
    )

    assert response.status_code == 302
    assert Certificate.objects.get(recognition__decision=decision).signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
