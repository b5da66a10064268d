"""The staff dashboard at national scale: the 100,000 products of `manage.py generate_scale`, the 20,000 khuyến công
projects and 2,000 fairs of bench/bench_projects.py (made here too when missing), and recognitions and OCOP ratings
made once for the generated products. The national page (superuser) and a province page (staff of BENCH_PROVINCE)
are timed through the test client against a floor, and their query counts are recorded.

The data added here (made once with bulk_create, then reused; decision numbers BDB-…): every generated product is
recognised at province level in 2012 + pk % 14; one in four also at district level the year before, one in three
at region level the year after, one in ten at national level two years after; one product in three has an OCOP
rating (3★, some 4★ and 5★) decided in 2019–2025, one in nine of those an earlier 3★ rating too; every province
today has OCOP targets for 2025 and 2030.

Floor: the page's own aggregate queries (captured once from the page, session and user lookups left out) executed
as bare SQL through a cursor and their rows fetched, with no form, no table, no chart and no template. Page and
floor requests alternate.

Environment: BENCH_N (50), BENCH_WARMUP (5), BENCH_PROVINCE ("Đồng Tháp"), BENCH_RESULTS (output path),
BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import datetime
import os
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from awards.enums import OcopTargetMetric
from awards.models import Level, OcopCriteriaSet, OcopRating, OcopTarget, Recognition
from bench import bench_projects
from bench.results import WARMUP, N, compare, figure, get, percentile, print_table, write_results
from extension_projects.models import Fair, FairParticipation, Project, ProjectFunding
from portal import urls as portal_urls
from portal.accounts.enums import Role
from portal.accounts.models import User
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Product

STAFF_PROVINCE = os.environ.get("BENCH_PROVINCE", "Đồng Tháp")
RESULTS = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
RATIO_TARGET = 3.0
QUERY_TARGET = 10
MARK = "BDB-"
BATCH = 5000
DASHBOARD = reverse("dashboards:staff.dashboard")

# The SQL of the page's aggregates, captured once per page (see `capture_floor_sql`).
FLOOR_SQL: dict[str, list[str]] = {}


def floor(request, name):
    """The page's aggregates as bare SQL, rows fetched, as plain text."""
    lines = []
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL[name]:
            cursor.execute(sql)
            lines.append(str(len(cursor.fetchall())))
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/dashboard/<slug:name>/", floor), *portal_urls.urlpatterns]


# -- the data ----------------------------------------------------------------------------------------------------------
def build_recognitions() -> int:
    if Recognition.objects.filter(decision_number__startswith=MARK).exists():
        return 0
    levels = {lv.code: lv for lv in Level.objects.filter(programme__code="spcnnttb")}
    made = 0
    keys = list(Product.objects.filter(is_generated=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), BATCH):
        rows = []
        for pk in keys[start : start + BATCH]:
            year = 2012 + pk % 14
            chain = [("province", year)]
            if pk % 4 == 0:
                chain.append(("district", year - 1))
            if pk % 3 == 0:
                chain.append(("region", min(year + 1, 2025)))
            if pk % 10 == 0:
                chain.append(("national", min(year + 2, 2025)))
            rows += [
                Recognition(
                    product_id=pk,
                    level=levels[code],
                    year=y,
                    decision_number=f"{MARK}{pk}-{code}",
                    decision_date=datetime.date(y, 11, 20),
                    source="archive",
                )
                for code, y in chain
            ]
        with transaction.atomic():
            Recognition.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    return made


def build_ocop() -> int:
    if OcopRating.objects.filter(decision_number__startswith=MARK).exists():
        return 0
    sets = list(OcopCriteriaSet.objects.order_by("valid_from"))

    def criteria(day):
        return [s for s in sets if s.valid_from <= day][-1] if sets[0].valid_from <= day else sets[0]

    made = 0
    keys = list(Product.objects.filter(is_generated=True).order_by("pk").values_list("pk", flat=True))[::3]
    for start in range(0, len(keys), BATCH):
        rows = []
        for i, pk in enumerate(keys[start : start + BATCH], start=start):
            day = datetime.date(2019 + i % 7, 1 + i % 12, 1 + i % 27)
            stars = 5 if i % 50 == 0 else 4 if i % 8 == 0 else 3
            ratings = [(stars, day)]
            if i % 3 == 0:
                ratings.append((3, day - datetime.timedelta(days=900)))
            rows += [
                OcopRating(
                    product_id=pk,
                    criteria_set=criteria(d),
                    stars=s,
                    score=Decimal(50 + s * 8),
                    level="province",
                    decision_number=f"{MARK}{pk}-{d:%Y%m%d}",
                    decision_date=d,
                    valid_until=d + datetime.timedelta(days=3 * 365),
                    is_generated=True,
                )
                for s, d in ratings
            ]
        with transaction.atomic():
            OcopRating.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    for province in AdministrativeUnit.objects.filter(level="province", is_current=True):
        for year, scale in ((2025, 1), (2030, 2)):
            for metric, value in (
                (OcopTargetMetric.AT_LEAST_3, 900),
                (OcopTargetMetric.FOUR, 120),
                (OcopTargetMetric.FIVE, 10),
                (OcopTargetMetric.COOPERATIVE_SHARE, 30),
                (OcopTargetMetric.SME_SHARE, 25),
            ):
                OcopTarget.objects.get_or_create(
                    province=province, year=year, metric=metric, defaults={"value": Decimal(value * scale)}
                )
    return made


def bench_users(province):
    org, _ = Organization.objects.get_or_create(
        name=f"Sở Công Thương tỉnh {province.name}",
        defaults={"kind": OrganizationKind.DEPARTMENT, "province": province},
    )
    superuser, _ = User.objects.get_or_create(
        email="bench.admin@cnnt.bench",
        defaults={"full_name": "Bench quản trị", "role": Role.STAFF, "is_staff": True, "is_superuser": True},
    )
    staff, _ = User.objects.get_or_create(
        email="bench.staff@cnnt.bench",
        defaults={"full_name": "Bench cán bộ Sở", "role": Role.STAFF, "organization": org},
    )
    ministry, _ = User.objects.get_or_create(
        email="bench.ministry@cnnt.bench", defaults={"full_name": "Bench chuyên viên Bộ", "role": Role.MINISTRY}
    )
    return superuser, staff, ministry


# -- measures ----------------------------------------------------------------------------------------------------------
def page_queries(client, url):
    get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        _elapsed, response = get(client, url)
    return ctx.captured_queries, response


def capture_floor_sql(name, client, url):
    queries, _response = page_queries(client, url)
    FLOOR_SQL[name] = [
        q["sql"] for q in queries if "django_session" not in q["sql"] and "accounts_user" not in q["sql"]
    ]
    return len(queries)


def explain(sqls):
    """The execution time PostgreSQL reports for each aggregate (ms)."""
    out = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]
            out.append({"sql": sql[:120], "ms": round(plan["Execution Time"], 2)})
    return out


def main():
    if settings.DEBUG:
        raise SystemExit("Run the bench with DEBUG=False.")
    if connection.vendor != "postgresql":
        raise SystemExit("The bench needs PostgreSQL (set DATABASE_URL).")
    settings.ROOT_URLCONF = __name__
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    provinces = list(AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("code"))
    province = next(p for p in provinces if p.name == STAFF_PROVINCE)

    t0 = time.perf_counter()
    producers = bench_projects._producers_by_province(provinces)
    made_projects = bench_projects.build_projects(provinces, producers)
    made_fairs = bench_projects.build_fairs(provinces, producers)
    made_recognitions = build_recognitions()
    made_ratings = build_ocop()
    if made_recognitions or made_ratings:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = round(time.perf_counter() - t0, 1)
    superuser, staff, ministry = bench_users(province)
    clients = {
        "national": bench_projects.client_for(superuser),
        "ministry": bench_projects.client_for(ministry),
        "province": bench_projects.client_for(staff),
    }
    totals = {
        "products": Product.objects.count(),
        "recognitions": Recognition.objects.count(),
        "ocop_ratings": OcopRating.objects.count(),
        "projects": Project.objects.count(),
        "fundings": ProjectFunding.objects.count(),
        "fairs": Fair.objects.count(),
        "fair_participations": FairParticipation.objects.count(),
        "recognitions_in_staff_province": Recognition.objects.filter(
            product__producer__current_province=province
        ).count(),
    }
    print(
        f"Database {connection.settings_dict['NAME']}: {totals['products']} products, {totals['recognitions']} "
        f"recognitions ({made_recognitions} made now), {totals['ocop_ratings']} OCOP ratings ({made_ratings} made "
        f"now), {totals['projects']} projects ({made_projects} made now), {totals['fairs']} fairs ({made_fairs} made "
        f"now) in {build_seconds} s; staff user of {STAFF_PROVINCE}; {N} timed requests after {WARMUP} warm-ups.\n"
    )

    pages = {
        "national": (clients["national"], DASHBOARD),
        "national_filtered": (clients["national"], f"{DASHBOARD}?year_from=2018&year_to=2022&group=2"),
        "ministry": (clients["ministry"], DASHBOARD),
        "province": (clients["province"], DASHBOARD),
    }
    figures, details = {}, {"totals": totals, "staff_province": STAFF_PROVINCE, "n": N, "warmup": WARMUP}
    details["build_seconds"] = build_seconds
    counts = {name: capture_floor_sql(name, client, url) for name, (client, url) in pages.items()}
    details["explain_ms"] = {name: explain(FLOOR_SQL[name]) for name in ("national", "province")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name, (client, url) in pages.items():
            page_ms, floor_ms = compare(client, url, f"/bench/floor/dashboard/{name}/")
            for pct in (50, 95):
                value, floor_value = percentile(page_ms, pct), percentile(floor_ms, pct)
                figures[f"dashboard_{name}_p{pct}"] = figure(
                    value,
                    "ms",
                    floor_value,
                    target=f"<= {RATIO_TARGET:g}x floor" if pct == 95 else None,
                    ok=value / floor_value <= RATIO_TARGET if pct == 95 else None,
                )
    # Query counts: at scale for each page, and for a province with almost nothing (a province today without
    # generated data would be ideal; the smallest one is close enough) — the same number.
    for name, n in counts.items():
        figures[f"queries_dashboard_{name}"] = figure(n, "queries", target=f"<= {QUERY_TARGET}", ok=n <= QUERY_TARGET)
    smallest = min(provinces, key=lambda p: Recognition.objects.filter(product__producer__current_province=p).count())
    small_queries, _r = page_queries(clients["national"], f"{DASHBOARD}?province={smallest.pk}&year_from=2025")
    figures["queries_dashboard_small_selection"] = figure(
        len(small_queries),
        "queries",
        counts["national"],
        target="same as national",
        ok=len(small_queries) == counts["national"],
    )
    details["load_average_at_start_and_end"] = [load_at_start, [round(x, 2) for x in os.getloadavg()]]
    details["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    details["seconds"] = round(time.perf_counter() - started, 1)
    write_results(RESULTS, "dashboard", figures, details)
    print_table(figures)
    for name, rows in details["explain_ms"].items():
        print(f"\n{name}: PostgreSQL execution time per aggregate (ms)")
        for row in rows:
            print(f"  {row['ms']:>9.2f}  {row['sql']}")
    print(
        f"\nLoad average (1, 5, 15 min) at start {load_at_start}, at end {details['load_average_at_start_and_end'][1]}."
    )
    print(f"Wrote {RESULTS} ({details['seconds']} s).")
    return [name for name, f in figures.items() if f.get("ok") is False]


if __name__ == "__main__":
    missed = main()
    sys.exit(1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0)
