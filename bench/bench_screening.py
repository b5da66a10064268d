"""The screening queue of a national round at scale: page time against a bare-query floor, with and without a
filter, and the page's query count at 1, 20 and 500 dossiers. Run by bench/run.sh (`make bench`) after
bench_registry.py, on the same database (`manage.py generate_scale` data); adds its figures to
bench/results.json (bench/common.py) and prints a table.

The data (bench/screening_data.py: made once, then reused): three published national rounds of the ministry agency
with registration open today, holding 500, 20 and 1 submitted dossiers of distinct generated products (one per
producer, taken from every province in turn). Each dossier has 10 documents (the round's checklist is topped up to
10 items per product group), 3 photos, a filled-in form, a status among submitted / in screening / resubmitted /
accepted / returned, a receipt code BENCH-<province>-<n> and its missing_count as dossier_gaps() computes it (a
third of them lack the region-level recognition a national round requires). Rows are written with bulk_create and
checked against dossier_gaps() on a sample.

Every figure is measured in this process with django.test.Client (whole middleware stack, DEBUG=False), as a
superuser and as a ministry-agency staff member. The floor is a bare view, routed through the same middleware,
that runs the page's queryset (nominations_for_staff, same round, same filters, same select_related and order,
a count and the 50-row page) and returns the rows as plain text with no template. Page and floor requests
alternate so that drift on this shared machine hits both alike.

Environment: BENCH_N (timed requests per figure, 50), BENCH_WARMUP (5), BENCH_RESULTS (output path),
BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import re
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from awards.enums import NominationStatus
from awards.models import (
    Nomination,
    NominationDocument,
    NominationPhoto,
)
from awards.selectors import nominations_for_staff
from awards.views.screening import ScreeningQueueView
from bench import screening_data as data
from bench.common import WARMUP, N, client_for, compare, figure, page_figures
from portal import urls as portal_urls

RESULTS = common.RESULTS
PAGE_SIZE = 50  # ScreeningQueueView's paginator
SIZES = data.SIZES
FILTER = "status=submitted&missing=yes"
RECEIPT_RE = re.compile(r'class="mono"><a href="[^"]*">(BENCH[^<]*)</a>')


# -- the floor: the page's own queryset, no filter form, no template -------------------------------------
def floor_queue(request, pk):
    qs = (
        nominations_for_staff(request.user)
        .filter(round_id=pk)
        .exclude(status=NominationStatus.DRAFT)
        .select_related("product__group", "producer__current_province")
        .order_by("receipt_code", "id")
    )
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("missing") == "yes":
        qs = qs.filter(missing_count__gt=0)
    elif request.GET.get("missing") == "no":
        qs = qs.filter(missing_count=0)
    total = qs.count()
    rows = [
        "\t".join(
            (
                str(n.pk),
                n.receipt_code,
                n.product.name,
                n.producer.name,
                n.product.group.name,
                n.producer.current_province.name,
                n.status,
                str(n.missing_count),
            )
        )
        for n in qs[:PAGE_SIZE]
    ]
    return HttpResponse(f"{total}\n" + "\n".join(rows), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/rounds/<int:pk>/nominations/", floor_queue),
    *portal_urls.urlpatterns,
]


def count_queries(client, url):
    queries, response = common.count_queries(client, url)
    return queries, response.content.decode()


def explain(qs):
    return qs.explain(analyze=True, buffers=True)


# -- the run --------------------------------------------------------------------------------------------
def query_figures(figures, details, clients, rounds):
    """Queries of the queue page at 1, 20 and 500 dossiers in the round."""
    counts, sql = {}, {}
    for who, client in clients.items():
        for size in sorted(SIZES):
            queries, html = count_queries(client, f"/staff/rounds/{rounds[size].pk}/nominations/")
            shown = len(RECEIPT_RE.findall(html))
            if shown != min(size, PAGE_SIZE):
                raise SystemExit(f"The queue of {size} dossiers as {who} shows {shown} of them")
            counts[(who, size)] = len(queries)
            sql[f"{who}_{size}"] = [f"{q['time']}s {q['sql'][:200]}" for q in queries]
    for (who, size), n in counts.items():
        base = counts[(who, min(SIZES))]
        figures[f"queries_screening_queue_{who}_{size}_rows"] = figure(
            n, "queries", base, target="same at every size", ok=n == base
        )
    details["queries_of_queue_superuser_500"] = sql[f"superuser_{SIZES[0]}"]
    details["queries_of_queue_ministry_500"] = sql[f"ministry_{SIZES[0]}"]


def queue_plans(superuser, big):
    """The PostgreSQL plans of the page's count and keys queries (superuser, 500 dossiers)."""
    view = ScreeningQueueView()
    view.request = RequestFactory().get("/")
    view.request.user = superuser
    qs = view.queryset(big)
    plans = {
        "count": explain(qs.order_by().values("pk")),  # the count's WHERE, without the ORDER BY
        "keys": explain(qs.values_list("pk", flat=True)[:PAGE_SIZE]),
        "filtered_keys": explain(
            qs.filter(Q(status="submitted") & Q(missing_count__gt=0)).values_list("pk", flat=True)[:PAGE_SIZE]
        ),
    }
    print("EXPLAIN ANALYZE of the queue's page keys (superuser, 500 dossiers):\n")
    print(plans["keys"])
    return plans


def main():
    started, load_at_start = common.start(__name__)
    agency, superuser, ministry = data.bench_users()
    rounds = data.bench_rounds(agency)
    setup_s = round(time.perf_counter() - started, 1)
    big = rounds[SIZES[0]]
    clients = {"superuser": client_for(superuser), "ministry": client_for(ministry)}
    totals = {
        "nominations_in_round": big.nominations.count(),
        "documents_in_round": NominationDocument.objects.filter(nomination__round=big).count(),
        "photos_in_round": NominationPhoto.objects.filter(nomination__round=big).count(),
        "provinces_in_round": big.nominations.values("producer__current_province").distinct().count(),
        "nominations_in_database": Nomination.objects.count(),
        "matching_filter": big.nominations.filter(status="submitted", missing_count__gt=0).count(),
    }
    print(
        f"Database {connection.settings_dict['NAME']}: national round #{big.pk} with {totals['nominations_in_round']}"
        f" dossiers from {totals['provinces_in_round']} provinces ({totals['documents_in_round']} documents,"
        f" {totals['photos_in_round']} photos; {totals['matching_filter']} match ?{FILTER}); setup {setup_s} s."
        f" {N} timed requests after {WARMUP} warm-ups per figure; load average {load_at_start}.\n"
    )

    figures = {}
    details = {"totals": totals, "round_ids": {str(k): r.pk for k, r in rounds.items()}, "n": N, "warmup": WARMUP}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # 1. The queue page against its floor, plain and filtered.
        for variant, query in (("queue", ""), ("queue_filtered", f"?{FILTER}")):
            for who, client in clients.items():
                page_ms, floor_ms = compare(
                    client,
                    f"/staff/rounds/{big.pk}/nominations/{query}",
                    f"/bench/floor/rounds/{big.pk}/nominations/{query}",
                )
                page_figures(figures, f"screening_{variant}_{who}", page_ms, floor_ms)

    query_figures(figures, details, clients, rounds)
    details["plans"] = queue_plans(superuser, big)
    details["setup_seconds"] = setup_s
    return common.finish("screening", figures, details, started, load_at_start, caught)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
