"""Demo data: Cao Bằng's OCOP ratings and targets as the province published them (DOMAIN §6).

Called by portal.demo.published_figures.load; idempotent (skips when the province has ratings)."""

import datetime
from decimal import Decimal

from awards.enums import OcopLevel, OcopTargetMetric
from awards.models import OcopCriteriaSet, OcopRating, OcopTarget
from awards.services.ocop import add_months
from products.models import AdministrativeUnit, Product

from .published_figures import old_province

CAO_BANG_TARGETS_2025 = {
    OcopTargetMetric.AT_LEAST_3: 150,
    OcopTargetMetric.FOUR: 10,
    OcopTargetMetric.FIVE: 1,
    OcopTargetMetric.COOPERATIVE_SHARE: 40,
    OcopTargetMetric.SME_SHARE: 30,
}


def _rating(sets, product, stars, score, number, day, note=""):
    """A provincial rating under the criteria set in force on `day`, its parts split plausibly from the score."""
    criteria = [s for s in sets if s.valid_from <= day][-1]
    score = Decimal(score)
    a = (score * Decimal("0.38")).quantize(Decimal("0.5"))
    b = (score * Decimal("0.24")).quantize(Decimal("0.5"))
    return OcopRating(
        product=product,
        criteria_set=criteria,
        stars=stars,
        score=score,
        part_a=a,
        part_b=b,
        part_c=score - a - b,
        level=OcopLevel.PROVINCE,
        decision_number=number,
        decision_date=day,
        valid_until=add_months(day, 36),
        note=note,
        is_generated=True,
    )


def cao_bang_ocop() -> int:
    """About 100 products rated, 9 × 4★ and 88 × 3★ now; HTX Tâm Hòa's lạp sườn 3★ then 4★; Công ty 688's
    chiếu trúc the province's first 4★. Decision numbers and dates are assumptions."""
    province = old_province("Cao Bằng")
    if OcopRating.objects.filter(product__producer__province=province).exists():
        return 0
    sets = list(OcopCriteriaSet.objects.order_by("valid_from"))
    named = {p.name: p for p in Product.objects.filter(producer__province=province, is_generated=False)}
    lap_suon, mats = named["Lạp sườn Tâm Hòa"], named["Chiếu trúc 688"]
    ratings = [
        _rating(
            sets, mats, 4, "72", "1786/QĐ-UBND", datetime.date(2020, 10, 12), "Sản phẩm OCOP 4 sao đầu tiên của tỉnh."
        ),
        _rating(sets, mats, 4, "76", "2105/QĐ-UBND", datetime.date(2023, 10, 9)),
        _rating(sets, lap_suon, 3, "64", "1950/QĐ-UBND", datetime.date(2021, 11, 2)),
        _rating(sets, lap_suon, 4, "74", "1688/QĐ-UBND", datetime.date(2024, 9, 16)),
    ]
    others = list(Product.objects.filter(producer__province=province, is_generated=True).order_by("id")[: 88 + 7])
    smoked = named.get("Thịt lợn hun khói Tâm Hòa")
    three_star = ([smoked] if smoked else []) + others
    for i, product in enumerate(three_star[:88]):
        day = datetime.date(2024 + i % 2, 1 + (i * 5) % 12, 1 + (i * 7) % 27)
        ratings.append(_rating(sets, product, 3, str(50 + (i * 7) % 20), f"{1200 + i}/QĐ-UBND", day))
    for i, product in enumerate(three_star[88 : 88 + 7]):
        day = datetime.date(2024 + i % 2, 3 + i, 10 + i)
        ratings.append(_rating(sets, product, 4, str(70 + (i * 3) % 15), f"{1700 + i}/QĐ-UBND", day))
    OcopRating.objects.bulk_create(ratings)
    province_today = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    for metric, value in CAO_BANG_TARGETS_2025.items():
        OcopTarget.objects.get_or_create(
            province=province_today, year=2025, metric=metric, defaults={"value": Decimal(value)}
        )
    return len(ratings)
