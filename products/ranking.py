"""The staff lists' sort "Relevance": the closest matches of a search first.

The record whose name is the query comes first, then names that start with it, then names holding every word of
it, then the rest (found by their producer, tax code or place); within each of the first three groups, on
PostgreSQL, by trigram similarity (pg_trgm) of the name to the query; then by name. A producer's or product's
folded name is the start of its stored search text (products.services: "name | ..."), so the groups read the same
on SQLite and PostgreSQL.

Every match is ranked before the first page is cut, so this costs more than the lists' name order, which stops
after 25 matching rows. The page keys' query on 100,000 products (a loaded machine): "lap suon", 3,200 matches,
23 ms instead of 7; "tra", 14,000 matches, 59 ms instead of 0.1; "htx", 30,000 matches, 95-112 ms instead of 0.1.
So the user asks for it; name order stays the default.
"""

import re

from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from .search import fold, query_terms


def _name_holds(term: str) -> Q:
    # The name is what comes before the first " | " of the stored text.
    return Q(search_text__regex=r"^[^|]*" + re.escape(term).replace("\\ ", " "))


def with_relevance(qs: QuerySet, query: str) -> tuple[QuerySet, str, Q]:
    """`qs` annotated with `relevance` (0: the name is the query, 1: starts with it, 2: holds every word of it,
    3: the rest), with the folded query and the condition "the name holds every word". The staff lists and the
    public catalogue rank by it."""
    folded = " ".join(query_terms(query)) or fold(query)
    in_name = Q()
    for term in query_terms(query):
        in_name &= _name_holds(term)
    rank = Case(
        When(Q(search_text=folded) | Q(search_text__startswith=f"{folded} |"), then=Value(0)),
        When(search_text__startswith=folded, then=Value(1)),
        When(in_name, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.annotate(relevance=rank), folded, in_name


def rank_by_relevance(qs: QuerySet, query: str) -> QuerySet:
    qs, folded, in_name = with_relevance(qs, query)
    if connection.vendor != "postgresql":
        return qs.order_by("relevance", "name", "id")
    from django.contrib.postgres.search import TrigramSimilarity

    # Only names that hold the query are compared with it: the rest were found by their producer or place.
    name = Func(F("search_text"), Value(" | "), Value(1), function="split_part")
    similarity = Case(When(in_name, then=TrigramSimilarity(name, folded)), default=Value(0.0))
    qs = qs.annotate(similarity=Cast(similarity, FloatField()))
    return qs.order_by("relevance", F("similarity").desc(), "name", "id")
