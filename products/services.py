"""Every write to the registry. Services take keyword arguments, validate with full_clean() and raise
ValidationError; they never see a request or flash a message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import can_manage_producer
from .enums import UnitLevel
from .models import AdministrativeUnit, Document, Producer, Product, ProductPhoto
from .search import nfc, search_text
from .tax_codes import normalise_tax_code
from .validators import DOCUMENT_MAX_SIDE, DOCUMENT_TYPES, IMAGE_TYPES, PHOTO_MAX_SIDE, stored_upload

PRODUCER_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "legal_representative",
    "representative_title",
    "address",
    "province",
    "unit",
    "phone",
    "email",
    "website",
    "founding_year",
    "workers",
    "publish_address",
    "publish_phone",
    "publish_email",
    "publish_website",
)
PRODUCT_FIELDS = ("name", "group", "description")
SEARCH_TEXT_MAX = Producer._meta.get_field("search_text").max_length
PRODUCT_SEARCH_TEXT_MAX = Product._meta.get_field("search_text").max_length


def _clean_text(value):
    return nfc(value).strip() if isinstance(value, str) else value


def _clean_producer_data(data: dict) -> dict:
    cleaned = {k: _clean_text(v) for k, v in data.items()}
    if isinstance(cleaned.get("tax_code"), str):
        cleaned["tax_code"] = normalise_tax_code(cleaned["tax_code"])
    return cleaned


def _check_unit(province: AdministrativeUnit, unit: AdministrativeUnit | None) -> None:
    if province.level != UnitLevel.PROVINCE:
        raise ValidationError({"province": _("Choose a province.")})
    if unit is not None and unit.parent_id != province.pk:
        raise ValidationError({"unit": _("“%(unit)s” is not in %(province)s.") % {"unit": unit, "province": province}})


def _places(p: Producer) -> list[str]:
    """Province names a producer is found by: as recorded and, for an old province, today's."""
    names = [p.province.name]
    if p.province.successor_id and p.province.successor.name != p.province.name:
        names.append(p.province.successor.name)
    return names


def producer_search_text(p: Producer, product_names: list[str] | None = None) -> str:
    """Producers are found by name, tax code, province and what they make ("lap suon" finds HTX Tâm Hòa)."""
    if product_names is None:
        product_names = list(p.products.values_list("name", flat=True)) if p.pk else []
    return search_text(p.name, p.tax_code, *_places(p), *sorted(product_names))[:SEARCH_TEXT_MAX]


def _refresh_producer_search(producer: Producer) -> None:
    # update() rather than save(): the folded text is derived data, not a change worth a history row.
    Producer.objects.filter(pk=producer.pk).update(search_text=producer_search_text(producer))


def product_search_text(product: Product, producer: Producer) -> str:
    # Spelt-out abbreviations make the text longer than the names it is made of.
    return search_text(product.name, producer.name, producer.tax_code, *_places(producer))[:PRODUCT_SEARCH_TEXT_MAX]


@transaction.atomic
def producer_create(*, created_by=None, history_user=None, is_generated: bool = False, **data) -> Producer:
    producer = Producer(**_clean_producer_data(data), created_by=created_by, is_generated=is_generated)
    if history_user is not None:
        producer._history_user = history_user  # simple_history's hook for changes made outside a request user
    _check_unit(producer.province, producer.unit)
    producer.current_province_id = producer.province.today_province_id
    _sync_current_unit(producer, moved=True)
    producer.search_text = producer_search_text(producer)
    producer.full_clean()
    producer.save()
    return producer


def _sync_current_unit(producer: Producer, *, moved: bool) -> None:
    """Today's commune/ward follows a recorded unit of today; a record moved to another old unit or province
    loses the commune/ward confirmed for the old one (it must be confirmed again)."""
    if producer.unit_id and producer.unit.is_current:
        producer.current_unit = producer.unit
    elif moved:
        producer.current_unit = None
        producer.address_confirmed_at = None


@transaction.atomic
def producer_update(*, producer: Producer, **data) -> Producer:
    # Compare with the stored row, not the instance: a ModelForm bound to the producer has already written
    # the new values into it by the time the view calls this service.
    stored = Producer.objects.filter(pk=producer.pk).values_list("name", "tax_code", "province_id", "unit_id").first()
    for field, value in _clean_producer_data(data).items():
        if field not in PRODUCER_FIELDS:
            raise TypeError(f"producer_update() got an unexpected field {field!r}")
        setattr(producer, field, value)
    _check_unit(producer.province, producer.unit)
    producer.current_province_id = producer.province.today_province_id
    _sync_current_unit(producer, moved=stored[2:] != (producer.province_id, producer.unit_id))
    producer.search_text = producer_search_text(producer)
    producer.full_clean()
    producer.save()
    if stored[:3] != (producer.name, producer.tax_code, producer.province_id):
        # Products are found by their producer's name, tax code and province too: refresh their folded text.
        products = list(producer.products.only("id", "name"))
        for product in products:
            product.search_text = product_search_text(product, producer)
        Product.objects.bulk_update(products, ["search_text"], batch_size=500)
    return producer


@transaction.atomic
def producer_confirm_address(*, producer: Producer, actor, ward: AdministrativeUnit, address: str) -> Producer:
    """Record the producer's commune/ward of today (and its street line) after the 2025 reform. The province
    and the unit it was recorded with stay, so the record is still found and counted as it was."""
    allowed, reason = can_manage_producer(actor, producer)
    if not allowed:
        raise PermissionDenied(reason)
    if ward.level != UnitLevel.WARD or not ward.is_current or ward.parent_id != producer.current_province_id:
        raise ValidationError(
            {
                "ward": _("Choose a commune or ward of %(province)s.")
                % {"province": producer.current_province.name_mid_line}
            }
        )
    producer.address = _clean_text(address)
    producer.current_unit = ward
    producer.address_confirmed_at = timezone.now()
    producer.full_clean()
    producer.save(update_fields=["address", "current_unit", "address_confirmed_at", "updated_at"])
    return producer


@transaction.atomic
def product_create(*, producer: Producer, created_by=None, is_generated: bool = False, **data) -> Product:
    product = Product(
        producer=producer,
        created_by=created_by,
        is_generated=is_generated,
        **{k: _clean_text(v) for k, v in data.items()},
    )
    product.search_text = product_search_text(product, producer)
    product.full_clean()
    product.save()
    _refresh_producer_search(producer)
    return product


@transaction.atomic
def product_update(*, product: Product, **data) -> Product:
    for field, value in data.items():
        if field not in PRODUCT_FIELDS:
            raise TypeError(f"product_update() got an unexpected field {field!r}")
        setattr(product, field, _clean_text(value))
    product.search_text = product_search_text(product, product.producer)
    product.full_clean()
    product.save()
    _refresh_producer_search(product.producer)
    return product


@transaction.atomic
def photo_add(*, product: Product, image, caption: str = "") -> ProductPhoto:
    original_name = nfc(image.name)[:255]
    # What is stored is the portal's re-encoded copy (no EXIF position, upright, bounded): served inline safely.
    mime, stored = stored_upload(image, allowed=IMAGE_TYPES, max_side=PHOTO_MAX_SIDE, stem="photo")
    photo = ProductPhoto(
        product=product, image=stored, content_type=mime, caption=_clean_text(caption), original_name=original_name
    )
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, photo: ProductPhoto) -> None:
    # The file stays on disk: the history keeps a reference to it.
    photo.delete()


@transaction.atomic
def document_add(*, producer: Producer, product: Product | None = None, file, **data) -> Document:
    if product is not None and product.producer_id != producer.pk:
        raise ValidationError({"product": _("This product belongs to another producer.")})
    original_name = nfc(file.name)[:255]
    mime, stored = stored_upload(file, allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE, stem="document")
    document = Document(
        producer=producer,
        product=product,
        file=stored,
        content_type=mime,
        original_name=original_name,
        **{k: _clean_text(v) for k, v in data.items()},
    )
    _check_document_dates(document)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    document.delete()


def _check_document_dates(document: Document) -> None:
    if document.issue_date and document.expiry_date and document.expiry_date < document.issue_date:
        raise ValidationError({"expiry_date": _("The expiry date is before the issue date.")})
