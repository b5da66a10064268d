"""The staff dashboard at national scale: the 100,000 products of `manage.py generate_scale`, the 20,000 khuyến
công projects and 2,000 fairs of bench/bench_projects.py (bench/projects_data.py, made here too when missing), and
recognitions and OCOP ratings made once for the generated products. The national page (superuser) and a province
page (staff of BENCH_PROVINCE) are timed through the test client against a floor, and their query counts are
recorded.

The data added here (made once with bulk_create, then reused; decision numbers BDB-…): every generated product is
recognised at province level in 2012 + pk % 14; one in four also at district level the year before, one in three at
region level the year after, one in ten at national level two years after; one product in three has an OCOP rating
(3★, some 4★ and 5★) decided in 2019–2025, one in nine of those an earlier 3★ rating too; every province today has
OCOP targets for 2025 and 2030. A product, level and year another bench recognised already (bench_screening,
bench_certificates, bench_signing and bench_catalogue recognise generated products too) keeps that bench's row, and
what this bench made before is not made again: it runs alike on a fresh database (BENCH_FRESH=1), a reused one and
after a run cut short.

Floor: the reader signed in (session and account read, as for every page), the page's own queries (captured once
from the page, the session and account lookups left out; the menu's count of what waits for the reader kept)
executed as bare SQL through a cursor, and every row fetched written out as a line of text: no form, no table, no
chart and no template. Page and floor requests alternate.

Environment: BENCH_N (50), BENCH_WARMUP (5), BENCH_PROVINCE ("Đồng Tháp"), BENCH_RESULTS (output path),
BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import datetime
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from awards.enums import OcopTargetMetric
from awards.models import Level, OcopCriteriaSet, OcopRating, OcopTarget, Recognition
from bench import projects_data
from bench.common import PROVINCE, WARMUP, N, absolute_target, compare, count_queries, figure, page_figures
from extension_projects.models import Fair, FairParticipation, Project, ProjectFunding
from portal import urls as portal_urls
from portal.accounts.enums import Role
from portal.dashboards.tallies import refresh_tallies
from portal.models import Tally
from products.models import AdministrativeUnit, Product

STAFF_PROVINCE = PROVINCE
QUERY_TARGET = 10
PAGE_TARGET_MS = 150  # issue 18: the dashboards in milliseconds
RECOUNTS = 3
RECOUNT_TARGET_MS = 10_000  # a recount every minute must leave the database most of its minute
MARK = "BDB-"
BATCH = 5000
DASHBOARD = reverse("dashboards:staff.dashboard")

# The SQL of the page's aggregates, captured once per page (see `capture_floor_sql`).
FLOOR_SQL: dict[str, list[str]] = {}


def floor(request, name):
    """The page's own work at its barest: the reader signed in (its session and account read, as for any page),
    the page's aggregates as bare SQL, and every figure fetched written out as a line of plain text."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    lines = []
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL[name]:
            cursor.execute(sql)
            lines.extend("\t".join(map(str, row)) for row in cursor.fetchall())
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/dashboard/<slug:name>/", floor), *portal_urls.urlpatterns]


# -- the data ----------------------------------------------------------------------------------------------------------
def build_recognitions() -> int:
    """The recognitions of every generated product (see the module's docstring), made once. A row whose product,
    level and year another bench already recognised (bench_certificates, bench_signing, bench_screening and
    bench_catalogue recognise generated products too) is left out, and so is every row this bench made before: a
    fresh database, a reused one and a run cut short all end with one recognition per product, level and year."""
    levels = {lv.code: lv for lv in Level.objects.filter(programme__code="spcnnttb")}
    made = 0
    keys = list(Product.objects.filter(is_generated=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        taken = set(Recognition.objects.filter(product_id__in=chunk).values_list("product_id", "level_id", "year"))
        rows = []
        for pk in chunk:
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
                if (pk, levels[code].pk, y) not in taken
            ]
        if rows:
            with transaction.atomic():  # ignore_conflicts: a row another process wrote meanwhile is skipped too
                Recognition.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        made += len(rows)
    return made


def build_ocop() -> int:
    """The OCOP ratings of a third of the generated products, made once (products this bench rated before are
    skipped, so a run cut short is completed), and the provinces' OCOP targets."""
    sets = list(OcopCriteriaSet.objects.order_by("valid_from"))

    def criteria(day):
        return [s for s in sets if s.valid_from <= day][-1] if sets[0].valid_from <= day else sets[0]

    made = 0
    keys = list(Product.objects.filter(is_generated=True).order_by("pk").values_list("pk", flat=True))[::3]
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        done = set(
            OcopRating.objects.filter(product_id__in=chunk, decision_number__startswith=MARK).values_list(
                "product_id", flat=True
            )
        )
        rows = []
        for i, pk in enumerate(chunk, start=start):
            if pk in done:
                continue
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
        if rows:
            with transaction.atomic():
                OcopRating.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    build_ocop_targets()
    return made


def build_ocop_targets():
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


def bench_users():
    _province, _org, superuser, staff = common.bench_users(STAFF_PROVINCE)
    ministry = common.bench_user("bench.ministry@cnnt.bench", "Bench chuyên viên Bộ", Role.MINISTRY)
    return superuser, staff, ministry


# -- measures ----------------------------------------------------------------------------------------------------------
def capture_floor_sql(name, client, url):
    queries, _response = count_queries(client, url)
    # The floor reads the session and the reader itself (request.user); every other query of the page is the page's
    # own, the menu's count of what waits for the reader included (it reads from "accounts_user" too).
    FLOOR_SQL[name] = [
        q["sql"]
        for q in queries
        if "django_session" not in q["sql"] and not q["sql"].startswith('SELECT "accounts_user"."id"')
    ]
    if len(FLOOR_SQL[name]) != len(queries) - 2:
        raise SystemExit(f"The {name} dashboard's session and account lookups were not found among its queries")
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


def recount(details) -> dict:
    """The worker's recount of every maintained figure (portal/dashboards/tallies.py), RECOUNTS times: the
    slowest against its period (once a minute). Its floor: the same GROUP BY queries as bare SELECTs, rows
    fetched and not written (the reads a recount cannot do without)."""
    runs = []
    for _ in range(RECOUNTS):
        start = time.perf_counter()
        refresh_tallies()
        runs.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        refresh_tallies()
    sqls = [q["sql"].split(") ", 1)[1] for q in captured.captured_queries if q["sql"].startswith("INSERT INTO")]
    floors = []
    for _ in range(RECOUNTS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
        floors.append((time.perf_counter() - start) * 1000)
    details["recount_cells"] = Tally.objects.count()
    details["recount_ms"] = [round(ms) for ms in runs]
    slowest = max(runs)
    return figure(slowest, "ms", min(floors), target=f"<= {RECOUNT_TARGET_MS} ms", ok=slowest <= RECOUNT_TARGET_MS)


def build():
    """The projects and fairs of bench_projects and this bench's recognitions and ratings, made once."""
    provinces = list(AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("code"))
    producers = projects_data.producers_by_province(provinces)
    made = {
        "projects": projects_data.build_projects(provinces, producers),
        "fairs": projects_data.build_fairs(provinces, producers),
        "recognitions": build_recognitions(),
        "ratings": build_ocop(),
    }
    if made["recognitions"] or made["ratings"]:
        common.settle(Recognition, OcopRating, Project, ProjectFunding, Fair, FairParticipation)
    return provinces, made


def data_totals(province):
    return {
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


def query_figures(figures, counts, national_client, provinces):
    """Query counts: at scale for each page, and the same selection (one province, from 2025 on) for the province
    with the fewest recognitions and for the one with the most — the same number."""
    for name, n in counts.items():
        figures[f"queries_dashboard_{name}"] = figure(n, "queries", target=f"<= {QUERY_TARGET}", ok=n <= QUERY_TARGET)
    sizes = {p: Recognition.objects.filter(product__producer__current_province=p).count() for p in provinces}
    small, large = (
        len(count_queries(national_client, f"{DASHBOARD}?province={p.pk}&year_from=2025")[0])
        for p in (min(sizes, key=sizes.get), max(sizes, key=sizes.get))
    )
    figures["queries_dashboard_small_selection"] = figure(
        small, "queries", large, target="same as the largest province's", ok=small == large
    )


def main():
    started, load_at_start = common.start(__name__)
    t0 = time.perf_counter()
    provinces, made = build()
    build_seconds = round(time.perf_counter() - t0, 1)
    province = next(p for p in provinces if p.name == STAFF_PROVINCE)
    superuser, staff, ministry = bench_users()
    national = common.client_for(superuser)
    totals = data_totals(province)
    print(
        f"Database {connection.settings_dict['NAME']}: {totals['products']} products, {totals['recognitions']} "
        f"recognitions ({made['recognitions']} made now), {totals['ocop_ratings']} OCOP ratings ({made['ratings']} "
        f"made now), {totals['projects']} projects ({made['projects']} made now), {totals['fairs']} fairs "
        f"({made['fairs']} made now) in {build_seconds} s; staff user of {STAFF_PROVINCE}; {N} timed requests after "
        f"{WARMUP} warm-ups; load average {load_at_start}.\n"
    )
    pages = {
        "national": (national, DASHBOARD),
        "national_filtered": (national, f"{DASHBOARD}?year_from=2018&year_to=2022&group=2"),
        "ministry": (common.client_for(ministry), DASHBOARD),
        "province": (common.client_for(staff), DASHBOARD),
    }
    figures, details = {}, {"totals": totals, "staff_province": STAFF_PROVINCE, "n": N, "warmup": WARMUP}
    details["build_seconds"] = build_seconds
    figures["dashboard_recount"] = recount(details)
    counts = {name: capture_floor_sql(name, client, url) for name, (client, url) in pages.items()}
    details["explain_ms"] = {name: explain(FLOOR_SQL[name]) for name in ("national", "province")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name, (client, url) in pages.items():
            page_ms, floor_ms = compare(client, url, f"/bench/floor/dashboard/{name}/")
            page_figures(figures, f"dashboard_{name}", page_ms, floor_ms)
            absolute_target(figures[f"dashboard_{name}_p95"], PAGE_TARGET_MS)
    query_figures(figures, counts, national, provinces)
    missed = common.finish("dashboard", figures, details, started, load_at_start, caught)
    for name, rows in details["explain_ms"].items():
        print(f"\n{name}: PostgreSQL execution time per aggregate (ms)")
        for row in rows:
            print(f"  {row['ms']:>9.2f}  {row['sql']}")
    return missed


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
