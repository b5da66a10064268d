"""The report choice: which report, which province (today's or an old one as it was) and which years."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.collation import vietnamese_key

RECOGNITIONS, EXTENSION = "recognitions", "extension"
REPORTS = [
    (RECOGNITIONS, _("Summary of the SPCNNTTB award results")),
    (EXTENSION, _("Implementation of khuyến công (industrial extension)")),
]
FIRST_YEAR, LAST_YEAR, MAX_YEARS = 2000, 2100, 30


def default_period() -> tuple[int, int]:
    year = timezone.localdate().year
    return year - 4, year


class ReportForm(forms.Form):
    province = forms.TypedChoiceField(
        label=_("Province"),
        coerce=int,
        error_messages={"invalid_choice": _("Unknown province: choose one from the list.")},
    )
    year_from = forms.IntegerField(label=_("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    year_to = forms.IntegerField(label=_("To year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    annex = forms.BooleanField(label=_("With the list of recognised products"), required=False)

    def __init__(self, *args, provinces, with_annex: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = sorted(provinces, key=lambda p: vietnamese_key(p.name))
        today = [(p.pk, p.full_name) for p in provinces if p.is_current]
        before = [(p.pk, str(p)) for p in provinces if not p.is_current]
        choices = [("", _("Choose a province"))]
        if today:
            choices.append((_("Provinces today"), today))
        if before:
            choices.append((_("Provinces before 1 July 2025"), before))
        self.fields["province"].choices = choices
        self.provinces = {p.pk: p for p in provinces}
        if not with_annex:
            del self.fields["annex"]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None:
            if end < start:
                self.add_error("year_to", _("The end year must not be before the start year."))
            elif end - start + 1 > MAX_YEARS:
                self.add_error("year_to", _("A report covers at most %(n)s years.") % {"n": MAX_YEARS})
        if data.get("province") is not None:
            data["province_unit"] = self.provinces[data["province"]]
        return data


class ReportChoiceForm(ReportForm):
    """The index page's form: the report too."""

    report = forms.ChoiceField(label=_("Report"), choices=REPORTS, widget=forms.RadioSelect)

    field_order = ["report", "province", "year_from", "year_to", "annex"]
