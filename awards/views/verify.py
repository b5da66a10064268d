"""Public verification of a certificate: the QR code's target, and a search by the printed number plus the
producer's tax code. Rate-limited per client address; an unknown code gets a friendly page and reveals nothing."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_ratelimit.decorators import ratelimit

from ..enums import CertificateState
from ..models import Certificate

limited = method_decorator(ratelimit(key="ip", rate=lambda group, request: settings.VERIFY_RATE, block=False))


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=50, help_text=_("As printed, e.g. 125/GCN-SCT."))
    tax_code = forms.CharField(label=_("Producer's tax or registration number"), max_length=14)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_tax_code(self):
        return "".join(self.cleaned_data["tax_code"].split())


def _too_many(request):
    return render(request, "awards/public/verify_limited.html", status=429)


class VerifySearchView(View):
    @limited
    def get(self, request):
        if not request.GET:
            return render(request, "awards/public/verify_search.html", {"form": VerifyForm()})
        if getattr(request, "limited", False):
            return _too_many(request)
        form = VerifyForm(request.GET)
        if form.is_valid():
            certificate = (
                Certificate.objects.filter(
                    number__iexact=form.cleaned_data["number"],
                    recognition__product__producer__tax_code=form.cleaned_data["tax_code"],
                )
                .order_by("-year", "-serial")
                .first()
            )
            if certificate is not None:
                return redirect("awards:verify.detail", code=certificate.code)
            form.add_error(
                None,
                _("No certificate matches this number and tax code. Check both as printed on the certificate."),
            )
        return render(
            request, "awards/public/verify_search.html", {"form": form}, status=404 if form.is_valid() else 400
        )


class VerifyDetailView(View):
    @limited
    def get(self, request, code):
        if getattr(request, "limited", False):
            return _too_many(request)
        certificate = (
            Certificate.objects.select_related("replaced_by").filter(code=code.strip().upper()).first()
            if len(code) <= 40
            else None
        )
        if certificate is None:
            return render(request, "awards/public/verify_not_found.html", {"form": VerifyForm()}, status=404)
        response = render(
            request,
            "awards/public/verify_detail.html",
            {"c": certificate, "state": certificate.state(), "State": CertificateState},
        )
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
