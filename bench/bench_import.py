"""The import of historical data at scale: 10,000 producer rows through the import service (the same resource
the admin uses) against the bare floor, the same 10,000 Producer objects built directly and bulk_create'd. Run by
bench/run.sh (`make bench`) on the bench PostgreSQL database with the test settings (DEBUG=False); adds its
figures to bench/results.json (bench/common.py) and prints a table.

What is timed (medians of BENCH_IMPORT_RUNS, each in a transaction rolled back, so every run imports into the
same database; the import and the floor alternate):
- import_xlsx / import_csv: reading the file (openpyxl / csv) + the resource's import for real (instances keyed on
  the tax code loaded in one query, rows validated and folded, bulk_create with their history rows), as
  `import_batch_confirm` runs it;
- preview_xlsx: the dry run `import_batch_preview` makes (the same, in a transaction rolled back);
- floor: Producer objects built from the already-parsed values (current province and folded search text
  included) and bulk_create'd; floor_with_history adds simple_history's bulk_history_create, which the import
  also writes.
The target is import ≤ 3 × floor.

Environment: BENCH_IMPORT_ROWS (10000), BENCH_IMPORT_RUNS (3), BENCH_RESULTS (output path), BENCH_STRICT=1 (exit 1
when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

common.setup_django()

from django.db import connection, transaction
from openpyxl import Workbook

from bench.common import figure
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.core.tables import read_table
from portal.imports.services import _run
from products.models import AdministrativeUnit, Producer
from products.services import producer_search_text

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))
RESULTS = common.RESULTS
RATIO_TARGET = 3.0
HEADINGS = ["Mã số thuế", "Tên cơ sở", "Loại hình", "Người đại diện", "Địa chỉ", "Tỉnh/thành phố", "Số lao động"]
KINDS = ["Hợp tác xã", "Doanh nghiệp", "Hộ kinh doanh", "Tổ hợp tác"]
KIND_CODES = {"Hợp tác xã": "cooperative", "Doanh nghiệp": "enterprise", "Hộ kinh doanh": "household"}
KIND_CODES["Tổ hợp tác"] = "cooperative_group"
CRAFTS = ["Miến dong", "Lạp sườn", "Chiếu trúc", "Chè Shan tuyết", "Mật ong", "Khô mực", "Bánh phồng tôm", "Cà phê"]


class Rollback(Exception):  # noqa: N818 (a control-flow signal)
    pass


def rows(provinces):
    for i in range(ROWS):
        province = provinces[i % len(provinces)]
        yield [
            f"47{i:08d}",
            f"Cơ sở {CRAFTS[i % len(CRAFTS)]} số {i}",
            KINDS[i % len(KINDS)],
            "Nguyễn Văn Đức",
            f"Tổ {i % 30 + 1}, thôn Nà Rị",
            province,
            f"{(i % 40) + 1:,}".replace(",", "."),
        ]


def files(provinces):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for row in rows(provinces):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = [";".join(HEADINGS)] + [";".join(str(v) for v in row) for row in rows(provinces)]
    return buffer.getvalue(), ("\n".join(lines) + "\n").encode()


def timed(fn):
    started = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - started


def run_import(name, data, actor, dry_run=False):
    dataset, lines = read_table(name, data)
    totals, errors, _first = _run(kind="producers", actor=actor, dataset=dataset, lines=lines, dry_run=dry_run)
    if errors or totals["new"] != ROWS:
        raise SystemExit(f"import refused rows: {errors[:3]} {totals}")


def floor(by_name, actor, history):
    objs = []
    for tax, name, kind, rep, address, province_name, workers in rows(list(by_name)):
        province = by_name[province_name]
        producer = Producer(
            tax_code=tax,
            name=name,
            kind=KIND_CODES[kind],
            legal_representative=rep,
            address=address,
            province=province,
            current_province_id=province.today_province_id,
            workers=int(workers.replace(".", "")),
            created_by=actor,
        )
        producer.search_text = producer_search_text(producer, [])
        objs.append(producer)
    Producer.objects.bulk_create(objs, batch_size=1000)
    if history:
        Producer.history.bulk_history_create(objs, default_user=actor)


def main():
    started, load_at_start = common.start(postgres=False)  # DEBUG would keep every query in memory
    actor, _ = User.objects.get_or_create(
        email="bench.import@cnnt.bench",
        defaults={"role": Role.STAFF, "is_superuser": True, "is_staff": True, "full_name": "Bench import"},
    )
    provinces = list(AdministrativeUnit.objects.filter(level="province").select_related("successor").order_by("id"))
    # Today's names, and old names that no longer exist (Hà Giang, Bắc Kạn …) as a file from before 2025 has them.
    current = {p.name for p in provinces if p.is_current}
    by_name = {p.name: p for p in provinces if p.is_current or p.name not in current}
    xlsx_data, csv_data = files(list(by_name))
    print(
        f"{ROWS} producer rows, {RUNS} runs each, {connection.vendor}; xlsx {len(xlsx_data) // 1024} KiB; load"
        f" average {load_at_start}"
    )

    samples = {k: [] for k in ("import_xlsx", "import_csv", "preview_xlsx", "floor", "floor_with_history")}
    for _ in range(RUNS):
        samples["floor"].append(timed(lambda: floor(by_name, actor, history=False)))
        samples["import_xlsx"].append(timed(lambda: run_import("bench.xlsx", xlsx_data, actor)))
        samples["floor_with_history"].append(timed(lambda: floor(by_name, actor, history=True)))
        samples["import_csv"].append(timed(lambda: run_import("bench.csv", csv_data, actor)))
        samples["preview_xlsx"].append(timed(lambda: run_import("bench.xlsx", xlsx_data, actor, dry_run=True)))
    med = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    base = med["floor"]
    figures = {"import_floor_bulk_create_10k": figure(base, "ms")}
    figures["import_floor_with_history_10k"] = figure(med["floor_with_history"], "ms", base)
    for name in ("import_xlsx", "import_csv", "preview_xlsx"):
        ratio = med[name] / base
        ok = ratio <= RATIO_TARGET
        figures[f"{name}_10k"] = figure(med[name], "ms", base, target=f"≤ {RATIO_TARGET:g}×", ok=ok)
    details = {
        "rows": ROWS,
        "runs": RUNS,
        "database": connection.vendor,
        "samples_ms": {k: [round(x * 1000, 1) for x in v] for k, v in samples.items()},
    }
    return common.finish("import", figures, details, started, load_at_start)


if __name__ == "__main__":
    sys.exit(common.exit_code(main()))
