"""django-import-export resources for the admin's Excel/CSV import and export of the registry."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import AdministrativeUnit, Producer, Product, ProductGroup
from .services import producer_search_text, product_search_text


class ProducerResource(resources.ModelResource):
    province = fields.Field(
        attribute="province",
        column_name="province_code",
        widget=ForeignKeyWidget(AdministrativeUnit, field="code"),
    )

    class Meta:
        model = Producer
        import_id_fields = ["tax_code"]
        fields = (
            "tax_code",
            "name",
            "kind",
            "legal_representative",
            "representative_title",
            "address",
            "province",
            "phone",
            "email",
            "website",
            "founding_year",
            "workers",
        )
        export_order = fields
        use_bulk = False
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        # Province codes in a file are today's codes; historical provinces are chosen in the portal's form.
        self.fields["province"].widget = ForeignKeyWidget(
            AdministrativeUnit, field="code", use_natural_foreign_keys=False
        )
        self.fields["province"].widget.get_queryset = lambda value, row, *a, **k: AdministrativeUnit.objects.filter(
            level="province", is_current=True
        )

    def before_save_instance(self, instance, row, **kwargs):
        instance.current_province_id = instance.province.today_province_id
        instance.search_text = producer_search_text(instance)


class ProductResource(resources.ModelResource):
    producer = fields.Field(
        attribute="producer", column_name="producer_tax_code", widget=ForeignKeyWidget(Producer, field="tax_code")
    )
    group = fields.Field(
        attribute="group", column_name="group_code", widget=ForeignKeyWidget(ProductGroup, field="code")
    )

    class Meta:
        model = Product
        fields = ("id", "name", "producer", "group", "description")
        export_order = fields
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.search_text = product_search_text(instance, instance.producer)
