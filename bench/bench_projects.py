"""Khuyến công projects and the producer's record at scale: 20,000 projects (with their funding per source and
their beneficiaries) and 2,000 fairs next to the 100,000 products of `manage.py generate_scale`; the p50/p95 of
the staff projects list and of the producer's record page against bare floors, and their query counts at small
and at large data. Run by bench/run.sh (`make bench`) on the bench PostgreSQL database; adds its figures to
bench/results.json (bench/common.py) and prints a table.

The data (bench/projects_data.py: made once with bulk_create, then reused; codes BKC-…): projects spread over
today's 34 provinces and plan years 2012–2025, every activity type, mostly settled; 1–3 fundings each (local
always, national and counterpart often); 1–2 beneficiaries of the province for the types that have them. 2,000
fairs (4 producers each). One record producer of BENCH_PROVINCE (a generated producer, "Cơ sở hồ sơ đo kiểm") gets
20 products, each recognised at province, region and national level with a certificate for the province
recognition, rated 3★ then 4★ under OCOP and nominated in a round when one exists; it benefits from 30 projects and
took part in 25 fairs. Its account (bench.record@cnnt.bench) opens its own record.

Floors: the projects list's own queryset (count and the 25-row slice, annotations included) as plain text; the
record page's own reads (portal.producer_record.producer_record, every prefetch consumed) as plain text, with no
template. Page and floor requests alternate.

Query counts: the projects list filtered to 1, 20 and 1,000 marker projects (added in a transaction rolled back);
the record of a producer with one product, one project and one fair (rolled back) against the record producer.

Environment: BENCH_PROJECTS (20000), BENCH_FAIRS (2000), BENCH_N (50), BENCH_WARMUP (5), BENCH_PROVINCE
("Đồng Tháp"), BENCH_RESULTS (output path), BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path, reverse

from awards.models import Recognition
from bench import projects_data as data
from bench.common import PROVINCE, WARMUP, N, client_for, compare, figure, page_figures
from extension_projects.models import Fair, FairParticipation, Project, ProjectFunding
from extension_projects.selectors import project_list
from portal import urls as portal_urls
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.producer_record import producer_record
from products.models import AdministrativeUnit, Producer, Product

PAGE_SIZE = 25
MARKER = data.MARKER


# -- the floors -----------------------------------------------------------------------------------------------------
def floor_projects(request):
    qs = project_list(request.user)
    if request.GET.get("q"):
        from extension_projects.selectors import project_search

        qs = project_search(qs, request.GET["q"])
    total = qs.count()
    keys = list(qs.values_list("pk", flat=True)[:PAGE_SIZE])
    rows = {p.pk: p for p in qs.filter(pk__in=keys)}
    lines = [
        "\t".join(
            (
                p.code,
                p.title,
                p.activity_type.name,
                str(p.plan_year),
                p.current_province.name,
                p.province.name,
                p.status,
                str(p.approved_total),
                str(p.disbursed_total),
            )
        )
        for p in (rows[k] for k in keys)
    ]
    return HttpResponse(f"{total}\n" + "\n".join(lines), content_type="text/plain; charset=utf-8")


def floor_record(request, pk):
    producer = Producer.objects.get(pk=pk)
    record = producer_record(producer, audience="staff")
    lines = []
    for p in record["products"]:
        lines.append(p.name)
        lines += [f"{n.round.title} {n.round.level.name} {n.status}" for n in p.record_nominations]
        for r in p.record_recognitions:
            lines.append(f"{r.level.name} {r.year} {r.decision_number}")
            lines += [f"{c.number} {c.state()}" for c in r.record_certs]
        lines += [f"{r.stars} {r.score} {r.decision_number}" for r in p.record_ratings]
    for project in record["projects"]:
        lines.append(f"{project.code} {project.activity_type.name} {project.record_amounts} {project.status}")
    for fp in record["participations"]:
        lines.append(f"{fp.fair.name} {fp.support_amount} {[x.name for x in fp.products.all()]}")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/projects/", floor_projects),
    path("bench/floor/record/<int:pk>/", floor_record),
    *portal_urls.urlpatterns,
]


# -- query counts ---------------------------------------------------------------------------------------------------
def count_queries(client, url):
    queries, response = common.count_queries(client, url)
    return len(queries), response.content.decode()


def list_query_counts(clients, province):
    url = reverse("extension_projects:staff.project.list")
    counts = {}
    with transaction.atomic():
        made = 0
        for size in (1, 20, 1000):
            data.add_marker_projects(province, made, size)
            made = size
            for who, client in clients.items():
                n, html = count_queries(client, f"{url}?q={MARKER.lower()}")
                shown = html.count(f"Đề án đo kiểm {MARKER} ")
                if shown != min(size, PAGE_SIZE):
                    raise SystemExit(f"projects list as {who} with {size} rows shows {shown} of them")
                counts[(who, size)] = n
        transaction.set_rollback(True)
    return counts


def record_query_counts(staff_client, owner_client, province, big):
    """Queries of the record page (staff and the producer's own) for a producer with one of everything, then
    for the record producer (20 products, 60 recognitions, 30 projects, 25 fairs)."""
    counts = {}
    with transaction.atomic():
        base = Producer.objects.filter(current_province=province, is_generated=True).order_by("pk").first()
        small = Producer.objects.create(
            name="Cơ sở hồ sơ đo kiểm nhỏ",
            kind="household",
            tax_code="8999999998",
            legal_representative="Nguyễn Văn Nhỏ",
            province=base.province,
            unit=base.unit,
            current_province=province,
            is_generated=True,
        )
        data.furnish(small, products=1, projects=1, fairs=1, serial_from=9000)
        small_owner = User.objects.create(
            email="bench.record.small@cnnt.bench", full_name="Bench nhỏ", role=Role.PRODUCER, producer=small
        )
        small_client = client_for(small_owner)
        counts[("staff", "small")] = count_queries(
            staff_client, reverse("record:staff.producer.detail", args=[small.pk])
        )[0]
        counts[("producer", "small")] = count_queries(small_client, reverse("record:producer.detail"))[0]
        transaction.set_rollback(True)
    counts[("staff", "large")] = count_queries(staff_client, reverse("record:staff.producer.detail", args=[big.pk]))[0]
    counts[("producer", "large")] = count_queries(owner_client, reverse("record:producer.detail"))[0]
    return counts


# -- the run --------------------------------------------------------------------------------------------------------
def record_owner(producer):
    return common.bench_user("bench.record@cnnt.bench", "Bench cơ sở", Role.PRODUCER, producer=producer)


def data_totals(province, big):
    return {
        "products": Product.objects.count(),
        "projects": Project.objects.count(),
        "fundings": ProjectFunding.objects.count(),
        "beneficiary_links": Project.beneficiaries.through.objects.count(),
        "fairs": Fair.objects.count(),
        "fair_participations": FairParticipation.objects.count(),
        "projects_in_staff_province": Project.objects.filter(current_province=province).count(),
        "record_producer": {
            "products": big.products.count(),
            "projects": big.extension_projects.count(),
            "fairs": big.fair_participations.count(),
            "recognitions": Recognition.objects.filter(product__producer=big).count(),
        },
    }


def page_timings(figures, clients, owner_client, big):
    """The projects list, then the producer's record (staff of its province; the producer itself), against their
    floors."""
    for who, client in clients.items():
        page_ms, floor_ms = compare(client, reverse("extension_projects:staff.project.list"), "/bench/floor/projects/")
        page_figures(figures, f"project_list_{who}", page_ms, floor_ms)
    floor_url = f"/bench/floor/record/{big.pk}/"
    for who, client, url in (
        ("staff", clients["staff"], reverse("record:staff.producer.detail", args=[big.pk])),
        ("producer", owner_client, reverse("record:producer.detail")),
    ):
        page_ms, floor_ms = compare(client, url, floor_url)
        page_figures(figures, f"producer_record_{who}", page_ms, floor_ms)


def query_figures(figures, clients, owner_client, province, big):
    """Query counts: the list at 1, 20 and 1,000 rows; the record at small and large data."""
    counts = list_query_counts(clients, province)
    for (who, size), n in sorted(counts.items()):
        base = counts[(who, 1)]
        figures[f"queries_project_list_{who}_{size}_rows"] = figure(
            n, "queries", base, target="same at every size", ok=n == base
        )
    record_counts = record_query_counts(clients["staff"], owner_client, province, big)
    for who in ("staff", "producer"):
        small, large = record_counts[(who, "small")], record_counts[(who, "large")]
        figures[f"queries_producer_record_{who}_small"] = figure(small, "queries")
        figures[f"queries_producer_record_{who}_large"] = figure(
            large, "queries", small, target="same as small", ok=large == small
        )


def main():
    started, load_at_start = common.start(__name__)
    provinces = list(AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("code"))
    province = next(p for p in provinces if p.name == PROVINCE)
    t0 = time.perf_counter()
    producers = data.producers_by_province(provinces)
    made_projects = data.build_projects(provinces, producers)
    made_fairs = data.build_fairs(provinces, producers)
    big = data.record_producer(province)
    build_seconds = round(time.perf_counter() - t0, 1)
    _province, _org, superuser, staff = common.bench_users(PROVINCE)
    clients = {"superuser": client_for(superuser), "staff": client_for(staff)}
    owner_client = client_for(record_owner(big))
    totals = data_totals(province, big)
    print(
        f"Database {connection.settings_dict['NAME']}: {totals['products']} products, {totals['projects']} "
        f"projects ({made_projects} made now), {totals['fairs']} fairs ({made_fairs} made now) in {build_seconds} s; "
        f"staff user of {PROVINCE}; {N} timed requests after {WARMUP} warm-ups per figure; load average "
        f"{load_at_start}.\n"
    )
    figures = {}
    details = {"totals": totals, "staff_province": PROVINCE, "n": N, "warmup": WARMUP}
    details["build_seconds"] = build_seconds
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page_timings(figures, clients, owner_client, big)
    query_figures(figures, clients, owner_client, province, big)
    details["project_list_plan"] = project_list(superuser)[:PAGE_SIZE].explain(analyze=True)
    return common.finish("projects", figures, details, started, load_at_start, caught)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
