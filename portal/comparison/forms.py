from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboards.by_province import RECORDED, TODAY, Period

BASES = [(TODAY, gettext_lazy("By province today")), (RECORDED, gettext_lazy("By province before 1 July 2025"))]


def _year(label):
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )


class ComparisonForm(forms.Form):
    """The comparison's choices, all in the query string (the page works without JavaScript): the province basis,
    a range of years and the column the rows are ordered by (`sort`, checked by portal.comparison.table)."""

    basis = forms.ChoiceField(choices=BASES, required=False, widget=forms.HiddenInput)
    year_from = _year(gettext_lazy("From year"))
    year_to = _year(gettext_lazy("To year"))
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year comes before the start year."))
        return data

    def period(self) -> Period:
        """The period of the choices that validated (an invalid one is shown as an error and left out)."""
        if not self.is_bound:
            return Period()
        self.is_valid()
        data, errors = self.cleaned_data, self.errors

        def value(name):
            return None if name in errors else (data.get(name) or None)

        return Period(basis=value("basis") or TODAY, year_from=value("year_from"), year_to=value("year_to"))
