"""The registry's list filters. The filter by the highest award level reached needs awards' data, so portal adds
it (portal/registry_filters.py): this app imports no other app."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.core.access import province_scope
from portal.core.widgets import FastSelect

from .enums import ProducerKind
from .models import AdministrativeUnit, Producer, Product, ProductGroup
from .selectors import search_filter


def _today_provinces(request):
    return AdministrativeUnit.objects.provinces()


def _old_provinces(request):
    return AdministrativeUnit.objects.provinces(today=False, before_reform=True)


def scope_province_choices(filterset, request) -> None:
    """Staff of one province are offered their province and the old provinces it absorbed, not all 97."""
    if request is None:
        return
    scope = province_scope(request.user)
    filterset.filters["province"].queryset = AdministrativeUnit.objects.provinces(scope)
    filterset.filters["old_province"].queryset = AdministrativeUnit.objects.provinces(
        scope, today=False, before_reform=True
    )


class OrderingWithLabels(django_filters.OrderingFilter):
    """Sort options with our own labels. django-filter builds its "(descending)" labels once, at import, in
    whatever language is active then; these stay lazy and follow the user's language."""

    def __init__(self, *args, labelled_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["choices"] = labelled_choices

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        # Ties (same province, same date) keep a stable order, so pages neither repeat nor skip rows.
        return qs.order_by(*qs.query.order_by, "name", "id") if value else qs


class ProducerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Province (today)"),
        queryset=_today_provinces,
        field_name="current_province",
        empty_label=_("All provinces"),
    )
    old_province = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Province before 1 July 2025"),
        queryset=_old_provinces,
        field_name="province",
        empty_label=_("—"),
    )
    kind = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("Kind"), choices=ProducerKind.choices, empty_label=_("All kinds")
    )
    group = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Product group"),
        queryset=ProductGroup.objects.all(),
        method="filter_group",
        empty_label=_("All groups"),
    )
    o = OrderingWithLabels(
        label=_("Sort by"),
        fields=(("name", "name"), ("current_province__name", "province"), ("created_at", "created")),
        labelled_choices=[
            ("-name", _("Name (Z–A)")),
            ("province", _("Province (A–Z)")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
        ],
        empty_label=_("Name (A–Z)"),
        widget=FastSelect,
    )

    class Meta:
        model = Producer
        fields = ["q", "province", "old_province", "kind", "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_province_choices(self, self.request)

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_group(self, queryset, name, value):
        return queryset.filter(Exists(Product.objects.filter(producer=OuterRef("pk"), group=value)))


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Province (today)"),
        queryset=_today_provinces,
        field_name="producer__current_province",
        empty_label=_("All provinces"),
    )
    old_province = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Province before 1 July 2025"),
        queryset=_old_provinces,
        field_name="producer__province",
        empty_label=_("—"),
    )
    group = django_filters.ModelChoiceFilter(
        widget=FastSelect, label=_("Product group"), queryset=ProductGroup.objects.all(), empty_label=_("All groups")
    )
    kind = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Producer kind"),
        choices=ProducerKind.choices,
        field_name="producer__kind",
        empty_label=_("All kinds"),
    )
    o = OrderingWithLabels(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("producer__name", "producer"),
            ("producer__current_province__name", "province"),
            ("created_at", "created"),
        ),
        labelled_choices=[
            ("-name", _("Name (Z–A)")),
            ("producer", _("Producer (A–Z)")),
            ("province", _("Province (A–Z)")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
        ],
        empty_label=_("Name (A–Z)"),
        widget=FastSelect,
    )

    class Meta:
        model = Product
        fields = ["q", "province", "old_province", "group", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_province_choices(self, self.request)

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)
