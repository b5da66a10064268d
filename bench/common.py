"""What the bench scripts share: the Django set-up, the start and finish of a run (checks, load average, warnings,
bench/results.json, the printed table), nearest-rank percentiles, the figure record, timed requests through the
test client, query counts and the bench accounts.

results.json is {"figures": {name: {"value", "unit", "floor", "ratio", "target", "met"}}, "details": {section:
{...}}, "sections": {section: [figure names]}}: every figure carries its floor (None when it has none), the ratio
value / floor, its target (None when it has none) and whether the target is met (None without a target). Each
script writes its own section: its figures replace the ones it wrote last time (a figure it no longer produces
disappears) and the other scripts' figures stay, so `make bench` can run them one after the other and a single
script can be re-run on its own.

A script starts with

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import common
    common.setup_django()

and imports the project's modules after it.
"""

import json
import math
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
N = int(os.environ.get("BENCH_N", "50"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
RATIO_TARGET = 3.0  # a page's p95 against its floor's p95
PROVINCE = os.environ.get("BENCH_PROVINCE", "Đồng Tháp")


def setup_django() -> None:
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()


# -- a run ------------------------------------------------------------------------------------------------------------
def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (2 cores: other work on the machine shows in the figures)."""
    return [round(x, 2) for x in os.getloadavg()]


def start(urlconf: str | None = None, *, postgres: bool = True):
    """Refuse DEBUG=True (and anything but PostgreSQL), route the script's URLs; returns (perf_counter, load)."""
    from django.conf import settings
    from django.db import connection

    if settings.DEBUG:
        raise SystemExit("Run the bench with DEBUG=False.")
    if postgres and connection.vendor != "postgresql":
        raise SystemExit("The bench needs PostgreSQL (set DATABASE_URL).")
    if urlconf:
        settings.ROOT_URLCONF = urlconf
    return time.perf_counter(), load_average()


def finish(section, figures, details, started, load_at_start, caught=()):
    """Record the load, warnings and duration, write results.json, print the table; returns the missed figures."""
    details["load_average_at_start_and_end"] = [load_at_start, load_average()]
    details["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    details["seconds"] = round(time.perf_counter() - started, 1)
    write_results(RESULTS, section, figures, details)
    print_table(figures)
    for w in details["warnings"]:
        print(f"warning: {w}")
    print(
        f"Load average (1, 5, 15 min) at start {load_at_start}, at end {details['load_average_at_start_and_end'][1]}."
    )
    print(f"Wrote {RESULTS} ({details['seconds']} s).")
    return missed(figures)


def missed(figures) -> list[str]:
    return [name for name, f in figures.items() if f.get("met") is False]


def exit_code(missed_names) -> int:
    """A missed target is reported, not fatal, unless BENCH_STRICT=1."""
    return 1 if missed_names and os.environ.get("BENCH_STRICT") == "1" else 0


# -- figures ----------------------------------------------------------------------------------------------------------
def percentile(samples, pct):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def figure(value, unit, floor=None, target=None, ok=None):
    """One figure: measured value, its floor and the ratio, its target and whether it is met."""
    return {
        "value": round(value, 2),
        "unit": unit,
        "floor": None if floor is None else round(floor, 2),
        "ratio": round(value / floor, 2) if floor else None,
        "target": target,
        "met": ok if target is not None else None,
    }


def page_figures(figures, name, page_ms, floor_ms, ratio_target=RATIO_TARGET):
    """`name`_p50 and `name`_p95 of a page against its floor; the p95 has the ratio target."""
    for pct in (50, 95):
        value, floor = percentile(page_ms, pct), percentile(floor_ms, pct)
        figures[f"{name}_p{pct}"] = figure(
            value,
            "ms",
            floor,
            target=f"<= {ratio_target:g}x floor" if pct == 95 else None,
            ok=value / floor <= ratio_target if pct == 95 else None,
        )


def absolute_target(p95: dict, ms: float) -> None:
    """An issue's absolute target (ms) on top of the ratio to the floor: both must hold."""
    p95["target"] = f"{p95['target']} and <= {ms:g} ms"
    p95["met"] = bool(p95["met"]) and p95["value"] <= ms


def write_results(path: Path, section: str, figures: dict, details: dict) -> None:
    """Merge one script's figures and details into `path` (created when missing or unreadable)."""
    try:
        data = json.loads(path.read_text())
        old_figures, sections = data["figures"], data.get("sections", {})
        old_details = data.get("details", {})
    except (OSError, ValueError, KeyError, TypeError):
        old_figures, sections, old_details = {}, {}, {}
    if not isinstance(sections, dict) or not all(isinstance(v, list) for v in sections.values()):
        sections = {}
    sections[section] = list(figures)
    sections = dict(sorted(sections.items()))  # the same order whichever script ran last
    # Figures section by section; anything no section owns was written by an older layout of this file and
    # is dropped.
    by_name = {**old_figures, **figures}
    merged = {name: by_name[name] for names in sections.values() for name in names if name in by_name}
    old_details = old_details if isinstance(old_details, dict) else {}
    details_out = {k: details if k == section else old_details[k] for k in sections if k in old_details or k == section}
    path.write_text(
        json.dumps({"figures": merged, "details": details_out, "sections": sections}, ensure_ascii=False, indent=2)
        + "\n"
    )


def print_table(figures, width=44):
    print(f"\n{'figure':<{width}} {'value':>9} {'unit':<16} {'floor':>9} {'ratio':>6}  target  met")
    print("-" * (width + 66))
    for name, f in figures.items():
        floor = "" if f["floor"] is None else f"{f['floor']:g}"
        ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
        target = f.get("target") or ""
        if target:
            target += "  " + ("ok" if f["met"] else "MISSED")
        print(f"{name:<{width}} {f['value']:>9g} {f['unit']:<16} {floor:>9} {ratio:>6}  {target}")
    print(f"load average (1, 5, 15 min) now: {load_average()}\n")


# -- requests ---------------------------------------------------------------------------------------------------------
def get(client, url):
    """One timed GET (ms) through the Django test client; anything but 200 stops the bench."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, response


def compare(client, page_url, floor_url, n=N, warmup=WARMUP):
    """Page and floor timings, interleaved so that machine noise hits both alike."""
    for _ in range(warmup):
        get(client, page_url)
        get(client, floor_url)
    page, floor = [], []
    for _ in range(n):
        page.append(get(client, page_url)[0])
        floor.append(get(client, floor_url)[0])
    return page, floor


def count_queries(client, url):
    """The queries of a second GET of `url` (the first warms one-off lookups) and its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        _elapsed, response = get(client, url)
    return ctx.captured_queries, response


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# -- the data ---------------------------------------------------------------------------------------------------------
def settle(*models) -> None:
    """Leave tables a script has just filled in bulk as a settled database has them, before anything is measured:
    VACUUM (ANALYZE) gives the planner fresh statistics and sets the visibility map and the rows' hint bits (the
    first reads of fresh rows would write them), and a CHECKPOINT writes the load out, so that no checkpoint of
    it lands in the measurements. Autovacuum may be off or late (it is off on this machine). No model: the whole
    database. Outside a transaction (VACUUM cannot run inside one)."""
    from django.db import connection

    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
        cursor.execute("CHECKPOINT")


# -- the bench accounts -----------------------------------------------------------------------------------------------
def bench_users(province_name=PROVINCE):
    """The province's department of industry and trade, the bench superuser and a staff officer of that department
    (bench.admin@ / bench.staff@cnnt.bench), made once; returns (province, org, superuser, staff)."""
    from portal.accounts.enums import Role
    from portal.accounts.models import User
    from products.enums import OrganizationKind
    from products.models import AdministrativeUnit, Organization

    province = AdministrativeUnit.objects.get(level="province", is_current=True, name=province_name)
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
    return province, org, superuser, staff


def bench_user(email, full_name, role, **defaults):
    """Another bench account, made once."""
    from portal.accounts.models import User

    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "role": role, **defaults})
    return user
