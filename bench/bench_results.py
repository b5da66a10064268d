"""A province round's scores and ranking at scale: the staff results page of 500 dossiers scored by 9 members
(4,500 submitted sheets, 45,000 scores) against a bare-query floor, its query count at 50 and 500 dossiers, the
score summary Excel export, and 30 council members submitting their sheets of one dossier at the same moment
through gunicorn. Run by bench/run.sh (`make bench`) after bench_screening.py, on the same database (`manage.py
generate_scale` data); adds its figures to bench/results.json (bench/common.py) and prints a table.

The data (bench/results_data.py: made once, then reused; BENCH_FRESH=1 in run.sh starts from scratch): in
BENCH_PROVINCE (Đồng Tháp, the registry bench's province) two published province rounds, in their scoring phase,
holding 500 and 50 accepted dossiers of distinct generated products (one per producer, none already nominated
elsewhere). Each round has its council (Phụ lục 4, plain mean, made by services.council_create) of 9 jury members and a
non-jury secretary (services.council_member_add). Every jury member has a submitted first-pass sheet for every
dossier: 10 scores within the criteria's maxima (0.5-point steps, a quality per dossier, a bias per member and
noise; now and then a member far off the others, flagged as an outlier), the sheet's total the sum of its
scores, as services.sheet_save leaves it. One dossier in 50 has a conflict of interest declared afterwards by a
member (services.conflict_declare): that sheet stays on file and leaves the aggregate. Rows are written with
bulk_create (so no history rows, which the pages never read) and checked afterwards: counts, every total equal
to the sum of its scores, and round_results() of a sample equal to the aggregate recomputed from the rows.

Figures are measured in this process with django.test.Client (whole middleware stack, DEBUG=False) as the
round's managing officer (a Đồng Tháp department account) and as a superuser. The floor is a bare view routed
through the same middleware: the round (scoped by rounds_for_staff), then three queries — the dossiers, the
totals of the sheets that count (a NOT EXISTS on conflicts), the criterion-group sums of those sheets — means
in Python and a trivial template with one row per dossier and its members' totals (no links, forms or
translation). The export's floor writes the same rows and the member-by-dossier matrix with openpyxl, no
styling. Page and floor requests alternate so that drift on this shared machine hits both alike.

The concurrency figures use a third round (one accepted dossier, a council of 30 jury members) and a real server:
gunicorn as the README deploys it (sync workers; BENCH_SCORING_WORKERS, 2, for the two cores here; the test
settings with DEBUG=False, each worker keeping its database connection as settings/production.py does), started
by bench/server.py. Each member signs in on the login page and opens its sheet (its own session cookie and the
form's CSRF token); then, in every repetition, the round's sheets are deleted and the 30 members POST their
confirmed submissions from 30 threads released together by one Event (bench/results_load.py: no barrier or
timeout a loaded machine can break; how many were ready, the spread of their starts, failed submissions and
unfinished requests are recorded in the details). The floor is the same 30 submissions one after another on the
same server. The target: p95 of one submission <= 200 ms. After every run the database must hold each member's
sheet, submitted, with exactly its ten scores and their total, and round_results() must give the mean of the 30
totals: any difference counts as a lost update (target 0; BENCH_STRICT=1 exits 1 when one is lost).

Environment: BENCH_N (timed requests per figure, 50), BENCH_WARMUP (5), BENCH_XLSX_N (timed exports, 10),
BENCH_CONCURRENCY_ROUNDS (5), BENCH_SCORING_WORKERS (2), BENCH_PROVINCE ("Đồng Tháp"), BENCH_RESULTS (output
path), BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import io
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection
from django.db.models import Exists, OuterRef, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import Context, Template
from django.urls import path
from openpyxl import Workbook

from awards.enums import SheetStatus
from awards.models import Conflict, Nomination, Score, ScoreSheet
from awards.selectors import SCORABLE_STATES, rounds_for_staff
from bench import results_data as data
from bench import results_load as load
from bench.common import (
    PROVINCE,
    WARMUP,
    N,
    absolute_target,
    compare,
    count_queries,
    figure,
    page_figures,
    percentile,
)
from bench.server import Server
from portal import urls as portal_urls

XLSX_N = int(os.environ.get("BENCH_XLSX_N", "10"))
CONCURRENCY_ROUNDS = int(os.environ.get("BENCH_CONCURRENCY_ROUNDS", "5"))
SIZES = data.SIZES
CONCURRENT_MEMBERS = data.CONCURRENT_MEMBERS
WORKERS = int(os.environ.get("BENCH_SCORING_WORKERS", "2"))  # gunicorn's workers for the submissions
THREADS = int(os.environ.get("BENCH_SCORING_THREADS", "1"))  # threads per worker (1: sync workers)
SUBMIT_TARGET_MS = 200  # p95 of one submission while 30 members submit at once
RESULTS_TARGET_MS = 300  # issue 18: the results page at 500 dossiers × 9 members
RECEIPT_RE = re.compile(r"KQ\d+-[A-Z0-9]+-\d{4}")


# -- the floors: the same data in the fewest queries, a trivial template / a bare workbook ----------------
FLOOR_TEMPLATE = Template(
    "<table>{% for r in rows %}<tr><td>{{ r.rank }}</td><td>{{ r.product }}<br>{{ r.producer }} {{ r.code }}</td>"
    "<td>{{ r.count }}</td><td>{{ r.mean }}</td><td>{{ r.groups|join:' ' }}</td>"
    "<td>{% for name, total in r.sheets %}{{ name }}: {{ total }}; {% endfor %}</td></tr>{% endfor %}</table>"
)


def floor_data(user, pk):
    round_ = get_object_or_404(rounds_for_staff(user), pk=pk)
    nominations = list(
        Nomination.objects.filter(round=round_, status__in=SCORABLE_STATES)
        .select_related("product__group", "producer")
        .order_by("product__group__order", "receipt_code")
    )
    counted = ScoreSheet.objects.filter(nomination__round=round_, status=SheetStatus.SUBMITTED, pass_no=1).exclude(
        Exists(Conflict.objects.filter(member=OuterRef("member"), nomination=OuterRef("nomination")))
    )
    sheets = {}
    for nomination_id, name, total in counted.values_list("nomination_id", "member__user__full_name", "total"):
        sheets.setdefault(nomination_id, []).append((name, total))
    groups = {}
    for nomination_id, code, points in (
        Score.objects.filter(sheet__in=counted.values("pk"))
        .values_list("sheet__nomination_id", "criterion__parent__code")
        .annotate(points=Sum("points"))
        .order_by()
    ):
        groups.setdefault(nomination_id, {})[code] = points
    rows = []
    for n in nominations:
        own = sheets.get(n.pk, [])
        count = len(own)
        rows.append(
            {
                "group": n.product.group.order,
                "product": n.product.name,
                "producer": n.producer.name,
                "code": n.receipt_code,
                "count": count,
                "mean": sum(t for _name, t in own) / count if count else None,
                "groups": [v / count for _code, v in sorted(groups.get(n.pk, {}).items())],
                "sheets": own,
            }
        )
    rows.sort(key=lambda r: (r["group"], -(r["mean"] or 0)))
    for i, row in enumerate(rows):
        row["rank"] = i + 1
    return rows


def floor_results(request, pk):
    rows = floor_data(request.user, pk)
    return HttpResponse(FLOOR_TEMPLATE.render(Context({"rows": rows})))


def floor_xlsx(request, pk):
    rows = floor_data(request.user, pk)
    book = Workbook()
    summary = book.active
    for r in rows:
        summary.append([r["rank"], r["code"], r["product"], r["producer"], r["count"], float(r["mean"] or 0)])
    names = sorted({name for r in rows for name, _total in r["sheets"]})
    matrix = book.create_sheet("members")
    matrix.append(["", "", *names])
    for r in rows:
        own = dict(r["sheets"])
        matrix.append([r["code"], r["product"], *(float(own[m]) if m in own else None for m in names)])
    out = io.BytesIO()
    book.save(out)
    return HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


urlpatterns = [
    path("bench/floor/rounds/<int:pk>/results/", floor_results),
    path("bench/floor/rounds/<int:pk>/results.xlsx", floor_xlsx),
    *portal_urls.urlpatterns,
]


# -- the run --------------------------------------------------------------------------------------------
def page_timings(figures, clients, big):
    """The results page against its floor, and the score summary export against a bare workbook of its rows."""
    for who, client in clients.items():
        page_ms, floor_ms = compare(
            client, f"/staff/rounds/{big.pk}/results/", f"/bench/floor/rounds/{big.pk}/results/"
        )
        page_figures(figures, f"results_page_{who}", page_ms, floor_ms)
        absolute_target(figures[f"results_page_{who}_p95"], RESULTS_TARGET_MS)
    page_ms, floor_ms = compare(
        clients["officer"],
        f"/staff/rounds/{big.pk}/results.xlsx",
        f"/bench/floor/rounds/{big.pk}/results.xlsx",
        n=XLSX_N,
        warmup=1,
    )
    for pct in (50, 95):
        value, floor = percentile(page_ms, pct), percentile(floor_ms, pct)
        figures[f"results_xlsx_officer_p{pct}"] = figure(value, "ms", floor)


def query_figures(figures, details, clients, rounds):
    """Queries of the page and of the export at 50 and 500 dossiers."""
    counts, sql = {}, {}
    for who, client in clients.items():
        for size in sorted(SIZES):
            queries, response = count_queries(client, f"/staff/rounds/{rounds[size].pk}/results/")
            shown = set(RECEIPT_RE.findall(response.content.decode()))
            if shown != set(rounds[size].nominations.values_list("receipt_code", flat=True)):
                raise SystemExit(f"The results of {size} dossiers as {who} show {len(shown)} of them")
            counts[("page", who, size)] = len(queries)
            sql[f"page_{who}_{size}"] = [f"{q['time']}s {q['sql'][:200]}" for q in queries]
    for size in sorted(SIZES):
        queries, _response = count_queries(clients["officer"], f"/staff/rounds/{rounds[size].pk}/results.xlsx")
        counts[("xlsx", "officer", size)] = len(queries)
    for (what, who, size), n in counts.items():
        base = counts[(what, who, min(SIZES))]
        name = "results_page" if what == "page" else "results_xlsx"
        figures[f"queries_{name}_{who}_{size}_rows"] = figure(
            n, "queries", base, target="same at every size", ok=n == base
        )
    details["queries_of_results_officer_500"] = sql[f"page_officer_{SIZES[0]}"]


def server_env() -> dict:
    """The server's database is this run's, its connections kept as production keeps them (settings/production.py:
    CONN_MAX_AGE 60 s, health-checked)."""
    url = os.environ["DATABASE_URL"]
    return {"DATABASE_URL": f"{url}{'&' if '?' in url else '?'}conn_max_age=60&conn_health_checks=True"}


def concurrency_figures(figures, details, province, org, officer):
    """30 members submit their sheets of one dossier at the same moment through gunicorn (and, as the floor, one
    after another through the same server)."""
    c_round, council, members, nomination = data.concurrency_round(province, org, officer)
    runs = {"sequential": [], "concurrent": []}
    with Server("portal.wsgi:application", workers=WORKERS, threads=THREADS, env=server_env()) as server:
        browsers = load.signed_in(server.port, members, nomination)
        warmup = load.submit_all(c_round, council, members, nomination, browsers, concurrent=False)
        for _ in range(CONCURRENCY_ROUNDS):
            for kind in ("sequential", "concurrent"):
                run = load.submit_all(c_round, council, members, nomination, browsers, concurrent=kind == "concurrent")
                runs[kind].append(run)
    calls = {kind: [ms for run in done for ms in run["calls"]] for kind, done in runs.items()}
    walls = {kind: [run["wall"] for run in done] for kind, done in runs.items()}
    lost = warmup["lost"] + sum(run["lost"] for done in runs.values() for run in done)
    name = f"sheets_{CONCURRENT_MEMBERS}_concurrent_submit"
    for pct in (50, 95):
        value = percentile(calls["concurrent"], pct) if calls["concurrent"] else 0
        floor = percentile(calls["sequential"], pct) if calls["sequential"] else None
        met = bool(calls["concurrent"]) and value <= SUBMIT_TARGET_MS
        target = f"<= {SUBMIT_TARGET_MS} ms" if pct == 95 else None
        figures[f"{name}_call_p{pct}"] = figure(value, "ms", floor, target=target, ok=met)
    figures[f"{name}_wall_median"] = figure(
        statistics.median(walls["concurrent"]), "ms", statistics.median(walls["sequential"])
    )
    figures[f"sheets_{CONCURRENT_MEMBERS}_concurrent_lost_updates"] = figure(lost, "sheets", target="0", ok=lost == 0)
    details["concurrency"] = {
        "round_id": c_round.pk,
        "repetitions": CONCURRENCY_ROUNDS,
        "gunicorn": {**server.describe(), "app": "portal.wsgi:application", "conn_max_age": 60},
        "concurrent_wall_ms": [round(w, 1) for w in walls["concurrent"]],
        "sequential_wall_ms": [round(w, 1) for w in walls["sequential"]],
        "threads": [
            {k: run[k] for k in ("ready_at_release", "start_spread_ms", "unfinished")} for run in runs["concurrent"]
        ],
        "failed_submissions": [f for done in runs.values() for run in done for f in run["failures"]][:10],
        "lost_updates_per_run": {kind: [run["lost"] for run in done] for kind, done in runs.items()},
    }
    for i, run in enumerate(runs["concurrent"], start=1):
        if run["ready_at_release"] < len(members) or run["failures"] or run["lost"]:
            print(
                f"concurrent repetition {i}: {run['ready_at_release']}/{len(members)} threads ready at the release,"
                f" {len(run['failures'])} failed submissions, {run['lost']} lost updates: {run['failures'][:3]}"
            )


def main():
    started, load_at_start = common.start(__name__)
    province, org, superuser, officer = common.bench_users()
    rounds = data.scored_rounds(province, org, superuser, officer)
    checks = {size: data.check_round(r, size) for size, r in rounds.items()}
    setup_s = round(time.perf_counter() - started, 1)
    big = rounds[SIZES[0]]
    clients = {"officer": common.client_for(officer), "superuser": common.client_for(superuser)}
    conflicts, passing, outliers = checks[SIZES[0]]
    totals = {
        "nominations_in_round": big.nominations.count(),
        "jury_members": big.council.members.filter(is_jury=True).count(),
        "submitted_sheets": ScoreSheet.objects.filter(nomination__round=big, status=SheetStatus.SUBMITTED).count(),
        "scores": Score.objects.filter(sheet__nomination__round=big).count(),
        "conflicts": conflicts,
        "passing": passing,
        "outlier_sheets": outliers,
        "sheets_in_database": ScoreSheet.objects.count(),
        "scores_in_database": Score.objects.count(),
    }
    print(
        f"Database {connection.settings_dict['NAME']}: province round #{big.pk} ({PROVINCE}) with"
        f" {totals['nominations_in_round']} accepted dossiers,"
        f" {totals['jury_members']} jury members, {totals['submitted_sheets']} submitted sheets, {totals['scores']}"
        f" scores, {conflicts} conflicts ({passing} pass, {outliers} outlier sheets); setup {setup_s} s. {N} timed"
        f" requests after {WARMUP} warm-ups per figure; load average {load_at_start}.\n"
    )
    figures = {}
    details = {"totals": totals, "round_ids": {str(k): r.pk for k, r in rounds.items()}, "n": N, "warmup": WARMUP}
    details["setup_seconds"] = setup_s
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page_timings(figures, clients, big)
    query_figures(figures, details, clients, rounds)
    concurrency_figures(figures, details, province, org, officer)
    return common.finish("results", figures, details, started, load_at_start, caught)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
