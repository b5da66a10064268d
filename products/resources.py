"""Import and export of producers and products (django-import-export), used by the staff import pages
(portal.imports) and by the admin alike. Producers are keyed on their tax code, products on their producer's tax
code and their name. Both write in bulk: existing records are loaded in one query, new ones bulk-created."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from portal.core.access import province_scope

from .enums import ProducerKind
from .importing import (
    CellError,
    ChoiceWidget,
    ImportResource,
    IntegerWidget,
    ProducerIndex,
    ProvinceWidget,
    TaxCodeWidget,
    TextWidget,
    column,
    read_text,
)
from .models import Producer, Product, ProductGroup
from .search import fold
from .services import producer_search_text, product_search_text

TAX_CODE = "Mã số thuế"
PRODUCER_NAME = "Tên cơ sở"
PROVINCE = "Tỉnh/thành phố"
PRODUCT_NAME = "Tên sản phẩm"


class ProducerResource(ImportResource):
    tax_code = column(TAX_CODE, "tax_code", TaxCodeWidget())
    name = column(PRODUCER_NAME, "name")
    kind = column("Loại hình", "kind", ChoiceWidget(ProducerKind))
    legal_representative = column("Người đại diện", "legal_representative")
    representative_title = column("Chức vụ", "representative_title")
    address = column("Địa chỉ", "address")
    province = column(PROVINCE, "province", ProvinceWidget())
    current_province = column("Tỉnh/thành phố hiện nay", "current_province", ProvinceWidget(), readonly=True)
    phone = column("Điện thoại", "phone")
    email = column("Thư điện tử", "email")
    website = column("Trang web", "website")
    founding_year = column("Năm thành lập", "founding_year", IntegerWidget(1900, 2100))
    workers = column("Số lao động", "workers", IntegerWidget())

    required_headings = (TAX_CODE, PRODUCER_NAME, "Loại hình", "Người đại diện", PROVINCE)
    key_columns = (PROVINCE, TAX_CODE)

    class Meta:
        model = Producer
        fields = (
            "tax_code",
            "name",
            "kind",
            "legal_representative",
            "representative_title",
            "address",
            "province",
            "current_province",
            "phone",
            "email",
            "website",
            "founding_year",
            "workers",
        )
        export_order = fields
        use_bulk = True
        batch_size = 1000
        clean_model_instances = True

    bulk_update_extra = ("current_province", "search_text", "updated_at")

    def existing(self, dataset):
        codes = set()
        widget = TaxCodeWidget()
        for row in dataset.dict:
            try:
                codes.add(widget.clean(row.get(TAX_CODE)))
            except ValueError:
                continue
        self._changed_names = []
        return {
            p.tax_code: p
            for p in Producer.objects.filter(tax_code__in=codes)
            .select_related("province__successor", "current_province")
            .prefetch_related(Prefetch("products", queryset=Product.objects.only("id", "name", "producer_id")))
        }

    def row_key(self, row):
        return TaxCodeWidget().clean(row.get(TAX_CODE))

    def instance_key(self, instance):
        return instance.tax_code

    def province_id_of(self, instance):
        return instance.province.today_province_id

    def init_instance(self, row=None):
        return Producer(created_by=self.actor if getattr(self.actor, "pk", None) else None)

    def before_save_instance(self, instance, row, **kwargs):
        instance.current_province_id = instance.province.today_province_id
        names = [p.name for p in instance.products.all()] if instance.pk else []
        instance.search_text = producer_search_text(instance, names)
        if instance.pk:
            from django.utils import timezone

            instance.updated_at = timezone.now()
            self._changed_names.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        # Products are found by their producer's name, tax code and province too.
        if not getattr(self, "_changed_names", None):
            return
        products = list(
            Product.objects.filter(producer_id__in=self._changed_names).select_related("producer__province__successor")
        )
        for product in products:
            product.search_text = product_search_text(product, product.producer)
        Product.objects.bulk_update(products, ["search_text"], batch_size=1000)


class ProductGroupWidget(ChoiceWidget):
    """A product group by its code ("2") or its name, accents and case ignored."""

    def __init__(self):
        self.required = True
        self._table = None

    def clean(self, value, row=None, **kwargs):
        if self._table is None:
            self._table = {}
            for group in ProductGroup.objects.all():
                self._table[fold(group.code)] = group
                self._table[fold(group.name)] = group
        if value is None or not read_text(value):
            raise CellError(_("The product group is missing."))
        found = self._table.get(fold(read_text(value)))
        if found is None:
            raise CellError(
                _("Unknown product group “%(value)s”: write its number (1–4) or its name.")
                % {"value": read_text(value)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ProducerByTaxCodeWidget(TextWidget):
    """The producer of a row, by the tax code column (the resource loads every producer of the file at once)."""

    def __init__(self, resource):
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        return self.resource.producer_of(row)

    def render(self, value, obj=None, **kwargs):
        return value.tax_code if value else ""


class ProducerRowsMixin:
    """Resources whose rows name a producer by its tax code (products, recognitions, ratings, participations).
    With `producers_in_scope`, a staff member's row naming a producer of another province is refused before
    anything of that producer (its name, its products) is looked at: an error must not reveal it."""

    producers_in_scope = True

    def load_producers(self, dataset):
        widget = TaxCodeWidget()
        codes = []
        for row in dataset.dict:
            try:
                codes.extend(widget.candidates(row.get(TAX_CODE)))
            except ValueError:
                continue
        self.producers = ProducerIndex(codes)

    def producer_of(self, row):
        code, *others = TaxCodeWidget().candidates(row.get(TAX_CODE))
        producer = self.producers.get(code, column=TAX_CODE, candidates=others)
        in_scope = province_scope(self.actor, write=True).includes(producer.current_province_id)
        if self.producers_in_scope and self.actor is not None and not in_scope:
            raise CellError(
                _("This row belongs to another province: you can import rows of your own province only."),
                column=TAX_CODE,
            )
        return producer


class ProductIndex:
    """Products of the producers of a file, by (producer, folded name)."""

    def __init__(self, producer_ids):
        self.by_key = {}
        for product in Product.objects.filter(producer_id__in=producer_ids).select_related(
            "producer__province__successor", "group"
        ):
            self.by_key.setdefault((product.producer_id, fold(product.name)), product)

    def get(self, producer, name):
        product = self.by_key.get((producer.pk, fold(name)))
        if product is None:
            raise CellError(
                _("%(producer)s has no product named “%(name)s”: import the product first.")
                % {"producer": producer.name, "name": name}
            )
        return product


class ProductByNameWidget(TextWidget):
    """The product of a row: its producer (tax code column) and its name (this column)."""

    def __init__(self, resource):
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        producer = self.resource.producer_of(row)
        name = read_text(value)
        if not name:
            raise CellError(_("The product name is missing."))
        return self.resource.products.get(producer, name)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ProductResource(ProducerRowsMixin, ImportResource):
    tax_code = column(TAX_CODE, "producer")
    producer_name = column(PRODUCER_NAME, "producer__name", readonly=True)
    name = column(PRODUCT_NAME, "name")
    group = column("Nhóm sản phẩm", "group", ProductGroupWidget())
    description = column("Mô tả", "description")

    required_headings = (TAX_CODE, PRODUCT_NAME, "Nhóm sản phẩm")
    key_columns = (TAX_CODE, PRODUCT_NAME)

    class Meta:
        model = Product
        fields = ("tax_code", "producer_name", "name", "group", "description")
        export_order = fields
        use_bulk = True
        batch_size = 1000
        clean_model_instances = True

    bulk_update_extra = ("search_text", "updated_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_code"].widget = ProducerByTaxCodeWidget(self)

    def prepare(self, dataset):
        self.load_producers(dataset)
        self._touched = set()

    def existing(self, dataset):
        index = ProductIndex([p.pk for p in self.producers.by_code.values()])
        return dict(index.by_key)

    def row_key(self, row):
        return (self.producer_of(row).pk, fold(read_text(row.get(PRODUCT_NAME))))

    def instance_key(self, instance):
        return (instance.producer_id, fold(instance.name))

    def province_id_of(self, instance):
        return instance.producer.current_province_id

    def init_instance(self, row=None):
        return Product(created_by=self.actor if getattr(self.actor, "pk", None) else None)

    def before_save_instance(self, instance, row, **kwargs):
        instance.search_text = product_search_text(instance, instance.producer)
        if instance.pk:
            from django.utils import timezone

            instance.updated_at = timezone.now()
        self._touched.add(instance.producer_id)

    def after_import(self, dataset, result, **kwargs):
        # A producer is found by what it makes: refresh the folded text of the producers whose products changed.
        producers = list(
            Producer.objects.filter(pk__in=self._touched)
            .select_related("province__successor")
            .prefetch_related(Prefetch("products", queryset=Product.objects.only("id", "name", "producer_id")))
        )
        for producer in producers:
            producer.search_text = producer_search_text(producer, [p.name for p in producer.products.all()])
        Producer.objects.bulk_update(producers, ["search_text"], batch_size=1000)
