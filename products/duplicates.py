"""A producer or product about to be created under a name already used in the same place: the same name once
folded (case, diacritics, đ and spacing ignored: "HTX Tâm Hòa" is "htx tam hoa"), among the producers of the same
province today or the products of the same producer. Creating it anyway stays possible (two cooperatives may share
a name); the pages only warn, with a link to the one already recorded.

Every producer's and product's `search_text` begins with its folded name followed by " | " (products.search), so
the lookup is one indexed query."""

from django.db.models import QuerySet

from .models import Producer, Product
from .search import expand_abbreviations, fold

CONFIRM_FIELD = "create_anyway"  # the warning's checkbox (templates/products/components/duplicate_warning.html)


def _named(qs: QuerySet, name: str):
    folded = fold(name)
    if not folded:
        return None
    # stored search_text expands abbreviations ("htx" -> "hop tac xa"), so the typed name is expanded the same way
    return qs.filter(search_text__startswith=f"{expand_abbreviations(folded)} | ").order_by("pk").first()


def producer_with_same_name(name: str, province, visible: QuerySet[Producer]) -> Producer | None:
    """A producer among `visible` (what the user may open) named the same in the same province today."""
    if province is None:
        return None
    return _named(visible.filter(current_province_id=province.today_province_id), name)


def product_with_same_name(name: str, producer: Producer) -> Product | None:
    return _named(Product.objects.filter(producer=producer), name)


def confirmed(data) -> bool:
    """Whether the user ticked "create it anyway" after the warning."""
    return data.get(CONFIRM_FIELD) in ("1", "on", "true")
