"""Back office of the registry. Who sees and changes what is decided by portal.core.admin (through
portal.core.access), as on the staff pages; Excel import and export run the staff import pages' resources."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.core.admin import ScopedAdminMixin, ScopedInlineMixin

from .models import AdministrativeUnit, Document, DocumentType, Organization, Producer, Product, ProductGroup
from .resources import ProducerResource, ProductResource
from .validators import validate_image_upload


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "level", "code", "parent", "successor", "is_current", "valid_until")
    list_filter = ("level", "is_current")
    search_fields = ("name", "full_name", "search_text", "codename")
    list_select_related = ("parent", "successor")
    raw_id_fields = ("parent", "successor")


class OrganizationAdminForm(forms.ModelForm):
    """The admin builds the fields from the model (no Meta here, so a new model field shows up by itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "emblem" in self.fields:
            self.fields["emblem"].widget.attrs["accept"] = "image/png,image/jpeg"
        if "heading_name" in self.fields:  # one or two lines, as printed
            self.fields["heading_name"].widget.attrs["rows"] = 2

    def clean_emblem(self):
        """The emblem is printed on certificates: a real PNG or JPEG, checked by content like every upload."""
        emblem = self.cleaned_data.get("emblem")
        if isinstance(emblem, UploadedFile):
            validate_image_upload(emblem)
        return emblem


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Kind and province are what give an organisation's staff their reach: only superusers set them (and so
    only superusers add organisations)."""

    form = OrganizationAdminForm

    # The form shows every field, the certificate number suffix and the emblem printed on certificates included.
    list_display = ("name", "kind", "province", "governing_body_line", "heading_name", "certificate_suffix")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    list_select_related = ("province",)


@admin.register(ProductGroup)
class ProductGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "order")


@admin.register(DocumentType)
class DocumentTypeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "scope", "has_expiry", "order")
    list_filter = ("scope",)


class ProductInline(ScopedInlineMixin, admin.TabularInline):
    """The producer's products, listed with a link to each: a product is added and changed on its own admin
    page (or the staff pages), which go through products.services (search text, history, checks)."""

    model = Product
    fields = ("name", "group")
    readonly_fields = ("name", "group")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Producer)
class ProducerAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProducerResource]
    list_display = ("name", "tax_code", "kind", "current_province", "province", "is_generated")
    list_filter = ("kind", "is_generated", ("current_province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "tax_code", "search_text")
    list_select_related = ("current_province", "province")
    raw_id_fields = ("unit",)
    inlines = [ProductInline]
    readonly_fields = ("current_province",)

    def save_model(self, request, obj, form, change):
        from . import services

        data = {f: form.cleaned_data[f] for f in services.PRODUCER_FIELDS if f in form.cleaned_data}
        if change:
            services.producer_update(producer=obj, **data)
        else:
            created = services.producer_create(created_by=request.user, **data)
            obj.pk = created.pk


@admin.register(Product)
class ProductAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProductResource]
    list_display = ("name", "producer", "group", "is_generated")
    list_filter = ("group", "is_generated")
    search_fields = ("name", "search_text")
    list_select_related = ("producer", "group")
    autocomplete_fields = ("producer",)

    def save_model(self, request, obj, form, change):
        from . import services

        data = {f: form.cleaned_data[f] for f in services.PRODUCT_FIELDS if f in form.cleaned_data}
        if change:
            services.product_update(product=obj, **data)
        else:
            created = services.product_create(producer=form.cleaned_data["producer"], created_by=request.user, **data)
            obj.pk = created.pk


@admin.register(Document)
class DocumentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Documents are uploaded on the portal pages (which check files by content); here staff correct their
    details."""

    def has_add_permission(self, request):
        return False

    list_display = ("doc_type", "number", "producer", "product", "issue_date", "expiry_date")
    list_filter = ("doc_type",)
    search_fields = ("number", "producer__search_text")
    list_select_related = ("doc_type", "producer", "product")
    raw_id_fields = ("producer", "product")
    # The stored file is shown as a link to the portal's file view (permission-checked, served by content);
    # the storage address (MEDIA_URL) is never served.
    exclude = ("file",)
    readonly_fields = ("original_name", "content_type", "file_link")

    @admin.display(description=_("file"))
    def file_link(self, obj):
        if obj is None or not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_file_url(), obj.original_name or obj.uid)
