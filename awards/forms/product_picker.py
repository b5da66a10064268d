"""The product select of the forms that record a decision taken outside a round (a recognition from the archive,
an OCOP rating): the products the staff member may record for, narrowed by a search on the page so the list stays
short, with the chosen product always kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect
from products.models import Product
from products.selectors import search_filter


def product_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose a product"),
        error_messages={"required": _("Choose the product."), "invalid_choice": _("Choose a product from the list.")},
    )


class ProductPickerMixin:
    """For a form with a `product` field (`product_field()`). A bound form validates against every product the
    user may record for; the list shown is narrowed by `query` to DISPLAY_LIMIT products."""

    DISPLAY_LIMIT = 300

    def set_products(self, products, query: str) -> None:
        self.products = products.select_related("producer").order_by("name", "id")
        self.fields["product"].label_from_instance = lambda p: f"{p.name} — {p.producer.name}"
        self.fields["product"].queryset = self.products if self.is_bound else self.shown_products(query)

    def shown_products(self, query):
        selected = self.data.get("product") if self.is_bound else self.initial.get("product")
        selected = getattr(selected, "pk", selected)
        matches = search_filter(self.products, query) if query else self.products
        keys = list(matches.values_list("pk", flat=True)[: self.DISPLAY_LIMIT])
        if str(selected or "").isdigit():
            keys.append(int(selected))
        return self.products.filter(pk__in=keys)

    def narrow(self, query):
        """After validation, show the narrowed list again (with the product chosen)."""
        self.fields["product"].queryset = self.shown_products(query)
