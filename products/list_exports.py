"""Columns of the Excel/CSV exports of the producer and product lists (staff)."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.list_exports import ListResource, date_col, label_col, number_col, text_col

from .models import Producer, Product


class ProducerListExport(ListResource):
    name = text_col("name", _("Name"))
    tax_code = text_col("tax_code", _("Tax or registration number"))
    kind = label_col("kind", _("Kind"))
    legal_representative = text_col("legal_representative", _("Legal representative"))
    address = text_col("address", _("Street address"))
    unit = text_col("unit__name", _("Commune / ward or district"))
    current_province = text_col("current_province__name", _("Province (today)"))
    province = text_col("province__name", _("Province as recorded"))
    phone = text_col("phone", _("Phone"))
    email = text_col("email", _("E-mail"))
    founding_year = number_col("founding_year", _("Founding year"))
    workers = number_col("workers", _("Number of workers"))
    products = number_col("export_product_count", _("Products"))
    created_at = date_col("created_at", _("Recorded on"))

    class Meta:
        model = Producer
        fields = (
            "name",
            "tax_code",
            "kind",
            "legal_representative",
            "address",
            "unit",
            "current_province",
            "province",
            "phone",
            "email",
            "founding_year",
            "workers",
            "products",
            "created_at",
        )
        export_order = fields

    def prepare(self, queryset):
        count = Product.objects.filter(producer=OuterRef("pk")).order_by().values("producer").annotate(n=Count("id"))
        return queryset.select_related("province", "current_province", "unit").annotate(
            export_product_count=Coalesce(Subquery(count.values("n")), 0)
        )


class ProductListExport(ListResource):
    product_id = text_col("pk", _("Product code"))
    name = text_col("name", _("Product name"))
    group_code = text_col("group__code", _("Product group code"))
    group = text_col("group__name", _("Product group"))
    producer = text_col("producer__name", _("Producer"))
    tax_code = text_col("producer__tax_code", _("Tax or registration number"))
    kind = text_col("producer__get_kind_display", _("Producer kind"))
    current_province = text_col("producer__current_province__name", _("Province (today)"))
    province = text_col("producer__province__name", _("Province as recorded"))
    created_at = date_col("created_at", _("Recorded on"))

    class Meta:
        model = Product
        fields = (
            "product_id",
            "name",
            "group_code",
            "group",
            "producer",
            "tax_code",
            "kind",
            "current_province",
            "province",
            "created_at",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related("group", "producer__province", "producer__current_province")
