"""The task inbox (“Việc cần làm”) at scale: page time against a bare-query floor, and its query count. Run by
bench/run.sh (`make bench`) after the other scripts, on the same database: it reads what they made — the
national rounds of bench_screening.py (500, 20 and 1 dossiers), the scored province rounds and councils of
bench_results.py, the 20,000 khuyến công projects of bench_projects.py, the OCOP ratings of bench_dashboard.py,
and whatever certificate exports exist — and makes nothing itself. Adds its figures to bench/results.json
(bench/common.py) and prints a table.

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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.http import HttpResponse
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
from bench import screening_data
from bench.common import N, client_for, compare, figure, get, page_figures
from extension_projects.selectors import project_steps
from portal import urls as portal_urls

RESULTS = common.RESULTS
RATIO_TARGET = 3.0


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


def count_queries(client, url):
    queries, response = common.count_queries(client, url)
    return queries, response.content.decode()


def main():
    started, load_at_start = common.start(__name__)
    _agency, superuser, ministry = screening_data.bench_users()  # made by bench_screening.py, or now
    clients = {"superuser": client_for(superuser), "ministry": client_for(ministry)}
    figures, details = {}, {"n": N}
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
        page_figures(figures, f"inbox_{who}", page_ms, floor_ms)
        queries, _html = count_queries(client, "/inbox/")
        figures[f"queries_inbox_{who}"] = figure(len(queries), "queries")
        details[f"queries_of_inbox_{who}"] = [f"{q['time']}s {q['sql'][:200]}" for q in queries]
    missed = common.finish("inbox", figures, details, started, load_at_start)
    for who in clients:
        print(f"{who}: {details[f'what_{who}_sees']}")
    return missed


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
