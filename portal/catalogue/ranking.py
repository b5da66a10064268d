"""The catalogue's orders: by relevance to a search, by newest recognition, by name.

Relevance ranks a product whose name is the query first, then names that start with it, then names holding every
word of the query, then the rest (the words matched only its producer or its place): "mien dong" lists the Miến
dong before a coffee made by "HTX Miến Dong". The product's folded name is the start of its stored search text
(products.services.product_search_text: "name | producer | ..."), so the same expressions work on SQLite and
PostgreSQL; on PostgreSQL trigram similarity (pg_trgm) then breaks ties within a rank.
"""

from django.db import connection
from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery
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


def by_newest_recognition(qs: QuerySet) -> QuerySet:
    """The most recent recognition first (its year, then the latest recorded), then by name."""
    newest = Recognition.objects.filter(product_id=OuterRef("pk")).order_by("-year", "-id")
    qs = qs.annotate(newest_year=Subquery(newest.values("year")[:1]), newest_id=Subquery(newest.values("id")[:1]))
    return qs.order_by(F("newest_year").desc(nulls_last=True), F("newest_id").desc(nulls_last=True), "name", "id")


def ordered(qs: QuerySet, sort: str, q: str) -> QuerySet:
    if sort == RELEVANCE and q:
        return by_relevance(qs, q)
    if sort == NAME:
        return qs.order_by("name", "id")
    return by_newest_recognition(qs)
