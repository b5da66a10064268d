"""Public verification of a certificate: the QR code's target, and a search by the printed number plus the
producer's tax code. No sign-in. Rate-limited per client address (VERIFY_RATE, one budget shared by both
pages); an unknown, malformed or over-long code gets the same friendly page and reveals nothing else.

Every answer about a certificate is sent with `Cache-Control: no-store` (a revocation shows at once, and a
shared computer keeps no copy) and `X-Robots-Tag: noindex` (certificates must not turn up in search engines)."""

import re

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from products.tax_codes import normalise_tax_code, tax_code_form

from ..enums import CertificateState
from ..models import Certificate
from ..models.certificates import CODE_ALPHABET, CODE_LENGTH

RATE_GROUP = "awards.verify"


def _rate(group, request):
    return settings.VERIFY_RATE


def _limited(request) -> bool:
    """Count this lookup against the client's budget; True once the budget is spent."""
    return is_ratelimited(request, group=RATE_GROUP, key="ip", rate=_rate, increment=True)


def _private(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate in seconds: "30/m" -> 60, "100/5m" -> 300."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", rate)
    return int(match[1] or 1) * PERIODS[match[2]] if match else 60


def _too_many(request):
    response = render(request, "awards/public/verify_limited.html", status=429)
    response["Retry-After"] = str(_period_seconds(settings.VERIFY_RATE))
    return _private(response)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=50, help_text=_("As printed, e.g. 125/GCN-SCT."))
    tax_code = forms.CharField(label=_("Producer's tax or registration number"), max_length=20)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_tax_code(self):
        # 10 digits, 10-3 or 12 digits: anything else is refused with its reason, without a database query.
        tax_code = normalise_tax_code(self.cleaned_data["tax_code"])
        tax_code_form(tax_code)
        return tax_code


def _normalised_code(code: str) -> str | None:
    """The code as stored (upper case, no spaces), or None when it cannot be one: no database query for it."""
    code = "".join(code.split()).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


class VerifySearchView(View):
    def get(self, request):
        if not request.GET:
            return render(request, "awards/public/verify_search.html", {"form": VerifyForm()})
        if _limited(request):
            return _too_many(request)
        form = VerifyForm(request.GET)
        if not form.is_valid():
            return _private(render(request, "awards/public/verify_search.html", {"form": form}, status=400))
        certificate = (
            Certificate.objects.filter(
                number__iexact=form.cleaned_data["number"],
                recognition__product__producer__tax_code=form.cleaned_data["tax_code"],
            )
            .order_by("-year", "-serial")
            .only("code")
            .first()
        )
        if certificate is not None:
            return _private(redirect("awards:verify.detail", code=certificate.code))
        form.add_error(
            None, _("No certificate matches this number and tax code. Check both as printed on the certificate.")
        )
        return _private(render(request, "awards/public/verify_search.html", {"form": form}, status=404))


class VerifyDetailView(View):
    def get(self, request, code):
        if _limited(request):
            return _too_many(request)
        code = _normalised_code(code)
        certificate = (
            Certificate.objects.select_related("issuing_body", "replaced_by").filter(code=code).first()
            if code
            else None
        )
        if certificate is None:
            return _private(render(request, "awards/public/verify_not_found.html", {"form": VerifyForm()}, status=404))
        state = certificate.state()
        return _private(
            render(
                request,
                "awards/public/verify_detail.html",
                {"c": certificate, "state": state, "State": CertificateState},
            )
        )
