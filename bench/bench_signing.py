"""Digitally signed bulk certificate exports against unsigned ones, in the same run: the cost of the signature per
certificate (figure `certificate_signing_overhead`, target at most 1.5x the unsigned export) and the memory of a
signed build at 100 and at 500 certificates (flat). Run by bench/run.sh (`make bench`) on the bench PostgreSQL
database; adds its figures to bench/results.json (bench/common.py) and prints a table.

The data (made once, then reused): 500 archive recognitions (province level, 2019, decision BENCH-KY-SO/QĐ-UBND)
of generated products (`manage.py generate_scale`), each with its certificate issued by services.certificate_issue
for a bench issuing body, and that body's signing certificate: a bench CA and signer made with `cryptography`
(as the demo makes its own), the password in a secrets file under var/bench-signing/.

Each export runs in a fresh child process (this script with `--child MODE N`) that behaves as a worker does: it
queues the export with services.certificate_export_create on the database task backend and runs one django-tasks-db
Worker in batch mode in-process, after one certificate handed out beforehand (fonts loaded, key opened, as in a
worker that has run before). Signed and unsigned differ only in whether the body's signing certificate is in use.
The child reports the build's wall time, its CPU time (user + system of the worker process), the time spent in
the signature itself, ru_maxrss and the RSS sampled every 20 ms.

On a busy machine: the two modes alternate (unsigned, signed, unsigned, signed …, BENCH_SIGNING_ROUNDS pairs of
500), each figure takes the best run of its mode, and the overhead is judged on CPU time, which other processes
on the machine do not inflate the way they inflate wall time (the wall-time ratio is reported beside it).

Environment: BENCH_SIGNING_N (500), BENCH_SIGNING_SMALL (100), BENCH_SIGNING_ROUNDS (2), BENCH_RESULTS (output
path), BENCH_STRICT=1 (exit 1 when a target is missed).
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

BASE_DIR = common.BASE_DIR
# The bench database outlives a test run: its signing key and password live apart from the tests' ones.
os.environ.setdefault("TEST_SIGNING_KEYS_ROOT", str(BASE_DIR / "var" / "bench-signing" / "keys"))
os.environ.setdefault("TEST_SIGNING_SECRETS_DIR", str(BASE_DIR / "var" / "bench-signing" / "secrets"))

common.setup_django()

from django.conf import settings
from django.db import connection

RESULTS = common.RESULTS
LARGE = int(os.environ.get("BENCH_SIGNING_N", "500"))
SMALL = int(os.environ.get("BENCH_SIGNING_SMALL", "100"))
ROUNDS = max(1, int(os.environ.get("BENCH_SIGNING_ROUNDS", "2")))
OVERHEAD_TARGET = 1.5
GROWTH_TARGET_KB = 20
DECISION = "BENCH-KY-SO/QĐ-UBND"
BODY = "Ủy ban nhân dân tỉnh Lạng Sơn (đo kiểm ký số)"
SIGNER = "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN (ĐO KIỂM)"
YEAR_RECOGNISED, ISSUED_ON = 2019, datetime.date(2020, 3, 16)
MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the data -------------------------------------------------------------------------------------------------
def _body_and_actor():
    from portal.accounts.enums import Role
    from portal.accounts.models import User
    from products.enums import OrganizationKind
    from products.models import AdministrativeUnit, Organization

    province = AdministrativeUnit.objects.get(level="province", is_current=True, name="Lạng Sơn")
    body, _ = Organization.objects.get_or_create(
        name=BODY,
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": province, "certificate_suffix": "GCN-UBND"},
    )
    actor, _ = User.objects.get_or_create(
        email="bench-signing@example.vn",
        defaults={"role": Role.STAFF, "is_superuser": True, "is_staff": True, "full_name": "Đo kiểm ký số"},
    )
    return body, actor


def _issue(body, actor, count: int) -> None:
    from awards import services
    from awards.enums import RecognitionSource
    from awards.models import Level, Recognition
    from products.models import Product

    level = Level.objects.get(programme__code="spcnnttb", code="province")
    recognitions = Recognition.objects.filter(decision_number=DECISION, level=level, year=YEAR_RECOGNISED)
    have = recognitions.count()
    products = (
        Product.objects.exclude(recognitions__level=level, recognitions__year=YEAR_RECOGNISED)
        .order_by("-pk")
        .values_list("pk", flat=True)[: max(0, count - have)]
    )
    Recognition.objects.bulk_create(
        Recognition(
            product_id=pk,
            level=level,
            year=YEAR_RECOGNISED,
            decision_number=DECISION,
            decision_date=datetime.date(2019, 12, 20),
            source=RecognitionSource.ARCHIVE,
            recorded_by=actor,
        )
        for pk in products
    )
    for recognition in recognitions.exclude(certificates__isnull=False).order_by("pk"):
        services.certificate_issue(
            recognition=recognition,
            actor=actor,
            issued_on=ISSUED_ON,
            issuing_body=body,
            signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            signer_name="Hoàng Văn Ký",
        )


def _signing_certificate(body, actor):
    """The body's bench signing certificate, installed again when its key file or password went missing."""
    import secrets as random

    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards import services
    from awards.models import SigningCertificate
    from portal.core.signing import SigningError
    from portal.demo.signing import make_authority, signer_pkcs12

    record = SigningCertificate.objects.filter(issuing_body=body).order_by("-pk").first()
    if record is not None:
        try:
            services.signing_key(record)
            return record
        except SigningError:
            SigningCertificate.objects.filter(issuing_body=body).update(is_active=False)
    password, secret_name = random.token_urlsafe(18), f"bench-lang-son-{random.token_hex(3)}"
    secrets_dir = Path(settings.SIGNING_SECRETS_DIR)
    secrets_dir.mkdir(parents=True, exist_ok=True)
    (secrets_dir / secret_name).write_text(password, encoding="utf-8")
    data = signer_pkcs12(make_authority(), SIGNER, BODY, password)
    return services.signing_certificate_install(
        issuing_body=body,
        label="Chứng thư số đo kiểm (không có giá trị pháp lý)",
        pkcs12=SimpleUploadedFile("bench.p12", data),
        secret_name=secret_name,
        actor=actor,
    )


def bench_data(count: int):
    """(the first `count` bench certificates in number order, the body's signing certificate)."""
    from awards.models import Certificate

    body, actor = _body_and_actor()
    existing = Certificate.objects.filter(issuing_body=body, decision_number=DECISION)
    if existing.count() < LARGE:
        _issue(body, actor, LARGE)
    return list(existing.order_by("serial")[:count]), _signing_certificate(body, actor)


# -- a child: one export, as a worker runs it ------------------------------------------------------------------
def _worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"bench-signing-{os.getpid()}",
        excluded_queue_names=[],
    )


def _timed_signing() -> dict:
    """Wrap portal.core.signing.sign_pdf to add up the time spent in the signature itself."""
    from portal.core import signing

    spent = {"s": 0.0, "n": 0}
    real = signing.sign_pdf

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent["s"] += time.perf_counter() - started
            spent["n"] += 1

    signing.sign_pdf = timed
    return spent


def child(mode: str, count: int) -> dict:
    from django.utils import timezone

    from awards import services
    from awards.enums import ExportStatus
    from awards.models import Certificate, CertificateDocument, CertificateExport, SigningCertificate

    certificates, record = bench_data(count)
    assert len(certificates) == count, f"{len(certificates)} bench certificates, {count} wanted"
    SigningCertificate.objects.filter(pk=record.pk).update(is_active=mode == "signed")
    services.certificate_document(certificate=certificates[-1])  # a worker that has run before
    CertificateDocument.objects.filter(certificate__issuing_body=record.issuing_body).delete()
    spent = _timed_signing()
    baseline = rss_bytes()
    peak = {"rss": 0, "stop": False}

    def sample():
        while not peak["stop"]:
            peak["rss"] = max(peak["rss"], rss_bytes())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    export = services.certificate_export_create(
        actor=certificates[0].issued_by,
        certificates=Certificate.objects.filter(pk__in=[c.pk for c in certificates]),
        title=f"Đo kiểm ký số – {count} giấy chứng nhận ({mode})",
    )
    started, cpu_started = time.perf_counter(), cpu_seconds()
    _worker().run()
    total_s, cpu_s = time.perf_counter() - started, cpu_seconds() - cpu_started
    peak["stop"] = True
    sampler.join()
    export.refresh_from_db()
    if export.status != ExportStatus.DONE:
        raise SystemExit(f"{mode} export of {count} ended {export.status}: {export.error}")
    signed = CertificateDocument.objects.filter(
        certificate__issuing_body=record.issuing_body, signing_certificate__isnull=False
    ).count()
    result = {
        "mode": mode,
        "count": count,
        "total_s": total_s,
        "cpu_s": cpu_s,
        "sign_s": spent["s"],
        "signed_documents": signed,
        "baseline_rss_mb": baseline / MB,
        "peak_rss_mb": peak["rss"] / MB,
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "merged_mb": export.merged.size / MB,
    }
    CertificateExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    services.certificate_exports_purge()
    return result


def run_child(mode: str, count: int, media: str) -> dict:
    env = {**os.environ, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "TEST_MEDIA_ROOT": media}
    out = subprocess.run(  # noqa: S603  (this very script, as a child)
        [sys.executable, __file__, "--child", mode, str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=BASE_DIR,
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} child for {count} certificates failed:\n{out.stdout}\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"  {mode:>8} {count:>4}: wall {result['total_s']:.1f} s, CPU {result['cpu_s']:.1f} s, signing"
        f" {result['sign_s']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB",
        flush=True,
    )
    return result


# -- the comparison ----------------------------------------------------------------------------------------------
def _per_certificate_ms(runs, key):
    return min(r[key] for r in runs) * 1000 / runs[0]["count"]


def measure(media: str) -> dict:
    """Signed and unsigned, alternating: the small pair for memory, then ROUNDS pairs of LARGE."""
    runs = {("unsigned", SMALL): [], ("signed", SMALL): [], ("unsigned", LARGE): [], ("signed", LARGE): []}
    for mode in ("unsigned", "signed"):
        runs[(mode, SMALL)].append(run_child(mode, SMALL, media))
    for _ in range(ROUNDS):
        for mode in ("unsigned", "signed"):
            runs[(mode, LARGE)].append(run_child(mode, LARGE, media))
    for (mode, count), results in runs.items():
        expected = count if mode == "signed" else 0
        bad = [r["signed_documents"] for r in results if r["signed_documents"] != expected]
        if bad:
            raise SystemExit(f"{mode} export of {count}: {bad[0]} signed PDFs, {expected} expected")
    return runs


def figures_of(runs) -> dict:
    from bench.common import figure

    unsigned, signed = runs[("unsigned", LARGE)], runs[("signed", LARGE)]
    cpu_floor, cpu = _per_certificate_ms(unsigned, "cpu_s"), _per_certificate_ms(signed, "cpu_s")
    wall_floor, wall = _per_certificate_ms(unsigned, "total_s"), _per_certificate_ms(signed, "total_s")
    small_peak = min(r["ru_maxrss_mb"] for r in runs[("signed", SMALL)])
    large_peak = min(r["ru_maxrss_mb"] for r in signed)
    growth_kb = (large_peak - small_peak) * 1024 / (LARGE - SMALL)
    return {
        "certificate_signing_overhead": figure(
            cpu,
            "CPU ms/certificate",
            cpu_floor,
            target=f"<= {OVERHEAD_TARGET:g}x unsigned",
            ok=cpu <= OVERHEAD_TARGET * cpu_floor,
        ),
        "certificate_signing_overhead_wall": figure(wall, "ms/certificate", wall_floor),
        "certificate_signing_sign_ms": figure(_per_certificate_ms(signed, "sign_s"), "ms/certificate"),
        f"certificate_signing_peak_rss_{SMALL}_mb": figure(small_peak, "MB"),
        f"certificate_signing_peak_rss_{LARGE}_mb": figure(large_peak, "MB", small_peak),
        "certificate_signing_rss_growth_kb_per_certificate": figure(
            growth_kb,
            "KB/certificate",
            target=f"signed build flat (<= {GROWTH_TARGET_KB} KB per extra certificate)",
            ok=growth_kb <= GROWTH_TARGET_KB,
        ),
        f"certificate_signing_merged_pdf_{LARGE}_mb": figure(
            min(r["merged_mb"] for r in signed), "MB", min(r["merged_mb"] for r in unsigned)
        ),
    }


def main():
    started, load_at_start = common.start()
    certificates, record = bench_data(LARGE)
    setup_s = round(time.perf_counter() - started, 1)
    print(
        f"Database {connection.settings_dict['NAME']}: {len(certificates)} bench certificates"
        f" ({certificates[0].number} … {certificates[-1].number}), signed by “{record.common_name}”;"
        f" setup {setup_s} s; load {load_at_start}.",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-signing-") as media:
        runs = measure(media)
    figures = figures_of(runs)
    details = {
        "runs": {f"{mode}_{count}": results for (mode, count), results in runs.items()},
        "rounds": ROUNDS,
        "setup_s": setup_s,
    }
    return common.finish("signing", figures, details, started, load_at_start)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        sys.exit(common.exit_code(main()))
