"""Small data sets for the dashboard tests: producers of a province (today's, or as it was) with products,
recognitions, OCOP ratings, khuyến công projects and fairs, made in bulk so that a larger set costs little."""

import datetime

from awards.models import Level, OcopCriteriaSet, OcopRating, Recognition
from extension_projects.enums import FairLevel, FundingSource
from extension_projects.models import ActivityType, Fair, FairParticipation, Project, ProjectFunding
from products.enums import ProducerKind
from tests import factories

KINDS = [ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE, ProducerKind.HOUSEHOLD, ProducerKind.COOPERATIVE_GROUP]
MILLION = 1_000_000


def populate(province_name: str, n: int, *, current: bool = True, tag: str = "") -> dict:
    """`n` producers of the province, each with one product recognised at province level in 2020 + i % 3 (and at
    region level in 2023 for every other one), one OCOP rating (3★, 4★ for every third), one project of plan
    year 2021 + i % 2 funded locally (and nationally for every other one), and one fair with its participation."""
    levels = {lv.code: lv for lv in Level.objects.filter(programme__code="spcnnttb")}
    criteria = OcopCriteriaSet.objects.order_by("valid_from").first()
    kind = ActivityType.objects.get(code="equipment")
    prefix = f"{tag or province_name[:3]}-{'now' if current else 'old'}"
    producers, products = [], []
    for i in range(n):
        producer = factories.producer(f"Cơ sở {prefix} {i}", province_name, current=current, kind=KINDS[i % len(KINDS)])
        producers.append(producer)
        products.append(factories.product(producer, f"Sản phẩm {prefix} {i}", group_code="1" if i % 2 else "2"))
    recognitions = [
        Recognition(product=p, level=levels["province"], year=2020 + i % 3, source="archive")
        for i, p in enumerate(products)
    ]
    recognitions += [
        Recognition(product=p, level=levels["region"], year=2023, source="archive")
        for i, p in enumerate(products)
        if i % 2 == 0
    ]
    Recognition.objects.bulk_create(recognitions)
    OcopRating.objects.bulk_create(
        OcopRating(
            product=p,
            criteria_set=criteria,
            stars=4 if i % 3 == 0 else 3,
            score=70 if i % 3 == 0 else 60,
            level="province",
            decision_number=f"{i}/QĐ-OCOP",
            decision_date=datetime.date(2024, 6, 1),
            valid_until=datetime.date(2027, 5, 31),
        )
        for i, p in enumerate(products)
    )
    province = producers[0].province if producers else factories.province(province_name, current=current)
    projects = Project.objects.bulk_create(
        Project(
            code=f"T-{prefix}-{i}",
            title=f"Đề án {prefix} {i}",
            activity_type=kind,
            plan_year=2021 + i % 2,
            province=province,
            current_province_id=province.today_province_id,
            implementer="Trung tâm Khuyến công",
            machines=2,
        )
        for i in range(n)
    )
    fundings = [ProjectFunding(project=p, source=FundingSource.LOCAL, approved=100 * MILLION) for p in projects]
    fundings += [
        ProjectFunding(project=p, source=FundingSource.NATIONAL, approved=50 * MILLION, actual=40 * MILLION)
        for i, p in enumerate(projects)
        if i % 2 == 0
    ]
    ProjectFunding.objects.bulk_create(fundings)
    fairs = Fair.objects.bulk_create(
        Fair(
            name=f"Hội chợ {prefix} {i}",
            starts_on=datetime.date(2022, 5, 1 + i % 25),
            ends_on=datetime.date(2022, 5, 3 + i % 25),
            place="Thành phố",
            organiser="Sở Công Thương",
            level=FairLevel.PROVINCIAL if i % 2 else FairLevel.NATIONAL,
            province=province,
            current_province_id=province.today_province_id,
        )
        for i in range(n)
    )
    FairParticipation.objects.bulk_create(
        FairParticipation(fair=fair, producer=producer) for fair, producer in zip(fairs, producers, strict=True)
    )
    return {"producers": producers, "products": products, "projects": projects, "fairs": fairs}
