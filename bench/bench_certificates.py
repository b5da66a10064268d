"""Bulk certificate export at scale: 500 certificates through the real background path, against the floor of bare
WeasyPrint rendering the same HTML with no database; peak memory at 100 and at 500 certificates; the size of the
merged 500-page PDF. Run by bench/run.sh (`make bench`) on the bench PostgreSQL database; adds its figures to
bench/results.json (bench/common.py) and prints a table.

The data (made once, then reused): 500 recognitions recorded from the archive (province level, 2020, decision
BENCH-500/QĐ-UBND) of 500 generated products (`manage.py generate_scale`), each with its certificate issued by
services.certificate_issue (numbers 1..500 of a bench issuing body, 2021).

Every export runs in a fresh child process (this script with `--child N`) that behaves as a worker does: it
queues the export with services.certificate_export_create on the database task backend, then runs one
django-tasks-db Worker in batch mode in-process, which renders each certificate to its own file, merges them
(awards/pdf_merge.py: one part at a time) and zips them. The child renders one certificate first (fonts
loaded, as in a worker that has run before), then reports the build's wall time, its render and assembly
parts, and its memory: ru_maxrss (the process's peak RSS) and the RSS sampled every 20 ms during rendering and
during assembly.

The floor is measured in this process, before and after the two exports (their mean): the same certificates'
HTML, rendered beforehand, turned into PDFs by weasyprint.HTML(string=…).write_pdf() one after the other,
nothing else (after 3 warm-up renders).
STACK.md's measured floor, 57 ms/PDF with static fonts in one process, is printed for comparison.

Environment: BENCH_CERTIFICATES (500), BENCH_SMALL (100), BENCH_FLOOR_N (certificates in the floor, 200),
BENCH_RESULTS (output path), BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()
BASE_DIR = common.BASE_DIR

from django.conf import settings
from django.db import connection

RESULTS = common.RESULTS
LARGE = int(os.environ.get("BENCH_CERTIFICATES", "500"))
SMALL = int(os.environ.get("BENCH_SMALL", "100"))
FLOOR_N = int(os.environ.get("BENCH_FLOOR_N", "200"))
STACK_FLOOR_MS = 57.0  # STACK.md: 200 separate PDFs, one process, static fonts
RATIO_TARGET = 1.3
DECISION = "BENCH-500/QĐ-UBND"
BODY = "Ủy ban nhân dân tỉnh Lạng Sơn (đo kiểm)"
YEAR_RECOGNISED, ISSUED_ON = 2020, datetime.date(2021, 3, 15)
MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# -- the data -------------------------------------------------------------------------------------------------
def bench_certificates(count: int):
    """The bench's certificates in number order, made once (the first `count` of them are returned)."""
    from awards import services
    from awards.enums import RecognitionSource
    from awards.models import Certificate, Level, Recognition
    from portal.accounts.enums import Role
    from portal.accounts.models import User
    from products.enums import OrganizationKind
    from products.models import AdministrativeUnit, Organization, Product

    body_qs = Organization.objects.filter(name=BODY)
    existing = Certificate.objects.filter(issuing_body__in=body_qs, decision_number=DECISION)
    if existing.count() >= LARGE:
        return list(existing.order_by("serial")[:count])
    province = AdministrativeUnit.objects.get(level="province", is_current=True, name="Lạng Sơn")
    body, _ = Organization.objects.get_or_create(
        name=BODY,
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": province, "certificate_suffix": "GCN-UBND"},
    )
    actor, _ = User.objects.get_or_create(
        email="bench-certificates@example.vn",
        defaults={"role": Role.STAFF, "is_superuser": True, "is_staff": True, "full_name": "Đo kiểm giấy chứng nhận"},
    )
    level = Level.objects.get(programme__code="spcnnttb", code="province")
    have = set(
        Recognition.objects.filter(decision_number=DECISION, level=level, year=YEAR_RECOGNISED).values_list(
            "product_id", flat=True
        )
    )
    products = list(
        Product.objects.exclude(pk__in=have)
        .exclude(recognitions__level=level, recognitions__year=YEAR_RECOGNISED)
        .order_by("pk")
        .values_list("pk", flat=True)[: max(0, LARGE - len(have))]
    )
    Recognition.objects.bulk_create(
        Recognition(
            product_id=pk,
            level=level,
            year=YEAR_RECOGNISED,
            decision_number=DECISION,
            decision_date=datetime.date(2020, 12, 20),
            source=RecognitionSource.ARCHIVE,
            recorded_by=actor,
        )
        for pk in products
    )
    recognitions = Recognition.objects.filter(decision_number=DECISION, level=level, year=YEAR_RECOGNISED)
    for recognition in recognitions.exclude(certificates__isnull=False).order_by("pk"):
        services.certificate_issue(
            recognition=recognition,
            actor=actor,
            issued_on=ISSUED_ON,
            issuing_body=body,
            signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            signer_name="Hoàng Văn Đo",
        )
    return list(existing.order_by("serial")[:count])


# -- a child: one export, as a worker runs it ------------------------------------------------------------------
def child(count: int) -> dict:
    from django.utils import timezone

    from awards import services
    from awards.enums import ExportStatus
    from awards.models import Certificate, CertificateExport
    from awards.printouts.certificates import certificate_pdf
    from awards.services import certificate_exports as exports

    certificates = bench_certificates(count)
    assert len(certificates) == count, f"{len(certificates)} bench certificates, {count} wanted"
    actor = certificates[0].issued_by
    certificate_pdf(certificates[-1])  # a worker that has run before: fonts and templates loaded
    baseline = rss_bytes()

    phase = {"name": "render", "peak": {"render": 0, "assemble": 0}, "stop": False}

    def sample():
        while not phase["stop"]:
            phase["peak"][phase["name"]] = max(phase["peak"][phase["name"]], rss_bytes())
            time.sleep(0.02)

    timings = {}
    assemble = exports._assemble

    def timed_assemble(*args):
        timings["render_s"] = time.perf_counter() - timings["start"]
        phase["name"] = "assemble"
        started = time.perf_counter()
        assemble(*args)
        timings["assemble_s"] = time.perf_counter() - started

    exports._assemble = timed_assemble
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    export = services.certificate_export_create(
        actor=actor,
        certificates=Certificate.objects.filter(pk__in=[c.pk for c in certificates]),
        title=f"Đo kiểm – {count} giấy chứng nhận",
    )
    timings["start"] = time.perf_counter()
    run_worker_until_idle()
    total_s = time.perf_counter() - timings["start"]
    phase["stop"] = True
    sampler.join()
    export.refresh_from_db()
    if export.status != ExportStatus.DONE:
        raise SystemExit(f"export of {count} ended {export.status}: {export.error}")
    result = {
        **export_sizes(export, count),
        "total_s": total_s,
        "render_s": timings["render_s"],
        "assemble_s": timings["assemble_s"],
        "baseline_rss_mb": baseline / MB,
        "render_peak_rss_mb": phase["peak"]["render"] / MB,
        "assemble_peak_rss_mb": phase["peak"]["assemble"] / MB,
    }
    CertificateExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    services.certificate_exports_purge()
    return result


def run_worker_until_idle() -> None:
    """django-tasks-db's worker in this process, until the queue is empty (the export's tasks)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"bench-{os.getpid()}",
        excluded_queue_names=[],
    ).run()


def export_sizes(export, count) -> dict:
    """The finished export's pages and sizes, and this process's peak memory (read before the PDF is)."""
    ru_maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from pypdf import PdfReader

    with export.merged.open("rb") as fh:
        pages = len(PdfReader(fh).pages)
    return {
        "count": count,
        "pages": pages,
        "merged_bytes": export.merged.size,
        "zip_bytes": export.archive.size,
        "ru_maxrss_mb": ru_maxrss_mb,
    }


def run_child(count: int, media: str) -> dict:
    env = {**os.environ, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "TEST_MEDIA_ROOT": media}
    out = subprocess.run(  # noqa: S603  (this very script, as a child)
        [sys.executable, __file__, "--child", str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=BASE_DIR,
    )
    if out.returncode != 0:
        raise SystemExit(f"child for {count} certificates failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the floor ------------------------------------------------------------------------------------------------
def floor_ms(certificates) -> float:
    """Bare WeasyPrint, the same HTML (rendered beforehand), one PDF after the other."""
    import weasyprint

    from awards.printouts.certificates import certificate_html

    pages = [certificate_html(c) for c in certificates]
    base_url = Path(settings.BASE_DIR).as_uri() + "/"
    for html in pages[:3]:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    started = time.perf_counter()
    for html in pages:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return (time.perf_counter() - started) * 1000 / len(pages)


def certificate_figures(small, large, floor):
    """The exports of SMALL and LARGE certificates against bare WeasyPrint, and their memory."""
    from bench.common import figure

    per_certificate = large["total_s"] * 1000 / LARGE
    render_per_certificate = large["render_s"] * 1000 / LARGE
    extra = max(1, LARGE - SMALL)
    growth_kb = (large["ru_maxrss_mb"] - small["ru_maxrss_mb"]) * 1024 / extra
    render_growth_kb = (large["render_peak_rss_mb"] - small["render_peak_rss_mb"]) * 1024 / extra
    figures = {
        "certificates_floor_bare_weasyprint_ms_per_pdf": figure(floor, "ms/PDF", STACK_FLOOR_MS),
        f"certificates_export_{LARGE}_ms_per_certificate": figure(
            per_certificate,
            "ms/certificate",
            floor,
            target=f"<= {RATIO_TARGET:g}x floor",
            ok=per_certificate <= RATIO_TARGET * floor,
        ),
        f"certificates_export_{LARGE}_render_ms_per_certificate": figure(
            render_per_certificate, "ms/certificate", floor
        ),
        f"certificates_export_{LARGE}_assemble_s": figure(large["assemble_s"], "s"),
        f"certificates_export_{SMALL}_ms_per_certificate": figure(
            small["total_s"] * 1000 / SMALL, "ms/certificate", floor
        ),
        f"certificates_peak_rss_{SMALL}_mb": figure(small["ru_maxrss_mb"], "MB"),
        f"certificates_peak_rss_{LARGE}_mb": figure(large["ru_maxrss_mb"], "MB", small["ru_maxrss_mb"]),
        f"certificates_render_peak_rss_{LARGE}_mb": figure(
            large["render_peak_rss_mb"],
            "MB",
            small["render_peak_rss_mb"],
            target="rendering flat (<= 20 KB per extra certificate)",
            ok=render_growth_kb <= 20,
        ),
        "certificates_peak_rss_growth_kb_per_certificate": figure(
            growth_kb,
            "KB/certificate",
            target="whole build flat (<= 20 KB per extra certificate)",
            ok=growth_kb <= 20,
        ),
        f"certificates_merged_pdf_{LARGE}_mb": figure(large["merged_bytes"] / MB, "MB"),
        f"certificates_zip_{LARGE}_mb": figure(large["zip_bytes"] / MB, "MB"),
    }
    return figures


def main():
    started, load_at_start = common.start()
    certificates = bench_certificates(LARGE)
    setup_s = round(time.perf_counter() - started, 1)
    print(
        f"Database {connection.settings_dict['NAME']}: {len(certificates)} bench certificates"
        f" ({certificates[0].number} … {certificates[-1].number}); setup {setup_s} s; load {load_at_start}."
    )
    # The floor before and after the exports: on a shared machine the load drifts during the minutes they take.
    floor_before = floor_ms(certificates[:FLOOR_N])
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as media:
        small = run_child(SMALL, media)
        large = run_child(LARGE, media)
    floor_after = floor_ms(certificates[:FLOOR_N])
    floor = (floor_before + floor_after) / 2
    figures = certificate_figures(small, large, floor)
    details = {
        "children": {str(SMALL): small, str(LARGE): large},
        "floor_n": FLOOR_N,
        "floor_before_ms": round(floor_before, 1),
        "floor_after_ms": round(floor_after, 1),
        "stack_floor_ms_per_pdf": STACK_FLOOR_MS,
        "setup_s": setup_s,
    }
    missed = common.finish("certificates", figures, details, started, load_at_start)
    for size, r in ((SMALL, small), (LARGE, large)):
        print(
            f"  {size:>4} certificates: {r['pages']} pages, build {r['total_s']:.1f} s (render {r['render_s']:.1f} s,"
            f" merge+zip {r['assemble_s']:.1f} s); RSS baseline {r['baseline_rss_mb']:.0f} MB, peak while rendering"
            f" {r['render_peak_rss_mb']:.0f} MB, while merging {r['assemble_peak_rss_mb']:.0f} MB, ru_maxrss"
            f" {r['ru_maxrss_mb']:.0f} MB; merged PDF {r['merged_bytes'] / MB:.1f} MB, ZIP {r['zip_bytes'] / MB:.1f} MB"
        )
    return missed


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        sys.exit(common.exit_code(main()))
