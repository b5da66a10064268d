"""The filters of the project list and of the province summary. The summary's filters carry the same names as the
list's, so every figure of the summary links to the list filtered accordingly."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect
from products.filter_fields import ProvinceFilter, YearFilter

from .enums import FundingSource, ProjectStatus, ProjectStep
from .models import ActivityType, Project, ProjectFunding
from .selectors import project_search, projects_at_step

FLAG_QUALITY = "quality"
FLAG_LIMIT = "limit"


class ProjectPeriodFilter(django_filters.FilterSet):
    """Province (today, or as recorded) and plan years: the summary's filters, shared with the list."""

    province = ProvinceFilter(field_name="current_province")
    recorded_province = ProvinceFilter(
        field_name="province",
        before_reform=True,
        empty_label=_("—"),
        help_text=_("Projects before 1 July 2025 keep the province of that time."),
    )
    year_from = YearFilter(field_name="plan_year", first=2000, label=_("Plan year from"), lookup_expr="gte")
    year_to = YearFilter(field_name="plan_year", first=2000, label=_("Plan year to"), lookup_expr="lte")

    class Meta:
        model = Project
        fields = ["province", "recorded_province", "year_from", "year_to"]


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
    step = django_filters.ChoiceFilter(
        label=_("Next step"),
        choices=ProjectStep.choices,
        empty_label=_("Any"),
        method="filter_step",
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

    def filter_step(self, queryset, name, value):
        return projects_at_step(queryset, value)

    def filter_flag(self, queryset, name, value):
        if value == FLAG_QUALITY:
            return queryset.exclude(data_quality_note="")
        if value == FLAG_LIMIT:
            return queryset.exclude(limit_note="")
        return queryset
