import io
import itertools

import factory
import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.accounts.enums import Role
from portal.accounts.models import User
from products import services
from products.enums import OrganizationKind, ProducerKind
from products.models import AdministrativeUnit, Organization, ProductGroup

_tax = itertools.count(1)


def province(name: str, *, current: bool = True) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level="province", is_current=current, name=name)


def ward_of(prov: AdministrativeUnit) -> AdministrativeUnit:
    return prov.children.order_by("code").first()


def next_tax_code() -> str:
    return f"48{next(_tax):08d}"


def jpeg_file(name="photo.jpg", size=(40, 30), color=(200, 40, 40)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def png_file(name="photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 40)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf_bytes(pages=1) -> bytes:
    """A well-formed PDF of blank A4 pages (cross-reference table and all: the upload check refuses a PDF that
    qpdf has to repair)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def pdf_file(name="giay-chung-nhan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def organization(province_name="Cao Bằng", kind=OrganizationKind.DEPARTMENT) -> Organization:
    prov = province(province_name)
    org, _ = Organization.objects.get_or_create(
        name=f"Sở Công Thương tỉnh {province_name}", defaults={"kind": kind, "province": prov}
    )
    return org


def ministry_organization() -> Organization:
    org, _ = Organization.objects.get_or_create(
        name="Cục Công Thương địa phương — Bộ Công Thương", defaults={"kind": OrganizationKind.MINISTRY_AGENCY}
    )
    return org


def producer(name="HTX Tâm Hòa", province_name="Cao Bằng", *, current=True, **extra):
    prov = province(province_name, current=current)
    data = {
        "name": name,
        "kind": ProducerKind.COOPERATIVE,
        "tax_code": next_tax_code(),
        "legal_representative": "Nguyễn Thanh Tâm",
        "address": "Tổ 5",
        "province": prov,
        "unit": ward_of(prov),
    }
    data.update(extra)
    return services.producer_create(**data)


def product(producer_obj, name="Lạp sườn hun khói", group_code="2", **extra):
    return services.product_create(
        producer=producer_obj, name=name, group=ProductGroup.objects.get(code=group_code), **extra
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = "Nguyễn Văn An"
    role = Role.PRODUCER
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy passes the built object, not self)
        if create:
            obj.save()


PASSWORD = "Mat-khau-2026"
