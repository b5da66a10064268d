"""What the admin pages of a product's recorded decisions (recognitions, OCOP ratings) share: the producer column,
product search and autocomplete, and the signed-in user handed to the form (whose services check the reach)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ProductRecordAdminMixin:
    search_fields = ("product__name", "product__producer__name", "decision_number")
    autocomplete_fields = ("product",)

    @admin.display(description=_("producer"), ordering="product__producer__name")
    def producer_name(self, obj):
        return obj.product.producer.name

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form
