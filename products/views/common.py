"""Pieces shared by the staff and producer pages: the product/photo/document
views whose behaviour is the same for both audiences (only templates, querysets and links differ)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core import audience
from portal.core.access import allows
from portal.core.files import OCTET_STREAM, PDF, PNG, generated_file, serve_file

from .. import services
from ..access import can_manage_product
from ..forms import DocumentForm, PhotoForm, ProducerAddressForm, ProductForm
from ..models import Document, Product, ProductPhoto
from ..previews import MAX_PREVIEW_PAGES, PreviewError, page_png
from ..selectors import producers_visible_to, product_history, product_photos, products_visible_to
from ..validators import DOCUMENT_TYPES, IMAGE_TYPES


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names where possible."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class StaffAudience(audience.StaffAudience):
    def get_product_queryset(self):
        return products_visible_to(self.request.user)

    def get_producer(self, pk):
        return get_object_or_404(producers_visible_to(self.request.user), pk=pk)

    def product_url(self, product):
        return reverse("products:staff.product.detail", args=[product.pk])

    def producer_url(self, producer):
        return reverse("products:staff.producer.detail", args=[producer.pk])


class ProducerAudience(audience.ProducerAudience):
    def get_product_queryset(self):
        return Product.objects.filter(producer=self.producer)

    def get_producer(self, pk=None):
        return self.producer

    def product_url(self, product):
        return reverse("products:producer.product.detail", args=[product.pk])

    def producer_url(self, producer):
        return reverse("products:producer.profile")


class AddressConfirmBase(View):
    """The producer's address in today's units (commune/ward, province), confirmed by the producer or by its
    province's staff; combined with StaffAudience or ProducerAudience."""

    template_name = "products/shared/address_confirm.html"

    def get(self, request, pk=None):
        producer = self.get_producer(pk)
        return self.render(producer, ProducerAddressForm(producer=producer))

    def post(self, request, pk=None):
        producer = self.get_producer(pk)
        form = ProducerAddressForm(request.POST, producer=producer)
        if form.is_valid():
            try:
                services.producer_confirm_address(producer=producer, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("The address in today's units is saved; documents issued from now on print it.")
                )
                return redirect(self.producer_url(producer))
        return self.render(producer, form, status=400)

    def render(self, producer, form, status=200):
        context = {"form": form, "producer": producer, "audience": self.audience, "back": self.producer_url(producer)}
        return render(self.request, self.template_name, context, status=status)


class ProductPageMixin:
    """Looks up a product the user may manage; combined with StaffAudience or ProducerAudience."""

    def get_product(self, pk):
        product = get_object_or_404(self.get_product_queryset().select_related("producer", "group"), pk=pk)
        if not can_manage_product(self.request.user, product)[0]:
            raise Http404
        return product

    def template(self, name):
        return f"products/shared/{name}"


class ProductDetailBase(ProductPageMixin, View):
    """A product's page; the view that serves it (portal/registry_pages.py) adds the panels of other apps."""

    template_name = "products/shared/product_detail.html"

    def get(self, request, pk):
        product = self.get_product(pk)
        context = {
            "product": product,
            "photos": product_photos(product),
            "documents": product.documents.select_related("doc_type"),
            "history": product_history(product),
            "photo_form": PhotoForm(),
            "audience": self.audience,
            **self.extra_context(product),
        }
        return render(request, self.template_name, context)

    def extra_context(self, product) -> dict:
        return {}


class ProductUpdateBase(ProductPageMixin, View):
    def get(self, request, pk):
        product = self.get_product(pk)
        return self.render(product, ProductForm(instance=product))

    def post(self, request, pk):
        product = self.get_product(pk)
        form = ProductForm(request.POST, instance=product)
        if form.is_valid():
            try:
                services.product_update(product=product, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The product is saved."))
                return redirect(self.product_url(product))
        return self.render(product, form)

    def render(self, product, form):
        return render(
            self.request,
            self.template("product_form.html"),
            {"form": form, "product": product, "producer": product.producer, "audience": self.audience},
        )


class PhotoAddBase(ProductPageMixin, View):
    def get(self, request, pk):
        product = self.get_product(pk)
        return self.render(product, PhotoForm())

    def post(self, request, pk):
        product = self.get_product(pk)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                for image in form.cleaned_data["photos"]:
                    services.photo_add(product=product, image=image, caption=form.cleaned_data["caption"])
            messages.success(request, _("%(count)d photo(s) added.") % {"count": len(form.cleaned_data["photos"])})
            return redirect(self.product_url(product))
        return self.render(product, form, status=400)

    def render(self, product, form, status=200):
        return render(
            self.request,
            self.template("photo_form.html"),
            {"form": form, "product": product, "audience": self.audience},
            status=status,
        )


class PhotoDeleteBase(ProductPageMixin, View):
    def post(self, request, pk, photo_pk):
        product = self.get_product(pk)
        photo = get_object_or_404(ProductPhoto, pk=photo_pk, product=product)
        services.photo_delete(photo=photo)
        messages.success(request, _("The photo is removed."))
        return redirect(self.product_url(product))


class DocumentAddBase(View):
    """Add a document to a producer (optionally for one of its products)."""

    def get(self, request, pk=None):
        producer = self.get_producer(pk)
        product = self._product(producer)
        return self.render(producer, DocumentForm(producer=producer, product=product), product)

    def post(self, request, pk=None):
        producer = self.get_producer(pk)
        product = self._product(producer)
        form = DocumentForm(request.POST, request.FILES, producer=producer, product=product)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "product")}
            try:
                services.document_add(
                    producer=producer, product=form.cleaned_data["product"], file=form.cleaned_data["file"], **data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The document is saved."))
                saved_for = form.cleaned_data["product"]
                return redirect(self.product_url(saved_for) if saved_for else self.producer_url(producer))
        return self.render(producer, form, product, status=400)

    def _product(self, producer):
        product_id = self.request.GET.get("product") or self.request.POST.get("product")
        if product_id and str(product_id).isdigit():
            return producer.products.filter(pk=product_id).first()
        return None

    def render(self, producer, form, product, status=200):
        return render(
            self.request,
            "products/shared/document_form.html",
            {"form": form, "producer": producer, "product": product, "audience": self.audience},
            status=status,
        )


class PrivateFileView(View):
    """Streams an uploaded file after checking that the user may see the product or producer it belongs to.
    Uploaded files have no public URL."""

    def get(self, request, uid):
        if not request.user.is_authenticated:
            raise Http404
        obj = self.get_object(uid)
        if not can_manage_product_or_producer(request.user, obj):
            raise Http404
        # The type stored at upload, read from the whole content (never from a name); see portal.core.files.
        return serve_file(
            self.file_field(obj),
            content_type=obj.content_type if obj.content_type in self.allowed_types else OCTET_STREAM,
            name=obj.original_name,
            default_stem=str(obj.uid),
            as_attachment=request.GET.get("download") == "1",
        )


def can_manage_product_or_producer(user, obj) -> bool:
    """A stored photo or document is read by whoever may manage its product or producer (portal.core.access)."""
    return allows(user, obj)


class PhotoFileView(PrivateFileView):
    allowed_types = IMAGE_TYPES

    def get_object(self, uid):
        return get_object_or_404(ProductPhoto.objects.select_related("product__producer"), uid=uid)

    def file_field(self, obj):
        return obj.image


class DocumentFileView(PrivateFileView):
    allowed_types = DOCUMENT_TYPES

    def get_object(self, uid):
        return get_object_or_404(Document.objects.select_related("producer"), uid=uid)

    def file_field(self, obj):
        return obj.file


class DocumentPageView(DocumentFileView):
    """Page `page` of a stored PDF document as a PNG drawn by the portal (products.previews), under the same
    permission as the file itself; 404 for a document that is not a PDF or has no such page."""

    def get(self, request, uid, page):
        if not request.user.is_authenticated:
            raise Http404
        document = self.get_object(uid)
        if not can_manage_product_or_producer(request.user, document) or document.content_type != PDF:
            raise Http404
        if page > MAX_PREVIEW_PAGES:
            raise Http404
        try:
            image = page_png(document.file, page)
        except PreviewError as exc:
            raise Http404 from exc
        return generated_file(image, content_type=PNG, filename=f"{document.uid}-{page}.png")
