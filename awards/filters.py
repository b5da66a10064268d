import django_filters
from django.utils.translation import gettext_lazy as _

from portal.widgets import FastSelect
from products.models import AdministrativeUnit, ProductGroup

from .enums import NominationStatus
from .models import Nomination


class NominationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in NominationStatus.choices if c[0] != NominationStatus.DRAFT],
        empty_label=_("All statuses"),
        widget=FastSelect,
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Product group"),
        field_name="product__group",
        queryset=ProductGroup.objects.all(),
        empty_label=_("All groups"),
        widget=FastSelect,
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province (today)"),
        field_name="producer__current_province",
        queryset=AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("name"),
        empty_label=_("All provinces"),
        widget=FastSelect,
    )
    missing = django_filters.ChoiceFilter(
        label=_("Dossier"),
        method="filter_missing",
        empty_label=_("All dossiers"),
        widget=FastSelect,
        choices=[("yes", _("With missing items")), ("no", _("Complete"))],
    )

    class Meta:
        model = Nomination
        fields = ["status", "group", "province", "missing"]

    def filter_missing(self, queryset, name, value):
        return queryset.filter(missing_count__gt=0) if value == "yes" else queryset.filter(missing_count=0)
