"""The public catalogue under load: 20 concurrent clients against gunicorn on 127.0.0.1, on the bench PostgreSQL
database (100,000 products of `manage.py generate_scale`). Run by bench/run.sh (`make bench`) after the others;
adds its figures to bench/results.json (bench/common.py) and prints a table.

The data (bench/catalogue_data.py: made once with bulk_create, then reused; marked by the note "bench-catalogue"):
every BENCH_SHARE-th generated product (default 5: 20,000 products) recognised at province level, one in three of
those also at region level and one in twenty at national level; one in three rated under OCOP (3★, 4★ or 5★, still
valid), one in two with a photo (one small JPEG shared by all their rows, the list only links to it), one in four
with a certificate.

The server (bench/server.py): gunicorn (gthread, BENCH_WORKERS workers × BENCH_THREADS threads, default 3 × 4)
with the test settings (DEBUG=False, per-process memory cache) serving this module's URLs: the portal's own plus a
bare floor.
The load: BENCH_CLIENTS (20) threads, each opening a connection per request with http.client, BENCH_REQUESTS
(400) requests per scenario after BENCH_WARMUP_REQUESTS (40); p50, p95 and throughput per scenario:

- list: the first pages of the catalogue, unfiltered (pages 1–40);
- search: accent-free searches ("lap suon", "chieu truc", "banh phong tom", …), first and second page;
- filters: province, group, level and stars, alone and combined, with and without a search;
- product: product pages of random recognised products;
- each of list/search/filters once more with the catalogue's cache off (CATALOGUE_CACHE_SECONDS=0, second server);
- dashboard_national, dashboard_province: the staff dashboard (superuser: national, a province or a range of
  years; staff: their province), signed in by a session cookie; their throughput beside the catalogue's;
- floors: the list's own reads with no template (`/bench/floor/catalogue/`, the parameters of list, search and
  filters mixed), and `/healthz` (one SELECT 1), both under the same 20 clients.

The target: each page's p95 at most 3× the bare-queries floor's p95 under the same load. Query counts per page (list,
search, filters, product page) are measured in-process with the cache off (at most 9, as in the tests' small data)
and warm (1: the data version).

Environment: BENCH_SHARE (5), BENCH_CLIENTS (20), BENCH_REQUESTS (400), BENCH_WARMUP_REQUESTS (40), BENCH_WORKERS
(3), BENCH_THREADS (4), BENCH_PORT (a free port), BENCH_RESULTS (output path), BENCH_STRICT=1 (exit 1 on a missed
target). Failed requests (an error status, refused, timed out) are left out of the figures, counted and reported.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import http.client
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from awards.models import Certificate, OcopRating, Recognition
from bench import catalogue_data as data
from bench.common import figure, percentile
from bench.server import Server, free_port
from portal import urls as portal_urls
from portal.catalogue import selectors
from products.models import AdministrativeUnit, Product, ProductGroup, ProductPhoto

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
WARMUP_REQUESTS = int(os.environ.get("BENCH_WARMUP_REQUESTS", "40"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "0")) or free_port()
RESULTS = common.RESULTS
RATIO_TARGET = 3.0
SEARCHES = ["lap suon", "chieu truc", "banh phong tom", "che shan tuyet", "mien dong", "cao bang", "mat ong", "gom"]


# -- the floor, served by the same gunicorn ----------------------------------------------------------------------------
def floor_catalogue(request):
    """The list's own reads (version, options, count, the page's rows with their card values and levels, through the
    same cache) as plain text."""
    version = selectors.data_version()
    options = selectors.filter_options(version)
    query = selectors.CatalogueQuery.from_params(request.GET, options)
    qs = selectors.filtered_products(query)
    total = selectors.filtered_count(query, version, qs)
    page = max(1, int(request.GET.get("page", "1")))
    bottom = min((page - 1) * selectors.PAGE_SIZE, max(total - 1, 0) // selectors.PAGE_SIZE * selectors.PAGE_SIZE)
    rows = selectors.cached_page(query, version, qs, bottom, min(bottom + selectors.PAGE_SIZE, total))
    lines = [
        "\t".join(
            (
                p.name,
                p.producer.name,
                p.producer.current_province.name,
                p.group.name,
                str(p.photo_uid or ""),
                str(p.ocop_stars or ""),
                " ".join(f"{lv['name']} {lv['years']}" for lv in selectors.levels_reached(p.public_recognitions)),
            )
        )
        for p in rows
    ]
    return HttpResponse(f"{total}\n" + "\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/catalogue/", floor_catalogue), *portal_urls.urlpatterns]


def wsgi_app():
    """gunicorn's entry point (`bench.bench_catalogue:wsgi_app()`): the portal plus the floor."""
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


# -- the scenarios -----------------------------------------------------------------------------------------------------
def scenario_urls(rng, recognised_ids):
    provinces = list(AdministrativeUnit.objects.filter(level="province", is_current=True).values_list("pk", flat=True))
    groups = list(ProductGroup.objects.values_list("pk", flat=True))
    ranks = sorted({rank for rank, _name in selectors.filter_options(selectors.data_version())["levels"]})
    lst = reverse("catalogue:public.product.list")

    def listing():
        page = rng.randint(1, 40)
        return f"{lst}?page={page}" if page > 1 else lst

    def search():
        q = rng.choice(SEARCHES).replace(" ", "+")
        return f"{lst}?q={q}" + ("&page=2" if rng.random() < 0.3 else "")

    def filter_params():
        params = []
        if rng.random() < 0.6:
            params.append(f"province={rng.choice(provinces)}")
        if rng.random() < 0.4:
            params.append(f"group={rng.choice(groups)}")
        if rng.random() < 0.3:
            params.append(f"level={rng.choice(ranks)}")
        if rng.random() < 0.3:
            params.append(f"stars={rng.choice([3, 4, 5])}")
        if rng.random() < 0.3:
            params.append(f"q={rng.choice(SEARCHES).replace(' ', '+')}")
        return "&".join(params) or "stars=4"

    def filters():
        return f"{lst}?{filter_params()}"

    def product():
        return reverse("catalogue:public.product.detail", args=[rng.choice(recognised_ids)])

    def floor():
        # The same mix of queries as the three list scenarios, without the page around them.
        url = rng.choice([listing, search, filters])()
        return "/bench/floor/catalogue/" + url[len(lst) :]

    return {
        "list": listing,
        "search": search,
        "filters": filters,
        "product": product,
        **dashboard_scenarios(rng, provinces),
        "floor_queries": floor,
        "floor_healthz": lambda: "/healthz",
    }


def dashboard_scenarios(rng, provinces) -> dict:
    """The staff dashboard on the same server (bench_dashboard.py made its data and its maintained figures): the
    national page as a superuser, with or without a province or years chosen, and a province's page as its
    staff. Each request carries its reader's session cookie."""
    _province, _org, superuser, staff = common.bench_users(common.PROVINCE)
    cookies = {}
    for name, user in (("national", superuser), ("province", staff)):
        client = common.client_for(user)
        cookies[name] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = reverse("dashboards:staff.dashboard")

    def national():
        choice = rng.random()
        query = f"?province={rng.choice(provinces)}" if choice < 0.3 else "?year_from=2018" if choice < 0.5 else ""
        return url + query, {"Cookie": cookies["national"]}

    return {
        "dashboard_national": national,
        "dashboard_province": lambda: (url, {"Cookie": cookies["province"]}),
    }


def load(make_url, requests=REQUESTS, clients=CLIENTS):
    """`requests` GETs by `clients` threads at once; returns (latencies in ms of the answered ones, answers per
    second, the failures)."""
    urls = [make_url() for _ in range(requests)]
    lock, latencies, errors = threading.Lock(), [], []
    position = iter(range(requests))

    def worker():
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            url, headers = urls[i] if isinstance(urls[i], tuple) else (urls[i], {})
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            try:
                conn.request("GET", url, headers={"Host": "127.0.0.1", **headers})
                response = conn.getresponse()
                response.read()
                failure = None if response.status == 200 else f"{response.status} {url}"
            except OSError as exc:  # a refused or timed-out request is counted, not raised
                failure = f"{exc!r} {url}"
            finally:
                conn.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if failure is None:
                    latencies.append(elapsed)
                else:
                    errors.append(failure)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    if errors:
        print(f"{len(errors)} of {requests} requests failed (left out of the figures), e.g. {errors[:3]}")
    if not latencies:
        raise SystemExit(f"Every request failed, e.g. {errors[:3]}")
    return latencies, len(latencies) / wall, errors


def catalogue_server(cache_seconds: int) -> Server:
    return Server(
        "bench.bench_catalogue:wsgi_app()",
        workers=WORKERS,
        threads=THREADS,
        port=PORT,
        env={"CATALOGUE_CACHE_SECONDS": str(cache_seconds)},
    )


def query_counts(recognised_ids) -> dict:
    """Queries per page in-process, with the catalogue's cache off and then warm, on the bench data."""
    client = Client()
    lst = reverse("catalogue:public.product.list")
    pages = {
        "list": lst,
        "list_page_7": f"{lst}?page=7",
        "search": f"{lst}?q=lap+suon",
        "filters": f"{lst}?stars=4&group={ProductGroup.objects.order_by('pk').first().pk}",
        "product": reverse("catalogue:public.product.detail", args=[recognised_ids[0]]),
    }
    counts = {}
    saved = settings.CATALOGUE_CACHE_SECONDS
    try:
        for label, seconds in (("uncached", 0), ("warm", 120)):
            settings.CATALOGUE_CACHE_SECONDS = seconds
            for name, url in pages.items():
                assert client.get(url).status_code == 200
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                counts[f"{name}_{label}"] = len(ctx.captured_queries)
    finally:
        settings.CATALOGUE_CACHE_SECONDS = saved
    return counts


# -- the run -----------------------------------------------------------------------------------------------------------
def run_scenarios(recognised_ids):
    """Every scenario with the catalogue's cache on, then list, search and filters with it off."""
    rng = random.Random(20)  # noqa: S311 (reproducible URL mix)
    scenarios = scenario_urls(rng, recognised_ids)
    results = {}
    with catalogue_server(int(getattr(settings, "CATALOGUE_CACHE_SECONDS", 120)) or 120):
        for name, make_url in scenarios.items():
            load(make_url, requests=WARMUP_REQUESTS)
            results[name] = load(make_url)
    with catalogue_server(0):
        for name in ("list", "search", "filters"):
            load(scenarios[name], requests=WARMUP_REQUESTS)
            results[f"{name}_uncached"] = load(scenarios[name])
    return results


def catalogue_figures(figures, results):
    floor_p95 = percentile(results["floor_queries"][0], 95)
    floor_p50 = percentile(results["floor_queries"][0], 50)
    for name, (latencies, throughput, _errors) in results.items():
        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        page = not name.startswith(("floor", "dashboard"))  # a dashboard's floor is bench_dashboard's
        figures[f"catalogue_{name}_p50"] = figure(p50, "ms", floor_p50 if page else None)
        figures[f"catalogue_{name}_p95"] = figure(
            p95,
            "ms",
            floor_p95 if page else None,
            target=f"<= {RATIO_TARGET:g}x floor" if page and "uncached" not in name else None,
            ok=p95 / floor_p95 <= RATIO_TARGET if page and "uncached" not in name else None,
        )
        figures[f"catalogue_{name}_throughput"] = figure(throughput, "req/s")


def main():
    started, load_at_start = common.start(__name__)
    t0 = time.perf_counter()
    made = data.build()
    build_seconds = round(time.perf_counter() - t0, 1)
    connection.close()
    recognised_ids = list(selectors.recognised_products().order_by("pk").values_list("pk", flat=True))
    totals = {
        "products": Product.objects.count(),
        "recognised_products": len(recognised_ids),
        "recognitions": Recognition.objects.count(),
        "ocop_ratings": OcopRating.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    print(
        f"Database {connection.settings_dict['NAME']}: {totals['products']} products, {len(recognised_ids)} recognised "
        f"({made} made now in {build_seconds} s); {CLIENTS} clients, {REQUESTS} requests per scenario after "
        f"{WARMUP_REQUESTS} warm-ups; gunicorn {WORKERS} workers × {THREADS} threads on port {PORT}; load average "
        f"{load_at_start}.\n"
    )
    results = run_scenarios(recognised_ids)
    figures = {}
    catalogue_figures(figures, results)
    counts = query_counts(recognised_ids)
    for name, n in counts.items():
        # Uncached: version, 4 filter options, count, keys, rows, recognitions (the product page: 5). Warm: version.
        limit = 1 if name.endswith("_warm") and not name.startswith("product") else 9
        figures[f"queries_catalogue_{name}"] = figure(n, "queries", target=f"<= {limit}", ok=n <= limit)
    details = {
        "totals": totals,
        "clients": CLIENTS,
        "requests": REQUESTS,
        "warmup": WARMUP_REQUESTS,
        "gunicorn": {"workers": WORKERS, "threads": THREADS, "worker_class": "gthread", "port": PORT},
        "build_seconds": build_seconds,
        "failed_requests": {
            name: [f"{len(errors)} in all", *errors[:5]] for name, (_l, _t, errors) in results.items() if errors
        },
        "list_plan": selectors.ranking.newest_first(
            selectors.filtered_products(selectors.CatalogueQuery()), filtered=False
        )[: selectors.PAGE_SIZE].explain(analyze=True),
    }
    return common.finish("catalogue", figures, details, started, load_at_start)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
