"""Department staff: the registry of producers and products of their province (all, for a superuser).

The producer's page, the product's page and the two lists show awards beside the registry: portal serves them
(portal/producer_record.py, portal/registry_pages.py), on the list views and the bases defined here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from portal.core.access import is_staff, province_scope, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin

from .. import services
from ..duplicates import confirmed, producer_with_same_name, product_with_same_name
from ..filters import ProducerFilter, ProductFilter
from ..forms import ProducerForm, ProductCreateForm
from ..list_exports import ProducerListExport, ProductListExport
from ..selectors import producer_list, producers_visible_to
from ..selectors import product_list as product_list_selector
from .common import (
    AddressConfirmBase,
    DocumentAddBase,
    PhotoAddBase,
    PhotoDeleteBase,
    ProductUpdateBase,
    StaffAudience,
    apply_validation_error,
)

PAGE_SIZE = 25


class ProducerListView(requires(is_staff), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = ProducerFilter
    export_resource_class = ProducerListExport
    export_filename = "co-so-san-xuat"
    export_title = gettext_lazy("Producers")
    template_name = "products/staff/producer_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "producers"

    def get_queryset(self):
        return producer_list(self.request.user)


class ProductListView(requires(is_staff), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = ProductFilter
    export_resource_class = ProductListExport
    export_filename = "san-pham"
    export_title = gettext_lazy("Products")
    template_name = "products/staff/product_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "products"

    def get_queryset(self):
        return product_list_selector(self.request.user)


def _form_scope(user) -> dict:
    """Staff record producers of their own province (today's, or one of the provinces it absorbed)."""
    return {"allow_historical": True, "scope": province_scope(user, write=True)}


class ProducerCreateView(requires(is_staff), View):
    template_name = "products/staff/producer_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ProducerForm(**_form_scope(request.user))})

    def post(self, request):
        form = ProducerForm(request.POST, **_form_scope(request.user))
        duplicate = None
        if form.is_valid():
            if not confirmed(request.POST):  # the same name in the same province: warn, with a link to it
                data = form.cleaned_data
                duplicate = producer_with_same_name(data["name"], data["province"], producers_visible_to(request.user))
            if duplicate is None:
                try:
                    producer = services.producer_create(created_by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, _("The producer is saved."))
                    return redirect(producer.get_absolute_url())
        context = {"form": form, "duplicate": duplicate}
        if duplicate is not None:
            context["duplicate_url"] = duplicate.get_absolute_url()
        return render(request, self.template_name, context, status=400)


class ProducerUpdateView(StaffAudience, View):
    template_name = "products/staff/producer_form.html"

    def get(self, request, pk):
        producer = self.get_producer(pk)
        return render(
            request,
            self.template_name,
            {"form": ProducerForm(instance=producer, **_form_scope(request.user)), "producer": producer},
        )

    def post(self, request, pk):
        producer = self.get_producer(pk)
        form = ProducerForm(request.POST, instance=producer, **_form_scope(request.user))
        if form.is_valid():
            try:
                services.producer_update(producer=producer, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The producer is saved."))
                return redirect(producer.get_absolute_url())
        return render(request, self.template_name, {"form": form, "producer": producer}, status=400)


class ProductCreateView(StaffAudience, View):
    template_name = "products/shared/product_form.html"

    def get(self, request, pk):
        producer = self.get_producer(pk)
        return render(
            request, self.template_name, {"form": ProductCreateForm(), "producer": producer, "audience": self.audience}
        )

    def post(self, request, pk):
        producer = self.get_producer(pk)
        form = ProductCreateForm(request.POST, request.FILES)
        warning = {}
        if form.is_valid():
            warning = product_duplicate_warning(self, form, producer)
            product = None if warning else product_create_with_photos(form, producer=producer, user=request.user)
            if product is not None:
                messages.success(request, _("The product is saved."))
                return redirect(self.product_url(product))
        context = {"form": form, "producer": producer, "audience": self.audience, **warning}
        return render(request, self.template_name, context, status=400)


def product_duplicate_warning(view, form, producer) -> dict:
    """The warning's context when one of the producer's products already has the name typed (folded), unless the
    user ticked "create it anyway"; else empty."""
    if confirmed(view.request.POST):
        return {}
    existing = product_with_same_name(form.cleaned_data["name"], producer)
    return {"duplicate": existing, "duplicate_url": view.product_url(existing)} if existing else {}


def product_create_with_photos(form, *, producer, user):
    """Create the product and its photos in one transaction; on a refusal the form gets the errors."""
    data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
    try:
        with transaction.atomic():
            product = services.product_create(producer=producer, created_by=user, **data)
            for image in form.cleaned_data.get("photos") or []:
                services.photo_add(product=product, image=image)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    return product


class ProductUpdateView(StaffAudience, ProductUpdateBase):
    pass


class PhotoAddView(StaffAudience, PhotoAddBase):
    pass


class PhotoDeleteView(StaffAudience, PhotoDeleteBase):
    pass


class DocumentAddView(StaffAudience, DocumentAddBase):
    pass


class AddressConfirmView(StaffAudience, AddressConfirmBase):
    pass
