"""A producer's own pages: its profile, its products, photos and documents. Nothing of another producer.

Its establishment's page and its product pages show its awards too: portal serves them (portal/producer_record.py,
portal/registry_pages.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import ProvinceScope, Reach

from .. import services
from ..forms import ProducerForm, ProductCreateForm
from ..selectors import producer_products
from .common import (
    AddressConfirmBase,
    DocumentAddBase,
    PhotoAddBase,
    PhotoDeleteBase,
    ProducerAudience,
    ProductUpdateBase,
    apply_validation_error,
)
from .staff import product_create_with_photos, product_duplicate_warning


class ProfileUpdateView(ProducerAudience, View):
    template_name = "products/producer/profile_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": self.form(instance=self.producer)})

    def post(self, request):
        form = self.form(request.POST, instance=self.producer)
        if form.is_valid():
            try:
                services.producer_update(producer=self.producer, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your producer profile is saved."))
                return redirect("products:producer.profile")
        return render(request, self.template_name, {"form": form}, status=400)

    def form(self, *args, **kwargs):
        # A producer's province today decides which department sees it: the producer may switch between the
        # province it was recorded with and today's one (the same department), never to another province.
        form = ProducerForm(*args, scope=ProvinceScope(Reach.PROVINCE, self.producer.current_province_id), **kwargs)
        form.fields["province"].help_text = _(
            "To move the establishment to another province, ask the Department of Industry and Trade."
        )
        # The tax code identifies the producer; only the department may correct it.
        form.fields["tax_code"].disabled = True
        form.fields["tax_code"].help_text = _("Only the Department of Industry and Trade can correct the tax code.")
        return form


class ProductListView(ProducerAudience, View):
    def get(self, request):
        return render(
            request,
            "products/producer/product_list.html",
            {"products": producer_products(self.producer), "producer": self.producer},
        )


class ProductCreateView(ProducerAudience, View):
    template_name = "products/shared/product_form.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": ProductCreateForm(), "producer": self.producer, "audience": self.audience},
        )

    def post(self, request):
        form = ProductCreateForm(request.POST, request.FILES)
        warning = {}
        if form.is_valid():
            warning = product_duplicate_warning(self, form, self.producer)
            product = None if warning else product_create_with_photos(form, producer=self.producer, user=request.user)
            if product is not None:
                messages.success(request, _("The product is saved."))
                return redirect(self.product_url(product))
        context = {"form": form, "producer": self.producer, "audience": self.audience, **warning}
        return render(request, self.template_name, context, status=400)


class ProductUpdateView(ProducerAudience, ProductUpdateBase):
    pass


class PhotoAddView(ProducerAudience, PhotoAddBase):
    pass


class PhotoDeleteView(ProducerAudience, PhotoDeleteBase):
    pass


class DocumentAddView(ProducerAudience, DocumentAddBase):
    pass


class AddressConfirmView(ProducerAudience, AddressConfirmBase):
    pass
