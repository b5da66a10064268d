"""The data of bench/bench_projects.py (and of bench/bench_dashboard.py, which needs the same projects and fairs),
made once with bulk_create and reused (see bench_projects.py's docstring): BENCH_PROJECTS khuyến công projects (codes
BKC-…) with their fundings and beneficiaries, BENCH_FAIRS fairs with their participants, and the record producer
of the province with everything a producer's record shows.
"""

import datetime
import os
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from awards.models import Certificate, Level, Nomination, OcopCriteriaSet, OcopRating, Recognition, Round
from extension_projects.enums import FairLevel, FundingSource, ProjectStatus
from extension_projects.models import ActivityType, Fair, FairParticipation, Project, ProjectFunding
from products.enums import OrganizationKind
from products.models import Organization, Producer, Product, ProductGroup
from products.search import search_text

from . import common, results_data

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "20000"))
FAIRS = int(os.environ.get("BENCH_FAIRS", "2000"))
CODE = "BKC-"
FAIR_NAME = "Hội chợ đo kiểm"
RECORD_PRODUCER = "Cơ sở hồ sơ đo kiểm"
MARKER = "ZQX"
MILLION = 1_000_000
BATCH = 2000
NO_BENEFICIARY = {"vocational-training", "management-training", "consultancy", "product-awards"}


def producers_by_province(provinces, per_province=3000):
    by_province = {}
    for province in provinces:
        by_province[province.pk] = list(
            Producer.objects.filter(current_province=province, is_generated=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:per_province]
        )
    return by_province


def build_projects(provinces, producers) -> int:
    have = Project.objects.filter(code__startswith=CODE).count()
    if have >= PROJECTS:
        return 0
    rng = random.Random(f"bench-projects-{have}")  # noqa: S311 (reproducible bench data, not secrets)
    types = list(ActivityType.objects.order_by("order"))
    statuses = [ProjectStatus.SETTLED] * 6 + [
        ProjectStatus.ACCEPTED,
        ProjectStatus.IMPLEMENTING,
        ProjectStatus.CONTRACTED,
        ProjectStatus.APPROVED,
        ProjectStatus.PROPOSED,
        ProjectStatus.CANCELLED,
    ]
    through = Project.beneficiaries.through
    made = 0
    for start in range(have, PROJECTS, BATCH):
        batch, fundings, links = [], [], []
        for seq in range(start, min(PROJECTS, start + BATCH)):
            province = provinces[seq % len(provinces)]
            kind = types[seq % len(types)]
            year = 2012 + seq % 14
            status = statuses[rng.randrange(len(statuses))]
            project = Project(
                code=f"{CODE}{year}-{seq:06d}",
                title=f"Đề án khuyến công đo kiểm số {seq} – {kind.name[:60]}",
                activity_type=kind,
                plan_year=year,
                province=province,
                current_province_id=province.pk,
                implementer=f"Trung tâm Khuyến công tỉnh {province.name}",
                beneficiary_count=rng.randint(10, 60) if kind.code in NO_BENEFICIARY else None,
                approval_number=f"{seq}/QĐ-SCT" if status != ProjectStatus.PROPOSED else "",
                approval_date=datetime.date(year, 3, 1) if status != ProjectStatus.PROPOSED else None,
                status=status,
                is_generated=True,
            )
            batch.append(project)
            amounts = {FundingSource.LOCAL: rng.randint(50, 400) * MILLION}
            if rng.random() < 0.4:
                amounts[FundingSource.NATIONAL] = rng.randint(100, 600) * MILLION
            if rng.random() < 0.6:
                amounts[FundingSource.COUNTERPART] = rng.randint(50, 900) * MILLION
            fundings.append((project, amounts, status == ProjectStatus.SETTLED))
            pool = producers.get(province.pk) or []
            if kind.code not in NO_BENEFICIARY and pool:
                for k in range(1 + (seq % 3 == 0)):
                    links.append((project, pool[(seq * 7 + k * 13) % len(pool)]))
        with transaction.atomic():
            Project.objects.bulk_create(batch)
            ProjectFunding.objects.bulk_create(
                ProjectFunding(project=p, source=s, approved=a, actual=a if settled else None)
                for p, amounts, settled in fundings
                for s, a in amounts.items()
            )
            through.objects.bulk_create(
                [through(project_id=p.pk, producer_id=producer) for p, producer in links], ignore_conflicts=True
            )
        made += len(batch)
    return made


def build_fairs(provinces, producers) -> int:
    have = Fair.objects.filter(name__startswith=FAIR_NAME).count()
    if have >= FAIRS:
        return 0
    fairs, made = [], 0
    for seq in range(have, FAIRS):
        province = provinces[seq % len(provinces)]
        starts = datetime.date(2012 + seq % 14, 1 + seq % 12, 1 + seq % 25)
        fairs.append(
            Fair(
                name=f"{FAIR_NAME} số {seq}",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=4),
                place=province.name,
                organiser="Sở Công Thương",
                level=FairLevel.values[seq % len(FairLevel.values)],
                booths=100 + seq % 200,
                province=province,
                current_province_id=province.pk,
                is_generated=True,
            )
        )
    with transaction.atomic():
        Fair.objects.bulk_create(fairs, batch_size=BATCH)
        participations = []
        for seq, fair in enumerate(fairs, start=have):
            pool = producers.get(fair.current_province_id) or []
            chosen = {pool[(seq * 11 + k * 17) % len(pool)] for k in range(4)} if pool else set()
            participations += [
                FairParticipation(fair=fair, producer_id=pk, booths=1, support_amount=5 * MILLION) for pk in chosen
            ]
        FairParticipation.objects.bulk_create(participations, batch_size=BATCH)
        made = len(fairs)
    return made


def issuing_body(province):
    body, _ = Organization.objects.get_or_create(
        name=f"Ủy ban nhân dân tỉnh {province.name} (đo kiểm hồ sơ)",
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": province, "certificate_suffix": "GCN-UBND"},
    )
    return body


def furnish(producer, *, products: int, projects: int, fairs: int, serial_from: int = 1):
    """Give a producer `products` products with nominations, recognitions at three levels, a certificate and two
    OCOP ratings each; make it a beneficiary of `projects` projects and a participant of `fairs` fairs."""
    groups = list(ProductGroup.objects.order_by("code"))
    made = Product.objects.bulk_create(
        Product(
            name=f"Sản phẩm hồ sơ đo kiểm {i:02d}",
            producer=producer,
            group=groups[i % len(groups)],
            is_generated=True,
            search_text=search_text(f"Sản phẩm hồ sơ đo kiểm {i:02d}", producer.name, producer.tax_code),
        )
        for i in range(products)
    )
    _furnish_awards(producer, made, serial_from)
    _furnish_activities(producer, made, projects, fairs)


def _furnish_awards(producer, made, serial_from):
    """Recognitions at three levels, a certificate of the province one and two OCOP ratings per product."""
    levels = {lv.code: lv for lv in Level.objects.filter(programme__code="spcnnttb")}
    recognitions = Recognition.objects.bulk_create(
        Recognition(
            product=p,
            level=levels[code],
            year=2019 + k,
            decision_number=f"{100 + i}/QĐ-{code}",
            decision_date=datetime.date(2019 + k, 11, 20),
            valid_until=datetime.date(2022 + k, 12, 31),
            source="archive",
        )
        for i, p in enumerate(made)
        for k, code in enumerate(("province", "region", "national"))
    )
    body = issuing_body(producer.current_province)
    Certificate.objects.bulk_create(
        Certificate(
            recognition=r,
            issuing_body=body,
            year=2024,
            serial=serial_from + i,
            number=f"{serial_from + i}/GCN-UBND",
            issued_on=datetime.date(2024, 1, 15),
            valid_until=datetime.date(2027, 12, 31),
            signer_title="CHỦ TỊCH",
            signer_name="Nguyễn Văn Đo",
            place=producer.current_province.name,
            product_name=r.product.name,
            group_name=r.product.group.name,
            producer_name=producer.name,
            province_name=producer.current_province.name,
            level_name=r.level.name,
            recognition_year=r.year,
        )
        for i, r in enumerate(r for r in recognitions if r.level.code == "province")
    )
    criteria = OcopCriteriaSet.objects.order_by("-valid_from").first()
    OcopRating.objects.bulk_create(
        OcopRating(
            product=p,
            criteria_set=criteria,
            stars=stars,
            score=Decimal(score),
            level="province",
            decision_number=f"{200 + i}/QĐ-UBND-OCOP",
            decision_date=datetime.date(year, 9, 16),
            valid_until=datetime.date(year + 3, 9, 15),
            is_generated=True,
        )
        for i, p in enumerate(made)
        for stars, score, year in ((3, "62", 2021), (4, "74", 2024))
    )


ROUND_TITLE = "Bench hồ sơ của cơ sở đo kiểm"


def _own_round(producer) -> Round:
    """The round the record producer's products are nominated in, its own: a dossier added to another bench's
    round would change that bench's counts on the next run (bench_screening checks its round holds 500)."""
    round_ = Round.objects.filter(title=ROUND_TITLE).first()
    if round_ is None:
        province = producer.current_province
        _province, org, superuser, _staff = common.bench_users(province.name)
        round_ = results_data.new_round(ROUND_TITLE, province, org, superuser, timezone.localdate())
    return round_


def _furnish_activities(producer, made, projects, fairs):
    """A nomination of every product in the record producer's own round; the producer as a beneficiary of
    `projects` projects and a participant of `fairs` fairs."""
    round_ = _own_round(producer)
    Nomination.objects.bulk_create(
        Nomination(round=round_, product=p, producer=producer, status="submitted") for p in made
    )
    through = Project.beneficiaries.through
    chosen = Project.objects.filter(code__startswith=CODE, current_province=producer.current_province).exclude(
        beneficiaries=producer
    )
    through.objects.bulk_create(
        [through(project_id=pk, producer_id=producer.pk) for pk in chosen.values_list("pk", flat=True)[:projects]]
    )
    chosen_fairs = Fair.objects.filter(name__startswith=FAIR_NAME, current_province=producer.current_province).exclude(
        participations__producer=producer
    )
    for i, fair in enumerate(chosen_fairs.order_by("pk")[:fairs]):
        fp = FairParticipation.objects.create(
            fair=fair, producer=producer, booths=2, support_amount=12 * MILLION, sales=80 * MILLION
        )
        fp.products.set(made[i % len(made) : i % len(made) + 2])


def record_producer(province):
    producer = Producer.objects.filter(name=RECORD_PRODUCER, current_province=province).first()
    if producer is not None:
        return producer
    base = Producer.objects.filter(current_province=province, is_generated=True).order_by("pk").first()
    with transaction.atomic():
        producer = Producer.objects.create(
            name=RECORD_PRODUCER,
            kind="cooperative",
            tax_code="8999999999",
            legal_representative="Nguyễn Văn Đo",
            province=base.province,
            unit=base.unit,
            current_province=province,
            is_generated=True,
            search_text=search_text(RECORD_PRODUCER, "8999999999"),
        )
        furnish(producer, products=20, projects=30, fairs=25)
    return producer


def add_marker_projects(province, start, stop):
    kind = ActivityType.objects.get(code="equipment")
    made = Project.objects.bulk_create(
        Project(
            code=f"BQM-{i:05d}",
            title=f"Đề án đo kiểm {MARKER} {i:05d}",
            activity_type=kind,
            plan_year=2024,
            province=province,
            current_province_id=province.pk,
            implementer="Trung tâm Khuyến công",
            is_generated=True,
        )
        for i in range(start, stop)
    )
    ProjectFunding.objects.bulk_create(
        ProjectFunding(project=p, source=FundingSource.LOCAL, approved=100 * MILLION) for p in made
    )
