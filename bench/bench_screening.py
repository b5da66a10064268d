"""The screening queue of a national round at scale: page time against a bare-query floor, with and without a
filter, and the page's query count at 1, 20 and 500 dossiers. Run by bench/run.sh (`make bench`) after
bench_registry.py, on the same database (`manage.py generate_scale` data); adds its figures to
bench/results.json (bench/results.py) and prints a table.

The data (made once, then reused): three published national rounds of the ministry agency with registration
open today, holding 500, 20 and 1 submitted dossiers of distinct generated products (one per producer, taken
from every province in turn). Each dossier has 10 documents (the round's checklist is topped up to 10 items per
product group), 3 photos, a filled-in form, a status among submitted / in screening / resubmitted / accepted /
returned, a receipt code BENCH-<province>-<n> and its missing_count as dossier_gaps() computes it (a third of
them lack the region-level recognition a national round requires). Rows are written with bulk_create and
checked against dossier_gaps() on a sample.

Every figure is measured in this process with django.test.Client (whole middleware stack, DEBUG=False), as a
superuser and as a ministry-agency staff member. The floor is a bare view, routed through the same middleware,
that runs the page's queryset (nominations_for_staff, same round, same filters, same select_related and order,
a count and the 50-row page) and returns the rows as plain text with no template. Page and floor requests
alternate so that drift on this shared machine hits both alike.

Environment: BENCH_N (timed requests per figure, 50), BENCH_WARMUP (5), BENCH_RESULTS (output path),
BENCH_STRICT=1 (exit 1 when a target is missed).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import datetime
import os
import re
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from awards import services
from awards.enums import NominationStatus, PhaseKind, RoundStatus
from awards.models import (
    CorrectionRequest,
    Level,
    Nomination,
    NominationDocument,
    NominationPhoto,
    Programme,
    Recognition,
    Round,
    RoundChecklistItem,
)
from awards.selectors import dossier_gaps, nominations_for_staff
from awards.views.screening import ScreeningQueueView
from bench.results import WARMUP, N, compare, figure, get, percentile, print_table, write_results
from portal import urls as portal_urls
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.core.workflow import SYSTEM
from products.enums import DocumentScope, OrganizationKind
from products.models import AdministrativeUnit, Document, DocumentType, Organization, Product, ProductPhoto

RESULTS = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
RATIO_TARGET = 3.0
PAGE_SIZE = 50  # ScreeningQueueView's paginator
SIZES = (500, 20, 1)  # dossiers per bench round; the first is the national round at scale
DOCUMENTS_PER_NOMINATION = 10
PHOTOS_PER_NOMINATION = 3
FILTER = "status=submitted&missing=yes"
MINISTRY_AGENCY = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)"
TITLE = "Bình chọn SPCNNT tiêu biểu cấp quốc gia — đo kiểm {size} hồ sơ"  # no year: reused in later years
# Group items added to the round's checklist (in this order) until each product group has 10 items.
EXTRA_ITEM_TYPES = ("environment", "other", "commendation")
STATUSES = (
    NominationStatus.SUBMITTED,
    NominationStatus.IN_SCREENING,
    NominationStatus.RESUBMITTED,
    NominationStatus.ACCEPTED,
    NominationStatus.RETURNED,
)
RECEIPT_RE = re.compile(r'class="mono"><a href="[^"]*">(BENCH[^<]*)</a>')


# -- the floor: the page's own queryset, no filter form, no template -------------------------------------
def floor_queue(request, pk):
    qs = (
        nominations_for_staff(request.user)
        .filter(round_id=pk)
        .exclude(status=NominationStatus.DRAFT)
        .select_related("product__group", "producer__current_province")
        .order_by("receipt_code", "id")
    )
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("missing") == "yes":
        qs = qs.filter(missing_count__gt=0)
    elif request.GET.get("missing") == "no":
        qs = qs.filter(missing_count=0)
    total = qs.count()
    rows = [
        "\t".join(
            (
                str(n.pk),
                n.receipt_code,
                n.product.name,
                n.producer.name,
                n.product.group.name,
                n.producer.current_province.name,
                n.status,
                str(n.missing_count),
            )
        )
        for n in qs[:PAGE_SIZE]
    ]
    return HttpResponse(f"{total}\n" + "\n".join(rows), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/rounds/<int:pk>/nominations/", floor_queue),
    *portal_urls.urlpatterns,
]


def count_queries(client, url):
    get(client, url)  # once, so one-off lookups (caches) do not count
    with CaptureQueriesContext(connection) as ctx:
        _elapsed, response = get(client, url)
    return ctx.captured_queries, response.content.decode()


def explain(qs):
    return qs.explain(analyze=True, buffers=True)


# -- fixtures in the bench database ---------------------------------------------------------------------
def bench_users():
    agency, _ = Organization.objects.get_or_create(
        name=MINISTRY_AGENCY, defaults={"kind": OrganizationKind.MINISTRY_AGENCY, "province": None}
    )
    if agency.kind != OrganizationKind.MINISTRY_AGENCY:
        raise SystemExit(f"“{MINISTRY_AGENCY}” exists with kind {agency.kind}, not ministry_agency.")
    superuser, _ = User.objects.get_or_create(
        email="bench.admin@cnnt.bench",
        defaults={"full_name": "Bench quản trị", "role": Role.STAFF, "is_staff": True, "is_superuser": True},
    )
    ministry, _ = User.objects.get_or_create(
        email="bench.ministry@cnnt.bench",
        defaults={"full_name": "Bench chuyên viên Cục", "role": Role.STAFF, "organization": agency},
    )
    return agency, superuser, ministry


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def pick_products(count):
    """`count` generated products of distinct producers, taken from every province in turn."""
    per_province = -(-count // 34) + 1
    columns = []
    for province in AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("code"):
        seen, picked = set(), []
        for pk, producer_id in (
            Product.objects.filter(is_generated=True, producer__current_province=province)
            .order_by("id")
            .values_list("pk", "producer_id")[: per_province * 6]
        ):
            if producer_id not in seen:
                seen.add(producer_id)
                picked.append(pk)
            if len(picked) == per_province:
                break
        columns.append(picked)
    order = [column[row] for row in range(per_province) for column in columns if row < len(column)][:count]
    if len(order) < count:
        raise SystemExit(f"Only {len(order)} generated products to nominate; run generate_scale first.")
    products = Product.objects.select_related("producer__current_province", "group").in_bulk(order)
    return [products[pk] for pk in order]


def top_up_checklist(round_, doc_types):
    """Group items until every product group has DOCUMENTS_PER_NOMINATION checklist items."""
    items = list(round_.checklist.all())
    general = [i for i in items if i.group_id is None]
    extra = []
    for rule in round_.group_rules.select_related("group"):
        own = [i for i in items if i.group_id == rule.group_id]
        missing = DOCUMENTS_PER_NOMINATION - len(general) - len(own)
        taken = {i.document_type_id for i in own}
        candidates = [doc_types[c] for c in EXTRA_ITEM_TYPES if doc_types[c].pk not in taken]
        if missing > len(candidates):
            raise SystemExit(f"Cannot bring group {rule.group} to {DOCUMENTS_PER_NOMINATION} checklist items.")
        extra += [RoundChecklistItem(round=round_, group=rule.group, document_type=t) for t in candidates[:missing]]
    RoundChecklistItem.objects.bulk_create(extra)


def fill_round(round_, products, tag, today):
    """Dossiers of `products` in `round_`, with documents, photos, recognitions and corrections."""
    doc_types = {d.code: d for d in DocumentType.objects.all()}
    top_up_checklist(round_, doc_types)
    items = list(round_.checklist.select_related("document_type"))
    lower = Level.objects.get(programme=round_.programme, next_level=round_.level)  # the region level
    now = timezone.now()
    deadline = today + datetime.timedelta(days=14)
    numbers, nominations, recognitions = {}, [], []
    for i, product in enumerate(products):
        province = product.producer.current_province
        numbers[province.pk] = numbers.get(province.pk, 0) + 1
        status = STATUSES[i % len(STATUSES)]
        # A third lack the recognition of the level below (never the accepted ones): one dossier gap.
        missing = 1 if i % 3 == 0 and status != NominationStatus.ACCEPTED else 0
        if not missing:
            recognitions.append(
                Recognition(
                    product=product,
                    level=lower,
                    year=round_.year - 1,
                    decision_number=f"BENCH/{round_.year - 1}/{i + 1:04d}",
                    decision_date=today - datetime.timedelta(days=300),
                )
            )
        nominations.append(
            Nomination(
                round=round_,
                product=product,
                producer=product.producer,
                status=status,
                receipt_code=f"{tag}-{province.short_code or province.code}-{numbers[province.pk]:04d}",
                annual_output=f"{(i % 40 + 1) * 500} sản phẩm/năm",
                annual_revenue=(i % 50 + 5) * 100_000_000,
                workers=i % 30 + 3,
                materials="Nguyên liệu tại địa phương",
                markets="Trong tỉnh, các tỉnh lân cận, sàn thương mại điện tử",
                highlights="Sản phẩm truyền thống của địa phương, mẫu mã đặc trưng, thân thiện môi trường.",
                declaration_accepted=True,
                submitted_at=now - datetime.timedelta(days=i % 20 + 1, minutes=i),
                correction_deadline=deadline if status == NominationStatus.RETURNED else None,
                version=2 if status == NominationStatus.RESUBMITTED else 1,
                missing_count=missing,
            )
        )
    Recognition.objects.bulk_create(recognitions, ignore_conflicts=True)
    nominations = Nomination.objects.bulk_create(nominations)

    documents, links = [], []
    for n in nominations:
        own = [it for it in items if it.group_id in (None, n.product.group_id)]
        if len(own) != DOCUMENTS_PER_NOMINATION:
            raise SystemExit(f"{len(own)} checklist items for group {n.product.group}")
        for k, item in enumerate(own):
            t = item.document_type
            documents.append(
                Document(
                    producer_id=n.producer_id,
                    product_id=n.product_id if t.scope == DocumentScope.PRODUCT else None,
                    doc_type=t,
                    number=f"{n.receipt_code}/{k + 1:02d}",
                    issuer="Cơ quan cấp (đo kiểm)",
                    issue_date=today - datetime.timedelta(days=400 + k),
                    expiry_date=today + datetime.timedelta(days=700) if t.has_expiry else None,
                    file="bench/dossier.pdf",  # never opened
                    original_name=f"{t.code}.pdf",
                )
            )
            links.append((n, item))
    documents = Document.objects.bulk_create(documents, batch_size=2000)
    NominationDocument.objects.bulk_create(
        (NominationDocument(nomination=n, item=it, document=d) for (n, it), d in zip(links, documents, strict=True)),
        batch_size=2000,
    )
    photos = ProductPhoto.objects.bulk_create(
        ProductPhoto(product_id=n.product_id, image="bench/photo.jpg", caption=f"{n.receipt_code} ảnh {k + 1}")
        for n in nominations
        for k in range(PHOTOS_PER_NOMINATION)
    )
    NominationPhoto.objects.bulk_create(
        NominationPhoto(nomination=nominations[j // PHOTOS_PER_NOMINATION], photo=p) for j, p in enumerate(photos)
    )
    CorrectionRequest.objects.bulk_create(
        CorrectionRequest(
            nomination=n,
            items=["photos"],
            message="Đề nghị bổ sung ảnh sản phẩm rõ nét hơn.",
            deadline=n.correction_deadline,
        )
        for n in nominations
        if n.status == NominationStatus.RETURNED
    )


def check_sample(round_):
    """missing_count as the services would keep it, on a sample of every status."""
    sample = list(round_.nominations.select_related("round__level", "product", "producer").order_by("id")[:15])
    for n in sample:
        gaps = dossier_gaps(n)
        if len(gaps) != n.missing_count or n.documents.count() != DOCUMENTS_PER_NOMINATION:
            raise SystemExit(f"Bench dossier {n.receipt_code}: gaps {gaps}, missing_count {n.missing_count}")


def bench_rounds(agency):
    """The three national rounds (made once, then reused; registration moved to include today)."""
    today = timezone.localdate()
    programme = Programme.objects.get(code="spcnnttb")
    national = Level.objects.get(programme=programme, code="national")
    wanted = pick_products(sum(SIZES))
    rounds, start, made = {}, 0, False
    for size in SIZES:
        products, start = wanted[start : start + size], start + size
        title = TITLE.format(size=size)
        registration = (today - datetime.timedelta(days=20), today + datetime.timedelta(days=40))
        round_ = Round.objects.filter(title=title, level=national).first()
        if round_ is not None and round_.nominations.count() != size:
            raise SystemExit(f"“{title}” holds {round_.nominations.count()} dossiers, not {size} (BENCH_FRESH=1).")
        if round_ is None:
            with transaction.atomic():
                round_ = services.round_create(
                    programme=programme,
                    phases={PhaseKind.REGISTRATION: registration},
                    level=national,
                    year=today.year,
                    title=title,
                    organiser=agency,
                )
                services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
                fill_round(round_, products, "BENCH" if size == SIZES[0] else f"BENCH{size}", today)
                check_sample(round_)
            made = True
        elif not round_.is_open_for_registration(today):
            round_.phases.filter(kind=PhaseKind.REGISTRATION).update(starts_on=registration[0], ends_on=registration[1])
        rounds[size] = round_
    if made:  # fresh statistics, so the plans below are the ones a settled database gets
        with connection.cursor() as cursor:
            for model in (Nomination, NominationDocument, NominationPhoto, Document, ProductPhoto, Recognition):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return rounds


# -- the run --------------------------------------------------------------------------------------------
def main():
    if settings.DEBUG:
        raise SystemExit("Run the bench with DEBUG=False.")
    if connection.vendor != "postgresql":
        raise SystemExit("The bench needs PostgreSQL (set DATABASE_URL).")
    settings.ROOT_URLCONF = __name__
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    agency, superuser, ministry = bench_users()
    rounds = bench_rounds(agency)
    setup_s = round(time.perf_counter() - started, 1)
    big = rounds[SIZES[0]]
    clients = {"superuser": client_for(superuser), "ministry": client_for(ministry)}
    totals = {
        "nominations_in_round": big.nominations.count(),
        "documents_in_round": NominationDocument.objects.filter(nomination__round=big).count(),
        "photos_in_round": NominationPhoto.objects.filter(nomination__round=big).count(),
        "provinces_in_round": big.nominations.values("producer__current_province").distinct().count(),
        "nominations_in_database": Nomination.objects.count(),
        "matching_filter": big.nominations.filter(status="submitted", missing_count__gt=0).count(),
    }
    print(
        f"Database {connection.settings_dict['NAME']}: national round #{big.pk} with {totals['nominations_in_round']}"
        f" dossiers from {totals['provinces_in_round']} provinces ({totals['documents_in_round']} documents,"
        f" {totals['photos_in_round']} photos; {totals['matching_filter']} match ?{FILTER}); setup {setup_s} s."
        f" {N} timed requests after {WARMUP} warm-ups per figure.\n"
    )

    figures = {}
    details = {"totals": totals, "round_ids": {str(k): r.pk for k, r in rounds.items()}, "n": N, "warmup": WARMUP}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # 1. The queue page against its floor, plain and filtered.
        for variant, query in (("queue", ""), ("queue_filtered", f"?{FILTER}")):
            for who, client in clients.items():
                page_ms, floor_ms = compare(
                    client,
                    f"/staff/rounds/{big.pk}/nominations/{query}",
                    f"/bench/floor/rounds/{big.pk}/nominations/{query}",
                )
                for pct in (50, 95):
                    value, floor = percentile(page_ms, pct), percentile(floor_ms, pct)
                    figures[f"screening_{variant}_{who}_p{pct}"] = figure(
                        value,
                        "ms",
                        floor,
                        target=f"<= {RATIO_TARGET:g}x floor" if pct == 95 else None,
                        ok=value / floor <= RATIO_TARGET if pct == 95 else None,
                    )

    # 2. Queries of the queue page at 1, 20 and 500 dossiers in the round.
    counts, sql = {}, {}
    for who, client in clients.items():
        for size in sorted(SIZES):
            queries, html = count_queries(client, f"/staff/rounds/{rounds[size].pk}/nominations/")
            shown = len(RECEIPT_RE.findall(html))
            if shown != min(size, PAGE_SIZE):
                raise SystemExit(f"The queue of {size} dossiers as {who} shows {shown} of them")
            counts[(who, size)] = len(queries)
            sql[f"{who}_{size}"] = [f"{q['time']}s {q['sql'][:200]}" for q in queries]
    for (who, size), n in counts.items():
        base = counts[(who, min(SIZES))]
        figures[f"queries_screening_queue_{who}_{size}_rows"] = figure(
            n, "queries", base, target="same at every size", ok=n == base
        )
    details["queries_of_queue_superuser_500"] = sql[f"superuser_{SIZES[0]}"]
    details["queries_of_queue_ministry_500"] = sql[f"ministry_{SIZES[0]}"]

    # 3. The PostgreSQL plans of the page's count and keys queries (superuser, 500 dossiers).
    view = ScreeningQueueView()
    view.request = RequestFactory().get("/")
    view.request.user = superuser
    qs = view.queryset(big)
    details["plans"] = {
        "count": explain(qs.order_by().values("pk")),  # the count's WHERE, without the ORDER BY
        "keys": explain(qs.values_list("pk", flat=True)[:PAGE_SIZE]),
        "filtered_keys": explain(
            qs.filter(Q(status="submitted") & Q(missing_count__gt=0)).values_list("pk", flat=True)[:PAGE_SIZE]
        ),
    }
    print("EXPLAIN ANALYZE of the queue's page keys (superuser, 500 dossiers):\n")
    print(details["plans"]["keys"])

    details["load_average_at_start_and_end"] = [load_at_start, [round(x, 2) for x in os.getloadavg()]]
    details["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    details["setup_seconds"] = setup_s
    details["seconds"] = round(time.perf_counter() - started, 1)
    write_results(RESULTS, "screening", figures, details)
    print_table(figures)
    for w in details["warnings"]:
        print(f"warning: {w}")
    print(
        f"\nLoad average (1, 5, 15 min) at start {load_at_start}, at end {details['load_average_at_start_and_end'][1]}"
        " (2 cores: other work on the machine shows in the figures)."
    )
    print(f"Wrote {RESULTS} ({details['seconds']} s).")
    return [name for name, f in figures.items() if f.get("ok") is False]


if __name__ == "__main__":
    missed = main()
    # A missed target is reported, not fatal, unless BENCH_STRICT=1.
    sys.exit(1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0)
