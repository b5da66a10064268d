"""The registry's list filters. The filter by the highest award level reached needs awards' data, so portal adds
it (portal/registry_filters.py): this app imports no other app."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect

from .enums import ProducerKind
from .filter_fields import ProvinceFilter, group_filter
from .models import Producer, Product
from .ranking import rank_by_relevance
from .selectors import search_filter

OLD_PROVINCE_LABEL = _("Province before 1 July 2025")
RELEVANCE = "relevance"  # the sort by closeness to the search (products.ranking)


class OrderingWithLabels(django_filters.OrderingFilter):
    """Sort options with our own labels. django-filter builds its "(descending)" labels once, at import, in
    whatever language is active then; these stay lazy and follow the user's language."""

    def __init__(self, *args, labelled_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["choices"] = labelled_choices

    def filter(self, qs, value):
        if value and value[0] == RELEVANCE:
            return qs  # ranked by the filter set, which has the query (RankedSearch)
        qs = super().filter(qs, value)
        # Ties (same province, same date) keep a stable order, so pages neither repeat nor skip rows.
        return qs.order_by(*qs.query.order_by, "name", "id") if value else qs


def name_ordering(fields, labelled_choices) -> OrderingWithLabels:
    """Sort by name (A–Z first, the default, or Z–A), by relevance to the search, by the given columns (`fields` as
    OrderingFilter takes them, their labelled choices), or newest or oldest first."""
    return OrderingWithLabels(
        label=_("Sort by"),
        fields=(("name", "name"), *fields, ("created_at", "created")),
        labelled_choices=[
            (RELEVANCE, _("Relevance")),
            ("-name", _("Name (Z–A)")),
            *labelled_choices,
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
        ],
        empty_label=_("Name (A–Z)"),
        widget=FastSelect,
    )


class RankedSearch:
    """A filter set whose sort "Relevance" ranks the matches of its search `q` (without a search: by name)."""

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("q") and data.get("o") and data["o"][0] == RELEVANCE:
            return rank_by_relevance(qs, data["q"])
        return qs


class ProducerFilter(RankedSearch, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = ProvinceFilter(field_name="current_province")
    old_province = ProvinceFilter(
        field_name="province", today=False, before_reform=True, label=OLD_PROVINCE_LABEL, empty_label=_("—")
    )
    kind = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("Kind"), choices=ProducerKind.choices, empty_label=_("All kinds")
    )
    group = group_filter(method="filter_group")
    o = name_ordering((("current_province__name", "province"),), [("province", _("Province (A–Z)"))])

    class Meta:
        model = Producer
        fields = ["q", "province", "old_province", "kind", "group"]

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_group(self, queryset, name, value):
        return queryset.filter(Exists(Product.objects.filter(producer=OuterRef("pk"), group=value)))


class ProductFilter(RankedSearch, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = ProvinceFilter(field_name="producer__current_province")
    old_province = ProvinceFilter(
        field_name="producer__province", today=False, before_reform=True, label=OLD_PROVINCE_LABEL, empty_label=_("—")
    )
    group = group_filter(field_name="group")
    kind = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Producer kind"),
        choices=ProducerKind.choices,
        field_name="producer__kind",
        empty_label=_("All kinds"),
    )
    o = name_ordering(
        (("producer__name", "producer"), ("producer__current_province__name", "province")),
        [("producer", _("Producer (A–Z)")), ("province", _("Province (A–Z)"))],
    )

    class Meta:
        model = Product
        fields = ["q", "province", "old_province", "group", "kind"]

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)
