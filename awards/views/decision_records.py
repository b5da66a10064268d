"""The base of the pages that record a decision taken outside a round for one product (a recognition from the
paper archive, an OCOP rating): a product chosen from a searchable list (`?q=` narrows it, `?product=` comes from
a product's page), a service call, the product's page on success, the form again with the reasons otherwise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from products.selectors import products_visible_to
from products.views.common import apply_validation_error


class DecisionRecordView(View):
    template_name: str
    form_class: type
    refusal: str  # shown when the service refuses the user

    def products(self):
        return products_visible_to(self.request.user)

    def form_kwargs(self) -> dict:
        return {}

    def form(self, data=None):
        initial = {}
        product = self.request.GET.get("product", "")
        if product.isdigit():
            initial["product"] = int(product)
        return self.form_class(
            data, initial=initial, products=self.products(), query=self.query(), **self.form_kwargs()
        )

    def query(self):
        return (self.request.POST.get("q") or self.request.GET.get("q") or "").strip()

    def record(self, data: dict):
        """Save through the service; returns the record (with a `product`)."""
        raise NotImplementedError

    def recorded_message(self, record, data: dict) -> str:
        raise NotImplementedError

    def refused(self, form, exc: ValidationError) -> None:
        apply_validation_error(form, exc)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                record = self.record(form.cleaned_data)
            except ValidationError as exc:
                self.refused(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or self.refusal)
            else:
                messages.success(request, self.recorded_message(record, form.cleaned_data))
                return redirect(record.product.get_absolute_url())
        form.narrow(self.query())
        return self.render(form, status=400)

    def context(self, form) -> dict:
        return {}

    def render(self, form, status=200):
        context = {"form": form, "q": self.query(), **self.context(form)}
        return render(self.request, self.template_name, context, status=status)
