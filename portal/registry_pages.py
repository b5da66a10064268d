"""The registry's pages that show awards beside products: the staff lists with the filter by the highest level
reached, a product's page with its recognitions by level and its OCOP ratings, and the producer's own profile with
the OCOP ratings of its products. products imports no other app,
so portal serves these pages, on products' views, under the `products` namespace (portal/record_urls.py)."""

from django.shortcuts import render
from django.urls import reverse
from django.views import View

from awards.models import OcopRating, Recognition
from awards.selectors.guidance import producer_next_steps
from products.selectors import producer_documents, producer_history, producer_products
from products.views import staff
from products.views.common import ProducerAudience, ProductDetailBase, StaffAudience

from .registry_filters import ProducerFilter, ProductFilter


class ProducerListView(staff.ProducerListView):
    filterset_class = ProducerFilter


class ProductListView(staff.ProductListView):
    filterset_class = ProductFilter


def product_recognitions(product):
    """The product's recognitions by level and year, to trace it across levels."""
    recognitions = Recognition.objects.filter(product=product).select_related("level", "product")
    return recognitions.order_by("level__rank", "year")


def product_ocop_ratings(product) -> list:
    """Newest decision first: the first is the latest (templates/awards/components/ocop_history.html)."""
    return list(OcopRating.objects.filter(product=product).select_related("product").order_by("-decision_date", "-pk"))


def producer_ocop_ratings(producer) -> list:
    """By product, newest decision first: the first of each product is its latest (ocop_history.html)."""
    ratings = OcopRating.objects.filter(product__producer=producer).select_related("product")
    return list(ratings.order_by("product__name", "product_id", "-decision_date", "-pk"))


class ProfileView(ProducerAudience, View):
    def get(self, request):
        producer = self.producer
        return render(
            request,
            "portal/producer_profile.html",
            {
                "producer": producer,
                "next_steps": producer_next_steps(producer),
                "products": producer_products(producer),
                "documents": producer_documents(producer),
                "history": producer_history(producer),
                "ocop_ratings": producer_ocop_ratings(producer),
                "audience": self.audience,
            },
        )


class StaffProductDetailView(StaffAudience, ProductDetailBase):
    template_name = "portal/product_detail.html"

    def extra_context(self, product) -> dict:
        return {
            "recognitions": product_recognitions(product),
            "ocop_ratings": product_ocop_ratings(product),
            "ocop_record_url": f"{reverse('awards:staff.ocop.create')}?product={product.pk}",
            "show_recognitions": True,
            "record_url": f"{reverse('awards:staff.recognition.create')}?product={product.pk}",
            "trace_url": reverse("record:staff.product", args=[product.pk]),
        }


class ProducerProductDetailView(ProducerAudience, ProductDetailBase):
    template_name = "portal/product_detail.html"

    def extra_context(self, product) -> dict:
        return {
            "ocop_ratings": product_ocop_ratings(product),
            "trace_url": reverse("record:producer.product", args=[product.pk]),
        }
