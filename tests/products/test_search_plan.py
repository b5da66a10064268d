"""On PostgreSQL the registry search is served by the trigram GIN indexes (products/migrations/0002): the count of
the matches, which reads every match, never scans the whole table. The test data are small, so the planner would
rightly read the few rows directly: sequential scans are priced out inside the test's transaction, which leaves
the planner the choice between the trigram index and walking a b-tree index over every row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core.pagination import SEARCH_COUNT_CAP
from products.ranking import rank_by_relevance
from products.selectors import producer_list, product_list, search_filter
from tests import factories

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")


def count_plan(qs) -> tuple[int, str]:
    """The count the list page runs for a search (portal.core.pagination.KeysFirstPaginator: up to
    SEARCH_COUNT_CAP + 1 matches), and its plan."""
    with CaptureQueriesContext(connection) as ctx:
        total = qs.order_by()[: SEARCH_COUNT_CAP + 1].count()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {ctx.captured_queries[-1]['sql']}")
        return total, "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def registry(db):
    tam_hoa = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    factories.product(tam_hoa, "Lạp sườn hun khói")
    factories.product(tam_hoa, "Chiếu trúc")
    factories.product(factories.producer("Công ty TNHH Mật ong Bạc Hà", "Cà Mau"), "Mật ong bạc hà")


@pytest.mark.parametrize(("query", "expected"), [("lạp sườn", 1), ("HTX tâm hòa", 2), ("mat ong", 1), ("trúc", 1)])
def test_product_search_count_uses_trigram_index(registry, superuser, query, expected):
    total, plan = count_plan(search_filter(product_list(superuser), query))
    assert total == expected
    assert "product_search_trgm" in plan, plan
    assert "Seq Scan on products_product" not in plan


@pytest.mark.parametrize(("query", "expected"), [("lap suon", 1), ("hợp tác xã", 1), ("bac ha", 1)])
def test_producer_search_count_uses_trigram_index(registry, superuser, query, expected):
    total, plan = count_plan(search_filter(producer_list(superuser), query))
    assert total == expected
    assert "producer_search_trgm" in plan, plan


def test_relevance_ranked_page_is_served_by_trigram_index(registry, superuser):
    # The sort "Relevance" ranks every match: the page's keys come from the trigram index, not a walk of the table.
    qs = rank_by_relevance(search_filter(product_list(superuser), "lạp sườn"), "lạp sườn")
    with CaptureQueriesContext(connection) as ctx:
        keys = list(qs.values_list("pk", flat=True)[:25])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {ctx.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert len(keys) == 1
    assert "product_search_trgm" in plan, plan
