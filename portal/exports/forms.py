from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Round
from awards.selectors import recognition_levels, rounds_for_staff
from portal.core.list_exports import CSV, XLSX
from portal.core.widgets import FastSelect
from products.models import AdministrativeUnit

from .ministry import Selection

YEAR = {"min_value": 2012, "max_value": 2100, "required": False}


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.year})"


class MinistryExportForm(forms.Form):
    """What to export. A province's staff export their own province only: the province field is for national
    accounts (ministry officials, superusers)."""

    province = forms.ModelChoiceField(
        label=_("Province (today)"),
        queryset=AdministrativeUnit.objects.provinces(),
        required=False,
        empty_label=_("All provinces"),
        widget=FastSelect,
    )
    round = RoundChoiceField(
        label=_("Round"), queryset=Round.objects.none(), required=False, empty_label=_("All rounds"), widget=FastSelect
    )
    year_from = forms.IntegerField(label=_("From year"), **YEAR)
    year_to = forms.IntegerField(label=_("To year"), **YEAR)
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=recognition_levels(), required=False, empty_label=_("All levels"), widget=FastSelect
    )

    def __init__(self, *args, user, province_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.province_id = province_id
        if province_id is not None:
            del self.fields["province"]
            rounds = rounds_for_staff(user)
        else:
            rounds = Round.objects.all()
        self.fields["round"].queryset = rounds.select_related(None).prefetch_related(None).order_by("-year", "title")

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year comes before the start year."))
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        province = data.get("province")
        return Selection(
            province_id=self.province_id if self.province_id is not None else (province.pk if province else None),
            round_id=data["round"].pk if data.get("round") else None,
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            level_id=data["level"].pk if data.get("level") else None,
        )


FORMATS = {XLSX, CSV}
