"""Forms of OCOP ratings and targets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import DecimalCommaField
from products.forms import DATE_ERRORS, DateInput

from ..enums import OcopLevel, OcopTargetMetric
from .product_picker import ProductPickerMixin, product_field


class OcopRatingForm(ProductPickerMixin, forms.Form):
    """An OCOP rating from a decision; saved through services.ocop_rating_record, which checks the stars against
    the score's band and the parts against the criteria set in force on the decision date. The product list
    holds the products the staff member may rate, narrowed by a search on the page (`query`)."""

    product = product_field()
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        choices=[("", _("Choose")), *[(n, f"{n}★") for n in range(1, 6)]],
        coerce=int,
        error_messages={"required": _("Choose the number of stars.")},
    )
    score = DecimalCommaField(
        label=_("Score (out of 100)"),
        max_digits=5,
        decimal_places=2,
        error_messages={"required": _("Give the score.")},
    )
    part_a = DecimalCommaField(
        label=_("Part A – production organisation and community"), max_digits=5, decimal_places=2, required=False
    )
    part_b = DecimalCommaField(label=_("Part B – marketing and sales"), max_digits=5, decimal_places=2, required=False)
    part_c = DecimalCommaField(label=_("Part C – product quality"), max_digits=5, decimal_places=2, required=False)
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        help_text=_("As printed on the decision, e.g. 1688/QĐ-UBND."),
        error_messages={"required": _("Give the decision number.")},
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the decision date.")},
    )
    level = forms.ChoiceField(
        label=_("Evaluated at"),
        choices=[("", _("By the stars (province for 3★–4★, national for 5★)")), *OcopLevel.choices],
        required=False,
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, products, valid_months: int, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.set_products(products, query)
        self.fields["valid_until"].help_text = _(
            "Leave empty for %(months)d months from the decision date (the day before)."
        ) % {"months": valid_months}


class OcopTargetForm(forms.Form):
    """One target of the province for a year; an existing target of the same year and kind is changed."""

    year = forms.IntegerField(
        label=_("By year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
        error_messages={"required": _("Give the year.")},
    )
    metric = forms.ChoiceField(label=_("Target"), choices=[("", _("Choose")), *OcopTargetMetric.choices])
    value = DecimalCommaField(
        label=_("Value"),
        max_digits=8,
        decimal_places=2,
        help_text=_("A number of products, or a percentage for the shares."),
        error_messages={"required": _("Give the target value.")},
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
