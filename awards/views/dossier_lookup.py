"""Public lookup of a dossier by its receipt code and the producer's tax code, without signing in. Rate-limited
exactly as the certificate verification (the same per-address budget, VERIFY_RATE). A code that does not exist
and a tax code that does not match get one and the same answer, so the page cannot be used to find out which
receipt codes exist. The form is sent by POST: a household business's tax code is its owner's personal
identification number, which must not travel in an address (server logs, browser history, Referer)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from ..selectors import dossier_status
from .verify import _limited, _private, _too_many

TEMPLATE = "awards/public/dossier_lookup.html"
NOT_FOUND = _(
    "No dossier matches this receipt code and tax code. Check both against the receipt the department gave you."
)


class DossierLookupForm(forms.Form):
    receipt_code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("As printed on the receipt, e.g. CB-2026-T-0001."),
        error_messages={"required": _("Enter the dossier's receipt code, e.g. CB-2026-T-0001.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    tax_code = forms.CharField(
        label=_("Producer's tax code"),
        max_length=30,
        help_text=_("10 digits, 10 digits and 3 more for a branch, or a household business's 12-digit number."),
        error_messages={"required": _("Enter the tax code of the producer who sent the dossier.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )


class DossierLookupView(View):
    def get(self, request):
        """The empty form, always (codes in an old link's query are not looked up)."""
        return render(request, TEMPLATE, {"form": DossierLookupForm()})

    def post(self, request):
        if _limited(request):
            return _too_many(request, "awards/public/dossier_lookup_limited.html")
        form = DossierLookupForm(request.POST)
        if not form.is_valid():
            return _private(render(request, TEMPLATE, {"form": form}, status=400))
        dossier = dossier_status(**form.cleaned_data)
        if dossier is None:
            form.add_error(None, NOT_FOUND)
            return _private(render(request, TEMPLATE, {"form": form}, status=404))
        return _private(render(request, TEMPLATE, {"form": form, "dossier": dossier}))
