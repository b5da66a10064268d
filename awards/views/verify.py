"""Public verification of a certificate: the QR code's target, and a search from the paper — by the verification
code typed by hand, or by the printed number, its year and the producer's name or tax code. No sign-in.
Rate-limited per client address (VERIFY_RATE, one budget shared by every lookup); an unknown, malformed or
over-long code gets the same friendly page and reveals nothing else.

A number alone never identifies a certificate: numbers restart every year for every issuing body, so "1/GCN-UBND"
exists once a year in each province. A number lookup needs the year and the producer, and must match exactly one
certificate; otherwise the visitor is told what to add, never shown one of several.

Every answer about a certificate is sent with `Cache-Control: no-store` (a revocation shows at once, and a
shared computer keeps no copy) and `X-Robots-Tag: noindex` (certificates must not turn up in search engines)."""

import datetime
import re

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from products.search import ABBREVIATIONS, fold

from ..enums import CertificateState
from ..models import Certificate
from ..models.certificates import CODE_LENGTH, KEY_ALPHABET, LOOKALIKES, code_key, typed_code_characters

RATE_GROUP = "awards.verify"
FIRST_YEAR = 2012


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


def _too_many(request, template="awards/public/verify_limited.html"):
    response = render(request, template, status=429)
    response["Retry-After"] = str(_period_seconds(settings.VERIFY_RATE))
    return _private(response)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=80,
        help_text=_(
            "The 20 characters printed next to the QR code. Spaces, dashes and small or capital letters do not matter."
        ),
        error_messages={"required": _("Enter the verification code printed on the certificate.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        typed = self.cleaned_data["code"]
        key = code_key(typed)
        if key is not None:
            return key
        characters = typed_code_characters(typed)
        known = KEY_ALPHABET | set("".join(LOOKALIKES.values()))
        foreign = sorted({ch for ch in characters if ch not in known})
        if foreign:
            raise forms.ValidationError(
                _("A verification code has only letters and digits; “%(chars)s” is not part of one."),
                params={"chars": " ".join(foreign)},
            )
        raise forms.ValidationError(
            _("A verification code has %(length)d letters and digits; %(count)d were entered."),
            params={"length": CODE_LENGTH, "count": len(characters)},
        )


def _alphanumeric(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


class NumberForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=50,
        help_text=_("As printed, e.g. 125/GCN-SCT."),
        error_messages={"required": _("Enter the certificate number as printed, e.g. 125/GCN-SCT.")},
    )
    year = forms.IntegerField(
        label=_("Year of issue"),
        min_value=FIRST_YEAR,
        max_value=2100,
        help_text=_("Printed with the number (“năm 2026”): every year the numbers start again from 1."),
        error_messages={"required": _("Enter the year of issue printed with the number: numbers repeat every year.")},
    )
    holder = forms.CharField(
        label=_("Producer's name or tax code"),
        max_length=255,
        help_text=_("The producer's name as printed (accents and capitals do not matter), or its tax code."),
        error_messages={"required": _("Enter the producer's name as printed on the certificate, or its tax code.")},
    )

    def clean_number(self):
        number = "".join(self.cleaned_data["number"].split()).upper()
        return number.replace("–", "-").replace("—", "-")

    def clean_holder(self):
        holder = self.cleaned_data["holder"]
        if not _alphanumeric(holder):
            raise forms.ValidationError(_("Enter the producer's name as printed on the certificate, or its tax code."))
        return holder


def _words(name: str) -> str:
    """A name folded (no accents, lower case, punctuation as spaces), abbreviations spelt out, padded."""
    words = re.sub(r"\W+", " ", fold(name)).split()
    return " " + " ".join(ABBREVIATIONS.get(w, w) for w in words) + " "


def _holder_matches(holder: str, producer_name: str, tax_code: str) -> bool:
    """The tax code typed (spaces and dashes aside), or the name: all of it or whole words of it, without
    accents or capitals ("HTX Tâm Hòa" and "tam hoa" both match "Hợp tác xã Tâm Hòa"; "Tâm" alone, too)."""
    if _alphanumeric(holder) == _alphanumeric(tax_code or ""):
        return True
    return _words(holder) in _words(producer_name)


def certificates_by_number(number: str, year: int, holder: str) -> list[str]:
    """The verification codes of the certificates with this number, issued that year, to that producer."""
    candidates = Certificate.objects.filter(number__iexact=number, year=year).values_list(
        "code", "producer_name", "recognition__product__producer__tax_code"
    )
    return [code for code, name, tax_code in candidates if _holder_matches(holder, name, tax_code)]


def _search_page(request, code_form=None, number_form=None, status=200):
    context = {"code_form": code_form or CodeForm(), "number_form": number_form or NumberForm()}
    return _private(render(request, "awards/public/verify_search.html", context, status=status))


class VerifySearchView(View):
    def get(self, request):
        if not request.GET:
            return render(
                request, "awards/public/verify_search.html", {"code_form": CodeForm(), "number_form": NumberForm()}
            )
        if _limited(request):
            return _too_many(request)
        if "code" in request.GET:
            return self.by_code(request)
        return self.by_number(request)

    def by_code(self, request):
        form = CodeForm(request.GET)
        if not form.is_valid():
            return _search_page(request, code_form=form, status=400)
        certificate = _by_key(form.cleaned_data["code"])
        if certificate is not None:
            return _private(redirect("awards:verify.detail", code=certificate.code))
        form.add_error("code", _("No certificate has this verification code. Check it against the certificate."))
        return _search_page(request, code_form=form, status=404)

    def by_number(self, request):
        form = NumberForm(request.GET)
        if not form.is_valid():
            return _search_page(request, number_form=form, status=400)
        codes = certificates_by_number(**form.cleaned_data)
        if len(codes) == 1:
            return _private(redirect("awards:verify.detail", code=codes[0]))
        if codes:
            form.add_error(
                "holder",
                _(
                    "Several certificates of that year carry this number and name: enter the producer's tax code "
                    "instead of the name, or search by the verification code."
                ),
            )
            return _search_page(request, number_form=form, status=400)
        form.add_error(
            None,
            _(
                "No certificate matches this number, year and producer. Check them as printed on the certificate, "
                "or search by the verification code."
            ),
        )
        return _search_page(request, number_form=form, status=404)


def _by_key(key: str | None, exact: str = "") -> Certificate | None:
    """The certificate whose code reads as `key`; of two (never seen: 91 bits), the one typed exactly."""
    if key is None:
        return None
    found = list(Certificate.objects.select_related("issuing_body", "replaced_by", "replaces").filter(code_key=key)[:2])
    if len(found) > 1:
        found = [c for c in found if c.code == exact]
    return found[0] if len(found) == 1 else None


class VerifyDetailView(View):
    def get(self, request, code):
        if _limited(request):
            return _too_many(request)
        certificate = _by_key(code_key(code), typed_code_characters(code))
        if certificate is None:
            context = {"code_form": CodeForm(), "number_form": NumberForm()}
            return _private(render(request, "awards/public/verify_not_found.html", context, status=404))
        return _private(
            render(
                request,
                "awards/public/verify_detail.html",
                {
                    "c": certificate,
                    "state": certificate.state(),
                    "State": CertificateState,
                    "expired_since": certificate.valid_until + datetime.timedelta(days=1),
                },
            )
        )
