"""The periodic recognitions report with its long annex, as PDF: the request that asks for it against the file built
in the background. Run by bench/run.sh (`make bench`) after the others, on the same database (the generated
products and the recognitions bench_dashboard.py made); adds its figures to bench/results.json.

As the staff of BENCH_PROVINCE (Đồng Tháp), in this process through django.test.Client (whole middleware stack,
DEBUG=False, tasks queued in the database as in production): the report form's POST for the PDF with the annex
(the list of recognised products) over BENCH_REPORT_YEARS (2021: 557 recognitions, the issue's annex of 558
rows), timed BENCH_N times after BENCH_WARMUP. It queues a ReportJob for the worker and answers with the redirect
to the job's progress page; the target is the issue's: the first response within 1 s, whatever the annex's
length. Then one of those jobs is built here as the worker builds it (portal.reports.jobs.report_job_build) and its
time, the annex's rows and the PDF's size are reported, with a check that the job is done and its file is a PDF.
The jobs this run queued and their queued tasks are deleted at the end.

Environment: BENCH_N (50), BENCH_WARMUP (5), BENCH_PROVINCE ("Đồng Tháp"), BENCH_REPORT_YEARS ("2021-2021"),
BENCH_RESULTS (output path), BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Tasks go to the database queue, as in production: the request only queues the file (the test settings would
# otherwise build it inside the request).
os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
from bench import common

common.setup_django()

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from awards.enums import ExportStatus
from awards.models import Recognition
from bench.common import WARMUP, N, figure, percentile
from portal.models import ReportJob
from portal.reports.jobs import report_job_build

FIRST_RESPONSE_TARGET_MS = 1000  # issue 18: the request answers within a second; the file is built in the background
YEARS = os.environ.get("BENCH_REPORT_YEARS", "2021-2021").split("-")  # 557 recognitions in Đồng Tháp


def ask(client, province_id) -> tuple[float, int]:
    """One POST of the report form for the PDF with its annex: (ms, the job's pk)."""
    data = {"province": province_id, "year_from": YEARS[0], "year_to": YEARS[1], "annex": "on"}
    began = time.perf_counter()
    response = client.post(reverse("reports:staff.recognitions.pdf"), data)
    ms = (time.perf_counter() - began) * 1000
    if response.status_code != 302 or "/staff/reports/files/" not in response["Location"]:
        raise SystemExit(f"The report's POST answered {response.status_code}, not the job's page")
    return ms, int(response["Location"].rstrip("/").split("/")[-1])


def main():
    started, load_at_start = common.start()
    province, _org, _superuser, officer = common.bench_users()
    client = common.client_for(officer)
    annex_rows = Recognition.objects.filter(
        product__producer__current_province=province, year__gte=YEARS[0], year__lte=YEARS[1]
    ).count()
    print(
        f"Recognitions report of {province.name}, {YEARS[0]}–{YEARS[1]}, PDF with the annex ({annex_rows} recognitions"
        f" in the period); {N} timed requests after {WARMUP} warm-ups; load average {load_at_start}.\n",
        flush=True,
    )
    made = []
    for _ in range(WARMUP):
        made.append(ask(client, province.pk)[1])
    timings = []
    for _ in range(N):
        ms, job_id = ask(client, province.pk)
        timings.append(ms)
        made.append(job_id)
    began = time.perf_counter()
    report_job_build(made[-1])
    build_ms = (time.perf_counter() - began) * 1000
    job = ReportJob.objects.get(pk=made[-1])
    with job.file.open("rb") as handle:
        is_pdf = handle.read(5) == b"%PDF-"
    figures = {
        "report_pdf_annex_first_response_p50": figure(percentile(timings, 50), "ms"),
        "report_pdf_annex_first_response_p95": figure(
            percentile(timings, 95),
            "ms",
            target=f"<= {FIRST_RESPONSE_TARGET_MS} ms",
            ok=percentile(timings, 95) <= FIRST_RESPONSE_TARGET_MS,
        ),
        "report_pdf_annex_background_build": figure(
            build_ms, "ms", target="built, a PDF", ok=job.status == ExportStatus.DONE and is_pdf
        ),
    }
    details = {"annex_recognitions": annex_rows, "pdf_bytes": job.file.size, "status": job.status, "years": YEARS}
    tasks = [job.task_id for job in ReportJob.objects.filter(pk__in=made) if job.task_id]
    for leftover in ReportJob.objects.filter(pk__in=made):
        if leftover.file:
            leftover.file.delete(save=False)
    ReportJob.objects.filter(pk__in=made).delete()
    DBTaskResult.objects.filter(pk__in=tasks).delete()  # the queued builds of the jobs just deleted
    return common.finish("reports", figures, details, started, load_at_start)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
