"""The PostgreSQL plans of the registry search, query by query, for bench/bench_registry.py.

A search page runs two queries on the product table (portal.core.pagination.KeysFirstPaginator): the count of
the matches, which reads every match, and the keys of the page's 25 rows in the list's order. Both are captured
as Django sends them and run again under EXPLAIN (ANALYZE, BUFFERS). The count must be served by the trigram
index (reading every row instead is the cost that grows with the registry). The page's keys come from whichever
access path the planner finds cheaper: the trigram index (collect the matches, then take the first 25 by name),
or the (name, id) index walked in order until 25 rows match, which stops early when a query matches a large
share of the registry ("htx": three products in ten).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core.pagination import SEARCH_COUNT_CAP
from products.search import query_terms

# A trigram needs three characters: a query whose every word is shorter cannot use the index.
MIN_INDEXED_TERM = 3


def needs_index(q: str) -> bool:
    return any(len(term) >= MIN_INDEXED_TERM for term in query_terms(q))


def _captured_sql(run) -> str:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return ctx.captured_queries[-1]["sql"]


def explain_sql(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def execution_ms(plan: str):
    for line in plan.splitlines():
        if line.startswith("Execution Time:"):
            return float(line.split(":")[1].split()[0])
    return None


def access_path(plan: str, trigram_index: str, name_index: str) -> str:
    if trigram_index in plan:
        return "trigram index"
    if name_index in plan:
        return "name index walk"
    return "sequential scan" if "Seq Scan" in plan else "other"


def query_plans(qs, q: str, page_size: int, trigram_index: str, name_index: str) -> dict:
    """The count's and the page keys' plans of one search, and whether the trigram index serves the count."""
    count_plan = explain_sql(_captured_sql(qs.order_by()[: SEARCH_COUNT_CAP + 1].count))  # as the page counts
    matches = qs.count()
    keys_plan = explain_sql(_captured_sql(lambda: list(qs.values_list("pk", flat=True)[:page_size])))
    return {
        "q": q,
        "matches": matches,
        "needs_index": needs_index(q),
        "index_used": trigram_index in count_plan,
        # A search matching more than the cap may be counted by a scan that stops at the cap (under a Limit):
        # it reads the first 1,001 matches and no more, which for a common word is cheaper than the index.
        "stops_at_cap": "Limit" in count_plan and matches > SEARCH_COUNT_CAP,
        "page_path": access_path(keys_plan, trigram_index, name_index),
        "count_ms": execution_ms(count_plan),
        "page_ms": execution_ms(keys_plan),
        "count_plan": count_plan,
        "page_plan": keys_plan,
    }
