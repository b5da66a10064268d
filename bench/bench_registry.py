"""Staff registry lists at scale: page time against a bare-query floor, search time, query counts, and the
PostgreSQL plan of the search. Run by bench/run.sh (`make bench`) on a database that holds
`manage.py generate_scale` data; writes its figures into bench/results.json (bench/common.py) and prints a
table.

Every figure is measured in this process with django.test.Client (whole middleware stack, DEBUG=False).
A floor is a bare view, routed through the same middleware, that runs the page's queryset (same
select_related, same count and same 25-row slice) and returns the rows as plain text with no template.
Page and floor requests alternate so that drift on this shared machine hits both alike.

Search: the p95 of the product list searched for each of SEARCH_QUERIES (all queries together, and the slowest
query's own p95), target 50 ms each; and, for information, the same searches sorted by "Relevance". Per query, the
plans of its count and of its page's keys (bench/search_plans.py): figure `search_trgm_<query>` fails when the
trigram index does not serve the filter of a query that has a word of three letters or more; the table shows which
path the page's 25 keys took.

Environment: BENCH_N (timed requests per figure, 50), BENCH_WARMUP (5), BENCH_SEARCH_ROUNDS (5),
BENCH_PROVINCE (the staff user's province, "Đồng Tháp"), BENCH_RESULTS (output path), BENCH_STRICT=1
(exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path

from bench import search_plans as search_plans_of
from bench.common import WARMUP, N, client_for, compare, figure, get, page_figures, percentile
from portal import urls as portal_urls
from portal.core.pagination import SEARCH_COUNT_CAP
from products.models import AdministrativeUnit, Producer, Product, ProductGroup
from products.search import search_text
from products.selectors import producer_list, product_list, search_filter
from products.views.staff import PAGE_SIZE

SEARCH_ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "5"))
STAFF_PROVINCE = os.environ.get("BENCH_PROVINCE", "Đồng Tháp")
RESULTS = common.RESULTS
LIST_RATIO_TARGET = 3.0
SEARCH_P95_TARGET_MS = 50.0
SEARCH_INDEX = "product_search_trgm"
NAME_INDEX = "product_name_id"

# Typical accent-free queries, as staff type them. "900002471" is the start of ten scale tax codes.
SEARCH_QUERIES = [
    "lap suon",
    "mien dong",
    "mat ong",
    "dong thap",
    "cao bang",
    "htx",
    "che",
    "tra",
    "kho muc",
    "banh phong tom",
    "900002471",
    "nuoc mam",
    "ca phe rang",
    "nguyen van",
    "hop tac xa",
    "tuong ot",
    "may say nong san",
    "gom",
    "hung thinh",
    "ca mau",
]
MARKER = "ZQX"  # in the names of the rows made for the query counts (rolled back afterwards)


# -- the floors: the page's own queryset, no filter form, no template ------------------------------------
def _rows_response(qs, fmt, searched=False):
    # What the paginator does: count (a search up to SEARCH_COUNT_CAP + 1 matches), then slice the first page.
    total = qs.order_by()[: SEARCH_COUNT_CAP + 1].count() if searched else qs.count()
    rows = [fmt(obj) for obj in qs[:PAGE_SIZE]]
    return HttpResponse(f"{total}\n" + "\n".join(rows), content_type="text/plain; charset=utf-8")


def floor_products(request):
    qs = product_list(request.user)
    if request.GET.get("q"):
        qs = search_filter(qs, request.GET["q"])
    return _rows_response(
        qs,
        lambda p: "\t".join(
            (
                str(p.pk),
                p.name,
                p.producer.name,
                p.group.name,
                p.producer.current_province.name,
                p.producer.province.name,
            )
        ),
        searched=bool(request.GET.get("q")),
    )


def floor_producers(request):
    qs = producer_list(request.user)
    if request.GET.get("q"):
        qs = search_filter(qs, request.GET["q"])
    return _rows_response(
        qs,
        lambda p: "\t".join(
            (str(p.pk), p.name, p.tax_code, p.kind, p.current_province.name, p.province.name, str(p.product_count))
        ),
        searched=bool(request.GET.get("q")),
    )


urlpatterns = [
    path("bench/floor/products/", floor_products),
    path("bench/floor/producers/", floor_producers),
    *portal_urls.urlpatterns,
]


# -- fixtures in the bench database ---------------------------------------------------------------------
def bench_users():
    province, _org, superuser, staff = common.bench_users(STAFF_PROVINCE)
    return superuser, staff, province


def add_marker_rows(province, start, stop):
    """Producers (one product each) of `province` whose names carry MARKER; every third one recorded under
    a province as it was before the reform, so the template's "formerly …" branch runs too."""
    wards = list(AdministrativeUnit.objects.filter(parent=province, is_current=True).order_by("code")[:50])
    olds = list(AdministrativeUnit.objects.filter(level="province", is_current=False, successor=province))
    old_units = {o.pk: list(o.children.order_by("code")[:10]) for o in olds}
    groups = list(ProductGroup.objects.order_by("code"))
    producers = []
    for i in range(start, stop):
        old = olds[i % len(olds)] if olds and i % 3 == 2 else None
        if old is not None:
            recorded, unit = old, (old_units[old.pk] or [None])[i % max(1, len(old_units[old.pk]))]
        else:
            recorded, unit = province, wards[i % len(wards)]
        name = f"Cơ sở đo kiểm {MARKER} {i:04d}"
        tax_code = f"8{i:09d}"
        producers.append(
            Producer(
                name=name,
                kind="household",
                tax_code=tax_code,
                legal_representative="Nguyễn Văn Đo",
                province=recorded,
                unit=unit,
                current_province=province,
                is_generated=True,
                search_text=search_text(name, tax_code),
            )
        )
    producers = Producer.objects.bulk_create(producers)
    Product.objects.bulk_create(
        Product(
            name=f"Sản phẩm đo kiểm {i:04d}",
            producer=p,
            group=groups[i % len(groups)],
            is_generated=True,
            search_text=search_text(f"Sản phẩm đo kiểm {i:04d}", p.name, p.tax_code),
        )
        for i, p in zip(range(start, stop), producers, strict=True)
    )


def count_queries(client, url):
    queries, response = common.count_queries(client, url)
    return len(queries), response.content.decode()


def query_counts(clients, province):
    """Queries per list page with 1, 20 and 1,000 matching rows (rows added in a transaction rolled back)."""
    counts = {}
    pages = {
        "product_list": ("/staff/products/", "Sản phẩm đo kiểm "),
        "producer_list": ("/staff/producers/", f"Cơ sở đo kiểm {MARKER} "),
    }
    with transaction.atomic():
        made = 0
        for size in (1, 20, 1000):
            add_marker_rows(province, made, size)
            made = size
            for who, client in clients.items():
                for page, (url, shown) in pages.items():
                    n, html = count_queries(client, f"{url}?q={MARKER.lower()}")
                    if html.count(shown) != min(size, PAGE_SIZE):
                        raise SystemExit(f"{page} as {who} with {size} rows shows {html.count(shown)} of them")
                    counts[(page, who, size)] = n
        transaction.set_rollback(True)
    return counts


# -- PostgreSQL plans -----------------------------------------------------------------------------------
def explain(qs):
    return qs.explain(analyze=True, buffers=True)


def search_plans(superuser):
    """EXPLAIN ANALYZE of the count and the page keys of every search (bench/search_plans.py)."""
    return [
        search_plans_of.query_plans(search_filter(product_list(superuser), q), q, PAGE_SIZE, SEARCH_INDEX, NAME_INDEX)
        for q in SEARCH_QUERIES
    ]


def pg_settings():
    names = (
        "server_version",
        "random_page_cost",
        "effective_cache_size",
        "work_mem",
        "shared_buffers",
        "max_parallel_workers_per_gather",
        "jit",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)", [list(names)])
        return dict(cursor.fetchall())


def page_queries(client, url):
    """The SQL a page runs (shortened), for the report."""
    return [f"{q['time']}s {q['sql'][:160]}" for q in common.count_queries(client, url)[0]]


# -- the run --------------------------------------------------------------------------------------------
def search_figures(figures, details, client):
    """Search through the product list page: SEARCH_ROUNDS rounds of SEARCH_QUERIES against the floor."""
    for q in SEARCH_QUERIES:  # warm-up round
        get(client, f"/staff/products/?q={q}")
        get(client, f"/bench/floor/products/?q={q}")
    page_ms, floor_ms, per_query = [], [], {}
    for _ in range(SEARCH_ROUNDS):
        for q in SEARCH_QUERIES:
            page_ms.append(get(client, f"/staff/products/?q={q}")[0])
            floor_ms.append(get(client, f"/bench/floor/products/?q={q}")[0])
            per_query.setdefault(q, []).append(page_ms[-1])
    for pct in (50, 95):
        value = percentile(page_ms, pct)
        figures[f"search_p{pct}"] = figure(
            value,
            "ms",
            percentile(floor_ms, pct),
            target=f"<= {SEARCH_P95_TARGET_MS:g} ms" if pct == 95 else None,
            ok=value <= SEARCH_P95_TARGET_MS if pct == 95 else None,
        )
    worst_q = max(per_query, key=lambda q: percentile(per_query[q], 95))
    worst = percentile(per_query[worst_q], 95)
    figures["search_slowest_query_p95"] = figure(
        worst, "ms", target=f"<= {SEARCH_P95_TARGET_MS:g} ms", ok=worst <= SEARCH_P95_TARGET_MS
    )
    details["search_slowest_query"] = worst_q
    details["search_per_query_p95_ms"] = {q: round(percentile(v, 95), 2) for q, v in per_query.items()}
    relevance_figures(figures, details, client)


def relevance_figures(figures, details, client):
    """Informational: the same searches sorted by "Relevance" (products.ranking), which ranks every match, one
    round after a warm-up round; the name order above is the lists' default."""
    per_query = {}
    for warm_up in (True, False):
        for q in SEARCH_QUERIES:
            elapsed = get(client, f"/staff/products/?q={q}&o=relevance")[0]
            if not warm_up:
                per_query[q] = elapsed
    figures["search_relevance_p95"] = figure(percentile(list(per_query.values()), 95), "ms")
    details["search_relevance_ms"] = {q: round(v, 2) for q, v in per_query.items()}


def slug(q):
    return "_".join(q.split())


def plan_figures(figures, details, superuser):
    """The search plans on PostgreSQL: the trigram index must serve the filter of every query that has a word of
    three letters or more; and the unfiltered list pages' plans."""
    plans = search_plans(superuser)
    p95, relevance = details.get("search_per_query_p95_ms", {}), details.get("search_relevance_ms", {})
    indexed = [p for p in plans if p["needs_index"]]
    used = sum(p["index_used"] for p in indexed)
    served = sum(p["index_used"] or p["stops_at_cap"] for p in indexed)
    figures["search_trgm_index_used"] = figure(used, f"of {len(indexed)} queries")
    figures["search_served"] = figure(
        served,
        f"of {len(indexed)} queries",
        target="every query with a word of 3+ letters: trigram index, or a scan stopped at the count's cap",
        ok=served == len(indexed),
    )
    for p in indexed:
        ok = p["index_used"] or p["stops_at_cap"]
        figures[f"search_trgm_{slug(p['q'])}"] = figure(
            int(p["index_used"]), "1 = yes", target="trigram index, or stopped at the cap", ok=ok
        )
    details["postgresql_settings"] = pg_settings()
    details["search_plans"] = [{k: v for k, v in p.items() if not k.endswith("_plan")} for p in plans]
    print("EXPLAIN ANALYZE of the search's count and page keys (q='lap suon'):\n")
    print(plans[0]["count_plan"], "\n")
    print(plans[0]["page_plan"])
    print("\nPer query: matches, trigram index in the count's plan, the page keys' access path, ms, page p95, page")
    for p in plans:
        used = (
            "trgm GIN"
            if p["index_used"]
            else "cap stop"
            if p["stops_at_cap"]
            else "NO TRGM"
            if p["needs_index"]
            else "-"
        )
        print(
            f"  {p['q']:<18} {p['matches']:>6}  {used:<9} count {p['count_ms']:>7} ms  "
            f"page keys: {p['page_path']:<16} {p['page_ms']:>7} ms  p95 {p95.get(p['q'], '')} ms  "
            f"sorted by relevance {relevance.get(p['q'], '')} ms"
        )
    details["unfiltered_plans"] = {
        "product_list_page": explain(product_list(superuser)[:PAGE_SIZE]),
        "producer_list_page": explain(producer_list(superuser)[:PAGE_SIZE]),
    }
    print("\nEXPLAIN ANALYZE of the unfiltered product list page query (superuser):\n")
    print(details["unfiltered_plans"]["product_list_page"])


def main():
    started, load_at_start = common.start(__name__)
    superuser, staff, province = bench_users()
    clients = {"superuser": client_for(superuser), "staff": client_for(staff)}
    totals = {"producers": Producer.objects.count(), "products": Product.objects.count()}
    print(
        f"Database {connection.settings_dict['NAME']}: {totals['producers']} producers, "
        f"{totals['products']} products; staff user of {STAFF_PROVINCE}; {N} timed requests after {WARMUP} "
        f"warm-ups per figure; load average {load_at_start}.\n"
    )

    figures, details = {}, {"totals": totals, "staff_province": STAFF_PROVINCE, "n": N, "warmup": WARMUP}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # 1. List pages against their floors.
        for page, url, floor_url in (
            ("product_list", "/staff/products/", "/bench/floor/products/"),
            ("producer_list", "/staff/producers/", "/bench/floor/producers/"),
        ):
            for who, client in clients.items():
                page_ms, floor_ms = compare(client, url, floor_url)
                page_figures(figures, f"{page}_{who}", page_ms, floor_ms, LIST_RATIO_TARGET)
        search_figures(figures, details, clients["superuser"])

    # 3. Query counts at 1, 20 and 1,000 rows.
    counts = query_counts(clients, province)
    for (page, who, size), n in sorted(counts.items()):
        base = counts[(page, who, 1)]
        figures[f"queries_{page}_{who}_{size}_rows"] = figure(
            n, "queries", base, target="same at every size", ok=n == base
        )

    details["queries_of_product_list_superuser"] = page_queries(clients["superuser"], "/staff/products/")
    details["queries_of_producer_list_staff"] = page_queries(clients["staff"], "/staff/producers/")

    plan_figures(figures, details, superuser)
    return common.finish("registry", figures, details, started, load_at_start, caught)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
