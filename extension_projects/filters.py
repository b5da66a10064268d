"""The filters of the project list and of the province summary. The summary's filters carry the same names as the
list's, so every figure of the summary links to the list filtered accordingly."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect
from products.models import AdministrativeUnit

from .enums import FundingSource, ProjectStatus
from .models import ActivityType, Project, ProjectFunding
from .selectors import project_search, provinces_in_scope

FLAG_QUALITY = "quality"
FLAG_LIMIT = "limit"


class PlanYearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}))
        super().__init__(*args, field_name="plan_year", **kwargs)


def _provinces_today(request):
    return AdministrativeUnit.objects.provinces()


def _provinces_recorded(request):
    return AdministrativeUnit.objects.provinces(before_reform=True)


class ProjectPeriodFilter(django_filters.FilterSet):
    """Province (today, or as recorded) and plan years: the summary's filters, shared with the list."""

    province = django_filters.ModelChoiceFilter(
        label=_("Province (today)"),
        field_name="current_province",
        queryset=_provinces_today,
        empty_label=_("All provinces"),
        widget=FastSelect,
    )
    recorded_province = django_filters.ModelChoiceFilter(
        label=_("Province as recorded"),
        field_name="province",
        queryset=_provinces_recorded,
        empty_label=_("—"),
        widget=FastSelect,
        help_text=_("Projects before 1 July 2025 keep the province of that time."),
    )
    year_from = PlanYearFilter(label=_("Plan year from"), lookup_expr="gte")
    year_to = PlanYearFilter(label=_("Plan year to"), lookup_expr="lte")

    class Meta:
        model = Project
        fields = ["province", "recorded_province", "year_from", "year_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["province"].queryset = provinces_in_scope(self.request.user, current_only=True)
            self.filters["recorded_province"].queryset = provinces_in_scope(self.request.user)


class ProjectFilter(ProjectPeriodFilter):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    activity_type = django_filters.ModelChoiceFilter(
        label=_("Activity type"),
        queryset=ActivityType.objects.order_by("order", "name"),
        empty_label=_("All activity types"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses"), widget=FastSelect
    )
    source = django_filters.ChoiceFilter(
        label=_("Funding source"),
        choices=FundingSource.choices,
        empty_label=_("All sources"),
        method="filter_source",
        widget=FastSelect,
    )
    flag = django_filters.ChoiceFilter(
        label=_("Warnings"),
        choices=[(FLAG_QUALITY, _("With a data-quality note")), (FLAG_LIMIT, _("Above a support limit"))],
        empty_label=_("Any"),
        method="filter_flag",
        widget=FastSelect,
    )

    class Meta:
        model = Project
        fields = ["q", "province", "recorded_province", "year_from", "year_to", "activity_type", "status", "source"]

    def filter_q(self, queryset, name, value):
        return project_search(queryset, value)

    def filter_source(self, queryset, name, value):
        funded = ProjectFunding.objects.filter(project=OuterRef("pk"), source=value, approved__gt=0)
        return queryset.filter(Exists(funded))

    def filter_flag(self, queryset, name, value):
        if value == FLAG_QUALITY:
            return queryset.exclude(data_quality_note="")
        if value == FLAG_LIMIT:
            return queryset.exclude(limit_note="")
        return queryset
