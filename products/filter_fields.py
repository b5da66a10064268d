"""Filters every list of the portal offers with the same meaning: a province (today's, or as recorded before the
2025 reform) offered within the user's reach, a product group, a year. Lists of every app build on these, so a
province's staff see their own province (and the old provinces merged into it) in every province select, never
all 97, and the labels read the same everywhere."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.access import province_scope
from portal.core.widgets import FastSelect, FetchedModelChoiceFilter

from .models import AdministrativeUnit, ProductGroup


class ProvinceFilter(FetchedModelChoiceFilter):
    """A province select narrowed to the user's reach (`portal.core.access.province_scope`): today's provinces
    (`today`), those before 1 July 2025 (`before_reform`), or both."""

    def __init__(self, *args, today: bool = True, before_reform: bool = False, **kwargs):
        self.today, self.before_reform = today, before_reform
        kwargs.setdefault("label", _("Province (today)") if not before_reform else _("Province as recorded"))
        kwargs.setdefault("empty_label", _("All provinces"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, queryset=self.provinces, **kwargs)

    def provinces(self, request):
        scope = province_scope(request.user) if request is not None else None
        return AdministrativeUnit.objects.provinces(scope, today=self.today, before_reform=self.before_reform)


def group_filter(field_name: str = "product__group", **kwargs) -> FetchedModelChoiceFilter:
    kwargs.setdefault("label", _("Product group"))
    kwargs.setdefault("empty_label", _("All groups"))
    return FetchedModelChoiceFilter(
        field_name=field_name, queryset=ProductGroup.objects.all(), widget=FastSelect, **kwargs
    )


class YearFilter(django_filters.NumberFilter):
    """A year typed as a number (2012–2100)."""

    field_class = forms.IntegerField

    def __init__(self, *args, field_name: str = "year", first: int = 2012, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": first, "max": 2100, "inputmode": "numeric"}))
        super().__init__(*args, field_name=field_name, **kwargs)
