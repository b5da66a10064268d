"""Forms of recognitions recorded from the archive and of certificates."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.formatting import title_text
from portal.core.widgets import FastSelect
from products.forms import DATE_ERRORS, DateInput
from products.models import Organization

from ..models import Level
from .product_picker import ProductPickerMixin, product_field


class RecognitionForm(ProductPickerMixin, forms.Form):
    """A recognition from the paper archive; saved through services.recognition_record. The product list holds
    the products the staff member may record for (narrowed by a search on the page, so it stays short)."""

    product = product_field()
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=Level.objects.none(), widget=FastSelect, empty_label=_("Choose a level")
    )
    year = forms.IntegerField(
        label=_("Year"), widget=forms.NumberInput(attrs={"min": 2012, "max": 2100, "inputmode": "numeric"})
    )
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=100, help_text=_("As printed on the decision, e.g. 1450/QĐ-UBND.")
    )
    decision_date = forms.DateField(
        label=_("Decision date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, products, levels, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.set_products(products, query)


SIGNER_TITLE_HELP = _(
    "One line per line as printed, e.g. KT. CHỦ TỊCH on the first line and PHÓ CHỦ TỊCH on the second "
    "(“KT. CHỦ TỊCH – PHÓ CHỦ TỊCH” on one line is split the same way)."
)


def clean_signer_title(form) -> str:
    """The title stored one line per line (a spaced dash separates lines too)."""
    return title_text(form.cleaned_data["signer_title"])


# -- certificates ----------------------------------------------------------------------------------------------------
class CertificateIssueForm(forms.Form):
    """Issuing certificates: for every recognition of a decision, or for one recognition (from the archive).
    The signer and the issuing body default to the decision's."""

    issued_on = forms.DateField(
        label=_("Issue date"), widget=DateInput(), error_messages={**DATE_ERRORS, "required": _("Give the issue date.")}
    )
    issuing_body = forms.ModelChoiceField(
        label=_("Issuing body"),
        queryset=Organization.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose the issuing body"),
        error_messages={"required": _("Choose the body that issues the certificate.")},
    )
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=SIGNER_TITLE_HELP,
        error_messages={"required": _("Give the signer's title.")},
    )
    signer_name = forms.CharField(
        label=_("Signer's name"), max_length=255, error_messages={"required": _("Give the signer's name.")}
    )

    clean_signer_title = clean_signer_title

    def __init__(self, *args, bodies, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].queryset = bodies
        self.initial.setdefault("issued_on", timezone.localdate())
        if decision is not None:
            self.initial.setdefault("issuing_body", decision.issuing_body_id)
            self.initial.setdefault("signer_title", decision.signer_title)
            self.initial.setdefault("signer_name", decision.signer_name)


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for revoking the certificate.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for revoking the certificate."))
        return reason


class CertificateReissueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Issue date of the new certificate"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the issue date.")},
    )
    reason = forms.CharField(
        label=_("Reason for re-issuing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the original was lost or damaged, or the producer changed its name."),
        error_messages={"required": _("Give the reason for re-issuing the certificate.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issued_on", timezone.localdate())


# -- OCOP --------------------------------------------------------------------------------------------------------------
