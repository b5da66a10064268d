"""Nominations for the view and browser tests, built through the services exactly as the wizard and the
screening page build them: documents and photos on file, a filled form, a submission, a return for correction."""

import datetime

from django.utils import timezone

from awards import services
from awards.enums import NominationStatus
from awards.models import Level, Nomination, Recognition
from products import services as product_services
from products.models import Document, DocumentType
from tests import factories

# The registration form as the services take it, and as the wizard's form step posts it.
FORM = {
    "annual_output": "12 tấn/năm",
    "annual_revenue": 1_500_000_000,
    "workers": 15,
    "materials": "Thịt lợn đen nuôi thả, mắc khén Trùng Khánh",
    "markets": "Siêu thị, sàn TMĐT",
    "highlights": "Công thức truyền thống, hun khói bằng củi nghiến.",
}


def form_post(**changes) -> dict:
    """The form step's POST: every field as text, `changes` applied (None leaves a field out)."""
    data = {name: str(value) for name, value in FORM.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def add_document(producer, code, *, product=None, expiry=None, number=None, name=None) -> Document:
    return product_services.document_add(
        producer=producer,
        product=product,
        file=factories.pdf_file(name or f"{code}.pdf"),
        doc_type=DocumentType.objects.get(code=code),
        number=number or f"{code.upper()}-01",
        issuer="Sở Kế hoạch và Đầu tư",
        issue_date=datetime.date(2024, 1, 1),
        expiry_date=expiry,
    )


def add_photos(product, n=3):
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40), (40, 200, 200)]
    return [
        product_services.photo_add(
            product=product, image=factories.jpeg_file(f"anh-{i}.jpg", color=colours[i % len(colours)])
        )
        for i in range(n)
    ]


def ready_product(producer, name="Lạp sườn Tâm Hòa", group_code="2"):
    """A product with everything a province round requires on file: the producer's registration certificate,
    the product description and three photos."""
    product = factories.product(producer, name, group_code=group_code)
    if not Document.objects.filter(producer=producer, doc_type__code="registration").exists():
        add_document(producer, "registration")
    add_document(producer, "product_description", product=product)
    add_photos(product)
    return product


def fill(nomination, actor, **changes) -> Nomination:
    return services.nomination_update_form(
        nomination=nomination, actor=actor, **{**FORM, "declaration_accepted": True, **changes}
    )


def draft(round_, product, actor) -> Nomination:
    return services.nomination_create(round_=round_, product=product, actor=actor)


def submitted(round_, product, actor) -> Nomination:
    nomination = draft(round_, product, actor)
    fill(nomination, actor)
    services.nomination_submit(nomination=nomination, actor=actor)
    return Nomination.objects.get(pk=nomination.pk)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def returned(nomination, staff, items=("field:annual_output",), message="Ghi rõ sản lượng năm 2025.") -> Nomination:
    services.correction_request(
        nomination=nomination, actor=staff, items=list(items), message=message, deadline=in_days(10)
    )
    return Nomination.objects.get(pk=nomination.pk)


def resubmitted(nomination, staff, producer_account) -> Nomination:
    nomination = returned(nomination, staff)
    services.nomination_update_form(nomination=nomination, actor=producer_account, annual_output="14 tấn năm 2025")
    services.nomination_submit(nomination=nomination, actor=producer_account)
    nomination = Nomination.objects.get(pk=nomination.pk)
    assert nomination.status == NominationStatus.RESUBMITTED
    return nomination


def recognise(product, level_code="province", year=2024) -> Recognition:
    """A still-valid recognition at `level_code`, which lets the product go up to the next level."""
    return Recognition.objects.create(
        product=product,
        level=Level.objects.get(programme__code="spcnnttb", code=level_code),
        year=year,
        decision_number="125/QĐ-UBND",
        valid_until=in_days(365),
    )
