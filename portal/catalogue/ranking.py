"""The catalogue's orders: by relevance to a search, by newest recognition, by name.

Relevance ranks a product whose name is the query first, then names that start with it, then names holding every
word of the query, then the rest (the words matched only its producer or its place): "mien dong" lists the Miến
dong before a coffee made by "HTX Miến Dong". The product's folded name is the start of its stored search text
(products.services.product_search_text: "name | producer | ..."), so the same expressions work on SQLite and
PostgreSQL; on PostgreSQL trigram similarity (pg_trgm) then breaks ties within a rank.
"""

from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from awards.models import Recognition
from products.ranking import with_relevance

RELEVANCE, NEWEST, NAME = "relevance", "newest", "name"
SORTS = (RELEVANCE, NEWEST, NAME)


def default_sort(q: str) -> str:
    return RELEVANCE if q else NEWEST


def by_relevance(qs: QuerySet, q: str) -> QuerySet:
    qs, folded, _in_name = with_relevance(qs, q)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        qs = qs.annotate(similarity=Cast(TrigramSimilarity("search_text", folded), FloatField()))
        return qs.order_by("relevance", F("similarity").desc(), "name", "id")
    return qs.order_by("relevance", "name", "id")


def newest_first(products: QuerySet, *, filtered: bool) -> QuerySet:
    """The ids of `products` by their most recent recognition (its year, then the latest recorded), read from the
    recognitions newest first: each product's newest one (no newer recognition of the same product) in the order of
    the index on (year, id). A page of the default list reads a few dozen recognitions, where sorting the products
    by a per-product subquery read every recognised product (650 ms with 100,000). `filtered`: whether `products`
    is narrowed (a search, a filter); unfiltered, every recognised product is in it, so no join is needed."""
    newer = Recognition.objects.filter(product_id=OuterRef("product_id")).filter(
        Q(year__gt=OuterRef("year")) | Q(year=OuterRef("year"), pk__gt=OuterRef("pk"))
    )
    newest = Recognition.objects.filter(~Exists(newer))
    if filtered:
        newest = newest.filter(product__in=products.order_by().values("pk"))
    return newest.order_by("-year", "-pk").values_list("product_id", flat=True)


def ordered(qs: QuerySet, sort: str, q: str) -> QuerySet:
    """The products in the list's order; by newest recognition, unordered: page_keys() reads that order."""
    if sort == RELEVANCE and q:
        return by_relevance(qs, q)
    if sort == NAME:
        return qs.order_by("name", "id")
    return qs


def page_keys(qs: QuerySet, sort: str, q: str, bottom: int, top: int, *, filtered: bool) -> list[int]:
    """The product ids of one page of `qs` (ordered()) in the list's order."""
    if sort == NAME or (sort == RELEVANCE and q):
        return list(qs.values_list("pk", flat=True)[bottom:top])
    return list(newest_first(qs, filtered=filtered)[bottom:top])
