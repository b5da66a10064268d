"""Import and export of recognitions from the archive and of OCOP ratings (django-import-export), used by the staff
import pages (portal.imports) and the admin alike. New rows are written through the services
(`recognition_record`, `ocop_rating_record`), so every rule of the programme applies to a file as to a form: the
level valid on the date, duplicates, stars against the score's band, parts against the criteria set in force.
A row already recorded is unchanged, or changes its note only: a decision is corrected on its own page."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from products.importing import (
    CellError,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    ImportResource,
    IntegerWidget,
    TextWidget,
    column,
    read_text,
)
from products.resources import (
    PRODUCER_NAME,
    PRODUCT_NAME,
    TAX_CODE,
    ProducerRowsMixin,
    ProductByNameWidget,
    ProductIndex,
)
from products.search import fold

from .enums import OcopLevel, RecognitionSource
from .models import Level, OcopRating, Recognition
from .services.ocop import ocop_rating_record
from .services.recognitions import recognition_record, recognition_validate

LEVEL = "Cấp"
YEAR = "Năm"
DECISION_NUMBER = "Số quyết định"
DECISION_DATE = "Ngày quyết định"
NOTE = "Ghi chú"


class LevelWidget(TextWidget):
    """A level of the programme by its code ("province") or name ("Cấp tỉnh", "tỉnh"), accents ignored."""

    def __init__(self):
        self._table = None

    def clean(self, value, row=None, **kwargs):
        if self._table is None:
            self._table = {}
            for level in Level.objects.select_related("programme"):
                name = fold(level.name)
                for key in (fold(level.code), name, name.removeprefix("cap ")):
                    self._table.setdefault(key, level)
        text = read_text(value)
        if not text:
            raise CellError(_("The level is missing."))
        found = self._table.get(fold(text)) or self._table.get(fold(text).removeprefix("cap "))
        if found is None:
            raise CellError(_("Unknown level “%(value)s”.") % {"value": text})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ArchiveResource(ProducerRowsMixin, ImportResource):
    """Rows about a product (tax code + product name), written one by one through a service."""

    note_only_message = ""
    service_columns: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].widget = ProductByNameWidget(self)

    def prepare(self, dataset):
        self.load_producers(dataset)
        self.products = ProductIndex([p.pk for p in self.producers.by_code.values()])

    def dehydrate_tax_code(self, obj):
        return obj.product.producer.tax_code

    def province_id_of(self, instance):
        return instance.product.producer.current_province_id

    def check_row(self, instance, row, errors, **kwargs):
        if self._snapshot is None:
            return
        # Recorded already: only the note may change.
        now = self.snapshot(instance)
        for attr, was, value in zip(self._compare_attributes(), self._snapshot, now, strict=True):
            if attr != "note" and was != value:
                heading = next(f.column_name for f in self.fields.values() if f.attribute == attr)
                errors.setdefault(heading, []).append(self.note_only_message)

    def was(self, attr):
        return self._snapshot[self._compare_attributes().index(attr)]

    def reraise(self, exc):
        """A service's refusal, reported against the file's columns."""
        if isinstance(exc, PermissionDenied):
            raise ValidationError({self.scope_column(): [str(exc) or _("You may not change this record.")]}) from exc
        by_attr = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        by_attr.update(self.service_columns)
        if hasattr(exc, "error_dict"):
            raise ValidationError({by_attr.get(k, k): v for k, v in exc.message_dict.items()}) from exc
        raise ValidationError({NON_FIELD_ERRORS: exc.messages}) from exc

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            if is_create:
                instance.pk = self.record(instance).pk
            else:
                instance.save(update_fields=["note"])
        except (ValidationError, PermissionDenied) as exc:
            self.reraise(exc)

    def record(self, instance):
        raise NotImplementedError


class RecognitionResource(ArchiveResource):
    tax_code = column(TAX_CODE)
    producer_name = column(PRODUCER_NAME, "product__producer__name", readonly=True)
    product = column(PRODUCT_NAME, "product")
    level = column(LEVEL, "level", LevelWidget())
    year = column(YEAR, "year", IntegerWidget(1900, 2100))
    decision_number = column(DECISION_NUMBER, "decision_number")
    decision_date = column(DECISION_DATE, "decision_date", DateWidget())
    note = column(NOTE, "note")
    valid_until = column("Giấy chứng nhận có hiệu lực đến", "valid_until", DateWidget(), readonly=True)
    source = column("Nguồn", "source", ChoiceWidget(RecognitionSource), readonly=True)

    required_headings = (TAX_CODE, PRODUCT_NAME, LEVEL, YEAR, DECISION_NUMBER)
    key_columns = (TAX_CODE, LEVEL)

    class Meta:
        model = Recognition
        fields = (
            "tax_code",
            "producer_name",
            "product",
            "level",
            "year",
            "decision_number",
            "decision_date",
            "note",
            "valid_until",
            "source",
        )
        export_order = fields
        use_bulk = False
        clean_model_instances = False

    @property
    def note_only_message(self):
        return _("This recognition is already recorded with other details; an import can change only its note.")

    def existing(self, dataset):
        ids = [p.pk for p in self.products.by_key.values()]
        return {
            (r.product_id, r.level_id, r.year): r
            for r in Recognition.objects.filter(product_id__in=ids).select_related(
                "product__producer", "level__programme"
            )
        }

    def row_key(self, row):
        product = self.fields["product"].clean(row)
        level = self.fields["level"].clean(row)
        year = self.fields["year"].clean(row)
        return (product.pk, level.pk, year)

    def instance_key(self, instance):
        return (instance.product_id, instance.level_id, instance.year)

    def check_row(self, instance, row, errors, **kwargs):
        super().check_row(instance, row, errors, **kwargs)
        if errors or self._snapshot is not None:
            return
        try:
            recognition_validate(
                actor=self.actor,
                product=instance.product,
                level=instance.level,
                year=instance.year,
                decision_number=instance.decision_number,
                decision_date=instance.decision_date,
            )
        except (ValidationError, PermissionDenied) as exc:
            try:
                self.reraise(exc)
            except ValidationError as mapped:
                for key, messages in mapped.message_dict.items():
                    errors.setdefault(key, []).extend(messages)

    def record(self, instance):
        return recognition_record(
            actor=self.actor,
            product=instance.product,
            level=instance.level,
            year=instance.year,
            decision_number=instance.decision_number,
            decision_date=instance.decision_date,
            note=instance.note,
        )


class OcopRatingResource(ArchiveResource):
    tax_code = column(TAX_CODE)
    producer_name = column(PRODUCER_NAME, "product__producer__name", readonly=True)
    product = column(PRODUCT_NAME, "product")
    stars = column("Số sao", "stars", IntegerWidget(1, 5))
    score = column("Tổng điểm", "score", DecimalWidget())
    part_a = column("Điểm phần A", "part_a", DecimalWidget())
    part_b = column("Điểm phần B", "part_b", DecimalWidget())
    part_c = column("Điểm phần C", "part_c", DecimalWidget())
    level = column("Cấp đánh giá", "level", ChoiceWidget(OcopLevel, required=False))
    decision_number = column(DECISION_NUMBER, "decision_number")
    decision_date = column(DECISION_DATE, "decision_date", DateWidget())
    valid_until = column("Hiệu lực đến", "valid_until", DateWidget())
    note = column(NOTE, "note")
    criteria_set = column("Bộ tiêu chí", "criteria_set__name", readonly=True)

    required_headings = (TAX_CODE, PRODUCT_NAME, "Số sao", "Tổng điểm", DECISION_NUMBER, DECISION_DATE)
    key_columns = (TAX_CODE, DECISION_NUMBER)

    class Meta:
        model = OcopRating
        fields = (
            "tax_code",
            "producer_name",
            "product",
            "stars",
            "score",
            "part_a",
            "part_b",
            "part_c",
            "level",
            "decision_number",
            "decision_date",
            "valid_until",
            "note",
            "criteria_set",
        )
        export_order = fields
        use_bulk = False
        clean_model_instances = False

    @property
    def note_only_message(self):
        return _(
            "This rating is already recorded with other details; an import can change only its note (a new "
            "decision is a new rating)."
        )

    def existing(self, dataset):
        ids = [p.pk for p in self.products.by_key.values()]
        return {
            (r.product_id, fold(r.decision_number)): r
            for r in OcopRating.objects.filter(product_id__in=ids).select_related("product__producer", "criteria_set")
        }

    def row_key(self, row):
        product = self.fields["product"].clean(row)
        return (product.pk, fold(read_text(row.get(DECISION_NUMBER))))

    def instance_key(self, instance):
        return (instance.product_id, fold(instance.decision_number))

    def check_row(self, instance, row, errors, **kwargs):
        if self._snapshot is not None:
            # A blank level or validity in the file means "as recorded" (the service derived them).
            instance.level = instance.level or self.was("level")
            instance.valid_until = instance.valid_until or self.was("valid_until")
        super().check_row(instance, row, errors, **kwargs)
        if not instance.decision_number:
            errors.setdefault(DECISION_NUMBER, []).append(_("The decision number is missing."))
        if instance.decision_date is None:
            errors.setdefault(DECISION_DATE, []).append(_("The decision date is missing."))

    def record(self, instance):
        return ocop_rating_record(
            product=instance.product,
            actor=self.actor,
            stars=instance.stars,
            score=instance.score,
            decision_number=instance.decision_number,
            decision_date=instance.decision_date,
            part_a=instance.part_a,
            part_b=instance.part_b,
            part_c=instance.part_c,
            level=instance.level or None,
            valid_until=instance.valid_until,
            note=instance.note,
        )
