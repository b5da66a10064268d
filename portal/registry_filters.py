"""The registry's list filters with the filter by the highest award level reached. It reads awards' levels and
recognitions, so it lives here and not in products (docs/architecture.md): products' filters plus this one."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from awards.models import Level, Recognition
from portal.core.widgets import FastSelect
from products import filters as registry


def level_choices() -> list[tuple[str, str]]:
    """Award levels by rank; district and commune share a rank: "Cấp huyện / Cấp xã"."""
    seen, choices = set(), []
    for rank, name in Level.objects.order_by("rank", "valid_from").values_list("rank", "name"):
        if rank not in seen:
            seen.add(rank)
            choices.append((str(rank), name))
        else:
            choices[-1] = (str(rank), f"{choices[-1][1]} / {name}")
    return choices


class HighestLevelFilter(django_filters.ChoiceFilter):
    """Products (or producers) whose highest recognition is at the chosen level."""

    def __init__(self, *args, lookup="product", **kwargs):
        self.lookup = lookup  # how a Recognition reaches the listed row: "product" or "product__producer"
        kwargs.setdefault("choices", level_choices)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, "") or not str(value).isdigit():
            return qs
        rank = int(value)
        recognitions = Recognition.objects.filter(**{self.lookup: OuterRef("pk")})
        return qs.filter(
            Exists(recognitions.filter(level__rank=rank)) & ~Exists(recognitions.filter(level__rank__gt=rank))
        )


def highest_level(**kwargs) -> HighestLevelFilter:
    return HighestLevelFilter(label=_("Highest level reached"), empty_label=_("Any level"), widget=FastSelect, **kwargs)


def shown_after(filterset_class, name: str, *, after: str) -> None:
    """A subclass's filters come after its parent's: put `name` back after `after`, where the form shows it."""
    filters = [(key, value) for key, value in filterset_class.base_filters.items() if key != name]
    at = [key for key, _value in filters].index(after) + 1
    filters.insert(at, (name, filterset_class.base_filters[name]))
    filterset_class.base_filters = dict(filters)


class ProducerFilter(registry.ProducerFilter):
    level = highest_level(lookup="product__producer")

    class Meta(registry.ProducerFilter.Meta):
        fields = [*registry.ProducerFilter.Meta.fields, "level"]


class ProductFilter(registry.ProductFilter):
    level = highest_level()

    class Meta(registry.ProductFilter.Meta):
        fields = [*registry.ProductFilter.Meta.fields, "level"]


shown_after(ProducerFilter, "level", after="group")
shown_after(ProductFilter, "level", after="group")
