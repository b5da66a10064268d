"""Forms and the list filter of the trade-fair pages: validation only, the views pass cleaned_data to
services.fair_create and services.participation_record."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.access import province_scope
from portal.core.widgets import FastSelect, MoneyField
from products.filter_fields import ProvinceFilter, YearFilter
from products.forms import DATE_ERRORS, DateInput
from products.models import AdministrativeUnit, Producer, Product
from products.selectors import search_filter

from .enums import FairLevel
from .models import Fair, Project


def provinces_in_scope(user):
    """Provinces a user may record a fair for: a province's staff their province today and the old provinces
    it absorbed (fairs before 1 July 2025 keep the old province); a superuser every province."""
    return AdministrativeUnit.objects.provinces(province_scope(user, write=True), before_reform=True)


class FairFilter(django_filters.FilterSet):
    year_from = YearFilter(field_name="starts_on__year", first=2000, label=_("From year"), lookup_expr="gte")
    year_to = YearFilter(field_name="starts_on__year", first=2000, label=_("To year"), lookup_expr="lte")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=FairLevel.choices, empty_label=_("All levels"), widget=FastSelect
    )
    province = ProvinceFilter(label=_("Province"), before_reform=True, method="filter_province")

    class Meta:
        model = Fair
        fields = ["year_from", "year_to", "level", "province"]

    def filter_province(self, queryset, name, value):
        # Today's province takes in the fairs recorded under the old provinces that merged into it.
        return queryset.filter(Q(province=value) | Q(current_province=value))


class FairForm(forms.Form):
    name = forms.CharField(label=_("Name of the fair"), max_length=255)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("To"), widget=DateInput(), error_messages=DATE_ERRORS)
    place = forms.CharField(label=_("Place"), max_length=255)
    organiser = forms.CharField(label=_("Organiser"), max_length=255)
    level = forms.ChoiceField(label=_("Level"), choices=FairLevel.choices, widget=FastSelect)
    booths = forms.IntegerField(
        label=_("Booths at the fair"), min_value=1, required=False, widget=forms.NumberInput(attrs={"min": 1})
    )
    province = forms.ModelChoiceField(
        label=_("Province sending producers"),
        queryset=AdministrativeUnit.objects.none(),
        widget=FastSelect,
        empty_label=None,
        help_text=_("For a fair before 1 July 2025, the province as it was then."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces_in_scope(user)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The fair cannot end before it starts."))
        return data


class ProducerChoiceForm(forms.Form):
    """Which producer's participation to record: producers of the fair's province, narrowed by a search."""

    DISPLAY_LIMIT = 300

    q = forms.CharField(label=_("Find the producer"), required=False)
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose a producer"),
    )

    def __init__(self, *args, producers, query="", **kwargs):
        super().__init__(*args, **kwargs)
        producers = producers.order_by("name", "id")
        if self.is_bound:
            # A choice is checked against every producer of the province; the list shown is narrowed.
            self.fields["producer"].queryset = producers
            return
        matches = search_filter(producers, query) if query else producers
        keys = list(matches.values_list("pk", flat=True)[: self.DISPLAY_LIMIT])
        self.fields["producer"].queryset = producers.filter(pk__in=keys)


class ParticipationForm(forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products shown"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only the producer's own products can be shown at its booth.")},
    )
    booths = forms.IntegerField(
        label=_("Booths"), min_value=1, initial=1, widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
    )
    support_amount = MoneyField(
        label=_("Support received (VND)"),
        min_value=0,
        required=False,
        help_text=_("Booth rent, transport and the like paid for the producer; 0 if none."),
    )
    project = forms.ModelChoiceField(
        label=_("Supporting project"),
        queryset=Project.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("— none —"),
        help_text=_("The khuyến công project of the province the support came from."),
    )
    sales = MoneyField(label=_("Sales at the fair (VND)"), min_value=0, required=False)
    contracts = forms.IntegerField(
        label=_("Contracts signed"), min_value=0, required=False, widget=forms.NumberInput(attrs={"min": 0})
    )
    contracts_value = MoneyField(label=_("Value of contracts (VND)"), min_value=0, required=False)

    def __init__(self, *args, producer, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = producer.products.order_by("name", "id")
        self.fields["project"].queryset = Project.objects.filter(current_province_id=fair.current_province_id).order_by(
            "-plan_year", "code"
        )
        self.fields["project"].label_from_instance = lambda p: f"{p.code} · {p.plan_year} · {p.title}"[:160]

    def clean_support_amount(self):
        return self.cleaned_data.get("support_amount") or 0

    def clean(self):
        data = super().clean()
        if data.get("contracts_value") and not data.get("contracts"):
            self.add_error("contracts", _("Enter how many contracts make up this value."))
        return data
