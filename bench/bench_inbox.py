"""The task inbox (“Việc cần làm”) at scale: page time against a bare-query floor, and its query count. Run by
bench/run.sh (`make bench`) after the other scripts, on the same database: it reads what they made — the
national rounds of bench_screening.py (500, 20 and 1 dossiers), the scored province rounds and councils of
bench_results.py, the 20,000 khuyến công projects of bench_projects.py, the OCOP ratings of bench_dashboard.py,
and whatever certificate exports exist — and makes nothing itself. Adds its figures to bench/results.json
(bench/results.py) and prints a table.

Measured in this process with django.test.Client (whole middleware stack, DEBUG=False) as the bench superuser
(every round, council, project and rating of the country) and the ministry agency's staff member (region and
national rounds). The floor is a bare view, routed through the same middleware, that runs the inbox's reads (the
same selectors, the same arguments) and returns their figures as plain text with no template. Page and floor
requests alternate so that drift on this shared machine hits both alike. The target is the list pages' one:
p95 at most 3× the floor.

Environment: BENCH_N (timed requests per figure, 50), BENCH_WARMUP (5), BENCH_RESULTS (output path),
BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from awards.selectors import (
    badge_figures,
    councils_short_of_sheets,
    exports_ready,
    ocop_expiry,
    phases_ending,
    screening_work,
    seats_to_score,
)
from bench.results import compare, figure, get, percentile, print_table, write_results
from extension_projects.selectors import project_steps
from portal import urls as portal_urls
from portal.accounts.models import User

RESULTS = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
RATIO_TARGET = 3.0
USERS = {"superuser": "bench.admin@cnnt.bench", "ministry": "bench.ministry@cnnt.bench"}


# -- the floor: the inbox's reads, no line classes, no template ----------------------------------------------------
def floor_inbox(request):
    user, today = request.user, timezone.localdate()
    work = screening_work(user, today)
    councils = councils_short_of_sheets(user)
    figures = [
        sum(w.waiting for w in work),
        sum(w.overdue for w in work),
        sum(len(c.short) for c in councils),
        len(phases_ending(user, today)),
        sum(project_steps(user).values()),
        ocop_expiry(user, today)["count"],
        exports_ready(user)["count"],
        sum(w.left for w in seats_to_score(user)),
        badge_figures(user, today)[0],  # the menu's count, which the page shows too
    ]
    return HttpResponse("\n".join(map(str, figures)), content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/inbox/", floor_inbox), *portal_urls.urlpatterns]


def client_for(email):
    user = User.objects.filter(email=email).first()
    if user is None:
        raise SystemExit(f"{email} is missing: run bench/bench_screening.py first (bench/run.sh does).")
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url):
    get(client, url)  # once, so one-off lookups do not count
    with CaptureQueriesContext(connection) as ctx:
        _elapsed, response = get(client, url)
    return ctx.captured_queries, response.content.decode()


def main():
    if settings.DEBUG:
        raise SystemExit("Run the bench with DEBUG=False.")
    if connection.vendor != "postgresql":
        raise SystemExit("The bench needs PostgreSQL (set DATABASE_URL).")
    settings.ROOT_URLCONF = __name__
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    clients = {who: client_for(email) for who, email in USERS.items()}
    figures, details = {}, {"n": int(os.environ.get("BENCH_N", "50"))}
    for who, client in clients.items():
        floor_text = get(client, "/bench/floor/inbox/")[1].content.decode().split()
        details[f"what_{who}_sees"] = dict(
            zip(
                ("waiting", "overdue", "members_short", "phases", "project_steps", "ocop", "exports", "to_score"),
                map(int, floor_text),
                strict=False,
            )
        )
        page_ms, floor_ms = compare(client, "/inbox/", "/bench/floor/inbox/")
        for pct in (50, 95):
            value, floor = percentile(page_ms, pct), percentile(floor_ms, pct)
            figures[f"inbox_{who}_p{pct}"] = figure(
                value,
                "ms",
                floor,
                target=f"<= {RATIO_TARGET:g}x floor" if pct == 95 else None,
                ok=value / floor <= RATIO_TARGET if pct == 95 else None,
            )
        queries, _html = count_queries(client, "/inbox/")
        figures[f"queries_inbox_{who}"] = figure(len(queries), "queries")
        details[f"queries_of_inbox_{who}"] = [f"{q['time']}s {q['sql'][:200]}" for q in queries]
    details["load_average_at_start_and_end"] = [load_at_start, [round(x, 2) for x in os.getloadavg()]]
    details["seconds"] = round(time.perf_counter() - started, 1)
    write_results(RESULTS, "inbox", figures, details)
    print_table(figures)
    for who in clients:
        print(f"{who}: {details[f'what_{who}_sees']}")
    load_at_end = details["load_average_at_start_and_end"][1]
    print(f"\nLoad average (1, 5, 15 min) at start {load_at_start}, at end {load_at_end}.")
    print(f"Wrote {RESULTS} ({details['seconds']} s).")
    return [name for name, f in figures.items() if f.get("ok") is False]


if __name__ == "__main__":
    missed = main()
    sys.exit(1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0)
