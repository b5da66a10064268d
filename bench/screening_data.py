"""The data of bench/bench_screening.py, made once in the bench database and reused: three published national
rounds of the ministry agency holding 500, 20 and 1 dossiers with their documents, photos, recognitions and
corrections (see bench_screening.py's docstring).
"""

import datetime

from django.db import transaction
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
from awards.selectors import dossier_gaps
from bench import common
from portal.accounts.enums import Role
from portal.core.workflow import SYSTEM
from products.enums import DocumentScope, OrganizationKind
from products.models import AdministrativeUnit, Document, DocumentType, Organization, Product, ProductPhoto

MINISTRY_AGENCY = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)"
SIZES = (500, 20, 1)  # dossiers per bench round; the first is the national round at scale
DOCUMENTS_PER_NOMINATION = 10
PHOTOS_PER_NOMINATION = 3
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


def bench_users():
    agency, _ = Organization.objects.get_or_create(
        name=MINISTRY_AGENCY, defaults={"kind": OrganizationKind.MINISTRY_AGENCY, "province": None}
    )
    if agency.kind != OrganizationKind.MINISTRY_AGENCY:
        raise SystemExit(f"“{MINISTRY_AGENCY}” exists with kind {agency.kind}, not ministry_agency.")
    superuser = common.bench_user(
        "bench.admin@cnnt.bench", "Bench quản trị", Role.STAFF, is_staff=True, is_superuser=True
    )
    ministry = common.bench_user("bench.ministry@cnnt.bench", "Bench chuyên viên Cục", Role.STAFF, organization=agency)
    return agency, superuser, ministry


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
    nominations = make_nominations(round_, products, tag, today)
    attach_documents(nominations, items, today)
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


def make_nominations(round_, products, tag, today) -> list:
    """One nomination per product, in every status; the recognitions of the level below for two in three."""
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
    return Nomination.objects.bulk_create(nominations)


def attach_documents(nominations, items, today) -> None:
    """Every checklist item of each nomination answered by a document of its own."""
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
    if made:  # as a settled database has them (fresh statistics, so the plans below are the ones it gets)
        common.settle(Nomination, NominationDocument, NominationPhoto, Document, ProductPhoto, Recognition)
    return rounds
